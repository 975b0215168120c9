// EAP-TLV codec (malformed input included), PEAP key hierarchy vectors,
// PEAPv0 tunnel framing and phase1/phase2 option parsing.
//
// The key vectors were computed with an independent Python implementation of
// the byte layout wpa_supplicant's peap_prfplus()/eap_peap_derive_cmk()/
// eap_peap_getKey() use (TK = 00..3b, ISK = 40..5f); they pin our code to
// that layout, which is what interoperability with wpa_supplicant, hostapd
// and Windows needs.
#include <doctest/doctest.h>

#include "common/hex.h"
#include "methods/eap_packet.h"
#include "methods/eap_tlv.h"
#include "methods/peap_common.h"
#include "methods/peap_keys.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes hex(const char* s) {
    std::string clean;
    for (const char* p = s; *p != 0; ++p) if (*p != ' ') clean.push_back(*p);
    auto b = from_hex(clean);
    REQUIRE(b.ok());
    return *b;
}

Bytes seq(uint8_t from, size_t n) {
    Bytes b(n);
    for (size_t i = 0; i < n; ++i) b[i] = static_cast<uint8_t>(from + i);
    return b;
}

Bytes crypto_binding_value(uint8_t version, uint8_t sub_type) {
    ByteWriter w;
    w.u16(kTlvCryptoBinding).u16(56).u8(0).u8(version).u8(version).u8(sub_type);
    w.bytes(seq(0x80, 32)).zeros(20);
    return w.take();
}

}  // namespace

TEST_CASE("EAP-TLV: Result, Crypto-Binding and NAK TLVs round-trip") {
    ByteWriter w;
    append_result_tlv(w, kTlvResultSuccess);
    CryptoBindingTlv cb;
    cb.mandatory = true;
    cb.version = 0;
    cb.received_version = 0;
    cb.sub_type = kCryptoBindingResponse;
    for (size_t i = 0; i < cb.nonce.size(); ++i) cb.nonce[i] = static_cast<uint8_t>(i);
    const size_t offset = append_crypto_binding_tlv(w, cb);
    CHECK(offset == 6);
    append_nak_tlv(w, 99);
    const Bytes body = w.take();
    CHECK(body.size() == 6 + 60 + 10);
    CHECK(body[0] == 0x80);  // M bit on the Result TLV
    CHECK(body[1] == 3);
    auto parsed = parse_tlvs(body);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->result.has_value());
    CHECK(*parsed->result == kTlvResultSuccess);
    REQUIRE(parsed->crypto_binding.has_value());
    CHECK(parsed->crypto_binding->mandatory);
    CHECK(parsed->crypto_binding->sub_type == kCryptoBindingResponse);
    CHECK(parsed->crypto_binding->nonce == cb.nonce);
    CHECK(parsed->crypto_binding->raw.size() == 60);
    REQUIRE(parsed->nak_type.has_value());
    CHECK(*parsed->nak_type == 99);
    CHECK_FALSE(parsed->unknown_mandatory.has_value());
}

TEST_CASE("EAP-TLV: unknown TLVs: optional ones are skipped, mandatory ones reported") {
    const Bytes optional_unknown = hex("0007000201020003000200 01");
    // 0x0007 len 2, then Result TLV (no M) success.
    auto a = parse_tlvs(hex("000700020102000300020001"));
    REQUIRE(a.ok());
    CHECK(a->skipped == 1);
    CHECK(a->result == kTlvResultSuccess);
    CHECK_FALSE(a->unknown_mandatory.has_value());
    auto b = parse_tlvs(hex("80070000"));
    REQUIRE(b.ok());
    REQUIRE(b->unknown_mandatory.has_value());
    CHECK(*b->unknown_mandatory == 7);
    (void)optional_unknown;
}

TEST_CASE("EAP-TLV: malformed input is rejected") {
    CHECK(parse_tlvs(hex("")).ok());                   // no TLVs is valid (and carries no result)
    CHECK_FALSE(parse_tlvs(hex("80")).ok());           // shorter than a TLV header
    CHECK_FALSE(parse_tlvs(hex("800300")).ok());       // shorter than a TLV header
    CHECK_FALSE(parse_tlvs(hex("8003000200")).ok());   // value runs past the end
    CHECK_FALSE(parse_tlvs(hex("80030003000100")).ok());  // Result TLV length 3
    CHECK_FALSE(parse_tlvs(hex("80030001 01")).ok());     // Result TLV length 1
    CHECK_FALSE(parse_tlvs(hex("800300020001800300020001")).ok());  // two Result TLVs
    CHECK_FALSE(parse_tlvs(hex("80040004 00000000")).ok());  // NAK TLV too short
    CHECK_FALSE(parse_tlvs(hex("000c0004 00000000")).ok());  // Crypto-Binding length 4
    Bytes two = crypto_binding_value(0, 0);
    const Bytes again = two;
    two.insert(two.end(), again.begin(), again.end());
    CHECK_FALSE(parse_tlvs(two).ok());                       // two Crypto-Binding TLVs
    Bytes truncated = crypto_binding_value(0, 0);
    truncated.pop_back();
    CHECK_FALSE(parse_tlvs(truncated).ok());
    Bytes many;
    for (size_t i = 0; i <= kMaxTlvsPerPacket; ++i) {
        const Bytes t = hex("00070000");
        many.insert(many.end(), t.begin(), t.end());
    }
    auto limited = parse_tlvs(many);
    REQUIRE_FALSE(limited.ok());
    CHECK(limited.error().code == ErrorCode::kLimit);
}

TEST_CASE("PEAP PRF+ and the IPMK/CMK chain match wpa_supplicant's layout") {
    const Bytes tk = seq(0, 60);
    const Bytes isk = seq(0x40, 32);
    auto v0 = peap_compound_keys(0, tk, isk, false);
    REQUIRE(v0.ok());
    const Bytes imck0 = hex(
        "1265fe0c53b27263df75b1997b4cef80f0f5b635b918dfd55217cb56a49ed5f08bc8966cb6273d4d"
        "d01f2c04fe70b5e174cf4963c6076c9ddaa50f32");
    CHECK(equal_bytes(v0->ipmk.view(), ByteView(imck0).first(40)));
    CHECK(equal_bytes(v0->cmk.view(), ByteView(imck0).subspan(40)));
    auto v1 = peap_prf_plus(1, ByteView(tk).first(40), "Inner Methods Compound Keys", isk, 60);
    REQUIRE(v1.ok());
    CHECK(equal_bytes(v1->view(), hex("1757b30ec764e0f208956fa4f3076bf1b1b219a4dd465241e394aa8731cc5e9a9b565c8135cd79"
                                      "9738f3590bed67f929ccdbfcecb92c27538a86a582")));
    auto msk = peap_binding_msk(0, v0->ipmk.view());
    REQUIRE(msk.ok());
    CHECK(equal_bytes(msk->view(), hex("b0c540f7a16c6600fad6c5de02f412712e25a06552065b42a6117f34ce8fb02f1bce660387ab61"
                                       "ed63c2098b4caf257a077b1be56b860b9eabb480adfdae707d")));
    // Fast reconnect: IPMK | CMK straight from the TK.
    auto fast = peap_compound_keys(0, tk, isk, true);
    REQUIRE(fast.ok());
    CHECK(equal_bytes(fast->ipmk.view(), ByteView(tk).first(40)));
    CHECK(equal_bytes(fast->cmk.view(), ByteView(tk).subspan(40, 20)));
    CHECK_FALSE(peap_compound_keys(0, ByteView(tk).first(59), isk, false).ok());
}

TEST_CASE("PEAP Compound MAC: HMAC-SHA1(CMK, TLV with zero MAC | 25), verified in constant time") {
    auto keys = peap_compound_keys(0, seq(0, 60), seq(0x40, 32), false);
    REQUIRE(keys.ok());
    Bytes tlv = crypto_binding_value(0, 0);
    auto mac = peap_compound_mac(keys->cmk.view(), tlv);
    REQUIRE(mac.ok());
    CHECK(equal_bytes(*mac, hex("c0a1e95b4a0fca15594c4f87e70d71acf43f3764")));
    REQUIRE(peap_sign_crypto_binding(keys->cmk.view(), tlv, 0).ok());
    auto parsed = parse_tlvs(tlv);
    REQUIRE(parsed.ok());
    REQUIRE(parsed->crypto_binding.has_value());
    CHECK(peap_verify_crypto_binding(keys->cmk.view(), *parsed->crypto_binding));
    tlv[10] ^= 1;  // a nonce bit
    auto tampered = parse_tlvs(tlv);
    REQUIRE(tampered.ok());
    CHECK_FALSE(peap_verify_crypto_binding(keys->cmk.view(), *tampered->crypto_binding));
    CHECK_FALSE(peap_sign_crypto_binding(keys->cmk.view(), tlv, 1).ok());  // out of range
}

TEST_CASE("PEAP ISK: inner key cut or zero-padded to 32 octets") {
    CHECK(equal_bytes(peap_isk({}).view(), Bytes(32, 0)));
    const Bytes long_key = seq(1, 64);
    CHECK(equal_bytes(peap_isk(long_key).view(), ByteView(long_key).first(32)));
    const Bytes short_key = seq(1, 16);
    Bytes padded = short_key;
    padded.resize(32, 0);
    CHECK(equal_bytes(peap_isk(short_key).view(), padded));
}

TEST_CASE("PEAPv0 framing: inner headers dropped except for EAP-TLV, rebuilt from the outer Identifier") {
    const Bytes identity_req = hex("0107000501");
    CHECK(peap_tunnel_encode(identity_req, 0) == hex("01"));
    CHECK(peap_tunnel_encode(identity_req, 1) == identity_req);
    const Bytes tlv_req = hex("0109000a21800300020001");
    CHECK(peap_tunnel_encode(tlv_req, 0) == tlv_req);
    const Bytes md5_resp = hex("0207000a0401020304 05");
    CHECK(peap_tunnel_encode(md5_resp, 0) == hex("040102030405"));

    auto peer = peap_peer_decode(hex("04 10 00112233445566778899aabbccddeeff"), 0, 42);
    REQUIRE(peer.ok());
    auto pkt = parse_packet(*peer);
    REQUIRE(pkt.ok());
    CHECK(pkt->code == Code::kRequest);
    CHECK(pkt->identifier == 42);
    CHECK(pkt->type_is(Type::kMd5Challenge));
    // A whole Identity Request (FreeRADIUS) and whole EAP-TLV Requests stay.
    CHECK(*peap_peer_decode(identity_req, 0, 42) == identity_req);
    CHECK(*peap_peer_decode(tlv_req, 0, 42) == tlv_req);
    CHECK(*peap_peer_decode(tlv_req, 1, 42) == tlv_req);
    CHECK_FALSE(peap_peer_decode({}, 0, 1).ok());

    auto server = peap_server_decode(hex("01616c696365"), 0, false, 9);
    REQUIRE(server.ok());
    auto resp = parse_packet(*server);
    REQUIRE(resp.ok());
    CHECK(resp->code == Code::kResponse);
    CHECK(resp->identifier == 9);
    CHECK(to_string(resp->type_data) == "alice");
    CHECK(*peap_server_decode(tlv_req, 0, true, 9) == tlv_req);
    CHECK_FALSE(peap_server_decode({}, 0, false, 9).ok());
}

TEST_CASE("PEAP phase1/phase2 options as wpa_supplicant reads them") {
    const PeapPhase1 d = parse_peap_phase1("");
    CHECK(d.forced_version == -1);
    CHECK(d.crypto_binding == CryptoBindingPolicy::kOptional);
    CHECK_FALSE(d.allow_tls13);
    CHECK_FALSE(d.new_label);
    const PeapPhase1 p = parse_peap_phase1("peapver=1 peaplabel=1 crypto_binding=2 tls_disable_tlsv1_3=0");
    CHECK(p.forced_version == 1);
    CHECK(p.new_label);
    CHECK(p.crypto_binding == CryptoBindingPolicy::kRequired);
    CHECK(p.allow_tls13);
    CHECK(parse_peap_phase1("crypto_binding=0").crypto_binding == CryptoBindingPolicy::kNone);
    CHECK(parse_peap_phase1("peapver=0").forced_version == 0);

    CHECK(parse_phase2_methods("auth=MSCHAPV2") == std::vector<Type>{Type::kMschapV2});
    CHECK(parse_phase2_methods("auth=GTC MD5") == std::vector<Type>{Type::kGtc, Type::kMd5Challenge});
    CHECK(parse_phase2_methods("autheap=TLS") == std::vector<Type>{Type::kTls});
    CHECK(parse_phase2_methods("").empty());
    CHECK(parse_phase2_methods("auth=NOPE").empty());
}
