#include <doctest/doctest.h>

#include <string>

#include "common/hex.h"
#include "crypto/hash.h"
#include "crypto/hmac.h"

using namespace lanyard;
using namespace lanyard::crypto;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }
std::string hex_of(const Result<Bytes>& r) { return r.ok() ? to_hex(*r) : "error: " + r.error().detail; }

}  // namespace

TEST_CASE("MD5 matches the RFC 1321 A.5 test suite") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", "d41d8cd98f00b204e9800998ecf8427e"},
        {"a", "0cc175b9c0f1b6a831c399e269772661"},
        {"abc", "900150983cd24fb0d6963f7d28e17f72"},
        {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
        {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "57edf4a22be3c955ac49da2e2107b67a"},
    };
    for (const auto& [msg, want] : vectors) {
        CAPTURE(msg);
        CHECK(to_hex(md5(as_bytes(msg))) == want);
        CHECK(hex_of(digest(HashAlg::kMd5, as_bytes(msg))) == want);
    }
}

TEST_CASE("SHA-1 and SHA-2 digest \"abc\" as in FIPS 180-2 appendix examples") {
    const ByteView abc = as_bytes("abc");
    CHECK(to_hex(sha1(abc)) == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(to_hex(sha256(abc)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(to_hex(sha384(abc)) ==
          "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    CHECK(to_hex(sha512(abc)) ==
          "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
}

TEST_CASE("incremental hashing equals one-shot hashing for every algorithm") {
    const std::string msg = "The quick brown fox jumps over the lazy dog, several times over, in pieces.";
    for (HashAlg alg : {HashAlg::kMd5, HashAlg::kSha1, HashAlg::kSha256, HashAlg::kSha384, HashAlg::kSha512}) {
        CAPTURE(hash_name(alg));
        auto h = Hash::begin(alg);
        REQUIRE(h.ok());
        h->update(as_bytes(msg).first(10)).update(ByteView()).update(as_bytes(msg).subspan(10));
        auto inc = h->finish();
        REQUIRE(inc.ok());
        CHECK(inc->size() == digest_size(alg));
        CHECK(*inc == *digest(alg, as_bytes(msg)));
        CHECK_FALSE(h->finish().ok());  // only once
    }
}

TEST_CASE("HMAC-MD5 and HMAC-SHA1 match RFC 2202") {
    const Bytes k1 = Bytes(16, 0x0b);
    CHECK(hex_of(hmac(HashAlg::kMd5, k1, as_bytes("Hi There"))) == "9294727a3638bb1c13f48ef8158bfc9d");
    CHECK(hex_of(hmac(HashAlg::kMd5, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
          "750c783e6ab0b503eaa86e310a5db738");
    CHECK(hex_of(hmac(HashAlg::kMd5, Bytes(16, 0xaa), Bytes(50, 0xdd))) == "56be34521d144c88dbb8c733f0e8b3f6");
    CHECK(hex_of(hmac(HashAlg::kMd5, Bytes(80, 0xaa),
                      as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))) ==
          "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");

    CHECK(hex_of(hmac(HashAlg::kSha1, Bytes(20, 0x0b), as_bytes("Hi There"))) ==
          "b617318655057264e28bc0b6fb378c8ef146be00");
    CHECK(hex_of(hmac(HashAlg::kSha1, as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(hex_of(hmac(HashAlg::kSha1, Bytes(20, 0xaa), Bytes(50, 0xdd))) ==
          "125d7342b9ac11cd91a39af48aa17b4f63f175d3");
    CHECK(hex_of(hmac(HashAlg::kSha1, Bytes(80, 0xaa),
                      as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))) ==
          "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("HMAC-SHA256/384/512 match RFC 4231 test cases 1 and 2") {
    const Bytes k1(20, 0x0b);
    const ByteView d1 = as_bytes("Hi There");
    CHECK(hex_of(hmac(HashAlg::kSha256, k1, d1)) ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK(hex_of(hmac(HashAlg::kSha384, k1, d1)) ==
          "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
          "faea9ea9076ede7f4af152e8b2fa9cb6");
    CHECK(hex_of(hmac(HashAlg::kSha512, k1, d1)) ==
          "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
          "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");

    const ByteView k2 = as_bytes("Jefe");
    const ByteView d2 = as_bytes("what do ya want for nothing?");
    CHECK(hex_of(hmac(HashAlg::kSha256, k2, d2)) ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex_of(hmac(HashAlg::kSha384, k2, d2)) ==
          "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
          "8e2240ca5e69e2c78b3239ecfab21649");
    CHECK(hex_of(hmac(HashAlg::kSha512, k2, d2)) ==
          "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
          "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST_CASE("HMAC over pieces equals HMAC over their concatenation, and an empty key works") {
    const Bytes key = hx("000102030405060708090a0b0c0d0e0f");
    using namespace std::string_literals;
    const Bytes whole = to_bytes("label\0data-and-counter"s);
    REQUIRE(whole.size() == 22);
    auto pieces = hmac(HashAlg::kSha1, key, {as_bytes("label"), ByteView(whole).subspan(5, 1),
                                             ByteView(whole).subspan(6)});
    CHECK(hex_of(pieces) == hex_of(hmac(HashAlg::kSha1, key, whole)));
    // RFC 2104 zero-pads a short key, so an empty key is the all-zero block.
    CHECK(hex_of(hmac(HashAlg::kSha256, ByteView(), as_bytes("x"))) ==
          hex_of(hmac(HashAlg::kSha256, Bytes(64, 0), as_bytes("x"))));
    CHECK(hex_of(hmac(HashAlg::kMd5, ByteView(), ByteView())) == "74e6f7298a9c2d168935f58c001bad88");
}
