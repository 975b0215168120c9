#include <doctest/doctest.h>

#include "common/hex.h"
#include "methods/eap_packet.h"
#include "radius/eap_message.h"
#include "radius/mppe_keys.h"
#include "radius/radius_attributes.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

Authenticator counting_authenticator() {
    Authenticator a{};
    for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i);
    return a;
}

Bytes eap_of_size(size_t total) {
    Bytes data(total - 5);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
    return *eap::build_request(3, 13, data);
}

const ByteView kSecret = as_bytes("testing123");

}  // namespace

TEST_CASE("EAP-Message splits into 253-octet attributes and joins back (RFC 3579 §3.1)") {
    for (size_t size : {5u, 253u, 254u, 506u, 1020u, 1398u}) {
        const Bytes eap = eap_of_size(size);
        Packet p;
        p.code = 1;
        REQUIRE(add_eap_message(p, eap).ok());
        const auto parts = p.find_all(attr::kEapMessage);
        CHECK(parts.size() == (size + 252) / 253);
        for (size_t i = 0; i + 1 < parts.size(); ++i) CHECK(parts[i]->value.size() == 253);
        auto joined = join_eap_message(*parse_packet(*serialize_packet(p)));
        REQUIRE(joined.ok());
        REQUIRE(joined->has_value());
        CHECK(**joined == eap);
    }
}

TEST_CASE("EAP-Message joining rejects length mismatches and runts; absent is not an error") {
    Packet p;
    auto none = join_eap_message(p);
    REQUIRE(none.ok());
    CHECK(!none->has_value());
    const Bytes eap = eap_of_size(300);
    SUBCASE("a fragment missing") {
        REQUIRE(add_eap_message(p, eap).ok());
        p.attributes.pop_back();
        CHECK(join_eap_message(p).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("an extra octet") {
        REQUIRE(add_eap_message(p, eap).ok());
        p.attributes.back().value.push_back(0);
        CHECK(join_eap_message(p).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("shorter than the EAP header") {
        REQUIRE(p.add(attr::kEapMessage, Bytes{1, 2, 0}).ok());
        CHECK(join_eap_message(p).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("an empty EAP-Message attribute is allowed between fragments") {
        REQUIRE(p.add(attr::kEapMessage, ByteView(eap).first(100)).ok());
        REQUIRE(p.add(attr::kEapMessage, Bytes{}).ok());
        REQUIRE(p.add(attr::kEapMessage, ByteView(eap).subspan(100)).ok());
        auto j = join_eap_message(p);
        REQUIRE(j.ok());
        CHECK(**j == eap);
    }
    SUBCASE("splitting refuses empty input and what cannot fit 4096 octets") {
        CHECK(add_eap_message(p, Bytes{}).error().code == ErrorCode::kMalformed);
        CHECK(add_eap_message(p, eap_of_size(4060)).error().code == ErrorCode::kLimit);
        CHECK(p.attributes.empty());
    }
}

TEST_CASE("MS-MPPE key encryption matches an independent RFC 2548 §2.4.2 computation and decrypts back") {
    Bytes key(32);
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
    auto enc = encrypt_mppe_key(key, kSecret, counting_authenticator(), 0x8001);
    REQUIRE(enc.ok());
    // Computed with Python's hashlib from the RFC's formulas, not with this code.
    CHECK(to_hex(*enc) ==
          "800112a4054f091e203ec82fb961b9b618fd8f15c5905da6d786c76711ebfbf9b14b8303667ce1e1c225c3924927cd3f0bce");
    auto dec = decrypt_mppe_key(*enc, kSecret, counting_authenticator());
    REQUIRE(dec.ok());
    CHECK(equal_bytes(dec->view(), key));
}

TEST_CASE("MS-MPPE key decryption round-trips every length and validates its input") {
    for (size_t len : {0u, 1u, 15u, 16u, 31u, 32u, 64u, 239u}) {
        Bytes key(len, 0x5a);
        auto enc = encrypt_mppe_key(key, kSecret, counting_authenticator(), 0xc0de);
        REQUIRE(enc.ok());
        CHECK((enc->size() - 2) % 16 == 0);
        auto dec = decrypt_mppe_key(*enc, kSecret, counting_authenticator());
        REQUIRE(dec.ok());
        CHECK(equal_bytes(dec->view(), key));
    }
    CHECK(encrypt_mppe_key(Bytes(240, 0), kSecret, counting_authenticator(), 0x8000).error().code == ErrorCode::kLimit);
    CHECK(encrypt_mppe_key(Bytes(32, 0), kSecret, counting_authenticator(), 0x7fff).error().code == ErrorCode::kMalformed);
    const Bytes good = *encrypt_mppe_key(Bytes(32, 1), kSecret, counting_authenticator(), 0x8001);
    SUBCASE("not 2 + 16n octets") {
        CHECK(!decrypt_mppe_key(ByteView(good).first(good.size() - 1), kSecret, counting_authenticator()).ok());
        CHECK(!decrypt_mppe_key(ByteView(good).first(2), kSecret, counting_authenticator()).ok());
        CHECK(!decrypt_mppe_key(Bytes{}, kSecret, counting_authenticator()).ok());
    }
    SUBCASE("salt high bit clear") {
        Bytes b = good;
        b[0] &= 0x7f;
        CHECK(decrypt_mppe_key(b, kSecret, counting_authenticator()).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("wrong secret shows as bad length or padding") {
        CHECK(decrypt_mppe_key(good, as_bytes("wrong"), counting_authenticator()).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("a flipped padding octet") {
        Bytes b = good;
        b.back() ^= 1;  // last block: key octets 31 + 15 padding octets
        CHECK(decrypt_mppe_key(b, kSecret, counting_authenticator()).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("key length octet larger than the data") {
        // Encrypt a 15-octet key, then flip the length octet to 16 (xor 0x1f).
        Bytes b = *encrypt_mppe_key(Bytes(15, 1), kSecret, counting_authenticator(), 0x8001);
        b[2] ^= 0x1f;
        CHECK(decrypt_mppe_key(b, kSecret, counting_authenticator()).error().code == ErrorCode::kMalformed);
    }
}

TEST_CASE("MSK travels as MS-MPPE-Recv-Key | MS-MPPE-Send-Key (hostapd mapping)") {
    Bytes msk(64);
    for (size_t i = 0; i < msk.size(); ++i) msk[i] = static_cast<uint8_t>(0xa0 + i);
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccessAccept);
    REQUIRE(add_msk_as_mppe_keys(p, msk, kSecret, counting_authenticator(), 0x8001, 0x8002).ok());
    auto back = parse_packet(*serialize_packet(p));
    REQUIRE(back.ok());
    auto keys = extract_mppe_keys(*back, kSecret, counting_authenticator());
    REQUIRE(keys.ok());
    REQUIRE(keys->has_value());
    CHECK(equal_bytes((*keys)->recv.view(), ByteView(msk).first(32)));
    CHECK(equal_bytes((*keys)->send.view(), ByteView(msk).subspan(32)));
    CHECK(equal_bytes(msk_from_mppe_keys(**keys).view(), msk));
    // Each key is one Microsoft VSA: 4 + 1 + 1 + 2 (salt) + 48 = 56 octets.
    for (const auto* a : back->find_all(attr::kVendorSpecific)) CHECK(a->value.size() == 56);
    CHECK(add_msk_as_mppe_keys(p, ByteView(msk).first(63), kSecret, counting_authenticator(), 0x8001, 0x8002)
              .error()
              .code == ErrorCode::kMalformed);
    CHECK(!add_mppe_keys(p, msk, msk, kSecret, counting_authenticator(), 0x8003, 0x8003).ok());
}

TEST_CASE("extract_mppe_keys: absent is fine, half a pair or duplicates are not") {
    Packet p;
    auto none = extract_mppe_keys(p, kSecret, counting_authenticator());
    REQUIRE(none.ok());
    CHECK(!none->has_value());
    const Bytes enc = *encrypt_mppe_key(Bytes(32, 1), kSecret, counting_authenticator(), 0x8001);
    REQUIRE(p.add(attr::kVendorSpecific, *build_vendor_specific(kVendorMicrosoft, ms_attr::kMppeSendKey, enc)).ok());
    CHECK(extract_mppe_keys(p, kSecret, counting_authenticator()).error().code == ErrorCode::kMalformed);
    REQUIRE(p.add(attr::kVendorSpecific, *build_vendor_specific(kVendorMicrosoft, ms_attr::kMppeRecvKey, enc)).ok());
    CHECK(extract_mppe_keys(p, kSecret, counting_authenticator()).ok());
    REQUIRE(p.add(attr::kVendorSpecific, *build_vendor_specific(kVendorMicrosoft, ms_attr::kMppeRecvKey, enc)).ok());
    CHECK(extract_mppe_keys(p, kSecret, counting_authenticator()).error().code == ErrorCode::kMalformed);
}
