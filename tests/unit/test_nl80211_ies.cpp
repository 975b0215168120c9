// drivers/wifi_ies.h and drivers/wifi_mgmt_frames.h: the pure IEEE 802.11
// element and management-frame code behind the nl80211 drivers.
#include <doctest/doctest.h>

#include "common/hex.h"
#include "drivers/wifi_ies.h"
#include "drivers/wifi_mgmt_frames.h"

using namespace lanyard;

namespace {

const MacAddress kBssid = *MacAddress::parse("02:00:00:00:00:00");
const MacAddress kStation = *MacAddress::parse("02:00:00:00:01:00");
// A minimal RSN element: version 1, group CCMP, one pairwise CCMP, one AKM 802.1X.
const Bytes kRsne = *from_hex("30 14 0100 000fac04 0100 000fac04 0100 000fac01 0000");

Bytes hex(std::string_view text) { return *from_hex(text); }

}  // namespace

TEST_CASE("IEs: a well-formed list splits into elements with their bodies") {
    const Bytes ies = hex("0004 74657374 010482848b96 30 02 0100");
    auto elements = parse_information_elements(ies);
    REQUIRE(elements);
    REQUIRE(elements->size() == 3);
    CHECK((*elements)[0].id == 0);
    CHECK(to_string((*elements)[0].body) == "test");
    CHECK(to_hex((*elements)[1].body) == "82848b96");
    CHECK(to_hex((*elements)[2].element) == "30020100");
    CHECK(to_string(*ssid_of(ies)) == "test");
    CHECK(to_hex(*rsn_element_of(ies)) == "30020100");
}

TEST_CASE("IEs: an element running past the end or a lone ID is malformed") {
    CHECK_FALSE(parse_information_elements(hex("0005 746573")));
    CHECK_FALSE(parse_information_elements(hex("0004 74657374 30")));
    CHECK_FALSE(find_element(hex("0004 74657374 3005 01"), ElementId::kRsn));
    CHECK_FALSE(ssid_of(hex("0003 6162")));
    CHECK(parse_information_elements(ByteView()).value().empty());
}

TEST_CASE("IEs: an SSID longer than 32 octets is refused; absent elements are nullopt") {
    Bytes ies{0, 33};
    ies.resize(2 + 33, 'a');
    CHECK(parse_information_elements(ies));
    CHECK_FALSE(ssid_of(ies));
    CHECK_FALSE(rsn_element_of(hex("0000")));
    CHECK(ssid_of(hex("0000")).value().empty());  // hidden SSID: present, empty
}

TEST_CASE("IEs: the element count is bounded") {
    Bytes ies;
    for (int i = 0; i < 10; ++i) ies.insert(ies.end(), {0xdd, 0x00});
    CHECK(parse_information_elements(ies, 10));
    auto limited = parse_information_elements(ies, 9);
    REQUIRE_FALSE(limited);
    CHECK(limited.error().code == ErrorCode::kLimit);
}

TEST_CASE("Channels: IEEE 802.11 channel numbers map to MHz and back") {
    CHECK(*channel_to_frequency_mhz(WifiBand::k2GHz, 1) == 2412);
    CHECK(*channel_to_frequency_mhz(WifiBand::k2GHz, 6) == 2437);
    CHECK(*channel_to_frequency_mhz(WifiBand::k2GHz, 13) == 2472);
    CHECK(*channel_to_frequency_mhz(WifiBand::k2GHz, 14) == 2484);
    CHECK(*channel_to_frequency_mhz(WifiBand::k5GHz, 36) == 5180);
    CHECK_FALSE(channel_to_frequency_mhz(WifiBand::k2GHz, 0));
    CHECK_FALSE(channel_to_frequency_mhz(WifiBand::k2GHz, 15));
    CHECK_FALSE(channel_to_frequency_mhz(WifiBand::k5GHz, 0));
    CHECK(*frequency_to_channel(2412) == 1);
    CHECK(*frequency_to_channel(2484) == 14);
    CHECK(*frequency_to_channel(5180) == 36);
    CHECK_FALSE(frequency_to_channel(2413));
    CHECK_FALSE(frequency_to_channel(900));
}

TEST_CASE("Beacon: open network on channel 6, byte for byte") {
    BeaconParameters p;
    p.bssid = kBssid;
    p.ssid = to_bytes("lanyard");
    p.channel = 6;
    auto beacon = build_beacon(p);
    REQUIRE(beacon);
    CHECK(to_hex(beacon->head) ==
          "8000" "0000" "ffffffffffff" "020000000000" "020000000000" "0000"  // header
          "0000000000000000" "6400" "0104"                                   // timestamp, 100 TU, ESS|short slot
          "00076c616e79617264"                                               // SSID
          "010882848b960c121824"                                             // Supported Rates
          "030106");                                                         // DS Parameter Set
    CHECK(to_hex(beacon->tail) == "2a0100" "32043048606c");                  // ERP, Extended Supported Rates
    // The probe response: same body without the TIM, subtype 5.
    REQUIRE(beacon->probe_response.size() == beacon->head.size() + beacon->tail.size());
    CHECK(beacon->probe_response[0] == 0x50);
    CHECK(equal_bytes(ByteView(beacon->probe_response).subspan(1), concat(ByteView(beacon->head).subspan(1), beacon->tail)));
}

TEST_CASE("Beacon: an RSN element sets Privacy and ends the tail; 5 GHz has no ERP") {
    BeaconParameters p;
    p.bssid = kBssid;
    p.ssid = to_bytes("x");
    p.band = WifiBand::k5GHz;
    p.channel = 36;
    p.rsn_element = kRsne;
    auto beacon = build_beacon(p);
    REQUIRE(beacon);
    CHECK((beacon_capability(p) & 0x0010) != 0);
    CHECK(to_hex(beacon->tail) == to_hex(kRsne));
    CHECK(to_hex(ByteView(beacon->head).subspan(36)) == "000178" "01088c129824b048606c" "030124");
}

TEST_CASE("Beacon: bad SSID, interval, channel or RSN element are configuration errors") {
    BeaconParameters p;
    p.bssid = kBssid;
    p.ssid = to_bytes("ok");
    CHECK(build_beacon(p));
    BeaconParameters q = p;
    q.ssid.clear();
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.ssid.assign(33, 'a');
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.beacon_interval_tu = 0;
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.channel = 20;
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.rsn_element = hex("3005 0100");  // truncated
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.rsn_element = hex("dd020000");  // not element 48
    CHECK_FALSE(build_beacon(q));
    q = p;
    q.rsn_element = concat(kRsne, kRsne);  // two elements
    CHECK_FALSE(build_beacon(q));
}

TEST_CASE("Management frames: an open-system Authentication request parses") {
    const Bytes frame = hex("b000 3a01 020000000000 020000000100 020000000000 1000 0000 0100 0000");
    auto view = parse_management_frame(frame);
    REQUIRE(view);
    CHECK(view->subtype == ManagementSubtype::kAuthentication);
    CHECK(view->destination == kBssid);
    CHECK(view->source == kStation);
    CHECK(view->bssid == kBssid);
    auto auth = parse_authentication(view->body);
    REQUIRE(auth);
    CHECK(auth->algorithm == kAuthAlgorithmOpenSystem);
    CHECK(auth->transaction == 1);
    CHECK(auth->status == 0);
    CHECK_FALSE(parse_authentication(view->body.first(5)));
}

TEST_CASE("Management frames: data frames, +HTC, short headers and unknown subtypes are refused") {
    CHECK_FALSE(parse_management_frame(hex("0800 0000 020000000000 020000000100 020000000000 0000")));  // data
    CHECK_FALSE(parse_management_frame(hex("b080 0000 020000000000 020000000100 020000000000 0000")));  // +HTC
    CHECK_FALSE(parse_management_frame(hex("b000 0000 020000000000 020000000100 0200000000")));       // 23 octets
    CHECK_FALSE(parse_management_frame(hex("f000 0000 020000000000 020000000100 020000000000 0000")));  // subtype 15
    CHECK_FALSE(parse_management_frame(hex("b100 0000 020000000000 020000000100 020000000000 0000")));  // version 1
}

TEST_CASE("Management frames: (Re)Association Request with SSID, rates and RSN element") {
    const Bytes ies = concat(hex("0007 6c616e79617264 0104 82848b96 3204 3048606c"), kRsne);
    const Bytes body = concat(hex("3104 0a00"), ies);
    auto request = parse_association_request(ManagementSubtype::kAssociationRequest, body);
    REQUIRE(request);
    CHECK_FALSE(request->reassociation);
    CHECK(request->capability == 0x0431);
    CHECK(request->listen_interval == 10);
    CHECK(to_string(request->ssid) == "lanyard");
    CHECK(to_hex(request->supported_rates) == "82848b963048606c");
    CHECK(to_hex(*rsn_element_of(request->ies)) == to_hex(kRsne));

    const Bytes reassoc = concat(hex("3104 0a00 020000000200"), ies);
    auto re = parse_association_request(ManagementSubtype::kReassociationRequest, reassoc);
    REQUIRE(re);
    CHECK(re->reassociation);
    CHECK(re->current_ap == *MacAddress::parse("02:00:00:00:02:00"));
}

TEST_CASE("Management frames: malformed association requests are refused") {
    CHECK_FALSE(parse_association_request(ManagementSubtype::kAssociationRequest, hex("3104")));
    CHECK_FALSE(parse_association_request(ManagementSubtype::kAssociationRequest, hex("3104 0a00 0104 82848b96")));  // no SSID
    CHECK_FALSE(parse_association_request(ManagementSubtype::kAssociationRequest, hex("3104 0a00 0001 61")));        // no rates
    CHECK_FALSE(parse_association_request(ManagementSubtype::kAssociationRequest, hex("3104 0a00 0001 61 0105 8284")));  // truncated IE
    CHECK_FALSE(parse_association_request(ManagementSubtype::kReassociationRequest, hex("3104 0a00 0200")));          // no current AP
    CHECK_FALSE(parse_association_request(ManagementSubtype::kAuthentication, hex("3104 0a00 0001 61 010182")));
}

TEST_CASE("Management frames: the AP's responses, byte for byte") {
    CHECK(to_hex(build_authentication_response(kStation, kBssid, kStatusSuccess)) ==
          "b0000000" "020000000100" "020000000000" "020000000000" "0000" "0000" "0200" "0000");
    const Bytes response = build_association_response(kStation, kBssid, false, 0x0401, kStatusSuccess, 1,
                                                      band_rates(WifiBand::k2GHz));
    CHECK(to_hex(response) ==
          "10000000" "020000000100" "020000000000" "020000000000" "0000"
          "0104" "0000" "01c0" "010882848b960c121824" "32043048606c");
    CHECK(build_association_response(kStation, kBssid, true, 0, 1, 0, band_rates(WifiBand::k5GHz))[0] == 0x30);
    CHECK(to_hex(build_deauthentication(kStation, kBssid, kReasonIeee8021XAuthFailed)) ==
          "c0000000" "020000000100" "020000000000" "020000000000" "0000" "1700");
    CHECK(build_deauthentication(kStation, kBssid, 8, true)[0] == 0xa0);
    CHECK(management_frame_type(ManagementSubtype::kAuthentication) == 0x00b0);
    CHECK(management_frame_type(ManagementSubtype::kReassociationRequest) == 0x0020);
}

TEST_CASE("Management frames: probe requests for our SSID or the wildcard get the addressed template") {
    CHECK(probe_request_wants(hex("0000 010482848b96"), to_bytes("lanyard")));           // wildcard
    CHECK(probe_request_wants(hex("0007 6c616e79617264"), to_bytes("lanyard")));         // ours
    CHECK_FALSE(probe_request_wants(hex("0005 6f74686572"), to_bytes("lanyard")));       // another SSID
    CHECK_FALSE(probe_request_wants(hex("010482848b96"), to_bytes("lanyard")));          // no SSID element
    CHECK_FALSE(probe_request_wants(hex("0007 6c616e"), to_bytes("lanyard")));           // truncated
    BeaconParameters p;
    p.bssid = kBssid;
    p.ssid = to_bytes("lanyard");
    auto beacon = build_beacon(p);
    REQUIRE(beacon);
    const Bytes addressed = address_probe_response(beacon->probe_response, kStation);
    REQUIRE(addressed.size() == beacon->probe_response.size());
    auto view = parse_management_frame(addressed);
    REQUIRE(view);
    CHECK(view->subtype == ManagementSubtype::kProbeResponse);
    CHECK(view->destination == kStation);
    CHECK(view->bssid == kBssid);
    CHECK(to_string(*ssid_of(view->body.subspan(12))) == "lanyard");
    CHECK(address_probe_response(hex("5000"), kStation).size() == 2);  // too short: unchanged
}
