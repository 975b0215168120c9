#include "authenticator/radius_eap_backend.h"

#include <algorithm>

#include "common/log.h"
#include "methods/eap_packet.h"
#include "methods/eap_types.h"
#include "radius/request_builder.h"
#include "radius/response_classifier.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-client";

// RFC 3748 §5: the types that are not methods.
bool is_method(uint8_t type) {
    return type != static_cast<uint8_t>(eap::Type::kIdentity) &&
           type != static_cast<uint8_t>(eap::Type::kNotification) && type != static_cast<uint8_t>(eap::Type::kNak);
}
}  // namespace

RadiusEapBackend::RadiusEapBackend(RadiusTransport& transport, const NasIdentity& nas, radius::StationId station,
                                   const Clock& clock, RandomSource& random, eap::AuthenticatorConfig retransmission,
                                   EapServerCallbacks callbacks)
    : StationEapServer(std::move(callbacks)),
      transport_(transport),
      nas_(nas),
      station_(std::move(station)),
      clock_(clock),
      random_(random),
      retransmission_(std::move(retransmission)) {}

RadiusEapBackend::~RadiusEapBackend() { cancel_pending(); }

const char* RadiusEapBackend::state_name() const {
    switch (state_) {
        case State::kIdle: return "IDLE";
        case State::kWaitingForStation: return "IDLE2";  // RFC 4137 §6 names: waiting for the peer
        case State::kWaitingForServer: return "AAA_IDLE";
        case State::kDone: return "DONE";
    }
    return "?";
}

void RadiusEapBackend::cancel_pending() {
    if (pending_token_) transport_.cancel(*pending_token_);
    pending_token_.reset();
}

void RadiusEapBackend::abort() {
    cancel_pending();
    retransmit_at_.reset();
    state_ = State::kIdle;
}

eapol::EapServerResult RadiusEapBackend::restart(TimePoint now) {
    // RFC 4137 §6.4 INITIALIZE: forget the previous conversation, including
    // its RADIUS State and keys.
    cancel_pending();
    identity_.clear();
    radius_state_.reset();
    msk_.reset();
    classes_.clear();
    limits_ = {};
    rounds_ = 0;
    station_method_ = 0;
    server_method_ = 0;
    begin(now);
    current_id_ = random_.u8();
    auto request = eap::build_identity_request(current_id_);
    if (!request) {
        finish(EapOutcome::Kind::kFailure, request.error().to_string());
        return eapol::EapServerResult::failure(eap::build_failure(current_id_));
    }
    return send_request(std::move(*request), now);
}

eapol::EapServerResult RadiusEapBackend::send_request(Bytes request, TimePoint now) {
    last_request_ = std::move(request);
    state_ = State::kWaitingForStation;
    retransmissions_ = 0;
    retransmit_timeout_ = retransmission_.initial_timeout;
    retransmit_at_ = now + retransmit_timeout_;
    return eapol::EapServerResult::request(last_request_);
}

eapol::EapServerResult RadiusEapBackend::process(ByteView eap_response, TimePoint /*now*/) {
    auto parsed = eap::parse_packet(eap_response);
    if (!parsed || !parsed->is_response()) {
        LOG_DEBUG(kLog, "%s: not an EAP-Response: dropped", station_.str().c_str());
        return eapol::EapServerResult::no_request();
    }
    // RFC 4137 §6.4 (and §5.4 checkId): only an answer to the outstanding
    // Request is relayed; a duplicate while RADIUS is busy is dropped.
    if (state_ != State::kWaitingForStation || parsed->identifier != current_id_) {
        LOG_DEBUG(kLog, "%s: EAP-Response id %u not expected: dropped", station_.str().c_str(),
                  parsed->identifier);
        return eapol::EapServerResult::no_request();
    }
    if (parsed->type_is(eap::Type::kIdentity) && identity_.empty())
        identity_.assign(parsed->type_data.begin(), parsed->type_data.end());
    if (is_method(parsed->type)) station_method_ = parsed->type;
    return relay(eap_response);
}

eapol::EapServerResult RadiusEapBackend::restart_with_identity(const std::string& identity, TimePoint now) {
    (void)restart(now);  // forgets the last conversation and draws the Identifier
    auto response = eap::build_identity_response(current_id_, identity);
    if (!response) {
        finish(EapOutcome::Kind::kFailure, response.error().to_string());
        return eapol::EapServerResult::failure(eap::build_failure(current_id_));
    }
    identity_ = identity;
    retransmit_at_.reset();
    return relay(*response);
}

eapol::EapServerResult RadiusEapBackend::relay(ByteView eap_response) {
    ++rounds_;

    radius::AccessRequestParams p;
    p.session = nas_.session(station_, identity_);
    p.nas_port = nas_.port;
    p.framed_mtu = nas_.framed_mtu;
    p.state = radius_state_;
    p.eap_message = Bytes(eap_response.begin(), eap_response.end());
    auto packet = radius::build_access_request(p);
    Result<uint64_t> token = packet ? transport_.submit(radius::RequestKind::kAccess, std::move(*packet),
                                                        [this](Result<radius::RadiusClient::Response> r) {
                                                            on_response(std::move(r));
                                                        })
                                    : Result<uint64_t>(packet.error());
    if (!token) {
        LOG_WARN(kLog, "%s: cannot send the Access-Request: %s", station_.str().c_str(),
                 token.error().to_string().c_str());
        finish(EapOutcome::Kind::kFailure, token.error().to_string());
        return eapol::EapServerResult::failure(eap::build_failure(current_id_));
    }
    pending_token_ = *token;
    state_ = State::kWaitingForServer;
    retransmit_at_.reset();
    return eapol::EapServerResult::pending();
}

eapol::EapServerResult RadiusEapBackend::on_timeout(TimePoint now) {
    if (state_ != State::kWaitingForStation || !retransmit_at_ || now < *retransmit_at_)
        return eapol::EapServerResult::no_request();
    if (retransmissions_ >= retransmission_.max_retransmissions) {
        retransmit_at_.reset();
        finish(EapOutcome::Kind::kTimeout, "no EAP-Response from the station");
        return eapol::EapServerResult::timeout();
    }
    // RFC 4137 §6.4 RETRANSMIT, RFC 3748 §4.3 back-off.
    ++retransmissions_;
    retransmit_timeout_ = std::min(retransmit_timeout_ * 2, retransmission_.max_timeout);
    retransmit_at_ = now + retransmit_timeout_;
    return eapol::EapServerResult::request(last_request_);
}

void RadiusEapBackend::on_response(Result<radius::RadiusClient::Response> response) {
    pending_token_.reset();
    const TimePoint now = clock_.now();
    if (!response) {
        finish(EapOutcome::Kind::kTimeout, response.error().detail);
        deliver(eapol::EapServerResult::timeout());
        return;
    }
    auto info = radius::classify_response(response->packet, response->request_authenticator,
                                          transport_.secret(response->server));
    if (!info) {
        LOG_WARN(kLog, "%s: unusable answer from %s: %s", station_.str().c_str(),
                 transport_.server_name(response->server).c_str(), info.error().to_string().c_str());
        finish(EapOutcome::Kind::kFailure, info.error().to_string());
        deliver(eapol::EapServerResult::failure(eap::build_failure(current_id_)));
        return;
    }
    switch (info->kind) {
        case radius::ResponseKind::kChallenge: {
            auto request = eap::parse_packet(*info->eap);
            if (!request || !request->is_request()) {
                finish(EapOutcome::Kind::kFailure, "Access-Challenge without an EAP-Request");
                deliver(eapol::EapServerResult::failure(eap::build_failure(current_id_)));
                return;
            }
            if (is_method(request->type)) server_method_ = request->type;
            radius_state_ = info->state;
            current_id_ = request->identifier;
            deliver(send_request(std::move(*info->eap), now));
            return;
        }
        case radius::ResponseKind::kAccept: {
            if (info->msk) msk_ = std::move(*info->msk);
            classes_ = info->classes;
            limits_.session_timeout = info->session_timeout;
            limits_.reauthenticate_at_timeout =
                info->termination_action == static_cast<uint32_t>(radius::TerminationAction::kRadiusRequest);
            if (auto interim = radius::get_integer(response->packet, radius::attr::kAcctInterimInterval);
                interim && *interim)
                limits_.interim_interval = **interim;
            Bytes success = info->eap ? std::move(*info->eap) : eap::build_success(current_id_);
            state_ = State::kDone;
            finish(EapOutcome::Kind::kSuccess, "");
            deliver(eapol::EapServerResult::success(std::move(success), msk_.has_value()));
            return;
        }
        case radius::ResponseKind::kReject: {
            Bytes failure = info->eap ? std::move(*info->eap) : eap::build_failure(current_id_);
            state_ = State::kDone;
            std::string reason = "Access-Reject";
            for (const std::string& m : info->reply_messages) reason += ": " + m;
            finish(EapOutcome::Kind::kFailure, reason);
            deliver(eapol::EapServerResult::failure(std::move(failure)));
            return;
        }
    }
}

void RadiusEapBackend::finish(EapOutcome::Kind kind, const std::string& reason) {
    state_ = State::kDone;
    EapOutcome outcome;
    outcome.kind = kind;
    outcome.method_type = server_method_ != 0 ? server_method_ : station_method_;
    outcome.method = outcome.method_type != 0 ? eap::type_name(outcome.method_type) : "none";
    outcome.rounds = rounds_;
    outcome.identity = identity_;
    outcome.reason = reason;
    end(outcome, clock_.now());
}

}  // namespace lanyard::authenticator
