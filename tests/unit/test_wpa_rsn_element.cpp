// RSN element (IEEE 802.11-2020 §9.4.2.24): build, parse, defaults of
// truncated elements, every malformed input, and the authenticator's
// negotiation (§12.6.3).
#include <doctest/doctest.h>

#include "eapol/rsn_element.h"
#include "wpa_test_support.h"

using namespace lanyard;
using namespace lanyard::eapol;
using lanyard::test::unhex;

TEST_CASE("RSN element: WPA2-Enterprise, CCMP, no MFP, as hostapd writes it") {
    RsnElement rsn;
    auto built = build_rsn_element(rsn);
    REQUIRE(built.ok());
    CHECK(to_hex(*built) == "30140100000fac040100000fac040100000fac010000");
    auto parsed = parse_rsn_element(*built);
    REQUIRE(parsed.ok());
    CHECK(*parsed == rsn);
    CHECK(std::string(akm_suite_name(parsed->akms[0])) == "802.1X");
    CHECK(std::string(cipher_suite_name(parsed->pairwise_ciphers[0])) == "CCMP-128");
}

TEST_CASE("RSN element: 802.1X-SHA256 with ieee80211w=2, a PMKID and BIP-CMAC-128") {
    RsnElement rsn;
    rsn.akms = {kAkm8021xSha256};
    rsn.capabilities = mfp_capability_bits(MfpPolicy::kRequired);
    Pmkid pmkid{};
    for (size_t i = 0; i < pmkid.size(); ++i) pmkid[i] = static_cast<uint8_t>(i);
    rsn.pmkids = {pmkid};
    rsn.group_management_cipher = kCipherBipCmac128;
    auto built = build_rsn_element(rsn);
    REQUIRE(built.ok());
    CHECK(to_hex(*built) ==
          "302a0100000fac040100000fac040100000fac05c0000100000102030405060708090a0b0c0d0e0f000fac06");
    auto parsed = parse_rsn_element(*built);
    REQUIRE(parsed.ok());
    CHECK(*parsed == rsn);
    CHECK(parsed->mfp_capable());
    CHECK(parsed->mfp_required());
    CHECK(std::string(akm_suite_name(kAkm8021xSha256)) == "802.1X-SHA256");
}

TEST_CASE("RSN element: MFP bits for ieee80211w 0/1/2") {
    CHECK(mfp_capability_bits(MfpPolicy::kDisabled) == 0);
    CHECK(mfp_capability_bits(MfpPolicy::kOptional) == kRsnCapMfpc);
    CHECK(mfp_capability_bits(MfpPolicy::kRequired) == (kRsnCapMfpc | kRsnCapMfpr));
    RsnElement rsn;
    rsn.capabilities = mfp_capability_bits(MfpPolicy::kOptional);
    auto parsed = parse_rsn_element(build_rsn_element(rsn).value()).value();
    CHECK(parsed.mfp_capable());
    CHECK_FALSE(parsed.mfp_required());
}

TEST_CASE("RSN element: a group management cipher without PMKIDs writes a zero PMKID count") {
    RsnElement rsn;
    rsn.group_management_cipher = kCipherBipCmac128;
    CHECK(to_hex(build_rsn_element(rsn).value()) == "301a0100000fac040100000fac040100000fac0100000000000fac06");
}

TEST_CASE("RSN element: truncated forms take the defaults of §9.4.2.24.1") {
    auto v = parse_rsn_element(unhex("30020100"));
    REQUIRE(v.ok());
    CHECK(v->group_cipher == kCipherCcmp128);
    CHECK(v->pairwise_ciphers == std::vector<uint32_t>{kCipherCcmp128});
    CHECK(v->akms == std::vector<uint32_t>{kAkm8021x});
    // iwd's captured message 2 element: no RSN Capabilities field.
    auto no_caps = parse_rsn_element(unhex("30120100000fac040100000fac040100000fac02"));
    REQUIRE(no_caps.ok());
    CHECK(no_caps->akms == std::vector<uint32_t>{kAkmPsk});
    CHECK(no_caps->capabilities == 0);
    // Several suites, unknown ones kept by value.
    auto many = parse_rsn_element(unhex("301c0100000fac040200000fac04000fac0a0200000fac01000fac630000"));
    REQUIRE(many.ok());
    CHECK(many->pairwise_ciphers == std::vector<uint32_t>{kCipherCcmp128, kCipherCcmp256});
    CHECK(many->akms == std::vector<uint32_t>{kAkm8021x, 0x000FAC63});
    CHECK(std::string(akm_suite_name(0x000FAC63)) == "unknown");
    // Octets after the last known field (a later amendment's) are ignored;
    // octets after the element's Length too.
    CHECK(parse_rsn_element(unhex("301a0100000fac040100000fac040100000fac0100000000000fac06ff")).ok());
    CHECK(parse_rsn_element(unhex("30140100000fac040100000fac040100000fac010000aabbcc")).ok());
}

TEST_CASE("RSN element: malformed inputs are errors") {
    auto code = [](const char* h) { return parse_rsn_element(unhex(h)).error().code; };
    CHECK(code("") == ErrorCode::kTruncated);
    CHECK(code("30") == ErrorCode::kTruncated);
    CHECK(code("3014") == ErrorCode::kTruncated);                                    // Length past the data
    CHECK(code("dd140100000fac040100000fac040100000fac010000") == ErrorCode::kMalformed);  // not ID 48
    CHECK(code("30020200") == ErrorCode::kMalformed);                                // version 2
    CHECK(code("3000") == ErrorCode::kTruncated);                                    // no version
    CHECK(code("30040100000f") == ErrorCode::kTruncated);                            // group cipher cut
    CHECK(code("3007010000" "0fac0401") == ErrorCode::kTruncated);                   // count cut
    CHECK(code("300a0100000fac040200000fac") == ErrorCode::kTruncated);              // list shorter than count
    CHECK(code("300a0100000fac04ffff0000") == ErrorCode::kTruncated);                // huge count
    CHECK(code("30080100000fac040000") == ErrorCode::kMalformed);                    // empty pairwise list
    CHECK(code("300e0100000fac040100000fac040000") == ErrorCode::kMalformed);        // empty AKM list
    CHECK(code("30130100000fac040100000fac040100000fac0100") == ErrorCode::kTruncated);  // capabilities cut
    CHECK(code("30170100000fac040100000fac040100000fac0100000100") == ErrorCode::kTruncated);  // PMKID list cut
    CHECK(code("30180100000fac040100000fac040100000fac01000000000fac") == ErrorCode::kTruncated);  // mgmt cut
}

TEST_CASE("RSN element: a body over 255 octets cannot be built") {
    RsnElement rsn;
    rsn.pmkids.resize(16);
    CHECK(build_rsn_element(rsn).error().code == ErrorCode::kLimit);
    rsn.pmkids.resize(14);
    CHECK(build_rsn_element(rsn).ok());
}

TEST_CASE("find_rsn_element: among other elements; truncated and absent") {
    const Bytes ies = unhex("0004746573740108828487960c1218242d03010203" "30140100000fac040100000fac040100000fac010000" "dd00");
    auto found = find_rsn_element(ies);
    REQUIRE(found.ok());
    CHECK(to_hex(*found) == "30140100000fac040100000fac040100000fac010000");
    CHECK(find_rsn_element(unhex("000474657374")).error().code == ErrorCode::kMalformed);
    CHECK(find_rsn_element(unhex("00047465")).error().code == ErrorCode::kTruncated);
    CHECK(find_rsn_element(unhex("00")).error().code == ErrorCode::kTruncated);
}

TEST_CASE("negotiate_rsn: the station's choice against ours") {
    RsnElement ours;
    ours.akms = {kAkm8021x, kAkm8021xSha256};
    ours.capabilities = mfp_capability_bits(MfpPolicy::kOptional);
    ours.group_management_cipher = kCipherBipCmac128;

    RsnElement station;
    station.akms = {kAkm8021xSha256};
    station.capabilities = mfp_capability_bits(MfpPolicy::kOptional);
    auto ok = negotiate_rsn(ours, station);
    REQUIRE(ok.ok());
    CHECK(ok->akm == kAkm8021xSha256);
    CHECK(ok->mfp);
    CHECK(ok->group_management_cipher == kCipherBipCmac128);

    station.capabilities = 0;
    CHECK_FALSE(negotiate_rsn(ours, station)->mfp);  // optional on our side: MFP not used

    RsnElement bad = station;
    bad.akms = {kAkmSae};
    CHECK(negotiate_rsn(ours, bad).error().code == ErrorCode::kProtocol);
    bad = station;
    bad.akms = {kAkm8021x, kAkm8021xSha256};  // must pick one
    CHECK_FALSE(negotiate_rsn(ours, bad).ok());
    bad = station;
    bad.pairwise_ciphers = {kCipherGcmp256};
    CHECK_FALSE(negotiate_rsn(ours, bad).ok());
    bad = station;
    bad.group_cipher = kCipherTkip;
    CHECK_FALSE(negotiate_rsn(ours, bad).ok());
    bad = station;
    bad.capabilities = kRsnCapMfpr;  // MFPR without MFPC
    CHECK_FALSE(negotiate_rsn(ours, bad).ok());
    bad = station;
    bad.capabilities = kRsnCapMfpc;
    bad.group_management_cipher = kCipherBipGmac256;
    CHECK_FALSE(negotiate_rsn(ours, bad).ok());

    RsnElement required = ours;  // ieee80211w=2
    required.capabilities = mfp_capability_bits(MfpPolicy::kRequired);
    station.capabilities = 0;
    CHECK_FALSE(negotiate_rsn(required, station).ok());
    station.capabilities = kRsnCapMfpc;
    CHECK(negotiate_rsn(required, station)->mfp);

    RsnElement no_mfp = ours;  // ieee80211w=0 and a station that requires MFP
    no_mfp.capabilities = 0;
    station.capabilities = mfp_capability_bits(MfpPolicy::kRequired);
    CHECK_FALSE(negotiate_rsn(no_mfp, station).ok());
}
