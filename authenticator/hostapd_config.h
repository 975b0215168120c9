// hostapd.conf, read as hostapd reads it (hostapd/config_file.c semantics):
// one key=value a line, '#' comments in column 0, values taken verbatim.
//
// Keys Lanyard acts on are parsed and validated into HostapdConfig; keys
// hostapd knows but Lanyard does not act on yet are accepted and listed in
// `warnings`; any other key is an error naming file, line and key. The
// eap_user file is only named here: load it with load_eap_user_file()
// (authenticator/eap_user_file.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_lexer.h"
#include "common/result.h"
#include "common/secret.h"
#include "methods/eap_types.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

enum class Driver { kNl80211, kWired, kNone };  // driver=none: RADIUS server only
enum class HwMode { kA, kB, kG, kAd, kAny };

// One auth_server_* or acct_server_* group: _addr starts a new server and
// the _port and _shared_secret lines after it apply to it.
struct RadiusServerConfig {
    size_t line = 0;        // line of *_server_addr
    std::string address;    // IPv4 or IPv6 literal
    uint16_t port = 0;      // 1812 (auth) or 1813 (acct) unless set
    SecretBytes shared_secret;
};

struct HostapdConfig {
    std::string file;  // the name given to the parser, for later messages
    // The line where each key was last set, so later errors ("cannot load
    // server_cert") can name file:line too.
    std::map<std::string, size_t, std::less<>> lines;
    size_t line_of(std::string_view key) const;

    // Interface and driver.
    std::string interface;
    std::string bridge;
    Driver driver = Driver::kNl80211;
    // Logging (accepted; the daemon maps them onto its own logger).
    int logger_syslog = -1;
    int logger_syslog_level = 2;
    int logger_stdout = -1;
    int logger_stdout_level = 2;
    config::CtrlInterface ctrl_interface;

    // IEEE 802.1X and the integrated EAP server.
    bool ieee8021x = false;
    int eapol_version = 2;
    bool eap_server = false;
    std::string eap_user_file;
    std::string ca_cert;
    std::string server_cert;
    std::string private_key;
    std::string private_key_passwd;
    std::string dh_file;                 // accepted; TLS backends pick ECDHE groups themselves
    unsigned eap_reauth_period = 3600;   // seconds; 0 disables reauthentication
    size_t fragment_size = 1398;         // EAP-TLS/PEAP fragment size (hostapd's fragment_size)
    unsigned tls_session_lifetime = 0;   // seconds; 0 disables TLS session resumption
    bool tls_enable_v13 = false;         // tls_flags=[ENABLE-TLSv1.3] (hostapd: off by default)
    bool tls_disable_v12 = false;        // tls_flags=[DISABLE-TLSv1.2]
    bool use_pae_group_addr = false;
    bool eapol_key_index_workaround = false;

    // RADIUS client (parsed now; used by the RADIUS issue).
    std::string own_ip_addr = "127.0.0.1";
    std::string nas_identifier;
    std::vector<RadiusServerConfig> auth_servers;
    std::vector<RadiusServerConfig> acct_servers;
    int radius_retry_primary_interval = 0;
    // RADIUS server (driver=none).
    std::string radius_server_clients;
    uint16_t radius_server_auth_port = 1812;
    bool radius_server_ipv6 = false;
    // Lanyard's own keys (hostapd has none; see README "Shared TLS session
    // cache"): where resumable TLS sessions live ("memory", or
    // redis://HOST[:PORT][/DB] shared by several servers), the file with the
    // key that seals them (64 hex digits, the same on every server; required
    // with Redis), and the RADIUS server's worker threads (0: one per core).
    std::string tls_session_cache = "memory";
    std::string tls_session_cache_key;
    unsigned radius_server_workers = 0;

    // Wireless (nl80211) settings.
    std::string ssid;                    // raw octets (1..32); empty: not set
    HwMode hw_mode = HwMode::kB;
    int channel = 0;                     // 0: automatic channel selection
    int wpa = 0;                         // bit 0: WPA, bit 1: RSN (WPA2)
    std::vector<config::KeyMgmt> wpa_key_mgmt{config::KeyMgmt::kWpaPsk};
    std::vector<config::Cipher> wpa_pairwise{config::Cipher::kTkip};
    std::vector<config::Cipher> rsn_pairwise;  // empty: same as wpa_pairwise
    int ieee80211w = 0;                  // 0 off, 1 optional, 2 required
    int wpa_group_rekey = 600;           // seconds
};

struct HostapdConfigLoad {
    HostapdConfig config;
    std::vector<config::Warning> warnings;  // "not yet supported" and similar; log them
};

// Parses the text of a hostapd.conf; file_name is only used in messages.
Result<HostapdConfigLoad> parse_hostapd_config(std::string_view text, std::string_view file_name);
// Reads and parses a file.
Result<HostapdConfigLoad> load_hostapd_config(const std::string& path);

// Cross-key checks, as hostapd_config_check does: IEEE 802.1X needs an EAP
// server or a RADIUS server; the EAP server needs an eap_user_file; a server
// certificate needs its private key; a RADIUS server needs a shared secret.
Status validate(const HostapdConfig& config);

// The server-side TLS settings (ca_cert verifies client certificates for
// EAP-TLS; server_cert and private_key are ours).
tls::Config tls_server_config(const HostapdConfig& config);

}  // namespace lanyard::authenticator
