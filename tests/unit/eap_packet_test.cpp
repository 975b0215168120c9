#include <doctest/doctest.h>

#include "common/hex.h"
#include "methods/eap_packet.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

}  // namespace

TEST_CASE("EAP codec parses a Request/Identity and serializes it back byte for byte") {
    const Bytes wire = hx("01 07 000a 01 68656c6c6f");  // Request id=7 Identity "hello"
    auto p = parse_packet(wire);
    REQUIRE(p.ok());
    CHECK(p->code == Code::kRequest);
    CHECK(p->identifier == 7);
    CHECK(p->type_is(Type::kIdentity));
    CHECK(to_string(p->type_data) == "hello");
    auto out = serialize_packet(*p);
    REQUIRE(out.ok());
    CHECK(*out == wire);
}

TEST_CASE("EAP codec round-trips every code") {
    const Packet packets[] = {
        {Code::kRequest, 1, 4, {0x10, 1, 2, 3}},
        {Code::kResponse, 255, 3, {4}},
        {Code::kResponse, 0, 200, {}},  // unknown type is carried
        {Code::kSuccess, 9, 0, {}},
        {Code::kFailure, 10, 0, {}},
    };
    for (const Packet& p : packets) {
        auto bytes = serialize_packet(p);
        REQUIRE(bytes.ok());
        auto back = parse_packet(*bytes);
        REQUIRE(back.ok());
        CHECK(*back == p);
    }
}

TEST_CASE("EAP codec ignores octets beyond Length (802.1X padding)") {
    const Bytes wire = hx("03 05 0004 00000000000000");
    auto p = parse_packet(wire);
    REQUIRE(p.ok());
    CHECK(p->code == Code::kSuccess);
    CHECK(p->identifier == 5);
    const Bytes req = hx("02 05 0006 01 41 4242");  // Response/Identity "A" + 2 padding bytes
    auto r = parse_packet(req);
    REQUIRE(r.ok());
    CHECK(to_string(r->type_data) == "A");
}

TEST_CASE("EAP codec rejects every malformed input") {
    struct Case {
        const char* name;
        const char* hex;
        ErrorCode code;
    };
    const Case cases[] = {
        {"empty", "", ErrorCode::kTruncated},
        {"three header bytes", "010100", ErrorCode::kTruncated},
        {"code 0", "00 01 0004", ErrorCode::kMalformed},
        {"code 5", "05 01 0004", ErrorCode::kMalformed},
        {"Length below header", "03 01 0003", ErrorCode::kMalformed},
        {"Length 0", "01 01 0000 01", ErrorCode::kMalformed},
        {"Length beyond buffer", "01 01 000a 01 4142", ErrorCode::kTruncated},
        {"Request without Type", "01 01 0004", ErrorCode::kMalformed},
        {"Response without Type", "02 01 0004 01", ErrorCode::kMalformed},
        {"Success with data", "03 01 0005 00", ErrorCode::kMalformed},
        {"Failure with data", "04 01 0006 0000", ErrorCode::kMalformed},
        {"Success claiming more than sent", "03 01 0008 00", ErrorCode::kTruncated},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        auto p = parse_packet(hx(c.hex));
        REQUIRE_FALSE(p.ok());
        CHECK(p.error().code == c.code);
        CHECK_FALSE(p.error().detail.empty());
    }
}

TEST_CASE("EAP builders produce the RFC 3748 layouts") {
    CHECK(to_hex(*build_identity_request(3)) == "0103000501");
    CHECK(to_hex(*build_identity_response(3, "bob")) == "0203000801626f62");
    CHECK(to_hex(*build_notification_request(4, "hi")) == "010400070268" "69");
    CHECK(to_hex(build_notification_response(4)) == "0204000502");
    const Type wanted[] = {Type::kMd5Challenge, Type::kTls};
    CHECK(to_hex(build_nak(5, wanted)) == "020500070304" "0d");
    CHECK(to_hex(build_nak(5, {})) == "020500060300");
    CHECK(to_hex(build_success(6)) == "03060004");
    CHECK(to_hex(build_failure(6)) == "04060004");
}

TEST_CASE("EAP serializer refuses type data that overflows the Length field") {
    Packet big{Code::kRequest, 1, 13, Bytes(kMaxTypeDataSize + 1, 0)};
    auto r = serialize_packet(big);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kLimit);
    big.type_data.resize(kMaxTypeDataSize);
    auto ok = serialize_packet(big);
    REQUIRE(ok.ok());
    CHECK(ok->size() == kMaxPacketSize);
    CHECK(parse_packet(*ok).ok());
}

TEST_CASE("parse_nak drops 0, non-authentication types and repeats") {
    CHECK(parse_nak(hx("00")).empty());
    CHECK(parse_nak({}).empty());
    CHECK(parse_nak(hx("04 01 02 03 fe 0d 04 19")) == std::vector<uint8_t>{4, 13, 25});
}

TEST_CASE("describe names the code and the type") {
    auto p = parse_packet(hx("01 07 000a 01 68656c6c6f"));
    REQUIRE(p.ok());
    CHECK(describe(*p) == "Request id=7 type=IDENTITY(1) data=5");
    CHECK(describe(Packet{Code::kSuccess, 2, 0, {}}) == "Success id=2");
}
