#include <doctest/doctest.h>

#include <unordered_set>

#include "common/mac_address.h"

using namespace lanyard;

TEST_CASE("MacAddress parses colon and dash forms and prints lower case") {
    auto mac = MacAddress::parse("AA:bb:0C:dd:Ee:0f");
    REQUIRE(mac.ok());
    CHECK(mac->to_string() == "aa:bb:0c:dd:ee:0f");
    CHECK(mac->octets() == MacAddress::Octets{0xaa, 0xbb, 0x0c, 0xdd, 0xee, 0x0f});
    auto dashed = MacAddress::parse("aa-bb-0c-dd-ee-0f");
    REQUIRE(dashed.ok());
    CHECK(*dashed == *mac);
}

TEST_CASE("MacAddress rejects malformed text") {
    const char* bad[] = {
        "",
        "aa:bb:cc:dd:ee",          // five octets
        "aa:bb:cc:dd:ee:ff:00",    // seven octets
        "aa:bb:cc:dd:ee:f",        // short last group
        "aabbccddeeff",            // no separators
        "aa:bb-cc:dd:ee:ff",       // mixed separators
        "aa.bb.cc.dd.ee.ff",       // wrong separator
        "aa:bb:cc:dd:ee:fg",       // non-hex
        " aa:bb:cc:dd:ee:f",       // leading space
        "aaa:bb:cc:dd:ee:f",       // misplaced separator
        "aa:bb:cc:dd:ee:ff ",      // trailing space
    };
    for (const char* text : bad) {
        CAPTURE(text);
        auto mac = MacAddress::parse(text);
        REQUIRE_FALSE(mac.ok());
        CHECK(mac.error().code == ErrorCode::kMalformed);
    }
}

TEST_CASE("MacAddress from_bytes needs exactly six octets") {
    const uint8_t six[] = {1, 2, 3, 4, 5, 6};
    const uint8_t five[] = {1, 2, 3, 4, 5};
    CHECK(MacAddress::from_bytes(six).ok());
    CHECK(MacAddress::from_bytes(six)->to_string() == "01:02:03:04:05:06");
    CHECK_FALSE(MacAddress::from_bytes(five).ok());
}

TEST_CASE("MacAddress group, broadcast, zero, ordering and hashing") {
    CHECK(MacAddress::parse("01:80:c2:00:00:03")->is_group());
    CHECK_FALSE(MacAddress::parse("02:00:00:00:00:01")->is_group());
    CHECK(MacAddress::broadcast().is_broadcast());
    CHECK(MacAddress::broadcast().is_group());
    CHECK(MacAddress().is_zero());
    CHECK(*MacAddress::parse("00:00:00:00:00:01") < *MacAddress::parse("00:00:00:00:01:00"));
    std::unordered_set<MacAddress> set{*MacAddress::parse("02:00:00:00:00:01"),
                                       *MacAddress::parse("02:00:00:00:00:01"),
                                       *MacAddress::parse("02:00:00:00:00:02")};
    CHECK(set.size() == 2);
}
