// The authenticator's EAP server in pass-through mode (RFC 3579 §2, RFC 4137
// §6 "full authenticator" with an AAA back end): the port asks the station
// for its identity itself, then relays every EAP-Response to the RADIUS
// server in an Access-Request and every EAP packet of the answer back, as
// hostapd does with eap_server=0 and auth_server_addr.
//
// Toward the station it keeps RFC 4137's retransmission of the last Request
// (the RADIUS server never sees those); toward RADIUS it returns kPending and
// later delivers the decision through EapServerCallbacks::deliver.
// Access-Accept: EAP-Success (or one made here when the server sent none),
// the MSK from MS-MPPE-Recv-Key | MS-MPPE-Send-Key, Session-Timeout,
// Termination-Action and Class kept for the session. Access-Reject:
// EAP-Failure. No answer from any server: eapTimeout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "authenticator/nas_identity.h"
#include "authenticator/radius_transport.h"
#include "authenticator/station_eap_server.h"
#include "common/clock.h"
#include "common/mac_address.h"
#include "common/random.h"
#include "methods/eap_authenticator.h"

namespace lanyard::authenticator {

class RadiusEapBackend final : public StationEapServer {
public:
    // transport, nas, clock and random must outlive the backend.
    RadiusEapBackend(RadiusTransport& transport, const NasIdentity& nas, radius::StationId station, const Clock& clock,
                     RandomSource& random, eap::AuthenticatorConfig retransmission, EapServerCallbacks callbacks);
    ~RadiusEapBackend() override;

    eapol::EapServerResult restart(TimePoint now) override;
    // A restart for a lower layer that already knows the identity (IKEv2's
    // IDi, RFC 7296 §2.16): the EAP-Response/Identity goes straight to the
    // server, as charon's eap-radius sends it; the answer is delivered.
    eapol::EapServerResult restart_with_identity(const std::string& identity, TimePoint now);
    eapol::EapServerResult process(ByteView eap_response, TimePoint now) override;
    eapol::EapServerResult on_timeout(TimePoint now) override;
    std::optional<TimePoint> next_timeout() const override { return retransmit_at_; }
    void abort() override;
    const char* state_name() const override;

    std::string identity() const override { return identity_; }
    uint8_t method_type() const override { return station_method_; }
    uint8_t backend_method_type() const override { return server_method_; }
    const SecretBytes* msk() const override { return msk_ ? &*msk_ : nullptr; }
    std::vector<Bytes> radius_classes() const override { return classes_; }
    SessionLimits session_limits() const override { return limits_; }

private:
    enum class State { kIdle, kWaitingForStation, kWaitingForServer, kDone };

    eapol::EapServerResult send_request(Bytes request, TimePoint now);
    // Relays one EAP-Response in an Access-Request (RFC 3579 §2.1).
    eapol::EapServerResult relay(ByteView eap_response);
    void on_response(Result<radius::RadiusClient::Response> response);
    void finish(EapOutcome::Kind kind, const std::string& reason);
    void cancel_pending();

    RadiusTransport& transport_;
    const NasIdentity& nas_;
    radius::StationId station_;
    const Clock& clock_;
    RandomSource& random_;
    eap::AuthenticatorConfig retransmission_;

    State state_ = State::kIdle;
    std::string identity_;
    std::optional<Bytes> radius_state_;  // RFC 2865 §5.24, echoed
    uint8_t current_id_ = 0;             // Identifier of the outstanding EAP-Request
    Bytes last_request_;
    unsigned retransmissions_ = 0;
    Duration retransmit_timeout_{};
    std::optional<TimePoint> retransmit_at_;
    std::optional<uint64_t> pending_token_;
    unsigned rounds_ = 0;
    uint8_t station_method_ = 0;
    uint8_t server_method_ = 0;
    std::optional<SecretBytes> msk_;
    std::vector<Bytes> classes_;
    SessionLimits limits_;
};

}  // namespace lanyard::authenticator
