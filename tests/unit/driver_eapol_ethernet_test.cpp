#include <doctest/doctest.h>

#include "common/hex.h"
#include "drivers/eapol_ethernet.h"

using namespace lanyard;

namespace {

const MacAddress kStation = *MacAddress::parse("02:00:00:00:00:01");
const MacAddress kAuthenticator = *MacAddress::parse("02:00:00:00:00:02");

// EAPOL version 2, EAP-Packet, body length 5: EAP Request/Identity, id 1.
const Bytes kEapRequestIdentity = *from_hex("0200000501010005 01");

}  // namespace

TEST_CASE("EAPOL Ethernet frame: build then parse round-trips") {
    const Bytes frame = build_eapol_ethernet_frame(kPaeGroupAddress, kAuthenticator, kEapRequestIdentity);
    CHECK(to_hex(ByteView(frame).first(14)) == "0180c2000003" "020000000002" "888e");
    auto parsed = parse_eapol_ethernet_frame(frame);
    REQUIRE(std::holds_alternative<EapolFrameView>(parsed));
    const auto& view = std::get<EapolFrameView>(parsed);
    CHECK(view.destination == kPaeGroupAddress);
    CHECK(view.source == kAuthenticator);
    CHECK(equal_bytes(view.pdu, kEapRequestIdentity));
}

TEST_CASE("EAPOL Ethernet frame: padding after the body is removed") {
    Bytes frame = build_eapol_ethernet_frame(kStation, kAuthenticator, kEapRequestIdentity);
    frame.resize(60, 0);  // minimum Ethernet frame without FCS
    auto parsed = parse_eapol_ethernet_frame(frame);
    REQUIRE(std::holds_alternative<EapolFrameView>(parsed));
    CHECK(std::get<EapolFrameView>(parsed).pdu.size() == kEapRequestIdentity.size());
}

TEST_CASE("EAPOL Ethernet frame: malformed frames give a drop reason") {
    const Bytes good = build_eapol_ethernet_frame(kStation, kAuthenticator, kEapRequestIdentity);
    auto reason_of = [](ByteView frame) -> std::optional<DropReason> {
        auto parsed = parse_eapol_ethernet_frame(frame);
        if (const DropReason* r = std::get_if<DropReason>(&parsed)) return *r;
        return std::nullopt;
    };
    CHECK(reason_of(ByteView(good).first(17)) == DropReason::kTooShort);
    CHECK(reason_of(ByteView()) == DropReason::kTooShort);

    Bytes wrong_type = good;
    wrong_type[12] = 0x08;
    wrong_type[13] = 0x00;
    CHECK(reason_of(wrong_type) == DropReason::kWrongEthertype);

    Bytes long_body = good;
    long_body[14 + 3] = 6;  // claims one byte more than present
    CHECK(reason_of(long_body) == DropReason::kTruncatedBody);

    Bytes group_source = good;
    group_source[6] |= 0x01;
    CHECK(reason_of(group_source) == DropReason::kGroupSource);

    Bytes huge(kMaxEthernetFrameSize + 1, 0);
    CHECK(reason_of(huge) == DropReason::kOversize);

    // A header-only PDU (EAPOL-Start, body length 0) is fine.
    const Bytes start = build_eapol_ethernet_frame(kPaeGroupAddress, kStation, *from_hex("01010000"));
    CHECK_FALSE(reason_of(start).has_value());
}

TEST_CASE("trim_eapol_pdu checks the header and body length") {
    CHECK(std::holds_alternative<DropReason>(trim_eapol_pdu(*from_hex("010100"))));
    auto trimmed = trim_eapol_pdu(*from_hex("0101000000000000"));
    REQUIRE(std::holds_alternative<ByteView>(trimmed));
    CHECK(std::get<ByteView>(trimmed).size() == 4);
}

TEST_CASE("DropCounters count per reason and in total") {
    DropCounters counters;
    counters.count(DropReason::kTooShort);
    counters.count(DropReason::kTooShort);
    counters.count(DropReason::kStationLimit);
    CHECK(counters.get(DropReason::kTooShort) == 2);
    CHECK(counters.get(DropReason::kStationLimit) == 1);
    CHECK(counters.get(DropReason::kFromSelf) == 0);
    CHECK(counters.total() == 3);
    CHECK(std::string(drop_reason_name(DropReason::kNotForUs)) == "unicast to another station");
}
