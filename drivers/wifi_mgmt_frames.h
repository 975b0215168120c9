// The few IEEE 802.11 management frames an access point's user-space SME
// exchanges when the kernel has none (mac80211: no WIPHY_FLAG_HAVE_AP_SME):
// Authentication (open system), (Re)Association Request/Response,
// Deauthentication and Disassociation. Pure parse/build functions, so the
// unit tests and the fuzzer reach them; the nl80211 AP driver moves them.
#pragma once

#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard {

// Management frame subtypes (IEEE 802.11-2020 §9.2.4.1.3, Table 9-1).
enum class ManagementSubtype : uint8_t {
    kAssociationRequest = 0,
    kAssociationResponse = 1,
    kReassociationRequest = 2,
    kReassociationResponse = 3,
    kProbeRequest = 4,
    kProbeResponse = 5,
    kBeacon = 8,
    kDisassociation = 10,
    kAuthentication = 11,
    kDeauthentication = 12,
    kAction = 13,
};

// The frame-control value nl80211 uses for NL80211_ATTR_FRAME_TYPE.
inline constexpr uint16_t management_frame_type(ManagementSubtype subtype) {
    return static_cast<uint16_t>(static_cast<uint8_t>(subtype) << 4);
}

struct ManagementFrameView {
    ManagementSubtype subtype = ManagementSubtype::kAction;
    MacAddress destination;  // Address 1
    MacAddress source;       // Address 2
    MacAddress bssid;        // Address 3
    ByteView body;           // after the 24-octet header
};
// §9.3.3.1: frame control (type 0), duration, three addresses, sequence
// control. Rejects other frame types, and frames with the +HTC/order bit
// (a 28-octet header we never expect here).
Result<ManagementFrameView> parse_management_frame(ByteView frame);

// §9.3.3.12 Authentication body: algorithm, transaction sequence, status.
struct AuthenticationBody {
    uint16_t algorithm = 0;
    uint16_t transaction = 0;
    uint16_t status = 0;
};
Result<AuthenticationBody> parse_authentication(ByteView body);

// §9.3.3.6 / §9.3.3.8: (Re)Association Request body.
struct AssociationRequest {
    bool reassociation = false;
    uint16_t capability = 0;
    uint16_t listen_interval = 0;
    MacAddress current_ap;   // reassociation only
    ByteView ies;            // checked to be a well-formed element list
    ByteView ssid;
    Bytes supported_rates;   // Supported Rates then Extended Supported Rates
};
Result<AssociationRequest> parse_association_request(ManagementSubtype subtype, ByteView body);

inline constexpr uint16_t kAuthAlgorithmOpenSystem = 0;
inline constexpr uint16_t kStatusSuccess = 0;
inline constexpr uint16_t kStatusUnspecifiedFailure = 1;
inline constexpr uint16_t kStatusAuthAlgorithmNotSupported = 13;
inline constexpr uint16_t kStatusApFull = 17;  // denied: AP cannot handle more stations
inline constexpr uint16_t kReasonUnspecified = 1;
inline constexpr uint16_t kReasonDeauthLeaving = 3;
inline constexpr uint16_t kReasonIeee8021XAuthFailed = 23;

// Authentication frame answering an open-system request (transaction 2).
Bytes build_authentication_response(const MacAddress& station, const MacAddress& bssid, uint16_t status);
// (Re)Association Response: capability, status, AID (with the two high
// bits set, §9.4.1.8), then Supported and Extended Supported Rates.
Bytes build_association_response(const MacAddress& station, const MacAddress& bssid, bool reassociation,
                                 uint16_t capability, uint16_t status, uint16_t aid, ByteView rates);
// §11.1.4.3.4: an AP answers a Probe Request whose SSID element is the
// wildcard (empty) or its own SSID. A body without an SSID element, or
// with a malformed element list, gets no answer.
bool probe_request_wants(ByteView probe_request_body, ByteView our_ssid);
// The AP's Probe Response template (build_beacon) addressed to one station.
Bytes address_probe_response(ByteView probe_response_template, const MacAddress& destination);

// Deauthentication or Disassociation with a reason code (§9.4.1.7).
Bytes build_deauthentication(const MacAddress& destination, const MacAddress& bssid, uint16_t reason,
                             bool disassociation = false);

}  // namespace lanyard
