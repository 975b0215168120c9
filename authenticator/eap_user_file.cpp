#include "authenticator/eap_user_file.h"

#include <algorithm>

namespace lanyard::authenticator {

using config::Site;

namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool is_blank(char c) { return c == ' ' || c == '\t'; }

struct TtlsInnerName {
    std::string_view name;
    TtlsInnerAuth bit;
};
constexpr TtlsInnerName kTtlsInner[] = {
    {"TTLS-PAP", kTtlsPap},
    {"TTLS-CHAP", kTtlsChap},
    {"TTLS-MSCHAP", kTtlsMschap},
    {"TTLS-MSCHAPV2", kTtlsMschapV2},
};

std::string shown(std::string_view s) {
    std::string out;
    for (char c : s.substr(0, 64)) out.push_back(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f ? c : '?');
    return out;
}

// Reads one line at a time, with a cursor over it.
class UserLine {
public:
    explicit UserLine(std::string_view text) : s_(text) {}
    bool done() const { return i_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[i_]; }
    std::string_view rest() const { return s_.substr(std::min(i_, s_.size())); }
    void skip(size_t n) { i_ = std::min(s_.size(), i_ + n); }
    void skip_blanks() {
        while (!done() && is_blank(s_[i_])) ++i_;
    }
    bool take(std::string_view token) {
        if (!starts_with(rest(), token)) return false;
        i_ += token.size();
        return true;
    }
    // Up to (not including) a blank, or also '#' when stop_at_hash.
    std::string_view word(bool stop_at_hash) {
        size_t start = i_;
        while (!done() && !is_blank(s_[i_]) && !(stop_at_hash && s_[i_] == '#')) ++i_;
        return s_.substr(start, i_ - start);
    }
    // After an opening '"': the text up to the closing '"'; false if none.
    bool quoted(std::string_view* out) {
        size_t close = s_.find('"', i_);
        if (close == std::string_view::npos) return false;
        *out = s_.substr(i_, close - i_);
        i_ = close + 1;
        return true;
    }

private:
    std::string_view s_;
    size_t i_ = 0;
};

class EapUserParser {
public:
    EapUserParser(std::string_view text, std::string_view file) : reader_(text, file, config::Dialect::kHostapd) {}

    Result<EapUserFile> run() {
        config::Line line;
        while (reader_.next(&line)) {
            if (starts_with(line.text, "radius_accept_attr=")) {
                Site site = reader_.site(line.number, "radius_accept_attr");
                if (out_.records.empty()) return site.error("must follow a user line");
                out_.warnings.push_back(site.warning("not yet supported; ignored"));
                continue;
            }
            Status s = parse_user(line);
            if (!s) return s.error();
        }
        return std::move(out_);
    }

private:
    Status parse_user(const config::Line& line);
    Status parse_methods(const Site& site, std::string_view list, eap::UserRecord* r, EapUserEntry* e);
    Status parse_password(const Site& site, UserLine* in, eap::UserRecord* r);

    config::LineReader reader_;
    EapUserFile out_;
};

Status EapUserParser::parse_methods(const Site& site, std::string_view list, eap::UserRecord* r,
                                    EapUserEntry* e) {
    bool dropped = false;
    size_t start = 0;
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        if (comma == std::string_view::npos) comma = list.size();
        std::string_view name = list.substr(start, comma - start);
        start = comma + 1;
        if (name.empty()) return site.error("empty EAP method name in '" + shown(list) + "'");

        const TtlsInnerName* inner = nullptr;
        for (const TtlsInnerName& t : kTtlsInner) {
            if (name == t.name) inner = &t;
        }
        if (inner != nullptr) {
            e->ttls_auth |= inner->bit;
            out_.warnings.push_back(site.warning("EAP-TTLS inner method " + std::string(name) + " is not yet supported"));
            continue;
        }
        if (name == "MACACL") {
            e->macacl = true;
            out_.warnings.push_back(site.warning("MACACL entries are not yet supported"));
            continue;
        }
        const config::EapMethodName* m = config::find_eap_method(name);
        if (m == nullptr) return site.error("unknown EAP method '" + shown(name) + "'");
        if (!m->implemented) {
            out_.warnings.push_back(site.warning("EAP method " + std::string(m->name) + " is not yet supported"));
        }
        if (r->methods.size() == kMaxMethodsPerUser) {
            dropped = true;
            continue;
        }
        r->methods.push_back(static_cast<eap::Type>(m->type));
    }
    if (dropped) {
        out_.warnings.push_back(site.warning("more than 8 EAP methods; the rest are ignored (as hostapd does)"));
    }
    return ok_status();
}

Status EapUserParser::parse_password(const Site& site, UserLine* in, eap::UserRecord* r) {
    if (in->take("\"")) {
        std::string_view password;
        if (!in->quoted(&password)) return site.error("unterminated quoted password (no closing '\"')");
        r->password = SecretBytes(as_bytes(password));
        return ok_status();
    }
    if (in->take("hash:")) {
        auto hash = config::parse_hex(site, in->word(true), 16);
        if (!hash) return site.error("invalid NT password hash: expected hash:<32 hex digits>");
        r->password = SecretBytes(*hash);
        secure_wipe(hash->data(), hash->size());
        r->password_is_nt_hash = true;
        return ok_status();
    }
    for (std::string_view salted : {"ssha1:", "ssha256:", "ssha512:"}) {
        if (starts_with(in->rest(), salted)) {
            return site.error("salted password hashes (" + std::string(salted) + ") are not yet supported");
        }
    }
    // hostapd also takes an unquoted password as hex.
    auto bytes = config::parse_hex(site, in->word(true), 0);
    if (!bytes) return site.error("a password is \"quoted\", hash:<32 hex digits>, or hex");
    r->password = SecretBytes(*bytes);
    secure_wipe(bytes->data(), bytes->size());
    return ok_status();
}

Status EapUserParser::parse_user(const config::Line& line) {
    UserLine in(line.text);
    eap::UserRecord r;
    EapUserEntry e;
    e.line = line.number;

    Site site = reader_.site(line.number, "identity");
    if (in.take("*")) {
        r.wildcard = true;
    } else if (in.take("\"")) {
        std::string_view identity;
        if (!in.quoted(&identity)) return site.error("unterminated quoted identity (no closing '\"')");
        r.identity = std::string(identity);
        r.identity_is_prefix = in.take("*");
    } else {
        return site.error("a user line starts with \"identity\", \"prefix\"* or *, got '" + shown(line.text) + "'");
    }

    in.skip_blanks();
    site.key = "methods";
    if (in.done() || in.peek() == '#') return site.error("no EAP method for this user");
    LANYARD_TRY(parse_methods(site, in.word(false), &r, &e));

    in.skip_blanks();
    if (!in.done() && in.peek() != '#') {
        site.key = "password";
        bool ver0 = in.take("[ver=0]");
        if (ver0 || in.take("[ver=1]")) {
            r.peap_version = ver0 ? 0 : 1;
            if (std::find(r.methods.begin(), r.methods.end(), eap::Type::kPeap) == r.methods.end()) {
                out_.warnings.push_back(site.with_key("flags").warning("[ver=N] only matters for PEAP users"));
            }
        } else if (in.take("[2]")) {
            r.phase2 = true;
        } else {
            LANYARD_TRY(parse_password(site, &in, &r));
            in.skip_blanks();
            if (in.take("[2]")) r.phase2 = true;
        }
    }

    in.skip_blanks();
    if (!in.done() && in.peek() != '#') {
        return site.with_key("flags").error("unexpected text '" + shown(in.rest()) + "' at the end of the user line");
    }
    out_.records.push_back(std::move(r));
    out_.entries.push_back(e);
    return ok_status();
}

}  // namespace

eap::VectorUserDatabase EapUserFile::take_database() {
    eap::VectorUserDatabase db(std::move(records));
    records.clear();
    return db;
}

Result<EapUserFile> parse_eap_user_file(std::string_view text, std::string_view file_name) {
    return EapUserParser(text, file_name).run();
}

Result<EapUserFile> load_eap_user_file(const std::string& path) {
    auto text = config::read_config_file(path);
    if (!text) return text.error();
    return parse_eap_user_file(*text, path);
}

}  // namespace lanyard::authenticator
