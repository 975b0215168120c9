// Seals what the TLS session store keeps (issue 10): AES-256-GCM under a key
// every server of one deployment shares (Lanyard's tls_session_cache_key
// file), so a dump of the store reveals no master secret and an edited entry
// fails to open. The entry's store key is the associated data, so a sealed
// value moved to another key does not open either.
//
// Sealed value: version (1 octet, 1) | nonce (12) | ciphertext | tag (16).
// Key file: 64 hex digits (a trailing newline is fine) or 32 raw octets.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::authenticator {

class SessionSealer {
public:
    static constexpr size_t kKeySize = 32;
    static constexpr size_t kNonceSize = 12;
    static constexpr size_t kTagSize = 16;
    static constexpr uint8_t kVersion = 1;

    // Errors name the file (kConfig): unreadable, wrong length, not hex.
    static Result<SessionSealer> from_key_file(const std::string& path);
    // A key for this process only (the in-process store without a key file).
    static SessionSealer with_random_key(RandomSource& random);
    static Result<SessionSealer> with_key(ByteView key);

    Result<Bytes> seal(ByteView associated, ByteView plaintext, RandomSource& random) const;
    // nullopt (never a partial result) when the value is not ours or was altered.
    std::optional<SecretBytes> open(ByteView associated, ByteView sealed) const;

private:
    explicit SessionSealer(SecretBytes key) : key_(std::move(key)) {}
    SecretBytes key_;
};

}  // namespace lanyard::authenticator
