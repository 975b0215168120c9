// RADIUS packet authentication: Message-Authenticator (RFC 3579 §3.2),
// Response Authenticator (RFC 2865 §3), Accounting-Request Authenticator
// (RFC 2866 §3), and the verification policy that closes Blast-RADIUS
// (CVE-2024-3596): Message-Authenticator required on every Access-Accept,
// Access-Reject and Access-Challenge, and placed first in our responses.
#pragma once

#include "common/bytes.h"
#include "common/result.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

inline constexpr size_t kMessageAuthenticatorSize = 16;

// ---- computing over serialized packets -------------------------------------
// RFC 3579 §3.2: HMAC-MD5(secret, packet) with the Message-Authenticator
// value taken as 16 zero octets and the Authenticator field replaced by
// authenticator_field (the Request Authenticator, for requests their own and
// for responses the request's). The packet must be well formed and contain
// exactly one Message-Authenticator of 16 octets (kMalformed otherwise).
Result<Bytes> compute_message_authenticator(ByteView packet, const Authenticator& authenticator_field, ByteView secret);

// RFC 2865 §3: MD5(Code | ID | Length | RequestAuth | Attributes | Secret),
// over the packet's first Length octets.
Result<Authenticator> compute_response_authenticator(ByteView packet, const Authenticator& request_authenticator,
                                                     ByteView secret);
// RFC 2866 §3: MD5(Code | ID | Length | 16 zero octets | Attributes | Secret).
Result<Authenticator> compute_accounting_request_authenticator(ByteView packet, ByteView secret);

// ---- encoding (sender side) --------------------------------------------------
// Access-Request / Status-Server: the caller supplies the random Request
// Authenticator in packet.authenticator (RFC 2865 §3 "unpredictable and
// unique"). When with_message_authenticator is set, a Message-Authenticator
// is added (or recomputed if present) — required whenever EAP-Message is
// present (RFC 3579 §3.2) and always sent by us.
Result<Bytes> encode_access_request(const Packet& packet, ByteView secret, bool with_message_authenticator = true);

// Access-Accept/Reject/Challenge and Accounting-Response: places one
// Message-Authenticator as the first attribute (Blast-RADIUS mitigation;
// "draft-ietf-radext-deprecating-radius" / FreeRADIUS and hostapd practice)
// for the Access-* codes, computes it over the packet with the request's
// authenticator in the Authenticator field, then computes the Response
// Authenticator. The identifier must already match the request.
Result<Bytes> encode_response(Packet packet, const Authenticator& request_authenticator, ByteView secret);

// Accounting-Request: a Message-Authenticator, if the packet carries one, is
// computed with a zero Authenticator field (as for RFC 5176 requests), then
// the Request Authenticator of RFC 2866 §3.
Result<Bytes> encode_accounting_request(const Packet& packet, ByteView secret);

// ---- verification (receiver side) ------------------------------------------
// Verifies a response to a request we sent, all comparisons constant-time:
//  * Access-Accept, Access-Reject, Access-Challenge: a Message-Authenticator
//    MUST be present and valid (CVE-2024-3596, RFC 3579 §3.2) — kProtocol if
//    missing or wrong;
//  * Accounting-Response: Message-Authenticator checked when present;
//  * every code: the Response Authenticator (RFC 2865 §3) must match.
// Any other code is kProtocol. Returns the parsed packet on success.
Result<Packet> verify_response(ByteView datagram, const Authenticator& request_authenticator, ByteView secret);

// Verifies an Access-Request (or Status-Server) at a server: a request with
// EAP-Message must carry a valid Message-Authenticator (RFC 3579 §3.2); when
// require_message_authenticator is set, every request must (Blast-RADIUS
// server-side hardening); a Message-Authenticator present is always checked.
// Status-Server always requires one (RFC 5997 §3).
Result<Packet> verify_access_request(ByteView datagram, ByteView secret, bool require_message_authenticator = false);

// Verifies an Accounting-Request's authenticator (RFC 2866 §3) and any
// Message-Authenticator it carries.
Result<Packet> verify_accounting_request(ByteView datagram, ByteView secret);

}  // namespace lanyard::radius
