// EAPOL-Key Key Data (IEEE 802.11-2020 §12.7.2, Figure 12-34 KDEs,
// Table 12-10): GTK, IGTK, PMKID and MAC address KDEs, the RSN element,
// padding, and every malformed input.
#include <doctest/doctest.h>

#include "eapol/key_data.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;
using lanyard::test::unhex;

TEST_CASE("Key Data: build and parse RSN element, GTK, IGTK, PMKID, MAC address") {
    KeyData data;
    data.rsn_element = unhex("30140100000fac040100000fac040100000fac010000");
    data.gtk = GtkKde{2, true, SecretBytes(unhex("000102030405060708090a0b0c0d0e0f"))};
    IgtkKde igtk;
    igtk.key_id = 4;
    igtk.ipn = {1, 0, 0, 0, 0, 0};
    igtk.key = SecretBytes(unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
    data.igtk = igtk;
    data.pmkid = Pmkid{};
    data.pmkid->fill(0xab);
    data.mac_address = MacAddress::parse("02:00:00:00:01:00").value();

    SecretBytes built = build_key_data(data);
    CHECK(to_hex(built.view()) ==
          "30140100000fac040100000fac040100000fac010000"
          "dd16000fac010600000102030405060708090a0b0c0d0e0f"
          "dd1c000fac090400010000000000f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
          "dd14000fac04abababababababababababababababab"
          "dd0a000fac03020000000100");
    auto parsed = parse_key_data(built.view());
    REQUIRE(parsed.ok());
    CHECK(parsed->rsn_element == data.rsn_element);
    CHECK(*parsed->gtk == *data.gtk);
    CHECK(parsed->gtk->key_id == 2);
    CHECK(parsed->gtk->tx);
    CHECK(*parsed->igtk == *data.igtk);
    CHECK(parsed->pmkid == data.pmkid);
    CHECK(parsed->mac_address == data.mac_address);
    CHECK(parsed->ignored_elements == 0);
}

TEST_CASE("Key Data: padding, vendor elements and unknown KDEs") {
    // hostapd's message 1 PMKID KDE alone.
    auto pmkid_only = parse_key_data(unhex("dd14000fac04" "0102030405060708090a0b0c0d0e0f10"));
    REQUIRE(pmkid_only.ok());
    CHECK(pmkid_only->pmkid.has_value());
    // Padding: 0xdd then zeros, a lone 0xdd, or nothing.
    CHECK(parse_key_data(unhex("30020100dd000000")).ok());
    CHECK(parse_key_data(unhex("30020100dd")).ok());
    CHECK(parse_key_data(unhex("")).ok());
    // A WPA vendor element (00-50-F2) and an unknown KDE type are skipped, counted.
    auto skipped = parse_key_data(unhex("dd06" "0050f2010100" "dd05000fac6301" "30020100"));
    REQUIRE(skipped.ok());
    CHECK(skipped->ignored_elements == 2);
    CHECK(skipped->rsn_element.has_value());
    // A KDE shorter than its OUI + type is an unknown element, not a crash.
    CHECK(parse_key_data(unhex("dd02000f"))->ignored_elements == 1);
}

TEST_CASE("Key Data: malformed inputs are errors") {
    auto code = [](const char* h) { return parse_key_data(unhex(h)).error().code; };
    CHECK(code("30") == ErrorCode::kTruncated);                        // header cut
    CHECK(code("3014010000") == ErrorCode::kTruncated);                // element past the field
    CHECK(code("dd16000fac01060000010203") == ErrorCode::kTruncated);  // KDE past the field
    CHECK(code("30020200") == ErrorCode::kMalformed);                  // RSN element that does not parse
    CHECK(code("3002010030020100") == ErrorCode::kMalformed);          // two RSN elements
    CHECK(code("dd0a000fac01060000010203") == ErrorCode::kMalformed);  // GTK of 4 octets
    CHECK(code("dd2b000fac0106" "00" "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f0001020304") ==
          ErrorCode::kMalformed);  // GTK of 37 octets
    CHECK(code("dd0b000fac0106000001020304" "dd0b000fac0106000001020304") == ErrorCode::kMalformed);  // two GTKs
    CHECK(code("dd14000fac0904000000000000000102030405060708") == ErrorCode::kMalformed);  // IGTK of 8 octets
    CHECK(code("dd10000fac040102030405060708090a0b0c") == ErrorCode::kMalformed);  // PMKID of 12
    CHECK(code("dd09000fac030200000001") == ErrorCode::kMalformed);  // MAC of 5 octets
}

TEST_CASE("Key Data: an IGTK key ID is little-endian and the IPN is carried as is") {
    auto parsed = parse_key_data(unhex("dd1c000fac09" "0500" "112233445566" "000102030405060708090a0b0c0d0e0f"));
    REQUIRE(parsed.ok());
    CHECK(parsed->igtk->key_id == 5);
    CHECK(parsed->igtk->ipn == std::array<uint8_t, 6>{0x11, 0x22, 0x33, 0x44, 0x55, 0x66});
}
