#include "drivers/wifi_ies.h"

#include <array>

namespace lanyard {
namespace {

constexpr size_t kMaxSsidSize = 32;          // §9.4.2.2
constexpr size_t kMaxSupportedRates = 8;     // §9.4.2.3
constexpr size_t kMacHeaderSize = 24;
// §9.2.4.1.3: frame control octet 0 = subtype << 4 | type << 2, type 0
// (management); Beacon is subtype 8, Probe Response subtype 5.
constexpr uint8_t kFrameControlBeacon = 0x80;
constexpr uint8_t kFrameControlProbeResponse = 0x50;
// §9.4.1.4 capability bits.
constexpr uint16_t kCapabilityEss = 0x0001;
constexpr uint16_t kCapabilityPrivacy = 0x0010;
constexpr uint16_t kCapabilityShortSlotTime = 0x0400;

// Rates in units of 500 kb/s, 0x80 marks a basic rate (§9.4.2.3).
// 2.4 GHz (hw_mode=g): DSSS/HR-DSSS 1, 2, 5.5, 11 basic, then ERP-OFDM.
constexpr std::array<uint8_t, 12> kRates2GHz{0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12,
                                             0x18, 0x24, 0x30, 0x48, 0x60, 0x6c};
// 5 GHz (hw_mode=a): OFDM, 6, 12 and 24 Mb/s basic.
constexpr std::array<uint8_t, 8> kRates5GHz{0x8c, 0x12, 0x98, 0x24, 0xb0, 0x48, 0x60, 0x6c};

void put_element(ByteWriter& out, ElementId id, ByteView body) {
    out.u8(static_cast<uint8_t>(id)).u8(static_cast<uint8_t>(body.size())).bytes(body);
}

void put_mac_header(ByteWriter& out, uint8_t frame_control, const MacAddress& destination,
                    const MacAddress& bssid) {
    out.u8(frame_control).u8(0);  // flags
    out.u16le(0);                 // duration, set by the hardware
    out.bytes(destination.view()).bytes(bssid.view()).bytes(bssid.view());
    out.u16le(0);  // sequence control, set by the kernel
}

}  // namespace

Result<std::vector<InformationElement>> parse_information_elements(ByteView ies, size_t limit) {
    std::vector<InformationElement> elements;
    ByteReader reader(ies);
    while (!reader.empty()) {
        if (elements.size() >= limit) return make_error(ErrorCode::kLimit, "IEs: more than " + std::to_string(limit) + " elements");
        const size_t start = reader.position();
        auto id = reader.u8();
        auto length = reader.u8();
        if (!id || !length) return make_error(ErrorCode::kTruncated, "IEs: element header truncated");
        auto body = reader.bytes(*length);
        if (!body) {
            return make_error(ErrorCode::kTruncated, "IEs: element " + std::to_string(*id) + " of length " +
                                                         std::to_string(*length) + " runs past the end");
        }
        elements.push_back(InformationElement{*id, *body, ies.subspan(start, 2 + *length)});
    }
    return elements;
}

std::optional<InformationElement> find_element(ByteView ies, ElementId id) {
    auto elements = parse_information_elements(ies);
    if (!elements) return std::nullopt;
    for (const InformationElement& element : *elements) {
        if (element.id == static_cast<uint8_t>(id)) return element;
    }
    return std::nullopt;
}

std::optional<Bytes> ssid_of(ByteView ies) {
    auto element = find_element(ies, ElementId::kSsid);
    if (!element || element->body.size() > kMaxSsidSize) return std::nullopt;
    return Bytes(element->body.begin(), element->body.end());
}

std::optional<Bytes> rsn_element_of(ByteView ies) {
    auto element = find_element(ies, ElementId::kRsn);
    if (!element) return std::nullopt;
    return Bytes(element->element.begin(), element->element.end());
}

const char* wifi_band_name(WifiBand band) {
    switch (band) {
        case WifiBand::k2GHz: return "2.4 GHz";
        case WifiBand::k5GHz: return "5 GHz";
    }
    return "?";
}

Result<uint32_t> channel_to_frequency_mhz(WifiBand band, unsigned channel) {
    switch (band) {
        case WifiBand::k2GHz:
            if (channel >= 1 && channel <= 13) return 2407 + 5 * channel;
            if (channel == 14) return uint32_t{2484};
            break;
        case WifiBand::k5GHz:
            if (channel >= 1 && channel <= 200) return 5000 + 5 * channel;
            break;
    }
    return make_error(ErrorCode::kConfig, "channel " + std::to_string(channel) + " is not a " +
                                              wifi_band_name(band) + " channel");
}

std::optional<unsigned> frequency_to_channel(uint32_t frequency_mhz) {
    if (frequency_mhz == 2484) return 14;
    if (frequency_mhz >= 2412 && frequency_mhz <= 2472 && (frequency_mhz - 2407) % 5 == 0) {
        return (frequency_mhz - 2407) / 5;
    }
    if (frequency_mhz >= 5005 && frequency_mhz <= 6000 && frequency_mhz % 5 == 0) return (frequency_mhz - 5000) / 5;
    return std::nullopt;
}

ByteView band_rates(WifiBand band) {
    switch (band) {
        case WifiBand::k2GHz: return ByteView(kRates2GHz);
        case WifiBand::k5GHz: return ByteView(kRates5GHz);
    }
    return ByteView(kRates2GHz);
}

uint16_t beacon_capability(const BeaconParameters& parameters) {
    uint16_t capability = kCapabilityEss | kCapabilityShortSlotTime;
    if (!parameters.rsn_element.empty()) capability |= kCapabilityPrivacy;
    return capability;
}

Result<BeaconFrames> build_beacon(const BeaconParameters& p) {
    if (p.ssid.empty() || p.ssid.size() > kMaxSsidSize) {
        return make_error(ErrorCode::kConfig, "beacon: SSID must be 1-32 octets, not " + std::to_string(p.ssid.size()));
    }
    if (p.beacon_interval_tu == 0) return make_error(ErrorCode::kConfig, "beacon: interval 0");
    LANYARD_TRY(channel_to_frequency_mhz(p.band, p.channel));
    if (!p.rsn_element.empty()) {
        auto elements = parse_information_elements(p.rsn_element);
        if (!elements || elements->size() != 1 || (*elements)[0].id != static_cast<uint8_t>(ElementId::kRsn)) {
            return make_error(ErrorCode::kConfig, "beacon: the RSN element is not one well-formed element 48");
        }
    }
    const ByteView rates = band_rates(p.band);
    const ByteView supported = rates.first(std::min(rates.size(), kMaxSupportedRates));
    const ByteView extended = rates.subspan(supported.size());

    // Body fields up to the TIM: timestamp (set by the hardware), beacon
    // interval, capability (§9.3.3.2), then SSID, rates, DS parameter set.
    ByteWriter fixed_and_head;
    fixed_and_head.zeros(8).u16le(p.beacon_interval_tu).u16le(beacon_capability(p));
    put_element(fixed_and_head, ElementId::kSsid, p.ssid);
    put_element(fixed_and_head, ElementId::kSupportedRates, supported);
    const uint8_t channel = static_cast<uint8_t>(p.channel);
    put_element(fixed_and_head, ElementId::kDsParameterSet, ByteView(&channel, 1));

    ByteWriter tail;
    if (p.band == WifiBand::k2GHz) {
        const uint8_t erp = 0;  // §9.4.2.11: no non-ERP stations, no protection
        put_element(tail, ElementId::kErp, ByteView(&erp, 1));
    }
    if (!extended.empty()) put_element(tail, ElementId::kExtendedSupportedRates, extended);
    tail.bytes(p.rsn_element);

    BeaconFrames frames;
    ByteWriter head(kMacHeaderSize + fixed_and_head.size());
    put_mac_header(head, kFrameControlBeacon, MacAddress::broadcast(), p.bssid);
    head.bytes(fixed_and_head.view());
    frames.head = head.take();
    frames.tail = tail.take();

    ByteWriter probe;
    put_mac_header(probe, kFrameControlProbeResponse, MacAddress::broadcast(), p.bssid);
    probe.bytes(fixed_and_head.view()).bytes(frames.tail);
    frames.probe_response = probe.take();
    return frames;
}

}  // namespace lanyard
