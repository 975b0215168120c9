// libFuzzer target for the hand-written parsers behind the nl80211 drivers:
// netlink datagrams, error replies and attribute tables
// (drivers/netlink_attributes.h), the nl80211 wiphy/scan/interface/event
// messages (drivers/nl80211_messages.h), IEEE 802.11 element lists
// (drivers/wifi_ies.h) and the management frames of the AP's SME
// (drivers/wifi_mgmt_frames.h). Each must reject or accept without
// crashing, and what it accepts must stay inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "drivers/netlink_attributes.h"
#include "drivers/nl80211_messages.h"
#include "drivers/wifi_ies.h"
#include "drivers/wifi_mgmt_frames.h"

using namespace lanyard;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

bool inside(ByteView part, ByteView whole) {
    return part.empty() || (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void fuzz_netlink(ByteView data) {
    auto messages = split_netlink_datagram(data, 64);
    if (messages) {
        for (const NetlinkMessageView& message : *messages) {
            require(inside(message.payload, data));
            (void)parse_netlink_error(message.payload, message.flags);
            auto genl = parse_genl_message(message.payload);
            if (!genl) continue;
            require(inside(genl->attributes, data));
            WiphyCapabilities capabilities;
            (void)merge_wiphy_message(genl->attributes, capabilities);
            (void)check_wiphy(capabilities, WiphyRequirements{});
            (void)capabilities.describe();
            (void)parse_scan_message(genl->attributes);
            (void)parse_interface_message(genl->attributes);
            (void)parse_nl80211_event(genl->command, genl->attributes);
        }
    }
}

void fuzz_attributes(ByteView data) {
    WiphyCapabilities capabilities;
    // Twice, as a split dump would.
    if (merge_wiphy_message(data, capabilities)) (void)merge_wiphy_message(data, capabilities);
    auto bss = parse_scan_message(data);
    if (bss) {
        std::vector<ScanBss> results{*bss};
        auto chosen = select_bss(results, bss->ssid);
        require(chosen.has_value());
        if (bss->rsn_element) require(bss->rsn_element->size() >= 2 && (*bss->rsn_element)[0] == 48);
    }
    (void)parse_nl80211_event(data.empty() ? 0 : data[0], data);
    auto table = NetlinkAttributes::parse(data, 400);
    if (table) {
        for (uint16_t type = 0; type < 8; ++type) {
            if (auto payload = table->get(type)) require(inside(*payload, data));
            (void)table->string(type);
            (void)table->nested(type, 32);
        }
    }
    (void)read_u32_array(data, 64);
}

void fuzz_ies(ByteView data) {
    auto elements = parse_information_elements(data);
    if (elements) {
        size_t total = 0;
        for (const InformationElement& element : *elements) {
            require(element.element.size() == element.body.size() + 2);
            total += element.element.size();
        }
        require(total == data.size());
    }
    if (auto ssid = ssid_of(data)) require(ssid->size() <= 32);
    (void)rsn_element_of(data);
}

void fuzz_management(ByteView data) {
    auto frame = parse_management_frame(data);
    if (!frame) return;
    require(inside(frame->body, data));
    (void)parse_authentication(frame->body);
    if (probe_request_wants(frame->body, as_bytes("lanyard"))) require(ssid_of(frame->body).has_value());
    require(address_probe_response(data, frame->source).size() == data.size());
    for (ManagementSubtype subtype : {ManagementSubtype::kAssociationRequest, ManagementSubtype::kReassociationRequest}) {
        auto request = parse_association_request(subtype, frame->body);
        if (request) {
            require(inside(request->ies, data));
            require(!request->supported_rates.empty());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const ByteView input(data + 1, size - 1);
    switch (data[0] % 4) {
        case 0: fuzz_netlink(input); break;
        case 1: fuzz_attributes(input); break;
        case 2: fuzz_ies(input); break;
        case 3: fuzz_management(input); break;
    }
    return 0;
}
