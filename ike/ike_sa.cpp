// IkeSa core: sending and sealing, message IDs and retransmission (RFC 7296
// §2.1, §2.3), request dispatch, INFORMATIONAL (§1.4), CHILD_SA bookkeeping.
#include "ike/ike_sa.h"

#include <algorithm>
#include <cmath>

#include "common/log.h"

namespace lanyard::ike {
namespace {
constexpr const char* kLog = "ike";
uint32_t g_next_unique_id = 1;  // like charon's IKE_SA unique ids
constexpr size_t kMaxQueuedTasks = 32;
}  // namespace

const char* ike_sa_state_name(IkeSaState s) {
    switch (s) {
        case IkeSaState::kCreated: return "CREATED";
        case IkeSaState::kInitSent: return "CONNECTING";
        case IkeSaState::kAuthenticating: return "AUTHENTICATING";
        case IkeSaState::kEstablished: return "ESTABLISHED";
        case IkeSaState::kRekeyed: return "REKEYED";
        case IkeSaState::kDeleting: return "DELETING";
        case IkeSaState::kClosed: return "CLOSED";
    }
    return "?";
}

IkeSa::IkeSa(IkeSaEnv& env, bool original_initiator)
    : env_(env), original_initiator_(original_initiator), unique_id_(g_next_unique_id++),
      created_(env.clock.now()), last_inbound_(env.clock.now()) {}

IkeSa::~IkeSa() = default;

std::unique_ptr<IkeSa> IkeSa::create_initiator(IkeSaEnv& env, std::shared_ptr<const PeerConfig> config, IkePath path,
                                               std::optional<std::string> child_name) {
    std::unique_ptr<IkeSa> sa(new IkeSa(env, true));
    sa->config_ = std::move(config);
    sa->path_ = std::move(path);
    sa->initial_child_ = std::move(child_name);
    do {
        sa->spi_i_ = 0;
        for (uint8_t b : env.random.bytes(8)) sa->spi_i_ = (sa->spi_i_ << 8) | b;
    } while (sa->spi_i_ == 0);
    return sa;
}

std::unique_ptr<IkeSa> IkeSa::create_responder(IkeSaEnv& env, uint64_t spi_r, IkePath path) {
    std::unique_ptr<IkeSa> sa(new IkeSa(env, false));
    sa->spi_r_ = spi_r;
    sa->path_ = std::move(path);
    return sa;
}

void IkeSa::start() {
    if (state_ != IkeSaState::kCreated || !original_initiator_) return;
    tasks_.push_back(Task{RequestKind::kIkeSaInit, 0, {}});
    pump_tasks();
}

void IkeSa::drop(const char* reason) {
    ++stats_.dropped;
    LOG_DEBUG(kLog, "IKE_SA #%u: dropped message: %s", unique_id_, reason);
}

void IkeSa::fail(const std::string& reason) {
    LOG_INFO(kLog, "IKE_SA %s[%u] failed: %s", config_ ? config_->name.c_str() : "?", unique_id_, reason.c_str());
    close(reason);
}

void IkeSa::close(const std::string& reason) {
    if (state_ == IkeSaState::kClosed) return;
    remove_all_children();
    if (vip_ && !original_initiator_ && config_) env_.configs.release_lease(vip_pools_, *vip_);
    vip_.reset();
    close_reason_ = reason;
    state_ = IkeSaState::kClosed;
    outstanding_.reset();
    tasks_.clear();
}

IkeHeader IkeSa::make_header(ExchangeType exchange, uint32_t message_id, bool response) const {
    IkeHeader h;
    h.spi_i = spi_i_;
    h.spi_r = spi_r_;
    h.exchange = exchange;
    h.message_id = message_id;
    h.flags = static_cast<uint8_t>((original_initiator_ ? kFlagInitiator : 0) | (response ? kFlagResponse : 0));
    return h;
}

bool IkeSa::we_support_fragmentation() const {
    return config_ == nullptr || config_->fragmentation != FragmentationPolicy::kNo;
}

FragmentSizing IkeSa::fragment_sizing() const {
    FragmentSizing s;
    s.fragment_size = config_ ? config_->fragment_size : 1280;
    s.ipv6 = path_.remote.family() == AF_INET6;
    s.non_esp_marker = path_.non_esp_marker;
    return s;
}

// RFC 7383 §2.5: fragment only when negotiated and the message would not
// fit the fragment size.
Result<std::vector<Bytes>> IkeSa::seal(const IkeHeader& header, const std::vector<Payload>& inner) {
    if (!out_cipher_) return make_error(ErrorCode::kInternal, "no keys yet");
    auto whole = build_encrypted_message(header, inner, *out_cipher_, env_.random);
    if (!whole) return whole.error();
    const FragmentSizing sizing = fragment_sizing();
    if (fragmentation_negotiated() && whole->size() > sizing.ike_budget()) {
        auto frags = build_fragmented_message(header, inner, *out_cipher_, env_.random, sizing);
        if (!frags) return frags.error();
        stats_.fragments_sent += frags->size();
        LOG_DEBUG(kLog, "IKE_SA #%u: %zu-octet message split into %zu fragments", unique_id_, whole->size(),
                  frags->size());
        return std::move(*frags);
    }
    return std::vector<Bytes>{std::move(*whole)};
}

void IkeSa::send_packets(const std::vector<Bytes>& packets) {
    for (const Bytes& p : packets) out_.push_back(OutgoingDatagram{path_, p});
}

void IkeSa::send_request(Task task, ExchangeType exchange, const std::vector<Payload>& inner, Outstanding state) {
    const IkeHeader h = make_header(exchange, my_mid_, false);
    auto packets = seal(h, inner);
    if (!packets) {
        fail("cannot build " + std::string(exchange_type_name(exchange)) + " request: " + packets.error().to_string());
        return;
    }
    state.task = std::move(task);
    state.message_id = my_mid_;
    state.exchange = exchange;
    state.packets = std::move(*packets);
    state.retransmits = 0;
    state.deadline = env_.clock.now() + env_.retransmit.timeout;
    send_packets(state.packets);
    outstanding_ = std::move(state);
}

void IkeSa::send_response(const IkeHeader& request, const std::vector<Payload>& inner) {
    const IkeHeader h = make_header(request.exchange, request.message_id, true);
    auto packets = seal(h, inner);
    if (!packets) {
        fail("cannot build response: " + packets.error().to_string());
        return;
    }
    send_packets(*packets);
    cached_response_ = CachedResponse{request.message_id, std::move(*packets)};
}

// Starts queued requests while the window (of one) is free.
void IkeSa::pump_tasks() {
    while (!outstanding_ && !tasks_.empty() && state_ != IkeSaState::kClosed) {
        Task t = tasks_.front();
        tasks_.pop_front();
        start_task(t);
    }
}

void IkeSa::start_task(const Task& task) {
    switch (task.kind) {
        case RequestKind::kIkeSaInit: send_init_request(); return;
        case RequestKind::kIkeAuth: send_auth_request(); return;
        case RequestKind::kDpd:
            if (state_ != IkeSaState::kEstablished) return;
            send_request(task, ExchangeType::kInformational, {}, Outstanding{});
            return;
        case RequestKind::kDeleteIke: {
            if (state_ == IkeSaState::kCreated || state_ == IkeSaState::kInitSent || !out_cipher_) {
                close("deleted before keys existed");
                return;
            }
            state_ = IkeSaState::kDeleting;
            DeletePayload d;
            d.protocol = ProtocolId::kIke;
            send_request(task, ExchangeType::kInformational, {make_payload(std::move(d))}, Outstanding{});
            return;
        }
        case RequestKind::kDeleteChild: {
            ChildSa* c = find_child_by_in(task.child_spi);
            if (c == nullptr || state_ != IkeSaState::kEstablished) return;
            DeletePayload d;
            d.protocol = ProtocolId::kEsp;
            d.spi_size = 4;
            ByteWriter w;
            w.u32(c->spi_in);
            d.spis.push_back(w.take());
            send_request(task, ExchangeType::kInformational, {make_payload(std::move(d))}, Outstanding{});
            return;
        }
        case RequestKind::kCreateChild:
        case RequestKind::kRekeyChild:
        case RequestKind::kRekeyIke:
            if (state_ != IkeSaState::kEstablished) return;
            send_create_child(task);
            return;
    }
}

Status IkeSa::rekey_child(uint32_t spi_in) {
    if (find_child_by_in(spi_in) == nullptr) return make_error(ErrorCode::kConfig, "no such CHILD_SA");
    if (tasks_.size() >= kMaxQueuedTasks) return make_error(ErrorCode::kLimit, "too many queued exchanges");
    tasks_.push_back(Task{RequestKind::kRekeyChild, spi_in, {}});
    pump_tasks();
    return ok_status();
}

Status IkeSa::create_child(const std::string& child_name) {
    if (!config_ || config_->child(child_name) == nullptr) return make_error(ErrorCode::kConfig, "no child config '" + child_name + "'");
    if (tasks_.size() >= kMaxQueuedTasks) return make_error(ErrorCode::kLimit, "too many queued exchanges");
    tasks_.push_back(Task{RequestKind::kCreateChild, 0, child_name});
    pump_tasks();
    return ok_status();
}

Status IkeSa::rekey_ike() {
    if (state_ != IkeSaState::kEstablished) return make_error(ErrorCode::kConfig, "IKE_SA not established");
    if (tasks_.size() >= kMaxQueuedTasks) return make_error(ErrorCode::kLimit, "too many queued exchanges");
    tasks_.push_back(Task{RequestKind::kRekeyIke, 0, {}});
    pump_tasks();
    return ok_status();
}

Status IkeSa::delete_child(uint32_t spi_in) {
    if (find_child_by_in(spi_in) == nullptr) return make_error(ErrorCode::kConfig, "no such CHILD_SA");
    if (tasks_.size() >= kMaxQueuedTasks) return make_error(ErrorCode::kLimit, "too many queued exchanges");
    tasks_.push_back(Task{RequestKind::kDeleteChild, spi_in, {}});
    pump_tasks();
    return ok_status();
}

void IkeSa::delete_ike() {
    if (state_ == IkeSaState::kClosed || state_ == IkeSaState::kDeleting) return;
    tasks_.clear();
    if (outstanding_ && outstanding_->task.kind != RequestKind::kDeleteIke) {
        // The pending exchange is abandoned; the DELETE goes next (§1.4.1).
        outstanding_.reset();
        ++my_mid_;
    }
    tasks_.push_back(Task{RequestKind::kDeleteIke, 0, {}});
    pump_tasks();
}

void IkeSa::send_dpd() {
    if (state_ != IkeSaState::kEstablished || tasks_.size() >= kMaxQueuedTasks) return;
    tasks_.push_back(Task{RequestKind::kDpd, 0, {}});
    pump_tasks();
}

std::optional<TimePoint> IkeSa::next_deadline() const {
    if (state_ == IkeSaState::kClosed) return std::nullopt;
    std::optional<TimePoint> t;
    auto consider = [&](TimePoint p) { if (!t || p < *t) t = p; };
    if (outstanding_) consider(outstanding_->deadline);
    if (state_ == IkeSaState::kCreated || state_ == IkeSaState::kAuthenticating) {
        consider(created_ + env_.half_open_timeout);
    }
    if (state_ == IkeSaState::kEstablished && config_ && config_->dpd_delay.count() > 0 && !outstanding_) {
        consider(last_inbound_ + config_->dpd_delay);
    }
    if (state_ == IkeSaState::kEstablished) {
        consider_lifetimes(consider);
        if (!outstanding_ && !tasks_.empty()) consider(env_.clock.now());  // queued work (a successor's)
    }
    return t;
}

void IkeSa::on_timer() {
    if (state_ == IkeSaState::kClosed) return;
    const TimePoint now = env_.clock.now();
    if (outstanding_ && now >= outstanding_->deadline) {
        if (outstanding_->retransmits >= env_.retransmit.tries) {
            if (outstanding_->task.kind == RequestKind::kDeleteIke) {
                close("DELETE not answered");
            } else {
                fail(std::string("giving up after ") + std::to_string(outstanding_->retransmits) +
                     " retransmits of " + exchange_type_name(outstanding_->exchange));
            }
            return;
        }
        ++outstanding_->retransmits;
        ++stats_.retransmitted_requests;
        const double factor = std::pow(env_.retransmit.base, outstanding_->retransmits);
        outstanding_->deadline = now + Duration(static_cast<int64_t>(env_.retransmit.timeout.count() * factor));
        LOG_DEBUG(kLog, "IKE_SA #%u: retransmit %d of request %u", unique_id_, outstanding_->retransmits,
                  outstanding_->message_id);
        send_packets(outstanding_->packets);
    }
    if ((state_ == IkeSaState::kCreated || state_ == IkeSaState::kAuthenticating) &&
        now >= created_ + env_.half_open_timeout) {
        fail("half-open IKE_SA timed out");
        return;
    }
    if (state_ == IkeSaState::kEstablished && config_ && config_->dpd_delay.count() > 0 && !outstanding_ &&
        now >= last_inbound_ + config_->dpd_delay) {
        last_inbound_ = now;  // one DPD per interval
        send_dpd();
    }
    if (state_ == IkeSaState::kEstablished) {
        run_lifetimes(now);
        pump_tasks();
    }
}

// Opens SK, or adds an SKF fragment (RFC 7383 §2.6). nullopt: a fragment
// was stored and the message is not complete yet.
Result<std::optional<std::vector<Payload>>> IkeSa::decrypt(ByteView raw, const Message& msg, bool is_response) {
    if (!in_cipher_) return make_error(ErrorCode::kProtocol, "encrypted message before keys exist");
    if (msg.payloads.empty()) return make_error(ErrorCode::kProtocol, "no payloads");
    const Payload& last = msg.payloads.back();
    if (last.payload_type() == PayloadType::kEncrypted) {
        auto inner = open_encrypted_message(raw, msg, *in_cipher_);
        if (!inner) return inner.error();
        return std::optional<std::vector<Payload>>(std::move(*inner));
    }
    if (last.payload_type() == PayloadType::kEncryptedFragment) {
        if (!we_support_fragmentation()) return make_error(ErrorCode::kProtocol, "fragment but fragmentation is off");
        FragmentReassembler& r = is_response ? response_fragments_ : request_fragments_;
        auto outcome = r.add(raw, msg, *in_cipher_);
        if (!outcome) return outcome.error();
        ++stats_.fragments_received;
        switch (*outcome) {
            case FragmentReassembler::Outcome::kStored:
            case FragmentReassembler::Outcome::kDuplicate:
            case FragmentReassembler::Outcome::kStale:
                return std::optional<std::vector<Payload>>();
            case FragmentReassembler::Outcome::kComplete: {
                auto inner = r.completed_payloads();
                r.reset();
                if (!inner) return inner.error();
                return std::optional<std::vector<Payload>>(std::move(*inner));
            }
        }
        return make_error(ErrorCode::kInternal, "bad reassembly outcome");
    }
    return make_error(ErrorCode::kProtocol, "message is not encrypted");
}

void IkeSa::handle(ByteView raw, const Message& msg, const IkePath& from) {
    if (state_ == IkeSaState::kClosed) return drop("IKE_SA closed");
    const IkeHeader& h = msg.header;
    // The I flag must name the other side (§3.1).
    if (h.initiator() == original_initiator_) return drop("wrong Initiator flag");
    if (h.exchange == ExchangeType::kIkeSaInit) {
        if (h.response()) {
            if (!original_initiator_ || state_ != IkeSaState::kInitSent) return drop("unexpected IKE_SA_INIT response");
            if (!outstanding_ || h.message_id != 0) return drop("IKE_SA_INIT response with wrong Message ID");
            handle_init_response(raw, msg);
            pump_tasks();
            return;
        }
        if (original_initiator_) return drop("IKE_SA_INIT request to the initiator");
        if (state_ == IkeSaState::kCreated) return handle_init_request(raw, msg);
        // A retransmitted IKE_SA_INIT: answer again (§2.1) if it is the same.
        if (h.message_id == 0 && equal_bytes(raw, init_request_) && !init_response_.empty()) {
            ++stats_.retransmitted_responses;
            out_.push_back(OutgoingDatagram{from, init_response_});
            return;
        }
        return drop("IKE_SA_INIT request for an existing IKE_SA");
    }
    if (!in_cipher_) return drop("encrypted exchange before IKE_SA_INIT completed");
    if (h.response()) {
        if (!outstanding_ || h.message_id != outstanding_->message_id) return drop("response to no outstanding request");
        auto inner = decrypt(raw, msg, true);
        if (!inner) {
            LOG_DEBUG(kLog, "IKE_SA #%u: response: %s", unique_id_, inner.error().to_string().c_str());
            return drop("response failed to decrypt/verify");
        }
        if (!inner->has_value()) return;  // more fragments to come
        last_inbound_ = env_.clock.now();
        handle_response(h, **inner);
        pump_tasks();
        return;
    }
    // Requests: the expected Message ID, or a retransmission of the last (§2.3).
    if (cached_response_ && h.message_id == cached_response_->message_id) {
        // RFC 7383 §2.6.1: for a fragmented request, answer only fragment 1.
        if (msg.payloads.empty()) return drop("empty retransmitted request");
        if (const auto* f = msg.payloads.back().get<EncryptedFragmentPayload>(); f != nullptr && f->fragment_number != 1) {
            return;
        }
        ++stats_.retransmitted_responses;
        LOG_DEBUG(kLog, "IKE_SA #%u: retransmitting response %u", unique_id_, h.message_id);
        for (const Bytes& p : cached_response_->packets) out_.push_back(OutgoingDatagram{path_, p});
        return;
    }
    if (pending_auth_ && h.message_id == pending_auth_->header.message_id) {
        return drop("request retransmitted while the EAP back-end works");
    }
    if (h.message_id != peer_mid_) return drop("request with unexpected Message ID");
    auto inner = decrypt(raw, msg, false);
    if (!inner) {
        LOG_DEBUG(kLog, "IKE_SA #%u: request: %s", unique_id_, inner.error().to_string().c_str());
        return drop("request failed to decrypt/verify");
    }
    if (!inner->has_value()) return;
    // Authenticated: the peer may have moved (NAT-T port switch, §2.23).
    if (!(from.remote == path_.remote) || !(from.local == path_.local) || from.non_esp_marker != path_.non_esp_marker) {
        LOG_DEBUG(kLog, "IKE_SA #%u: peer now at %s (local %s)", unique_id_, from.remote.to_string().c_str(),
                  from.local.to_string().c_str());
        path_ = from;
    }
    last_inbound_ = env_.clock.now();
    handle_request(h, **inner);
    ++peer_mid_;
    pump_tasks();
}

void IkeSa::handle_request(const IkeHeader& header, const std::vector<Payload>& inner) {
    switch (header.exchange) {
        case ExchangeType::kIkeAuth:
            if (original_initiator_ || state_ != IkeSaState::kAuthenticating) {
                send_response(header, {make_payload(NotifyPayload{ProtocolId::kNone,
                                                                  static_cast<uint16_t>(NotifyType::kInvalidSyntax), {}, {}})});
                return;
            }
            handle_auth_request(header, inner);
            return;
        case ExchangeType::kCreateChildSa:
            if (state_ != IkeSaState::kEstablished) {
                // §2.25 / RFC 7296 §1.3: not now.
                send_response(header, {make_payload(NotifyPayload{ProtocolId::kNone,
                                                                  static_cast<uint16_t>(NotifyType::kTemporaryFailure), {}, {}})});
                return;
            }
            handle_create_child_request(header, inner);
            return;
        case ExchangeType::kInformational:
            handle_informational_request(header, inner);
            return;
        case ExchangeType::kIkeSaInit:
        case ExchangeType::kIkeIntermediate:
            send_response(header, {make_payload(NotifyPayload{ProtocolId::kNone,
                                                              static_cast<uint16_t>(NotifyType::kInvalidSyntax), {}, {}})});
            return;
    }
}

void IkeSa::handle_response(const IkeHeader& header, const std::vector<Payload>& inner) {
    Outstanding done = std::move(*outstanding_);
    outstanding_.reset();
    ++my_mid_;
    (void)header;
    switch (done.task.kind) {
        case RequestKind::kIkeSaInit: return;  // handled in handle_init_response
        case RequestKind::kIkeAuth:
            handle_auth_response(inner);
            // §2.21.2: a failure found in a response goes back to the
            // responder, which may consider the IKE_SA established, in a
            // separate INFORMATIONAL (sent once; we are closed).
            if (state_ == IkeSaState::kClosed && !peer_refused_auth_) send_auth_failed_notice();
            return;
        case RequestKind::kDpd: return;
        case RequestKind::kDeleteIke:
            LOG_INFO(kLog, "IKE_SA %s[%u] deleted", config_ ? config_->name.c_str() : "?", unique_id_);
            close("deleted");
            return;
        case RequestKind::kDeleteChild: {
            ChildSa* c = find_child_by_in(done.task.child_spi);
            if (c != nullptr) remove_child_at(static_cast<size_t>(c - children_.data()));
            return;
        }
        case RequestKind::kCreateChild:
        case RequestKind::kRekeyChild:
        case RequestKind::kRekeyIke:
            outstanding_ = std::move(done);  // the handlers read the exchange state
            if (outstanding_->task.kind == RequestKind::kRekeyIke) {
                handle_ike_rekey_response(inner);
            } else {
                handle_create_child_response(inner);
            }
            outstanding_.reset();
            return;
    }
}

// §1.4.1: DELETE of the IKE_SA, or of CHILD_SAs (answered with our halves).
void IkeSa::send_auth_failed_notice() {
    const IkeHeader h = make_header(ExchangeType::kInformational, my_mid_, false);
    auto packets = seal(h, {make_payload(NotifyPayload{ProtocolId::kNone,
                                                       static_cast<uint16_t>(NotifyType::kAuthenticationFailed), {}, {}})});
    if (packets) send_packets(*packets);
}

void IkeSa::handle_informational_request(const IkeHeader& header, const std::vector<Payload>& inner) {
    // §2.21.2: an initiator that refuses our IKE_AUTH (e.g. after a failed
    // EAP method, or our AUTH in the last response) says so in an
    // INFORMATIONAL, while we still authenticate or just after.
    if (state_ == IkeSaState::kAuthenticating || state_ == IkeSaState::kEstablished) {
        for (const Payload& p : inner) {
            const NotifyPayload* n = p.get<NotifyPayload>();
            if (n != nullptr && n->is(NotifyType::kAuthenticationFailed)) {
                send_response(header, {});
                return fail("peer sent AUTHENTICATION_FAILED during IKE_AUTH");
            }
        }
    }
    std::vector<Payload> reply;
    bool delete_ike_sa = false;
    DeletePayload ours;
    ours.protocol = ProtocolId::kEsp;
    ours.spi_size = 4;
    size_t deletes = 0;
    for (const Payload& p : inner) {
        const DeletePayload* d = p.get<DeletePayload>();
        if (d == nullptr || ++deletes > 16) continue;
        if (d->protocol == ProtocolId::kIke) {
            delete_ike_sa = true;
        } else if (d->protocol == ProtocolId::kEsp || d->protocol == ProtocolId::kAh) {
            for (const Bytes& spi_bytes : d->spis) {
                if (spi_bytes.size() != 4) continue;
                const uint32_t spi = (uint32_t(spi_bytes[0]) << 24) | (uint32_t(spi_bytes[1]) << 16) |
                                     (uint32_t(spi_bytes[2]) << 8) | spi_bytes[3];
                ChildSa* c = find_child_by_out(spi);
                if (c == nullptr) {
                    LOG_DEBUG(kLog, "IKE_SA #%u: DELETE for unknown CHILD_SA %08x", unique_id_, spi);
                    continue;
                }
                ByteWriter w;
                w.u32(c->spi_in);
                ours.spis.push_back(w.take());
                LOG_INFO(kLog, "CHILD_SA %s{%u} deleted by peer", c->config_name.c_str(), c->unique_id);
                remove_child_at(static_cast<size_t>(c - children_.data()));
            }
        }
    }
    if (delete_ike_sa) {
        send_response(header, {});
        LOG_INFO(kLog, "IKE_SA %s[%u] deleted by peer", config_ ? config_->name.c_str() : "?", unique_id_);
        close("deleted by peer");
        return;
    }
    if (!ours.spis.empty()) reply.push_back(make_payload(std::move(ours)));
    send_response(header, reply);
}

void IkeSa::remove_child_at(size_t index) {
    if (index >= children_.size()) return;
    env_.installer.remove(children_[index]);
    children_.erase(children_.begin() + static_cast<long>(index));
}

void IkeSa::remove_all_children() {
    while (!children_.empty()) remove_child_at(children_.size() - 1);
}

ChildSa* IkeSa::find_child_by_in(uint32_t spi) {
    for (auto& c : children_) if (c.spi_in == spi) return &c;
    return nullptr;
}

ChildSa* IkeSa::find_child_by_out(uint32_t spi) {
    for (auto& c : children_) if (c.spi_out == spi) return &c;
    return nullptr;
}

}  // namespace lanyard::ike
