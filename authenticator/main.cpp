// lanyard-authenticator: wired IEEE 802.1X authenticator with the
// integrated EAP server, or (driver=none) a RADIUS server, configured by hostapd.conf (see
// authenticator_cmdline.h for the command line). main() owns what touches
// the OS-specific drivers (AF_PACKET, libpcap); the rest is in the library.
#include <cstdio>
#include <string>
#include <vector>

#include "authenticator/authenticator_cmdline.h"
#include "authenticator/authenticator_daemon.h"
#include "authenticator/radius_server_daemon.h"
#include "authenticator/authenticator_setup.h"
#include "common/daemon.h"
#include "common/event_loop.h"
#include "common/log.h"
#include "common/random.h"
#include "drivers/nl80211/access_point_driver.h"
#include "drivers/pcap/capture_driver.h"
#include "eapol/rsn_element.h"
#include "drivers/wired/wired_driver.h"

namespace {

using namespace lanyard;
using namespace lanyard::authenticator;

// Stations the daemon keeps; the wired driver's own table is one larger so
// that a new station's frame reaches the daemon, which then makes room.
constexpr size_t kMaxStations = 256;

int fail(const std::string& message) {
    std::fprintf(stderr, "lanyard-authenticator: %s\n", message.c_str());
    return 1;
}

// driver=none: the RADIUS server only (authenticator/radius_server_daemon.h).
int run_radius_server(const AuthenticatorCmdline& cmd, EventLoop& loop, AuthenticatorSetup setup) {
    int rc = 0;
    {
        auto daemon = RadiusServerDaemon::create(loop, std::move(setup), SystemRandom::instance());
        if (!daemon) return fail(daemon.error().detail);
        if (Status st = daemonize_and_write_pid(cmd.daemon); !st) return fail(st.error().detail);
        if (Status st = (*daemon)->run(); !st) {
            LOG_ERROR("authenticator", "event loop failed: %s", st.error().to_string().c_str());
            rc = 1;
        }
    }
    remove_pid_file(cmd.daemon);
    return rc;
}

// driver=nl80211: the access point (START_AP with our RSN element), its
// association policy (IEEE 802.11-2020 §12.6.3 negotiate_rsn) and the
// daemon's Wi-Fi layer (authenticator/wifi_access_point.h).
int run_access_point(const AuthenticatorCmdline& cmd, EventLoop& loop, AuthenticatorSetup setup) {
    const HostapdConfig& c = setup.config;
    auto policy = wifi_ap_policy(c);
    if (!policy) return fail(policy.error().detail);
    Nl80211AccessPointOptions options;
    options.common.interface_name = c.interface;
    options.common.station_limit = kMaxStations + 1;
    options.ssid = Bytes(c.ssid.begin(), c.ssid.end());
    options.band = c.hw_mode == HwMode::kA ? WifiBand::k5GHz : WifiBand::k2GHz;
    options.channel = c.channel > 0 ? static_cast<unsigned>(c.channel) : (c.hw_mode == HwMode::kA ? 36u : 1u);
    options.rsn.rsn_element = policy->rsn_element;
    options.rsn.akm_suite = policy->akm;
    options.rsn.mfp = policy->mfp == eapol::MfpPolicy::kRequired   ? MgmtFrameProtection::kRequired
                      : policy->mfp == eapol::MfpPolicy::kOptional ? MgmtFrameProtection::kOptional
                                                                   : MgmtFrameProtection::kDisabled;
    const eapol::RsnElement ours = policy->rsn;
    options.association_policy = [ours](const MacAddress&, ByteView ies) {
        AssociationDecision decision;
        auto found = eapol::find_rsn_element(ies);
        auto theirs = found ? eapol::parse_rsn_element(*found) : Result<eapol::RsnElement>(found.error());
        if (!theirs) {
            decision.status = 72;  // invalid RSNE (IEEE 802.11-2020 Table 9-50)
            return decision;
        }
        auto negotiated = eapol::negotiate_rsn(ours, *theirs);
        if (!negotiated) {
            decision.status = 43;  // invalid AKMP (one of 40-45)
            return decision;
        }
        decision.mfp = negotiated->mfp;
        return decision;
    };
    auto opened = Nl80211AccessPointDriver::open(loop, options);
    if (!opened) {
        return fail(c.file + ":" + std::to_string(c.line_of("interface")) + ": interface '" + c.interface +
                    "': " + opened.error().to_string());
    }
    std::unique_ptr<Nl80211AccessPointDriver> ap = std::move(*opened);
    Nl80211AccessPointDriver* raw = ap.get();
    WifiBinding wifi;
    wifi.installer = raw;
    wifi.policy = std::move(*policy);
    wifi.hooks.station_rsn_element = [raw](const MacAddress& station) { return raw->station_rsn_element(station); };
    wifi.hooks.deauthenticate = [raw](const MacAddress& station, uint16_t reason) {
        (void)raw->deauthenticate(station, reason);
    };
    int rc = 0;
    {
        auto daemon = AuthenticatorDaemon::create(loop, *ap, std::move(setup), SystemRandom::instance(), std::move(wifi));
        if (!daemon) return fail(daemon.error().detail);
        if (Status st = daemonize_and_write_pid(cmd.daemon); !st) return fail(st.error().detail);
        if (Status st = (*daemon)->run(); !st) {
            LOG_ERROR("authenticator", "event loop failed: %s", st.error().to_string().c_str());
            rc = 1;
        }
    }
    ap.reset();  // STOP_AP
    remove_pid_file(cmd.daemon);
    return rc;
}

int run(const AuthenticatorCmdline& cmd) {
    if (Status s = setup_logging(cmd.daemon); !s) return fail(s.error().detail);
    auto setup = load_authenticator_setup(cmd.config_file);
    if (!setup) return fail(setup.error().detail);

    auto loop = EventLoop::create();
    if (!loop) return fail(loop.error().to_string());
    if (setup->config.driver == authenticator::Driver::kNone) return run_radius_server(cmd, **loop, std::move(*setup));
    if (setup->config.driver == authenticator::Driver::kNl80211) return run_access_point(cmd, **loop, std::move(*setup));

    WiredOptions wired;
    wired.interface_name = setup->config.interface;
    wired.addressing = setup->config.use_pae_group_addr ? SendAddressing::kPaeGroup : SendAddressing::kAsRequested;
    wired.station_limit = kMaxStations + 1;
    auto opened = WiredDriver::open(**loop, wired);
    if (!opened) {
        return fail(setup->config.file + ":" + std::to_string(setup->config.line_of("interface")) +
                    ": interface '" + wired.interface_name + "': " + opened.error().to_string());
    }
    auto driver = wrap_with_capture(std::unique_ptr<lanyard::Driver>(std::move(*opened)), cmd.pcap_file);
    if (!driver) return fail("--pcap " + cmd.pcap_file + ": " + driver.error().to_string());

    int rc = 0;
    {
        AuthenticatorSetup s = std::move(*setup);
        auto daemon = AuthenticatorDaemon::create(**loop, **driver, std::move(s), SystemRandom::instance());
        if (!daemon) return fail(daemon.error().detail);
        if (Status st = daemonize_and_write_pid(cmd.daemon); !st) return fail(st.error().detail);
        if (Status st = (*daemon)->run(); !st) {
            LOG_ERROR("authenticator", "event loop failed: %s", st.error().to_string().c_str());
            rc = 1;
        }
    }  // the daemon closes the ports and the control socket here
    driver->reset();
    remove_pid_file(cmd.daemon);
    return rc;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    auto cmd = parse_authenticator_cmdline(args);
    if (!cmd) {
        std::fprintf(stderr, "lanyard-authenticator: %s\n%s", cmd.error().detail.c_str(),
                     authenticator_usage().c_str());
        return 1;
    }
    if (cmd->show_help) {
        std::printf("%s", authenticator_usage().c_str());
        return 0;
    }
    if (cmd->show_version) {
        std::printf("%s\n", authenticator_version_line().c_str());
        return 0;
    }
    return run(*cmd);
}
