#include "radius/eap_radius_server.h"

#include "common/log.h"
#include "methods/eap_packet.h"
#include "methods/eap_types.h"
#include "radius/eap_message.h"
#include "radius/message_authenticator.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"

namespace lanyard::radius {

namespace {
constexpr const char* kLog = "radius-server";
constexpr size_t kStateSize = 16;
constexpr size_t kMskSize = 64;
}  // namespace

const char* drop_reason_name(DropReason reason) {
    switch (reason) {
        case DropReason::kUnknownClient: return "unknown client";
        case DropReason::kMalformed: return "malformed";
        case DropReason::kBadAuthenticator: return "bad authenticator";
        case DropReason::kNotAccessRequest: return "not an Access-Request";
        case DropReason::kNoEapMessage: return "no EAP-Message";
        case DropReason::kBadEap: return "bad EAP-Message";
        case DropReason::kUnknownState: return "unknown State";
        case DropReason::kInProgress: return "retransmission in progress";
        case DropReason::kSessionLimit: return "session limit";
        case DropReason::kEngineDiscarded: return "discarded by the EAP engine";
        case DropReason::kEncode: return "response encoding failed";
    }
    return "?";
}

uint64_t EapRadiusServerStats::dropped_total() const {
    uint64_t total = 0;
    for (uint64_t n : dropped) total += n;
    return total;
}

struct EapRadiusServer::Session {
    StateKey state;
    std::string client_key;
    std::unique_ptr<eap::EapAuthenticator> engine;
    TimePoint last_activity{};
};

EapRadiusServer::EapRadiusServer(const ClientTable& clients, const eap::ServerEnvironment& env, RandomSource& random,
                                 EapRadiusServerConfig config)
    : clients_(clients), env_(env), random_(random), config_(std::move(config)), duplicates_(config_.duplicates) {}

EapRadiusServer::~EapRadiusServer() = default;

std::optional<Bytes> EapRadiusServer::drop(DropReason reason, const std::string& detail) {
    stats_.dropped[static_cast<size_t>(reason)]++;
    LOG_DEBUG(kLog, "request dropped (%s): %s", drop_reason_name(reason), detail.c_str());
    return std::nullopt;
}

std::optional<Bytes> EapRadiusServer::handle(ByteView datagram, const IpAddress& from, uint16_t from_port,
                                             TimePoint now) {
    const NasClient* client = clients_.find(from);
    if (client == nullptr) return drop(DropReason::kUnknownClient, from.to_string());
    if (datagram.size() < kHeaderSize) return drop(DropReason::kMalformed, "shorter than a RADIUS header");
    const uint8_t code = datagram[0];
    if (code != static_cast<uint8_t>(Code::kAccessRequest) && code != static_cast<uint8_t>(Code::kStatusServer))
        return drop(DropReason::kNotAccessRequest, code_name(code));

    auto request = verify_access_request(datagram, client->secret.view(), config_.require_message_authenticator);
    if (!request) {
        const bool auth = request.error().code == ErrorCode::kProtocol || request.error().code == ErrorCode::kAuthFailed;
        return drop(auth ? DropReason::kBadAuthenticator : DropReason::kMalformed,
                    from.to_string() + ": " + request.error().to_string());
    }
    stats_.requests++;

    // RFC 5080 §2.2.2: the same request again gets the same answer.
    RequestKey key{Bytes(from.view().begin(), from.view().end()), from_port, request->identifier,
                   request->authenticator};
    const DuplicateCache::Lookup seen = duplicates_.begin(key, now);
    switch (seen.status) {
        case DuplicateStatus::kNew:
            break;
        case DuplicateStatus::kInProgress:
            return drop(DropReason::kInProgress, from.to_string());
        case DuplicateStatus::kAnswered:
            stats_.duplicates_answered++;
            return *seen.response;
    }

    std::optional<Bytes> response;
    if (request->is(Code::kStatusServer)) {
        // RFC 5997 §4.1: an authentication server answers Status-Server with
        // Access-Accept.
        Packet accept;
        accept.code = static_cast<uint8_t>(Code::kAccessAccept);
        accept.identifier = request->identifier;
        auto encoded = encode_response(std::move(accept), request->authenticator, client->secret.view());
        if (encoded) response = std::move(*encoded);
    } else {
        auto eap = join_eap_message(*request);
        if (!eap) {
            response = drop(DropReason::kBadEap, eap.error().to_string());
        } else if (!eap->has_value()) {
            response = drop(DropReason::kNoEapMessage, from.to_string());
        } else {
            response = process(*request, *client, from.to_string(), **eap, now);
        }
    }
    if (response) {
        duplicates_.complete(key, *response, now);
    } else {
        duplicates_.forget(key);
    }
    return response;
}

std::optional<Bytes> EapRadiusServer::process(const Packet& request, const NasClient& client,
                                              const std::string& client_key, ByteView eap, TimePoint now) {
    const Attribute* state = request.find(attr::kState);
    if (state != nullptr) {
        auto it = sessions_.find(state->value);
        if (it == sessions_.end() || it->second->client_key != client_key)
            return drop(DropReason::kUnknownState, client_key);
        Session& session = *it->second;
        session.last_activity = now;
        return answer(request, client, session, session.engine->handle(eap, now), now);
    }
    auto parsed = eap::parse_packet(eap);
    if (!parsed) return drop(DropReason::kBadEap, parsed.error().to_string());
    if (!parsed->is_response() || !parsed->type_is(eap::Type::kIdentity))
        return drop(DropReason::kBadEap, "a request without State must carry the EAP-Response/Identity");
    eap::AuthAction first;
    auto session = open_session(client_key, *parsed, &first, now);
    if (!session) return drop(DropReason::kSessionLimit, session.error().detail);
    return answer(request, client, **session, std::move(first), now);
}

Result<EapRadiusServer::Session*> EapRadiusServer::open_session(const std::string& client_key,
                                                                const eap::Packet& identity_response,
                                                                eap::AuthAction* first_action, TimePoint now) {
    if (sessions_.size() >= config_.max_sessions) expire(now);
    if (sessions_.size() >= config_.max_sessions)
        return make_error(ErrorCode::kLimit, std::to_string(sessions_.size()) + " sessions in progress");
    size_t& per_client = sessions_per_client_[client_key];
    if (per_client >= config_.max_sessions_per_client)
        return make_error(ErrorCode::kLimit, client_key + " has " + std::to_string(per_client) + " sessions");

    auto session = std::make_unique<Session>();
    session->state = random_.bytes(kStateSize);
    if (config_.state_prefix) session->state[0] = *config_.state_prefix;
    session->client_key = client_key;
    session->engine = std::make_unique<eap::EapAuthenticator>(env_, config_.eap);
    session->last_activity = now;
    const std::string identity(identity_response.type_data.begin(), identity_response.type_data.end());
    // RFC 4137 §5.4: the NAS sent the Request/Identity; our next Request
    // follows its Identifier.
    *first_action = session->engine->start_with_identity(identity, identity_response.identifier, now);
    Session* raw = session.get();
    sessions_.emplace(session->state, std::move(session));
    per_client++;
    stats_.sessions_started++;
    return raw;
}

std::optional<Bytes> EapRadiusServer::answer(const Packet& request, const NasClient& client, Session& session,
                                             eap::AuthAction action, TimePoint now) {
    (void)now;
    Packet response;
    response.identifier = request.identifier;
    bool done = false;
    switch (action.kind) {
        case eap::AuthActionKind::kNone:
            return drop(DropReason::kEngineDiscarded, action.reason);
        case eap::AuthActionKind::kSend:
            response.code = static_cast<uint8_t>(Code::kAccessChallenge);
            break;
        case eap::AuthActionKind::kSuccess:
            response.code = static_cast<uint8_t>(Code::kAccessAccept);
            done = true;
            break;
        case eap::AuthActionKind::kFailure:
            response.code = static_cast<uint8_t>(Code::kAccessReject);
            done = true;
            break;
        case eap::AuthActionKind::kTimeout:
            // Not reached: the engine does not retransmit here. Reject so
            // the NAS does not wait.
            response.code = static_cast<uint8_t>(Code::kAccessReject);
            action.packet = eap::build_failure(session.engine->current_identifier().value_or(0));
            done = true;
            break;
    }

    Status st = add_eap_message(response, action.packet);
    if (st && response.is(Code::kAccessChallenge)) st = response.add(attr::kState, session.state);
    if (st && response.is(Code::kAccessAccept)) {
        if (!session.engine->identity().empty()) st = add_string(response, attr::kUserName, session.engine->identity());
        if (st && action.keys_available && action.keys.msk.size() >= kMskSize) {
            // RFC 2548 §2.4.2: salts unique within the packet, high bit set.
            const uint16_t salt = static_cast<uint16_t>(0x8000 | (random_.u8() << 8) | random_.u8());
            st = add_msk_as_mppe_keys(response, action.keys.msk.view(), client.secret.view(), request.authenticator,
                                      salt, static_cast<uint16_t>(salt ^ 1));
        }
    }
    copy_proxy_state(request, response);
    Result<Bytes> encoded = st ? encode_response(std::move(response), request.authenticator, client.secret.view())
                               : Result<Bytes>(st.error());

    if (done) finish(session, action.kind == eap::AuthActionKind::kSuccess, action.reason);
    if (!encoded) {
        LOG_ERROR(kLog, "cannot encode the response: %s", encoded.error().to_string().c_str());
        return drop(DropReason::kEncode, encoded.error().to_string());
    }
    switch (static_cast<Code>(encoded->at(0))) {
        case Code::kAccessAccept: stats_.accepts++; break;
        case Code::kAccessReject: stats_.rejects++; break;
        case Code::kAccessChallenge: stats_.challenges++; break;
        case Code::kAccessRequest:
        case Code::kAccountingRequest:
        case Code::kAccountingResponse:
        case Code::kStatusServer:
        case Code::kStatusClient:
            break;
    }
    return std::move(*encoded);
}

void EapRadiusServer::finish(Session& session, bool success, const std::string& reason) {
    EapRadiusOutcome outcome;
    outcome.success = success;
    outcome.identity = session.engine->identity();
    if (auto type = session.engine->current_method()) {
        outcome.method = eap::type_name(static_cast<uint8_t>(*type));
    } else {
        outcome.method = "none";
    }
    outcome.resumed = session.engine->method() != nullptr && session.engine->method()->resumed();
    outcome.rounds = session.engine->stats().responses;
    outcome.client = session.client_key;
    outcome.reason = reason.empty() ? session.engine->failure_reason() : reason;
    if (observer_) observer_(outcome);
    erase_session(session.state);  // `session` is gone after this
}

void EapRadiusServer::erase_session(const StateKey& state) {
    auto it = sessions_.find(state);
    if (it == sessions_.end()) return;
    auto count = sessions_per_client_.find(it->second->client_key);
    if (count != sessions_per_client_.end() && --count->second == 0) sessions_per_client_.erase(count);
    sessions_.erase(it);
}

void EapRadiusServer::expire(TimePoint now) {
    duplicates_.expire(now);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (now - it->second->last_activity >= config_.session_idle_timeout) {
            LOG_DEBUG(kLog, "session of %s (%s) expired idle", it->second->client_key.c_str(),
                      it->second->engine->identity().c_str());
            stats_.sessions_expired++;
            const StateKey state = it->first;
            ++it;
            erase_session(state);
        } else {
            ++it;
        }
    }
}

}  // namespace lanyard::radius
