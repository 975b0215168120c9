// lanyard-eapol-test: Debian eapol_test's RADIUS/EAP client (same options,
// the same "MPPE keys OK" and SUCCESS/FAILURE lines and exit status) and a
// concurrent load generator for RADIUS servers. See --help.
#include <cstdio>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "common/log.h"
#include "common/random.h"
#include "common/version.h"
#include "supplicant/peer_setup.h"
#include "supplicant/wpa_config.h"
#include "tools/eapol_test/eapol_test_options.h"
#include "tools/eapol_test/load_runner.h"
#include "tools/eapol_test/summary.h"

using namespace lanyard;
using namespace lanyard::eapol_test;

namespace {

// eapol_test returns -1 for usage and configuration errors.
constexpr int kExitConfig = 255;

std::string version_line() {
    return std::string("lanyard-eapol-test ") + LANYARD_VERSION + " (TLS backend: " + tls::backend_name() + ")";
}

int fail(const std::string& message) {
    std::printf("%s\n", message.c_str());
    std::fflush(stdout);
    return kExitConfig;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    if (!options) {
        std::printf("%s", usage_text().c_str());
        return fail(options.error().detail);
    }
    if (options->show_help) {
        std::printf("%s\n%s", version_line().c_str(), usage_text().c_str());
        return 0;
    }
    if (options->show_version) {
        std::printf("%s\n", version_line().c_str());
        return 0;
    }
    set_log_level(options->debug >= 2 ? LogLevel::kDebug : options->debug == 1 ? LogLevel::kInfo : LogLevel::kWarning);

    auto loaded = supplicant::load_wpa_config(options->config_file);
    if (!loaded) return fail("Failed to parse configuration file '" + options->config_file + "': " +
                             loaded.error().detail);
    for (const config::Warning& w : loaded->warnings) LOG_INFO("eapol_test", "%s", w.to_string().c_str());
    const supplicant::WpaConfig& config = loaded->config;
    if (config.networks.empty()) return fail("No networks defined.");
    // eapol_test uses the first network block.
    const supplicant::NetworkBlock& network = config.networks.front();
    supplicant::ValidateOptions validate_options;
    validate_options.allow_unvalidated_server = options->allow_unvalidated_server;
    if (auto v = supplicant::validate(config, validate_options); !v) return fail(v.error().detail);
    auto tls = supplicant::make_network_tls_context(config, network, validate_options);
    if (!tls) return fail(tls.error().detail);

    StationSettings settings;
    settings.credentials = &network.eap;
    settings.tls = tls->get();
    settings.random = &SystemRandom::instance();
    settings.offer_cached_session = !options->no_resume;
    settings.no_mppe_keys = options->no_mppe_keys;
    settings.connect_info = options->connect_info;
    RunConfig run;
    for (const ServerAddress& s : options->effective_servers()) {
        auto address = SocketAddress::parse(s.host, s.port);
        if (!address) return fail("Invalid IP address '" + s.host + "'");
        run.servers.push_back(*address);
    }
    run.secret = SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(options->secret.data()), options->secret.size()));
    run.stations = options->stations();
    run.total = options->total_authentications();
    run.stations_per_socket = options->stations_per_socket;
    run.retransmit.initial_timeout = Duration(options->retransmit_ms);
    run.retransmit.max_timeout = Duration(options->retransmit_ms * 8);
    run.retransmit.attempts_per_server = options->max_attempts;
    run.retransmit.max_attempts = options->max_attempts;
    run.retransmit.max_pending = 256;
    run.warmup = options->warmup;
    run.base_mac = options->station;
    run.bind_address = options->client_ip;
    const bool load = options->load_mode();
    run.auth_timeout = seconds(options->timeout_seconds);
    if (!load) run.run_timeout = seconds(options->timeout_seconds);

    auto loop = EventLoop::create();
    if (!loop) return fail(loop.error().to_string());
    auto runner = LoadRunner::create(**loop, settings, std::move(run));
    if (!runner) return fail(runner.error().to_string());

    uint64_t number = 0;
    const bool quiet = options->quiet;
    (*runner)->set_observer([&number, quiet, load](const OutcomeEvent& e) {
        ++number;
        // Every authentication in eapol_test mode; only failures under load.
        const bool failed = e.outcome->result != AuthResult::kAccept;
        if (quiet || (load && !failed)) return;
        std::printf("%s\n", outcome_line(number, e).c_str());
    });
    if (auto st = (*runner)->run(); !st) return fail(st.error().to_string());

    const RunStats& stats = (*runner)->stats();
    const uint64_t total = options->total_authentications();
    if (load) std::printf("%s", load_summary(stats, options->stations(), options->effective_servers().size()).c_str());
    if ((*runner)->run_timed_out()) std::printf("EAPOL test timed out\n");
    std::printf("%s", closing_lines(stats, total).c_str());
    std::fflush(stdout);
    return exit_status(stats, total, (*runner)->run_timed_out());
}
