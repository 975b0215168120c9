// EAP-MSCHAPv2 framing (draft-kamath-pppext-eap-mschapv2-02 §2), shared by
// the peer and the server: every packet they exchange is built and parsed
// here.
//
//   Requests, and the Response to a Challenge:
//     OpCode(1) MS-CHAPv2-ID(1) MS-Length(2, = length from OpCode to end) data
//   Success and Failure Responses: OpCode(1) alone.
//
// All parsers are bounded and never read past their input; a malformed
// packet is an error value (kTruncated / kMalformed / kUnsupported).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/mschapv2.h"

namespace lanyard::eap::mschapv2 {

enum class OpCode : uint8_t {
    kChallenge = 1,
    kResponse = 2,
    kSuccess = 3,
    kFailure = 4,
    kChangePassword = 7,  // parsed and refused: not supported
};
const char* opcode_name(uint8_t op);

inline constexpr size_t kHeaderSize = 4;
inline constexpr size_t kResponseValueSize = 49;  // Peer-Challenge 16, Reserved 8, NT-Response 24, Flags 1
inline constexpr size_t kMaxMessageSize = 1024;   // bound on Success/Failure message text

// OpCode, MS-CHAPv2-ID and the data after MS-Length (MS-Length must equal
// the size of type_data exactly).
struct Header {
    OpCode op = OpCode::kChallenge;
    uint8_t ms_id = 0;
    ByteView data;
};
// Parses the 4-octet header of a Request or of a Response with OpCode 2.
// Unknown OpCodes are kMalformed; Change-Password is kUnsupported.
Result<Header> parse_header(ByteView type_data);

// What a server receives: a Response with OpCode 2 has a header; Success (3)
// and Failure (4) Responses are the OpCode alone (trailing octets ignored).
Result<OpCode> peek_opcode(ByteView type_data);

// Challenge (OpCode 1): Value-Size(1)=16 Challenge(16) Name(rest).
struct Challenge {
    uint8_t ms_id = 0;
    std::array<uint8_t, kChallengeSize> challenge{};
    std::string name;
};
Result<Challenge> parse_challenge(const Header& header);
Bytes build_challenge(uint8_t ms_id, ByteView challenge16, std::string_view name);

// Response (OpCode 2): Value-Size(1)=49 Peer-Challenge(16) Reserved(8)
// NT-Response(24) Flags(1) Name(rest).
struct Response {
    uint8_t ms_id = 0;
    std::array<uint8_t, kChallengeSize> peer_challenge{};
    std::array<uint8_t, kNtResponseSize> nt_response{};
    uint8_t flags = 0;
    std::string name;
};
Result<Response> parse_response(const Header& header);
Bytes build_response(uint8_t ms_id, ByteView peer_challenge16, ByteView nt_response24, std::string_view name);

// Success Request (OpCode 3) message: "S=<40 hex>" optionally followed by
// " M=<message>" (RFC 2759 §5). A message that does not start with a valid
// "S=<40 hex>" yields auth_response == nullopt: the peer must then fail.
struct SuccessMessage {
    std::optional<std::array<uint8_t, kAuthResponseSize>> auth_response;
    std::string message;
};
SuccessMessage parse_success_message(std::string_view text);
Bytes build_success_request(uint8_t ms_id, ByteView auth_response20, std::string_view message);

// Failure Request (OpCode 4) message (RFC 2759 §6):
//   "E=eeeeeeeeee R=r C=cccccccccccccccccccccccccccccccc V=vvvvvvvvvv M=<msg>"
// E= is required; R=, C=, V= optional; M= takes the rest of the text.
// Numbers are decimal (at most 10 digits), C= is exactly 32 hex digits.
struct FailureMessage {
    uint32_t error = 0;       // 691 authentication failure, 646 restricted hours, 648 expired, ...
    bool retry = false;
    std::optional<std::array<uint8_t, kChallengeSize>> challenge;
    std::optional<uint32_t> version;
    std::string message;
};
Result<FailureMessage> parse_failure_message(std::string_view text);
std::string format_failure_message(const FailureMessage& failure);
Bytes build_failure_request(uint8_t ms_id, const FailureMessage& failure);

// RFC 2759 §6 error codes.
inline constexpr uint32_t kErrorRestrictedLogonHours = 646;
inline constexpr uint32_t kErrorAccountDisabled = 647;
inline constexpr uint32_t kErrorPasswordExpired = 648;
inline constexpr uint32_t kErrorNoDialinPermission = 649;
inline constexpr uint32_t kErrorAuthenticationFailure = 691;
inline constexpr uint32_t kErrorChangingPassword = 709;

// Success / Failure Response: the OpCode alone.
Bytes build_opcode_only(OpCode op);

}  // namespace lanyard::eap::mschapv2
