#include "methods/eap_authenticator.h"

#include <algorithm>

#include "common/log.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-auth";

bool contains(const std::vector<Type>& v, Type t) { return std::find(v.begin(), v.end(), t) != v.end(); }

}  // namespace

const char* auth_state_name(AuthState state) {
    switch (state) {
        case AuthState::kDisabled: return "DISABLED";
        case AuthState::kIdentity: return "IDENTITY";
        case AuthState::kMethod: return "METHOD";
        case AuthState::kSuccess: return "SUCCESS";
        case AuthState::kFailure: return "FAILURE";
        case AuthState::kTimeout: return "TIMEOUT_FAILURE";
    }
    return "?";
}

EapAuthenticator::EapAuthenticator(ServerEnvironment env, AuthenticatorConfig config, const MethodRegistry* registry)
    : env_(std::move(env)),
      config_(std::move(config)),
      registry_(registry != nullptr ? registry : &MethodRegistry::builtin()) {}

EapAuthenticator::~EapAuthenticator() = default;

// RFC 4137 §5.5 INITIALIZE.
void EapAuthenticator::reset(TimePoint /*now*/) {
    state_ = AuthState::kDisabled;
    identity_.clear();
    env_.identity.clear();
    env_.user = nullptr;
    method_.reset();
    method_type_.reset();
    method_has_response_ = false;
    tried_.clear();
    current_id_.reset();
    last_request_.clear();
    retrans_count_ = 0;
    rounds_ = 0;
    retrans_deadline_.reset();
    failure_reason_.clear();
    stats_ = {};
}

// RFC 4137 §5.4 calculateId: the first Identifier is random, then +1.
uint8_t EapAuthenticator::next_id() {
    uint8_t id = 1;
    if (current_id_) {
        id = static_cast<uint8_t>(*current_id_ + 1);
    } else if (env_.random != nullptr) {
        id = env_.random->u8();
    }
    current_id_ = id;
    return id;
}

AuthAction EapAuthenticator::start(TimePoint now) {
    reset(now);
    state_ = AuthState::kIdentity;
    // RFC 3748 §5.1: Request/Identity, optionally with a displayable prompt.
    auto req = build_identity_request(next_id(), config_.identity_prompt);
    if (!req) return fail("identity prompt does not fit an EAP packet");
    return send_request(std::move(*req), now);
}

AuthAction EapAuthenticator::start_with_identity(const std::string& identity, TimePoint now) {
    reset(now);
    state_ = AuthState::kMethod;
    return after_identity(identity, now);
}

AuthAction EapAuthenticator::start_with_identity(const std::string& identity, uint8_t last_identifier,
                                                 TimePoint now) {
    reset(now);
    state_ = AuthState::kMethod;
    current_id_ = last_identifier;
    return after_identity(identity, now);
}

// RFC 4137 §5.5 Policy.getNextMethod after Identity: the user's first
// allowed method, or Failure for an unknown user (as hostapd does).
AuthAction EapAuthenticator::after_identity(const std::string& raw_identity, TimePoint now) {
    // RFC 3748 §5.1 allows options after a NUL (RFC 4284 network ids): the
    // identity proper ends there.
    identity_ = raw_identity.substr(0, raw_identity.find('\0'));
    env_.identity = identity_;
    env_.user = env_.users != nullptr ? env_.users->find(identity_, config_.phase2) : nullptr;
    state_ = AuthState::kMethod;
    if (env_.user == nullptr) return fail("unknown user");
    LOG_DEBUG(kLog, "identity '%s' found (%zu method(s))", identity_.c_str(), env_.user->methods.size());
    return propose_next_method(nullptr, now);
}

// RFC 4137 §5.5 PROPOSE_METHOD: the first of the user's methods not tried
// yet, that this server can run and (after a Nak) that the peer asked for.
AuthAction EapAuthenticator::propose_next_method(const std::vector<uint8_t>* peer_wants, TimePoint now) {
    method_.reset();
    method_type_.reset();
    method_has_response_ = false;
    for (Type t : env_.user->methods) {
        if (contains(tried_, t)) continue;
        if (peer_wants != nullptr &&
            std::find(peer_wants->begin(), peer_wants->end(), static_cast<uint8_t>(t)) == peer_wants->end()) {
            continue;
        }
        tried_.push_back(t);
        if (!registry_->has_server(t)) continue;
        method_ = registry_->make_server(t, env_);
        if (!method_) {
            LOG_DEBUG(kLog, "method %s cannot run for this user", type_name(static_cast<uint8_t>(t)));
            continue;
        }
        method_type_ = t;
        LOG_DEBUG(kLog, "proposing %s", type_name(static_cast<uint8_t>(t)));
        return send_method_request(now);
    }
    return fail(peer_wants != nullptr ? "no method acceptable to both peer and user policy"
                                      : "no usable method for this user");
}

// RFC 4137 §5.5 METHOD_REQUEST: m.buildReq with the next Identifier.
AuthAction EapAuthenticator::send_method_request(TimePoint now) {
    const uint8_t id = next_id();
    auto data = method_->build_request(id);
    if (!data) return fail(std::string(type_name(static_cast<uint8_t>(*method_type_))) + ": " + data.error().detail);
    auto req = build_request(id, *method_type_, *data);
    if (!req) return fail("method request does not fit an EAP packet");
    return send_request(std::move(*req), now);
}

// RFC 4137 §5.5 SEND_REQUEST: lastReqData kept, retransCount = 0,
// retransWhile = calculateTimeout().
AuthAction EapAuthenticator::send_request(Bytes packet, TimePoint now) {
    last_request_ = packet;
    retrans_count_ = 0;
    ++stats_.requests_sent;
    retrans_deadline_.reset();
    if (config_.retransmit) retrans_deadline_ = now + current_timeout();
    AuthAction a;
    a.kind = AuthActionKind::kSend;
    a.packet = std::move(packet);
    return a;
}

// RFC 4137 §5.4 calculateTimeout, simplified to RFC 3748 §4.3's exponential
// back-off from a fixed start (no RTT estimate): initial * 2^retransCount,
// capped.
Duration EapAuthenticator::current_timeout() const {
    Duration t = config_.initial_timeout;
    for (unsigned i = 0; i < retrans_count_ && t < config_.max_timeout; ++i) t *= 2;
    return std::min(t, config_.max_timeout);
}

std::optional<TimePoint> EapAuthenticator::next_timeout() const {
    if (finished() || state_ == AuthState::kDisabled) return std::nullopt;
    return retrans_deadline_;
}

// RFC 4137 §5.5 IDLE with retransWhile == 0 → RETRANSMIT, or
// TIMEOUT_FAILURE once retransCount > MaxRetrans.
AuthAction EapAuthenticator::on_timeout(TimePoint now) {
    if (finished() || state_ == AuthState::kDisabled || !retrans_deadline_ || now < *retrans_deadline_) return {};
    ++retrans_count_;
    if (retrans_count_ > config_.max_retransmissions) {
        state_ = AuthState::kTimeout;
        retrans_deadline_.reset();
        failure_reason_ = "no response after " + std::to_string(config_.max_retransmissions) + " retransmissions";
        LOG_INFO(kLog, "authentication timed out: %s", failure_reason_.c_str());
        AuthAction a;
        a.kind = AuthActionKind::kTimeout;
        a.reason = failure_reason_;
        return a;
    }
    ++stats_.retransmissions;
    retrans_deadline_ = now + current_timeout();
    LOG_DEBUG(kLog, "retransmission %u of id=%u", retrans_count_, current_id_.value_or(0));
    AuthAction a;
    a.kind = AuthActionKind::kSend;
    a.packet = last_request_;
    return a;
}

// RFC 4137 §5.5 RECEIVED.
AuthAction EapAuthenticator::handle(ByteView bytes, TimePoint now) {
    switch (state_) {
        case AuthState::kDisabled: return discard("authenticator not started");
        case AuthState::kSuccess:
        case AuthState::kFailure:
        case AuthState::kTimeout: return discard("authentication already finished");
        case AuthState::kIdentity:
        case AuthState::kMethod: break;
    }
    auto parsed = parse_packet(bytes);
    if (!parsed) return discard("malformed EAP packet: " + parsed.error().detail);
    const Packet& pkt = *parsed;
    LOG_EXCESSIVE(kLog, "rx %s", describe(pkt).c_str());
    // RFC 4137 §5.5: rxResp && respId == currentId, else DISCARD.
    if (!pkt.is_response()) return discard("not an EAP-Response: " + describe(pkt));
    if (!current_id_ || pkt.identifier != *current_id_) {
        return discard("Response id=" + std::to_string(pkt.identifier) + ", expected " +
                       std::to_string(current_id_.value_or(0)));
    }
    if (++rounds_ > config_.max_rounds) {
        return fail("more than " + std::to_string(config_.max_rounds) + " EAP-Responses in one authentication");
    }
    return handle_response(pkt, now);
}

AuthAction EapAuthenticator::handle_response(const Packet& resp, TimePoint now) {
    switch (state_) {
        case AuthState::kIdentity:
            if (!resp.type_is(Type::kIdentity)) {
                return discard(std::string("expected Identity, got ") + type_name(resp.type));
            }
            ++stats_.responses;
            retrans_deadline_.reset();
            return after_identity(to_string(resp.type_data), now);
        case AuthState::kMethod:
            break;
        case AuthState::kDisabled:
        case AuthState::kSuccess:
        case AuthState::kFailure:
        case AuthState::kTimeout:
            return discard("no response expected");
    }
    if (resp.type_is(Type::kNak)) return handle_nak(resp, now);
    if (!method_ || resp.type != static_cast<uint8_t>(*method_type_)) {
        return discard(std::string("Response of type ") + type_name(resp.type) + " to a " +
                       (method_type_ ? type_name(static_cast<uint8_t>(*method_type_)) : "none") + " Request");
    }
    // RFC 4137 §5.5 INTEGRITY_CHECK / METHOD_RESPONSE.
    auto st = method_->process(resp.type_data);
    if (!st) return discard(std::string(type_name(resp.type)) + " rejected the Response: " + st.error().detail);
    ++stats_.responses;
    method_has_response_ = true;
    retrans_deadline_.reset();
    if (method_->is_done()) return method_finished(now);
    return send_method_request(now);
}

// RFC 4137 §5.5 NAK and RFC 3748 §5.3.1: a Nak answers only the first
// Request of a method; then the next method the peer listed, or Failure.
AuthAction EapAuthenticator::handle_nak(const Packet& resp, TimePoint now) {
    ++stats_.naks;
    ++stats_.responses;
    retrans_deadline_.reset();
    if (method_has_response_) return fail("Nak after the method had started (RFC 3748 §5.3.1)");
    const std::vector<uint8_t> wanted = parse_nak(resp.type_data);
    LOG_DEBUG(kLog, "Nak for %s, peer lists %zu method(s)",
              method_type_ ? type_name(static_cast<uint8_t>(*method_type_)) : "none", wanted.size());
    return propose_next_method(&wanted, now);
}

// RFC 4137 §5.5 SELECT_ACTION after m.isDone: Success or Failure by the
// method's decision.
AuthAction EapAuthenticator::method_finished(TimePoint /*now*/) {
    if (method_->is_success()) return succeed();
    std::string why = method_->failure_reason();
    if (why.empty()) why = std::string(type_name(static_cast<uint8_t>(*method_type_))) + " failed";
    return fail(why);
}

AuthAction EapAuthenticator::discard(const std::string& why) {
    ++stats_.discarded;
    LOG_DEBUG(kLog, "discard: %s", why.c_str());
    AuthAction a;
    a.reason = why;
    return a;
}

// RFC 4137 §5.5 SUCCESS: EAP-Success with currentId (RFC 3748 §4.2).
AuthAction EapAuthenticator::succeed() {
    state_ = AuthState::kSuccess;
    retrans_deadline_.reset();
    AuthAction a;
    a.kind = AuthActionKind::kSuccess;
    a.packet = build_success(current_id_.value_or(0));
    if (method_->key_available()) {
        a.keys = method_->keys();
        a.keys_available = true;
    }
    LOG_INFO(kLog, "authentication of '%s' succeeded", identity_.c_str());
    return a;
}

// RFC 4137 §5.5 FAILURE: EAP-Failure with currentId.
AuthAction EapAuthenticator::fail(const std::string& why) {
    state_ = AuthState::kFailure;
    retrans_deadline_.reset();
    failure_reason_ = why;
    const uint8_t id = current_id_ ? *current_id_ : next_id();
    LOG_INFO(kLog, "authentication of '%s' failed: %s", identity_.c_str(), why.c_str());
    AuthAction a;
    a.kind = AuthActionKind::kFailure;
    a.packet = build_failure(id);
    a.reason = why;
    return a;
}

}  // namespace lanyard::eap
