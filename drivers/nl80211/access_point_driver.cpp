#include "drivers/nl80211/access_point_driver.h"

#include <linux/nl80211.h>

#include "common/log.h"
#include "drivers/eapol_ethernet.h"
#include "drivers/nl80211/nl80211_commands.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "nl80211-ap";
constexpr size_t kMaxSsidSize = 32;

}  // namespace

BeaconParameters Nl80211AccessPointDriver::beacon_parameters(const Nl80211AccessPointOptions& options,
                                                             const MacAddress& bssid) {
    BeaconParameters parameters;
    parameters.bssid = bssid;
    parameters.ssid = options.ssid;
    parameters.band = options.band;
    parameters.channel = options.channel;
    parameters.beacon_interval_tu = options.beacon_interval_tu;
    parameters.rsn_element = options.rsn.rsn_element;
    return parameters;
}

Result<std::unique_ptr<Nl80211AccessPointDriver>> Nl80211AccessPointDriver::open(
    EventLoop& loop, const Nl80211AccessPointOptions& options) {
    if (options.ssid.empty() || options.ssid.size() > kMaxSsidSize) {
        return make_error(ErrorCode::kConfig, "AP: SSID must be 1-32 octets");
    }
    if (options.dtim_period == 0) return make_error(ErrorCode::kConfig, "AP: DTIM period 0");
    auto frequency = channel_to_frequency_mhz(options.band, options.channel);
    if (!frequency) return frequency.error();
    auto opened = open_interface(loop, options.common);
    if (!opened) return opened.error();
    // The beacon is built once here so a bad RSN element fails before any change.
    LANYARD_TRY(build_beacon(beacon_parameters(options, opened->interface.address)));

    WiphyRequirements requirements;
    requirements.interface_type = NL80211_IFTYPE_AP;
    requirements.cipher_suites = options.rsn.required_ciphers();
    requirements.control_port_over_nl80211 = !options.common.allow_packet_socket;
    requirements.frequency_mhz = *frequency;
    LANYARD_TRY(check_wiphy(opened->capabilities, requirements));
    auto transport = choose_transport(opened->capabilities, options.common);
    if (!transport) return transport.error();

    if (opened->interface.interface_type != NL80211_IFTYPE_AP) {
        LANYARD_TRY(set_interface_up(options.common.interface_name, false));
        LANYARD_TRY(set_interface_type(*opened->socket, opened->interface.interface_index, NL80211_IFTYPE_AP));
    }
    LANYARD_TRY(set_interface_up(options.common.interface_name, true));

    std::unique_ptr<Nl80211AccessPointDriver> driver(
        new Nl80211AccessPointDriver(loop, options, std::move(*opened), *transport, *frequency));
    LANYARD_TRY(driver->start_receiving());
    if (driver->user_space_sme_) LANYARD_TRY(driver->register_sme_frames());
    LANYARD_TRY(driver->start_ap());
    return driver;
}

Nl80211AccessPointDriver::Nl80211AccessPointDriver(EventLoop& loop, const Nl80211AccessPointOptions& options,
                                                   Opened opened, EapolTransport transport, uint32_t frequency_mhz)
    : Nl80211DriverBase(loop, options.common, std::move(opened), transport, /*set_default_group_keys=*/true),
      options_(options),
      frequency_mhz_(frequency_mhz) {
    user_space_sme_ = !capabilities().device_ap_sme;
}

Nl80211AccessPointDriver::~Nl80211AccessPointDriver() {
    if (!started_) return;
    auto message = socket().message(NL80211_CMD_STOP_AP);
    message->u32(NL80211_ATTR_IFINDEX, interface_index());
    Status stopped = socket().request(*message, "STOP_AP");
    if (!stopped) LOG_WARN(kLog, "%s: %s", interface_name().c_str(), stopped.error().detail.c_str());
}

Status Nl80211AccessPointDriver::register_sme_frames() {
    for (ManagementSubtype subtype : {ManagementSubtype::kProbeRequest, ManagementSubtype::kAuthentication, ManagementSubtype::kAssociationRequest,
                                      ManagementSubtype::kReassociationRequest, ManagementSubtype::kDisassociation,
                                      ManagementSubtype::kDeauthentication}) {
        LANYARD_TRY(register_frame(socket(), interface_index(), management_frame_type(subtype)));
    }
    return ok_status();
}

Status Nl80211AccessPointDriver::start_ap() {
    auto beacon = build_beacon(beacon_parameters(options_, own_address()));
    if (!beacon) return beacon.error();
    const RsnSettings& rsn = options_.rsn;
    auto message = socket().message(NL80211_CMD_START_AP);
    message->u32(NL80211_ATTR_IFINDEX, interface_index())
        .bytes(NL80211_ATTR_BEACON_HEAD, beacon->head)
        .bytes(NL80211_ATTR_BEACON_TAIL, beacon->tail)
        .bytes(NL80211_ATTR_PROBE_RESP, beacon->probe_response)
        .u32(NL80211_ATTR_BEACON_INTERVAL, options_.beacon_interval_tu)
        .u32(NL80211_ATTR_DTIM_PERIOD, options_.dtim_period)
        .bytes(NL80211_ATTR_SSID, options_.ssid)
        .u32(NL80211_ATTR_HIDDEN_SSID, NL80211_HIDDEN_SSID_NOT_IN_USE)
        .u32(NL80211_ATTR_WIPHY_FREQ, frequency_mhz_)
        .u32(NL80211_ATTR_AUTH_TYPE, NL80211_AUTHTYPE_OPEN_SYSTEM);
    if (rsn.protected_network()) {
        message->flag(NL80211_ATTR_PRIVACY)
            .u32(NL80211_ATTR_WPA_VERSIONS, NL80211_WPA_VERSION_2)
            .u32_array(NL80211_ATTR_AKM_SUITES, {rsn.akm_suite})
            .u32_array(NL80211_ATTR_CIPHER_SUITES_PAIRWISE, {rsn.pairwise_cipher})
            .u32(NL80211_ATTR_CIPHER_SUITE_GROUP, rsn.group_cipher);
    }
    message->flag(NL80211_ATTR_CONTROL_PORT).u16(NL80211_ATTR_CONTROL_PORT_ETHERTYPE, kEapolEthertype);
    switch (transport()) {
        case EapolTransport::kControlPort: message->flag(NL80211_ATTR_CONTROL_PORT_OVER_NL80211); break;
        case EapolTransport::kPacketSocket: break;
    }
    message->flag(NL80211_ATTR_SOCKET_OWNER);
    LANYARD_TRY(socket().request(*message, "START_AP"));
    started_ = true;
    probe_response_ = beacon->probe_response;
    update_link_state(LinkState::kUp);
    LOG_INFO(kLog, "%s: AP started: BSSID %s, %u MHz (channel %u), %s, stations via %s, EAPOL via %s",
             interface_name().c_str(), own_address().to_string().c_str(), frequency_mhz_, options_.channel,
             rsn.protected_network() ? "RSN" : "open", user_space_sme_ ? "our SME" : "the device's SME",
             eapol_transport_name(transport()));
    return ok_status();
}

void Nl80211AccessPointDriver::on_event(const Nl80211Event& event) {
    switch (event.command) {
        case NL80211_CMD_FRAME:
            if (user_space_sme_) on_management_frame(event.frame);
            break;
        case NL80211_CMD_FRAME_TX_STATUS: {
            // An association is complete when the station acknowledged our
            // (Re)Association Response.
            auto frame = parse_management_frame(event.frame);
            if (!frame) break;
            const bool response = frame->subtype == ManagementSubtype::kAssociationResponse ||
                                  frame->subtype == ManagementSubtype::kReassociationResponse;
            auto it = stations_.find(frame->destination);
            if (!response || it == stations_.end() || it->second.associated || it->second.aid == 0) break;
            if (event.acked) {
                station_associated(frame->destination, it->second.ies);
            } else {
                LOG_DEBUG(kLog, "%s: %s did not acknowledge the association response", interface_name().c_str(),
                          frame->destination.to_string().c_str());
                (void)delete_station(socket(), interface_index(), frame->destination, kReasonUnspecified);
                station_gone(frame->destination);
            }
            break;
        }
        case NL80211_CMD_NEW_STATION:
            if (!user_space_sme_ && event.mac) station_associated(*event.mac, event.ies);
            break;
        case NL80211_CMD_DEL_STATION:
            if (event.mac) station_gone(*event.mac);
            break;
        case NL80211_CMD_STOP_AP:
            LOG_WARN(kLog, "%s: the kernel stopped the AP", interface_name().c_str());
            started_ = false;
            stations_.clear();
            update_link_state(LinkState::kDown);
            break;
        default: break;  // a plain command number: other events do not concern the AP
    }
}

void Nl80211AccessPointDriver::station_associated(const MacAddress& station, Bytes ies) {
    StationRecord& record = stations_[station];
    record.associated = true;
    record.ies = std::move(ies);
    if (stations().contains(station)) return;  // an EAPOL frame got here first
    if (!EthernetDriverBase::set_port_state(station, PortState::kUnauthorized)) {
        LOG_WARN(kLog, "%s: station table full; deauthenticating %s", interface_name().c_str(), station.to_string().c_str());
        (void)deauthenticate(station, kReasonUnspecified);
        return;
    }
    LOG_INFO(kLog, "%s: %s associated%s", interface_name().c_str(), station.to_string().c_str(),
             rsn_element_of(record.ies) ? " (RSN element present)" : "");
    if (listener() != nullptr) listener()->on_station_arrived(station);
}

void Nl80211AccessPointDriver::station_gone(const MacAddress& station) {
    stations_.erase(station);
    if (stations().contains(station)) EthernetDriverBase::forget_station(station);
}

void Nl80211AccessPointDriver::forget_station(const MacAddress& station) {
    if (!stations().contains(station)) return;
    Status unauthorized = set_station_authorized(socket(), interface_index(), station, PortState::kUnauthorized);
    if (!unauthorized) LOG_DEBUG(kLog, "%s: %s", interface_name().c_str(), unauthorized.error().detail.c_str());
    EthernetDriverBase::forget_station(station);
}

const Bytes* Nl80211AccessPointDriver::station_association_ies(const MacAddress& station) const {
    auto it = stations_.find(station);
    if (it == stations_.end() || !it->second.associated) return nullptr;
    return &it->second.ies;
}

std::optional<Bytes> Nl80211AccessPointDriver::station_rsn_element(const MacAddress& station) const {
    const Bytes* ies = station_association_ies(station);
    if (ies == nullptr) return std::nullopt;
    return rsn_element_of(*ies);
}

Status Nl80211AccessPointDriver::deauthenticate(const MacAddress& station, uint16_t reason) {
    if (user_space_sme_) reply(build_deauthentication(station, own_address(), reason));
    Status deleted = delete_station(socket(), interface_index(), station, reason);
    station_gone(station);
    return deleted;
}

void Nl80211AccessPointDriver::reply(const Bytes& frame) {
    Status sent = send_management_frame(socket(), interface_index(), frame);
    if (!sent) LOG_WARN(kLog, "%s: %s", interface_name().c_str(), sent.error().detail.c_str());
}

}  // namespace lanyard
