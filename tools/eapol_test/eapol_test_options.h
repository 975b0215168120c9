// lanyard-eapol-test's command line: Debian eapol_test's options (-c -a -p
// -s -r -t -n -M -C -A -v, getopt style) plus the load generator's long
// options. Pure: parsing never prints or exits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard::eapol_test {

struct ServerAddress {
    std::string host;  // numeric IPv4 or IPv6, no brackets
    uint16_t port = 1812;

    friend bool operator==(const ServerAddress&, const ServerAddress&) = default;
};

struct Options {
    // ---- eapol_test compatible ----
    std::string config_file;                 // -c
    std::string server = "127.0.0.1";        // -a (eapol_test default)
    uint16_t port = 1812;                    // -p
    std::string secret = "radius";          // -s (eapol_test default)
    unsigned reauths = 0;                    // -r: authentications after the first
    unsigned timeout_seconds = 30;           // -t
    bool no_mppe_keys = false;               // -n
    MacAddress station = MacAddress({0x02, 0, 0, 0, 0, 0x01});  // -M (Calling-Station-Id)
    std::string connect_info = "CONNECT 11Mbps 802.11b";        // -C
    std::string client_ip;                   // -A: local address the sockets bind to (default: any)
    bool show_version = false;               // -v
    bool show_help = false;                  // -h, --help
    unsigned debug = 0;                      // -d (repeatable): log level

    // ---- load generator ----
    std::optional<unsigned> concurrency;     // --concurrency C: simulated stations
    std::optional<uint64_t> count;           // --count N: authentications in total
    std::vector<ServerAddress> servers;      // --servers A:P,A:P (overrides -a/-p)
    bool no_resume = false;                  // --no-resume: never offer a cached TLS session
    bool warmup = false;                     // --warmup: one untimed authentication per station first
    unsigned stations_per_socket = 64;       // --stations-per-socket
    unsigned retransmit_ms = 3000;           // --retransmit-ms: first RADIUS retransmission (RFC 5080)
    unsigned max_attempts = 4;               // --max-attempts: transmissions per request
    bool allow_unvalidated_server = false;   // --allow-unvalidated-server (no ca_cert)
    bool quiet = false;                      // -q: only the summary lines

    // True when any load-generator option was given: per-authentication
    // timeouts and the statistics block instead of eapol_test's single run.
    bool load_mode() const { return concurrency || count || !servers.empty(); }
    // The servers to use: --servers, else -a/-p.
    std::vector<ServerAddress> effective_servers() const;
    // Authentications in total: --count, else 1 + reauths (eapol_test).
    uint64_t total_authentications() const;
    unsigned stations() const;
};

// Parses argv without argv[0]. Values are validated (ports 1..65535, MAC,
// numbers); unknown options are errors naming the option.
Result<Options> parse_options(const std::vector<std::string>& args);

// "127.0.0.1:1812", "[::1]:1812", "10.0.0.1" (port 1812), comma-separated.
Result<std::vector<ServerAddress>> parse_server_list(const std::string& text);

std::string usage_text();

}  // namespace lanyard::eapol_test
