// driver=nl80211 for an access point (the authenticator side): switches
// the interface to AP mode, starts the BSS (NL80211_CMD_START_AP with a
// beacon built by drivers/wifi_ies.h), admits stations, carries EAPOL over
// the control port, installs keys and authorizes ports.
//
//   Nl80211AccessPointOptions options;
//   options.common.interface_name = "wlan0";
//   options.ssid = to_bytes("lanyard");
//   options.channel = 6;                               // hw_mode=g
//   options.rsn.rsn_element = our_rsne;                // from eapol/ (empty: open)
//   auto ap = Nl80211AccessPointDriver::open(**loop, options);   // AP running
//   (*ap)->set_listener(&listener);  // on_station_arrived / on_station_left / on_eapol_frame
//   // in on_station_arrived(mac): (*ap)->station_rsn_element(mac) for the 4-way handshake
//
// Stations: a device with its own AP SME (NL80211_ATTR_DEVICE_AP_SME)
// reports them with NL80211_CMD_NEW_STATION/DEL_STATION events. mac80211
// has none, so the driver then runs a minimal one itself: it registers for
// Probe Request, Authentication, (Re)Association Request, Disassociation
// and Deauthentication frames, answers probes for its SSID (or the
// wildcard), answers open-system authentication, adds the station with
// NL80211_CMD_NEW_STATION and answers the association.
//
// The AP belongs to the driver's netlink socket (NL80211_ATTR_SOCKET_OWNER);
// the destructor stops it (NL80211_CMD_STOP_AP).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "drivers/nl80211/nl80211_driver_base.h"
#include "drivers/wifi_ies.h"
#include "drivers/wifi_mgmt_frames.h"

namespace lanyard {

// What the AP answers a (re)association request with (user-space SME only).
// The daemon decides from the station's RSN element (eapol::negotiate_rsn,
// IEEE 802.11-2020 §12.6.3) and answers status 40-45 on a mismatch.
struct AssociationDecision {
    uint16_t status = 0;  // §9.4.1.9; 0 admits the station
    bool mfp = false;     // management frame protection for this station
};
using AssociationPolicy = std::function<AssociationDecision(const MacAddress& station, ByteView ies)>;

struct Nl80211AccessPointOptions {
    Nl80211CommonOptions common;
    Bytes ssid;                           // 1-32 octets; never hidden
    WifiBand band = WifiBand::k2GHz;      // hw_mode g or a
    unsigned channel = 1;
    uint16_t beacon_interval_tu = 100;
    uint8_t dtim_period = 2;
    RsnSettings rsn;                      // empty RSN element: open network
    // Without a policy: an open network admits everyone; a protected one
    // admits stations that send an RSN element (status 72 otherwise), with
    // MFP when rsn.mfp is kRequired.
    AssociationPolicy association_policy;
};

class Nl80211AccessPointDriver final : public Nl80211DriverBase {
public:
    static Result<std::unique_ptr<Nl80211AccessPointDriver>> open(EventLoop& loop,
                                                                  const Nl80211AccessPointOptions& options);
    ~Nl80211AccessPointDriver() override;

    // Unauthorizes the station in the kernel too (best effort), then as
    // Driver::forget_station; the station stays associated.
    void forget_station(const MacAddress& station) override;

    // The (re)association request IEs of an associated station, and the
    // RSN element among them (ID and length included).
    const Bytes* station_association_ies(const MacAddress& station) const;
    std::optional<Bytes> station_rsn_element(const MacAddress& station) const;
    size_t associated_stations() const { return stations_.size(); }

    // Sends Deauthentication with `reason` and removes the station
    // (NL80211_CMD_DEL_STATION); on_station_left follows.
    Status deauthenticate(const MacAddress& station, uint16_t reason);

    bool user_space_sme() const { return user_space_sme_; }
    // Management frames the SME dropped (malformed, another BSSID) or
    // refused (association denied).
    uint64_t frames_refused() const { return frames_refused_; }
    uint32_t frequency_mhz() const { return frequency_mhz_; }

private:
    struct StationRecord {
        bool associated = false;
        uint16_t aid = 0;
        Bytes ies;
    };

    Nl80211AccessPointDriver(EventLoop& loop, const Nl80211AccessPointOptions& options, Opened opened,
                             EapolTransport transport, uint32_t frequency_mhz);
    static BeaconParameters beacon_parameters(const Nl80211AccessPointOptions& options, const MacAddress& bssid);
    Status start_ap();
    Status register_sme_frames();
    void on_event(const Nl80211Event& event) override;
    // The user-space SME (access_point_sme.cpp).
    void on_management_frame(ByteView frame);
    void on_probe_request(const ManagementFrameView& frame);
    void on_authentication(const ManagementFrameView& frame);
    void on_association_request(const ManagementFrameView& frame);
    Status add_kernel_station(const MacAddress& station, const AssociationRequest& request, uint16_t aid, bool mfp);
    AssociationDecision decide(const MacAddress& station, ByteView ies) const;
    std::optional<uint16_t> free_aid() const;
    void station_associated(const MacAddress& station, Bytes ies);
    void station_gone(const MacAddress& station);
    void reply(const Bytes& frame);

    Nl80211AccessPointOptions options_;
    uint32_t frequency_mhz_;
    bool user_space_sme_ = false;
    bool started_ = false;
    Bytes probe_response_;  // template from build_beacon
    std::map<MacAddress, StationRecord> stations_;
    uint64_t frames_refused_ = 0;
};

}  // namespace lanyard
