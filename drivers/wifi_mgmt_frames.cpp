#include "drivers/wifi_mgmt_frames.h"

#include <array>

#include "drivers/wifi_ies.h"

namespace lanyard {
namespace {

constexpr size_t kHeaderSize = 24;
constexpr uint8_t kFlagOrder = 0x80;  // +HTC/Order bit of frame-control octet 1
constexpr size_t kMaxRates = 8;       // per Supported Rates element

void put_header(ByteWriter& out, ManagementSubtype subtype, const MacAddress& destination,
                const MacAddress& source, const MacAddress& bssid) {
    out.u8(static_cast<uint8_t>(static_cast<uint8_t>(subtype) << 4)).u8(0).u16le(0);
    out.bytes(destination.view()).bytes(source.view()).bytes(bssid.view()).u16le(0);
}

Error bad(std::string what) { return make_error(ErrorCode::kMalformed, "802.11 frame: " + std::move(what)); }

}  // namespace

Result<ManagementFrameView> parse_management_frame(ByteView frame) {
    if (frame.size() < kHeaderSize) return make_error(ErrorCode::kTruncated, "802.11 frame: shorter than a management header");
    const uint8_t fc0 = frame[0];
    const uint8_t version = fc0 & 0x03;
    const uint8_t type = (fc0 >> 2) & 0x03;
    if (version != 0 || type != 0) return bad("not a version-0 management frame");
    if ((frame[1] & kFlagOrder) != 0) return bad("+HTC management frames are not handled");
    const uint8_t subtype = fc0 >> 4;
    ManagementFrameView view;
    switch (subtype) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 8: case 10: case 11: case 12: case 13:
            view.subtype = static_cast<ManagementSubtype>(subtype);
            break;
        default: return bad("management subtype " + std::to_string(subtype) + " not handled");
    }
    view.destination = MacAddress::from_bytes(frame.subspan(4, 6)).value();
    view.source = MacAddress::from_bytes(frame.subspan(10, 6)).value();
    view.bssid = MacAddress::from_bytes(frame.subspan(16, 6)).value();
    view.body = frame.subspan(kHeaderSize);
    return view;
}

Result<AuthenticationBody> parse_authentication(ByteView body) {
    if (body.size() < 6) return make_error(ErrorCode::kTruncated, "802.11 frame: Authentication body shorter than 6 octets");
    ByteReader reader(body);
    AuthenticationBody result;
    result.algorithm = *reader.u16le();
    result.transaction = *reader.u16le();
    result.status = *reader.u16le();
    return result;
}

Result<AssociationRequest> parse_association_request(ManagementSubtype subtype, ByteView body) {
    AssociationRequest request;
    switch (subtype) {
        case ManagementSubtype::kAssociationRequest: break;
        case ManagementSubtype::kReassociationRequest: request.reassociation = true; break;
        case ManagementSubtype::kAssociationResponse:
        case ManagementSubtype::kReassociationResponse:
        case ManagementSubtype::kProbeRequest:
        case ManagementSubtype::kProbeResponse:
        case ManagementSubtype::kBeacon:
        case ManagementSubtype::kDisassociation:
        case ManagementSubtype::kAuthentication:
        case ManagementSubtype::kDeauthentication:
        case ManagementSubtype::kAction:
            return bad("not a (re)association request");
    }
    ByteReader reader(body);
    auto capability = reader.u16le();
    auto listen = reader.u16le();
    if (!capability || !listen) return make_error(ErrorCode::kTruncated, "802.11 frame: association request fixed fields truncated");
    request.capability = *capability;
    request.listen_interval = *listen;
    if (request.reassociation) {
        auto current = reader.bytes(MacAddress::kSize);
        if (!current) return make_error(ErrorCode::kTruncated, "802.11 frame: reassociation request without current AP");
        request.current_ap = MacAddress::from_bytes(*current).value();
    }
    request.ies = reader.rest();
    auto elements = parse_information_elements(request.ies);
    if (!elements) return elements.error();
    bool have_ssid = false;
    for (const InformationElement& element : *elements) {
        switch (element.id) {
            case static_cast<uint8_t>(ElementId::kSsid):
                if (!have_ssid) request.ssid = element.body;
                have_ssid = true;
                break;
            case static_cast<uint8_t>(ElementId::kSupportedRates):
            case static_cast<uint8_t>(ElementId::kExtendedSupportedRates):
                request.supported_rates.insert(request.supported_rates.end(), element.body.begin(), element.body.end());
                break;
            default: break;  // plain octet, not an enum
        }
    }
    if (!have_ssid) return bad("association request without an SSID element");
    if (request.supported_rates.empty()) return bad("association request without supported rates");
    return request;
}

Bytes build_authentication_response(const MacAddress& station, const MacAddress& bssid, uint16_t status) {
    ByteWriter out(kHeaderSize + 6);
    put_header(out, ManagementSubtype::kAuthentication, station, bssid, bssid);
    out.u16le(kAuthAlgorithmOpenSystem).u16le(2).u16le(status);
    return out.take();
}

Bytes build_association_response(const MacAddress& station, const MacAddress& bssid, bool reassociation,
                                 uint16_t capability, uint16_t status, uint16_t aid, ByteView rates) {
    ByteWriter out(kHeaderSize + 32);
    put_header(out, reassociation ? ManagementSubtype::kReassociationResponse : ManagementSubtype::kAssociationResponse,
               station, bssid, bssid);
    out.u16le(capability).u16le(status).u16le(static_cast<uint16_t>(aid | 0xc000));
    const ByteView supported = rates.first(std::min(rates.size(), kMaxRates));
    const ByteView extended = rates.subspan(supported.size());
    out.u8(static_cast<uint8_t>(ElementId::kSupportedRates)).u8(static_cast<uint8_t>(supported.size())).bytes(supported);
    if (!extended.empty()) {
        out.u8(static_cast<uint8_t>(ElementId::kExtendedSupportedRates)).u8(static_cast<uint8_t>(extended.size())).bytes(extended);
    }
    return out.take();
}

bool probe_request_wants(ByteView probe_request_body, ByteView our_ssid) {
    auto ssid = ssid_of(probe_request_body);
    if (!ssid) return false;
    return ssid->empty() || equal_bytes(*ssid, our_ssid);
}

Bytes address_probe_response(ByteView probe_response_template, const MacAddress& destination) {
    Bytes frame(probe_response_template.begin(), probe_response_template.end());
    if (frame.size() >= kHeaderSize) {
        std::copy(destination.octets().begin(), destination.octets().end(), frame.begin() + 4);  // Address 1
    }
    return frame;
}

Bytes build_deauthentication(const MacAddress& destination, const MacAddress& bssid, uint16_t reason,
                             bool disassociation) {
    ByteWriter out(kHeaderSize + 2);
    put_header(out, disassociation ? ManagementSubtype::kDisassociation : ManagementSubtype::kDeauthentication,
               destination, bssid, bssid);
    out.u16le(reason);
    return out.take();
}

}  // namespace lanyard
