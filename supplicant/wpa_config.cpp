#include "supplicant/wpa_config.h"

#include <algorithm>
#include <span>

namespace lanyard::supplicant {

using config::Site;
using config::Warning;

namespace {

constexpr size_t kMaxSsidLength = 32;  // IEEE 802.11 SSID element
constexpr int64_t kMinFragmentSize = 64;
constexpr int64_t kMaxFragmentSize = 16384;
constexpr int64_t kIntMin = -2147483648LL;
constexpr int64_t kIntMax = 2147483647LL;

// Keys wpa_supplicant knows (wpa_supplicant/config.c) that Lanyard accepts
// without acting on them yet.
constexpr std::string_view kUnsupportedNetworkKeys[] = {
#define WPA_CONFIG_NETWORK_KEYS
#include "supplicant/wpa_config.keys.inc"
#undef WPA_CONFIG_NETWORK_KEYS
};

constexpr std::string_view kUnsupportedGlobalKeys[] = {
#define WPA_CONFIG_GLOBAL_KEYS
#include "supplicant/wpa_config.keys.inc"
#undef WPA_CONFIG_GLOBAL_KEYS
};

bool contains(std::span<const std::string_view> names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_tls_method(eap::Type t) {
    switch (t) {
        case eap::Type::kTls:
        case eap::Type::kTtls:
        case eap::Type::kPeap:
            return true;
        case eap::Type::kIdentity:
        case eap::Type::kNotification:
        case eap::Type::kNak:
        case eap::Type::kMd5Challenge:
        case eap::Type::kOtp:
        case eap::Type::kGtc:
        case eap::Type::kMschapV2:
        case eap::Type::kTlvExtensions:
        case eap::Type::kExpanded:
            return false;
    }
    // Types Lanyard does not name: EAP-FAST (43) and TEAP (55) run TLS too.
    uint8_t raw = static_cast<uint8_t>(t);
    return raw == 43 || raw == 55;
}

// ---- value helpers ---------------------------------------------------------

Result<std::string> parse_path(const Site& site, std::string_view value, std::vector<Warning>* warnings) {
    auto s = config::parse_wpa_string(site, value);
    if (!s) return s.error();
    LANYARD_TRY(config::check_plain_text(site, *s));
    for (std::string_view scheme : {"blob://", "keystore://", "pkcs11:", "hash://", "probe://"}) {
        if (starts_with(*s, scheme)) {
            warnings->push_back(site.warning(std::string(scheme) + " references are not yet supported"));
        }
    }
    return s;
}

// password=: "text", hash:<32 hex> (NtPasswordHash), ext:<name>, NULL, or hex.
Status parse_password(const Site& site, std::string_view value, eap::PeerCredentials* eap,
                      std::vector<Warning>* warnings) {
    if (value == "NULL") {
        eap->password.wipe();
        eap->password_is_nt_hash = false;
        return ok_status();
    }
    if (starts_with(value, "ext:")) {
        warnings->push_back(site.warning("external password backends (ext:) are not yet supported"));
        return ok_status();
    }
    if (starts_with(value, "hash:")) {
        auto hash = config::parse_hex(site, value.substr(5), 16);
        if (!hash) return site.error("invalid NT password hash: expected hash:<32 hex digits>");
        eap->password = SecretBytes(*hash);
        secure_wipe(hash->data(), hash->size());
        eap->password_is_nt_hash = true;
        return ok_status();
    }
    auto s = config::parse_wpa_string(site, value);
    if (!s) return s.error();
    eap->password = SecretBytes(as_bytes(*s));
    secure_wipe(s->data(), s->size());
    eap->password_is_nt_hash = false;
    return ok_status();
}

Status parse_eap_methods(const Site& site, std::string_view value, std::vector<eap::Type>* out,
                         std::vector<Warning>* warnings) {
    out->clear();
    for (std::string_view word : config::split_words(value)) {
        const config::EapMethodName* m = config::find_eap_method(word);
        if (m == nullptr) return site.error("unknown EAP method '" + std::string(word) + "'");
        if (!m->implemented) {
            warnings->push_back(site.warning("EAP method " + std::string(m->name) + " is not yet supported"));
        }
        out->push_back(static_cast<eap::Type>(m->type));
    }
    if (out->empty()) return site.error("no EAP method listed");
    return ok_status();
}

Result<std::vector<Proto>> parse_proto(const Site& site, std::string_view value) {
    std::vector<Proto> out;
    for (std::string_view word : config::split_words(value)) {
        if (word == "WPA") {
            out.push_back(Proto::kWpa);
        } else if (word == "RSN" || word == "WPA2") {
            out.push_back(Proto::kRsn);
        } else if (word == "OSEN") {
            out.push_back(Proto::kOsen);
        } else if (word == "WAPI") {
            out.push_back(Proto::kWapi);
        } else {
            return site.error("unknown protocol '" + std::string(word) + "' (WPA, RSN, WPA2, OSEN)");
        }
    }
    if (out.empty()) return site.error("empty protocol list");
    return out;
}

Status check_ciphers(const Site& site, const std::vector<config::Cipher>& ciphers, bool group) {
    for (config::Cipher c : ciphers) {
        bool ok = true;
        switch (c) {
            case config::Cipher::kCcmp:
            case config::Cipher::kCcmp256:
            case config::Cipher::kGcmp:
            case config::Cipher::kGcmp256:
            case config::Cipher::kTkip:
                break;
            case config::Cipher::kNone:
                ok = !group;
                break;
            case config::Cipher::kWep104:
            case config::Cipher::kWep40:
            case config::Cipher::kGtkNotUsed:
                ok = group;
                break;
        }
        if (!ok) {
            return site.error(std::string("cipher ") + config::cipher_name(c) + " is not allowed in " +
                              (group ? "group" : "pairwise"));
        }
    }
    return ok_status();
}

// ---- the parser --------------------------------------------------------------

class WpaParser {
public:
    WpaParser(std::string_view text, std::string_view file)
        : reader_(text, file, config::Dialect::kWpaSupplicant) {
        load_.config.file = std::string(file);
    }

    Result<WpaConfigLoad> run() {
        config::Line line;
        while (reader_.next(&line)) {
            Status s = top_level_line(line);
            if (!s) return s.error();
        }
        return std::move(load_);
    }

private:
    Status top_level_line(const config::Line& line) {
        if (line.text == "}") return reader_.site(line.number).error("'}' without an open block");
        auto kv = config::split_key_value(line.text);
        if (!kv) return reader_.site(line.number).error("expected key=value, got '" + std::string(line.text) + "'");
        Site site = reader_.site(line.number, kv->key);
        if (kv->value == "{") {
            if (kv->key == "network") return read_network(site);
            if (kv->key == "cred" || kv->key == "identity" || starts_with(kv->key, "blob-base64-")) {
                load_.warnings.push_back(site.warning("block is not yet supported; ignored"));
                return skip_block(site);
            }
            return site.error("unknown block");
        }
        return set_global(site, kv->value);
    }

    Status set_global(const Site& site, std::string_view value) {
        WpaGlobals& g = load_.config.globals;
        std::string_view key = site.key;
        if (key == "ctrl_interface") {
            std::string group = g.ctrl_interface.group;
            auto ci = config::parse_ctrl_interface(site, value);
            if (!ci) return ci.error();
            g.ctrl_interface = std::move(*ci);
            if (g.ctrl_interface.group.empty()) g.ctrl_interface.group = group;
        } else if (key == "ctrl_interface_group") {
            LANYARD_TRY(config::check_plain_text(site, value));
            g.ctrl_interface.group = std::string(value);
        } else if (key == "ap_scan") {
            auto v = config::parse_integer(site, value, 0, 2);
            if (!v) return v.error();
            g.ap_scan = static_cast<int>(*v);
        } else if (key == "eapol_version") {
            auto v = config::parse_integer(site, value, 1, 3);
            if (!v) return v.error();
            g.eapol_version = static_cast<int>(*v);
        } else if (key == "fast_reauth") {
            auto v = config::parse_flag(site, value);
            if (!v) return v.error();
            g.fast_reauth = *v;
        } else if (key == "update_config") {
            auto v = config::parse_flag(site, value);
            if (!v) return v.error();
            g.update_config = *v;
        } else if (key == "country") {
            bool ok = value.size() == 2;
            for (char c : value) {
                ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
            }
            if (!ok) return site.error("country must be a two-letter code (ISO 3166-1), got '" + std::string(value) + "'");
            g.country = std::string(value);
        } else if (contains(kUnsupportedGlobalKeys, key) || starts_with(key, "tx_queue_") ||
                   starts_with(key, "wmm_ac_")) {
            load_.warnings.push_back(site.warning("not yet supported; ignored"));
        } else if (is_network_key(key)) {
            return site.error("only valid inside a network={...} block");
        } else {
            return site.error("unknown global setting");
        }
        return ok_status();
    }

    Status read_network(const Site& open) {
        NetworkBlock n;
        n.line = open.line;
        config::Line line;
        while (reader_.next(&line)) {
            if (line.text == "}") {
                load_.config.networks.push_back(std::move(n));
                return ok_status();
            }
            auto kv = config::split_key_value(line.text);
            if (!kv) {
                return reader_.site(line.number)
                    .error("expected key=value inside the network block opened at line " + std::to_string(open.line) +
                           ", got '" + std::string(line.text) + "'");
            }
            Site site = reader_.site(line.number, kv->key);
            if (kv->value == "{") {
                return site.error("blocks cannot nest: the network block opened at line " +
                                  std::to_string(open.line) + " is missing its '}'");
            }
            // wpa_config_read_network: a value opening a quote must close it.
            if (!kv->value.empty() && kv->value.front() == '"' && kv->value.find('"', 1) == std::string_view::npos) {
                return site.error("unterminated quoted string");
            }
            LANYARD_TRY(set_network(site, kv->value, &n));
            n.lines[std::string(kv->key)] = line.number;
        }
        return open.error("block opened here is not closed with '}' before the end of the file");
    }

    Status skip_block(const Site& open) {
        config::Line line;
        while (reader_.next(&line)) {
            if (line.text == "}") return ok_status();
        }
        return open.error("block opened here is not closed with '}' before the end of the file");
    }

    static bool is_network_key(std::string_view key);
    Status set_network(const Site& site, std::string_view value, NetworkBlock* n);

    config::LineReader reader_;
    WpaConfigLoad load_;
};

// The network keys Lanyard acts on, one setter each.
using NetworkSetter = Status (*)(const Site&, std::string_view, NetworkBlock*, std::vector<Warning>*);

Status set_string(const Site& site, std::string_view value, std::string* out) {
    auto s = config::parse_wpa_string(site, value);
    if (!s) return s.error();
    *out = std::move(*s);
    return ok_status();
}

Status set_int(const Site& site, std::string_view value, int64_t min, int64_t max, int* out) {
    auto v = config::parse_integer(site, value, min, max);
    if (!v) return v.error();
    *out = static_cast<int>(*v);
    return ok_status();
}

Status set_path(const Site& site, std::string_view value, std::string* out, std::vector<Warning>* w) {
    auto s = parse_path(site, value, w);
    if (!s) return s.error();
    *out = std::move(*s);
    return ok_status();
}

struct NetworkKey {
    std::string_view name;
    NetworkSetter set;
};

constexpr NetworkKey kNetworkKeys[] = {
    {"ssid",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         LANYARD_TRY(set_string(s, v, &n->ssid));
         if (n->ssid.size() > kMaxSsidLength) return s.error("SSID longer than 32 octets");
         return ok_status();
     }},
    {"scan_ssid",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         auto f = config::parse_flag(s, v);
         if (!f) return f.error();
         n->scan_ssid = *f;
         return ok_status();
     }},
    {"key_mgmt",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         auto list = config::parse_key_mgmt_list(s, v);
         if (!list) return list.error();
         for (config::KeyMgmt k : *list) {
             if (k != config::KeyMgmt::kNone && k != config::KeyMgmt::kIeee8021x && k != config::KeyMgmt::kWpaEap &&
                 k != config::KeyMgmt::kWpaEapSha256) {
                 w->push_back(s.warning(std::string("key management ") + config::key_mgmt_name(k) +
                                        " is not yet supported"));
             }
         }
         n->key_mgmt = std::move(*list);
         return ok_status();
     }},
    {"proto",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         auto p = parse_proto(s, v);
         if (!p) return p.error();
         n->proto = std::move(*p);
         return ok_status();
     }},
    {"pairwise",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         auto c = config::parse_cipher_list(s, v);
         if (!c) return c.error();
         LANYARD_TRY(check_ciphers(s, *c, false));
         n->pairwise = std::move(*c);
         return ok_status();
     }},
    {"group",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         auto c = config::parse_cipher_list(s, v);
         if (!c) return c.error();
         LANYARD_TRY(check_ciphers(s, *c, true));
         n->group = std::move(*c);
         return ok_status();
     }},
    {"eap",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return parse_eap_methods(s, v, &n->eap.methods, w);
     }},
    {"identity",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.identity);
     }},
    {"anonymous_identity",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.anonymous_identity);
     }},
    {"password",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return parse_password(s, v, &n->eap, w);
     }},
    {"ca_cert",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.ca_cert, w);
     }},
    {"client_cert",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.client_cert, w);
     }},
    {"private_key",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.private_key, w);
     }},
    {"private_key_passwd",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.private_key_passwd);
     }},
    {"ca_cert2",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.ca_cert2, w);
     }},
    {"client_cert2",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.client_cert2, w);
     }},
    {"private_key2",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         return set_path(s, v, &n->eap.private_key2, w);
     }},
    {"private_key2_passwd",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.private_key2_passwd);
     }},
    {"domain_suffix_match",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.domain_suffix_match);
     }},
    {"domain_match",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.domain_match);
     }},
    {"subject_match",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         w->push_back(s.warning("stored but not yet enforced; use domain_match or domain_suffix_match"));
         return set_string(s, v, &n->subject_match);
     }},
    {"altsubject_match",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>* w) -> Status {
         w->push_back(s.warning("stored but not yet enforced; use domain_match or domain_suffix_match"));
         return set_string(s, v, &n->altsubject_match);
     }},
    {"phase1",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.phase1);
     }},
    {"phase2",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->eap.phase2);
     }},
    {"fragment_size",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         auto f = config::parse_integer(s, v, kMinFragmentSize, kMaxFragmentSize);
         if (!f) return f.error();
         n->eap.fragment_size = static_cast<size_t>(*f);
         return ok_status();
     }},
    {"eapol_flags",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_int(s, v, 0, 3, &n->eapol_flags);
     }},
    {"priority",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_int(s, v, kIntMin, kIntMax, &n->priority);
     }},
    {"disabled",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_int(s, v, 0, 2, &n->disabled);
     }},
    {"id_str",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         return set_string(s, v, &n->id_str);
     }},
    {"ieee80211w",
     [](const Site& s, std::string_view v, NetworkBlock* n, std::vector<Warning>*) -> Status {
         int value = 0;
         LANYARD_TRY(set_int(s, v, 0, 2, &value));
         n->ieee80211w = value;
         return ok_status();
     }},
};

bool WpaParser::is_network_key(std::string_view key) {
    for (const NetworkKey& k : kNetworkKeys) {
        if (k.name == key) return true;
    }
    return contains(kUnsupportedNetworkKeys, key);
}

Status WpaParser::set_network(const Site& site, std::string_view value, NetworkBlock* n) {
    for (const NetworkKey& k : kNetworkKeys) {
        if (k.name == site.key) return k.set(site, value, n, &load_.warnings);
    }
    if (contains(kUnsupportedNetworkKeys, site.key)) {
        load_.warnings.push_back(site.warning("not yet supported; ignored"));
        return ok_status();
    }
    if (site.key == "ctrl_interface" || contains(kUnsupportedGlobalKeys, site.key) || site.key == "ap_scan" ||
        site.key == "eapol_version" || site.key == "fast_reauth" || site.key == "update_config" ||
        site.key == "country" || site.key == "ctrl_interface_group") {
        return site.error("is a global setting, not valid inside a network block");
    }
    return site.error("unknown network setting");
}

// A network whose settings show that EAP is meant: wpa_supplicant's default
// key_mgmt (WPA-PSK WPA-EAP) alone does not count, so plain PSK networks
// need no ca_cert.
bool eap_configured(const NetworkBlock& n) {
    return n.uses_eap() && (n.line_of("eap") != 0 || !n.eap.identity.empty() || !n.eap.anonymous_identity.empty() ||
                            !n.eap.client_cert.empty() || !n.eap.password.empty() ||
                            !n.has_key_mgmt(config::KeyMgmt::kWpaPsk));
}

Error missing_ca_cert(const WpaConfig& config, const NetworkBlock& n) {
    size_t eap_line = n.line_of("eap");
    Site site{config.file, eap_line != 0 ? eap_line : n.line, eap_line != 0 ? "eap" : "network"};
    return site.error(
        "the network allows a TLS-based EAP method but sets no ca_cert, so the server's certificate "
        "could not be validated; set ca_cert (and domain_suffix_match), or start the daemon with the "
        "explicit opt-out for unvalidated servers");
}

}  // namespace

size_t NetworkBlock::line_of(std::string_view key) const {
    auto it = lines.find(key);
    return it == lines.end() ? 0 : it->second;
}

bool NetworkBlock::has_key_mgmt(config::KeyMgmt k) const {
    return std::find(key_mgmt.begin(), key_mgmt.end(), k) != key_mgmt.end();
}

bool NetworkBlock::uses_eap() const {
    for (config::KeyMgmt k : key_mgmt) {
        switch (k) {
            case config::KeyMgmt::kIeee8021x:
            case config::KeyMgmt::kWpaEap:
            case config::KeyMgmt::kWpaEapSha256:
            case config::KeyMgmt::kWpaEapSha384:
            case config::KeyMgmt::kWpaEapSuiteB:
            case config::KeyMgmt::kWpaEapSuiteB192:
            case config::KeyMgmt::kFtEap:
            case config::KeyMgmt::kFtEapSha384:
            case config::KeyMgmt::kFilsSha256:
            case config::KeyMgmt::kFilsSha384:
            case config::KeyMgmt::kFtFilsSha256:
            case config::KeyMgmt::kFtFilsSha384:
            case config::KeyMgmt::kOsen:
                return true;
            case config::KeyMgmt::kNone:
            case config::KeyMgmt::kWpaPsk:
            case config::KeyMgmt::kWpaPskSha256:
            case config::KeyMgmt::kFtPsk:
            case config::KeyMgmt::kSae:
            case config::KeyMgmt::kSaeExtKey:
            case config::KeyMgmt::kFtSae:
            case config::KeyMgmt::kFtSaeExtKey:
            case config::KeyMgmt::kWpaNone:
            case config::KeyMgmt::kWps:
            case config::KeyMgmt::kOwe:
            case config::KeyMgmt::kDpp:
            case config::KeyMgmt::kPasn:
            case config::KeyMgmt::kWapiPsk:
            case config::KeyMgmt::kWapiCert:
                break;
        }
    }
    return false;
}

bool NetworkBlock::allows_tls_method() const {
    if (eap.methods.empty()) return true;
    return std::any_of(eap.methods.begin(), eap.methods.end(), is_tls_method);
}

Result<WpaConfigLoad> parse_wpa_config(std::string_view text, std::string_view file_name) {
    return WpaParser(text, file_name).run();
}

Result<WpaConfigLoad> load_wpa_config(const std::string& path) {
    auto text = config::read_config_file(path);
    if (!text) return text.error();
    return parse_wpa_config(*text, path);
}

Status validate(const WpaConfig& config, const ValidateOptions& options) {
    for (const NetworkBlock& n : config.networks) {
        if (eap_configured(n) && n.allows_tls_method() && n.eap.ca_cert.empty() &&
            !options.allow_unvalidated_server) {
            return missing_ca_cert(config, n);
        }
    }
    return ok_status();
}

Result<tls::Config> tls_client_config(const WpaConfig& config, const NetworkBlock& network,
                                      const ValidateOptions& options) {
    if (network.eap.ca_cert.empty() && !options.allow_unvalidated_server) {
        return missing_ca_cert(config, network);
    }
    tls::Config c;
    c.role = tls::Role::kClient;
    c.ca_file = network.eap.ca_cert;
    c.cert_file = network.eap.client_cert;
    c.key_file = network.eap.private_key;
    c.key_password = network.eap.private_key_passwd;
    c.domain_match = network.eap.domain_match;
    c.domain_suffix_match = network.eap.domain_suffix_match;
    c.verify_peer = !network.eap.ca_cert.empty();
    return c;
}

}  // namespace lanyard::supplicant
