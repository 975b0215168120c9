// Reads a verified Access-Accept/Reject/Challenge (see verify_response) into
// what the authenticator's pass-through backend needs: the EAP packet, the
// State to echo, session parameters, Class attributes to copy into
// accounting (RFC 2865 §5.25) and the MSK from the MPPE keys.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

enum class ResponseKind { kAccept, kReject, kChallenge };

const char* response_kind_name(ResponseKind kind);

struct ResponseInfo {
    ResponseKind kind = ResponseKind::kReject;
    std::optional<Bytes> eap;                   // joined EAP-Message
    std::optional<Bytes> state;                 // RFC 2865 §5.24
    std::optional<uint32_t> session_timeout;    // seconds, RFC 2865 §5.27
    std::optional<uint32_t> termination_action; // RFC 2865 §5.29
    std::vector<Bytes> classes;                 // every Class, in order
    std::vector<std::string> reply_messages;    // RFC 2865 §5.18
    std::optional<SecretBytes> msk;             // Accept only: Recv-Key | Send-Key
};

// The packet must already have passed verify_response with the same request
// authenticator and secret. Errors (kMalformed/kProtocol) are reasons to drop
// the response: an Access-Challenge without EAP-Message (in pass-through the
// challenge exists to carry the EAP-Request, RFC 3579 §2), an EAP-Message that does not join, integer attributes of
// the wrong size, MPPE keys that do not decrypt.
Result<ResponseInfo> classify_response(const Packet& packet, const Authenticator& request_authenticator, ByteView secret);

}  // namespace lanyard::radius
