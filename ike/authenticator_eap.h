// EAP in IKE_AUTH (RFC 7296 §2.16) through the shared engine: the
// responder as EAP authenticator (a RemoteAuthenticator driving
// eap::EapAuthenticator) and the initiator as EAP peer (a
// LocalAuthenticator driving eap::EapPeer); factories in authenticator.h.
//
//   request 1  IDi, [no AUTH]         -> IDr, [CERT], AUTH, EAP(Request)
//   request k  EAP(Response)          -> EAP(Request | Success | Failure)
//   last       AUTH (from the MSK)    -> AUTH (from the MSK), SA, TS
//
// The EAP identity is IDi unless the round has eap_id (then EAP-Identity
// asks for it and, unless eap_id is %any, it must match). AUTH uses the
// MSK as the shared secret of §2.15 when the method derives one, SK_pi /
// SK_pr otherwise (§2.16). A key-generating method that ends without an
// MSK, and an AUTH before EAP-Success, are refused (the CVE-2021-45079
// class), on both sides. An EAP-TLS client certificate must confirm the
// EAP identity (the CVE-2022-4967 class). The number of EAP messages per
// round is bounded. RFC 5998 EAP-only authentication (no responder AUTH
// until the MSK AUTH) is allowed only for EAP-TLS and PEAP.
#pragma once

#include <string>

#include "ike/authenticator.h"
#include "methods/eap_types.h"

namespace lanyard::ike {

// Bound on IKE_AUTH requests carrying EAP in one round (DESIGN.md rule 3);
// the EAP engine bounds its own Responses too.
inline constexpr unsigned kMaxEapMessagesPerRound = 50;

// The EAP identity an IKE identity stands for: the text of FQDN, RFC822
// and KEY_ID identities, the printable form of the others (as charon).
std::string eap_identity_of(const Identity& id);

// Whether a method derives an MSK (RFC 5247 §1.4): then IKE's AUTH must
// use it and an EAP-Success without one is refused.
bool eap_method_generates_keys(eap::Type type);

// swanctl "auth = eap-<name>": "md5", "mschapv2", "tls", "peap", "gtc";
// "" or "dynamic" gives every method the engine serves (in that order).
Result<std::vector<eap::Type>> eap_methods_for(const std::string& name);

}  // namespace lanyard::ike
