// drivers/netlink_attributes.h and drivers/nl80211_messages.h: the netlink
// and nl80211 parsing behind the nl80211 drivers, fed hand-built messages.
#include <doctest/doctest.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>

#include <cstring>

#include "common/hex.h"
#include "drivers/netlink_attributes.h"
#include "drivers/nl80211_messages.h"

using namespace lanyard;

namespace {

// struct nlattr: length (header included), type, payload, padding to 4.
Bytes attr(uint16_t type, ByteView payload) {
    Bytes out(4);
    const uint16_t length = static_cast<uint16_t>(4 + payload.size());
    std::memcpy(out.data(), &length, 2);
    std::memcpy(out.data() + 2, &type, 2);
    out.insert(out.end(), payload.begin(), payload.end());
    out.resize((out.size() + 3) & ~size_t{3}, 0);
    return out;
}
template <typename T>
Bytes attr_value(uint16_t type, T value) {
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &value, sizeof(T));
    return attr(type, ByteView(raw, sizeof(T)));
}
Bytes flag(uint16_t type) { return attr(type, ByteView()); }
Bytes join(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
    return out;
}
Bytes nest(uint16_t type, std::initializer_list<Bytes> parts) { return attr(type | NLA_F_NESTED, join(parts)); }
Bytes message(uint16_t type, uint16_t flags, uint32_t seq, ByteView payload) {
    Bytes out(16);
    const uint32_t length = static_cast<uint32_t>(16 + payload.size());
    const uint32_t port = 77;
    std::memcpy(out.data(), &length, 4);
    std::memcpy(out.data() + 4, &type, 2);
    std::memcpy(out.data() + 6, &flags, 2);
    std::memcpy(out.data() + 8, &seq, 4);
    std::memcpy(out.data() + 12, &port, 4);
    out.insert(out.end(), payload.begin(), payload.end());
    out.resize((out.size() + 3) & ~size_t{3}, 0);
    return out;
}
Bytes u32_array(std::initializer_list<uint32_t> values) {
    Bytes out;
    for (uint32_t v : values) {
        uint8_t raw[4];
        std::memcpy(raw, &v, 4);
        out.insert(out.end(), raw, raw + 4);
    }
    return out;
}

const MacAddress kBssidA = *MacAddress::parse("02:00:00:00:00:00");
const MacAddress kBssidB = *MacAddress::parse("02:00:00:00:03:00");
const MacAddress kStation = *MacAddress::parse("02:00:00:00:01:00");

}  // namespace

TEST_CASE("netlink: a datagram splits into its messages; bad lengths fail the datagram") {
    const Bytes datagram = concat(message(30, NLM_F_MULTI, 5, *from_hex("0101 0000 aa")), message(NLMSG_DONE, NLM_F_MULTI, 5, *from_hex("00000000")));
    auto messages = split_netlink_datagram(datagram);
    REQUIRE(messages);
    REQUIRE(messages->size() == 2);
    CHECK((*messages)[0].type == 30);
    CHECK((*messages)[0].sequence == 5);
    CHECK((*messages)[0].port_id == 77);
    CHECK((*messages)[0].payload.size() == 5);
    CHECK((*messages)[1].type == NLMSG_DONE);

    Bytes bad = datagram;
    bad[0] = 0xff;  // first length past the end
    CHECK_FALSE(split_netlink_datagram(bad));
    bad = datagram;
    bad[0] = 8;  // shorter than a header
    CHECK_FALSE(split_netlink_datagram(bad));
    CHECK_FALSE(split_netlink_datagram(ByteView(datagram).first(datagram.size() - 2)));
    auto limited = split_netlink_datagram(datagram, 1);
    REQUIRE_FALSE(limited);
    CHECK(limited.error().code == ErrorCode::kLimit);
}

TEST_CASE("netlink: an error reply gives errno and the extended-ACK text") {
    Bytes payload(20, 0);
    const int32_t error = -22;
    std::memcpy(payload.data(), &error, 4);
    const uint32_t request_length = 16;
    std::memcpy(payload.data() + 4, &request_length, 4);
    const Bytes text = to_bytes("missing attribute");
    Bytes with_text = concat(payload, attr(NLMSGERR_ATTR_MSG, concat(text, Bytes{0})));
    auto parsed = parse_netlink_error(with_text, NLM_F_CAPPED | NLM_F_ACK_TLVS);
    REQUIRE(parsed);
    CHECK(parsed->error == -22);
    CHECK(parsed->message == "missing attribute");
    // Uncapped: the echoed request (here only its header) comes first.
    auto uncapped = parse_netlink_error(with_text, NLM_F_ACK_TLVS);
    REQUIRE(uncapped);
    CHECK(uncapped->message == "missing attribute");
    auto plain = parse_netlink_error(payload, 0);
    REQUIRE(plain);
    CHECK(plain->message.empty());
    CHECK_FALSE(parse_netlink_error(ByteView(payload).first(19), 0));
    Bytes lying = with_text;
    const uint32_t huge = 4000;
    std::memcpy(lying.data() + 4, &huge, 4);
    CHECK_FALSE(parse_netlink_error(lying, NLM_F_ACK_TLVS));
}

TEST_CASE("netlink: attribute tables read typed values, nested tables and arrays") {
    const Bytes data = join({attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 7), attr(NL80211_ATTR_MAC, kStation.view()),
                             attr(NL80211_ATTR_IFNAME, to_bytes(std::string("wlan0\0", 6))),
                             attr_value<uint16_t>(NL80211_ATTR_IFINDEX, 9),  // repeated: last wins
                             attr_value<uint32_t>(4000, 1),                  // unknown type: ignored
                             nest(NL80211_ATTR_KEY, {attr_value<uint8_t>(NL80211_KEY_IDX, 2)})});
    auto table = NetlinkAttributes::parse(data, NL80211_ATTR_MAX);
    REQUIRE(table);
    CHECK(table->u16(NL80211_ATTR_IFINDEX) == 9);
    CHECK(*table->mac(NL80211_ATTR_MAC) == kStation);
    CHECK(*table->string(NL80211_ATTR_IFNAME) == "wlan0");
    CHECK_FALSE(table->has(NL80211_ATTR_WIPHY));
    CHECK_FALSE(table->u32(NL80211_ATTR_WIPHY));
    auto key = table->nested(NL80211_ATTR_KEY, NL80211_KEY_MAX);
    REQUIRE(key);
    CHECK(key->u8(NL80211_KEY_IDX) == 2);
    CHECK_FALSE(table->nested(NL80211_ATTR_BSS, NL80211_BSS_MAX));
    // Too short for the type asked: absent, not garbage.
    auto small = NetlinkAttributes::parse(attr_value<uint16_t>(NL80211_ATTR_WIPHY, 1), NL80211_ATTR_MAX);
    REQUIRE(small);
    CHECK_FALSE(small->u32(NL80211_ATTR_WIPHY));
    CHECK_FALSE(NetlinkAttributes::parse(attr(NL80211_ATTR_MAC, *from_hex("0102")), NL80211_ATTR_MAX)->mac(NL80211_ATTR_MAC));
    CHECK(read_u32_array(u32_array({1, 2, 3}), 3).value().size() == 3);
    CHECK_FALSE(read_u32_array(*from_hex("010203"), 10));
    CHECK_FALSE(read_u32_array(u32_array({1, 2, 3}), 2));
}

TEST_CASE("netlink: truncated or overlong attributes fail the level") {
    Bytes data = attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 7);
    CHECK_FALSE(NetlinkAttributes::parse(ByteView(data).first(6), NL80211_ATTR_MAX));
    CHECK_FALSE(NetlinkAttributes::parse(ByteView(data).first(3), NL80211_ATTR_MAX));
    data[0] = 2;  // length below the header
    CHECK_FALSE(NetlinkAttributes::parse(data, NL80211_ATTR_MAX));
    data[0] = 40;  // past the end
    CHECK_FALSE(NetlinkAttributes::parse(data, NL80211_ATTR_MAX));
    CHECK(NetlinkAttributes::parse(ByteView(), NL80211_ATTR_MAX));
}

TEST_CASE("nl80211: a split wiphy dump accumulates types, ciphers, features and channels") {
    Bytes ext(8, 0);
    ext[NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211 / 8] |= 1 << (NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211 % 8);
    const Bytes first = join({attr_value<uint32_t>(NL80211_ATTR_WIPHY, 3), attr(NL80211_ATTR_WIPHY_NAME, to_bytes("phy3")),
                              nest(NL80211_ATTR_SUPPORTED_IFTYPES, {flag(NL80211_IFTYPE_STATION), flag(NL80211_IFTYPE_AP)}),
                              attr(NL80211_ATTR_CIPHER_SUITES, u32_array({kCipherCcmp128, kCipherBipCmac128}))});
    const Bytes second = join({attr_value<uint32_t>(NL80211_ATTR_WIPHY, 3),
                               nest(NL80211_ATTR_WIPHY_BANDS,
                                    {nest(NL80211_BAND_2GHZ,
                                          {nest(NL80211_BAND_ATTR_FREQS,
                                                {nest(0, {attr_value<uint32_t>(NL80211_FREQUENCY_ATTR_FREQ, 2412)}),
                                                 nest(1, {attr_value<uint32_t>(NL80211_FREQUENCY_ATTR_FREQ, 2484),
                                                          flag(NL80211_FREQUENCY_ATTR_DISABLED)})})})}),
                               nest(NL80211_ATTR_SUPPORTED_COMMANDS, {attr_value<uint32_t>(1, NL80211_CMD_CONNECT)}),
                               attr(NL80211_ATTR_EXT_FEATURES, ext), flag(NL80211_ATTR_DEVICE_AP_SME)});
    WiphyCapabilities caps;
    REQUIRE(merge_wiphy_message(first, caps));
    REQUIRE(merge_wiphy_message(second, caps));
    CHECK(caps.wiphy_index == 3);
    CHECK(caps.name == "phy3");
    CHECK(caps.messages == 2);
    CHECK(caps.supports_interface_type(NL80211_IFTYPE_AP));
    CHECK(caps.supports_interface_type(NL80211_IFTYPE_STATION));
    CHECK_FALSE(caps.supports_interface_type(NL80211_IFTYPE_MESH_POINT));
    CHECK(caps.supports_cipher(kCipherBipCmac128));
    CHECK_FALSE(caps.supports_cipher(kCipherGcmp128));
    CHECK(caps.supports_command(NL80211_CMD_CONNECT));
    CHECK(caps.control_port_over_nl80211());
    CHECK_FALSE(caps.has_extended_feature(1000));
    CHECK(caps.device_ap_sme);
    CHECK(caps.frequencies_mhz.count(2412) == 1);
    CHECK(caps.frequencies_mhz.count(2484) == 0);  // disabled

    WiphyRequirements ap;
    ap.interface_type = NL80211_IFTYPE_AP;
    ap.cipher_suites = {kCipherCcmp128, kCipherBipCmac128};
    ap.control_port_over_nl80211 = true;
    ap.frequency_mhz = 2412;
    CHECK(check_wiphy(caps, ap));

    // Another wiphy in the same dump is an error.
    CHECK_FALSE(merge_wiphy_message(attr_value<uint32_t>(NL80211_ATTR_WIPHY, 4), caps));
    CHECK_FALSE(merge_wiphy_message(attr(NL80211_ATTR_WIPHY_NAME, to_bytes("x")), caps));
    CHECK_FALSE(merge_wiphy_message(join({attr_value<uint32_t>(NL80211_ATTR_WIPHY, 3),
                                          attr(NL80211_ATTR_CIPHER_SUITES, *from_hex("000fac"))}),
                                    caps));
}

TEST_CASE("nl80211: check_wiphy names everything the wiphy lacks") {
    WiphyCapabilities caps;
    caps.messages = 1;
    caps.name = "phy0";
    caps.interface_types = {NL80211_IFTYPE_STATION};
    caps.cipher_suites = {kCipherCcmp128};
    WiphyRequirements ap;
    ap.interface_type = NL80211_IFTYPE_AP;
    ap.cipher_suites = {kCipherCcmp128, kCipherBipCmac128};
    ap.control_port_over_nl80211 = true;
    ap.frequency_mhz = 2437;
    Status status = check_wiphy(caps, ap);
    REQUIRE_FALSE(status);
    CHECK(status.error().code == ErrorCode::kUnsupported);
    const std::string& text = status.error().detail;
    CHECK(text.find("phy0") != std::string::npos);
    CHECK(text.find("interface type AP") != std::string::npos);
    CHECK(text.find("BIP-CMAC-128") != std::string::npos);
    CHECK(text.find("CCMP-128") == std::string::npos);
    CHECK(text.find("CONTROL_PORT_OVER_NL80211") != std::string::npos);
    CHECK(text.find("2437 MHz") != std::string::npos);
    CHECK_FALSE(check_wiphy(WiphyCapabilities{}, WiphyRequirements{}));
}

TEST_CASE("nl80211: scan results give BSSID, channel, signal, SSID and the raw RSN element") {
    const Bytes rsne = *from_hex("3014 0100 000fac04 0100 000fac04 0100 000fac01 0000");
    const Bytes ies = concat(*from_hex("0007 6c616e79617264 010482848b96"), rsne);
    auto bss_message = [&](const MacAddress& bssid, int32_t signal, ByteView elements) {
        return nest(NL80211_ATTR_BSS, {attr(NL80211_BSS_BSSID, bssid.view()), attr_value<uint32_t>(NL80211_BSS_FREQUENCY, 2412),
                                       attr_value<int32_t>(NL80211_BSS_SIGNAL_MBM, signal),
                                       attr_value<uint16_t>(NL80211_BSS_CAPABILITY, 0x0411),
                                       attr(NL80211_BSS_INFORMATION_ELEMENTS, elements)});
    };
    auto a = parse_scan_message(bss_message(kBssidA, -6000, ies));
    REQUIRE(a);
    CHECK(a->bssid == kBssidA);
    CHECK(a->frequency_mhz == 2412);
    CHECK(a->signal_mbm == -6000);
    CHECK(a->capability == 0x0411);
    CHECK(to_string(a->ssid) == "lanyard");
    CHECK(to_hex(*a->rsn_element) == to_hex(rsne));
    auto b = parse_scan_message(bss_message(kBssidB, -4000, ies));
    REQUIRE(b);
    auto other = parse_scan_message(bss_message(kStation, -1000, *from_hex("0005 6f74686572")));
    REQUIRE(other);
    CHECK_FALSE(other->rsn_element);

    const std::vector<ScanBss> results{*a, *b, *other};
    CHECK(select_bss(results, to_bytes("lanyard"))->bssid == kBssidB);  // strongest
    CHECK(select_bss(results, to_bytes("lanyard"), kBssidA)->bssid == kBssidA);
    CHECK_FALSE(select_bss(results, to_bytes("lanyard"), kStation));
    CHECK_FALSE(select_bss(results, to_bytes("nothing")));
    CHECK(select_bss(results, to_bytes("other"))->bssid == kStation);
}

TEST_CASE("nl80211: malformed scan results are refused") {
    CHECK_FALSE(parse_scan_message(attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 1)));  // no BSS
    CHECK_FALSE(parse_scan_message(nest(NL80211_ATTR_BSS, {attr_value<uint32_t>(NL80211_BSS_FREQUENCY, 2412)})));
    CHECK_FALSE(parse_scan_message(nest(NL80211_ATTR_BSS, {attr(NL80211_BSS_BSSID, kBssidA.view())})));
    CHECK_FALSE(parse_scan_message(nest(NL80211_ATTR_BSS, {attr(NL80211_BSS_BSSID, kBssidA.view()),
                                                           attr_value<uint32_t>(NL80211_BSS_FREQUENCY, 2412),
                                                           attr(NL80211_BSS_INFORMATION_ELEMENTS, *from_hex("0009 6c61"))})));
    // Beacon IEs stand in when the probe response IEs are absent; no signal means -100 dBm.
    auto beacon_only = parse_scan_message(nest(NL80211_ATTR_BSS, {attr(NL80211_BSS_BSSID, kBssidA.view()),
                                                                  attr_value<uint32_t>(NL80211_BSS_FREQUENCY, 2412),
                                                                  attr(NL80211_BSS_BEACON_IES, *from_hex("0001 78"))}));
    REQUIRE(beacon_only);
    CHECK(to_string(beacon_only->ssid) == "x");
    CHECK(beacon_only->signal_mbm == -10000);
}

TEST_CASE("nl80211: events carry the fields their command needs") {
    const Bytes pdu = *from_hex("0200000501070005 01");
    auto frame = parse_nl80211_event(NL80211_CMD_CONTROL_PORT_FRAME,
                                     join({attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 5), attr(NL80211_ATTR_MAC, kStation.view()),
                                           attr(NL80211_ATTR_FRAME, pdu), attr_value<uint16_t>(NL80211_ATTR_CONTROL_PORT_ETHERTYPE, 0x888e),
                                           flag(NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT)}));
    REQUIRE(frame);
    CHECK(frame->command == NL80211_CMD_CONTROL_PORT_FRAME);
    CHECK(frame->interface_index == 5u);
    CHECK(*frame->mac == kStation);
    CHECK(to_hex(frame->frame) == to_hex(pdu));
    CHECK(frame->ethertype == 0x888e);
    CHECK(frame->unencrypted);

    auto disconnect = parse_nl80211_event(NL80211_CMD_DISCONNECT, join({attr_value<uint16_t>(NL80211_ATTR_REASON_CODE, 3),
                                                                          flag(NL80211_ATTR_DISCONNECTED_BY_AP)}));
    REQUIRE(disconnect);
    CHECK(disconnect->reason_code == 3);
    CHECK(disconnect->by_ap);
    CHECK_FALSE(disconnect->interface_index);

    auto station = parse_nl80211_event(NL80211_CMD_NEW_STATION, join({attr(NL80211_ATTR_MAC, kStation.view()),
                                                                        attr(NL80211_ATTR_IE, *from_hex("0001 78"))}));
    REQUIRE(station);
    CHECK(to_hex(station->ies) == "000178");

    CHECK_FALSE(parse_nl80211_event(NL80211_CMD_NEW_STATION, attr(NL80211_ATTR_MAC, *from_hex("0102030405"))));
    CHECK_FALSE(parse_nl80211_event(NL80211_CMD_CONNECT, *from_hex("0800")));
}

TEST_CASE("nl80211: GET_INTERFACE replies need index, wiphy, type and address") {
    auto facts = parse_interface_message(join({attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 4), attr_value<uint32_t>(NL80211_ATTR_WIPHY, 1),
                                               attr_value<uint32_t>(NL80211_ATTR_IFTYPE, NL80211_IFTYPE_STATION),
                                               attr(NL80211_ATTR_MAC, kStation.view()), attr(NL80211_ATTR_IFNAME, to_bytes("wlan1"))}));
    REQUIRE(facts);
    CHECK(facts->interface_index == 4);
    CHECK(facts->wiphy_index == 1);
    CHECK(facts->interface_type == NL80211_IFTYPE_STATION);
    CHECK(facts->address == kStation);
    CHECK(facts->name == "wlan1");
    CHECK_FALSE(parse_interface_message(join({attr_value<uint32_t>(NL80211_ATTR_IFINDEX, 4), attr_value<uint32_t>(NL80211_ATTR_WIPHY, 1)})));
}
