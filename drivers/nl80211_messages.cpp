#include "drivers/nl80211_messages.h"

#include <linux/nl80211.h>

#include <cstdio>

#include "drivers/netlink_attributes.h"
#include "drivers/wifi_ies.h"

namespace lanyard {
namespace {

// Bounds on what one message may list (DESIGN.md, style rule 3).
constexpr size_t kMaxListEntries = 1024;
constexpr int32_t kNoSignalMbm = -10000;

Error malformed(std::string what) { return make_error(ErrorCode::kMalformed, "nl80211: " + std::move(what)); }

Status merge_bands(ByteView bands_payload, WiphyCapabilities& capabilities) {
    auto bands = list_netlink_attributes(bands_payload, kMaxListEntries);
    if (!bands) return bands.error();
    for (const NetlinkAttributeView& band : *bands) {
        auto band_attributes = NetlinkAttributes::parse(band.payload, NL80211_BAND_ATTR_MAX);
        if (!band_attributes) return band_attributes.error();
        auto freqs_payload = band_attributes->get(NL80211_BAND_ATTR_FREQS);
        if (!freqs_payload) continue;  // rates or HT capabilities only
        auto freqs = list_netlink_attributes(*freqs_payload, kMaxListEntries);
        if (!freqs) return freqs.error();
        for (const NetlinkAttributeView& freq : *freqs) {
            auto frequency = NetlinkAttributes::parse(freq.payload, NL80211_FREQUENCY_ATTR_MAX);
            if (!frequency) return frequency.error();
            auto mhz = frequency->u32(NL80211_FREQUENCY_ATTR_FREQ);
            if (!mhz) return malformed("band frequency without NL80211_FREQUENCY_ATTR_FREQ");
            if (!frequency->has(NL80211_FREQUENCY_ATTR_DISABLED)) capabilities.frequencies_mhz.insert(*mhz);
        }
    }
    return ok_status();
}

}  // namespace

bool WiphyCapabilities::has_extended_feature(unsigned index) const {
    const size_t byte = index / 8;
    return byte < extended_features.size() && (extended_features[byte] & (1u << (index % 8))) != 0;
}

bool WiphyCapabilities::control_port_over_nl80211() const {
    return has_extended_feature(NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211);
}

std::string WiphyCapabilities::describe() const {
    std::string text = "phy" + std::to_string(wiphy_index) + " (" + name + "): iftypes";
    for (uint32_t type : interface_types) text += std::string(" ") + nl80211_iftype_name(type);
    text += "; ciphers";
    for (uint32_t suite : cipher_suites) text += " " + cipher_suite_name(suite);
    text += "; " + std::to_string(frequencies_mhz.size()) + " channels; control port over nl80211: ";
    text += control_port_over_nl80211() ? "yes" : "no";
    return text;
}

Status merge_wiphy_message(ByteView attributes, WiphyCapabilities& capabilities) {
    auto table = NetlinkAttributes::parse(attributes, NL80211_ATTR_MAX);
    if (!table) return table.error();
    auto index = table->u32(NL80211_ATTR_WIPHY);
    if (!index) return malformed("NEW_WIPHY without NL80211_ATTR_WIPHY");
    if (capabilities.messages == 0) {
        capabilities.wiphy_index = *index;
    } else if (*index != capabilities.wiphy_index) {
        return malformed("wiphy dump mixes phy" + std::to_string(capabilities.wiphy_index) + " and phy" +
                         std::to_string(*index));
    }
    ++capabilities.messages;
    if (auto name = table->string(NL80211_ATTR_WIPHY_NAME)) capabilities.name = *name;
    if (auto types = table->get(NL80211_ATTR_SUPPORTED_IFTYPES)) {
        // A nested set of flags whose attribute type is the interface type.
        auto list = list_netlink_attributes(*types, kMaxListEntries);
        if (!list) return list.error();
        for (const NetlinkAttributeView& type : *list) capabilities.interface_types.insert(type.type);
    }
    if (auto suites = table->get(NL80211_ATTR_CIPHER_SUITES)) {
        auto values = read_u32_array(*suites, kMaxListEntries);
        if (!values) return values.error();
        capabilities.cipher_suites.insert(values->begin(), values->end());
    }
    if (auto commands = table->get(NL80211_ATTR_SUPPORTED_COMMANDS)) {
        auto list = list_netlink_attributes(*commands, kMaxListEntries);
        if (!list) return list.error();
        for (const NetlinkAttributeView& command : *list) {
            if (command.payload.size() != 4) return malformed("supported command of " + std::to_string(command.payload.size()) + " bytes");
            capabilities.commands.insert((*read_u32_array(command.payload, 1))[0]);
        }
    }
    if (auto bands = table->get(NL80211_ATTR_WIPHY_BANDS)) LANYARD_TRY(merge_bands(*bands, capabilities));
    if (auto features = table->get(NL80211_ATTR_EXT_FEATURES)) {
        capabilities.extended_features.assign(features->begin(), features->end());
    }
    if (auto flags = table->u32(NL80211_ATTR_FEATURE_FLAGS)) capabilities.feature_flags = *flags;
    if (table->has(NL80211_ATTR_DEVICE_AP_SME)) capabilities.device_ap_sme = true;
    return ok_status();
}

Status check_wiphy(const WiphyCapabilities& capabilities, const WiphyRequirements& requirements) {
    std::vector<std::string> missing;
    if (capabilities.messages == 0) missing.push_back("any reply to GET_WIPHY");
    if (!capabilities.supports_interface_type(requirements.interface_type)) {
        missing.push_back(std::string("interface type ") + nl80211_iftype_name(requirements.interface_type));
    }
    for (uint32_t suite : requirements.cipher_suites) {
        if (!capabilities.supports_cipher(suite)) missing.push_back("cipher suite " + cipher_suite_name(suite));
    }
    if (requirements.control_port_over_nl80211 && !capabilities.control_port_over_nl80211()) {
        missing.push_back("NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211");
    }
    if (requirements.frequency_mhz && capabilities.frequencies_mhz.count(*requirements.frequency_mhz) == 0) {
        missing.push_back("an enabled channel at " + std::to_string(*requirements.frequency_mhz) + " MHz");
    }
    if (missing.empty()) return ok_status();
    std::string text = "phy" + std::to_string(capabilities.wiphy_index);
    if (!capabilities.name.empty()) text += " (" + capabilities.name + ")";
    text += " lacks ";
    for (size_t i = 0; i < missing.size(); ++i) text += (i == 0 ? "" : ", ") + missing[i];
    return make_error(ErrorCode::kUnsupported, text);
}

const char* nl80211_iftype_name(uint32_t type) {
    switch (type) {
        case NL80211_IFTYPE_ADHOC: return "IBSS";
        case NL80211_IFTYPE_STATION: return "station";
        case NL80211_IFTYPE_AP: return "AP";
        case NL80211_IFTYPE_AP_VLAN: return "AP/VLAN";
        case NL80211_IFTYPE_WDS: return "WDS";
        case NL80211_IFTYPE_MONITOR: return "monitor";
        case NL80211_IFTYPE_MESH_POINT: return "mesh point";
        case NL80211_IFTYPE_P2P_CLIENT: return "P2P client";
        case NL80211_IFTYPE_P2P_GO: return "P2P GO";
        case NL80211_IFTYPE_P2P_DEVICE: return "P2P device";
        case NL80211_IFTYPE_OCB: return "OCB";
        case NL80211_IFTYPE_NAN: return "NAN";
        default: return "unknown";  // a plain integer from the kernel, not our enum
    }
}

std::string cipher_suite_name(uint32_t suite) {
    switch (suite) {
        case 0x000FAC01: return "WEP-40";
        case 0x000FAC02: return "TKIP";
        case kCipherCcmp128: return "CCMP-128";
        case 0x000FAC05: return "WEP-104";
        case kCipherBipCmac128: return "BIP-CMAC-128";
        case kCipherGcmp128: return "GCMP-128";
        case 0x000FAC09: return "GCMP-256";
        case 0x000FAC0A: return "CCMP-256";
        case 0x000FAC0B: return "BIP-GMAC-128";
        case 0x000FAC0C: return "BIP-GMAC-256";
        case 0x000FAC0D: return "BIP-CMAC-256";
        default: break;
    }
    char text[16];
    std::snprintf(text, sizeof(text), "%08X", suite);
    return text;
}

Result<InterfaceFacts> parse_interface_message(ByteView attributes) {
    auto table = NetlinkAttributes::parse(attributes, NL80211_ATTR_MAX);
    if (!table) return table.error();
    InterfaceFacts facts;
    auto index = table->u32(NL80211_ATTR_IFINDEX);
    auto wiphy = table->u32(NL80211_ATTR_WIPHY);
    auto type = table->u32(NL80211_ATTR_IFTYPE);
    auto mac = table->mac(NL80211_ATTR_MAC);
    if (!index || !wiphy || !type || !mac) return malformed("interface message lacks ifindex, wiphy, iftype or MAC");
    facts.interface_index = *index;
    facts.wiphy_index = *wiphy;
    facts.interface_type = *type;
    facts.address = *mac;
    facts.name = table->string(NL80211_ATTR_IFNAME).value_or("");
    return facts;
}

Result<ScanBss> parse_scan_message(ByteView attributes) {
    auto table = NetlinkAttributes::parse(attributes, NL80211_ATTR_MAX);
    if (!table) return table.error();
    auto bss = table->nested(NL80211_ATTR_BSS, NL80211_BSS_MAX);
    if (!bss) return bss.error();
    ScanBss result;
    auto bssid = bss->mac(NL80211_BSS_BSSID);
    auto frequency = bss->u32(NL80211_BSS_FREQUENCY);
    if (!bssid || !frequency) return malformed("scan result without BSSID or frequency");
    result.bssid = *bssid;
    result.frequency_mhz = *frequency;
    result.signal_mbm = bss->s32(NL80211_BSS_SIGNAL_MBM).value_or(kNoSignalMbm);
    result.capability = bss->u16(NL80211_BSS_CAPABILITY).value_or(0);
    auto ies = bss->get(NL80211_BSS_INFORMATION_ELEMENTS);
    if (!ies || ies->empty()) ies = bss->get(NL80211_BSS_BEACON_IES);
    if (ies) {
        auto elements = parse_information_elements(*ies);
        if (!elements) return malformed("scan result " + bssid->to_string() + ": " + elements.error().detail);
        result.ies.assign(ies->begin(), ies->end());
        result.ssid = ssid_of(*ies).value_or(Bytes{});
        result.rsn_element = rsn_element_of(*ies);
    }
    return result;
}

std::optional<ScanBss> select_bss(const std::vector<ScanBss>& results, ByteView ssid,
                                  const std::optional<MacAddress>& bssid) {
    const ScanBss* best = nullptr;
    for (const ScanBss& candidate : results) {
        if (!equal_bytes(candidate.ssid, ssid)) continue;
        if (bssid && candidate.bssid != *bssid) continue;
        if (best == nullptr || candidate.signal_mbm > best->signal_mbm) best = &candidate;
    }
    if (best == nullptr) return std::nullopt;
    return *best;
}

Result<Nl80211Event> parse_nl80211_event(uint8_t command, ByteView attributes) {
    auto table = NetlinkAttributes::parse(attributes, NL80211_ATTR_MAX);
    if (!table) return table.error();
    Nl80211Event event;
    event.command = command;
    event.interface_index = table->u32(NL80211_ATTR_IFINDEX);
    event.mac = table->mac(NL80211_ATTR_MAC);
    if (table->has(NL80211_ATTR_MAC) && !event.mac) return malformed("NL80211_ATTR_MAC is not 6 octets");
    event.status_code = table->u16(NL80211_ATTR_STATUS_CODE);
    event.reason_code = table->u16(NL80211_ATTR_REASON_CODE);
    event.by_ap = table->has(NL80211_ATTR_DISCONNECTED_BY_AP);
    event.timed_out = table->has(NL80211_ATTR_TIMED_OUT);
    event.frequency_mhz = table->u32(NL80211_ATTR_WIPHY_FREQ);
    if (auto ies = table->get(NL80211_ATTR_IE)) event.ies.assign(ies->begin(), ies->end());
    if (auto ies = table->get(NL80211_ATTR_RESP_IE)) event.response_ies.assign(ies->begin(), ies->end());
    if (auto frame = table->get(NL80211_ATTR_FRAME)) event.frame.assign(frame->begin(), frame->end());
    event.ethertype = table->u16(NL80211_ATTR_CONTROL_PORT_ETHERTYPE);
    event.unencrypted = table->has(NL80211_ATTR_CONTROL_PORT_NO_ENCRYPT);
    event.acked = table->has(NL80211_ATTR_ACK);
    return event;
}

}  // namespace lanyard
