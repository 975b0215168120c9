#include "tools/eapol_test/radius_station.h"

#include "common/log.h"
#include "methods/eap_packet.h"
#include "radius/request_builder.h"
#include "radius/response_classifier.h"
#include "supplicant/peer_setup.h"

namespace lanyard::eapol_test {

namespace {
// RFC 3748 §4: Code 2 = Response; §5.1: Type 1 = Identity, data after the
// 5-octet header.
constexpr uint8_t kEapCodeResponse = 2;
constexpr uint8_t kEapTypeIdentity = 1;
constexpr size_t kEapTypeDataOffset = 5;
// The tool keeps one cached session per station under this key.
constexpr size_t kNetworkId = 0;
}  // namespace

const char* auth_result_name(AuthResult result) {
    switch (result) {
        case AuthResult::kAccept: return "accept";
        case AuthResult::kReject: return "reject";
        case AuthResult::kFailed: return "failed";
        case AuthResult::kTimeout: return "timeout";
    }
    return "?";
}

RadiusStation::RadiusStation(const StationSettings& settings, MacAddress mac)
    : settings_(settings),
      mac_(mac),
      env_(supplicant::make_peer_environment(*settings.credentials, settings.tls, cache_, *settings.random,
                                             kNetworkId, settings.offer_cached_session)),
      peer_(env_) {}

Status RadiusStation::begin(TimePoint now) {
    peer_.start(now);
    state_.reset();
    user_name_.clear();
    eap_response_.clear();
    round_trips_ = 0;
    active_ = false;
    auto request = eap::build_identity_request(settings_.random->u8());
    if (!request) return request.error();
    eap::PeerAction action = peer_.handle(*request, now);
    if (action.kind != eap::PeerActionKind::kSend) {
        return make_error(ErrorCode::kProtocol, "the EAP peer did not answer EAP-Request/Identity: " + action.reason);
    }
    eap_response_ = std::move(action.packet);
    // RFC 3579 §2.1 and eapol_test: User-Name is the identity of the
    // EAP-Response/Identity (the outer, possibly anonymous, one).
    if (eap_response_.size() >= kEapTypeDataOffset && eap_response_[0] == kEapCodeResponse &&
        eap_response_[4] == kEapTypeIdentity) {
        user_name_.assign(eap_response_.begin() + kEapTypeDataOffset, eap_response_.end());
    }
    active_ = true;
    return ok_status();
}

Result<Bytes> RadiusStation::encode_request(uint8_t identifier, const radius::Authenticator& request_authenticator,
                                            ByteView secret) const {
    radius::AccessRequestParams p;
    p.identifier = identifier;
    p.request_authenticator = request_authenticator;
    p.session.user_name = user_name_;
    p.session.nas_ip_address = settings_.nas_ip;
    p.session.nas_port_type = radius::NasPortType::kWireless80211;
    p.service_type = radius::ServiceType::kFramed;
    p.session.called_station = settings_.called_station;
    p.session.calling_station = mac_;
    p.framed_mtu = settings_.framed_mtu;
    p.connect_info = settings_.connect_info;
    p.state = state_;
    p.eap_message = eap_response_;
    return radius::encode_eap_access_request(p, secret);
}

StationStep RadiusStation::on_response(const radius::Packet& response,
                                       const radius::Authenticator& request_authenticator, ByteView secret,
                                       TimePoint now) {
    StationStep step;
    if (!active_) {
        step.outcome = finish(AuthResult::kFailed, "response for an idle station", nullptr, std::nullopt);
        return step;
    }
    auto info = radius::classify_response(response, request_authenticator, secret);
    if (!info) {
        step.outcome = finish(AuthResult::kFailed, "unusable response: " + info.error().to_string(), nullptr,
                              std::nullopt);
        return step;
    }
    ++round_trips_;
    switch (info->kind) {
        case radius::ResponseKind::kChallenge: {
            // RFC 2865 §5.24: echo the State unmodified in the next request.
            state_ = info->state;
            eap::PeerAction action = peer_.handle(*info->eap, now);
            switch (action.kind) {
                case eap::PeerActionKind::kSend:
                    eap_response_ = std::move(action.packet);
                    step.kind = StepKind::kSend;
                    return step;
                case eap::PeerActionKind::kNone:
                    step.outcome = finish(AuthResult::kFailed, "the peer discarded the EAP-Request: " + action.reason,
                                          nullptr, std::nullopt);
                    return step;
                case eap::PeerActionKind::kSuccess:
                case eap::PeerActionKind::kFailure:
                    step.outcome = finish(AuthResult::kFailed,
                                          "the peer ended inside an Access-Challenge: " +
                                              (action.reason.empty() ? peer_.failure_reason() : action.reason),
                                          nullptr, std::nullopt);
                    return step;
            }
            break;
        }
        case radius::ResponseKind::kAccept: {
            // RFC 3579 §2.2: the Accept carries EAP-Success; without one the
            // lower layer's success indication is altAccept (RFC 4137 §4.1.1).
            eap::PeerAction action = info->eap ? peer_.handle(*info->eap, now) : peer_.alt_accept(now);
            if (action.kind != eap::PeerActionKind::kSuccess) {
                step.outcome = finish(AuthResult::kFailed,
                                      "Access-Accept but the peer did not succeed: " +
                                          (action.reason.empty() ? std::string(eap::peer_state_name(peer_.state()))
                                                                 : action.reason),
                                      nullptr, info->msk);
                return step;
            }
            const SecretBytes* peer_msk = action.keys_available ? &action.keys.msk : nullptr;
            step.outcome = finish(AuthResult::kAccept, "", peer_msk, info->msk);
            return step;
        }
        case radius::ResponseKind::kReject: {
            if (info->eap) (void)peer_.handle(*info->eap, now);
            std::string reason = "Access-Reject";
            for (const std::string& m : info->reply_messages) reason += " (" + m + ")";
            if (!peer_.failure_reason().empty()) reason += ": " + peer_.failure_reason();
            step.outcome = finish(AuthResult::kReject, reason, nullptr, std::nullopt);
            return step;
        }
    }
    step.outcome = finish(AuthResult::kFailed, "unknown response kind", nullptr, std::nullopt);
    return step;
}

AuthOutcome RadiusStation::give_up(const std::string& reason) {
    return finish(AuthResult::kTimeout, reason, nullptr, std::nullopt);
}

AuthOutcome RadiusStation::finish(AuthResult result, std::string reason, const SecretBytes* peer_msk,
                                  const std::optional<SecretBytes>& server_msk) {
    AuthOutcome out;
    out.result = result;
    out.reason = std::move(reason);
    out.method = peer_.selected_method();
    out.round_trips = round_trips_;
    const eap::PeerMethod* m = peer_.method();
    out.resumed = result == AuthResult::kAccept && m != nullptr && m->resumed();
    out.keys = check_mppe_keys(result == AuthResult::kAccept, server_msk, peer_msk, settings_.no_mppe_keys);
    active_ = false;
    state_.reset();
    return out;
}

}  // namespace lanyard::eapol_test
