#include "tools/eapol_test/eapol_test_options.h"

#include <charconv>
#include <limits>

#include "common/cmdline.h"

namespace lanyard::eapol_test {

namespace {

// A decimal number in [low, high]; the whole text must be digits.
template <typename T>
Result<T> parse_number(const std::string& text, T low, T high, const std::string& what) {
    uint64_t v = 0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, v);
    if (text.empty() || ec != std::errc() || ptr != last || v < low || v > high) {
        return make_error(ErrorCode::kConfig, what + ": '" + text + "' is not a number in " + std::to_string(low) +
                                                  ".." + std::to_string(high));
    }
    return static_cast<T>(v);
}

}  // namespace

Result<std::vector<ServerAddress>> parse_server_list(const std::string& text) {
    std::vector<ServerAddress> out;
    // Bounded: each item consumes at least one character of the text.
    constexpr size_t kMaxServers = 64;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        std::string item = text.substr(pos, comma - pos);
        pos = comma + 1;
        if (item.empty()) return make_error(ErrorCode::kConfig, "--servers: empty entry in '" + text + "'");
        ServerAddress s;
        std::string port_text;
        if (item[0] == '[') {
            const size_t close = item.find(']');
            if (close == std::string::npos || close == 1)
                return make_error(ErrorCode::kConfig, "--servers: bad IPv6 entry '" + item + "'");
            s.host = item.substr(1, close - 1);
            if (close + 1 < item.size()) {
                if (item[close + 1] != ':') return make_error(ErrorCode::kConfig, "--servers: bad entry '" + item + "'");
                port_text = item.substr(close + 2);
                if (port_text.empty()) return make_error(ErrorCode::kConfig, "--servers: empty port in '" + item + "'");
            }
        } else {
            const size_t colon = item.find(':');
            if (colon != std::string::npos && item.find(':', colon + 1) != std::string::npos) {
                s.host = item;  // a bare IPv6 address: no port
            } else if (colon != std::string::npos) {
                s.host = item.substr(0, colon);
                port_text = item.substr(colon + 1);
                if (port_text.empty()) return make_error(ErrorCode::kConfig, "--servers: empty port in '" + item + "'");
            } else {
                s.host = item;
            }
        }
        if (s.host.empty()) return make_error(ErrorCode::kConfig, "--servers: empty address in '" + item + "'");
        if (!port_text.empty()) {
            auto p = parse_number<uint16_t>(port_text, 1, 65535, "--servers port");
            if (!p) return p.error();
            s.port = *p;
        }
        if (out.size() >= kMaxServers)
            return make_error(ErrorCode::kLimit, "--servers: more than " + std::to_string(kMaxServers) + " servers");
        out.push_back(std::move(s));
        if (comma == text.size()) break;
    }
    return out;
}

std::vector<ServerAddress> Options::effective_servers() const {
    if (!servers.empty()) return servers;
    return {ServerAddress{server, port}};
}

uint64_t Options::total_authentications() const { return count ? *count : uint64_t(reauths) + 1; }

unsigned Options::stations() const {
    const unsigned c = concurrency ? *concurrency : 1;
    const uint64_t total = total_authentications();
    return static_cast<unsigned>(std::min<uint64_t>(c, total == 0 ? 1 : total));
}

Result<Options> parse_options(const std::vector<std::string>& args) {
    Options o;
    auto number = [](auto* target, auto low, auto high, const char* what) {
        using T = std::remove_pointer_t<decltype(target)>;
        return [target, low, high, what](const std::string& v) -> Status {
            auto n = parse_number<T>(v, static_cast<T>(low), static_cast<T>(high), what);
            if (!n) return n.error();
            *target = *n;
            return ok_status();
        };
    };
    auto text = [](std::string* target) {
        return [target](const std::string& v) -> Status {
            *target = v;
            return ok_status();
        };
    };
    auto flag = [](bool* target) {
        return [target](const std::string&) -> Status {
            *target = true;
            return ok_status();
        };
    };
    unsigned concurrency = 0;
    uint64_t count = 0;
    bool have_concurrency = false, have_count = false;
    std::vector<CmdlineOption> options = {
        {'c', "", true, text(&o.config_file)},
        {'a', "", true, text(&o.server)},
        {'p', "", true, number(&o.port, 1, 65535, "-p")},
        {'s', "", true, text(&o.secret)},
        {'r', "", true, number(&o.reauths, 0, 1000000, "-r")},
        {'t', "", true, number(&o.timeout_seconds, 1, 86400, "-t")},
        {'n', "", false, flag(&o.no_mppe_keys)},
        {'M', "", true,
         [&o](const std::string& v) -> Status {
             auto mac = MacAddress::parse(v);
             if (!mac) return make_error(ErrorCode::kConfig, "-M: '" + v + "' is not a MAC address");
             o.station = *mac;
             return ok_status();
         }},
        {'C', "", true, text(&o.connect_info)},
        {'A', "", true, text(&o.client_ip)},
        {'v', "version", false, flag(&o.show_version)},
        {'h', "help", false, flag(&o.show_help)},
        {'d', "", false,
         [&o](const std::string&) -> Status {
             ++o.debug;
             return ok_status();
         }},
        {'q', "quiet", false, flag(&o.quiet)},
        {0, "concurrency", true,
         [&](const std::string& v) -> Status {
             LANYARD_TRY(number(&concurrency, 1, 100000, "--concurrency")(v));
             have_concurrency = true;
             return ok_status();
         }},
        {0, "count", true,
         [&](const std::string& v) -> Status {
             LANYARD_TRY(number(&count, 1, 1000000000, "--count")(v));
             have_count = true;
             return ok_status();
         }},
        {0, "servers", true,
         [&o](const std::string& v) -> Status {
             auto list = parse_server_list(v);
             if (!list) return list.error();
             o.servers = std::move(*list);
             return ok_status();
         }},
        {0, "no-resume", false, flag(&o.no_resume)},
        {0, "warmup", false, flag(&o.warmup)},
        {0, "stations-per-socket", true, number(&o.stations_per_socket, 1, 255, "--stations-per-socket")},
        {0, "retransmit-ms", true, number(&o.retransmit_ms, 10, 60000, "--retransmit-ms")},
        {0, "max-attempts", true, number(&o.max_attempts, 1, 20, "--max-attempts")},
        {0, "allow-unvalidated-server", false, flag(&o.allow_unvalidated_server)},
    };
    LANYARD_TRY(parse_cmdline(args, options, [](const std::string& p) -> Status {
        return make_error(ErrorCode::kConfig, "unexpected argument '" + p + "'");
    }));
    if (have_concurrency) o.concurrency = concurrency;
    if (have_count) o.count = count;
    if (!o.show_help && !o.show_version && o.config_file.empty())
        return make_error(ErrorCode::kConfig, "Configuration file is required (-c).");
    return o;
}

std::string usage_text() {
    return "usage:\n"
           "lanyard-eapol-test [-nvqd] -c<conf> [-a<AS IP>] [-p<AS port>] [-s<AS secret>]\\\n"
           "           [-r<count>] [-t<timeout>] [-C<Connect-Info>] [-M<client MAC address>]\\\n"
           "           [-A<client IP>] [load-generator options]\n"
           "\n"
           "options (as Debian's eapol_test):\n"
           "  -c<conf> = configuration file (wpa_supplicant.conf; the first network block)\n"
           "  -a<AS IP> = IP address of the authentication server, default 127.0.0.1\n"
           "  -p<AS port> = UDP port of the authentication server, default 1812\n"
           "  -s<AS secret> = shared secret with the authentication server, default 'radius'\n"
           "  -A<client IP> = IP address of the client (the sockets bind to it), default:\n"
           "                  select automatically; NAS-IP-Address is 127.0.0.1 as in eapol_test\n"
           "  -r<count> = number of re-authentications (each offers the cached TLS session)\n"
           "  -n = no MPPE keys expected\n"
           "  -v = show version\n"
           "  -t<timeout> = timeout in seconds (default: 30 s): the whole run; with the\n"
           "                load options, each authentication\n"
           "  -C<Connect-Info> = RADIUS Connect-Info (default: CONNECT 11Mbps 802.11b)\n"
           "  -M<client MAC address> = own MAC address (Calling-Station-Id,\n"
           "                           default: 02:00:00:00:00:01); load stations count up from it\n"
           "  -d = more debug output on stderr (repeat for more); -q = summary lines only\n"
           "  not supported: -N (extra attributes), -e, -o, -W, -S, -R, -P, -i, -T, scard, sim\n"
           "\n"
           "load generator (any of these selects load mode):\n"
           "  --concurrency C     C simulated stations at once, each its own EAP peer, TLS\n"
           "                      session cache and Calling-Station-Id (default 1)\n"
           "  --count N           N authentications in total (default: 1 + -r); each station\n"
           "                      authenticates again as soon as its last one ended\n"
           "  --servers A:P,A:P   RADIUS servers; a station's successive authentications go\n"
           "                      round-robin through the list (roaming); [v6]:port works\n"
           "  --no-resume         never offer a cached TLS session (full handshakes only)\n"
           "  --warmup            one untimed authentication per station first (so that a\n"
           "                      resumption run measures resumed handshakes only)\n"
           "  --stations-per-socket K   stations sharing one UDP socket (default 64, max 255:\n"
           "                      each socket has 256 RADIUS Identifiers per server)\n"
           "  --retransmit-ms MS  first retransmission timeout, doubled per retry (default 3000)\n"
           "  --max-attempts N    transmissions of one request before giving up (default 4)\n"
           "  --allow-unvalidated-server   run TLS methods without ca_cert (insecure)\n"
           "  Load mode prints: authentications/s, p50/p99/max latency, successes/failures,\n"
           "  resumed count, retransmissions, dropped responses and this program's own CPU\n"
           "  time per authentication, then the MPPE and SUCCESS/FAILURE lines.\n"
           "\n"
           "exit status (as eapol_test): 0 SUCCESS; 252 (-4) a key mismatch or any failed\n"
           "authentication (eapol_test counts every failure as a mismatch); 254 (-2) the run\n"
           "timed out otherwise; 255 (-1) usage or configuration error\n";
}

}  // namespace lanyard::eapol_test
