// lanyard-supplicant's process: owns the event loop's clients for one
// interface — the driver, the control socket, the TLS context, the session
// cache and the WiredSession — and shuts them down cleanly on SIGTERM,
// SIGINT or TERMINATE. The driver is opened by the caller (main.cpp opens
// drivers/wired, tests pass a memory driver), so this file links no OS
// driver.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/ctrl_config.h"
#include "common/ctrl_socket.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/driver.h"
#include "eapol/pmksa_cache.h"
#include "supplicant/supplicant_events.h"
#include "supplicant/tls_session_cache.h"
#include "supplicant/wifi_link.h"
#include "supplicant/wifi_session.h"
#include "supplicant/wired_session.h"
#include "supplicant/wpa_config.h"

namespace lanyard::supplicant {

struct DaemonSetup {
    WpaConfig config;              // loaded and validated
    size_t network_id = 0;         // select_wired_network()
    std::optional<CtrlSocketConfig> ctrl;  // none: no control interface
    // wpa_supplicant sends no EAPOL-Logoff when it stops on a wired port
    // (deinit only disables the port); true sends one first.
    bool logoff_on_exit = false;
    ValidateOptions validate;      // the operator's --allow-unvalidated-server
    // Wi-Fi (-D nl80211): the station's association link (main.cpp builds
    // it over the nl80211 driver; not owned, outlives the daemon). Null: wired.
    WifiLink* wifi_link = nullptr;
};

class SupplicantDaemon {
public:
    // Builds the TLS context (when the network may run a TLS method), opens
    // the control socket and creates the session. loop and driver must
    // outlive the daemon. Errors name the file or socket at fault.
    static Result<std::unique_ptr<SupplicantDaemon>> create(EventLoop& loop, std::unique_ptr<Driver> driver,
                                                            DaemonSetup setup,
                                                            RandomSource& random = SystemRandom::instance());
    ~SupplicantDaemon();

    // Starts the session and handles SIGTERM/SIGINT (stop) and SIGHUP (logged).
    Status start();
    // Runs the loop until a signal or TERMINATE; then shuts down.
    Status run();
    // Logs off (if configured), emits CTRL-EVENT-DISCONNECTED, closes the
    // control socket (unlinking it). Idempotent.
    void shutdown();

    // Wired (no wifi_link) or Wi-Fi: exactly one of them exists.
    WiredSession& session() { return *session_; }
    WifiSession* wifi_session() { return wifi_.get(); }
    CtrlSocketServer* ctrl() { return ctrl_.get(); }
    const WpaConfig& config() const { return setup_.config; }

private:
    SupplicantDaemon(EventLoop& loop, std::unique_ptr<Driver> driver, DaemonSetup setup);

    EventLoop& loop_;
    std::unique_ptr<Driver> driver_;
    DaemonSetup setup_;
    std::unique_ptr<tls::Context> tls_;
    TlsSessionCache cache_;
    SupplicantEvents events_;
    std::unique_ptr<CtrlSocketServer> ctrl_;
    std::unique_ptr<WiredSession> session_;
    eapol::PmksaCache pmksa_;
    std::unique_ptr<WifiSession> wifi_;
    bool shut_down_ = false;
};

}  // namespace lanyard::supplicant
