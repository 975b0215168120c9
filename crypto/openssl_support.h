// Shared plumbing for the crypto/ wrappers: the OpenSSL error queue as text
// and the provider set-up. No OpenSSL type appears here on purpose.
#pragma once

#include <string>

#include "common/result.h"

namespace lanyard::crypto {

// Drains the calling thread's OpenSSL error queue into one line
// ("reason; reason"), or "no OpenSSL error reported" when it is empty.
std::string drain_openssl_errors();

// Loads the "legacy" provider next to "default" in the default library
// context, once per process. MD4 and single DES (MSCHAPv2, RFC 2759 §8) live
// only in the legacy provider in OpenSSL 3.
Status ensure_legacy_provider();

}  // namespace lanyard::crypto
