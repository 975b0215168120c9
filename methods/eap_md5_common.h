// EAP-MD5-Challenge (RFC 3748 §5.4) pieces shared by peer and server: the
// Value-Size/Value/Name layout and the CHAP response of RFC 1994 §4.1,
// MD5(Identifier || secret || Challenge).
#pragma once

#include <array>
#include <cstdint>

#include "common/bytes.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::eap::md5 {

inline constexpr size_t kDigestSize = 16;
inline constexpr size_t kServerChallengeSize = 16;

// RFC 3748 §5.4 / RFC 1994 §4.1: Value-Size(1) Value(Value-Size) Name(rest).
struct ChallengeData {
    ByteView value;  // the challenge (Request) or the digest (Response)
    ByteView name;
};

// Value-Size must be at least 1 and fit the data.
Result<ChallengeData> parse_value(ByteView type_data);
Bytes build_value(ByteView value, ByteView name);

// RFC 1994 §4.1: MD5(Identifier || secret || Challenge).
Result<std::array<uint8_t, kDigestSize>> chap_response(uint8_t identifier, const SecretBytes& secret,
                                                        ByteView challenge);

}  // namespace lanyard::eap::md5
