#include "authenticator/radius_transport.h"

#include <cerrno>

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-client";
// Datagrams read per wake-up before other events get a turn.
constexpr int kBurst = 32;
}  // namespace

RadiusTransport::RadiusTransport(EventLoop& loop, std::vector<SecretBytes> secrets, radius::RetransmitPolicy policy,
                                 RandomSource& random, std::string label)
    : loop_(loop), label_(std::move(label)), client_(std::move(secrets), policy, random) {}

Result<std::unique_ptr<RadiusTransport>> RadiusTransport::open(EventLoop& loop,
                                                               const std::vector<RadiusServerConfig>& servers,
                                                               radius::RetransmitPolicy policy, RandomSource& random,
                                                               std::string label) {
    if (servers.empty()) return make_error(ErrorCode::kConfig, "no " + label + " server configured");
    std::vector<SecretBytes> secrets;
    for (const RadiusServerConfig& s : servers) secrets.push_back(SecretBytes(s.shared_secret.view()));
    std::unique_ptr<RadiusTransport> t(new RadiusTransport(loop, std::move(secrets), policy, random, std::move(label)));
    for (size_t i = 0; i < servers.size(); ++i) {
        auto address = SocketAddress::parse(servers[i].address, servers[i].port);
        if (!address) return address.error();
        auto sock = UdpSocket::connect(*address);
        if (!sock) return sock.error();
        t->names_.push_back(address->to_string());
        t->sockets_.push_back(std::move(*sock));
    }
    for (size_t i = 0; i < t->sockets_.size(); ++i) {
        RadiusTransport* self = t.get();
        LANYARD_TRY(loop.add_fd(t->sockets_[i].fd(), FdWatch{[self, i] { self->on_readable(i); }, {}}));
    }
    LOG_INFO(kLog, "%s servers: %s%s", t->label_.c_str(), t->names_.front().c_str(),
             t->names_.size() > 1 ? (" (+" + std::to_string(t->names_.size() - 1) + " for failover)").c_str() : "");
    return t;
}

RadiusTransport::~RadiusTransport() {
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    for (const UdpSocket& s : sockets_) loop_.remove_fd(s.fd());
}

Result<uint64_t> RadiusTransport::submit(radius::RequestKind kind, radius::Packet packet, Handler handler) {
    auto sent = client_.submit(kind, std::move(packet), loop_.clock().now());
    if (!sent) return sent.error();
    handlers_[sent->token] = std::move(handler);
    note_current_server();
    send(sent->server, sent->wire);
    rearm();
    return sent->token;
}

void RadiusTransport::cancel(uint64_t token) {
    handlers_.erase(token);
    client_.cancel(token);
    rearm();
}

void RadiusTransport::send(size_t server, ByteView wire) {
    UdpSocket& sock = sockets_.at(server);
    if (Status st = sock.send(wire); !st) {
        LOG_DEBUG(kLog, "%s server %s: %s", label_.c_str(), names_[server].c_str(), st.error().to_string().c_str());
        // A closed port on a live host answers ICMP unreachable: fail over now.
        if (sock.last_errno() == ECONNREFUSED) client_.server_unreachable(server, loop_.clock().now());
    }
}

void RadiusTransport::on_readable(size_t server) {
    uint8_t buffer[radius::kMaxPacketSize + 1];
    for (int i = 0; i < kBurst; ++i) {
        UdpSocket& sock = sockets_.at(server);
        auto got = sock.receive(buffer, sizeof(buffer));
        if (!got) {
            if (sock.last_errno() == ECONNREFUSED) {
                LOG_DEBUG(kLog, "%s server %s refused (port unreachable)", label_.c_str(), names_[server].c_str());
                client_.server_unreachable(server, loop_.clock().now());
                rearm();
            } else {
                LOG_DEBUG(kLog, "%s server %s: %s", label_.c_str(), names_[server].c_str(),
                          got.error().to_string().c_str());
            }
            continue;
        }
        if (!got->has_value()) return;
        auto response = client_.receive(server, ByteView(buffer, (*got)->size));
        if (!response) {
            LOG_DEBUG(kLog, "%s: response from %s dropped: %s", label_.c_str(), names_[server].c_str(),
                      response.error().to_string().c_str());
            continue;
        }
        const uint64_t token = response->token;
        finish(token, std::move(*response));
        rearm();
    }
}

void RadiusTransport::on_timer() {
    timer_ = kNoTimer;
    for (radius::RadiusClient::Event& event : client_.on_timer(loop_.clock().now())) {
        switch (event.kind) {
            case radius::RadiusClient::Event::Kind::kSend:
                note_current_server();
                send(event.server, event.wire);
                break;
            case radius::RadiusClient::Event::Kind::kGaveUp:
                LOG_WARN(kLog, "%s: no response from any server; request given up", label_.c_str());
                finish(event.token, make_error(ErrorCode::kIo, "no response from the " + label_ + " servers"));
                break;
        }
    }
    rearm();
}

void RadiusTransport::rearm() {
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    timer_ = kNoTimer;
    if (auto deadline = client_.next_deadline()) timer_ = loop_.add_timer_at(*deadline, [this] { on_timer(); });
}

void RadiusTransport::note_current_server() {
    const size_t current = client_.current_server();
    if (current == logged_server_) return;
    LOG_WARN(kLog, "%s: now using server %s (was %s)", label_.c_str(), names_[current].c_str(),
             names_[logged_server_].c_str());
    logged_server_ = current;
}

void RadiusTransport::finish(uint64_t token, Result<radius::RadiusClient::Response> result) {
    auto it = handlers_.find(token);
    if (it == handlers_.end()) return;  // cancelled
    Handler handler = std::move(it->second);
    handlers_.erase(it);
    handler(std::move(result));
}

}  // namespace lanyard::authenticator
