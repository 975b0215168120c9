// One simulated station of lanyard-eapol-test: an EAP peer (RFC 4137 §4)
// carried over RADIUS (RFC 3579 §2) the way eapol_test carries it — the
// authenticator's part of 802.1X done by hand. Pure: no sockets, no clocks
// of its own; the load runner owns the transport, Identifiers and
// retransmissions, and hands in verified responses.
//
//   station.begin(now);                         // fake EAP-Request/Identity
//   bytes = station.encode_request(id, auth, secret);   // send it
//   step = station.on_response(packet, auth, secret, now);
//     kSend: encode_request again; kFinished: step.outcome.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/mac_address.h"
#include "common/random.h"
#include "common/result.h"
#include "methods/eap_config.h"
#include "methods/eap_peer.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"
#include "supplicant/tls_session_cache.h"
#include "tls/tls_engine.h"
#include "tools/eapol_test/mppe_check.h"

namespace lanyard::eapol_test {

// What every station shares (read-only; all pointers outlive the stations).
struct StationSettings {
    const eap::PeerCredentials* credentials = nullptr;
    tls::Context* tls = nullptr;          // null when the block allows no TLS method
    RandomSource* random = nullptr;
    bool offer_cached_session = true;     // false: --no-resume
    bool no_mppe_keys = false;            // -n
    radius::Ipv4Address nas_ip{127, 0, 0, 1};
    std::string connect_info = "CONNECT 11Mbps 802.11b";
    // eapol_test's BSSID; our request builder always sends Called-Station-Id.
    MacAddress called_station = MacAddress({0, 0, 0, 0, 0, 1});
    uint32_t framed_mtu = 1400;           // as eapol_test
};

enum class AuthResult {
    kAccept,   // Access-Accept and the peer reached SUCCESS
    kReject,   // Access-Reject
    kFailed,   // the peer failed, a response made no sense, or Accept without peer success
    kTimeout,  // no (valid) response in time: set by the runner
};
const char* auth_result_name(AuthResult result);

struct AuthOutcome {
    AuthResult result = AuthResult::kFailed;
    KeyCheck keys = KeyCheck::kMismatch;
    bool resumed = false;                // the TLS session was resumed
    std::optional<eap::Type> method;
    unsigned round_trips = 0;            // Access-Requests sent (not counting retransmissions)
    std::string reason;                  // for kFailed/kReject/kTimeout
};

enum class StepKind {
    kSend,      // send encode_request() now
    kFinished,  // the authentication ended: see outcome
};

struct StationStep {
    StepKind kind = StepKind::kFinished;
    AuthOutcome outcome;
};

class RadiusStation {
public:
    RadiusStation(const StationSettings& settings, MacAddress mac);
    RadiusStation(const RadiusStation&) = delete;
    RadiusStation& operator=(const RadiusStation&) = delete;

    const MacAddress& mac() const { return mac_; }

    // Starts an authentication: restarts the peer and feeds it an
    // EAP-Request/Identity, as eapol_test's "fake EAP-Request-Identity"
    // (there is no authenticator to send one). The peer's Response/Identity
    // becomes the first Access-Request. Fails when the peer does not answer.
    Status begin(TimePoint now);

    // The Access-Request carrying the peer's last EAP-Response, with the
    // State of the last Access-Challenge (RFC 2865 §5.24), signed with a
    // Message-Authenticator (RFC 3579 §3.2).
    Result<Bytes> encode_request(uint8_t identifier, const radius::Authenticator& request_authenticator,
                                 ByteView secret) const;

    // A response that passed radius::verify_response for the request with
    // this authenticator. Challenges go to the peer (kSend with its answer);
    // Accept and Reject end the authentication.
    StationStep on_response(const radius::Packet& response, const radius::Authenticator& request_authenticator,
                            ByteView secret, TimePoint now);

    // The runner gave up on this authentication (RADIUS timeout).
    AuthOutcome give_up(const std::string& reason);

    bool active() const { return active_; }
    const std::string& user_name() const { return user_name_; }
    // The state the next request echoes (for tests).
    const std::optional<Bytes>& state() const { return state_; }

private:
    AuthOutcome finish(AuthResult result, std::string reason, const SecretBytes* peer_msk,
                       const std::optional<SecretBytes>& server_msk);

    const StationSettings& settings_;
    MacAddress mac_;
    supplicant::TlsSessionCache cache_;
    eap::PeerEnvironment env_;
    eap::EapPeer peer_;
    bool active_ = false;
    Bytes eap_response_;            // what the next Access-Request carries
    std::optional<Bytes> state_;    // from the last Access-Challenge
    std::string user_name_;         // from the EAP-Response/Identity
    unsigned round_trips_ = 0;
};

}  // namespace lanyard::eapol_test
