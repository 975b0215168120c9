// lanyard-authenticator with driver=none: hostapd's RADIUS-server-only mode.
// The integrated EAP server (radius/eap_radius_server.h) answers the NASes
// of radius_server_clients on UDP radius_server_auth_port (all IPv4
// addresses, or all IPv6 ones with radius_server_ipv6=1, as hostapd binds),
// in radius_server_workers threads (radius_server_worker.h; default one per
// core). One TLS session store serves every worker (tls_session_cache:
// in-process, or Redis shared with other servers).
//
// Logs, per finished conversation, the line
//   "RADIUS: <nas> <identity> <METHOD> success|failure rounds=N resumed=0|1 worker=W"
// and, at exit, the request counters of all workers including drops by reason.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "authenticator/authenticator_setup.h"
#include "authenticator/radius_server_worker.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "radius/client_table.h"

namespace lanyard::authenticator {

class RadiusServerDaemon {
public:
    // loop (the main thread's: signals, cache sweeps) and random must outlive
    // the daemon. Errors name the file and key.
    static Result<std::unique_ptr<RadiusServerDaemon>> create(EventLoop& loop, AuthenticatorSetup setup,
                                                              RandomSource& random);
    ~RadiusServerDaemon();
    RadiusServerDaemon(const RadiusServerDaemon&) = delete;
    RadiusServerDaemon& operator=(const RadiusServerDaemon&) = delete;

    // Starts the workers and runs the main loop until SIGTERM or SIGINT.
    Status run();
    // Totals over all workers (call after run() returned).
    std::string stats_line() const;

private:
    RadiusServerDaemon(EventLoop& loop, AuthenticatorSetup setup);
    void schedule_sweep();
    void stop_workers();

    EventLoop& loop_;
    AuthenticatorSetup setup_;
    radius::ClientTable clients_;
    ServerTls tls_;
    std::vector<std::unique_ptr<RadiusServerWorker>> workers_;
    std::vector<RadiusServerWorker*> worker_ptrs_;
    TimerId sweep_timer_ = kNoTimer;
};

}  // namespace lanyard::authenticator
