// IKEv2 crypto: PRFs (RFC 4868 §2.7.1 = RFC 4231 cases), prf+ (RFC 7296
// §2.13), DH groups (RFC 5903 §8, RFC 7748 §6.1), key schedule (§2.14),
// SK payload sealing (§3.14, RFC 5282).
#include <doctest/doctest.h>

#include "common/hex.h"
#include "crypto/cipher.h"
#include "crypto/dh.h"
#include "crypto/hmac.h"
#include "crypto/prf_plus.h"
#include "ike/key_schedule.h"
#include "ike/sk_payload.h"

using namespace lanyard;
using namespace lanyard::crypto;
using namespace lanyard::ike;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

// Replays fixed bytes; for private keys from the RFC vectors.
class FixedRandom final : public RandomSource {
public:
    explicit FixedRandom(Bytes b) : b_(std::move(b)) {}
    void fill(std::span<uint8_t> out) override {
        for (auto& o : out) o = b_[pos_++ % b_.size()];
    }

private:
    Bytes b_;
    size_t pos_ = 0;
};

IkeSuite suite_cbc(HashAlg prf, IntegId integ, size_t key) {
    IkeSuite s;
    s.prf = prf;
    s.sk.encr = EncrId::kAesCbc;
    s.sk.encr_key_size = key;
    s.sk.integ = integ;
    return s;
}

IkeSuite suite_gcm(size_t key) {
    IkeSuite s;
    s.prf = HashAlg::kSha256;
    s.sk.encr = EncrId::kAesGcm16;
    s.sk.encr_key_size = key;
    s.sk.integ = IntegId::kNone;
    return s;
}

}  // namespace

TEST_CASE("IKE PRFs match the RFC 4868 §2.7.1 (RFC 4231) test cases 1 and 2") {
    const Bytes key1(20, 0x0b);
    CHECK(to_hex(ike_prf(HashAlg::kSha256, key1, as_bytes("Hi There"))->view()) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(to_hex(ike_prf(HashAlg::kSha384, key1, as_bytes("Hi There"))->view()) ==
          "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
    CHECK(to_hex(ike_prf(HashAlg::kSha512, key1, as_bytes("Hi There"))->view()) ==
          "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    CHECK(to_hex(ike_prf(HashAlg::kSha256, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))->view()) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("HMAC-SHA2-256-128 is the first 16 octets of HMAC-SHA-256 (RFC 4868 §2.6)") {
    SkAlgorithms a;
    a.integ = IntegId::kHmacSha256_128;
    CHECK(a.icv_size() == 16);
    a.integ = IntegId::kHmacSha384_192;
    CHECK(a.icv_size() == 24);
    a.integ = IntegId::kHmacSha512_256;
    CHECK(a.icv_size() == 32);
    CHECK(a.sk_a_size() == 64);
}

TEST_CASE("prf+ equals HMAC chaining computed by hand (RFC 7296 §2.13)") {
    const Bytes key = hx("000102030405060708090a0b0c0d0e0f");
    const Bytes seed = to_bytes("seed material");
    auto out = prf_plus(HashAlg::kSha256, key, seed, 80);
    REQUIRE(out.ok());
    REQUIRE(out->size() == 80);
    const uint8_t one = 1, two = 2, three = 3;
    Bytes t1 = *hmac(HashAlg::kSha256, key, {seed, ByteView(&one, 1)});
    Bytes t2 = *hmac(HashAlg::kSha256, key, {t1, seed, ByteView(&two, 1)});
    Bytes t3 = *hmac(HashAlg::kSha256, key, {t2, seed, ByteView(&three, 1)});
    Bytes want = concat(concat(t1, t2), t3);
    want.resize(80);
    CHECK(to_hex(out->view()) == to_hex(want));
    CHECK_FALSE(prf_plus(HashAlg::kSha256, key, seed, 255 * 32 + 1).ok());
    CHECK(prf_plus(HashAlg::kSha256, key, seed, 255 * 32).ok());
}

TEST_CASE("ECP-256 matches RFC 5903 §8.1 in both directions") {
    auto i = DhKeyPair::from_private(DhGroup::kEcp256, hx("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
    auto r = DhKeyPair::from_private(DhGroup::kEcp256, hx("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"));
    REQUIRE(i.ok());
    REQUIRE(r.ok());
    CHECK(to_hex(i->public_value()) ==
          "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
          "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
    CHECK(to_hex(r->public_value()) ==
          "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
          "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
    auto s1 = i->shared_secret(r->public_value());
    auto s2 = r->shared_secret(i->public_value());
    REQUIRE(s1.ok());
    REQUIRE(s2.ok());
    CHECK(to_hex(s1->view()) == "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
    CHECK(equal_bytes(s1->view(), s2->view()));
}

TEST_CASE("ECP-384 matches RFC 5903 §8.2") {
    auto i = DhKeyPair::from_private(
        DhGroup::kEcp384, hx("099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194"));
    REQUIRE(i.ok());
    CHECK(i->public_value().size() == 96);
    const Bytes gr = hx(
        "E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
        "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C");
    auto s = i->shared_secret(gr);
    REQUIRE(s.ok());
    CHECK(to_hex(s->view()) ==
          "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746");
}

TEST_CASE("ECP public values off the curve, at bad lengths or with coordinates >= p are refused") {
    FakeRandom rng(7);
    auto k = DhKeyPair::generate(DhGroup::kEcp256, rng);
    REQUIRE(k.ok());
    Bytes bad = k->public_value();
    bad[63] ^= 1;  // y changed: not on the curve
    CHECK(k->shared_secret(bad).error().code == ErrorCode::kProtocol);
    CHECK_FALSE(k->shared_secret(Bytes(63, 1)).ok());
    CHECK_FALSE(k->shared_secret(Bytes(64, 0)).ok());   // (0,0) is not on P-256
    CHECK_FALSE(k->shared_secret(Bytes(64, 0xff)).ok());  // coordinates above p
}

TEST_CASE("X25519 matches RFC 7748 §6.1 and refuses a low-order point") {
    auto a = DhKeyPair::from_private(DhGroup::kCurve25519, hx("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    auto b = DhKeyPair::from_private(DhGroup::kCurve25519, hx("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(to_hex(a->public_value()) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    CHECK(to_hex(b->public_value()) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    CHECK(to_hex(a->shared_secret(b->public_value())->view()) ==
          "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    CHECK(to_hex(b->shared_secret(a->public_value())->view()) ==
          "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    CHECK(a->shared_secret(Bytes(32, 0)).error().code == ErrorCode::kProtocol);  // order-1 point u=0
    CHECK_FALSE(a->shared_secret(Bytes(31, 9)).ok());
}

TEST_CASE("X25519 private keys come from the injected random source") {
    FixedRandom r1(hx("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    auto a = DhKeyPair::generate(DhGroup::kCurve25519, r1);
    REQUIRE(a.ok());
    CHECK(to_hex(a->public_value()) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
}

TEST_CASE("MODP group 14: both sides agree, values out of range are refused") {
    FakeRandom rng(3);
    auto a = DhKeyPair::generate(DhGroup::kModp2048, rng);
    auto b = DhKeyPair::generate(DhGroup::kModp2048, rng);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->public_value().size() == 256);
    auto s1 = a->shared_secret(b->public_value());
    auto s2 = b->shared_secret(a->public_value());
    REQUIRE(s1.ok());
    REQUIRE(s2.ok());
    CHECK(s1->size() == 256);
    CHECK(equal_bytes(s1->view(), s2->view()));
    // g^1 = 2 for a fixed exponent of 1.
    auto one = DhKeyPair::from_private(DhGroup::kModp2048, hx("01"));
    REQUIRE(one.ok());
    CHECK(one->public_value()[255] == 2);
    Bytes y1(256, 0);
    y1[255] = 1;
    CHECK(a->shared_secret(y1).error().code == ErrorCode::kProtocol);
    CHECK_FALSE(a->shared_secret(Bytes(256, 0)).ok());
    CHECK_FALSE(a->shared_secret(Bytes(256, 0xff)).ok());  // > p
    CHECK_FALSE(a->shared_secret(Bytes(255, 5)).ok());
}

TEST_CASE("SKEYSEED and the key chain have the §2.14 lengths, are deterministic and match an independent HMAC") {
    const Bytes ni(32, 0x11), nr(32, 0x22), gir(32, 0x33);
    const uint64_t spi_i = 0x0102030405060708, spi_r = 0x1112131415161718;
    const IkeSuite s = suite_cbc(HashAlg::kSha256, IntegId::kHmacSha256_128, 32);
    auto k1 = derive_ike_sa_keys_from_dh(s, ni, nr, gir, spi_i, spi_r);
    auto k2 = derive_ike_sa_keys_from_dh(s, ni, nr, gir, spi_i, spi_r);
    REQUIRE(k1.ok());
    REQUIRE(k2.ok());
    CHECK(k1->sk_d.size() == 32);
    CHECK(k1->sk_ai.size() == 32);
    CHECK(k1->sk_ar.size() == 32);
    CHECK(k1->sk_ei.size() == 32);
    CHECK(k1->sk_er.size() == 32);
    CHECK(k1->sk_pi.size() == 32);
    CHECK(k1->sk_pr.size() == 32);
    CHECK(equal_bytes(k1->sk_pr.view(), k2->sk_pr.view()));
    CHECK_FALSE(equal_bytes(k1->sk_ei.view(), k1->sk_er.view()));

    // Independent: SKEYSEED = HMAC(Ni|Nr, g^ir); T1 = HMAC(SKEYSEED, Ni|Nr|SPIi|SPIr|0x01) = SK_d.
    Bytes skeyseed = *hmac(HashAlg::kSha256, concat(ni, nr), gir);
    ByteWriter seed;
    seed.bytes(ni).bytes(nr).u64(spi_i).u64(spi_r).u8(1);
    Bytes t1 = *hmac(HashAlg::kSha256, skeyseed, seed.view());
    CHECK(to_hex(k1->sk_d.view()) == to_hex(t1));

    const IkeSuite g = suite_gcm(16);
    auto kg = derive_ike_sa_keys_from_dh(g, ni, nr, gir, spi_i, spi_r);
    REQUIRE(kg.ok());
    CHECK(kg->sk_ai.size() == 0);
    CHECK(kg->sk_ei.size() == 20);  // key + 4-octet salt (RFC 5282 §7.1)
    const IkeSuite s384 = suite_cbc(HashAlg::kSha384, IntegId::kHmacSha384_192, 16);
    auto k3 = derive_ike_sa_keys_from_dh(s384, ni, nr, gir, spi_i, spi_r);
    REQUIRE(k3.ok());
    CHECK(k3->sk_d.size() == 48);
    CHECK(k3->sk_ai.size() == 48);
    CHECK(k3->sk_ei.size() == 16);
}

TEST_CASE("CHILD_SA KEYMAT splits as encr_i|integ_i|encr_r|integ_r (§2.17)") {
    SkAlgorithms esp;
    esp.encr = EncrId::kAesCbc;
    esp.encr_key_size = 16;
    esp.integ = IntegId::kHmacSha256_128;
    const Bytes skd(32, 5), ni(16, 1), nr(16, 2);
    auto k = derive_child_sa_keys(HashAlg::kSha256, esp, skd, {}, ni, nr);
    REQUIRE(k.ok());
    auto all = prf_plus(HashAlg::kSha256, skd, concat(ni, nr), 96);
    CHECK(equal_bytes(k->encr_i.view(), all->first(16)));
    CHECK(equal_bytes(k->integ_r.view(), all->subspan(64, 32)));
}

namespace {

void sk_round_trip(const IkeSuite& suite) {
    const Bytes ni(32, 1), nr(32, 2), gir(32, 3);
    auto keys = derive_ike_sa_keys_from_dh(suite, ni, nr, gir, 1, 2);
    REQUIRE(keys.ok());
    auto tx = SkCipher::for_sender(suite, *keys, true);
    auto rx = SkCipher::for_sender(suite, *keys, true);
    auto wrong_dir = SkCipher::for_sender(suite, *keys, false);
    REQUIRE(tx.ok());
    REQUIRE(wrong_dir.ok());
    FakeRandom rng(9);
    IkeHeader h;
    h.spi_i = 1;
    h.spi_r = 2;
    h.exchange = ExchangeType::kIkeAuth;
    h.flags = kFlagInitiator;
    h.message_id = 1;
    std::vector<Payload> inner;
    inner.push_back(make_id_payload(true, IdPayload{IdType::kFqdn, to_bytes("client.example")}));
    inner.push_back(make_payload(AuthPayload{AuthMethod::kSharedKeyMic, Bytes(32, 0xaa)}));
    for (size_t extra = 0; extra < 20; ++extra) {  // all padding lengths
        CAPTURE(extra);
        inner.push_back(make_payload(VendorIdPayload{Bytes(1 + extra, 0x55)}));
        auto wire = build_encrypted_message(h, inner, *tx, rng);
        REQUIRE(wire.ok());
        auto parsed = parse_message(*wire);
        REQUIRE(parsed.ok());
        auto opened = open_encrypted_message(*wire, *parsed, *rx);
        REQUIRE(opened.ok());
        CHECK(*opened == inner);
        CHECK_FALSE(open_encrypted_message(*wire, *parsed, *wrong_dir).ok());
        // Tampered ICV, ciphertext and header (covered by ICV/AAD) are refused.
        for (size_t pos : {wire->size() - 1, wire->size() - tx->icv_size() - 3, size_t(20)}) {
            Bytes bad = *wire;
            bad[pos] ^= 0x01;
            auto p2 = parse_message(bad);
            REQUIRE(p2.ok());
            auto r = open_encrypted_message(bad, *p2, *rx);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == ErrorCode::kAuthFailed);
        }
        inner.pop_back();
    }
}

}  // namespace

TEST_CASE("SK payload round trip with AES-CBC-256 + HMAC-SHA2-256-128, tampering refused") {
    sk_round_trip(suite_cbc(HashAlg::kSha256, IntegId::kHmacSha256_128, 32));
}
TEST_CASE("SK payload round trip with AES-CBC-128 + HMAC-SHA2-512-256 and -384-192") {
    sk_round_trip(suite_cbc(HashAlg::kSha512, IntegId::kHmacSha512_256, 16));
    sk_round_trip(suite_cbc(HashAlg::kSha384, IntegId::kHmacSha384_192, 16));
}
TEST_CASE("SK payload round trip with AES-GCM-16 (128 and 256), tampering refused") {
    sk_round_trip(suite_gcm(16));
    sk_round_trip(suite_gcm(32));
}

TEST_CASE("SK open refuses short, misaligned and bad-padding bodies") {
    const IkeSuite s = suite_cbc(HashAlg::kSha256, IntegId::kHmacSha256_128, 16);
    auto keys = derive_ike_sa_keys_from_dh(s, Bytes(16, 1), Bytes(16, 2), Bytes(32, 3), 1, 2);
    auto c = SkCipher::for_sender(s, *keys, true);
    REQUIRE(c.ok());
    const Bytes aad(32, 0);
    CHECK(c->open(aad, Bytes(16 + 16 + 15, 0)).error().code == ErrorCode::kMalformed);
    CHECK(c->open(aad, Bytes(16 + 17 + 16, 0)).error().code == ErrorCode::kMalformed);
    CHECK(c->open(aad, Bytes(16 + 16 + 16, 0)).error().code == ErrorCode::kAuthFailed);
    // A correctly authenticated body whose Pad Length exceeds the plaintext.
    FakeRandom rng(1);
    auto sealed = c->seal(aad, Bytes(15, 0x0f), rng);  // 15 + pad length 0 = one block
    REQUIRE(sealed.ok());
    auto plain = c->open(aad, *sealed);
    REQUIRE(plain.ok());
    CHECK(plain->size() == 15);
    CHECK(c->sealed_size(15) == 16 + 16 + 16);
    CHECK(c->max_plaintext(48) == 15);
}

TEST_CASE("an SK payload inside an SK payload is refused after decryption") {
    const IkeSuite s = suite_gcm(16);
    auto keys = derive_ike_sa_keys_from_dh(s, Bytes(16, 1), Bytes(16, 2), Bytes(32, 3), 1, 2);
    auto c = SkCipher::for_sender(s, *keys, false);
    REQUIRE(c.ok());
    IkeHeader h;
    h.exchange = ExchangeType::kInformational;
    h.flags = kFlagResponse;
    FakeRandom rng(2);
    std::vector<Payload> inner{make_payload(EncryptedPayload{41, Bytes(40, 1)})};
    auto wire = build_encrypted_message(h, inner, *c, rng);
    REQUIRE(wire.ok());
    auto parsed = parse_message(*wire);
    REQUIRE(parsed.ok());
    auto r = open_encrypted_message(*wire, *parsed, *c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kMalformed);
    // An empty INFORMATIONAL (liveness check) opens to no payloads.
    auto empty = build_encrypted_message(h, {}, *c, rng);
    REQUIRE(empty.ok());
    auto pe = parse_message(*empty);
    REQUIRE(pe.ok());
    auto opened = open_encrypted_message(*empty, *pe, *c);
    REQUIRE(opened.ok());
    CHECK(opened->empty());
}

TEST_CASE("AES-GCM wrapper refuses a wrong tag") {
    const Bytes key(16, 7), nonce(12, 1), aad = to_bytes("aad");
    auto sealed = aes_gcm_seal(key, nonce, aad, to_bytes("hello"));
    REQUIRE(sealed.ok());
    CHECK(to_string(aes_gcm_open(key, nonce, aad, *sealed)->view()) == "hello");
    Bytes bad = *sealed;
    bad.back() ^= 0x80;
    CHECK(aes_gcm_open(key, nonce, aad, bad).error().code == ErrorCode::kAuthFailed);
    CHECK(aes_gcm_open(key, nonce, to_bytes("aaD"), *sealed).error().code == ErrorCode::kAuthFailed);
}
