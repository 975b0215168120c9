// wpa_supplicant.conf, read as wpa_supplicant reads it (wpa_supplicant/
// config_file.c semantics): global settings, then network={...} blocks.
//
// Three kinds of keys:
//  - keys Lanyard acts on are parsed and validated into the structs below;
//  - keys wpa_supplicant knows but Lanyard does not act on yet are accepted
//    and reported in `warnings` ("not yet supported"), so a file written for
//    wpa_supplicant loads unchanged and the daemon logs what it ignores;
//  - any other key is an error naming file, line and key, as in
//    wpa_supplicant.
// A broken file is one Error and no config at all.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/config_lexer.h"
#include "common/result.h"
#include "methods/eap_config.h"
#include "tls/tls_engine.h"

namespace lanyard::supplicant {

enum class Proto { kWpa, kRsn, kOsen, kWapi };  // proto=WPA RSN (WPA2 is RSN)

struct WpaGlobals {
    config::CtrlInterface ctrl_interface;  // ctrl_interface= (and ctrl_interface_group=)
    int ap_scan = 1;                       // 0: driver/wired, 1: scan, 2: driver's own
    int eapol_version = 1;                 // 1..3
    bool fast_reauth = true;
    bool update_config = false;            // accepted; Lanyard never rewrites the file
    std::string country;                   // ISO 3166-1 alpha-2, or empty
};

// One network={...} block.
struct NetworkBlock {
    size_t line = 0;  // line of "network={"
    std::string ssid; // raw octets (0..32)
    bool scan_ssid = false;
    // Defaults as in wpa_supplicant: WPA-PSK WPA-EAP, WPA RSN, CCMP TKIP.
    std::vector<config::KeyMgmt> key_mgmt{config::KeyMgmt::kWpaPsk, config::KeyMgmt::kWpaEap};
    std::vector<Proto> proto{Proto::kWpa, Proto::kRsn};
    std::vector<config::Cipher> pairwise{config::Cipher::kCcmp, config::Cipher::kTkip};
    std::vector<config::Cipher> group{config::Cipher::kCcmp, config::Cipher::kTkip};
    int eapol_flags = 3;                 // bit 0: dynamic unicast WEP, bit 1: broadcast WEP
    std::optional<int> ieee80211w;       // 0 off, 1 optional, 2 required; unset: global pmf
    int priority = 0;
    int disabled = 0;                    // 0, 1, or 2 (P2P persistent group)
    std::string id_str;
    // Stored so a later issue can enforce them; Lanyard does not check them yet.
    std::string subject_match;
    std::string altsubject_match;

    eap::PeerCredentials eap;            // eap=, identity=, password=, certificates, phase1/2

    // The line where each key of the block was last set (eap, ca_cert, ...),
    // so later errors can name file:line too. 0: not set.
    std::map<std::string, size_t, std::less<>> lines;
    size_t line_of(std::string_view key) const;

    bool has_key_mgmt(config::KeyMgmt k) const;
    // key_mgmt holds a suite that runs EAP (IEEE8021X, WPA-EAP, ...).
    bool uses_eap() const;
    // The allowed methods include one that runs TLS and must validate the
    // server (TLS, PEAP, TTLS, FAST, TEAP); true when eap= is not set.
    bool allows_tls_method() const;
};

struct WpaConfig {
    std::string file;  // the name given to the parser, for later messages
    WpaGlobals globals;
    std::vector<NetworkBlock> networks;
};

struct WpaConfigLoad {
    WpaConfig config;
    std::vector<config::Warning> warnings;  // "not yet supported" and similar; log them
};

// Parses the text of a wpa_supplicant.conf; file_name is only used in messages.
Result<WpaConfigLoad> parse_wpa_config(std::string_view text, std::string_view file_name);
// Reads and parses a file.
Result<WpaConfigLoad> load_wpa_config(const std::string& path);

struct ValidateOptions {
    // Security default: a network that may run a TLS-based method must name
    // a ca_cert so the server certificate is validated. Only an explicit
    // operator choice (a daemon command-line switch, never the config file,
    // which must stay wpa_supplicant's) turns this check off.
    bool allow_unvalidated_server = false;
};

// Checks that need the whole config: a TLS method without ca_cert (unless
// options.allow_unvalidated_server). Errors name the file, the line of the
// network block or its eap= line, and the key.
Status validate(const WpaConfig& config, const ValidateOptions& options = {});

// The client-side TLS settings of a network block (phase 1): ca_cert,
// client_cert, private_key (+passwd), domain_match, domain_suffix_match.
// With no ca_cert, verify_peer is off only if options allow it; otherwise
// this is the same error validate() reports.
Result<tls::Config> tls_client_config(const WpaConfig& config, const NetworkBlock& network,
                                      const ValidateOptions& options = {});

}  // namespace lanyard::supplicant
