// An IKEv2 EAP round served by a RADIUS server (swanctl "auth =
// eap-radius"): the gateway is the NAS of RFC 3579 and relays the round's
// EAP through the same pass-through the authenticator uses
// (authenticator::RadiusEapBackend), with the attributes charon's
// eap-radius sends for a VPN peer: NAS-Port-Type Virtual, Called-Station-Id
// our IP address, Calling-Station-Id the peer's, NAS-Identifier.
#pragma once

#include <memory>
#include <optional>

#include "authenticator/nas_identity.h"
#include "authenticator/radius_eap_backend.h"
#include "authenticator/radius_transport.h"
#include "ike/eap_backend.h"

namespace lanyard::gateway {

class RadiusEapRound final : public ike::EapBackend {
public:
    // transport, clock and random must outlive the round.
    RadiusEapRound(authenticator::RadiusTransport& transport, const std::string& nas_identifier, const Clock& clock,
                   RandomSource& random, ike::EapBackendPeer peer);

    ike::EapStep start(const std::string& identity, TimePoint now) override;
    ike::EapStep handle(ByteView eap_response, TimePoint now) override;
    std::optional<ike::EapStep> take_delivered() override { return std::exchange(delivered_, std::nullopt); }
    std::string identity() const override { return relay_->identity(); }
    const char* name() const override { return "RADIUS"; }

private:
    ike::EapStep step(const eapol::EapServerResult& r) const;

    ike::EapBackendPeer peer_;
    authenticator::NasIdentity nas_;
    std::unique_ptr<authenticator::RadiusEapBackend> relay_;
    std::optional<ike::EapStep> delivered_;
};

// The factory for IkeSaEnv::external_eap.
ike::EapBackendFactory radius_eap_factory(authenticator::RadiusTransport& transport, std::string nas_identifier,
                                          const Clock& clock, RandomSource& random);

}  // namespace lanyard::gateway
