#include <doctest/doctest.h>

#include <string>

#include "common/hex.h"
#include "crypto/aes_wrap.h"
#include "crypto/cmac.h"
#include "crypto/legacy.h"

using namespace lanyard;
using namespace lanyard::crypto;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }
std::string hex_of(const Result<Bytes>& r) { return r.ok() ? to_hex(*r) : "error: " + r.error().detail; }

Bytes utf16le(std::string_view ascii) {
    Bytes out;
    for (char c : ascii) {
        out.push_back(static_cast<uint8_t>(c));
        out.push_back(0);
    }
    return out;
}

}  // namespace

TEST_CASE("AES key wrap matches RFC 3394 §4.1 and §4.6 and unwraps back") {
    const Bytes kek128 = hx("000102030405060708090A0B0C0D0E0F");
    const Bytes key128 = hx("00112233445566778899AABBCCDDEEFF");
    CHECK(hex_of(aes_wrap(kek128, key128)) == "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");

    const Bytes kek256 = hx("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
    const Bytes key256 = hx("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    auto wrapped = aes_wrap(kek256, key256);
    CHECK(hex_of(wrapped) == "28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21");

    auto back = aes_unwrap(kek256, *wrapped);
    REQUIRE(back.ok());
    CHECK(equal_bytes(back->view(), key256));
}

TEST_CASE("AES key unwrap rejects a tampered ciphertext and bad sizes") {
    const Bytes kek = hx("000102030405060708090A0B0C0D0E0F");
    Bytes ct = hx("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
    ct[3] ^= 0x01;
    auto r = aes_unwrap(kek, ct);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kAuthFailed);

    CHECK(aes_unwrap(kek, Bytes(20, 0)).error().code == ErrorCode::kMalformed);  // not a multiple of 8
    CHECK(aes_unwrap(kek, Bytes(16, 0)).error().code == ErrorCode::kMalformed);  // too short
    CHECK_FALSE(aes_wrap(Bytes(15, 0), Bytes(16, 0)).ok());                      // bad KEK size
    CHECK_FALSE(aes_wrap(kek, Bytes(8, 0)).ok());                                // RFC 3394: n >= 2
}

TEST_CASE("AES-128-CMAC matches RFC 4493 §4 examples 1-4") {
    const Bytes key = hx("2b7e151628aed2a6abf7158809cf4f3c");
    const Bytes msg = hx(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    CHECK(hex_of(aes_cmac(key, ByteView())) == "bb1d6929e95937287fa37d129b756746");
    CHECK(hex_of(aes_cmac(key, ByteView(msg).first(16))) == "070a16b46b4d4144f79bdd9dd04a287c");
    CHECK(hex_of(aes_cmac(key, ByteView(msg).first(40))) == "dfa66747de9ae63030ca32611497c827");
    CHECK(hex_of(aes_cmac(key, msg)) == "51f0bebf7e3b9d92fc49741779363cfe");
    CHECK_FALSE(aes_cmac(Bytes(10, 0), msg).ok());
}

TEST_CASE("MD4 matches the RFC 1320 A.5 test suite") {
    REQUIRE_MESSAGE(legacy_available(), "the OpenSSL legacy provider is needed for MD4");
    const std::pair<const char*, const char*> vectors[] = {
        {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
        {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
        {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
        {"message digest", "d9130a8164549fe818874806e1c7014b"},
        {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
        {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
        {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
         "e33b4ddc9c38f2199c3e7b164fcc0536"},
    };
    for (const auto& [msg, want] : vectors) {
        CAPTURE(msg);
        CHECK(hex_of(md4(as_bytes(msg))) == want);
    }
}

TEST_CASE("DES encrypts the classic single block and MSCHAPv2's 56-bit keys (RFC 2759 §9.2)") {
    REQUIRE(legacy_available());
    // The "Now is t" example of FIPS 81 / the DES validation literature.
    CHECK(hex_of(des_encrypt_block(hx("0123456789abcdef"), hx("4e6f772069732074"))) == "3fa40e8a984d4815");

    // RFC 2759 §9.2: NtPasswordHash("clientPass") and ChallengeResponse().
    auto hash = md4(utf16le("clientPass"));
    REQUIRE(hash.ok());
    CHECK(to_hex(*hash) == "44ebba8d5312b8d611474411f56989ae");
    Bytes z = *hash;
    z.resize(21, 0);
    const Bytes challenge = hx("D02E4386BCE91226");
    std::string response;
    for (size_t i = 0; i < 3; ++i) response += hex_of(des_encrypt_block_56(ByteView(z).subspan(7 * i, 7), challenge));
    CHECK(response == "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df");

    CHECK_FALSE(des_encrypt_block(Bytes(7, 0), Bytes(8, 0)).ok());
    CHECK(des_expand_key_56(hx("ffffffffffffff")).size() == 8);
}
