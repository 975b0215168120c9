#include <doctest/doctest.h>

#include "common/hex.h"
#include "crypto/hmac.h"
#include "radius/message_authenticator.h"
#include "radius/radius_attributes.h"

using namespace lanyard;
using namespace lanyard::radius;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }

Authenticator counting_authenticator() {
    Authenticator a{};
    for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(i);
    return a;
}

const ByteView kSecret = as_bytes("testing123");

// Expected bytes below were computed independently with Python's hashlib and
// hmac modules from RFC 2865 §3 and RFC 3579 §3.2, not with this code.
const char* kSignedRequest =
    "01420035000102030405060708090a0b0c0d0e0f0105626f624f0a0201000801626f6250128850a6811ae66abdd93cec673b49aad4";
const char* kSignedChallenge =
    "0b420034a38fe1d664313a78ce9dbdd43eb54b7650126a71e27c41eee94ad32ecc070cb2ea5f4f08010200060d20180673743031";
const char* kSignedAccounting = "04070020fb3b066245bf050a9d8d9cbd986087c92806000000012c0630303031";

Packet challenge_packet() {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccessChallenge);
    p.identifier = 0x42;
    REQUIRE(p.add(attr::kEapMessage, hx("010200060d20")).ok());
    REQUIRE(p.add(attr::kState, as_bytes("st01")).ok());
    return p;
}

}  // namespace

TEST_CASE("RFC 2865 §7.1 Access-Accept: the Response Authenticator matches the RFC's packet") {
    const Bytes accept = hx("02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2"
                            "06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03");
    Authenticator ra{};
    const Bytes rab = hx("0f403f9473978057bd83d5cb98f4227a");
    std::copy(rab.begin(), rab.end(), ra.begin());
    auto computed = compute_response_authenticator(accept, ra, as_bytes("xyzzy5461"));
    REQUIRE(computed.ok());
    CHECK(to_hex(*computed) == "86fe220e7624ba2a1005f6bf9b55e0b2");
    // The RFC's Accept has no Message-Authenticator: we refuse it (CVE-2024-3596).
    auto v = verify_response(accept, ra, as_bytes("xyzzy5461"));
    REQUIRE(!v.ok());
    CHECK(v.error().code == ErrorCode::kProtocol);
    CHECK(v.error().detail.find("without Message-Authenticator") != std::string::npos);
}

TEST_CASE("Access-Request with EAP-Message gets the RFC 3579 §3.2 Message-Authenticator (independent vector)") {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccessRequest);
    p.identifier = 0x42;
    p.authenticator = counting_authenticator();
    REQUIRE(p.add(attr::kUserName, as_bytes("bob")).ok());
    REQUIRE(p.add(attr::kEapMessage, hx("0201000801626f62")).ok());
    auto wire = encode_access_request(p, kSecret);
    REQUIRE(wire.ok());
    CHECK(to_hex(*wire) == kSignedRequest);
    // Cross-check against HMAC-MD5 over the packet with the MA zeroed.
    Bytes zeroed = *wire;
    std::fill(zeroed.end() - 16, zeroed.end(), 0);
    auto mac = crypto::hmac(crypto::HashAlg::kMd5, kSecret, zeroed);
    REQUIRE(mac.ok());
    CHECK(equal_bytes(*mac, ByteView(*wire).last(16)));
    CHECK(verify_access_request(*wire, kSecret).ok());
    CHECK(verify_access_request(*wire, kSecret, /*require_message_authenticator=*/true).ok());
}

TEST_CASE("Server responses carry Message-Authenticator first and a correct Response Authenticator") {
    auto wire = encode_response(challenge_packet(), counting_authenticator(), kSecret);
    REQUIRE(wire.ok());
    CHECK(to_hex(*wire) == kSignedChallenge);
    auto parsed = verify_response(*wire, counting_authenticator(), kSecret);
    REQUIRE(parsed.ok());
    CHECK(parsed->attributes.front().type == attr::kMessageAuthenticator);
    // A Message-Authenticator placed last by the caller is moved first.
    Packet p = challenge_packet();
    REQUIRE(p.add(attr::kMessageAuthenticator, Bytes(16, 0xee)).ok());
    auto again = encode_response(p, counting_authenticator(), kSecret);
    REQUIRE(again.ok());
    CHECK(to_hex(*again) == kSignedChallenge);
}

TEST_CASE("verify_response rejects forged, tampered and unsigned responses") {
    const Bytes good = hx(kSignedChallenge);
    const Authenticator ra = counting_authenticator();
    SUBCASE("wrong secret") { CHECK(verify_response(good, ra, as_bytes("testing124")).error().code == ErrorCode::kProtocol); }
    SUBCASE("wrong request authenticator") {
        Authenticator other = ra;
        other[0] ^= 1;
        CHECK(verify_response(good, other, kSecret).error().code == ErrorCode::kProtocol);
    }
    SUBCASE("tampered attribute") {
        Bytes b = good;
        b.back() ^= 1;
        auto v = verify_response(b, ra, kSecret);
        REQUIRE(!v.ok());
        CHECK(v.error().detail == "Message-Authenticator mismatch");
    }
    SUBCASE("tampered Response Authenticator only") {
        Bytes b = good;
        b[4] ^= 1;
        auto v = verify_response(b, ra, kSecret);
        REQUIRE(!v.ok());
        CHECK(v.error().detail == "Response Authenticator mismatch");
    }
    SUBCASE("Access-Challenge, Accept and Reject without Message-Authenticator (Blast-RADIUS)") {
        for (uint8_t code : {2, 3, 11}) {
            Packet p;
            p.code = code;
            p.identifier = 0x42;
            p.authenticator = ra;
            REQUIRE(p.add(attr::kReplyMessage, as_bytes("hi")).ok());
            Bytes b = *serialize_packet(p);
            auto resp_auth = compute_response_authenticator(b, ra, kSecret);
            REQUIRE(resp_auth.ok());
            std::copy(resp_auth->begin(), resp_auth->end(), b.begin() + 4);
            auto v = verify_response(b, ra, kSecret);
            REQUIRE(!v.ok());
            CHECK(v.error().code == ErrorCode::kProtocol);
        }
    }
    SUBCASE("two Message-Authenticators") {
        Packet p = challenge_packet();
        p.attributes.insert(p.attributes.begin(), Attribute{attr::kMessageAuthenticator, Bytes(16, 0)});
        p.attributes.insert(p.attributes.begin(), Attribute{attr::kMessageAuthenticator, Bytes(16, 0)});
        Bytes b = *serialize_packet(p);
        CHECK(verify_response(b, ra, kSecret).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("Message-Authenticator of the wrong length") {
        Packet p = challenge_packet();
        p.attributes.insert(p.attributes.begin(), Attribute{attr::kMessageAuthenticator, Bytes(15, 0)});
        CHECK(verify_response(*serialize_packet(p), ra, kSecret).error().code == ErrorCode::kMalformed);
    }
    SUBCASE("a request code is not a response") {
        CHECK(verify_response(hx(kSignedRequest), ra, kSecret).error().code == ErrorCode::kProtocol);
    }
    SUBCASE("malformed packet") {
        CHECK(verify_response(ByteView(good).first(10), ra, kSecret).error().code == ErrorCode::kTruncated);
    }
}

TEST_CASE("Accounting-Response is checked by its Response Authenticator alone") {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccountingResponse);
    p.identifier = 7;
    auto wire = encode_response(p, counting_authenticator(), kSecret);
    REQUIRE(wire.ok());
    CHECK(wire->size() == 20);  // no Message-Authenticator added
    CHECK(verify_response(*wire, counting_authenticator(), kSecret).ok());
    (*wire)[5] ^= 0x80;
    CHECK(!verify_response(*wire, counting_authenticator(), kSecret).ok());
}

TEST_CASE("verify_access_request requires Message-Authenticator with EAP-Message and checks it") {
    const Bytes good = hx(kSignedRequest);
    SUBCASE("tampered") {
        Bytes b = good;
        b[23] ^= 1;  // inside User-Name
        CHECK(verify_access_request(b, kSecret).error().code == ErrorCode::kProtocol);
    }
    SUBCASE("wrong secret") { CHECK(!verify_access_request(good, as_bytes("nope")).ok()); }
    SUBCASE("missing with EAP-Message") {
        Packet p = *parse_packet(good);
        p.remove_all(attr::kMessageAuthenticator);
        auto v = verify_access_request(*serialize_packet(p), kSecret);
        REQUIRE(!v.ok());
        CHECK(v.error().detail.find("RFC 3579") != std::string::npos);
    }
    SUBCASE("missing without EAP-Message: accepted unless policy requires it") {
        Packet p = *parse_packet(good);
        p.remove_all(attr::kMessageAuthenticator);
        p.remove_all(attr::kEapMessage);
        const Bytes b = *serialize_packet(p);
        CHECK(verify_access_request(b, kSecret).ok());
        CHECK(verify_access_request(b, kSecret, true).error().code == ErrorCode::kProtocol);
    }
    SUBCASE("Status-Server without one") {
        Packet p;
        p.code = static_cast<uint8_t>(Code::kStatusServer);
        CHECK(verify_access_request(*serialize_packet(p), kSecret).error().code == ErrorCode::kProtocol);
    }
    SUBCASE("not an Access-Request") {
        CHECK(verify_access_request(hx(kSignedChallenge), kSecret).error().code == ErrorCode::kProtocol);
    }
}

TEST_CASE("Accounting-Request authenticator follows RFC 2866 §3 (independent vector)") {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccountingRequest);
    p.identifier = 7;
    add_integer(p, attr::kAcctStatusType, static_cast<uint32_t>(AcctStatusType::kStart));
    REQUIRE(add_string(p, attr::kAcctSessionId, "0001").ok());
    auto wire = encode_accounting_request(p, kSecret);
    REQUIRE(wire.ok());
    CHECK(to_hex(*wire) == kSignedAccounting);
    CHECK(verify_accounting_request(*wire, kSecret).ok());
    Bytes bad = *wire;
    bad.back() ^= 1;
    CHECK(verify_accounting_request(bad, kSecret).error().code == ErrorCode::kProtocol);
    // With a Message-Authenticator: computed over a zero authenticator field.
    REQUIRE(p.add(attr::kMessageAuthenticator, Bytes(16, 0)).ok());
    auto signed_ma = encode_accounting_request(p, kSecret);
    REQUIRE(signed_ma.ok());
    CHECK(verify_accounting_request(*signed_ma, kSecret).ok());
    Bytes tampered = *signed_ma;
    tampered[tampered.size() - 1] ^= 1;  // inside the MA value
    CHECK(!verify_accounting_request(tampered, kSecret).ok());
}

TEST_CASE("compute_message_authenticator needs exactly one MA attribute") {
    Packet p;
    p.code = 1;
    const Bytes none = *serialize_packet(p);
    CHECK(compute_message_authenticator(none, counting_authenticator(), kSecret).error().code == ErrorCode::kMalformed);
}
