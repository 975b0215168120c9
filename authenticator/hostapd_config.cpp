#include "authenticator/hostapd_config.h"

#include <arpa/inet.h>

#include <algorithm>
#include <span>

namespace lanyard::authenticator {

using config::Site;
using config::Warning;

namespace {

constexpr size_t kMaxSsidLength = 32;  // IEEE 802.11 SSID element
constexpr size_t kMaxInterfaceName = 15;  // IFNAMSIZ - 1
constexpr size_t kMaxNasIdentifier = 253;  // RADIUS attribute payload
constexpr int64_t kMinFragmentSize = 64;
constexpr int64_t kMaxFragmentSize = 16384;
constexpr int64_t kIntMax = 2147483647LL;

// Keys hostapd knows (hostapd/config_file.c, hostapd_config_fill, plus a few
// older ones still in distributions' example files) that Lanyard accepts
// without acting on them yet.
constexpr std::string_view kUnsupportedKeys[] = {
#include "authenticator/hostapd_config.keys.inc"
};

bool contains(std::span<const std::string_view> names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Status check_ip_address(const Site& site, std::string_view value) {
    std::string text(value);
    unsigned char buffer[16];
    if (inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1) {
        return ok_status();
    }
    return site.error("'" + text.substr(0, 64) + "' is not an IPv4 or IPv6 address");
}

Status check_pairwise(const Site& site, const std::vector<config::Cipher>& ciphers) {
    for (config::Cipher c : ciphers) {
        switch (c) {
            case config::Cipher::kCcmp:
            case config::Cipher::kCcmp256:
            case config::Cipher::kGcmp:
            case config::Cipher::kGcmp256:
            case config::Cipher::kTkip:
                break;
            case config::Cipher::kNone:
            case config::Cipher::kWep104:
            case config::Cipher::kWep40:
            case config::Cipher::kGtkNotUsed:
                return site.error(std::string("cipher ") + config::cipher_name(c) +
                                  " is not allowed as a pairwise cipher");
        }
    }
    return ok_status();
}

class HostapdParser {
public:
    HostapdParser(std::string_view text, std::string_view file) : reader_(text, file, config::Dialect::kHostapd) {
        load_.config.file = std::string(file);
    }

    Result<HostapdConfigLoad> run() {
        config::Line line;
        while (reader_.next(&line)) {
            auto kv = config::split_key_value(line.text);
            if (!kv) {
                return reader_.site(line.number).error("expected key=value, got '" +
                                                       std::string(line.text.substr(0, 64)) + "'");
            }
            Site site = reader_.site(line.number, kv->key);
            if (secondary_bss_) {
                // Settings of a further BSS: checked to be hostapd keys, not applied.
                if (!is_known_key(kv->key)) return site.error("unknown setting");
                continue;
            }
            Status s = set(site, kv->value);
            if (!s) return s.error();
            load_.config.lines[std::string(kv->key)] = line.number;
        }
        return std::move(load_);
    }

private:
    static bool is_known_key(std::string_view key);
    Status set(const Site& site, std::string_view value);
    Status set_radius(const Site& site, std::string_view value, std::vector<RadiusServerConfig>* servers,
                      uint16_t default_port);

    void warn(const Site& site, std::string_view message) { load_.warnings.push_back(site.warning(message)); }

    config::LineReader reader_;
    HostapdConfigLoad load_;
    bool secondary_bss_ = false;
};

Status set_text(const Site& site, std::string_view value, std::string* out) {
    LANYARD_TRY(config::check_plain_text(site, value));
    *out = std::string(value);
    return ok_status();
}

template <typename T>
Status set_number(const Site& site, std::string_view value, int64_t min, int64_t max, T* out) {
    auto v = config::parse_integer(site, value, min, max);
    if (!v) return v.error();
    *out = static_cast<T>(*v);
    return ok_status();
}

Status set_flag(const Site& site, std::string_view value, bool* out) {
    auto v = config::parse_flag(site, value);
    if (!v) return v.error();
    *out = *v;
    return ok_status();
}

// The keys Lanyard acts on, in hostapd.conf's order.
const std::string_view kHandledKeys[] = {
    "interface", "bridge", "driver", "logger_syslog", "logger_syslog_level", "logger_stdout",
    "logger_stdout_level", "ctrl_interface", "ctrl_interface_group", "ieee8021x", "eapol_version",
    "eap_server", "eap_user_file", "ca_cert", "server_cert", "private_key", "private_key_passwd",
    "dh_file", "eap_reauth_period", "fragment_size", "tls_session_lifetime", "use_pae_group_addr",
    "eapol_key_index_workaround", "own_ip_addr", "nas_identifier", "auth_server_addr",
    "auth_server_port", "auth_server_shared_secret", "acct_server_addr", "acct_server_port",
    "acct_server_shared_secret", "radius_retry_primary_interval", "radius_server_clients",
    "radius_server_auth_port", "radius_server_ipv6", "tls_session_cache", "tls_session_cache_key",
    "radius_server_workers", "tls_flags", "ssid", "ssid2", "hw_mode", "channel", "wpa",
    "wpa_key_mgmt", "wpa_pairwise", "rsn_pairwise", "ieee80211w", "wpa_group_rekey", "bss", "debug",
    "dump_file",
};

bool HostapdParser::is_known_key(std::string_view key) {
    return contains(kHandledKeys, key) || contains(kUnsupportedKeys, key) || starts_with(key, "tx_queue_") ||
           starts_with(key, "wmm_ac_") || starts_with(key, "wme_ac_");
}

Status HostapdParser::set_radius(const Site& site, std::string_view value, std::vector<RadiusServerConfig>* servers,
                                 uint16_t default_port) {
    std::string_view key = site.key;
    if (key.ends_with("_addr")) {
        LANYARD_TRY(check_ip_address(site, value));
        RadiusServerConfig server;
        server.line = site.line;
        server.address = std::string(value);
        server.port = default_port;
        servers->push_back(std::move(server));
        return ok_status();
    }
    if (servers->empty()) {
        std::string prefix(key.substr(0, key.find("_server_") + 7));
        return site.error("comes before any " + prefix + "_addr line; it applies to the server named above it");
    }
    RadiusServerConfig& server = servers->back();
    if (key.ends_with("_port")) return set_number(site, value, 1, 65535, &server.port);
    // _shared_secret. RFC 2865 §3: the secret must not be empty.
    if (value.empty()) return site.error("empty shared secret is not allowed (RFC 2865 §3)");
    server.shared_secret = SecretBytes(as_bytes(value));
    return ok_status();
}

Status HostapdParser::set(const Site& site, std::string_view value) {
    HostapdConfig& c = load_.config;
    std::string_view key = site.key;

    if (key == "interface") {
        LANYARD_TRY(set_text(site, value, &c.interface));
        if (c.interface.size() > kMaxInterfaceName) return site.error("interface name longer than 15 characters");
    } else if (key == "bridge") {
        LANYARD_TRY(set_text(site, value, &c.bridge));
        if (c.bridge.size() > kMaxInterfaceName) return site.error("bridge name longer than 15 characters");
    } else if (key == "driver") {
        if (value == "nl80211") {
            c.driver = Driver::kNl80211;
        } else if (value == "wired") {
            c.driver = Driver::kWired;
        } else if (value == "none") {
            c.driver = Driver::kNone;
        } else {
            return site.error("driver '" + std::string(value.substr(0, 64)) +
                              "' is not supported (nl80211, wired or none)");
        }
    } else if (key == "logger_syslog") {
        return set_number(site, value, -1, kIntMax, &c.logger_syslog);
    } else if (key == "logger_syslog_level") {
        return set_number(site, value, 0, 4, &c.logger_syslog_level);
    } else if (key == "logger_stdout") {
        return set_number(site, value, -1, kIntMax, &c.logger_stdout);
    } else if (key == "logger_stdout_level") {
        return set_number(site, value, 0, 4, &c.logger_stdout_level);
    } else if (key == "ctrl_interface") {
        std::string group = c.ctrl_interface.group;
        auto ci = config::parse_ctrl_interface(site, value);
        if (!ci) return ci.error();
        c.ctrl_interface = std::move(*ci);
        if (c.ctrl_interface.group.empty()) c.ctrl_interface.group = group;
    } else if (key == "ctrl_interface_group") {
        return set_text(site, value, &c.ctrl_interface.group);
    } else if (key == "ieee8021x") {
        return set_flag(site, value, &c.ieee8021x);
    } else if (key == "eapol_version") {
        return set_number(site, value, 1, 3, &c.eapol_version);
    } else if (key == "eap_server") {
        return set_flag(site, value, &c.eap_server);
    } else if (key == "eap_user_file") {
        return set_text(site, value, &c.eap_user_file);
    } else if (key == "ca_cert") {
        return set_text(site, value, &c.ca_cert);
    } else if (key == "server_cert") {
        return set_text(site, value, &c.server_cert);
    } else if (key == "private_key") {
        return set_text(site, value, &c.private_key);
    } else if (key == "private_key_passwd") {
        c.private_key_passwd = std::string(value);
    } else if (key == "dh_file") {
        return set_text(site, value, &c.dh_file);
    } else if (key == "eap_reauth_period") {
        return set_number(site, value, 0, kIntMax, &c.eap_reauth_period);
    } else if (key == "fragment_size") {
        return set_number(site, value, kMinFragmentSize, kMaxFragmentSize, &c.fragment_size);
    } else if (key == "tls_session_lifetime") {
        return set_number(site, value, 0, kIntMax, &c.tls_session_lifetime);
    } else if (key == "use_pae_group_addr") {
        return set_flag(site, value, &c.use_pae_group_addr);
    } else if (key == "eapol_key_index_workaround") {
        return set_flag(site, value, &c.eapol_key_index_workaround);
    } else if (key == "own_ip_addr") {
        LANYARD_TRY(check_ip_address(site, value));
        c.own_ip_addr = std::string(value);
    } else if (key == "nas_identifier") {
        LANYARD_TRY(set_text(site, value, &c.nas_identifier));
        if (c.nas_identifier.size() > kMaxNasIdentifier) return site.error("longer than 253 octets");
    } else if (key == "auth_server_addr" || key == "auth_server_port" || key == "auth_server_shared_secret") {
        return set_radius(site, value, &c.auth_servers, 1812);
    } else if (key == "acct_server_addr" || key == "acct_server_port" || key == "acct_server_shared_secret") {
        return set_radius(site, value, &c.acct_servers, 1813);
    } else if (key == "radius_retry_primary_interval") {
        return set_number(site, value, 0, kIntMax, &c.radius_retry_primary_interval);
    } else if (key == "radius_server_clients") {
        return set_text(site, value, &c.radius_server_clients);
    } else if (key == "radius_server_auth_port") {
        return set_number(site, value, 1, 65535, &c.radius_server_auth_port);
    } else if (key == "radius_server_ipv6") {
        return set_flag(site, value, &c.radius_server_ipv6);
    } else if (key == "tls_flags") {
        // hostapd: [ENABLE-TLSv1.3] (off by default for the EAP server),
        // [DISABLE-TLSv1.x]; other flags are accepted and ignored.
        static const std::pair<const char*, int> kFlags[] = {
            {"[ENABLE-TLSv1.3]", 13}, {"[DISABLE-TLSv1.3]", -13}, {"[DISABLE-TLSv1.2]", -12},
            {"[DISABLE-TLSv1.1]", -11}, {"[DISABLE-TLSv1.0]", -10}};
        for (const auto& [flag, what] : kFlags) {
            if (value.find(flag) == std::string_view::npos) continue;
            if (what == 13) c.tls_enable_v13 = true;
            if (what == -13) c.tls_enable_v13 = false;
            if (what == -12) c.tls_disable_v12 = true;
        }
        if (c.tls_disable_v12 && !c.tls_enable_v13)
            return site.error("[DISABLE-TLSv1.2] leaves no TLS version: add [ENABLE-TLSv1.3]");
    } else if (key == "tls_session_cache") {
        // Lanyard's own (hostapd has no such key): "memory" or a redis:// URL.
        if (value != "memory" && value.rfind("redis://", 0) != 0)
            return site.error("must be 'memory' or a redis://HOST[:PORT][/DB] URL");
        c.tls_session_cache = std::string(value);
    } else if (key == "tls_session_cache_key") {
        return set_text(site, value, &c.tls_session_cache_key);
    } else if (key == "radius_server_workers") {
        return set_number(site, value, 0, 256, &c.radius_server_workers);
    } else if (key == "ssid") {
        // hostapd takes the value verbatim: ssid=my net is "my net".
        if (value.empty() || value.size() > kMaxSsidLength) return site.error("SSID must be 1..32 octets");
        c.ssid = std::string(value);
    } else if (key == "ssid2") {
        auto s = config::parse_wpa_string(site, value);
        if (!s) return s.error();
        if (s->empty() || s->size() > kMaxSsidLength) return site.error("SSID must be 1..32 octets");
        c.ssid = std::move(*s);
    } else if (key == "hw_mode") {
        if (value == "a") {
            c.hw_mode = HwMode::kA;
        } else if (value == "b") {
            c.hw_mode = HwMode::kB;
        } else if (value == "g") {
            c.hw_mode = HwMode::kG;
        } else if (value == "ad") {
            c.hw_mode = HwMode::kAd;
        } else if (value == "any") {
            c.hw_mode = HwMode::kAny;
        } else {
            return site.error("unknown hw_mode '" + std::string(value.substr(0, 64)) + "' (a, b, g, ad, any)");
        }
    } else if (key == "channel") {
        if (value == "acs_survey") {
            c.channel = 0;
        } else {
            LANYARD_TRY(set_number(site, value, 0, 255, &c.channel));
        }
        if (c.channel == 0) warn(site, "automatic channel selection is not yet supported");
    } else if (key == "wpa") {
        return set_number(site, value, 0, 3, &c.wpa);
    } else if (key == "wpa_key_mgmt") {
        auto list = config::parse_key_mgmt_list(site, value);
        if (!list) return list.error();
        for (config::KeyMgmt k : *list) {
            if (k != config::KeyMgmt::kWpaEap && k != config::KeyMgmt::kWpaEapSha256) {
                warn(site, std::string("key management ") + config::key_mgmt_name(k) + " is not yet supported");
            }
        }
        c.wpa_key_mgmt = std::move(*list);
    } else if (key == "wpa_pairwise" || key == "rsn_pairwise") {
        auto list = config::parse_cipher_list(site, value);
        if (!list) return list.error();
        LANYARD_TRY(check_pairwise(site, *list));
        (key == "wpa_pairwise" ? c.wpa_pairwise : c.rsn_pairwise) = std::move(*list);
    } else if (key == "ieee80211w") {
        return set_number(site, value, 0, 2, &c.ieee80211w);
    } else if (key == "wpa_group_rekey") {
        return set_number(site, value, 0, kIntMax, &c.wpa_group_rekey);
    } else if (key == "bss") {
        warn(site, "multiple BSSes are not yet supported; the settings from here to the end of the file are ignored");
        secondary_bss_ = true;
    } else if (key == "debug" || key == "dump_file") {
        warn(site, "deprecated in hostapd; ignored");
    } else if (is_known_key(key)) {
        warn(site, "not yet supported; ignored");
    } else {
        return site.error("unknown setting");
    }
    return ok_status();
}

Error error_at(const HostapdConfig& c, std::string_view key, std::string_view message) {
    return Site{c.file, c.line_of(key), key}.error(message);
}

}  // namespace

size_t HostapdConfig::line_of(std::string_view key) const {
    auto it = lines.find(key);
    return it == lines.end() ? 0 : it->second;
}

Result<HostapdConfigLoad> parse_hostapd_config(std::string_view text, std::string_view file_name) {
    return HostapdParser(text, file_name).run();
}

Result<HostapdConfigLoad> load_hostapd_config(const std::string& path) {
    auto text = config::read_config_file(path);
    if (!text) return text.error();
    return parse_hostapd_config(*text, path);
}

Status validate(const HostapdConfig& c) {
    if (c.ieee8021x && !c.eap_server && c.auth_servers.empty()) {
        return error_at(c, "ieee8021x",
                        "IEEE 802.1X needs eap_server=1 (integrated EAP server) or an auth_server_addr (RADIUS)");
    }
    if (c.eap_server && c.eap_user_file.empty()) {
        return error_at(c, "eap_server", "the integrated EAP server needs an eap_user_file");
    }
    if (!c.server_cert.empty() && c.private_key.empty()) {
        return error_at(c, "server_cert", "server_cert is set but private_key is not");
    }
    if (c.server_cert.empty() && !c.private_key.empty()) {
        return error_at(c, "private_key", "private_key is set but server_cert is not");
    }
    for (const auto* servers : {&c.auth_servers, &c.acct_servers}) {
        for (const RadiusServerConfig& s : *servers) {
            if (s.shared_secret.empty()) {
                std::string key = servers == &c.auth_servers ? "auth_server_addr" : "acct_server_addr";
                return Site{c.file, s.line, key}.error("RADIUS server " + s.address + " has no shared secret");
            }
        }
    }
    if (c.tls_session_cache != "memory" && c.tls_session_cache_key.empty()) {
        return error_at(c, "tls_session_cache",
                        "a shared session cache needs tls_session_cache_key (a file with 64 hex digits every server shares)");
    }
    if (c.driver != Driver::kNone && c.interface.empty()) {
        return Site{c.file, 0, "interface"}.error("no interface= set");
    }
    return ok_status();
}

tls::Config tls_server_config(const HostapdConfig& c) {
    tls::Config t;
    t.role = tls::Role::kServer;
    t.ca_file = c.ca_cert;
    t.cert_file = c.server_cert;
    t.key_file = c.private_key;
    t.key_password = c.private_key_passwd;
    t.session_lifetime_seconds = c.tls_session_lifetime;
    // hostapd 2.10's EAP server speaks TLS 1.2 unless tls_flags enables 1.3
    // (peers, wpa_supplicant included, do the same by default).
    t.min_version = c.tls_disable_v12 ? tls::Version::kTls13 : tls::Version::kTls12;
    t.max_version = c.tls_enable_v13 ? tls::Version::kTls13 : tls::Version::kTls12;
    return t;
}

}  // namespace lanyard::authenticator
