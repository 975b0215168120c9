#include "authenticator/station_session.h"

#include <utility>

#include "methods/eap_types.h"

namespace lanyard::authenticator {

EapServerAdapter::EapServerAdapter(const eap::ServerEnvironment& env, const eap::AuthenticatorConfig& config,
                                   Callbacks callbacks)
    : StationEapServer(std::move(callbacks)), engine_(env, config) {}

eapol::EapServerResult EapServerAdapter::restart(TimePoint now) {
    // RFC 4137 §5.5 INITIALIZE on eapRestart: a new conversation.
    begin(now);
    return convert(engine_.start(now), now);
}

eapol::EapServerResult EapServerAdapter::process(ByteView eap_response, TimePoint now) {
    return convert(engine_.handle(eap_response, now), now);
}

eapol::EapServerResult EapServerAdapter::on_timeout(TimePoint now) {
    return convert(engine_.on_timeout(now), now);
}

uint8_t EapServerAdapter::method_type() const {
    auto type = engine_.current_method();
    return type ? static_cast<uint8_t>(*type) : 0;
}

eapol::EapServerResult EapServerAdapter::convert(eap::AuthAction action, TimePoint now) {
    switch (action.kind) {
        case eap::AuthActionKind::kNone:
            return eapol::EapServerResult::no_request();
        case eap::AuthActionKind::kSend:
            return eapol::EapServerResult::request(std::move(action.packet));
        case eap::AuthActionKind::kSuccess:
            msk_ = action.keys_available ? action.keys.msk : SecretBytes();
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
    outcome.method_type = method_type();
    outcome.method = outcome.method_type != 0 ? eap::type_name(outcome.method_type) : "none";
    outcome.rounds = engine_.stats().responses;
    outcome.resumed = engine_.method() != nullptr && engine_.method()->resumed();
    outcome.identity = engine_.identity();
    outcome.reason = reason.empty() ? engine_.failure_reason() : reason;
    end(outcome, now);
}

StationSession::StationSession(const MacAddress& station, const eapol::AuthenticatorPortConfig& port_config,
                               std::unique_ptr<StationEapServer> eap, eapol::PortSink& sink)
    : eap_(std::move(eap)), port_(station, port_config, *eap_, sink) {}

}  // namespace lanyard::authenticator
