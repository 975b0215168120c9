// Where the server side of an IKEv2 EAP round runs (RFC 7296 §2.16 leaves
// it to the responder): the integrated engine (eap::EapAuthenticator with
// the round's user database, ike/eap_backend_local.cpp) or an AAA server
// (swanctl "auth = eap-radius"; the gateway's RADIUS client,
// gateway/radius_eap_round.h). The EAP round (authenticator_eap.cpp) sees
// only this interface.
//
// An external back-end answers later: a step returns kPending, and when the
// answer is there the back-end calls the `wake` it was made with; the
// IKE_SA then asks take_delivered() for it (IkeSa::resume_auth).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret.h"
#include "common/udp_socket.h"
#include "ike/identity.h"

namespace lanyard::ike {

struct AuthRoundConfig;

// What the back-end made of an EAP-Response (or of the start).
struct EapStep {
    enum class Kind {
        kRequest,  // send `packet` (an EAP-Request) to the peer
        kSuccess,  // the method finished: `packet` is EAP-Success, msk set when derived
        kFailure,  // `packet` is EAP-Failure (may be empty); reason says why
        kPending,  // the answer comes later through wake()
        kError,    // the peer's message could not be used; reason says why
    };
    Kind kind = Kind::kError;
    Bytes packet;
    SecretBytes msk;
    uint8_t method = 0;  // the EAP type that ran (0: unknown or none)
    std::string reason;
};

class EapBackend {
public:
    virtual ~EapBackend() = default;
    // Starts the conversation. identity: the EAP identity when the IKE layer
    // knows it (IDi); empty: ask the peer with EAP-Request/Identity.
    virtual EapStep start(const std::string& identity, TimePoint now) = 0;
    virtual EapStep handle(ByteView eap_response, TimePoint now) = 0;
    // The answer to a kPending step (nullopt while there is none).
    virtual std::optional<EapStep> take_delivered() { return std::nullopt; }
    // The EAP identity of the conversation (empty until known).
    virtual std::string identity() const = 0;
    virtual const char* name() const = 0;
};

// What a back-end is made for: one round of one IKE_SA.
struct EapBackendPeer {
    Identity peer_id;          // IDi (or IDi' of this round)
    SocketAddress local, remote;
    uint32_t ike_sa_id = 0;    // the IKE_SA's unique id (RADIUS NAS-Port)
    std::function<void()> wake;  // the answer to a kPending step is ready
};

using EapBackendFactory = std::function<Result<std::unique_ptr<EapBackend>>(const EapBackendPeer& peer)>;

// The integrated engine for a round with auth = eap-<method> (user database
// and TLS context from the round's configuration). An EAP-TLS client
// certificate must confirm the EAP identity (the CVE-2022-4967 class).
Result<std::unique_ptr<EapBackend>> make_local_eap_backend(const AuthRoundConfig& config, RandomSource& random);

}  // namespace lanyard::ike
