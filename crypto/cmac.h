// AES-CMAC (RFC 4493; NIST SP 800-38B), used by IEEE 802.11 key descriptor
// version 3 (AKM 00-0F-AC:5/6) EAPOL-Key MICs.
#pragma once

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard::crypto {

// key: 16 bytes (AES-128-CMAC) or 32 bytes (AES-256-CMAC). 16-byte tag.
Result<Bytes> aes_cmac(ByteView key, ByteView data);

}  // namespace lanyard::crypto
