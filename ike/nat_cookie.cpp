#include "ike/nat_cookie.h"

#include "crypto/hash.h"

namespace lanyard::ike {

Bytes nat_detection_hash(uint64_t spi_i, uint64_t spi_r, const SocketAddress& address) {
    ByteWriter w(64);
    w.u64(spi_i).u64(spi_r).bytes(address.address_octets()).u16(address.port());
    auto d = crypto::digest(crypto::HashAlg::kSha1, w.view());
    return d ? std::move(*d) : Bytes(20, 0);
}

CookieJar::CookieJar(RandomSource& random) : random_(random) {
    secret_ = SecretBytes(random_.bytes(32));
    previous_ = secret_;
}

void CookieJar::rotate() {
    previous_ = secret_;
    secret_ = SecretBytes(random_.bytes(32));
    ++version_;
}

Bytes CookieJar::compute(uint32_t version, const SecretBytes& secret, ByteView ni, const SocketAddress& initiator,
                         uint64_t spi_i) const {
    ByteWriter in(128);
    in.bytes(ni).bytes(initiator.address_octets()).u64(spi_i).bytes(secret.view());
    auto d = crypto::digest(crypto::HashAlg::kSha256, in.view());
    ByteWriter out(36);
    out.u32(version);
    if (d) out.bytes(*d);
    return out.take();
}

Bytes CookieJar::make(ByteView ni, const SocketAddress& initiator, uint64_t spi_i) const {
    return compute(version_, secret_, ni, initiator, spi_i);
}

bool CookieJar::verify(ByteView cookie, ByteView ni, const SocketAddress& initiator, uint64_t spi_i) const {
    if (cookie.size() != 36) return false;
    if (constant_time_equal(cookie, compute(version_, secret_, ni, initiator, spi_i))) return true;
    return version_ > 1 && constant_time_equal(cookie, compute(version_ - 1, previous_, ni, initiator, spi_i));
}

}  // namespace lanyard::ike
