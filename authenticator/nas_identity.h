// What every RADIUS request of this authenticator says about the NAS (RFC
// 2865 §5, RFC 3580 §3), from hostapd.conf's own_ip_addr, nas_identifier
// and the interface's MAC address (and SSID on Wi-Fi).
#pragma once

#include <optional>
#include <string>

#include "common/mac_address.h"
#include "radius/radius_attributes.h"
#include "radius/request_builder.h"

namespace lanyard::authenticator {

struct NasIdentity {
    std::optional<radius::Ipv4Address> ip_address;  // own_ip_addr (IPv4 only; IPv6 is not sent)
    std::string identifier;                         // nas_identifier
    radius::StationId own_address;                  // Called-Station-Id (our MAC; a gateway's IP)
    std::string ssid;                               // appended to Called-Station-Id on Wi-Fi
    radius::NasPortType port_type = radius::NasPortType::kEthernet;
    uint32_t framed_mtu = 1400;                     // as hostapd sends
    std::optional<uint32_t> port;                   // NAS-Port (a VPN gateway: the IKE_SA's id, as charon)

    radius::SessionAttributes session(const radius::StationId& station, const std::string& user_name) const {
        return radius::SessionAttributes{user_name, ip_address, identifier, port_type, own_address, ssid, station};
    }
};

}  // namespace lanyard::authenticator
