#include "authenticator/radius_server_worker.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "common/log.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-server";
const Duration kHousekeepingInterval = Duration(1000);
// Datagrams handled per wake-up before other events get a turn.
constexpr int kBurst = 64;
// Bound on datagrams waiting in one worker's inbox (DESIGN.md rule 3).
constexpr size_t kMaxInbox = 4096;

radius::IpAddress ip_of(const SocketAddress& address) {
    const ByteView octets = address.address_octets();
    if (octets.size() == 4) return radius::IpAddress::v4({octets[0], octets[1], octets[2], octets[3]});
    std::array<uint8_t, 16> v6{};
    std::copy(octets.begin(), octets.end(), v6.begin());
    return radius::IpAddress::v6(v6);
}
}  // namespace

RadiusServerWorker::RadiusServerWorker(size_t index, const Shared& shared) : index_(index), shared_(shared) {}

Result<std::unique_ptr<RadiusServerWorker>> RadiusServerWorker::create(size_t index, const Shared& shared) {
    std::unique_ptr<RadiusServerWorker> w(new RadiusServerWorker(index, shared));
    auto loop = EventLoop::create(SystemClock::instance());
    if (!loop) return loop.error();
    w->loop_ = std::move(*loop);
    const HostapdConfig& c = shared.setup->config;
    if (!c.server_cert.empty()) {
        auto ctx = make_server_tls_context(*shared.setup, shared.store);
        if (!ctx) return ctx.error();
        w->tls_ = std::move(*ctx);
    }
    radius::EapRadiusServerConfig config;
    if (shared.worker_count > 1) config.state_prefix = static_cast<uint8_t>(index);
    w->server_ = std::make_unique<radius::EapRadiusServer>(
        *shared.clients, server_environment(*shared.setup, *shared.random, w->tls_.get()), *shared.random, config);
    w->server_->set_observer([index](const radius::EapRadiusOutcome& o) {
        LOG_INFO(kLog, "RADIUS: %s %s %s %s rounds=%u resumed=%d worker=%zu%s%s", o.client.c_str(),
                 o.identity.c_str(), o.method.c_str(), o.success ? "success" : "failure", o.rounds,
                 o.resumed ? 1 : 0, index, o.reason.empty() ? "" : " reason=", o.reason.c_str());
    });
    UdpSocket::Options options;
    options.reuse_port = shared.worker_count > 1;
    auto sock = UdpSocket::bind(shared.local, options);
    if (!sock) {
        return config::Site{c.file, c.line_of("radius_server_auth_port"), "radius_server_auth_port"}.error(
            sock.error().to_string());
    }
    w->socket_ = std::move(*sock);
    w->wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (w->wake_fd_ < 0) return make_error(ErrorCode::kIo, "eventfd failed");
    RadiusServerWorker* self = w.get();
    LANYARD_TRY(w->loop_->add_fd(w->socket_.fd(), FdWatch{[self] { self->on_readable(); }, {}}));
    LANYARD_TRY(w->loop_->add_fd(w->wake_fd_, FdWatch{[self] { self->on_wake(); }, {}}));
    w->schedule_housekeeping();
    return w;
}

RadiusServerWorker::~RadiusServerWorker() {
    stop_and_join();
    if (loop_) {
        loop_->remove_fd(socket_.fd());
        if (wake_fd_ >= 0) loop_->remove_fd(wake_fd_);
    }
    if (wake_fd_ >= 0) ::close(wake_fd_);
}

void RadiusServerWorker::start(const std::vector<RadiusServerWorker*>* peers) {
    peers_ = peers;
    thread_ = std::thread([this] {
        if (Status st = loop_->run(); !st)
            LOG_ERROR(kLog, "worker %zu: event loop failed: %s", index_, st.error().to_string().c_str());
    });
}

void RadiusServerWorker::stop_and_join() {
    if (!thread_.joinable()) return;
    stop_.store(true);
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof(one));
    thread_.join();
}

void RadiusServerWorker::hand_over(Bytes datagram, const SocketAddress& source) {
    {
        std::lock_guard<std::mutex> lock(inbox_mutex_);
        if (inbox_.size() >= kMaxInbox) {
            ++inbox_overflows_;
            return;
        }
        inbox_.emplace_back(std::move(datagram), source);
    }
    const uint64_t one = 1;
    (void)!::write(wake_fd_, &one, sizeof(one));
}

void RadiusServerWorker::on_wake() {
    uint64_t count = 0;
    (void)!::read(wake_fd_, &count, sizeof(count));
    if (stop_.load()) {
        loop_->stop();
        return;
    }
    std::deque<std::pair<Bytes, SocketAddress>> work;
    {
        std::lock_guard<std::mutex> lock(inbox_mutex_);
        work.swap(inbox_);
    }
    for (auto& [datagram, source] : work) {
        ++received_from_peers_;
        handle(datagram, source);
    }
}

std::optional<size_t> RadiusServerWorker::owner_of(ByteView datagram) const {
    if (shared_.worker_count <= 1) return std::nullopt;
    std::optional<size_t> owner;
    Status walked = radius::walk_attributes(datagram, [&](uint8_t type, size_t offset, size_t length) {
        if (type == radius::attr::kState && length > 0 && !owner) owner = datagram[offset];
    });
    if (!walked || !owner || *owner == index_ || *owner >= shared_.worker_count) return std::nullopt;
    return owner;
}

void RadiusServerWorker::on_readable() {
    uint8_t buffer[radius::kMaxPacketSize + 1];
    for (int i = 0; i < kBurst; ++i) {
        auto got = socket_.receive(buffer, sizeof(buffer));
        if (!got) {
            ++receive_errors_;
            LOG_DEBUG(kLog, "worker %zu: datagram dropped: %s", index_, got.error().to_string().c_str());
            continue;
        }
        if (!got->has_value()) return;
        const ByteView datagram(buffer, (*got)->size);
        if (auto owner = owner_of(datagram)) {
            ++handed_over_;
            (*peers_)[*owner]->hand_over(Bytes(datagram.begin(), datagram.end()), (*got)->source);
            continue;
        }
        handle(datagram, (*got)->source);
    }
}

void RadiusServerWorker::handle(ByteView datagram, const SocketAddress& source) {
    auto response = server_->handle(datagram, ip_of(source), source.port(), loop_->clock().now());
    if (!response) return;
    if (Status st = socket_.send_to(source, *response); !st)
        LOG_WARN(kLog, "cannot answer %s: %s", source.to_string().c_str(), st.error().to_string().c_str());
}

void RadiusServerWorker::schedule_housekeeping() {
    loop_->add_timer(kHousekeepingInterval, [this] {
        server_->expire(loop_->clock().now());
        schedule_housekeeping();
    });
}

}  // namespace lanyard::authenticator
