// lanyard-supplicant: wired IEEE 802.1X supplicant with wpa_supplicant's
// command line, configuration file and control interface.
#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/daemon.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "drivers/pcap/capture_driver.h"
#include "drivers/nl80211/station_driver.h"
#include "drivers/wired/wired_driver.h"
#include "supplicant/network_select.h"
#include "supplicant/nl80211_wifi_link.h"
#include "supplicant/supplicant_daemon.h"
#include "supplicant/supplicant_options.h"
#include "supplicant/wpa_config.h"

using namespace lanyard;
using namespace lanyard::supplicant;

namespace {

bool g_log_to_file = false;

// Errors reach the terminal, and the log file too when there is one.
int fail(const std::string& message) {
    std::fprintf(stderr, "lanyard-supplicant: %s\n", message.c_str());
    if (g_log_to_file) LOG_ERROR("supplicant", "%s", message.c_str());
    return 1;
}

Result<DaemonSetup> load_setup(const SupplicantOptions& options) {
    auto loaded = load_wpa_config(options.config_file);
    if (!loaded) return loaded.error();
    for (const config::Warning& w : loaded->warnings) LOG_WARN("supplicant", "%s", w.to_string().c_str());
    ValidateOptions validate_options;
    validate_options.allow_unvalidated_server = options.allow_unvalidated_server;
    LANYARD_TRY(validate(loaded->config, validate_options));
    auto network = options.driver == DriverKind::kNl80211 ? select_wifi_network(loaded->config)
                                                          : select_wired_network(loaded->config);
    if (!network) return network.error();

    DaemonSetup setup;
    setup.config = std::move(loaded->config);
    setup.network_id = *network;
    setup.validate = validate_options;
    if (options.allow_unvalidated_server) {
        LOG_WARN("supplicant", "--allow-unvalidated-server: TLS servers are NOT validated (insecure)");
    }
    const config::CtrlInterface& ci = setup.config.globals.ctrl_interface;
    std::string dir = options.ctrl_dir.empty() ? ci.dir : options.ctrl_dir;
    if (!dir.empty()) {
        CtrlSocketConfig ctrl;
        ctrl.dir = dir;
        if (!ci.group.empty()) ctrl.group = ci.group;
        setup.ctrl = ctrl;
    }
    return setup;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_supplicant_args(std::vector<std::string>(argv, argv + argc));
    if (!options) {
        std::fprintf(stderr, "lanyard-supplicant: %s\n%s", options.error().detail.c_str(),
                     supplicant_usage().c_str());
        return 1;
    }
    if (options->show_help) {
        std::printf("%s\n%s", supplicant_version_line().c_str(), supplicant_usage().c_str());
        return 0;
    }
    if (options->show_version) {
        std::printf("%s\n", supplicant_version_line().c_str());
        return 0;
    }
    // -B changes the working directory to /: keep a relative -P usable.
    if (!options->daemon.pid_file.empty() && options->daemon.pid_file[0] != '/') {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof(cwd)) != nullptr) options->daemon.pid_file = std::string(cwd) + "/" + options->daemon.pid_file;
    }
    if (Status s = setup_logging(options->daemon); !s) return fail(s.error().detail);
    g_log_to_file = !options->daemon.log_file.empty();
    LOG_INFO("supplicant", "%s starting", supplicant_version_line().c_str());

    auto setup = load_setup(*options);
    if (!setup) return fail(setup.error().detail);

    auto loop = EventLoop::create();
    if (!loop) return fail(loop.error().to_string());

    // -D nl80211: the station driver is both the Driver (EAPOL, keys, port)
    // and, through Nl80211WifiLink, the association link.
    std::unique_ptr<Nl80211WifiLink> wifi_link;
    Result<std::unique_ptr<Driver>> driver = make_error(ErrorCode::kInternal, "no driver");
    if (options->driver == DriverKind::kNl80211) {
        if (!options->pcap_file.empty()) return fail("--pcap is not supported with -D nl80211");
        Nl80211StationOptions sta;
        sta.common.interface_name = options->interface_name;
        sta.scan_timeout = Duration(20000);
        auto opened = Nl80211StationDriver::open(**loop, sta);
        if (!opened) return fail(options->interface_name + ": " + opened.error().detail);
        wifi_link = std::make_unique<Nl80211WifiLink>(**opened);
        setup->wifi_link = wifi_link.get();
        driver = std::unique_ptr<Driver>(std::move(*opened));
    } else {
        WiredOptions wired;
        wired.interface_name = options->interface_name;
        auto opened = WiredDriver::open(**loop, wired);
        if (!opened) return fail(options->interface_name + ": " + opened.error().detail);
        driver = wrap_with_capture(std::move(*opened), options->pcap_file);
        if (!driver) return fail(driver.error().detail);
    }

    int rc = 0;
    {
        auto daemon = SupplicantDaemon::create(**loop, std::move(*driver), std::move(*setup));
        if (!daemon) return fail(daemon.error().detail);
        if (Status s = daemonize_and_write_pid(options->daemon); !s) return fail(s.error().detail);
        if (Status s = (*daemon)->start(); !s) {
            rc = fail(s.error().detail);
        } else if (Status r = (*daemon)->run(); !r) {
            rc = fail(r.error().detail);
        }
        // The daemon (session, control socket, driver) goes before the loop.
    }
    wifi_link.reset();
    remove_pid_file(options->daemon);
    return rc;
}
