// IEEE 802.11 key derivation: PRF (IEEE 802.11-2020 §12.7.1.2, Annex J.3
// vectors), KDF-SHA256 (§12.7.1.7.2), PTK and PMKID (§12.7.1.3), EAPOL-Key
// MIC (§12.7.2) and key wrap of Key Data.
#include <doctest/doctest.h>

#include "crypto/aes_wrap.h"
#include "crypto/ieee80211_kdf.h"
#include "eapol/key_data.h"
#include "eapol/key_mic.h"
#include "eapol/ptk.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;
using lanyard::test::unhex;

namespace {

std::string prf_hex(ByteView key, const char* label, ByteView data, size_t length) {
    return to_hex(crypto::ieee80211_prf(key, label, data, length).value().view());
}

}  // namespace

TEST_CASE("PRF-512: IEEE 802.11 Annex J.3 test vectors 1-3") {
    const Bytes key1(20, 0x0b);
    CHECK(prf_hex(key1, "prefix", as_bytes("Hi There"), 64) ==
          "bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606e17d8da35402ffee"
          "75df78c3d31e0f889f012120c0862beb67753e7439ae242edb8373698356cf5a");
    CHECK(prf_hex(as_bytes("Jefe"), "prefix", as_bytes("what do ya want for nothing?"), 64) ==
          "51f4de5b33f249adf81aeb713a3c20f4fe631446fabdfa58244759ae58ef9009"
          "a99abf4eac2ca5fa87e692c440eb40023e7babb206d61de7b92f41529092b8fc");
    const Bytes key3(20, 0xaa);
    const Bytes data3(50, 0xdd);
    CHECK(prf_hex(key3, "prefix", data3, 64) ==
          "e1ac546ec4cb636f9976487be5c86be17a0252ca5d8d8df12cfb0473525249ce"
          "9dd8d177ead710bc9b590547239107aef7b4abd43d87f0a68f1cbd9e2b6f7607");
}

TEST_CASE("PRF-n: shorter outputs are prefixes; bounds are errors") {
    const Bytes key(20, 0x0b);
    CHECK(prf_hex(key, "prefix", as_bytes("Hi There"), 24) == "bcd4c650b30b9684951829e0d75f9d54b862175ed9f00606");
    CHECK_FALSE(crypto::ieee80211_prf(key, "prefix", {}, 0).ok());
    CHECK_FALSE(crypto::ieee80211_prf(key, "prefix", {}, 256 * 20).ok());
}

TEST_CASE("KDF-SHA256-256 vector; length and hash bounds") {
    auto out = crypto::ieee80211_kdf(crypto::HashAlg::kSha256, as_bytes("abc"), "KDF test", as_bytes("data"), 256);
    REQUIRE(out.ok());
    CHECK(to_hex(out->view()) == "9efd6eb02758cb7370a86f8a305375d41f8f21c2e47447f584f7d2291143d4d4");
    // Length is part of the input: a 128-bit KDF is not a prefix of the 256-bit one.
    auto short_out = crypto::ieee80211_kdf(crypto::HashAlg::kSha256, as_bytes("abc"), "KDF test", as_bytes("data"), 128);
    REQUIRE(short_out.ok());
    CHECK(short_out->size() == 16);
    CHECK_FALSE(equal_bytes(short_out->view(), out->first(16)));
    CHECK_FALSE(crypto::ieee80211_kdf(crypto::HashAlg::kSha1, as_bytes("abc"), "x", {}, 256).ok());
    CHECK_FALSE(crypto::ieee80211_kdf(crypto::HashAlg::kSha256, as_bytes("abc"), "x", {}, 12).ok());
    CHECK(crypto::ieee80211_kdf(crypto::HashAlg::kSha384, as_bytes("abc"), "x", {}, 384)->size() == 48);
}

// The captured WPA2 handshake of iwd's unit/test-eapol.c (eapol_4way_test):
// its PMK, addresses and nonces, and the MIC of its message 2.
TEST_CASE("PTK (AKM 00-0F-AC:1/2, PRF-384): the KCK verifies a captured message 2, the KEK opens message 3") {
    const Bytes pmk = unhex("bf9aa3155300125e7a5ebb2a549f8cd4edab8ee12e94bfc24b3357ad049665d9");
    const MacAddress aa = MacAddress::parse("24:a2:e1:ec:17:04").value();
    const MacAddress spa = MacAddress::parse("a0:a8:cd:1c:7e:c9").value();
    const Bytes anonce = unhex("c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50");
    const Bytes snonce = unhex("3289e91565094f329a9cd54a4a090d2cf4344683bf50efee3608b64856800e84");
    const Bytes message2 = unhex(
        "0103007502010a00000000000000000000" "3289e91565094f329a9cd54a4a090d2cf4344683bf50efee3608b64856800e84"
        "00000000000000000000000000000000" "0000000000000000" "0000000000000000"
        "01c31b82ff62a379b08dd1fc82c2f768" "0016" "30140100000fac040100000fac040100000fac020000");
    const Bytes message3 = unhex(
        "020300970213ca00100000000000000001" "c2bb57ab588f92ebbd44e811094f601c087986030c3ac749cc61d63e33832e50"
        "00000000000000000000000000000000" "0000000000000000" "0000000000000000"
        "f535d91809731a1d290894705e919c8e" "0038"
        "1918df1ef0e7696652e257938034e17038b98b4c45a923b7b6fa8c33e37bdcd47feab11c226a2c5e38d5ad799405d610a69551d60be60a5b");

    for (uint32_t akm : {kAkm8021x, kAkmPsk}) {
        auto ptk = derive_ptk(akm, kCipherCcmp128, pmk, aa, spa, anonce, snonce);
        REQUIRE(ptk.ok());
        CHECK(ptk->kck.size() == 16);
        CHECK(ptk->kek.size() == 16);
        CHECK(ptk->tk.size() == 16);
        CHECK(verify_key_mic(2, ptk->kck.view(), message2).ok());
        CHECK(verify_key_mic(2, ptk->kck.view(), message3).ok());
        // The derivation is symmetric in the order of addresses and nonces.
        auto swapped = derive_ptk(akm, kCipherCcmp128, pmk, spa, aa, snonce, anonce);
        CHECK(equal_bytes(swapped->tk.view(), ptk->tk.view()));

        auto frame = parse_key_frame(message3);
        REQUIRE(frame.ok());
        auto verified = verify_key_frame(*frame, ptk->kck.view());
        REQUIRE(verified.ok());
        auto plain = decrypt_key_data(*verified, ptk->kek.view());
        REQUIRE(plain.ok());
        auto data = parse_key_data(plain->view());
        REQUIRE(data.ok());
        REQUIRE(data->rsn_element);
        CHECK((*data->rsn_element)[0] == kRsnElementId);
        REQUIRE(data->gtk);
        CHECK(data->gtk->key.size() == 16);
    }
    // A different nonce gives a different PTK, and the MIC no longer verifies.
    Bytes other = snonce;
    other[0] ^= 1;
    auto wrong = derive_ptk(kAkm8021x, kCipherCcmp128, pmk, aa, spa, anonce, other);
    CHECK_FALSE(verify_key_mic(2, wrong->kck.view(), message2).ok());
}

TEST_CASE("PTK and PMKID: AKM 00-0F-AC:5 uses KDF-SHA256, independent vectors") {
    // Expected values computed independently (Python hmac/hashlib) from the
    // formulas of §12.7.1.3 and §12.7.1.7.2.
    const Bytes pmk = unhex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    const MacAddress aa = MacAddress::parse("02:00:00:00:00:01").value();
    const MacAddress spa = MacAddress::parse("02:00:00:00:01:00").value();
    const Bytes anonce(32, 0x11);
    const Bytes snonce(32, 0x22);
    auto ptk = derive_ptk(kAkm8021xSha256, kCipherCcmp128, pmk, aa, spa, anonce, snonce);
    REQUIRE(ptk.ok());
    CHECK(to_hex(ptk->kck.view()) == "bb6db320664c463522570ac3a770250c");
    CHECK(to_hex(ptk->kek.view()) == "c923b4341fd8070d2501abc3cdfa2c20");
    CHECK(to_hex(ptk->tk.view()) == "b94dd9e34a9c2bab2f6c4cfaf4a31c6d");
    auto sha1_ptk = derive_ptk(kAkm8021x, kCipherCcmp128, pmk, aa, spa, anonce, snonce);
    CHECK(to_hex(sha1_ptk->tk.view()) == "46f672da01acbff6ffa78cf31b525e23");

    CHECK(to_hex(compute_pmkid(kAkm8021x, pmk, aa, spa).value()) == "c67105705e96eb66a8c40a04cd1232af");
    CHECK(to_hex(compute_pmkid(kAkm8021xSha256, pmk, aa, spa).value()) == "f20e41094e43ec948c9e54bba3c0ec64");
}

TEST_CASE("PTK: unsupported AKM, cipher and input lengths are errors") {
    const Bytes pmk(32, 1), nonce(32, 2);
    const MacAddress a = MacAddress::parse("02:00:00:00:00:01").value();
    const MacAddress b = MacAddress::parse("02:00:00:00:00:02").value();
    CHECK(derive_ptk(kAkmSae, kCipherCcmp128, pmk, a, b, nonce, nonce).error().code == ErrorCode::kUnsupported);
    CHECK(derive_ptk(kAkmFt8021x, kCipherCcmp128, pmk, a, b, nonce, nonce).error().code == ErrorCode::kUnsupported);
    CHECK(derive_ptk(kAkm8021x, kCipherTkip, pmk, a, b, nonce, nonce).error().code == ErrorCode::kUnsupported);
    CHECK(derive_ptk(kAkm8021x, kCipherBipCmac128, pmk, a, b, nonce, nonce).error().code == ErrorCode::kUnsupported);
    CHECK_FALSE(derive_ptk(kAkm8021x, kCipherCcmp128, Bytes(16, 1), a, b, nonce, nonce).ok());
    CHECK_FALSE(derive_ptk(kAkm8021x, kCipherCcmp128, pmk, a, b, Bytes(31, 0), nonce).ok());
    CHECK(derive_ptk(kAkm8021x, kCipherCcmp256, pmk, a, b, nonce, nonce)->tk.size() == 32);
    CHECK_FALSE(compute_pmkid(kAkmOwe, pmk, a, b).ok());
    CHECK(pmk_from_msk(SecretBytes(Bytes(64, 7))).value().size() == 32);
    CHECK_FALSE(pmk_from_msk(SecretBytes(Bytes(31, 7))).ok());
}

TEST_CASE("EAPOL-Key MIC: iwd's HMAC-SHA1-128 vector; AES-128-CMAC for version 3; unknown versions refused") {
    const Bytes frame = unhex(
        "0103007502010a0010000000000000000159168bc3a5df18d71efb6423f340088dab9e1ba2bbc58659e07b3764b0de85"
        "7000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
        "0000001630140100000fac040100000fac040100000fac020100");
    const Bytes kck = unhex("9a75ef0bde7c209ccae13f54b1b33ea3");
    CHECK(to_hex(compute_key_mic(2, kck, frame).value()) == "6f0489cf7406acf0ae8fcb32bce57c37");
    auto cmac = compute_key_mic(3, kck, frame);
    REQUIRE(cmac.ok());
    CHECK(cmac->size() == 16);
    CHECK_FALSE(equal_bytes(*cmac, compute_key_mic(2, kck, frame).value()));
    CHECK(compute_key_mic(1, kck, frame).error().code == ErrorCode::kUnsupported);
    CHECK(compute_key_mic(0, kck, frame).error().code == ErrorCode::kUnsupported);

    // verify_key_mic: a signed copy verifies; one flipped bit anywhere does not.
    Bytes signed_frame = frame;
    auto mic = compute_key_mic(3, kck, frame).value();
    std::copy(mic.begin(), mic.end(), signed_frame.begin() + kKeyMicPduOffset);
    CHECK(verify_key_mic(3, kck, signed_frame).ok());
    for (size_t i : {size_t{0}, size_t{20}, kKeyMicPduOffset, signed_frame.size() - 1}) {
        Bytes tampered = signed_frame;
        tampered[i] ^= 0x01;
        CHECK(verify_key_mic(3, kck, tampered).error().code == ErrorCode::kAuthFailed);
    }
    CHECK(verify_key_mic(3, kck, ByteView(signed_frame).first(90)).error().code == ErrorCode::kTruncated);
}

TEST_CASE("Key Data encryption: padding rules and AES key wrap round trip") {
    CHECK(to_hex(pad_key_data(unhex("0102")).view()) == "0102dd0000000000" "0000000000000000");
    CHECK(pad_key_data(Bytes(16, 1)).size() == 16);   // already a multiple of 8, >= 16: no pad
    CHECK(pad_key_data(Bytes(17, 1)).size() == 24);
    CHECK(pad_key_data(Bytes(23, 1)).size() == 24);
    CHECK(pad_key_data(Bytes(8, 1)).size() == 16);    // at least 16
    CHECK(pad_key_data(Bytes{}).size() == 16);
    CHECK(pad_key_data(Bytes(17, 1)).view()[17] == 0xdd);

    const Bytes kek = unhex("000102030405060708090a0b0c0d0e0f");
    const Bytes plain = unhex("30140100000fac040100000fac040100000fac010000");  // 22 octets
    auto wrapped = encrypt_key_data(kek, plain);
    REQUIRE(wrapped.ok());
    CHECK(wrapped->size() == 32);
    auto back = crypto::aes_unwrap(kek, *wrapped);
    REQUIRE(back.ok());
    auto parsed = parse_key_data(back->view());  // the padding ends the parse
    REQUIRE(parsed.ok());
    CHECK(*parsed->rsn_element == plain);
}
