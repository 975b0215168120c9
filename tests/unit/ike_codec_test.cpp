// IKEv2 message codec: header (RFC 7296 §3.1), payload chain and critical
// bit (§3.2, §2.5), every payload's body (§3.3-§3.16, RFC 7383 §2.5).
#include <doctest/doctest.h>

#include "common/hex.h"
#include "ike/message.h"
#include "ike/transforms.h"

using namespace lanyard;
using namespace lanyard::ike;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

IkeHeader init_header() {
    IkeHeader h;
    h.spi_i = 0x8877665544332211ull;
    h.spi_r = 0;
    h.exchange = ExchangeType::kIkeSaInit;
    h.flags = kFlagInitiator;
    h.message_id = 0;
    return h;
}

// Parses one payload body given as hex, through the chain parser.
Result<std::vector<Payload>> parse_one(PayloadType type, ByteView body, bool critical = false) {
    ByteWriter w;
    w.u8(0).u8(critical ? 0x80 : 0).u16(static_cast<uint16_t>(body.size() + 4)).bytes(body);
    return parse_payload_chain(static_cast<uint8_t>(type), w.view());
}

}  // namespace

TEST_CASE("IKE_SA_INIT request SA+KE+Ni+N(NAT_DETECTION_*) builds and parses back identically") {
    auto proposals = parse_proposal_string("aes128gcm16-prfsha256-x25519, aes256-sha256-modp2048", ProtocolId::kIke);
    REQUIRE(proposals.ok());
    std::vector<Payload> payloads;
    payloads.push_back(make_payload(SaPayload{*proposals}));
    payloads.push_back(make_payload(KePayload{31, Bytes(32, 0x42)}));
    payloads.push_back(make_payload(NoncePayload{Bytes(32, 0x99)}));
    payloads.push_back(make_payload(NotifyPayload{ProtocolId::kNone, 16388, {}, Bytes(20, 0x01)}));
    payloads.push_back(make_payload(NotifyPayload{ProtocolId::kNone, 16389, {}, Bytes(20, 0x02)}));
    payloads.push_back(make_payload(NotifyPayload{ProtocolId::kNone, 16430, {}, {}}));
    auto wire = build_message(init_header(), payloads);
    REQUIRE(wire.ok());
    // Header bytes: SPIs, Next Payload SA, version 0x20, exchange 34, flags I.
    CHECK(to_hex(ByteView(*wire).first(20)) == "8877665544332211000000000000000021202208");
    CHECK((*wire)[17] == 0x20);
    CHECK((*wire)[18] == 34);
    CHECK((*wire)[19] == 0x08);
    auto msg = parse_message(*wire);
    REQUIRE(msg.ok());
    CHECK(msg->header.length == wire->size());
    CHECK(msg->header.initiator());
    CHECK_FALSE(msg->header.response());
    CHECK(msg->payloads == payloads);
    REQUIRE(msg->find_body<SaPayload>(PayloadType::kSa) != nullptr);
    CHECK(msg->find_body<SaPayload>(PayloadType::kSa)->proposals.size() == 2);
    CHECK(msg->find_notify(NotifyType::kNatDetectionDestinationIp) != nullptr);
    CHECK(msg->find_notify(NotifyType::kCookie) == nullptr);
    auto again = build_message(msg->header, msg->payloads);
    REQUIRE(again.ok());
    CHECK(*again == *wire);
}

TEST_CASE("IKE header: version, exchange types, length") {
    auto wire = build_message(init_header(), {make_payload(NoncePayload{Bytes(16, 1)})});
    REQUIRE(wire.ok());
    for (uint8_t ex : {34, 35, 36, 37, 43}) {
        Bytes b = *wire;
        b[18] = ex;
        CHECK(parse_message(b).ok());
    }
    for (uint8_t ex : {0, 33, 38, 42, 44, 255}) {
        Bytes b = *wire;
        b[18] = ex;
        CHECK(parse_message(b).error().code == ErrorCode::kUnsupported);
    }
    Bytes v1 = *wire;
    v1[17] = 0x10;  // IKEv1
    CHECK(parse_message(v1).error().code == ErrorCode::kUnsupported);
    Bytes v3 = *wire;
    v3[17] = 0x30;
    CHECK(parse_message(v3).error().code == ErrorCode::kUnsupported);
    Bytes minor = *wire;
    minor[17] = 0x21;  // minor versions are ignored (§2.5)
    CHECK(parse_message(minor).ok());
    Bytes longer = *wire;
    longer.push_back(0);
    CHECK(parse_message(longer).error().code == ErrorCode::kMalformed);
    CHECK(parse_message(ByteView(*wire).first(27)).error().code == ErrorCode::kTruncated);
    Bytes small_len = *wire;
    small_len[27] = 20;
    small_len[26] = 0;
    CHECK_FALSE(parse_message(small_len).ok());
    auto h = parse_ike_header(*wire);
    REQUIRE(h.ok());
    CHECK(h->spi_i == 0x8877665544332211ull);
}

TEST_CASE("non-ESP marker is stripped, an ESP packet is not IKE") {
    CHECK(strip_non_esp_marker(hx("00000000aabb"))->size() == 2);
    CHECK_FALSE(strip_non_esp_marker(hx("00000001aabb")).ok());
    CHECK_FALSE(strip_non_esp_marker(hx("000000")).ok());
}

TEST_CASE("unknown payloads: critical is UNSUPPORTED_CRITICAL_PAYLOAD with its type, non-critical skipped (§2.5)") {
    Payload unknown;
    unknown.type = 200;
    unknown.body = UnknownPayload{Bytes(5, 7)};
    std::vector<Payload> ps{make_payload(NoncePayload{Bytes(16, 1)}), unknown, make_payload(VendorIdPayload{to_bytes("v")})};
    auto wire = build_message(init_header(), ps);
    REQUIRE(wire.ok());
    ChainDiagnostics diag;
    auto msg = parse_message(*wire, &diag);
    REQUIRE(msg.ok());
    REQUIRE(msg->payloads.size() == 2);
    CHECK(msg->payloads[1].get<VendorIdPayload>() != nullptr);
    CHECK_FALSE(diag.unsupported_critical_payload.has_value());

    ps[1].critical = true;
    wire = build_message(init_header(), ps);
    REQUIRE(wire.ok());
    auto bad = parse_message(*wire, &diag);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::kUnsupported);
    REQUIRE(diag.unsupported_critical_payload.has_value());
    CHECK(*diag.unsupported_critical_payload == 200);
}

TEST_CASE("payload chain: overruns, trailing bytes, short generic headers") {
    auto wire = build_message(init_header(), {make_payload(NoncePayload{Bytes(16, 1)})});
    REQUIRE(wire.ok());
    Bytes b = *wire;
    b[31] = 100;  // payload length beyond the message
    CHECK(parse_message(b).error().code == ErrorCode::kMalformed);
    b = *wire;
    b[31] = 3;  // payload length below 4
    CHECK_FALSE(parse_message(b).ok());
    b = *wire;
    b[16] = 0;  // header says no payloads but bytes follow
    CHECK(parse_message(b).error().code == ErrorCode::kMalformed);
    b = *wire;
    b[28] = 43;  // Next Payload points past the end
    CHECK(parse_message(b).error().code == ErrorCode::kTruncated);
    CHECK(parse_payload_chain(40, hx("000000")).error().code == ErrorCode::kTruncated);
}

TEST_CASE("SK payload ends the chain and carries the first inner type; bytes after it are refused") {
    std::vector<Payload> ps{make_payload(EncryptedPayload{35, Bytes(48, 0xee)})};
    auto wire = build_message(init_header(), ps);
    REQUIRE(wire.ok());
    auto msg = parse_message(*wire);
    REQUIRE(msg.ok());
    REQUIRE(msg->payloads.size() == 1);
    CHECK(msg->payloads[0].get<EncryptedPayload>()->first_inner == 35);
    // A payload built after SK is an error on our side.
    ps.push_back(make_payload(NoncePayload{Bytes(16, 1)}));
    CHECK_FALSE(build_message(init_header(), ps).ok());
    // A peer's message with bytes after SK within Length.
    Bytes b = *wire;
    b.insert(b.end(), {0, 0, 0, 4});
    b[27] = static_cast<uint8_t>(b.size());
    CHECK(parse_message(b).error().code == ErrorCode::kMalformed);
}

TEST_CASE("SA payload: proposals, transforms, key length attribute round trip") {
    SaPayload sa;
    Proposal p;
    p.number = 1;
    p.protocol = ProtocolId::kEsp;
    p.spi = hx("c0ffee01");
    p.transforms = {make_encr(EncrId::kAesCbc, 256), make_transform(TransformType::kInteg, 12),
                    make_transform(TransformType::kEsn, 0)};
    p.transforms[1].other_attributes.push_back(TransformAttribute{99, false, 0, hx("0102")});
    sa.proposals.push_back(p);
    p.number = 2;
    sa.proposals.push_back(p);
    auto body = build_sa(sa);
    REQUIRE(body.ok());
    auto back = parse_sa(*body);
    REQUIRE(back.ok());
    CHECK(*back == sa);
    // Key Length is TV 0x800e.
    CHECK(to_hex(*body).find("800e0100") != std::string::npos);
}

TEST_CASE("SA payload malformed inputs") {
    SaPayload sa;
    Proposal p;
    p.transforms = {make_encr(EncrId::kAesCbc, 128), make_transform(TransformType::kPrf, 5),
                    make_transform(TransformType::kInteg, 12), make_transform(TransformType::kDh, 31)};
    sa.proposals.push_back(p);
    const Bytes good = *build_sa(sa);
    REQUIRE(parse_sa(good).ok());
    auto broken = [&](size_t pos, uint8_t v) {
        Bytes b = good;
        b[pos] = v;
        return parse_sa(b);
    };
    CHECK_FALSE(broken(0, 2).ok());   // more proposals announced, none follow
    CHECK_FALSE(broken(0, 1).ok());   // bad Last Substruc
    CHECK_FALSE(broken(3, 7).ok());   // proposal length < 8
    CHECK_FALSE(broken(3, 0xff).ok()); // proposal length overruns
    CHECK_FALSE(broken(4, 2).ok());   // first Proposal Num must be 1
    CHECK_FALSE(broken(5, 0).ok());   // Protocol ID 0
    CHECK_FALSE(broken(5, 4).ok());   // Protocol ID 4
    CHECK_FALSE(broken(6, 8).ok());   // SPI overruns
    CHECK_FALSE(broken(7, 0).ok());   // no transforms
    CHECK_FALSE(broken(7, 5).ok());   // more transforms than present
    CHECK_FALSE(broken(7, 3).ok());   // fewer transforms announced than present
    CHECK_FALSE(broken(8, 1).ok());   // transform Last Substruc
    CHECK_FALSE(broken(11, 7).ok());  // transform length < 8
    CHECK_FALSE(broken(11, 13).ok()); // transform length cuts the attribute
    CHECK_FALSE(broken(16, 0x00).ok());  // Key Length in TLV format
    CHECK_FALSE(parse_sa({}).ok());
    CHECK_FALSE(parse_sa(ByteView(good).first(good.size() - 1)).ok());
    Bytes trailing = good;
    trailing.push_back(0);
    CHECK_FALSE(parse_sa(trailing).ok());
    // Repeated Key Length.
    Bytes twice = hx("0000001401010001" "0300000c" "0100000c800e0080" "0000000c02000005");
    CHECK_FALSE(parse_sa(twice).ok());
    // Proposal numbers out of sequence: 1 then 3.
    SaPayload two = sa;
    two.proposals.push_back(p);
    two.proposals[1].number = 3;
    CHECK_FALSE(parse_sa(*build_sa(two)).ok());
    two.proposals[1].number = 2;
    CHECK(parse_sa(*build_sa(two)).ok());
}

TEST_CASE("KE, ID, CERT, CERTREQ, AUTH, Nonce round trip and malformed cases") {
    std::vector<Payload> ps{
        make_payload(KePayload{19, Bytes(64, 3)}),
        make_id_payload(true, IdPayload{IdType::kIpv4Addr, hx("c0000201")}),
        make_id_payload(false, IdPayload{IdType::kIpv6Addr, Bytes(16, 1)}),
        make_id_payload(true, IdPayload{IdType::kFqdn, to_bytes("vpn.example.com")}),
        make_id_payload(true, IdPayload{IdType::kRfc822Addr, to_bytes("a@example.com")}),
        make_id_payload(true, IdPayload{IdType::kDerAsn1Dn, hx("3000")}),
        make_id_payload(true, IdPayload{IdType::kKeyId, hx("01")}),
        make_payload(CertPayload{4, hx("308201")}),
        make_payload(CertReqPayload{4, Bytes(40, 9)}),
        make_payload(AuthPayload{AuthMethod::kSharedKeyMic, Bytes(32, 4)}),
        make_payload(NoncePayload{Bytes(256, 5)}),
    };
    auto chain = build_payload_chain(ps);
    REQUIRE(chain.ok());
    auto back = parse_payload_chain(ps[0].type, *chain);
    REQUIRE(back.ok());
    CHECK(*back == ps);
    CHECK((*back)[2].payload_type() == PayloadType::kIdr);

    CHECK_FALSE(parse_one(PayloadType::kKe, hx("001f00")).ok());
    CHECK_FALSE(parse_one(PayloadType::kKe, hx("001f0000")).ok());
    CHECK_FALSE(parse_one(PayloadType::kIdi, hx("010000")).ok());
    CHECK_FALSE(parse_one(PayloadType::kIdi, hx("01000000c00002")).ok());  // IPv4 of 3 octets
    CHECK_FALSE(parse_one(PayloadType::kIdr, hx("05000000c0000201")).ok());  // IPv6 of 4
    CHECK_FALSE(parse_one(PayloadType::kIdi, hx("02000000")).ok());  // empty FQDN
    CHECK_FALSE(parse_one(PayloadType::kIdi, hx("04000000aa")).ok());  // unknown ID type
    CHECK_FALSE(parse_one(PayloadType::kCert, hx("04")).ok());
    CHECK_FALSE(parse_one(PayloadType::kCert, {}).ok());
    CHECK_FALSE(parse_one(PayloadType::kCertReq, hx("040102")).ok());  // not a multiple of 20
    CHECK(parse_one(PayloadType::kCertReq, hx("04")).ok());  // empty list allowed
    CHECK_FALSE(parse_one(PayloadType::kAuth, hx("02000000")).ok());
    CHECK_FALSE(parse_one(PayloadType::kAuth, hx("0200")).ok());
    CHECK_FALSE(parse_one(PayloadType::kNonce, Bytes(15, 1)).ok());
    CHECK(parse_one(PayloadType::kNonce, Bytes(16, 1)).ok());
    CHECK_FALSE(parse_one(PayloadType::kNonce, Bytes(257, 1)).ok());
    CHECK_FALSE(build_payload_chain({make_payload(NoncePayload{Bytes(8, 1)})}).ok());
}

TEST_CASE("Notify: status and error types, SPI, data; malformed cases") {
    std::vector<Payload> ps{
        make_payload(NotifyPayload{ProtocolId::kNone, 14, {}, {}}),                   // NO_PROPOSAL_CHOSEN
        make_payload(NotifyPayload{ProtocolId::kNone, 17, {}, hx("001f")}),           // INVALID_KE_PAYLOAD
        make_payload(NotifyPayload{ProtocolId::kEsp, 16393, hx("01020304"), {}}),      // REKEY_SA with SPI
        make_payload(NotifyPayload{ProtocolId::kNone, 16390, {}, Bytes(32, 8)}),       // COOKIE
        make_payload(NotifyPayload{ProtocolId::kNone, 40000, {}, hx("ff")}),           // unknown status
    };
    auto chain = build_payload_chain(ps);
    auto back = parse_payload_chain(ps[0].type, *chain);
    REQUIRE(back.ok());
    CHECK(*back == ps);
    CHECK(is_error_notify((*back)[0].get<NotifyPayload>()->type));
    CHECK_FALSE(is_error_notify((*back)[2].get<NotifyPayload>()->type));
    CHECK_FALSE(parse_one(PayloadType::kNotify, hx("000040")).ok());
    CHECK_FALSE(parse_one(PayloadType::kNotify, hx("0304400901")).ok());  // SPI overruns
    CHECK_FALSE(parse_one(PayloadType::kNotify, hx("07004009")).ok());  // Protocol ID 7
}

TEST_CASE("Delete: IKE SA and ESP SPIs; malformed cases") {
    std::vector<Payload> ps{make_payload(DeletePayload{ProtocolId::kIke, 0, {}}),
                            make_payload(DeletePayload{ProtocolId::kEsp, 4, {hx("01020304"), hx("05060708")}})};
    auto back = parse_payload_chain(ps[0].type, *build_payload_chain(ps));
    REQUIRE(back.ok());
    CHECK(*back == ps);
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("01040000")).ok());      // IKE with SPI size 4
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("01000001")).ok());      // IKE with an SPI count
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("03080001aabbccdd")).ok());  // ESP SPI size 8
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("03040002aabbccdd")).ok());  // count 2, one SPI
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("030400")).ok());
    CHECK_FALSE(parse_one(PayloadType::kDelete, hx("00000000")).ok());      // Protocol ID 0
    CHECK_FALSE(build_payload_chain({make_payload(DeletePayload{ProtocolId::kEsp, 4, {hx("01")}})}).ok());
}

TEST_CASE("Vendor ID, EAP, CP and TS round trip and malformed cases") {
    TsPayload ts;
    ts.selectors.push_back(TrafficSelector{TsType::kIpv4AddrRange, 0, 0, 65535, hx("0a000000"), hx("0affffff")});
    ts.selectors.push_back(TrafficSelector{TsType::kIpv6AddrRange, 17, 500, 500, Bytes(16, 0), Bytes(16, 0xff)});
    ConfigPayload cp{CfgType::kRequest,
                     {{1, {}}, {3, {}}, {8, {}}, {10, {}}}};
    ConfigPayload reply{CfgType::kReply, {{1, hx("0a010203")}, {3, hx("08080808")}, {8, Bytes(17, 1)}}};
    std::vector<Payload> ps{make_payload(VendorIdPayload{to_bytes("strongSwan")}),
                            make_payload(EapPayload{hx("0101000501")}),
                            make_payload(cp),
                            make_payload(reply),
                            make_payload(ConfigPayload{CfgType::kSet, {}}),
                            make_payload(ConfigPayload{CfgType::kAck, {}}),
                            make_ts_payload(true, ts),
                            make_ts_payload(false, ts)};
    auto back = parse_payload_chain(ps[0].type, *build_payload_chain(ps));
    REQUIRE(back.ok());
    CHECK(*back == ps);
    CHECK((*back)[7].payload_type() == PayloadType::kTsr);

    CHECK_FALSE(parse_one(PayloadType::kVendorId, {}).ok());
    CHECK_FALSE(parse_one(PayloadType::kEap, hx("010100")).ok());
    CHECK_FALSE(parse_one(PayloadType::kEap, hx("0101000601")).ok());  // EAP Length 6, 5 octets
    CHECK_FALSE(parse_one(PayloadType::kConfig, hx("050000000001")).ok());  // CFG Type 5
    CHECK_FALSE(parse_one(PayloadType::kConfig, hx("01000000000100")).ok());  // truncated attribute
    CHECK_FALSE(parse_one(PayloadType::kConfig, hx("0200000000010002aabb")).ok());  // IPv4 of 2 octets
    CHECK_FALSE(parse_one(PayloadType::kConfig, hx("0200000000010005aabb")).ok());  // overruns
    CHECK_FALSE(parse_one(PayloadType::kConfig, hx("02")).ok());
    CHECK_FALSE(parse_one(PayloadType::kTsi, hx("00000000")).ok());  // no selectors
    CHECK_FALSE(parse_one(PayloadType::kTsi, hx("01000000070000100000ffff0a000000")).ok());  // truncated
    CHECK_FALSE(parse_one(PayloadType::kTsi, hx("010000000700000f0000ffff0a0000000affffff")).ok());  // bad length
    CHECK(parse_one(PayloadType::kTsi, hx("01000000070000100000ffff0a0000000affffff")).ok());
    CHECK(parse_one(PayloadType::kTsi, hx("01000000090000100000ffff0a0000000affffff")).error().code ==
          ErrorCode::kUnsupported);
    CHECK_FALSE(parse_one(PayloadType::kTsi, hx("02000000070000100000ffff0a0000000affffff")).ok());  // 2 announced
    CHECK_FALSE(parse_one(PayloadType::kTsi, hx("01000000070000100000ffff0a0000000affffff00")).ok());  // trailing
    TsPayload wrong = ts;
    wrong.selectors[0].start_address = Bytes(16, 0);
    CHECK_FALSE(build_payload_chain({make_ts_payload(true, wrong)}).ok());
}

TEST_CASE("SKF payload: numbers checked (RFC 7383 §2.5)") {
    auto ok = parse_one(PayloadType::kEncryptedFragment, hx("00020003aabbcc"));
    REQUIRE(ok.ok());
    const auto* f = (*ok)[0].get<EncryptedFragmentPayload>();
    REQUIRE(f != nullptr);
    CHECK(f->fragment_number == 2);
    CHECK(f->total_fragments == 3);
    CHECK_FALSE(parse_one(PayloadType::kEncryptedFragment, hx("00000003aa")).ok());  // number 0
    CHECK_FALSE(parse_one(PayloadType::kEncryptedFragment, hx("00040003aa")).ok());  // number > total
    CHECK_FALSE(parse_one(PayloadType::kEncryptedFragment, hx("00010000aa")).ok());  // total 0
    CHECK_FALSE(parse_one(PayloadType::kEncryptedFragment, hx("00010001")).ok());    // no data
    CHECK_FALSE(parse_one(PayloadType::kEncryptedFragment, hx("0001")).ok());
}

TEST_CASE("payload chain bounds the number of payloads") {
    std::vector<Payload> many(kMaxPayloadsPerChain + 1, make_payload(VendorIdPayload{to_bytes("x")}));
    auto chain = build_payload_chain(many);
    REQUIRE(chain.ok());
    CHECK(parse_payload_chain(43, *chain).error().code == ErrorCode::kLimit);
}
