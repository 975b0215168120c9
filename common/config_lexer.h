// The shared reader under wpa_supplicant.conf, hostapd.conf and hostapd's
// eap_user file: lines with their numbers, comments, key=value, the
// value syntaxes the two programs use, and the names both files share (key
// management suites, ciphers, EAP methods). Every error it makes names the
// file, the line and the key: "/etc/wpa.conf:12: key 'eap': unknown EAP
// method 'FOO'".
//
// Nothing here opens a file except read_config_file(); parsers take text and
// a file name so tests need no files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::config {

// A bound on what we read from disk; real files are a few kilobytes.
inline constexpr size_t kMaxConfigFileSize = 4 * 1024 * 1024;

// The comment rules differ between the two programs.
enum class Dialect {
    // wpa_supplicant: a line whose first non-blank character is '#' is a
    // comment, and '#' after the last '"' of a line starts a comment.
    kWpaSupplicant,
    // hostapd (hostapd.conf and eap_user): only '#' in column 0 starts a
    // comment; elsewhere '#' is part of the value (wpa_passphrase=a#b).
    // Lanyard also takes indented '#' lines as comments.
    kHostapd,
};

// A setting we accept but do not act on (yet). The daemon logs these at
// warning level; parsing goes on.
struct Warning {
    std::string file;
    size_t line = 0;
    std::string key;  // empty for a whole-line remark
    std::string message;

    // "file:line: key 'k': message"
    std::string to_string() const;
};

// Where a setting is: builds errors and warnings that name it.
struct Site {
    std::string_view file;
    size_t line = 0;
    std::string_view key;  // empty when the line has no key

    // ErrorCode::kConfig with "file:line: key 'k': message".
    Error error(std::string_view message) const;
    Warning warning(std::string_view message) const;
    Site with_key(std::string_view k) const { return Site{file, line, k}; }
};

// "file:line: key 'k': message" (the key part is left out when key is empty).
std::string format_diagnostic(std::string_view file, size_t line, std::string_view key,
                              std::string_view message);

struct Line {
    size_t number = 0;      // 1-based
    std::string_view text;  // comment and surrounding whitespace removed; never empty
};

// Walks the text line by line, skipping blank lines and comments. '\n' ends
// a line; a trailing '\r' (a file edited on Windows) is whitespace.
class LineReader {
public:
    LineReader(std::string_view text, std::string_view file, Dialect dialect)
        : text_(text), file_(file), dialect_(dialect) {}

    // The next line that holds something; false at the end of the text.
    bool next(Line* line);
    // The number of the last line read (0 before the first), for "missing
    // '}'" errors at the end of the file.
    size_t line_number() const { return line_number_; }
    std::string_view file() const { return file_; }
    Site site(size_t line, std::string_view key = {}) const { return Site{file_, line, key}; }

private:
    std::string_view text_;
    std::string_view file_;
    Dialect dialect_;
    size_t pos_ = 0;
    size_t line_number_ = 0;
};

struct KeyValue {
    std::string_view key;    // blanks around it removed
    std::string_view value;  // everything after the first '=' (leading blanks removed)
};

// Splits a line at its first '='. Nothing when there is no '=' or the key
// is empty.
std::optional<KeyValue> split_key_value(std::string_view line);

std::string_view trim(std::string_view s);
// Words separated by spaces or tabs.
std::vector<std::string_view> split_words(std::string_view value);

// ---- values ---------------------------------------------------------------

// A decimal or 0x-hexadecimal integer with an optional '-', within [min, max].
Result<int64_t> parse_integer(const Site& site, std::string_view value, int64_t min, int64_t max);
// "0" or "1".
Result<bool> parse_flag(const Site& site, std::string_view value);

// wpa_supplicant's string value: "text" (taken as is, the last '"' must end
// the value), P"text" (printf escapes: \\ \" \n \r \t \e \xHH \ooo), or an
// even number of hex digits.
Result<std::string> parse_wpa_string(const Site& site, std::string_view value);
// Exactly 2*size hex digits (size 0: any even number), no separators.
Result<Bytes> parse_hex(const Site& site, std::string_view value, size_t size);
// A value must not be empty and must hold no control characters (used for
// paths and names).
Status check_plain_text(const Site& site, std::string_view value);

// ctrl_interface in both programs: a directory, or
// "DIR=/var/run/wpa_supplicant GROUP=netdev".
struct CtrlInterface {
    std::string dir;    // empty: no control interface
    std::string group;  // empty: not set here
};
Result<CtrlInterface> parse_ctrl_interface(const Site& site, std::string_view value);

// ---- names both files share ---------------------------------------------

// Authenticated key management suites (wpa_supplicant key_mgmt=, hostapd
// wpa_key_mgmt=).
enum class KeyMgmt {
    kNone,
    kIeee8021x,
    kWpaEap,
    kWpaEapSha256,
    kWpaEapSha384,
    kWpaEapSuiteB,
    kWpaEapSuiteB192,
    kFtEap,
    kFtEapSha384,
    kWpaPsk,
    kWpaPskSha256,
    kFtPsk,
    kSae,
    kSaeExtKey,
    kFtSae,
    kFtSaeExtKey,
    kWpaNone,
    kWps,
    kOsen,
    kFilsSha256,
    kFilsSha384,
    kFtFilsSha256,
    kFtFilsSha384,
    kOwe,
    kDpp,
    kPasn,
    kWapiPsk,
    kWapiCert,
};
const char* key_mgmt_name(KeyMgmt k);
// A space-separated list; an unknown name is an error.
Result<std::vector<KeyMgmt>> parse_key_mgmt_list(const Site& site, std::string_view value);

enum class Cipher { kCcmp, kCcmp256, kGcmp, kGcmp256, kTkip, kNone, kWep104, kWep40, kGtkNotUsed };
const char* cipher_name(Cipher c);
// A space-separated list; an unknown name is an error.
Result<std::vector<Cipher>> parse_cipher_list(const Site& site, std::string_view value);

// An EAP method name as wpa_supplicant (eap=) and hostapd (eap_user) spell
// it, matched without regard to case.
struct EapMethodName {
    std::string_view name;
    uint8_t type;      // IANA method type; 254 (expanded) for vendor methods
    bool implemented;  // Lanyard has this method now; others are "not yet supported"
};
const EapMethodName* find_eap_method(std::string_view name);

// ---- files ---------------------------------------------------------------

// Reads a whole file (at most kMaxConfigFileSize bytes). Errors name the path.
Result<std::string> read_config_file(const std::string& path);

}  // namespace lanyard::config
