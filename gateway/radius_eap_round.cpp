#include "gateway/radius_eap_round.h"

#include "methods/eap_packet.h"

namespace lanyard::gateway {

RadiusEapRound::RadiusEapRound(authenticator::RadiusTransport& transport, const std::string& nas_identifier,
                               const Clock& clock, RandomSource& random, ike::EapBackendPeer peer)
    : peer_(std::move(peer)) {
    nas_.identifier = nas_identifier;
    nas_.port_type = radius::NasPortType::kVirtual;
    nas_.port = peer_.ike_sa_id;
    nas_.own_address = radius::StationId::from_text(peer_.local.host_string());
    if (const ByteView o = peer_.local.address_octets(); o.size() == 4) nas_.ip_address = radius::Ipv4Address{o[0], o[1], o[2], o[3]};
    authenticator::EapServerCallbacks callbacks;
    callbacks.deliver = [this](const eapol::EapServerResult& r) {
        delivered_ = step(r);
        if (peer_.wake) peer_.wake();
    };
    // IKE retransmits (RFC 7296 §2.1): the relay's own retransmission timer
    // toward the peer is never run.
    relay_ = std::make_unique<authenticator::RadiusEapBackend>(
        transport, nas_, radius::StationId::from_text(peer_.remote.host_string()), clock, random,
        eap::AuthenticatorConfig{}, std::move(callbacks));
}

ike::EapStep RadiusEapRound::start(const std::string& identity, TimePoint now) {
    return step(identity.empty() ? relay_->restart(now) : relay_->restart_with_identity(identity, now));
}

ike::EapStep RadiusEapRound::handle(ByteView eap_response, TimePoint now) {
    return step(relay_->process(eap_response, now));
}

ike::EapStep RadiusEapRound::step(const eapol::EapServerResult& r) const {
    ike::EapStep s;
    s.packet = r.packet;
    s.method = relay_->backend_method_type();
    using K = eapol::EapServerResult::Kind;
    switch (r.kind) {
        case K::kPending: s.kind = ike::EapStep::Kind::kPending; return s;
        case K::kRequest: s.kind = ike::EapStep::Kind::kRequest; return s;
        case K::kSuccess:
            s.kind = ike::EapStep::Kind::kSuccess;
            if (const SecretBytes* msk = relay_->msk(); msk != nullptr) s.msk = SecretBytes(msk->view());
            return s;
        case K::kFailure:
            s.kind = ike::EapStep::Kind::kFailure;
            s.reason = relay_->last_outcome() ? relay_->last_outcome()->reason : "Access-Reject";
            return s;
        case K::kTimeout:
            s.kind = ike::EapStep::Kind::kError;
            s.reason = "no answer from any RADIUS server";
            return s;
        case K::kNoRequest: break;
    }
    s.kind = ike::EapStep::Kind::kError;
    s.reason = "EAP-Response not relayed (not the one expected)";
    return s;
}

ike::EapBackendFactory radius_eap_factory(authenticator::RadiusTransport& transport, std::string nas_identifier,
                                          const Clock& clock, RandomSource& random) {
    return [&transport, nas_identifier = std::move(nas_identifier), &clock, &random](const ike::EapBackendPeer& peer)
               -> Result<std::unique_ptr<ike::EapBackend>> {
        return std::unique_ptr<ike::EapBackend>(new RadiusEapRound(transport, nas_identifier, clock, random, peer));
    };
}

}  // namespace lanyard::gateway
