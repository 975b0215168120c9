#include "common/config_lexer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

namespace lanyard::config {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool equal_ignore_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
        if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
        if (x != y) return false;
    }
    return true;
}

// Values quoted in messages are cut short and made printable, so a binary
// file cannot garble a log line.
std::string printable(std::string_view s) {
    constexpr size_t kMax = 64;
    std::string out;
    for (size_t i = 0; i < s.size() && i < kMax; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (s.size() > kMax) out += "...";
    return out;
}

// wpa_supplicant's P"..." escapes (printf_decode in hostap's utils).
Result<std::string> decode_printf_escapes(const Site& site, std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out.push_back(s[i]);
            continue;
        }
        if (++i == s.size()) return site.error("P\"...\" string ends in a lone '\\'");
        char c = s[i];
        switch (c) {
            case '\\': out.push_back('\\'); break;
            case '"': out.push_back('"'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'e': out.push_back('\033'); break;
            case 'x': {
                int value = 0, digits = 0;
                while (digits < 2 && i + 1 < s.size() && hex_digit(s[i + 1]) >= 0) {
                    value = value * 16 + hex_digit(s[++i]);
                    ++digits;
                }
                if (digits == 0) return site.error("P\"...\" string has '\\x' without hex digits");
                out.push_back(static_cast<char>(value));
                break;
            }
            default:
                if (c >= '0' && c <= '7') {
                    int value = c - '0', digits = 1;
                    while (digits < 3 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7') {
                        value = value * 8 + (s[++i] - '0');
                        ++digits;
                    }
                    out.push_back(static_cast<char>(value & 0xff));
                    break;
                }
                return site.error(std::string("P\"...\" string has an unknown escape '\\") +
                                  printable(std::string_view(&c, 1)) + "'");
        }
    }
    return out;
}

struct KeyMgmtName {
    KeyMgmt value;
    const char* name;
};
constexpr KeyMgmtName kKeyMgmtNames[] = {
    {KeyMgmt::kNone, "NONE"},
    {KeyMgmt::kIeee8021x, "IEEE8021X"},
    {KeyMgmt::kWpaEap, "WPA-EAP"},
    {KeyMgmt::kWpaEapSha256, "WPA-EAP-SHA256"},
    {KeyMgmt::kWpaEapSha384, "WPA-EAP-SHA384"},
    {KeyMgmt::kWpaEapSuiteB, "WPA-EAP-SUITE-B"},
    {KeyMgmt::kWpaEapSuiteB192, "WPA-EAP-SUITE-B-192"},
    {KeyMgmt::kFtEap, "FT-EAP"},
    {KeyMgmt::kFtEapSha384, "FT-EAP-SHA384"},
    {KeyMgmt::kWpaPsk, "WPA-PSK"},
    {KeyMgmt::kWpaPskSha256, "WPA-PSK-SHA256"},
    {KeyMgmt::kFtPsk, "FT-PSK"},
    {KeyMgmt::kSae, "SAE"},
    {KeyMgmt::kSaeExtKey, "SAE-EXT-KEY"},
    {KeyMgmt::kFtSae, "FT-SAE"},
    {KeyMgmt::kFtSaeExtKey, "FT-SAE-EXT-KEY"},
    {KeyMgmt::kWpaNone, "WPA-NONE"},
    {KeyMgmt::kWps, "WPS"},
    {KeyMgmt::kOsen, "OSEN"},
    {KeyMgmt::kFilsSha256, "FILS-SHA256"},
    {KeyMgmt::kFilsSha384, "FILS-SHA384"},
    {KeyMgmt::kFtFilsSha256, "FT-FILS-SHA256"},
    {KeyMgmt::kFtFilsSha384, "FT-FILS-SHA384"},
    {KeyMgmt::kOwe, "OWE"},
    {KeyMgmt::kDpp, "DPP"},
    {KeyMgmt::kPasn, "PASN"},
    {KeyMgmt::kWapiPsk, "WAPI-PSK"},
    {KeyMgmt::kWapiCert, "WAPI-CERT"},
};

struct CipherName {
    Cipher value;
    const char* name;
};
constexpr CipherName kCipherNames[] = {
    {Cipher::kCcmp, "CCMP"},     {Cipher::kCcmp256, "CCMP-256"}, {Cipher::kGcmp, "GCMP"},
    {Cipher::kGcmp256, "GCMP-256"}, {Cipher::kTkip, "TKIP"},     {Cipher::kNone, "NONE"},
    {Cipher::kWep104, "WEP104"}, {Cipher::kWep40, "WEP40"},      {Cipher::kGtkNotUsed, "GTK_NOT_USED"},
};

// IANA "Method Types" as hostapd and wpa_supplicant name them. Keep
// `implemented` in step with the method registry (methods/).
constexpr EapMethodName kEapMethods[] = {
    {"MD5", 4, true},         {"OTP", 5, false},       {"GTC", 6, true},
    {"TLS", 13, true},        {"LEAP", 17, false},     {"SIM", 18, false},
    {"TTLS", 21, false},      {"AKA", 23, false},      {"PEAP", 25, true},
    {"MSCHAPV2", 26, true},   {"TNC", 38, false},      {"FAST", 43, false},
    {"PAX", 46, false},       {"PSK", 47, false},      {"SAKE", 48, false},
    {"IKEV2", 49, false},     {"AKA'", 50, false},     {"GPSK", 51, false},
    {"PWD", 52, false},       {"EKE", 53, false},      {"TEAP", 55, false},
    // Expanded (vendor) types.
    {"WSC", 254, false},      {"UNAUTH-TLS", 254, false}, {"WFA-UNAUTH-TLS", 254, false},
    {"VENDOR-TEST", 254, false},
};

}  // namespace

std::string format_diagnostic(std::string_view file, size_t line, std::string_view key,
                              std::string_view message) {
    std::string out(file);
    if (line != 0) {  // 0: the setting is missing, so no line holds it
        out += ':';
        out += std::to_string(line);
    }
    out += ": ";
    if (!key.empty()) {
        out += "key '";
        out += printable(key);
        out += "': ";
    }
    out += message;
    return out;
}

std::string Warning::to_string() const { return format_diagnostic(file, line, key, message); }

Error Site::error(std::string_view message) const {
    return make_error(ErrorCode::kConfig, format_diagnostic(file, line, key, message));
}

Warning Site::warning(std::string_view message) const {
    return Warning{std::string(file), line, std::string(key), std::string(message)};
}

bool LineReader::next(Line* line) {
    while (pos_ < text_.size()) {
        size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos) end = text_.size();
        std::string_view s = text_.substr(pos_, end - pos_);
        pos_ = end + 1;
        ++line_number_;

        size_t first = 0;
        while (first < s.size() && is_blank(s[first])) ++first;
        s.remove_prefix(first);
        if (s.empty() || s.front() == '#') continue;

        if (dialect_ == Dialect::kWpaSupplicant) {
            // '#' starts a comment unless it sits inside the quoted part:
            // search from the last '"' when the line has two or more.
            size_t from = 0;
            size_t q1 = s.find('"');
            if (q1 != std::string_view::npos) {
                size_t q2 = s.rfind('"');
                if (q2 > q1) from = q2;
            }
            size_t hash = s.find('#', from);
            if (hash != std::string_view::npos) s = s.substr(0, hash);
        }
        while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
        if (s.empty()) continue;

        line->number = line_number_;
        line->text = s;
        return true;
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<KeyValue> split_key_value(std::string_view line) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    KeyValue kv{trim(line.substr(0, eq)), line.substr(eq + 1)};
    if (kv.key.empty()) return std::nullopt;
    while (!kv.value.empty() && is_blank(kv.value.front())) kv.value.remove_prefix(1);
    return kv;
}

std::vector<std::string_view> split_words(std::string_view value) {
    std::vector<std::string_view> words;
    size_t i = 0;
    while (i < value.size()) {
        while (i < value.size() && is_blank(value[i])) ++i;
        size_t start = i;
        while (i < value.size() && !is_blank(value[i])) ++i;
        if (i > start) words.push_back(value.substr(start, i - start));
    }
    return words;
}

Result<int64_t> parse_integer(const Site& site, std::string_view value, int64_t min, int64_t max) {
    std::string_view s = value;
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s.remove_prefix(2);
    }
    if (s.empty()) return site.error("'" + printable(value) + "' is not a number");
    // Accumulate as a magnitude that cannot overflow: stop past the bound.
    constexpr uint64_t kLimit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    uint64_t magnitude = 0;
    for (char c : s) {
        int d = hex_digit(c);
        if (d < 0 || d >= base) return site.error("'" + printable(value) + "' is not a number");
        const uint64_t b = static_cast<uint64_t>(base), digit = static_cast<uint64_t>(d);
        magnitude = magnitude > (kLimit - digit) / b ? kLimit + 1 : magnitude * b + digit;  // saturates
    }
    if (magnitude > kLimit) {
        return site.error("'" + printable(value) + "' is out of range [" + std::to_string(min) + ", " +
                          std::to_string(max) + "]");
    }
    int64_t v = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
    if (v < min || v > max) {
        return site.error("'" + printable(value) + "' is out of range [" + std::to_string(min) + ", " +
                          std::to_string(max) + "]");
    }
    return v;
}

Result<bool> parse_flag(const Site& site, std::string_view value) {
    if (value == "0") return false;
    if (value == "1") return true;
    return site.error("'" + printable(value) + "' must be 0 or 1");
}

Result<Bytes> parse_hex(const Site& site, std::string_view value, size_t size) {
    if (size != 0 && value.size() != 2 * size) {
        return site.error("expected " + std::to_string(2 * size) + " hex digits, got " +
                          std::to_string(value.size()) + " characters");
    }
    if (value.size() % 2 != 0) return site.error("odd number of hex digits");
    Bytes out;
    out.reserve(value.size() / 2);
    for (size_t i = 0; i < value.size(); i += 2) {
        int hi = hex_digit(value[i]), lo = hex_digit(value[i + 1]);
        if (hi < 0 || lo < 0) return site.error("'" + printable(value) + "' is not hex");
        out.push_back(static_cast<uint8_t>(hi << 4 | lo));
    }
    return out;
}

Result<std::string> parse_wpa_string(const Site& site, std::string_view value) {
    if (!value.empty() && value.front() == '"') {
        // The last '"' must end the value; quotes in between are kept
        // (wpa_config_parse_string).
        if (value.size() < 2 || value.back() != '"') {
            return site.error("unterminated quoted string (the value must end with '\"')");
        }
        return std::string(value.substr(1, value.size() - 2));
    }
    if (value.size() >= 2 && value[0] == 'P' && value[1] == '"') {
        if (value.size() < 3 || value.back() != '"') {
            return site.error("unterminated P\"...\" string (the value must end with '\"')");
        }
        return decode_printf_escapes(site, value.substr(2, value.size() - 3));
    }
    auto bytes = parse_hex(site, value, 0);
    if (!bytes) {
        return site.error("'" + printable(value) +
                          "' is neither a quoted string nor hex (strings are written \"like this\")");
    }
    return to_string(*bytes);
}

Status check_plain_text(const Site& site, std::string_view value) {
    if (value.empty()) return site.error("empty value");
    for (char c : value) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return site.error("value holds a control character");
    }
    return ok_status();
}

Result<CtrlInterface> parse_ctrl_interface(const Site& site, std::string_view value) {
    CtrlInterface out;
    if (value.empty()) return out;
    if (value.substr(0, 4) == "DIR=") {
        std::string_view rest = value.substr(4);
        size_t g = rest.find(" GROUP=");
        if (g != std::string_view::npos) {
            out.group = std::string(trim(rest.substr(g + 7)));
            rest = rest.substr(0, g);
            if (out.group.empty()) return site.error("GROUP= has no group name");
            LANYARD_TRY(check_plain_text(site, out.group));
        }
        rest = trim(rest);
        if (rest.empty()) return site.error("DIR= has no directory");
        out.dir = std::string(rest);
    } else {
        out.dir = std::string(value);
    }
    LANYARD_TRY(check_plain_text(site, out.dir));
    return out;
}

const char* key_mgmt_name(KeyMgmt k) {
    for (const KeyMgmtName& n : kKeyMgmtNames) {
        if (n.value == k) return n.name;
    }
    return "?";
}

Result<std::vector<KeyMgmt>> parse_key_mgmt_list(const Site& site, std::string_view value) {
    std::vector<KeyMgmt> out;
    for (std::string_view word : split_words(value)) {
        const KeyMgmtName* found = nullptr;
        for (const KeyMgmtName& n : kKeyMgmtNames) {
            if (word == n.name) found = &n;
        }
        if (found == nullptr) return site.error("unknown key management '" + printable(word) + "'");
        out.push_back(found->value);
    }
    if (out.empty()) return site.error("empty key management list");
    return out;
}

const char* cipher_name(Cipher c) {
    for (const CipherName& n : kCipherNames) {
        if (n.value == c) return n.name;
    }
    return "?";
}

Result<std::vector<Cipher>> parse_cipher_list(const Site& site, std::string_view value) {
    std::vector<Cipher> out;
    for (std::string_view word : split_words(value)) {
        const CipherName* found = nullptr;
        for (const CipherName& n : kCipherNames) {
            if (word == n.name) found = &n;
        }
        if (found == nullptr) return site.error("unknown cipher '" + printable(word) + "'");
        out.push_back(found->value);
    }
    if (out.empty()) return site.error("empty cipher list");
    return out;
}

const EapMethodName* find_eap_method(std::string_view name) {
    for (const EapMethodName& m : kEapMethods) {
        if (equal_ignore_case(name, m.name)) return &m;
    }
    return nullptr;
}

Result<std::string> read_config_file(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return make_error(ErrorCode::kIo, path + ": cannot open: " + std::strerror(errno));
    }
    std::string text;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) {
        text.append(buffer, n);
        if (text.size() > kMaxConfigFileSize) {
            std::fclose(f);
            return make_error(ErrorCode::kLimit, path + ": larger than " + std::to_string(kMaxConfigFileSize) +
                                                     " bytes; not a configuration file?");
        }
    }
    bool failed = std::ferror(f) != 0;
    std::fclose(f);
    if (failed) return make_error(ErrorCode::kIo, path + ": read error");
    return text;
}

}  // namespace lanyard::config
