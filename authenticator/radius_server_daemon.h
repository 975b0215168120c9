// lanyard-authenticator with driver=none: hostapd's RADIUS-server-only mode.
// The integrated EAP server (radius/eap_radius_server.h) answers the NASes
// of radius_server_clients on UDP radius_server_auth_port (all IPv4
// addresses, or all IPv6 ones with radius_server_ipv6=1, as hostapd binds).
// One TLS context and session cache serve every session.
//
// Logs, per finished conversation, the line
//   "RADIUS: <nas> <identity> <METHOD> success|failure rounds=N resumed=0|1"
// and, at exit, the request counters including drops by reason.
#pragma once

#include <memory>

#include "authenticator/authenticator_setup.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "common/udp_socket.h"
#include "radius/client_table.h"
#include "radius/eap_radius_server.h"

namespace lanyard::authenticator {

class RadiusServerDaemon {
public:
    // loop and random must outlive the daemon. Errors name the file and key.
    static Result<std::unique_ptr<RadiusServerDaemon>> create(EventLoop& loop, AuthenticatorSetup setup,
                                                              RandomSource& random);
    ~RadiusServerDaemon();
    RadiusServerDaemon(const RadiusServerDaemon&) = delete;
    RadiusServerDaemon& operator=(const RadiusServerDaemon&) = delete;

    // Runs the loop until SIGTERM or SIGINT.
    Status run() { return loop_.run(); }
    const radius::EapRadiusServer& server() const { return *server_; }
    std::string stats_line() const;

private:
    RadiusServerDaemon(EventLoop& loop, AuthenticatorSetup setup);
    void on_readable();
    void schedule_housekeeping();

    EventLoop& loop_;
    AuthenticatorSetup setup_;
    radius::ClientTable clients_;
    ServerTls tls_;
    std::unique_ptr<radius::EapRadiusServer> server_;
    UdpSocket socket_;
    TimerId housekeeping_timer_ = kNoTimer;
    unsigned ticks_ = 0;
    uint64_t receive_errors_ = 0;
};

}  // namespace lanyard::authenticator
