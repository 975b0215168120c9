// EAPOL PDU, EAPOL-Key and Ethernet framing (IEEE 802.1X-2010 §11,
// IEEE 802.11-2020 §12.7.2): round trips and every malformed input.
#include <doctest/doctest.h>

#include <variant>

#include "common/hex.h"
#include "eapol/eapol_frame.h"
#include "eapol/eapol_key_frame.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

Bytes hex(const char* text) { return from_hex(text).value(); }

}  // namespace

TEST_CASE("EAPOL-Start and EAPOL-Logoff build and parse") {
    Bytes start = build_eapol_pdu(kVersion2001, PacketType::kStart, {}).value();
    CHECK(start == hex("01010000"));
    auto parsed = parse_eapol_pdu(start);
    REQUIRE(parsed.ok());
    CHECK(parsed->version == 1);
    CHECK(parsed->type == PacketType::kStart);
    CHECK(parsed->body.empty());

    Bytes logoff = build_eapol_pdu(kVersion2004, PacketType::kLogoff, {}).value();
    CHECK(logoff == hex("02020000"));
    CHECK(parse_eapol_pdu(logoff)->type == PacketType::kLogoff);
}

TEST_CASE("EAP-Packet round trip, every protocol version") {
    const Bytes eap = hex("0101000501");  // Request/Identity, id 1
    for (uint8_t version : {kVersion2001, kVersion2004, kVersion2010}) {
        Bytes pdu = build_eapol_pdu(version, PacketType::kEapPacket, eap).value();
        auto parsed = parse_eapol_pdu(pdu);
        REQUIRE(parsed.ok());
        CHECK(parsed->version == version);
        CHECK(parsed->type == PacketType::kEapPacket);
        CHECK(equal_bytes(parsed->body, eap));
        auto inner = eap_packet_in_body(parsed->body);
        REQUIRE(inner.ok());
        CHECK(equal_bytes(*inner, eap));
    }
}

TEST_CASE("Ethernet padding after the EAPOL body is ignored") {
    Bytes pdu = hex("0200000501010005010000000000000000000000");
    auto parsed = parse_eapol_pdu(pdu);
    REQUIRE(parsed.ok());
    CHECK(parsed->body.size() == 5);
    CHECK(equal_bytes(parsed->body, hex("0101000501")));
}

TEST_CASE("a later protocol version is still parsed (802.1X-2010 §11.5)") {
    auto parsed = parse_eapol_pdu(hex("07010000"));
    REQUIRE(parsed.ok());
    CHECK(parsed->version == 7);
    CHECK(parsed->type == PacketType::kStart);
}

TEST_CASE("malformed EAPOL headers are errors with the right class") {
    CHECK(parse_eapol_pdu({}).error().code == ErrorCode::kTruncated);
    CHECK(parse_eapol_pdu(hex("02")).error().code == ErrorCode::kTruncated);
    CHECK(parse_eapol_pdu(hex("020000")).error().code == ErrorCode::kTruncated);
    // Body length beyond the buffer.
    CHECK(parse_eapol_pdu(hex("0200000501010005")).error().code == ErrorCode::kTruncated);
    CHECK(parse_eapol_pdu(hex("0200ffff")).error().code == ErrorCode::kTruncated);
    // Version 0 was never defined.
    CHECK(parse_eapol_pdu(hex("00010000")).error().code == ErrorCode::kMalformed);
    // Packet types beyond Table 11-3.
    CHECK(parse_eapol_pdu(hex("02090000")).error().code == ErrorCode::kUnsupported);
    CHECK(parse_eapol_pdu(hex("02ff0000")).error().code == ErrorCode::kUnsupported);
}

TEST_CASE("MKA, announcements and ASF alerts are recognized but not supported") {
    for (uint8_t type = 4; type <= 8; ++type) {
        Bytes pdu{3, type, 0, 0};
        auto parsed = parse_eapol_pdu(pdu);
        REQUIRE(parsed.ok());
        CHECK_FALSE(packet_type_supported(parsed->type));
        CHECK(std::string(packet_type_name(parsed->type)).rfind("EAPOL-", 0) == 0);
    }
    for (uint8_t type = 0; type <= 3; ++type) CHECK(packet_type_supported(static_cast<PacketType>(type)));
    CHECK(std::string(packet_type_name(PacketType::kMka)) == "EAPOL-MKA");
}

TEST_CASE("the EAP packet inside an EAP-Packet body is cut at its own Length") {
    auto inner = eap_packet_in_body(hex("03010004ffff"));  // Success + 2 stray octets
    REQUIRE(inner.ok());
    CHECK(inner->size() == 4);
    CHECK(eap_packet_in_body({}).error().code == ErrorCode::kTruncated);
    CHECK(eap_packet_in_body(hex("010100")).error().code == ErrorCode::kTruncated);
    CHECK(eap_packet_in_body(hex("01010003")).error().code == ErrorCode::kMalformed);
    CHECK(eap_packet_in_body(hex("0101000901")).error().code == ErrorCode::kTruncated);
}

TEST_CASE("an EAPOL body over 65535 octets cannot be built") {
    Bytes big(70000, 0);
    CHECK(build_eapol_pdu(kVersion2004, PacketType::kEapPacket, big).error().code == ErrorCode::kLimit);
}

// ---- EAPOL-Key ------------------------------------------------------------

namespace {

Ieee80211KeyDescriptor sample_key() {
    Ieee80211KeyDescriptor key;
    key.type = KeyDescriptorType::kIeee80211;
    key.info = KeyInformation(0x008a);  // version 2, pairwise, Key Ack: 4-way message 1
    key.key_length = 16;
    key.replay_counter = 0x0102030405060708ULL;
    for (size_t i = 0; i < key.nonce.size(); ++i) key.nonce[i] = static_cast<uint8_t>(i);
    key.iv[0] = 0xaa;
    key.rsc[7] = 0x55;
    key.mic.assign(16, 0);
    key.key_data = hex("dd14000fac040102030405060708090a0b0c0d0e0f10");
    return key;
}

}  // namespace

TEST_CASE("IEEE 802.11 key descriptor round trip") {
    Ieee80211KeyDescriptor key = sample_key();
    Bytes body = build_ieee80211_key(key).value();
    CHECK(body.size() == kIeee80211KeyMicOffset + 16 + 2 + key.key_data.size());
    CHECK(body[0] == 2);
    CHECK(body[1] == 0x00);
    CHECK(body[2] == 0x8a);
    auto parsed = parse_ieee80211_key(body);
    REQUIRE(parsed.ok());
    CHECK(*parsed == key);
    CHECK(parsed->info.descriptor_version() == 2);
    CHECK(parsed->info.has(KeyInformation::kKeyTypePairwise));
    CHECK(parsed->info.has(KeyInformation::kKeyAck));
    CHECK_FALSE(parsed->info.has(KeyInformation::kKeyMic));

    // The same through the generic entry point and inside an EAPOL PDU.
    Bytes pdu = build_eapol_pdu(kVersion2004, PacketType::kKey, body).value();
    auto frame = parse_eapol_pdu(pdu);
    REQUIRE(frame.ok());
    auto any = parse_eapol_key(frame->body);
    REQUIRE(any.ok());
    REQUIRE(std::holds_alternative<Ieee80211KeyDescriptor>(*any));
    CHECK(std::get<Ieee80211KeyDescriptor>(*any) == key);
}

TEST_CASE("WPA (254) descriptor and key information bits") {
    Ieee80211KeyDescriptor key = sample_key();
    key.type = KeyDescriptorType::kWpa;
    key.info = KeyInformation();
    key.info.set_descriptor_version(1);
    key.info.set(KeyInformation::kKeyMic, true);
    key.info.set(KeyInformation::kSecure, true);
    key.info.set(KeyInformation::kSecure, false);
    key.key_data.clear();
    CHECK(key.info.bits() == 0x0101);
    Bytes body = build_ieee80211_key(key).value();
    CHECK(body[0] == 254);
    auto parsed = parse_ieee80211_key(body);
    REQUIRE(parsed.ok());
    CHECK(parsed->type == KeyDescriptorType::kWpa);
    CHECK(*parsed == key);
}

TEST_CASE("trailing octets after Key Data are ignored") {
    Ieee80211KeyDescriptor key = sample_key();
    Bytes body = build_ieee80211_key(key).value();
    body.push_back(0xee);
    auto parsed = parse_ieee80211_key(body);
    REQUIRE(parsed.ok());
    CHECK(*parsed == key);
}

TEST_CASE("malformed IEEE 802.11 key descriptors") {
    Bytes body = build_ieee80211_key(sample_key()).value();
    // Every truncation point is an error, never a crash.
    for (size_t n = 0; n < body.size(); ++n) {
        auto parsed = parse_ieee80211_key(ByteView(body).first(n));
        CHECK_FALSE(parsed.ok());
    }
    // Key Data Length beyond the body.
    Bytes lying = body;
    const size_t length_at = kIeee80211KeyMicOffset + 16;
    lying[length_at] = 0x01;
    CHECK(parse_ieee80211_key(lying).error().code == ErrorCode::kTruncated);
    // Unknown descriptor type.
    Bytes unknown = body;
    unknown[0] = 3;
    CHECK(parse_eapol_key(unknown).error().code == ErrorCode::kUnsupported);
    CHECK(parse_key_descriptor_type(hex("fe")).value() == KeyDescriptorType::kWpa);
    CHECK(parse_key_descriptor_type({}).error().code == ErrorCode::kTruncated);
    // An RC4 body where an 802.11 one is expected, and vice versa.
    Bytes rc4 = body;
    rc4[0] = 1;
    CHECK(parse_ieee80211_key(rc4).error().code == ErrorCode::kMalformed);
    CHECK(parse_rc4_key(body).error().code == ErrorCode::kMalformed);
}

TEST_CASE("MIC length follows the AKM") {
    Ieee80211KeyDescriptor key = sample_key();
    key.mic.assign(24, 0x11);  // SHA-384 AKMs
    Bytes body = build_ieee80211_key(key).value();
    auto parsed = parse_ieee80211_key(body, 24);
    REQUIRE(parsed.ok());
    CHECK(*parsed == key);
    // Read with the wrong MIC length, Key Data Length lands elsewhere.
    auto wrong = parse_ieee80211_key(body, 16);
    CHECK((!wrong.ok() || !(*wrong == key)));
    key.mic.assign(40, 0);
    CHECK_FALSE(build_ieee80211_key(key).ok());
}

TEST_CASE("RC4 key descriptor round trip and truncation") {
    Rc4KeyDescriptor key;
    key.key_length = 13;
    key.replay_counter = 42;
    key.iv[15] = 9;
    key.key_index = Rc4KeyDescriptor::kUnicastFlag | 1;
    key.signature[0] = 0xab;
    key.key = hex("00112233445566778899aabbcc");
    Bytes body = build_rc4_key(key);
    CHECK(body.size() == 44 + 13);
    auto parsed = parse_rc4_key(body);
    REQUIRE(parsed.ok());
    CHECK(*parsed == key);
    auto any = parse_eapol_key(body);
    REQUIRE(any.ok());
    CHECK(std::get<Rc4KeyDescriptor>(*any) == key);
    // Without the Key field (key from the MS-MPPE material).
    key.key.clear();
    CHECK(parse_rc4_key(build_rc4_key(key))->key.empty());
    for (size_t n = 0; n < 44; ++n) CHECK_FALSE(parse_rc4_key(ByteView(body).first(n)).ok());
}

