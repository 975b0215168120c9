// EAP-MSCHAPv2 framing (draft-kamath-pppext-eap-mschapv2-02) and the
// RFC 2759 §5/§6 Success and Failure messages: round trips and malformed
// input.
#include <doctest/doctest.h>

#include "common/hex.h"
#include "methods/mschapv2_codec.h"

using namespace lanyard;
using namespace lanyard::eap;
using namespace lanyard::eap::mschapv2;

namespace {
Bytes hx(std::string_view s) { return from_hex(s).value(); }
}  // namespace

TEST_CASE("Challenge: build and parse round trip, byte layout") {
    const Bytes chal = hx("5B5D7C7D7B3F2F3E3C2C602132262628");
    Bytes b = build_challenge(0x42, chal, "srv");
    CHECK(to_hex(b) == "0142001810" + to_hex(chal) + "737276");
    auto h = parse_header(b);
    REQUIRE(h.ok());
    CHECK(h->op == OpCode::kChallenge);
    CHECK(h->ms_id == 0x42);
    auto c = parse_challenge(*h);
    REQUIRE(c.ok());
    CHECK(to_hex(c->challenge) == to_hex(chal));
    CHECK(c->name == "srv");
}

TEST_CASE("Response: build and parse round trip, Value-Size 49 layout") {
    const Bytes pc(16, 0xAA);
    const Bytes nt(24, 0xBB);
    Bytes b = build_response(7, pc, nt, "User");
    REQUIRE(b.size() == 4 + 1 + 49 + 4);
    CHECK(b[0] == 2);
    CHECK(b[1] == 7);
    CHECK(b[4] == 49);
    CHECK(to_hex(ByteView(b).subspan(21, 8)) == "0000000000000000");  // reserved
    auto h = parse_header(b);
    REQUIRE(h.ok());
    auto r = parse_response(*h);
    REQUIRE(r.ok());
    CHECK(to_hex(r->peer_challenge) == to_hex(pc));
    CHECK(to_hex(r->nt_response) == to_hex(nt));
    CHECK(r->flags == 0);
    CHECK(r->name == "User");
}

TEST_CASE("Header: malformed packets are refused") {
    CHECK(parse_header({}).error().code == ErrorCode::kTruncated);
    CHECK(parse_header(hx("01")).error().code == ErrorCode::kTruncated);
    CHECK(parse_header(hx("0100")).error().code == ErrorCode::kTruncated);
    CHECK(parse_header(hx("09000004")).error().code == ErrorCode::kMalformed);       // unknown OpCode
    CHECK(parse_header(hx("00000004")).error().code == ErrorCode::kMalformed);
    CHECK(parse_header(hx("07000004")).error().code == ErrorCode::kUnsupported);     // Change-Password
    CHECK(parse_header(hx("01000005")).error().code == ErrorCode::kMalformed);       // MS-Length too long
    CHECK(parse_header(hx("0100000300")).error().code == ErrorCode::kMalformed);     // MS-Length too short
    CHECK(parse_header(hx("03000004")).ok());
}

TEST_CASE("Challenge and Response bodies: wrong Value-Size and truncation are refused") {
    auto challenge = [](std::string_view hex) { return parse_challenge(parse_header(hx(hex)).value()); };
    CHECK(challenge("01000004").error().code == ErrorCode::kTruncated);
    CHECK(challenge("0100000508").error().code == ErrorCode::kMalformed);          // Value-Size 8
    CHECK(challenge("010000061011").error().code == ErrorCode::kTruncated);        // 1 of 16 octets
    CHECK(challenge("010000141000112233445566778899aabbccddee").error().code == ErrorCode::kTruncated);
    CHECK(challenge("010000151000112233445566778899aabbccddeeff").ok());          // empty Name
    auto response = [](const Bytes& b) { return parse_response(parse_header(b).value()); };
    Bytes good = build_response(1, Bytes(16, 1), Bytes(24, 2), "");
    CHECK(response(good).ok());
    Bytes no_flags(good.begin(), good.end() - 1);
    no_flags[3] = static_cast<uint8_t>(no_flags.size());
    CHECK(response(no_flags).error().code == ErrorCode::kTruncated);
    Bytes bad_size = good;
    bad_size[4] = 48;
    CHECK(response(bad_size).error().code == ErrorCode::kMalformed);
}

TEST_CASE("Success message: S=<40 hex> M=<msg>") {
    auto m = parse_success_message("S=407A5589115FD0D6209F510FE9C04566932CDA56 M=OK");
    REQUIRE(m.auth_response.has_value());
    CHECK(to_hex(*m.auth_response) == "407a5589115fd0d6209f510fe9c04566932cda56");
    CHECK(m.message == "OK");
    CHECK(parse_success_message("S=407a5589115fd0d6209f510fe9c04566932cda56").auth_response.has_value());
    // Missing, short, non-hex, or glued to more text: no authenticator response.
    CHECK_FALSE(parse_success_message("M=OK").auth_response.has_value());
    CHECK(parse_success_message("M=OK").message == "OK");
    CHECK_FALSE(parse_success_message("").auth_response.has_value());
    CHECK_FALSE(parse_success_message("S=407A5589115FD0D6209F510FE9C04566932CDA5").auth_response.has_value());
    CHECK_FALSE(parse_success_message("S=407A5589115FD0D6209F510FE9C04566932CDA5G").auth_response.has_value());
    CHECK_FALSE(parse_success_message("S=407A5589115FD0D6209F510FE9C04566932CDA56F").auth_response.has_value());
    CHECK_FALSE(parse_success_message("S=40:7A5589115FD0D6209F510FE9C04566932CDA5").auth_response.has_value());
    Bytes req = build_success_request(3, hx("407A5589115FD0D6209F510FE9C04566932CDA56"), "OK");
    auto h = parse_header(req);
    REQUIRE(h.ok());
    CHECK(h->op == OpCode::kSuccess);
    CHECK(to_string(h->data) == "S=407A5589115FD0D6209F510FE9C04566932CDA56 M=OK");
}

TEST_CASE("Failure message: fields parsed, formatted like hostapd") {
    auto f = parse_failure_message("E=691 R=0 C=8E8ADE5D2D0C0E0B0BD2C1B6E3E4AB3B V=3 M=FAILED");
    REQUIRE(f.ok());
    CHECK(f->error == 691);
    CHECK_FALSE(f->retry);
    REQUIRE(f->challenge.has_value());
    CHECK(to_hex(*f->challenge) == "8e8ade5d2d0c0e0b0bd2c1b6e3e4ab3b");
    CHECK(f->version == 3u);
    CHECK(f->message == "FAILED");
    CHECK(format_failure_message(*f) == "E=691 R=0 C=8E8ADE5D2D0C0E0B0BD2C1B6E3E4AB3B V=3 M=FAILED");
    auto minimal = parse_failure_message("E=648");
    REQUIRE(minimal.ok());
    CHECK(minimal->error == 648);
    CHECK_FALSE(minimal->challenge.has_value());
    auto spaced = parse_failure_message("E=691 R=1 M=Authentication failed, try again");
    REQUIRE(spaced.ok());
    CHECK(spaced->retry);
    CHECK(spaced->message == "Authentication failed, try again");
    Bytes req = build_failure_request(9, *f);
    auto h = parse_header(req);
    REQUIRE(h.ok());
    CHECK(h->op == OpCode::kFailure);
    CHECK(parse_failure_message(to_string(h->data)).ok());
}

TEST_CASE("Failure message: malformed text is refused") {
    for (std::string_view bad : {"", "M=no error", "R=0", "E=", "E=69x", "E=12345678901", "E=99999999999",
                                 "E=691 E=691", "E=691 R=2", "E=691 R=0 R=0", "E=691 C=1234",
                                 "E=691 C=8E8ADE5D2D0C0E0B0BD2C1B6E3E4AB3G", "E=691 V=", "E=691 V=3 V=3",
                                 "E=691 X=1", "E", "E=691 Q", "=691"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_failure_message(bad).ok());
    }
    CHECK(parse_failure_message(std::string(2000, 'E')).error().code == ErrorCode::kLimit);
}

TEST_CASE("Success and Failure Responses are the OpCode alone") {
    CHECK(to_hex(build_opcode_only(OpCode::kSuccess)) == "03");
    CHECK(to_hex(build_opcode_only(OpCode::kFailure)) == "04");
    CHECK(peek_opcode(hx("03")).value() == OpCode::kSuccess);
    CHECK_FALSE(peek_opcode({}).ok());
    CHECK_FALSE(peek_opcode(hx("05")).ok());
}
