// IKE_AUTH authentication rounds (RFC 7296 §2.15, RFC 4739): the IKE_SA
// drives one LocalAuthenticator (proves who we are) and one
// RemoteAuthenticator (checks the peer) per configured round. Each step
// returns SUCCESS / NEED_MORE / FAILED like a strongSwan task, so a
// multi-message method (EAP, issue 8: the responder as EAP authenticator)
// plugs in beside PSK and public-key signatures without changing the
// exchange code.
#pragma once

#include <memory>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/secret.h"
#include "crypto/hash.h"
#include "ike/eap_backend.h"
#include "ike/identity.h"
#include "ike/peer_config.h"

namespace lanyard::ike {

// kPending: an external back-end (RADIUS) answers later; the IKE_SA keeps
// the request unanswered and calls RemoteAuthenticator::resume() when the
// back-end has woken it (IkeSa::resume_auth).
enum class AuthStatus { kSuccess, kNeedMore, kFailed, kPending };

// Everything §2.15's signed octets need, for the side that signs:
//   <SignedOctets> = RealMessage | Nonce(other side) | prf(SK_p, RestOfIDPayload)
struct AuthOctetsInput {
    crypto::HashAlg prf = crypto::HashAlg::kSha256;
    ByteView sa_init_message;  // the IKE_SA_INIT message this side sent
    ByteView peer_nonce;       // the other side's nonce data
    ByteView sk_p;             // SK_pi (initiator signs) or SK_pr (responder)
    Identity signer;
};
Result<Bytes> auth_signed_octets(const AuthOctetsInput& in);
// §2.15: AUTH = prf(prf(Shared Secret, "Key Pad for IKEv2"), <SignedOctets>).
Result<Bytes> psk_auth_value(crypto::HashAlg prf, ByteView shared_secret, ByteView signed_octets);

// What a round sees of the IKE_SA.
struct AuthRoundContext {
    AuthOctetsInput octets;  // for the side that signs in this step
    Identity me;
    Identity peer;
    const ConfigProvider* configs = nullptr;
    // RFC 7427 §4: hash algorithms the peer announced (empty: none).
    std::vector<uint16_t> peer_hash_algorithms;
    // Multi-message rounds (EAP, issue 8).
    RandomSource* random = nullptr;
    TimePoint now{};
    // EAP rounds served by an external back-end (auth = eap-radius): the
    // IKE_SA's endpoints and id, the factory, and how to wake the IKE_SA
    // when a pending answer arrives.
    SocketAddress local, remote;
    uint32_t ike_sa_id = 0;
    const EapBackendFactory* external_eap = nullptr;
    std::function<void()> wake;
};

class LocalAuthenticator {
public:
    virtual ~LocalAuthenticator() = default;
    // Appends the payloads that prove us (AUTH, CERT, ...; or nothing yet).
    virtual Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) = 0;
    // Payloads the peer sent for this round (an EAP challenge for an EAP
    // peer; nothing for PSK).
    virtual Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) = 0;
    virtual const char* name() const = 0;
    // A multi-message method (EAP) past its first message: the next
    // response belongs to it, not to the peer's authentication.
    virtual bool in_conversation() const { return false; }
    // RFC 4739: which configured round this is (0-based).
    size_t round_index = 0;
};

class RemoteAuthenticator {
public:
    virtual ~RemoteAuthenticator() = default;
    // Checks what the peer sent (AUTH, CERT, EAP ...). kNeedMore: call
    // build() for what to send back and wait for the next message.
    virtual Result<AuthStatus> process(const AuthRoundContext& ctx, const std::vector<Payload>& in) = 0;
    virtual Result<AuthStatus> build(const AuthRoundContext& ctx, std::vector<Payload>& out) = 0;
    // After a kPending process(): the back-end's answer is there; returns
    // what process() would have (never kPending twice for one wake).
    virtual Result<AuthStatus> resume(const AuthRoundContext&) {
        return make_error(ErrorCode::kInternal, "this authentication round never waits");
    }
    virtual const char* name() const = 0;
    // The IKE_AUTH request that opened a multi-message round: its SA, TS
    // and CP payloads are answered in the last response (RFC 7296 §2.16).
    std::vector<Payload> opening_request;
    // RFC 4739: which configured round this is (0-based), and whether its
    // first message (with IDi' from the second round on) has arrived.
    size_t round_index = 0;
    bool round_opened = false;
};

// EAP rounds (ike/authenticator_eap.cpp).
Result<std::unique_ptr<RemoteAuthenticator>> make_eap_remote(const AuthRoundConfig& config);
// eap_only (RFC 5998): the responder sent no AUTH of its own; only a
// mutual, key-generating method (EAP-TLS, PEAP) may then succeed.
Result<std::unique_ptr<LocalAuthenticator>> make_eap_local(const AuthRoundConfig& config, bool eap_only = false);
// RFC 5998 EAP-only authentication: the side whose proof is the EAP method
// and the AUTH from its MSK. Local: the responder sends no AUTH of its own
// (its AUTH comes with the EAP round's end). Remote: the initiator accepts
// a first response without AUTH.
std::unique_ptr<LocalAuthenticator> make_eap_only_local();
std::unique_ptr<RemoteAuthenticator> make_eap_only_remote();
// Whether an EAP round may stand alone (every method it allows is mutual
// and derives an MSK, RFC 5998 §4).
bool eap_only_allowed(const AuthRoundConfig& eap_round);

// Factories: psk, pubkey and EAP (ike/authenticator_eap.cpp: the
// initiator as EAP peer, the responder as EAP authenticator).
Result<std::unique_ptr<LocalAuthenticator>> make_local_authenticator(const AuthRoundConfig& config);
Result<std::unique_ptr<RemoteAuthenticator>> make_remote_authenticator(const AuthRoundConfig& config);
std::unique_ptr<LocalAuthenticator> make_pubkey_local(const AuthRoundConfig& config);
std::unique_ptr<RemoteAuthenticator> make_pubkey_remote(const AuthRoundConfig& config);

// RFC 7427 §3 AUTH data: 1-octet length | AlgorithmIdentifier | signature.
// The AlgorithmIdentifiers we know (RFC 7427 Appendix A).
struct SignatureScheme {
    crypto::HashAlg hash;
    bool rsa;  // false: ECDSA
};
Bytes rfc7427_algorithm_identifier(SignatureScheme scheme);
Result<SignatureScheme> parse_rfc7427_algorithm_identifier(ByteView der);
// Whether an identity is bound to the certificate: FQDN/RFC822/IP in the
// subjectAltName, DN equal to the subject.
bool identity_matches_certificate(const Identity& id, const crypto::Certificate& cert);

}  // namespace lanyard::ike
