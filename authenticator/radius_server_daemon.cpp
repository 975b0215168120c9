#include "authenticator/radius_server_daemon.h"

#include <csignal>

#include "common/log.h"
#include "radius/radius_packet.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-server";
// Session expiry runs every second; the TLS cache sweep every minute.
const Duration kHousekeepingInterval = Duration(1000);
constexpr unsigned kCacheSweepTicks = 60;
// Datagrams handled per wake-up before other events get a turn.
constexpr int kBurst = 64;

radius::IpAddress ip_of(const SocketAddress& address) {
    const ByteView octets = address.address_octets();
    if (octets.size() == 4) return radius::IpAddress::v4({octets[0], octets[1], octets[2], octets[3]});
    std::array<uint8_t, 16> v6{};
    std::copy(octets.begin(), octets.end(), v6.begin());
    return radius::IpAddress::v6(v6);
}
}  // namespace

RadiusServerDaemon::RadiusServerDaemon(EventLoop& loop, AuthenticatorSetup setup)
    : loop_(loop), setup_(std::move(setup)) {}

Result<std::unique_ptr<RadiusServerDaemon>> RadiusServerDaemon::create(EventLoop& loop, AuthenticatorSetup setup,
                                                                      RandomSource& random) {
    std::unique_ptr<RadiusServerDaemon> d(new RadiusServerDaemon(loop, std::move(setup)));
    const HostapdConfig& c = d->setup_.config;
    for (const config::Warning& w : d->setup_.warnings) LOG_WARN(kLog, "%s", w.to_string().c_str());
    const config::Site clients_site{c.file, c.line_of("radius_server_clients"), "radius_server_clients"};

    auto clients = radius::ClientTable::load(c.radius_server_clients);
    if (!clients) return clients_site.error(clients.error().detail);
    d->clients_ = std::move(*clients);
    if (d->clients_.size() == 0) return clients_site.error("'" + c.radius_server_clients + "' lists no client");

    auto tls = open_server_tls(d->setup_, loop.clock());
    if (!tls) return tls.error();
    d->tls_ = std::move(*tls);
    d->server_ = std::make_unique<radius::EapRadiusServer>(
        d->clients_, server_environment(d->setup_, random, d->tls_.context.get()), random);
    d->server_->set_observer([](const radius::EapRadiusOutcome& o) {
        LOG_INFO(kLog, "RADIUS: %s %s %s %s rounds=%u resumed=%d%s%s", o.client.c_str(), o.identity.c_str(),
                 o.method.c_str(), o.success ? "success" : "failure", o.rounds, o.resumed ? 1 : 0,
                 o.reason.empty() ? "" : " reason=", o.reason.c_str());
    });

    auto local = SocketAddress::parse(c.radius_server_ipv6 ? "::" : "0.0.0.0", c.radius_server_auth_port);
    if (!local) return local.error();
    auto sock = UdpSocket::bind(*local);
    if (!sock) {
        return config::Site{c.file, c.line_of("radius_server_auth_port"), "radius_server_auth_port"}.error(
            sock.error().to_string());
    }
    d->socket_ = std::move(*sock);
    RadiusServerDaemon* self = d.get();
    LANYARD_TRY(loop.add_fd(d->socket_.fd(), FdWatch{[self] { self->on_readable(); }, {}}));

    for (int signo : {SIGTERM, SIGINT}) {
        LANYARD_TRY(loop.add_signal(signo, [&loop](int s) {
            LOG_INFO(kLog, "signal %d received: terminating", s);
            loop.stop();
        }));
    }
    LANYARD_TRY(loop.add_signal(SIGHUP, [](int) {
        LOG_WARN(kLog, "SIGHUP received: configuration reload is not implemented yet; ignored");
    }));
    d->schedule_housekeeping();
    LOG_INFO(kLog, "RADIUS server listening on %s (%zu clients from %s)", local->to_string().c_str(),
             d->clients_.size(), c.radius_server_clients.c_str());
    return d;
}

RadiusServerDaemon::~RadiusServerDaemon() {
    if (housekeeping_timer_ != kNoTimer) loop_.cancel_timer(housekeeping_timer_);
    if (socket_.fd() >= 0) loop_.remove_fd(socket_.fd());
    for (int signo : {SIGTERM, SIGINT, SIGHUP}) loop_.remove_signal(signo);
    if (server_) LOG_INFO(kLog, "%s", stats_line().c_str());
}

std::string RadiusServerDaemon::stats_line() const {
    const radius::EapRadiusServerStats& s = server_->stats();
    std::string line = "RADIUS server stats: requests=" + std::to_string(s.requests) +
                       " accepts=" + std::to_string(s.accepts) + " rejects=" + std::to_string(s.rejects) +
                       " challenges=" + std::to_string(s.challenges) +
                       " duplicates=" + std::to_string(s.duplicates_answered) +
                       " dropped=" + std::to_string(s.dropped_total() + receive_errors_);
    for (size_t i = 0; i < radius::kDropReasonCount; ++i) {
        if (s.dropped[i] == 0) continue;
        line += std::string(" [") + radius::drop_reason_name(static_cast<radius::DropReason>(i)) +
                "=" + std::to_string(s.dropped[i]) + "]";
    }
    if (receive_errors_ > 0) line += " [receive errors=" + std::to_string(receive_errors_) + "]";
    return line;
}

void RadiusServerDaemon::on_readable() {
    // One octet more than a RADIUS packet may be, so an oversize datagram
    // is seen as such.
    uint8_t buffer[radius::kMaxPacketSize + 1];
    for (int i = 0; i < kBurst; ++i) {
        auto got = socket_.receive(buffer, sizeof(buffer));
        if (!got) {
            receive_errors_++;
            LOG_DEBUG(kLog, "datagram dropped: %s", got.error().to_string().c_str());
            continue;
        }
        if (!got->has_value()) return;
        const UdpSocket::Datagram& dg = **got;
        auto response =
            server_->handle(ByteView(buffer, dg.size), ip_of(dg.source), dg.source.port(), loop_.clock().now());
        if (!response) continue;
        if (Status st = socket_.send_to(dg.source, *response); !st)
            LOG_WARN(kLog, "cannot answer %s: %s", dg.source.to_string().c_str(), st.error().to_string().c_str());
    }
}

void RadiusServerDaemon::schedule_housekeeping() {
    housekeeping_timer_ = loop_.add_timer(kHousekeepingInterval, [this] {
        housekeeping_timer_ = kNoTimer;
        server_->expire(loop_.clock().now());
        if (++ticks_ % kCacheSweepTicks == 0 && tls_.cache) tls_.cache->expire();
        schedule_housekeeping();
    });
}

}  // namespace lanyard::authenticator
