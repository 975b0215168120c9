// WifiLink over the nl80211 station driver. Header-only on purpose: it is
// included by supplicant/main.cpp alone, so liblanyard (and the unit tests)
// never reference drivers/nl80211.
#pragma once

#include "drivers/nl80211/station_driver.h"
#include "supplicant/wifi_link.h"

namespace lanyard::supplicant {

class Nl80211WifiLink final : public WifiLink, private Nl80211StationListener {
public:
    explicit Nl80211WifiLink(Nl80211StationDriver& driver) : driver_(driver) { driver_.set_station_listener(this); }
    // The driver may already be gone (the daemon owns it): not touched here.
    ~Nl80211WifiLink() override = default;

    void set_link_listener(WifiLinkListener* listener) override { listener_ = listener; }

    Status associate(const WifiConnectRequest& request) override {
        ConnectParameters p;
        p.ssid = request.ssid;
        p.bssid = request.bssid;
        p.frequency_mhz = request.frequency_mhz;
        p.active_scan = request.active_scan;
        p.rsn.rsn_element = request.rsn_element;
        p.rsn.akm_suite = request.akm;
        p.rsn.pairwise_cipher = request.pairwise_cipher;
        p.rsn.group_cipher = request.group_cipher;
        p.rsn.mfp = request.mfp >= 2   ? MgmtFrameProtection::kRequired
                    : request.mfp == 1 ? MgmtFrameProtection::kOptional
                                       : MgmtFrameProtection::kDisabled;
        return driver_.connect(p);
    }
    Status disassociate(uint16_t reason) override { return driver_.disconnect(reason); }
    std::optional<uint32_t> frequency_of(const MacAddress& bssid) const override {
        for (const ScanBss& bss : driver_.last_scan_results()) {
            if (bss.bssid == bssid) return bss.frequency_mhz;
        }
        return std::nullopt;
    }

private:
    void on_connected(const ScanBss& bss) override {
        if (listener_ != nullptr) listener_->on_associated(bss);
    }
    void on_connect_failed(const Error& error) override {
        if (listener_ != nullptr) listener_->on_association_failed(error.detail);
    }
    void on_disconnected(uint16_t reason, bool by_ap) override {
        if (listener_ != nullptr) listener_->on_link_lost(reason, by_ap);
    }

    Nl80211StationDriver& driver_;
    WifiLinkListener* listener_ = nullptr;
};

}  // namespace lanyard::supplicant
