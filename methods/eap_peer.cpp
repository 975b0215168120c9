#include "methods/eap_peer.h"

#include <algorithm>

#include "common/log.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-peer";

const PeerCredentials& credentials_or_empty(const PeerEnvironment& env) {
    static const PeerCredentials kEmpty;
    return env.credentials != nullptr ? *env.credentials : kEmpty;
}

// Notification text is displayable UTF-8 (RFC 3748 §5.2); keep logs clean.
std::string printable(ByteView text) {
    std::string out;
    for (uint8_t c : text) out.push_back(c >= 0x20 && c != 0x7f ? static_cast<char>(c) : '?');
    return out;
}

}  // namespace

const char* peer_state_name(PeerState state) {
    switch (state) {
        case PeerState::kDisabled: return "DISABLED";
        case PeerState::kIdle: return "IDLE";
        case PeerState::kSuccess: return "SUCCESS";
        case PeerState::kFailure: return "FAILURE";
    }
    return "?";
}

EapPeer::EapPeer(PeerEnvironment env, PeerConfig config, const MethodRegistry* registry)
    : env_(std::move(env)), config_(config), registry_(registry != nullptr ? registry : &MethodRegistry::builtin()) {}

EapPeer::~EapPeer() = default;

// RFC 4137 §4.5 INITIALIZE.
void EapPeer::start(TimePoint now) {
    reset_method();
    state_ = PeerState::kIdle;
    last_id_.reset();
    last_resp_.clear();
    identity_sent_.clear();
    last_notification_.clear();
    failure_reason_.clear();
    stats_ = {};
    idle_deadline_.reset();
    if (config_.use_idle_timer) idle_deadline_ = now + config_.client_timeout;
}

void EapPeer::reset_method() {
    method_.reset();
    selected_.reset();
}

std::optional<MethodState> EapPeer::method_state() const {
    if (!method_) return std::nullopt;
    return method_->state();
}

std::optional<TimePoint> EapPeer::next_timeout() const {
    if (state_ != PeerState::kIdle) return std::nullopt;
    return idle_deadline_;
}

PeerAction EapPeer::handle(ByteView bytes, TimePoint now) {
    switch (state_) {
        case PeerState::kDisabled: return discard("peer not started");
        case PeerState::kSuccess:
        case PeerState::kFailure: return discard("authentication already finished");
        case PeerState::kIdle: break;
    }
    auto parsed = parse_packet(bytes);
    if (!parsed) return discard("malformed EAP packet: " + parsed.error().detail);
    const Packet& pkt = *parsed;
    LOG_EXCESSIVE(kLog, "rx %s", describe(pkt).c_str());
    switch (pkt.code) {
        case Code::kRequest: return handle_request(pkt, now);
        case Code::kResponse: return discard("EAP-Response received by a peer");
        case Code::kSuccess: return handle_success(pkt, now);
        case Code::kFailure: return handle_failure(pkt, now);
    }
    return discard("unknown code");
}

// RFC 4137 §4.5 RECEIVED with rxReq.
PeerAction EapPeer::handle_request(const Packet& req, TimePoint now) {
    if (++stats_.requests > config_.max_requests) {
        return fail("more than " + std::to_string(config_.max_requests) + " EAP-Requests in one authentication");
    }
    // RFC 4137 §4.5 RETRANSMIT: a Request with the last Identifier is a
    // retransmission; answer with lastRespData without running the method
    // again (RFC 3748 §4.1, duplicate detection by Identifier).
    if (last_id_ && req.identifier == *last_id_) {
        if (last_resp_.empty()) return discard("duplicate Request with nothing to repeat");
        ++stats_.duplicates;
        LOG_DEBUG(kLog, "duplicate Request id=%u: repeating the last Response", req.identifier);
        return send_response(req.identifier, last_resp_, now);
    }
    if (req.type_is(Type::kIdentity)) return answer_identity(req, now);
    if (req.type_is(Type::kNotification)) return answer_notification(req, now);
    if (req.type_is(Type::kNak)) return discard("Nak is only valid in a Response (RFC 3748 §5.3)");
    if (!selected_) return get_method(req, now);
    // RFC 4137 §4.5: reqMethod == selectedMethod && methodState != DONE → METHOD.
    if (req.type != static_cast<uint8_t>(*selected_)) {
        return discard(std::string("Request for ") + type_name(req.type) + " while " +
                       type_name(static_cast<uint8_t>(*selected_)) + " is selected");
    }
    if (method_->state() == MethodState::kDone) return discard("Request after the method finished");
    return run_method(req, now);
}

// RFC 4137 §4.5 IDENTITY (RFC 3748 §5.1).
PeerAction EapPeer::answer_identity(const Packet& req, TimePoint now) {
    if (selected_) {
        // The authenticator started over (its own timers expired). Drop the
        // half-done method; the request bound still applies.
        LOG_DEBUG(kLog, "Identity Request while %s runs: restarting the conversation",
                  type_name(static_cast<uint8_t>(*selected_)));
        reset_method();
    }
    const PeerCredentials& creds = credentials_or_empty(env_);
    identity_sent_ = config_.phase2 ? creds.identity : outer_identity(creds, *registry_);
    auto resp = build_identity_response(req.identifier, identity_sent_);
    if (!resp) return fail("identity does not fit an EAP packet");
    return send_response(req.identifier, std::move(*resp), now);
}

// RFC 4137 §4.5 NOTIFICATION (RFC 3748 §5.2): show the text, answer empty.
PeerAction EapPeer::answer_notification(const Packet& req, TimePoint now) {
    ++stats_.notifications;
    last_notification_ = printable(req.type_data);
    LOG_INFO(kLog, "EAP Notification: %s", last_notification_.c_str());
    return send_response(req.identifier, build_notification_response(req.identifier), now);
}

// RFC 4137 §4.5 GET_METHOD: start the requested method if allowed, else a
// legacy Nak (RFC 3748 §5.3.1) listing the methods we would accept.
PeerAction EapPeer::get_method(const Packet& req, TimePoint now) {
    const std::vector<Type> allowed = allowed_peer_methods(credentials_or_empty(env_), *registry_);
    const bool is_allowed = std::any_of(allowed.begin(), allowed.end(),
                                        [&](Type t) { return static_cast<uint8_t>(t) == req.type; });
    if (is_allowed) {
        const Type type = static_cast<Type>(req.type);
        method_ = registry_->make_peer(type, env_);
        if (method_) {
            selected_ = type;
            LOG_DEBUG(kLog, "selected method %s", type_name(req.type));
            return run_method(req, now);
        }
        LOG_DEBUG(kLog, "method %s cannot run with this configuration", type_name(req.type));
    }
    std::vector<Type> desired;
    for (Type t : allowed) {
        if (static_cast<uint8_t>(t) != req.type) desired.push_back(t);
    }
    ++stats_.naks;
    LOG_DEBUG(kLog, "Nak for %s(%u), offering %zu method(s)", type_name(req.type), req.type, desired.size());
    return send_response(req.identifier, build_nak(req.identifier, desired), now);
}

// RFC 4137 §4.5 METHOD: m.check, m.process, m.buildResp.
PeerAction EapPeer::run_method(const Packet& req, TimePoint now) {
    auto data = method_->process(req.identifier, req.type_data);
    if (!data) {
        // m.check failed: RFC 4137 §4.5 DISCARD, lastId unchanged.
        return discard(std::string(type_name(req.type)) + " dropped the Request: " + data.error().detail);
    }
    auto resp = build_response(req.identifier, req.type, *data);
    if (!resp) return fail("method response does not fit an EAP packet");
    return send_response(req.identifier, std::move(*resp), now);
}

// RFC 4137 §4.5 SEND_RESPONSE: lastId = reqId, lastRespData kept, idleWhile
// = ClientTimeout.
PeerAction EapPeer::send_response(uint8_t id, Bytes packet, TimePoint now) {
    last_id_ = id;
    last_resp_ = packet;
    if (config_.use_idle_timer) idle_deadline_ = now + config_.client_timeout;
    PeerAction a;
    a.kind = PeerActionKind::kSend;
    a.packet = std::move(packet);
    return a;
}

bool EapPeer::success_allowed() const {
    if (!method_) return false;
    const MethodState st = method_->state();
    const Decision d = method_->decision();
    bool by_state = false;
    switch (st) {
        case MethodState::kDone: by_state = d != Decision::kFail; break;
        case MethodState::kMayCont:
            by_state = d == Decision::kCondSucc || d == Decision::kUncondSucc;
            break;
        case MethodState::kInit:
        case MethodState::kCont: by_state = false; break;
    }
    return by_state && method_->may_accept_success();
}

// RFC 4137 §4.5 RECEIVED with rxSuccess.
PeerAction EapPeer::handle_success(const Packet& pkt, TimePoint /*now*/) {
    // RFC 4137 §4.5: only rxSuccess with reqId == lastId leads anywhere;
    // RFC 3748 §4.2: Success carries the Identifier of the last Response.
    if (!last_id_ || pkt.identifier != *last_id_) {
        return discard("EAP-Success with Identifier " + std::to_string(pkt.identifier) + " not matching lastId");
    }
    if (success_allowed()) return succeed("EAP-Success");
    // An early Success: never accepted. RFC 4137 §4.5 leaves a continuing
    // method alone (DISCARD) and fails otherwise.
    if (method_ && method_->state() == MethodState::kCont) {
        return discard("early EAP-Success while the method continues");
    }
    if (method_ && method_->decision() != Decision::kFail) {
        return discard("EAP-Success before the method may accept it");
    }
    return fail("EAP-Success refused: no method has succeeded");
}

// RFC 4137 §4.5 RECEIVED with rxFailure: reqId == lastId, methodState !=
// CONT and decision != UNCOND_SUCC → FAILURE; anything else is discarded.
PeerAction EapPeer::handle_failure(const Packet& pkt, TimePoint /*now*/) {
    if (!last_id_ || pkt.identifier != *last_id_) {
        return discard("EAP-Failure with Identifier " + std::to_string(pkt.identifier) + " not matching lastId");
    }
    if (method_ && method_->state() == MethodState::kCont) {
        return discard("EAP-Failure while the method continues");
    }
    if (method_ && method_->decision() == Decision::kUncondSucc) {
        return discard("EAP-Failure after an unconditional success");
    }
    std::string why = "EAP-Failure received";
    if (method_ && !method_->failure_reason().empty()) why += " (" + method_->failure_reason() + ")";
    return fail(why);
}

// RFC 4137 §4.5 IDLE with idleWhile == 0.
PeerAction EapPeer::on_timeout(TimePoint now) {
    if (state_ != PeerState::kIdle || !idle_deadline_ || now < *idle_deadline_) return {};
    if (method_ && method_->decision() == Decision::kUncondSucc && method_->may_accept_success()) {
        return succeed("idleWhile expired after an unconditional success");
    }
    return fail("no EAP packet for " + std::to_string(config_.client_timeout.count() / 1000) + " s (ClientTimeout)");
}

// RFC 4137 §4.5 IDLE with altAccept / altReject.
PeerAction EapPeer::alt_accept(TimePoint /*now*/) {
    if (state_ != PeerState::kIdle) return {};
    if (method_ && method_->decision() != Decision::kFail && method_->may_accept_success()) {
        return succeed("lower-layer success indication");
    }
    if (method_ && method_->state() == MethodState::kCont) return discard("altAccept while the method continues");
    return fail("lower-layer success indication without a successful method");
}

PeerAction EapPeer::alt_reject(TimePoint /*now*/) {
    if (state_ != PeerState::kIdle) return {};
    return fail("lower-layer failure indication");
}

PeerAction EapPeer::discard(const std::string& why) {
    ++stats_.discarded;
    LOG_DEBUG(kLog, "discard: %s", why.c_str());
    PeerAction a;
    a.reason = why;
    return a;
}

PeerAction EapPeer::succeed(const std::string& how) {
    state_ = PeerState::kSuccess;
    idle_deadline_.reset();
    PeerAction a;
    a.kind = PeerActionKind::kSuccess;
    a.reason = how;
    if (method_ && method_->key_available()) {
        a.keys = method_->keys();
        a.keys_available = true;
    }
    LOG_INFO(kLog, "authentication succeeded (%s)", how.c_str());
    return a;
}

PeerAction EapPeer::fail(const std::string& why) {
    state_ = PeerState::kFailure;
    idle_deadline_.reset();
    failure_reason_ = why;
    LOG_INFO(kLog, "authentication failed: %s", why.c_str());
    PeerAction a;
    a.kind = PeerActionKind::kFailure;
    a.reason = why;
    return a;
}

}  // namespace lanyard::eap
