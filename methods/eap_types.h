// EAP codes and method types (RFC 3748 §4, §5; IANA "Method Types").
#pragma once

#include <cstdint>
#include <string>

#include "common/secret.h"

namespace lanyard::eap {

enum class Code : uint8_t { kRequest = 1, kResponse = 2, kSuccess = 3, kFailure = 4 };

// Method types Lanyard knows by name; any other octet is still carried.
enum class Type : uint8_t {
    kIdentity = 1,
    kNotification = 2,
    kNak = 3,
    kMd5Challenge = 4,
    kOtp = 5,
    kGtc = 6,
    kTls = 13,
    kTtls = 21,
    kPeap = 25,
    kMschapV2 = 26,
    kTlvExtensions = 33,  // PEAP's EAP-TLV / Extensions ([MS-PEAP] 2.2.8)
    kExpanded = 254,
};

const char* type_name(uint8_t type);  // "TLS", "PEAP", "MD5", ... or "unknown"
// Parses wpa_supplicant/hostapd method names ("TLS", "PEAP", "MD5", "MSCHAPV2", "GTC").
bool type_from_name(const std::string& name, Type* out);

// What a key-generating method leaves behind (RFC 5247 §1.4).
struct Keys {
    lanyard::SecretBytes msk;   // 64 bytes
    lanyard::SecretBytes emsk;  // 64 bytes
    Bytes session_id;           // RFC 5247 Session-Id (e.g. 0x0D || randoms for EAP-TLS)
};

}  // namespace lanyard::eap
