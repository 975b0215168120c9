// wpa_supplicant's control-interface events (names and texts as Debian's
// wpa_supplicant 2.10 prints them, level 3 = MSG_INFO), delivered to the
// log (info level, so tests can grep -f LOGFILE) and to attached monitors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/mac_address.h"

namespace lanyard {
class CtrlSocketServer;
}

namespace lanyard::supplicant {

// Texts (without the "<3>" prefix the control socket adds).
std::string event_eap_started();
std::string event_eap_proposed_method(uint8_t type);
std::string event_eap_method_selected(uint8_t type);
std::string event_eap_success();
std::string event_eap_failure();
std::string event_connected(const MacAddress& bssid, int network_id, std::string_view id_str);
// reason 3 = WLAN_REASON_DEAUTH_LEAVING (IEEE 802.11 Table 9-49).
std::string event_disconnected(const MacAddress& bssid, int reason, bool locally_generated);

class SupplicantEvents {
public:
    // ctrl may be null (no control interface); it must outlive this object
    // or be detached with set_ctrl(nullptr).
    explicit SupplicantEvents(CtrlSocketServer* ctrl = nullptr) : ctrl_(ctrl) {}
    virtual ~SupplicantEvents() = default;
    void set_ctrl(CtrlSocketServer* ctrl) { ctrl_ = ctrl; }

    // Logs the text at info level and broadcasts it at level 3.
    virtual void emit(const std::string& text);
    uint64_t emitted() const { return emitted_; }

private:
    CtrlSocketServer* ctrl_;
    uint64_t emitted_ = 0;
};

}  // namespace lanyard::supplicant
