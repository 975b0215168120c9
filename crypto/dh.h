// Diffie-Hellman for IKEv2 key exchange (RFC 7296 §3.4): MODP group 14
// (RFC 3526 §3), ECP groups 19/20 (RFC 5903, public value x || y, shared
// secret x), Curve25519 group 31 (RFC 8031). Private values come from an
// injected RandomSource, so tests can fix them.
#pragma once

#include <cstdint>
#include <memory>

#include "common/bytes.h"
#include "common/random.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard::crypto {

// IANA IKEv2 Transform Type 4 numbers.
enum class DhGroup : uint16_t { kModp2048 = 14, kEcp256 = 19, kEcp384 = 20, kCurve25519 = 31 };

bool is_supported_dh_group(uint16_t id);
// Octets of the KE payload's Key Exchange Data for the group.
size_t dh_public_size(DhGroup group);
// Octets of the shared secret g^ir.
size_t dh_shared_size(DhGroup group);

class DhKeyPair {
public:
    // MODP: a 512-bit random exponent (RFC 3526 §8 asks for at least twice
    // the 112-bit strength; strongSwan uses 256 bits). ECP: a scalar in
    // [1, n-1] drawn by rejection. X25519: 32 random octets (RFC 7748 §5
    // clamps them).
    static Result<DhKeyPair> generate(DhGroup group, RandomSource& random);
    // A fixed private value (big-endian integer for MODP/ECP, the RFC 7748
    // scalar for X25519), for test vectors.
    static Result<DhKeyPair> from_private(DhGroup group, ByteView private_value);

    DhKeyPair(DhKeyPair&&) noexcept;
    DhKeyPair& operator=(DhKeyPair&&) noexcept;
    ~DhKeyPair();

    DhGroup group() const { return group_; }
    const Bytes& public_value() const { return public_; }

    // Validates the peer's public value (length; MODP 1 < y < p-1; ECP a
    // point on the curve, coordinates below p; X25519 a non-zero result)
    // and returns the shared secret. Invalid input is kProtocol (the
    // caller answers INVALID_SYNTAX / INVALID_KE_PAYLOAD as fits).
    Result<SecretBytes> shared_secret(ByteView peer_public) const;

private:
    struct Impl;
    DhKeyPair(DhGroup group, std::unique_ptr<Impl> impl, Bytes pub);

    DhGroup group_;
    std::unique_ptr<Impl> impl_;
    Bytes public_;
};

}  // namespace lanyard::crypto
