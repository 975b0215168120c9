// The user-space AP SME of Nl80211AccessPointDriver (see the header): for
// devices without their own (mac80211), it answers Probe Requests
// (IEEE 802.11-2020 §11.1.4.3), open-system Authentication (§12.3.3.2) and
// (Re)Association Requests (§11.3.5.3), and adds the station to the kernel.
#include <linux/nl80211.h>

#include "common/log.h"
#include "drivers/nl80211/access_point_driver.h"
#include "drivers/nl80211/nl80211_commands.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "nl80211-ap";
constexpr uint16_t kMaxAid = 2007;               // IEEE 802.11-2020 §9.4.1.8
constexpr size_t kMaxStationRates = 32;          // NL80211_MAX_SUPP_RATES
constexpr uint16_t kStatusInvalidRsne = 72;      // §9.4.1.9, Table 9-50
constexpr uint16_t kReasonNotAuthenticated = 9;  // §9.4.1.7, Table 9-49

}  // namespace

void Nl80211AccessPointDriver::on_management_frame(ByteView bytes) {
    auto frame = parse_management_frame(bytes);
    if (!frame) {
        ++frames_refused_;
        LOG_DEBUG(kLog, "%s: dropped management frame: %s", interface_name().c_str(), frame.error().detail.c_str());
        return;
    }
    // Probe requests may carry the wildcard BSSID (§11.1.4.3.2).
    const bool wildcard_ok = frame->subtype == ManagementSubtype::kProbeRequest && frame->bssid.is_broadcast();
    if ((frame->bssid != own_address() && !wildcard_ok) || frame->source.is_group()) {
        ++frames_refused_;
        LOG_DEBUG(kLog, "%s: dropped management frame for BSSID %s", interface_name().c_str(),
                  frame->bssid.to_string().c_str());
        return;
    }
    switch (frame->subtype) {
        case ManagementSubtype::kProbeRequest: on_probe_request(*frame); break;
        case ManagementSubtype::kAuthentication: on_authentication(*frame); break;
        case ManagementSubtype::kAssociationRequest:
        case ManagementSubtype::kReassociationRequest: on_association_request(*frame); break;
        case ManagementSubtype::kDisassociation:
        case ManagementSubtype::kDeauthentication:
            if (stations_.count(frame->source) != 0) {
                LOG_INFO(kLog, "%s: %s left", interface_name().c_str(), frame->source.to_string().c_str());
                (void)delete_station(socket(), interface_index(), frame->source, kReasonDeauthLeaving);
                station_gone(frame->source);
            }
            break;
        case ManagementSubtype::kAssociationResponse:
        case ManagementSubtype::kReassociationResponse:
        case ManagementSubtype::kProbeResponse:
        case ManagementSubtype::kBeacon:
        case ManagementSubtype::kAction: break;  // not registered for
    }
}

void Nl80211AccessPointDriver::on_probe_request(const ManagementFrameView& frame) {
    if (!started_ || !probe_request_wants(frame.body, options_.ssid)) return;
    // No ACK is expected for a Probe Response to matter (§11.1.4.3.4).
    auto message = socket().message(NL80211_CMD_FRAME);
    message->u32(NL80211_ATTR_IFINDEX, interface_index())
        .bytes(NL80211_ATTR_FRAME, address_probe_response(probe_response_, frame.source))
        .flag(NL80211_ATTR_DONT_WAIT_FOR_ACK);
    Status sent = socket().request(*message, "FRAME (probe response)");
    if (!sent) LOG_DEBUG(kLog, "%s: %s", interface_name().c_str(), sent.error().detail.c_str());
}

void Nl80211AccessPointDriver::on_authentication(const ManagementFrameView& frame) {
    auto body = parse_authentication(frame.body);
    if (!body || body->transaction != 1) {
        ++frames_refused_;
        LOG_DEBUG(kLog, "%s: dropped authentication frame from %s", interface_name().c_str(), frame.source.to_string().c_str());
        return;
    }
    if (body->algorithm != kAuthAlgorithmOpenSystem) {
        reply(build_authentication_response(frame.source, own_address(), kStatusAuthAlgorithmNotSupported));
        return;
    }
    auto it = stations_.find(frame.source);
    if (it != stations_.end() && it->second.aid != 0) {
        // A new authentication ends the old association (§11.3.1).
        (void)delete_station(socket(), interface_index(), frame.source, kReasonUnspecified);
        station_gone(frame.source);
    } else if (it == stations_.end() && stations_.size() >= options_.common.station_limit) {
        reply(build_authentication_response(frame.source, own_address(), kStatusApFull));
        return;
    }
    stations_[frame.source] = StationRecord{};
    reply(build_authentication_response(frame.source, own_address(), kStatusSuccess));
}

void Nl80211AccessPointDriver::on_association_request(const ManagementFrameView& frame) {
    auto it = stations_.find(frame.source);
    if (it == stations_.end()) {
        reply(build_deauthentication(frame.source, own_address(), kReasonNotAuthenticated));
        return;
    }
    auto request = parse_association_request(frame.subtype, frame.body);
    const uint16_t capability = beacon_capability(beacon_parameters(options_, own_address()));
    const bool reassociation = frame.subtype == ManagementSubtype::kReassociationRequest;
    auto refuse = [&](uint16_t status, const std::string& why) {
        ++frames_refused_;
        LOG_INFO(kLog, "%s: refused association of %s: %s", interface_name().c_str(), frame.source.to_string().c_str(), why.c_str());
        reply(build_association_response(frame.source, own_address(), reassociation, capability, status, 0,
                                         band_rates(options_.band)));
    };
    if (!request) return refuse(kStatusUnspecifiedFailure, request.error().detail);
    if (!equal_bytes(request->ssid, options_.ssid)) return refuse(kStatusUnspecifiedFailure, "another SSID");
    const AssociationDecision decision = decide(frame.source, request->ies);
    if (decision.status != kStatusSuccess) {
        return refuse(decision.status, "association policy answered status " + std::to_string(decision.status));
    }
    if (it->second.aid != 0) {
        // Reassociation of an associated station: start over.
        (void)delete_station(socket(), interface_index(), frame.source, kReasonUnspecified);
        station_gone(frame.source);
        stations_[frame.source] = StationRecord{};
    }
    auto aid = free_aid();
    if (!aid) return refuse(kStatusApFull, "no association ID left");
    Status added = add_kernel_station(frame.source, *request, *aid, decision.mfp);
    if (!added) return refuse(kStatusUnspecifiedFailure, added.error().detail);
    StationRecord& record = stations_[frame.source];
    record.aid = *aid;
    record.ies.assign(request->ies.begin(), request->ies.end());
    // The station counts as arrived once it acknowledges this response
    // (FRAME_TX_STATUS), so our first EAPOL frame cannot overtake it.
    reply(build_association_response(frame.source, own_address(), reassociation, capability, kStatusSuccess, *aid,
                                     band_rates(options_.band)));
}

AssociationDecision Nl80211AccessPointDriver::decide(const MacAddress& station, ByteView ies) const {
    if (options_.association_policy) return options_.association_policy(station, ies);
    AssociationDecision decision;
    if (!options_.rsn.protected_network()) return decision;
    if (!rsn_element_of(ies)) decision.status = kStatusInvalidRsne;
    switch (options_.rsn.mfp) {
        case MgmtFrameProtection::kDisabled:
        case MgmtFrameProtection::kOptional: break;  // needs the station's RSN capabilities: give a policy
        case MgmtFrameProtection::kRequired: decision.mfp = true; break;
    }
    return decision;
}

Status Nl80211AccessPointDriver::add_kernel_station(const MacAddress& station, const AssociationRequest& request,
                                                    uint16_t aid, bool mfp) {
    nl80211_sta_flag_update flags{};
    flags.mask = (1u << NL80211_STA_FLAG_AUTHENTICATED) | (1u << NL80211_STA_FLAG_ASSOCIATED) |
                 (1u << NL80211_STA_FLAG_AUTHORIZED) | (1u << NL80211_STA_FLAG_MFP);
    flags.set = (1u << NL80211_STA_FLAG_AUTHENTICATED) | (1u << NL80211_STA_FLAG_ASSOCIATED);
    if (mfp) flags.set |= 1u << NL80211_STA_FLAG_MFP;
    const ByteView rates = ByteView(request.supported_rates).first(std::min(request.supported_rates.size(), kMaxStationRates));
    auto message = socket().message(NL80211_CMD_NEW_STATION);
    message->u32(NL80211_ATTR_IFINDEX, interface_index())
        .mac(NL80211_ATTR_MAC, station)
        .u16(NL80211_ATTR_STA_AID, aid)
        .bytes(NL80211_ATTR_STA_SUPPORTED_RATES, rates)
        .u16(NL80211_ATTR_STA_LISTEN_INTERVAL, request.listen_interval)
        .u16(NL80211_ATTR_STA_CAPABILITY, request.capability)
        .bytes(NL80211_ATTR_STA_FLAGS2, ByteView(reinterpret_cast<const uint8_t*>(&flags), sizeof(flags)));
    return socket().request(*message, "NEW_STATION");
}

std::optional<uint16_t> Nl80211AccessPointDriver::free_aid() const {
    for (uint16_t aid = 1; aid <= kMaxAid; ++aid) {
        bool used = false;
        for (const auto& [mac, record] : stations_) used = used || record.aid == aid;
        if (!used) return aid;
    }
    return std::nullopt;
}

}  // namespace lanyard
