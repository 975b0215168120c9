// EAP pass-through Access-Request builder (RFC 3579 §2, RFC 3580 §3).
#include "radius/request_builder.h"

#include <cstdio>

#include "radius/eap_message.h"
#include "radius/message_authenticator.h"

namespace lanyard::radius {

std::string format_station_id(const MacAddress& mac) {
    const auto& o = mac.octets();
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02X-%02X-%02X-%02X-%02X-%02X", o[0], o[1], o[2], o[3], o[4], o[5]);
    return buf;
}

std::string format_called_station_id(const MacAddress& nas_mac, std::string_view ssid) {
    return format_called_station_id(StationId(nas_mac), ssid);
}

std::string format_called_station_id(const StationId& nas, std::string_view ssid) {
    std::string out = nas.str();
    if (!ssid.empty()) {
        out += ':';
        out += ssid;
    }
    return out;
}

Status add_session_attributes(Packet& p, const SessionAttributes& a) {
    if (!a.user_name.empty()) LANYARD_TRY(add_string(p, attr::kUserName, a.user_name));
    if (a.nas_ip_address) add_ipv4(p, attr::kNasIpAddress, *a.nas_ip_address);
    if (!a.nas_identifier.empty()) LANYARD_TRY(add_string(p, attr::kNasIdentifier, a.nas_identifier));
    add_integer(p, attr::kNasPortType, static_cast<uint32_t>(a.nas_port_type));
    LANYARD_TRY(add_string(p, attr::kCalledStationId, format_called_station_id(a.called_station, a.ssid)));
    LANYARD_TRY(add_string(p, attr::kCallingStationId, a.calling_station.str()));
    return ok_status();
}

Result<Packet> build_access_request(const AccessRequestParams& params) {
    Packet p;
    p.code = static_cast<uint8_t>(Code::kAccessRequest);
    p.identifier = params.identifier;
    p.authenticator = params.request_authenticator;
    LANYARD_TRY(add_session_attributes(p, params.session));
    if (params.service_type) add_integer(p, attr::kServiceType, static_cast<uint32_t>(*params.service_type));
    if (params.nas_port) add_integer(p, attr::kNasPort, *params.nas_port);
    if (params.framed_mtu) add_integer(p, attr::kFramedMtu, *params.framed_mtu);
    if (!params.connect_info.empty()) LANYARD_TRY(add_string(p, attr::kConnectInfo, params.connect_info));
    if (params.state) LANYARD_TRY(p.add(attr::kState, *params.state));
    LANYARD_TRY(add_eap_message(p, params.eap_message));
    return p;
}

Result<Bytes> encode_eap_access_request(const AccessRequestParams& params, ByteView secret) {
    auto p = build_access_request(params);
    if (!p) return p.error();
    // The Message-Authenticator adds 18 octets; serialize_packet re-checks 4096.
    return encode_access_request(*p, secret, /*with_message_authenticator=*/true);
}

}  // namespace lanyard::radius
