// lanyard-authenticator at run time: the EventLoop, the driver (opened by
// main.cpp, which owns the OS-specific drivers), the TLS server context and
// session cache built once from hostapd.conf, the Authenticator (station
// table) and the control socket (ctrl_interface=DIR → DIR/IFNAME).
// SIGTERM and SIGINT end run(); the destructor closes every port and
// unlinks the control socket.
#pragma once

#include <memory>
#include <optional>

#include "authenticator/authenticator.h"
#include "authenticator/authenticator_ctrl.h"
#include "authenticator/authenticator_setup.h"
#include "authenticator/nas_identity.h"
#include "authenticator/radius_accounting.h"
#include "authenticator/radius_transport.h"
#include "authenticator/tls_session_cache.h"
#include "authenticator/wifi_access_point.h"
#include "common/ctrl_socket.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/driver.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

// driver=nl80211: what main.cpp hands over from the access-point driver.
struct WifiBinding {
    KeyInstaller* installer = nullptr;
    WifiApPolicy policy;
    WifiApDriverHooks hooks;
};

class AuthenticatorDaemon {
public:
    // loop, driver and random must outlive the daemon. Errors name the file
    // and key (certificates that do not load, a control socket in use).
    static Result<std::unique_ptr<AuthenticatorDaemon>> create(EventLoop& loop, lanyard::Driver& driver,
                                                               AuthenticatorSetup setup, RandomSource& random,
                                                               std::optional<WifiBinding> wifi = std::nullopt);
    ~AuthenticatorDaemon();
    AuthenticatorDaemon(const AuthenticatorDaemon&) = delete;
    AuthenticatorDaemon& operator=(const AuthenticatorDaemon&) = delete;

    // Runs the loop until SIGTERM, SIGINT or TERMINATE.
    Status run();

    Authenticator& authenticator() { return *authenticator_; }

private:
    AuthenticatorDaemon(EventLoop& loop, lanyard::Driver& driver, AuthenticatorSetup setup);
    void schedule_sweep();
    Status open_radius_client(RandomSource& random);

    EventLoop& loop_;
    lanyard::Driver& driver_;
    AuthenticatorSetup setup_;
    std::unique_ptr<TlsSessionCache> session_cache_;
    std::unique_ptr<tls::Context> tls_;
    // RADIUS client (eap_server=0 with auth_server_addr): declared before the
    // authenticator so they outlive its sessions.
    NasIdentity nas_;
    std::unique_ptr<RadiusTransport> auth_transport_;
    std::unique_ptr<RadiusTransport> acct_transport_;
    std::unique_ptr<RadiusAccounting> accounting_;
    std::unique_ptr<Authenticator> authenticator_;
    std::unique_ptr<WifiAccessPoint> wifi_;  // driver=nl80211 only
    std::unique_ptr<AuthenticatorCtrl> ctrl_;
    std::unique_ptr<CtrlSocketServer> ctrl_server_;
    TimerId sweep_timer_ = kNoTimer;
};

}  // namespace lanyard::authenticator
