#include <doctest/doctest.h>

#include <algorithm>

#include "common/hex.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

Authenticator auth_from(std::string_view s) {
    Authenticator a{};
    Bytes b = hx(s);
    std::copy_n(b.begin(), 16, a.begin());
    return a;
}

// RFC 2865 §7.1: Access-Request from NAS 192.168.1.16 port 3 for "nemo" /
// "arctangent", shared secret "xyzzy5461".
const char* kRfc2865Request =
    "01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb"
    "98 f4 22 7a 01 06 6e 65 6d 6f 02 12 0d be 70 8d"
    "93 d4 13 ce 31 96 e4 3f 78 2a 0a ee 04 06 c0 a8"
    "01 10 05 06 00 00 00 03";

}  // namespace

TEST_CASE("RADIUS codec parses the RFC 2865 §7.1 Access-Request and serializes it back byte for byte") {
    const Bytes wire = hx(kRfc2865Request);
    auto p = parse_packet(wire);
    REQUIRE(p.ok());
    CHECK(p->is(Code::kAccessRequest));
    CHECK(p->identifier == 0);
    CHECK(p->authenticator == auth_from("0f403f9473978057bd83d5cb98f4227a"));
    REQUIRE(p->attributes.size() == 4);
    CHECK(get_string(*p, attr::kUserName) == std::optional<std::string>("nemo"));
    auto ip = get_ipv4(*p, attr::kNasIpAddress);
    REQUIRE(ip.ok());
    CHECK(**ip == Ipv4Address{192, 168, 1, 16});
    auto port = get_integer(*p, attr::kNasPort);
    REQUIRE(port.ok());
    CHECK(**port == 3u);
    auto out = serialize_packet(*p);
    REQUIRE(out.ok());
    CHECK(*out == wire);
}

TEST_CASE("User-Password hiding reproduces the RFC 2865 §7.1 example and recovers the password") {
    const Authenticator ra = auth_from("0f403f9473978057bd83d5cb98f4227a");
    auto hidden = hide_user_password(as_bytes("arctangent"), as_bytes("xyzzy5461"), ra);
    REQUIRE(hidden.ok());
    CHECK(to_hex(*hidden) == "0dbe708d93d413ce3196e43f782a0aee");
    auto back = recover_user_password(*hidden, as_bytes("xyzzy5461"), ra);
    REQUIRE(back.ok());
    CHECK(to_string(back->view()) == "arctangent");
}

TEST_CASE("User-Password round-trips multi-block, empty and 128-octet passwords and refuses longer ones") {
    const Authenticator ra = auth_from("000102030405060708090a0b0c0d0e0f");
    for (size_t len : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 100u, 128u}) {
        std::string pw(len, 'x');
        for (size_t i = 0; i < len; ++i) pw[i] = static_cast<char>('a' + i % 26);
        auto hidden = hide_user_password(as_bytes(pw), as_bytes("s3cret"), ra);
        REQUIRE(hidden.ok());
        CHECK(hidden->size() == std::max<size_t>(16, (len + 15) / 16 * 16));
        auto back = recover_user_password(*hidden, as_bytes("s3cret"), ra);
        REQUIRE(back.ok());
        CHECK(to_string(back->view()) == pw);
    }
    CHECK(hide_user_password(Bytes(129, 'a'), as_bytes("s"), ra).error().code == ErrorCode::kLimit);
    CHECK(recover_user_password(Bytes(15, 1), as_bytes("s"), ra).error().code == ErrorCode::kMalformed);
    CHECK(recover_user_password(Bytes(17, 1), as_bytes("s"), ra).error().code == ErrorCode::kMalformed);
    CHECK(recover_user_password(Bytes(144, 1), as_bytes("s"), ra).error().code == ErrorCode::kMalformed);
    CHECK(recover_user_password(Bytes(), as_bytes("s"), ra).error().code == ErrorCode::kMalformed);
}

TEST_CASE("RADIUS codec ignores octets past Length as padding") {
    Bytes wire = hx(kRfc2865Request);
    const Bytes original = wire;
    wire.push_back(0xaa);
    wire.push_back(0xbb);
    auto p = parse_packet(wire);
    REQUIRE(p.ok());
    CHECK(*serialize_packet(*p) == original);
}

TEST_CASE("RADIUS codec rejects every malformed header and attribute") {
    const Bytes good = hx(kRfc2865Request);
    SUBCASE("shorter than the 20-octet header") {
        CHECK(parse_packet(ByteView(good).first(19)).error().code == ErrorCode::kTruncated);
        CHECK(parse_packet(Bytes{}).error().code == ErrorCode::kTruncated);
    }
    SUBCASE("Length below 20") {
        Bytes b = good;
        b[2] = 0;
        b[3] = 19;
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("Length above 4096") {
        Bytes b(4100, 0);
        std::copy(good.begin(), good.end(), b.begin());
        b[2] = 0x10;
        b[3] = 0x01;  // 4097
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("Length longer than the datagram") {
        Bytes b = good;
        b[3] = static_cast<uint8_t>(good.size() + 1);
        CHECK(parse_packet(b).error().code == ErrorCode::kTruncated);
    }
    SUBCASE("attribute Length 0") {
        Bytes b = good;
        b[21] = 0;
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("attribute Length 1") {
        Bytes b = good;
        b[21] = 1;
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("attribute overrunning the packet") {
        Bytes b = good;
        b[good.size() - 5] = 7;  // NAS-Port Length 6 -> 7
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("a lone attribute type octet at the end") {
        Bytes b = good;
        b.push_back(0x05);
        b[3] = static_cast<uint8_t>(b.size());
        CHECK(parse_packet(b).error().code == ErrorCode::kMalformed);
    }
}

TEST_CASE("RADIUS codec accepts a header-only packet and the 4096-octet maximum") {
    Packet p;
    p.code = 1;
    auto small = serialize_packet(p);
    REQUIRE(small.ok());
    CHECK(small->size() == 20);
    CHECK(parse_packet(*small).ok());
    // 4076 octets of attributes: 15 x 255 + 1 x 251 = 4076.
    for (int i = 0; i < 15; ++i) REQUIRE(p.add(18, Bytes(253, 'a')).ok());
    REQUIRE(p.add(18, Bytes(249, 'b')).ok());
    auto big = serialize_packet(p);
    REQUIRE(big.ok());
    CHECK(big->size() == 4096);
    auto back = parse_packet(*big);
    REQUIRE(back.ok());
    CHECK(*back == p);
    REQUIRE(p.add(18, Bytes(0)).ok());  // one more 2-octet attribute: 4098
    CHECK(serialize_packet(p).error().code == ErrorCode::kLimit);
    CHECK(p.add(18, Bytes(254, 'a')).error().code == ErrorCode::kLimit);
}

TEST_CASE("Integer and address accessors reject values that are not 4 octets") {
    Packet p;
    REQUIRE(p.add(attr::kSessionTimeout, Bytes{0, 0, 1}).ok());
    REQUIRE(p.add(attr::kNasIpAddress, Bytes{1, 2, 3, 4, 5}).ok());
    CHECK(get_integer(p, attr::kSessionTimeout).error().code == ErrorCode::kMalformed);
    CHECK(get_ipv4(p, attr::kNasIpAddress).error().code == ErrorCode::kMalformed);
    auto absent = get_integer(p, attr::kFramedMtu);
    REQUIRE(absent.ok());
    CHECK(!absent->has_value());
    CHECK(!get_string(p, attr::kUserName).has_value());
}

TEST_CASE("Typed helpers write RFC 2865 integers big-endian and Acct attributes round-trip") {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccountingRequest);
    add_integer(p, attr::kAcctStatusType, static_cast<uint32_t>(AcctStatusType::kStop));
    REQUIRE(add_string(p, attr::kAcctSessionId, "5F3A0001").ok());
    add_integer(p, attr::kAcctInputOctets, 0x01020304);
    add_integer(p, attr::kAcctOutputOctets, 7);
    add_integer(p, attr::kAcctInputPackets, 8);
    add_integer(p, attr::kAcctOutputPackets, 9);
    add_integer(p, attr::kAcctSessionTime, 3600);
    add_integer(p, attr::kAcctTerminateCause, static_cast<uint32_t>(AcctTerminateCause::kUserRequest));
    CHECK(p.find(attr::kAcctInputOctets)->value == Bytes{1, 2, 3, 4});
    auto back = parse_packet(*serialize_packet(p));
    REQUIRE(back.ok());
    CHECK(**get_integer(*back, attr::kAcctSessionTime) == 3600u);
    CHECK(**get_integer(*back, attr::kAcctTerminateCause) == 1u);
    CHECK(get_string(*back, attr::kAcctSessionId) == std::optional<std::string>("5F3A0001"));
}

TEST_CASE("Vendor-Specific attributes parse into sub-attributes and build back") {
    auto v = build_vendor_specific(kVendorMicrosoft, 16, Bytes{1, 2, 3});
    REQUIRE(v.ok());
    CHECK(to_hex(*v) == "00000137100501" "0203");
    auto subs = parse_vendor_specific(*v);
    REQUIRE(subs.ok());
    REQUIRE(subs->size() == 1);
    CHECK((*subs)[0] == VendorAttribute{311, 16, Bytes{1, 2, 3}});
    // Two sub-attributes in one VSA.
    auto two = parse_vendor_specific(hx("00000137 0103aa 0202"));
    REQUIRE(two.ok());
    REQUIRE(two->size() == 2);
    CHECK((*two)[1].value.empty());
    Packet p;
    REQUIRE(p.add(attr::kVendorSpecific, hx("00000137 0103aa 0202")).ok());
    REQUIRE(p.add(attr::kVendorSpecific, hx("00000009 0103bb")).ok());  // Cisco, same sub-type
    auto found = find_vendor(p, kVendorMicrosoft, 1);
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK((*found)[0] == Bytes{0xaa});
    CHECK(build_vendor_specific(kVendorMicrosoft, 1, Bytes(248, 0)).error().code == ErrorCode::kLimit);
    CHECK(build_vendor_specific(0x01000000, 1, Bytes{}).error().code == ErrorCode::kMalformed);
}

TEST_CASE("Vendor-Specific parser rejects malformed values") {
    CHECK(parse_vendor_specific(hx("000001")).error().code == ErrorCode::kMalformed);       // short Vendor-Id
    CHECK(parse_vendor_specific(hx("00000137")).error().code == ErrorCode::kMalformed);     // no String
    CHECK(parse_vendor_specific(hx("01000137 0102")).error().code == ErrorCode::kMalformed); // high octet not 0
    CHECK(parse_vendor_specific(hx("00000137 01")).error().code == ErrorCode::kMalformed);   // sub header cut
    CHECK(parse_vendor_specific(hx("00000137 0101")).error().code == ErrorCode::kMalformed); // sub Length 1
    CHECK(parse_vendor_specific(hx("00000137 0100")).error().code == ErrorCode::kMalformed); // sub Length 0
    CHECK(parse_vendor_specific(hx("00000137 0104aa")).error().code == ErrorCode::kMalformed); // overrun
    Packet p;
    REQUIRE(p.add(attr::kVendorSpecific, hx("00000137 0104aa")).ok());
    CHECK(!find_vendor(p, kVendorMicrosoft, 1).ok());
}

TEST_CASE("Proxy-State attributes are copied into the response in order (RFC 2865 §5.33)") {
    Packet request;
    REQUIRE(request.add(attr::kProxyState, Bytes{1}).ok());
    REQUIRE(request.add(attr::kUserName, as_bytes("x")).ok());
    REQUIRE(request.add(attr::kProxyState, Bytes{2, 2}).ok());
    Packet response;
    REQUIRE(response.add(attr::kReplyMessage, as_bytes("hi")).ok());
    copy_proxy_state(request, response);
    REQUIRE(response.attributes.size() == 3);
    CHECK(response.attributes[1] == Attribute{attr::kProxyState, Bytes{1}});
    CHECK(response.attributes[2] == Attribute{attr::kProxyState, Bytes{2, 2}});
}
