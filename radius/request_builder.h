// Builds the Access-Request an 802.1X authenticator sends in EAP
// pass-through (RFC 3579 §2, RFC 3580 §3), attribute for attribute the way
// hostapd's ieee802_1x_encapsulate_radius does, so RADIUS servers that
// recognise hostapd see the same thing from us.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

// RFC 3580 §3.20, §3.21 and hostapd's RADIUS_802_1X_ADDR_FORMAT: upper-case
// hex with '-' ("AA-BB-CC-DD-EE-FF").
std::string format_station_id(const MacAddress& mac);
// RFC 3580 §3.20: Called-Station-Id is the NAS MAC, followed by ":SSID" on
// IEEE 802.11 ("AA-BB-CC-DD-EE-FF:ssid"); the bare MAC when ssid is empty.
std::string format_called_station_id(const MacAddress& nas_mac, std::string_view ssid);
class StationId;
std::string format_called_station_id(const StationId& nas, std::string_view ssid);

// Called-Station-Id / Calling-Station-Id (RFC 2865 §5.30, §5.31): an
// 802.1X NAS names the ends of the link by MAC address (RFC 3580 §3.20,
// §3.21); a VPN gateway by IP address, as charon's eap-radius does.
class StationId {
public:
    StationId() : text_(format_station_id(MacAddress{})) {}
    StationId(const MacAddress& mac) : text_(format_station_id(mac)) {}  // NOLINT: implicit on purpose
    static StationId from_text(std::string text) {
        StationId id;
        id.text_ = std::move(text);
        return id;
    }
    const std::string& str() const { return text_; }
    bool operator==(const StationId&) const = default;

private:
    std::string text_;
};

// The attributes that name the user, the NAS and the two ends of the link,
// common to Access-Requests and Accounting-Requests (RFC 3580 §3).
struct SessionAttributes {
    std::string user_name;                       // omitted when empty
    std::optional<Ipv4Address> nas_ip_address;
    std::string nas_identifier;                  // omitted when empty
    NasPortType nas_port_type = NasPortType::kWireless80211;
    StationId called_station;                    // the NAS (AP/switch port MAC, gateway IP)
    std::string ssid;                            // empty for wired
    StationId calling_station;                   // the supplicant's MAC, the IKE peer's IP
};
// Appends them in hostapd's order: User-Name, NAS-IP-Address,
// NAS-Identifier, NAS-Port-Type, Called-Station-Id, Calling-Station-Id.
Status add_session_attributes(Packet& packet, const SessionAttributes& attributes);

struct AccessRequestParams {
    uint8_t identifier = 0;
    // Random and unique per request (RFC 2865 §3); drawn by the caller.
    Authenticator request_authenticator{};
    SessionAttributes session;                   // user, NAS, stations
    std::optional<uint32_t> nas_port;
    std::optional<uint32_t> framed_mtu;          // RFC 3580 §3.10
    std::string connect_info;                    // e.g. "CONNECT 54Mbps 802.11g"; omitted when empty
    std::optional<ServiceType> service_type;
    std::optional<Bytes> state;                  // echoed from the last Access-Challenge (RFC 2865 §5.24)
    Bytes eap_message;                           // the EAP Response, whole
};

// The request as a Packet, without Message-Authenticator; sign and
// serialize it with encode_access_request (which adds one). Fails when a
// value is too long or the EAP packet does not fit.
Result<Packet> build_access_request(const AccessRequestParams& params);

// build_access_request + encode_access_request.
Result<Bytes> encode_eap_access_request(const AccessRequestParams& params, ByteView secret);

}  // namespace lanyard::radius
