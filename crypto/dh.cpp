#include "crypto/dh.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <string>

#include "crypto/openssl_support.h"

namespace lanyard::crypto {
namespace {

struct BnFree { void operator()(BIGNUM* b) const { BN_clear_free(b); } };
struct BnCtxFree { void operator()(BN_CTX* c) const { BN_CTX_free(c); } };
struct GroupFree { void operator()(EC_GROUP* g) const { EC_GROUP_free(g); } };
struct PointFree { void operator()(EC_POINT* p) const { EC_POINT_clear_free(p); } };
struct PkeyFree { void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); } };
struct PkeyCtxFree { void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); } };
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using BnCtxPtr = std::unique_ptr<BN_CTX, BnCtxFree>;
using GroupPtr = std::unique_ptr<EC_GROUP, GroupFree>;
using PointPtr = std::unique_ptr<EC_POINT, PointFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

Error lib_error(const char* what) { return make_error(ErrorCode::kInternal, std::string(what) + ": " + drain_openssl_errors()); }
Error bad_peer(std::string what) { return make_error(ErrorCode::kProtocol, "DH public value: " + std::move(what)); }

constexpr size_t kModpExponentSize = 64;

BnPtr bn_from(ByteView v) { return BnPtr(BN_bin2bn(v.data(), static_cast<int>(v.size()), nullptr)); }

Bytes bn_to(const BIGNUM* b, size_t size) {
    Bytes out(size);
    BN_bn2binpad(b, out.data(), static_cast<int>(size));
    return out;
}

int ec_nid(DhGroup g) { return g == DhGroup::kEcp256 ? NID_X9_62_prime256v1 : NID_secp384r1; }
size_t ec_coord(DhGroup g) { return g == DhGroup::kEcp256 ? 32 : 48; }

}  // namespace

struct DhKeyPair::Impl {
    BnPtr priv;              // MODP exponent or ECP scalar
    PkeyPtr x25519;          // X25519 key
};

bool is_supported_dh_group(uint16_t id) { return id == 14 || id == 19 || id == 20 || id == 31; }

size_t dh_public_size(DhGroup group) {
    switch (group) {
        case DhGroup::kModp2048: return 256;
        case DhGroup::kEcp256: return 64;
        case DhGroup::kEcp384: return 96;
        case DhGroup::kCurve25519: return 32;
    }
    return 0;
}

size_t dh_shared_size(DhGroup group) {
    switch (group) {
        case DhGroup::kModp2048: return 256;
        case DhGroup::kEcp256: return 32;
        case DhGroup::kEcp384: return 48;
        case DhGroup::kCurve25519: return 32;
    }
    return 0;
}

DhKeyPair::DhKeyPair(DhGroup group, std::unique_ptr<Impl> impl, Bytes pub)
    : group_(group), impl_(std::move(impl)), public_(std::move(pub)) {}
DhKeyPair::DhKeyPair(DhKeyPair&&) noexcept = default;
DhKeyPair& DhKeyPair::operator=(DhKeyPair&&) noexcept = default;
DhKeyPair::~DhKeyPair() = default;

Result<DhKeyPair> DhKeyPair::generate(DhGroup group, RandomSource& random) {
    switch (group) {
        case DhGroup::kModp2048: {
            SecretBytes x(kModpExponentSize);
            random.fill(x.span());
            x.data()[0] |= 0x80;  // full-length exponent
            return from_private(group, x.view());
        }
        case DhGroup::kEcp256:
        case DhGroup::kEcp384: {
            GroupPtr g(EC_GROUP_new_by_curve_name(ec_nid(group)));
            if (!g) return lib_error("EC group");
            const BIGNUM* order = EC_GROUP_get0_order(g.get());
            SecretBytes d(ec_coord(group));
            // Rejection sampling (FIPS 186-4 B.4.2); bounded: each try
            // succeeds with probability > 1/2 for these orders.
            for (int tries = 0; tries < 64; ++tries) {
                random.fill(d.span());
                BnPtr k = bn_from(d.view());
                if (k && !BN_is_zero(k.get()) && BN_cmp(k.get(), order) < 0) return from_private(group, d.view());
            }
            return make_error(ErrorCode::kInternal, "random source gave no valid ECP scalar");
        }
        case DhGroup::kCurve25519: {
            SecretBytes k(32);
            random.fill(k.span());
            return from_private(group, k.view());
        }
    }
    return make_error(ErrorCode::kInternal, "DH group");
}

Result<DhKeyPair> DhKeyPair::from_private(DhGroup group, ByteView private_value) {
    auto impl = std::make_unique<Impl>();
    BnCtxPtr ctx(BN_CTX_new());
    if (!ctx) return lib_error("BN_CTX");
    switch (group) {
        case DhGroup::kModp2048: {
            BnPtr p(BN_get_rfc3526_prime_2048(nullptr));
            BnPtr g(BN_new());
            BnPtr y(BN_new());
            impl->priv = bn_from(private_value);
            if (!p || !g || !y || !impl->priv || BN_set_word(g.get(), 2) != 1) return lib_error("MODP setup");
            if (BN_is_zero(impl->priv.get())) return make_error(ErrorCode::kInternal, "MODP exponent is zero");
            BN_set_flags(impl->priv.get(), BN_FLG_CONSTTIME);
            if (BN_mod_exp_mont_consttime(y.get(), g.get(), impl->priv.get(), p.get(), ctx.get(), nullptr) != 1) {
                return lib_error("MODP g^x");
            }
            Bytes pub = bn_to(y.get(), 256);
            return DhKeyPair(group, std::move(impl), std::move(pub));
        }
        case DhGroup::kEcp256:
        case DhGroup::kEcp384: {
            GroupPtr g(EC_GROUP_new_by_curve_name(ec_nid(group)));
            if (!g) return lib_error("EC group");
            impl->priv = bn_from(private_value);
            if (!impl->priv || BN_is_zero(impl->priv.get()) ||
                BN_cmp(impl->priv.get(), EC_GROUP_get0_order(g.get())) >= 0) {
                return make_error(ErrorCode::kInternal, "ECP private scalar out of range");
            }
            PointPtr q(EC_POINT_new(g.get()));
            BnPtr x(BN_new());
            BnPtr y(BN_new());
            if (!q || !x || !y || EC_POINT_mul(g.get(), q.get(), impl->priv.get(), nullptr, nullptr, ctx.get()) != 1 ||
                EC_POINT_get_affine_coordinates(g.get(), q.get(), x.get(), y.get(), ctx.get()) != 1) {
                return lib_error("ECP d*G");
            }
            // RFC 5903 §7: the KE data is x || y, each the field size.
            Bytes pub = concat(bn_to(x.get(), ec_coord(group)), bn_to(y.get(), ec_coord(group)));
            return DhKeyPair(group, std::move(impl), std::move(pub));
        }
        case DhGroup::kCurve25519: {
            if (private_value.size() != 32) return make_error(ErrorCode::kInternal, "X25519 private key must be 32 octets");
            impl->x25519.reset(
                EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_value.data(), private_value.size()));
            if (!impl->x25519) return lib_error("X25519 key");
            Bytes pub(32);
            size_t len = pub.size();
            if (EVP_PKEY_get_raw_public_key(impl->x25519.get(), pub.data(), &len) != 1 || len != 32) {
                return lib_error("X25519 public key");
            }
            return DhKeyPair(group, std::move(impl), std::move(pub));
        }
    }
    return make_error(ErrorCode::kInternal, "DH group");
}

Result<SecretBytes> DhKeyPair::shared_secret(ByteView peer) const {
    if (peer.size() != dh_public_size(group_)) {
        // RFC 7296 §3.4: the KE data length is fixed by the group.
        return bad_peer("length " + std::to_string(peer.size()) + ", group wants " +
                        std::to_string(dh_public_size(group_)));
    }
    BnCtxPtr ctx(BN_CTX_new());
    if (!ctx) return lib_error("BN_CTX");
    switch (group_) {
        case DhGroup::kModp2048: {
            BnPtr p(BN_get_rfc3526_prime_2048(nullptr));
            BnPtr y = bn_from(peer);
            BnPtr pm1(BN_new());
            BnPtr z(BN_new());
            if (!p || !y || !pm1 || !z || !BN_copy(pm1.get(), p.get()) || BN_sub_word(pm1.get(), 1) != 1) {
                return lib_error("MODP setup");
            }
            // NIST SP 800-56A §5.6.2.3.1: 1 < y < p-1.
            if (BN_is_zero(y.get()) || BN_is_one(y.get()) || BN_cmp(y.get(), pm1.get()) >= 0) {
                return bad_peer("MODP value outside 2..p-2");
            }
            if (BN_mod_exp_mont_consttime(z.get(), y.get(), impl_->priv.get(), p.get(), ctx.get(), nullptr) != 1) {
                return lib_error("MODP y^x");
            }
            if (BN_is_one(z.get())) return bad_peer("MODP value in a small subgroup");
            Bytes s = bn_to(z.get(), 256);
            SecretBytes out(s);
            secure_wipe(s.data(), s.size());
            return out;
        }
        case DhGroup::kEcp256:
        case DhGroup::kEcp384: {
            GroupPtr g(EC_GROUP_new_by_curve_name(ec_nid(group_)));
            if (!g) return lib_error("EC group");
            Bytes oct;
            oct.reserve(peer.size() + 1);
            oct.push_back(0x04);  // SEC 1 uncompressed point
            oct.insert(oct.end(), peer.begin(), peer.end());
            PointPtr q(EC_POINT_new(g.get()));
            if (!q) return lib_error("EC point");
            // EC_POINT_oct2point refuses coordinates >= p and points off the curve.
            if (EC_POINT_oct2point(g.get(), q.get(), oct.data(), oct.size(), ctx.get()) != 1) {
                drain_openssl_errors();
                return bad_peer("not a point on the curve");
            }
            if (EC_POINT_is_at_infinity(g.get(), q.get()) || EC_POINT_is_on_curve(g.get(), q.get(), ctx.get()) != 1) {
                return bad_peer("not a valid point");
            }
            PointPtr r(EC_POINT_new(g.get()));
            BnPtr x(BN_new());
            if (!r || !x || EC_POINT_mul(g.get(), r.get(), nullptr, q.get(), impl_->priv.get(), ctx.get()) != 1) {
                return lib_error("ECDH");
            }
            if (EC_POINT_is_at_infinity(g.get(), r.get())) return bad_peer("shared point at infinity");
            if (EC_POINT_get_affine_coordinates(g.get(), r.get(), x.get(), nullptr, ctx.get()) != 1) {
                return lib_error("ECDH x");
            }
            // RFC 5903 §7: the shared secret is the x coordinate.
            Bytes s = bn_to(x.get(), ec_coord(group_));
            SecretBytes out(s);
            secure_wipe(s.data(), s.size());
            return out;
        }
        case DhGroup::kCurve25519: {
            PkeyPtr peer_key(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer.data(), peer.size()));
            if (!peer_key) return lib_error("X25519 peer key");
            PkeyCtxPtr dctx(EVP_PKEY_CTX_new(impl_->x25519.get(), nullptr));
            SecretBytes out(32);
            size_t len = out.size();
            if (!dctx || EVP_PKEY_derive_init(dctx.get()) != 1 || EVP_PKEY_derive_set_peer(dctx.get(), peer_key.get()) != 1) {
                return lib_error("X25519 derive");
            }
            if (EVP_PKEY_derive(dctx.get(), out.data(), &len) != 1) {
                // OpenSSL refuses an all-zero result (RFC 7748 §6.1).
                drain_openssl_errors();
                return bad_peer("X25519 low-order point");
            }
            // RFC 8031 §2.3: an all-zero shared secret MUST be rejected.
            uint8_t acc = 0;
            for (size_t i = 0; i < len; ++i) acc |= out.data()[i];
            if (acc == 0 || len != 32) return bad_peer("X25519 all-zero shared secret");
            return out;
        }
    }
    return make_error(ErrorCode::kInternal, "DH group");
}

}  // namespace lanyard::crypto
