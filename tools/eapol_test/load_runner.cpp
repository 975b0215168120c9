#include "tools/eapol_test/load_runner.h"

#include <sys/resource.h>

#include "common/log.h"
#include "radius/message_authenticator.h"

namespace lanyard::eapol_test {

namespace {
// How often retransmission and per-authentication deadlines are checked.
constexpr Duration kTick{10};
// Datagrams read per readiness callback before yielding to the loop.
constexpr unsigned kMaxReadsPerWakeup = 256;

double process_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}
}  // namespace

MacAddress station_mac(const MacAddress& base, uint32_t index) {
    MacAddress::Octets o = base.octets();
    uint32_t low = (uint32_t(o[3]) << 16) | (uint32_t(o[4]) << 8) | o[5];
    low = (low + index) & 0xffffff;
    o[3] = uint8_t(low >> 16);
    o[4] = uint8_t(low >> 8);
    o[5] = uint8_t(low);
    return MacAddress(o);
}

LoadRunner::LoadRunner(EventLoop& loop, const StationSettings& settings, RunConfig config)
    : loop_(loop), settings_(settings), config_(std::move(config)), buffer_(radius::kMaxPacketSize + 1) {}

LoadRunner::~LoadRunner() {
    if (tick_ != kNoTimer) loop_.cancel_timer(tick_);
    for (Socket& s : sockets_) loop_.remove_fd(s.udp.fd());
}

Result<std::unique_ptr<LoadRunner>> LoadRunner::create(EventLoop& loop, const StationSettings& settings,
                                                       RunConfig config) {
    if (config.servers.empty()) return make_error(ErrorCode::kConfig, "no RADIUS server");
    for (const SocketAddress& s : config.servers) {
        if (s.family() != config.servers.front().family())
            return make_error(ErrorCode::kConfig, "--servers: mixing IPv4 and IPv6 servers is not supported");
    }
    if (config.stations == 0) return make_error(ErrorCode::kConfig, "no stations");
    if (config.stations_per_socket == 0 || config.stations_per_socket > 255)
        return make_error(ErrorCode::kConfig, "stations per socket must be 1..255");
    std::unique_ptr<LoadRunner> r(new LoadRunner(loop, settings, std::move(config)));
    LANYARD_TRY(r->open_sockets());
    r->stats_.per_server.assign(r->config_.servers.size(), 0);
    r->stations_.resize(r->config_.stations);
    for (size_t i = 0; i < r->stations_.size(); ++i) {
        Station& st = r->stations_[i];
        st.peer = std::make_unique<RadiusStation>(settings, station_mac(r->config_.base_mac, uint32_t(i)));
        st.socket = i / r->config_.stations_per_socket;
    }
    return r;
}

Status LoadRunner::open_sockets() {
    const size_t n = (config_.stations + config_.stations_per_socket - 1) / config_.stations_per_socket;
    const bool v6 = config_.servers.front().family() == AF_INET6;
    auto any = SocketAddress::parse(config_.bind_address.empty() ? (v6 ? "::" : "0.0.0.0") : config_.bind_address, 0);
    if (!any) return make_error(ErrorCode::kConfig, "Invalid IP address '" + config_.bind_address + "'");
    if (any->family() != config_.servers.front().family())
        return make_error(ErrorCode::kConfig, "-A " + config_.bind_address + ": not the servers' address family");
    for (size_t i = 0; i < n; ++i) {
        auto udp = UdpSocket::bind(*any);
        if (!udp) return udp.error();
        Socket s;
        s.udp = std::move(*udp);
        for (size_t k = 0; k < config_.servers.size(); ++k) s.tables.emplace_back(1, config_.retransmit);
        s.owners.resize(config_.servers.size());
        sockets_.push_back(std::move(s));
    }
    for (size_t i = 0; i < sockets_.size(); ++i) {
        LANYARD_TRY(loop_.add_fd(sockets_[i].udp.fd(), FdWatch{[this, i] { on_readable(i); }, {}}));
    }
    return ok_status();
}

Status LoadRunner::run() {
    if (config_.run_timeout) run_deadline_ = loop_.clock().now() + *config_.run_timeout;
    tick_ = loop_.add_timer(kTick, [this] { on_tick(); });
    if (config_.warmup) {
        for (size_t i = 0; i < stations_.size(); ++i) start_authentication(i);
    } else {
        begin_measured_phase();
    }
    if (!loop_.stop_requested()) LANYARD_TRY(loop_.run());
    if (stats_.wall_seconds == 0 && measuring_) {
        stats_.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - measure_start_).count();
        stats_.cpu_seconds = process_cpu_seconds() - cpu_start_;
    }
    return ok_status();
}

void LoadRunner::begin_measured_phase() {
    measuring_ = true;
    measure_start_ = std::chrono::steady_clock::now();
    cpu_start_ = process_cpu_seconds();
    for (size_t i = 0; i < stations_.size(); ++i) start_authentication(i);
    maybe_stop();
}

void LoadRunner::start_authentication(size_t index) {
    Station& st = stations_[index];
    if (st.busy || stopping_) return;
    if (measuring_) {
        if (stats_.started >= config_.total) return;
        ++stats_.started;
        st.warmup = false;
    } else {
        st.warmup = true;
    }
    st.busy = true;
    st.server = (index + st.auths) % config_.servers.size();
    ++st.auths;
    if (measuring_) ++stats_.per_server[st.server];
    st.started = std::chrono::steady_clock::now();
    st.deadline = loop_.clock().now() + config_.auth_timeout;
    st.token.reset();
    Status begun = st.peer->begin(loop_.clock().now());
    if (!begun) {
        AuthOutcome o;
        o.result = AuthResult::kFailed;
        o.reason = begun.error().to_string();
        finish_later(index, std::move(o));
        return;
    }
    send_request(index);
}

void LoadRunner::send_request(size_t index) {
    Station& st = stations_[index];
    Socket& sock = sockets_[st.socket];
    radius::PendingRequests& table = sock.tables[st.server];
    const TimePoint now = loop_.clock().now();
    auto slot = table.open(now);
    if (!slot) {
        finish_later(index, st.peer->give_up("no RADIUS Identifier free: " + slot.error().detail));
        return;
    }
    // RFC 2865 §3: the Request Authenticator is unpredictable and unique.
    radius::Authenticator authenticator{};
    settings_.random->fill(authenticator);
    auto wire = st.peer->encode_request(slot->identifier, authenticator, config_.secret.view());
    if (!wire) {
        table.cancel(slot->token);
        finish_later(index, st.peer->give_up("cannot encode the Access-Request: " + wire.error().to_string()));
        return;
    }
    Status sent = sock.udp.send_to(config_.servers[st.server], *wire);
    if (!sent) LOG_DEBUG("eapol_test", "send to %s: %s (the retransmission timer will retry)",
                         config_.servers[st.server].to_string().c_str(), sent.error().to_string().c_str());
    table.sent(slot->token, std::move(*wire), authenticator, now);
    sock.owners[st.server][slot->token] = index;
    st.token = slot->token;
}

void LoadRunner::on_readable(size_t socket_index) {
    for (unsigned n = 0; n < kMaxReadsPerWakeup; ++n) {
        auto got = sockets_[socket_index].udp.receive(buffer_.data(), buffer_.size());
        if (!got) {
            drop(got.error().code == ErrorCode::kTruncated ? "datagram larger than 4096 octets"
                                                           : "receive error: " + got.error().detail);
            continue;
        }
        if (!*got) return;
        handle_datagram(socket_index, ByteView(buffer_.data(), (*got)->size), (*got)->source);
    }
}

void LoadRunner::handle_datagram(size_t socket_index, ByteView datagram, const SocketAddress& source) {
    size_t server = config_.servers.size();
    for (size_t k = 0; k < config_.servers.size(); ++k) {
        if (config_.servers[k] == source) {
            server = k;
            break;
        }
    }
    if (server == config_.servers.size()) return drop("from an unknown address");
    if (datagram.size() < radius::kHeaderSize) return drop("shorter than a RADIUS header");
    Socket& sock = sockets_[socket_index];
    radius::PendingRequests& table = sock.tables[server];
    const radius::PendingRequest* pending = table.match(0, datagram[1]);
    if (pending == nullptr) return drop("no request outstanding with that Identifier (late or spoofed)");
    const radius::Authenticator authenticator = pending->authenticator;
    const uint64_t token = pending->token;
    // RFC 2865 §3 / RFC 3579 §3.2: wrong Response Authenticator or a missing
    // or wrong Message-Authenticator: silently discarded, the request stays
    // outstanding (Blast-RADIUS, CVE-2024-3596).
    auto packet = radius::verify_response(datagram, authenticator, config_.secret.view());
    if (!packet) return drop("failed verification: " + packet.error().detail);
    if (!packet->is(radius::Code::kAccessAccept) && !packet->is(radius::Code::kAccessReject) &&
        !packet->is(radius::Code::kAccessChallenge)) {
        return drop(std::string("unexpected code ") + radius::code_name(packet->code));
    }
    auto owner = sock.owners[server].find(token);
    if (owner == sock.owners[server].end()) {
        table.complete(token);
        return drop("response for a request without a station");
    }
    const size_t index = owner->second;
    sock.owners[server].erase(owner);
    table.complete(token);
    ++stats_.responses;
    Station& st = stations_[index];
    st.token.reset();
    StationStep step = st.peer->on_response(*packet, authenticator, config_.secret.view(), loop_.clock().now());
    switch (step.kind) {
        case StepKind::kSend:
            send_request(index);
            return;
        case StepKind::kFinished:
            finish(index, step.outcome);
            return;
    }
}

void LoadRunner::on_tick() {
    tick_ = kNoTimer;
    const TimePoint now = loop_.clock().now();
    for (Socket& sock : sockets_) {
        for (size_t k = 0; k < sock.tables.size(); ++k) {
            for (const radius::TimeoutAction& a : sock.tables[k].on_timer(now)) {
                switch (a.decision) {
                    case radius::TimeoutDecision::kRetransmit: {
                        // RFC 5080 §2.2.1: same Identifier, same authenticator, same bytes.
                        const radius::PendingRequest* p = sock.tables[k].find(a.token);
                        if (p == nullptr) break;
                        ++stats_.retransmissions;
                        (void)sock.udp.send_to(config_.servers[k], p->wire);
                        break;
                    }
                    case radius::TimeoutDecision::kFailover:  // one server per table: cannot happen
                        sock.tables[k].cancel(a.token);
                        [[fallthrough]];
                    case radius::TimeoutDecision::kGiveUp: {
                        auto owner = sock.owners[k].find(a.token);
                        if (owner == sock.owners[k].end()) break;
                        const size_t index = owner->second;
                        sock.owners[k].erase(owner);
                        stations_[index].token.reset();
                        finish(index, stations_[index].peer->give_up(
                                          "no valid response from " + config_.servers[k].to_string() + " after " +
                                          std::to_string(config_.retransmit.max_attempts) + " transmissions"));
                        break;
                    }
                }
            }
        }
    }
    if (run_deadline_ && now >= *run_deadline_ && !stopping_) {
        stopping_ = true;
        run_timed_out_ = true;
    }
    for (size_t i = 0; i < stations_.size(); ++i) {
        Station& st = stations_[i];
        if (!st.busy) continue;
        if (stopping_) expire(i, "run timeout (-t)");
        else if (now >= st.deadline) expire(i, "authentication timeout (-t)");
    }
    maybe_stop();
    if (!loop_.stop_requested()) tick_ = loop_.add_timer(kTick, [this] { on_tick(); });
}

void LoadRunner::expire(size_t index, const std::string& reason) {
    Station& st = stations_[index];
    if (st.token) {
        Socket& sock = sockets_[st.socket];
        sock.tables[st.server].cancel(*st.token);
        sock.owners[st.server].erase(*st.token);
        st.token.reset();
    }
    finish(index, st.peer->give_up(reason));
}

void LoadRunner::finish_later(size_t index, AuthOutcome outcome) {
    // Not from inside start_authentication: a station that fails at once
    // would otherwise recurse through finish → start for every authentication.
    loop_.add_timer(Duration(0), [this, index, o = std::move(outcome)] { finish(index, o); });
}

void LoadRunner::finish(size_t index, const AuthOutcome& outcome) {
    Station& st = stations_[index];
    if (!st.busy) return;
    st.busy = false;
    const uint64_t us = uint64_t(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - st.started).count());
    if (observer_) observer_(OutcomeEvent{index, st.server, st.warmup, us, &outcome});
    if (st.warmup) {
        ++stats_.warmup_done;
        if (outcome.result != AuthResult::kAccept) ++stats_.warmup_failures;
        if (stats_.warmup_done == stations_.size() && !stopping_) begin_measured_phase();
        else maybe_stop();
        return;
    }
    switch (outcome.result) {
        case AuthResult::kAccept: ++stats_.accepted; break;
        case AuthResult::kReject: ++stats_.rejected; break;
        case AuthResult::kFailed: ++stats_.failed; break;
        case AuthResult::kTimeout: ++stats_.timed_out; break;
    }
    switch (outcome.keys) {
        case KeyCheck::kOk: ++stats_.mppe_ok; break;
        case KeyCheck::kOkUncounted: break;
        case KeyCheck::kMismatch: ++stats_.mppe_mismatch; break;
    }
    stats_.latency.add(us);
    if (outcome.result == AuthResult::kAccept) {
        if (outcome.resumed) {
            ++stats_.resumed;
            stats_.latency_resumed.add(us);
        } else {
            stats_.latency_full.add(us);
        }
    }
    if (stats_.finished() == config_.total) {
        stats_.wall_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - measure_start_).count();
        stats_.cpu_seconds = process_cpu_seconds() - cpu_start_;
    }
    start_authentication(index);
    maybe_stop();
}

void LoadRunner::drop(const std::string& reason) {
    ++stats_.dropped;
    // Bounded: reasons are few fixed texts plus verification details.
    if (stats_.drop_reasons.size() < 32 || stats_.drop_reasons.count(reason)) ++stats_.drop_reasons[reason];
    LOG_DEBUG("eapol_test", "RADIUS datagram dropped: %s", reason.c_str());
}

void LoadRunner::maybe_stop() {
    for (const Station& st : stations_)
        if (st.busy) return;
    const bool all_started = measuring_ && stats_.started >= config_.total;
    if (all_started || stopping_) loop_.stop();
}

}  // namespace lanyard::eapol_test
