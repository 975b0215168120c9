#include "authenticator/station_session.h"

#include <utility>

#include "methods/eap_types.h"

namespace lanyard::authenticator {

EapServerAdapter::EapServerAdapter(const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& config,
                                   Callbacks callbacks)
    : engine_(env, config), callbacks_(std::move(callbacks)) {}

eapol::EapServerResult EapServerAdapter::restart(TimePoint now) {
    // RFC 4137 §5.5 INITIALIZE on eapRestart: a new conversation.
    started_at_ = now;
    if (callbacks_.started) callbacks_.started();
    return convert(engine_.start(now), now);
}

eapol::EapServerResult EapServerAdapter::process(ByteView eap_response, TimePoint now) {
    return convert(engine_.handle(eap_response, now), now);
}

eapol::EapServerResult EapServerAdapter::on_timeout(TimePoint now) {
    return convert(engine_.on_timeout(now), now);
}

eapol::EapServerResult EapServerAdapter::convert(eap::AuthAction action, TimePoint now) {
    switch (action.kind) {
        case eap::AuthActionKind::kNone:
            return eapol::EapServerResult::no_request();
        case eap::AuthActionKind::kSend:
            return eapol::EapServerResult::request(std::move(action.packet));
        case eap::AuthActionKind::kSuccess:
            finish(EapOutcome::Kind::kSuccess, "", now);
            return eapol::EapServerResult::success(std::move(action.packet), action.keys_available);
        case eap::AuthActionKind::kFailure:
            finish(EapOutcome::Kind::kFailure, action.reason, now);
            return eapol::EapServerResult::failure(std::move(action.packet));
        case eap::AuthActionKind::kTimeout:
            finish(EapOutcome::Kind::kTimeout, action.reason, now);
            return eapol::EapServerResult::timeout();
    }
    return eapol::EapServerResult::no_request();
}

void EapServerAdapter::finish(EapOutcome::Kind kind, const std::string& reason, TimePoint now) {
    EapOutcome outcome;
    outcome.kind = kind;
    if (auto type = engine_.current_method()) {
        outcome.method_type = static_cast<uint8_t>(*type);
        outcome.method = eap::type_name(outcome.method_type);
    } else {
        outcome.method = "none";
    }
    outcome.rounds = engine_.stats().responses;
    outcome.time = now - started_at_;
    outcome.resumed = engine_.method() != nullptr && engine_.method()->resumed();
    outcome.identity = engine_.identity();
    outcome.reason = reason.empty() ? engine_.failure_reason() : reason;
    last_outcome_ = outcome;
    if (callbacks_.finished) callbacks_.finished(outcome);
}

StationSession::StationSession(const MacAddress& station, const eapol::AuthenticatorPortConfig& port_config,
                               const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& eap_config,
                               eapol::PortSink& sink, EapServerAdapter::Callbacks callbacks)
    : eap_(env, eap_config, std::move(callbacks)), port_(station, port_config, eap_, sink) {}

}  // namespace lanyard::authenticator
