// lanyard-gateway's runtime: the UDP sockets (IKE port and NAT-T port with
// the RFC 3948 non-ESP marker), the event loop and its single timer, and
// the IkeSaManager in between. Also the initiator mode used by tests and
// benchmarks (--initiate).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/daemon.h"
#include "common/event_loop.h"
#include "common/udp_socket.h"
#include "authenticator/radius_transport.h"
#include "gateway/swanctl_conf.h"
#include "ike/ike_sa_manager.h"

namespace lanyard::gateway {

struct GatewayOptions {
    std::string conf_path;
    std::string listen = "0.0.0.0";
    uint16_t port = 500;
    uint16_t port_nat_t = 4500;
    std::string kernel = "none";
    // Initiator mode: connection (and child; empty child = childless).
    std::string initiate;
    std::string initiate_child;
    bool childless = false;
    size_t count = 1;           // IKE_SAs to set up
    size_t concurrency = 1;     // in flight at once
    bool exit_when_done = false;
    bool delete_after = false;  // delete each IKE_SA once established (load)
    size_t cookie_threshold = 10;
    // charon.plugins.eap-radius for rounds with auth = eap-radius.
    std::string strongswan_conf = "/etc/strongswan.conf";
    DaemonOptions daemon;
};

// Parses lanyard-gateway's command line (argv without argv[0]).
Result<GatewayOptions> parse_gateway_cmdline(const std::vector<std::string>& args);
std::string gateway_usage();

class Gateway {
public:
    // installer: the kernel seam (main.cpp makes the XFRM one, which lives in
    // the OS library); nullptr with --kernel none records only.
    static Result<std::unique_ptr<Gateway>> create(EventLoop& loop, GatewayOptions options, SwanctlConfig config,
                                                   std::unique_ptr<ike::ChildSaInstaller> installer = nullptr);
    ~Gateway();
    // Runs until a signal or, in initiator mode with exit_when_done, until done.
    // Returns the exit status.
    int run();

private:
    Gateway(EventLoop& loop, GatewayOptions options, SwanctlConfig config);
    Status open_sockets();
    // The RADIUS client of eap-radius rounds, when a connection has one.
    Status open_eap_radius();
    void on_readable(size_t index);
    void flush();
    void send_all();
    void rearm();
    void start_initiations();
    void check_progress();
    std::string status_report();

    EventLoop& loop_;
    GatewayOptions options_;
    SwanctlConfig config_;
    std::unique_ptr<ike::ChildSaInstaller> installer_;
    std::unique_ptr<authenticator::RadiusTransport> radius_;  // outlives the SAs' rounds
    std::unique_ptr<ike::IkeSaEnv> env_;
    std::unique_ptr<ike::IkeSaManager> manager_;
    struct Sock {
        UdpSocket socket;
        SocketAddress local;
        bool nat_t = false;
    };
    std::vector<Sock> sockets_;
    TimerId timer_ = kNoTimer;
    std::optional<TimePoint> armed_for_;
    // initiator mode
    std::vector<uint32_t> started_ids_;
    size_t started_ = 0, established_ = 0, failed_ = 0;
    TimePoint started_at_;
    long rss_before_kb_ = 0;
    int exit_status_ = 0;
    bool done_ = false;
    uint64_t datagrams_in_ = 0, datagrams_out_ = 0, esp_dropped_ = 0;
};

}  // namespace lanyard::gateway
