// IEEE 802.11 information elements and the beacon an access point hands to
// the kernel: pure functions shared by the nl80211 drivers, the unit tests
// and the fuzzers (no libnl here).
//
// An element is Element ID, Length, body (IEEE 802.11-2020 §9.4.2.1). The
// RSN element is carried as raw bytes (header included): eapol/ parses it,
// this file only finds it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard {

// IEEE 802.11-2020 Table 9-92 (Element IDs) — the ones used here.
enum class ElementId : uint8_t {
    kSsid = 0,
    kSupportedRates = 1,
    kDsParameterSet = 3,
    kTim = 5,
    kErp = 42,
    kRsn = 48,
    kExtendedSupportedRates = 50,
};

struct InformationElement {
    uint8_t id = 0;
    ByteView body;     // the element's information field
    ByteView element;  // the whole element, ID and length included
};

// Splits an element list. Every element must fit exactly: a length running
// past the end is malformed (a scan result or association request with a
// broken element list is not trusted at all). At most `limit` elements.
Result<std::vector<InformationElement>> parse_information_elements(ByteView ies, size_t limit = 512);

// The first element with `id`, or nullopt (also when the list is malformed).
std::optional<InformationElement> find_element(ByteView ies, ElementId id);

// The SSID element's body (0-32 octets, §9.4.2.2); nullopt if absent,
// longer than 32 octets, or the list is malformed.
std::optional<Bytes> ssid_of(ByteView ies);

// The RSN element (§9.4.2.24), ID and length included, as CONNECT's
// NL80211_ATTR_IE and the 4-way handshake want it.
std::optional<Bytes> rsn_element_of(ByteView ies);

// Bands we can run an AP on: hostapd's hw_mode=g and hw_mode=a.
enum class WifiBand { k2GHz, k5GHz };
const char* wifi_band_name(WifiBand band);

// IEEE 802.11-2020 §15.4.4.3 (2.4 GHz: channels 1-13 at 2407 + 5n, 14 at
// 2484) and §17.3.8.4.2 (5 GHz: 5000 + 5n).
Result<uint32_t> channel_to_frequency_mhz(WifiBand band, unsigned channel);
std::optional<unsigned> frequency_to_channel(uint32_t frequency_mhz);

// The rates of a band (500 kb/s units, 0x80 marks a basic rate, §9.4.2.3)
// as the beacon and association response announce them: the first eight in
// Supported Rates, the rest in Extended Supported Rates.
ByteView band_rates(WifiBand band);

struct BeaconParameters {
    MacAddress bssid;
    Bytes ssid;                     // 1-32 octets
    WifiBand band = WifiBand::k2GHz;
    unsigned channel = 1;
    uint16_t beacon_interval_tu = 100;
    // The RSN element with header, from eapol/; empty for an open network
    // (then the Privacy bit is clear).
    Bytes rsn_element;
};

// A beacon split where the kernel inserts the TIM element (§9.3.3.2, Table
// 9-27 order): head = MAC header, timestamp, beacon interval, capability,
// SSID, Supported Rates, DS Parameter Set; tail = ERP and Extended
// Supported Rates (2.4 GHz), RSN. The probe response (§9.3.3.10) is the
// same body without the TIM.
struct BeaconFrames {
    Bytes head;
    Bytes tail;
    Bytes probe_response;
};
Result<BeaconFrames> build_beacon(const BeaconParameters& parameters);

// The capability information field (§9.4.1.4) the beacon carries.
uint16_t beacon_capability(const BeaconParameters& parameters);

}  // namespace lanyard
