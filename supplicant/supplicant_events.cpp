#include "supplicant/supplicant_events.h"

#include "common/ctrl_socket.h"
#include "common/log.h"
#include "methods/eap_types.h"

namespace lanyard::supplicant {

std::string event_eap_started() { return "CTRL-EVENT-EAP-STARTED EAP authentication started"; }

std::string event_eap_proposed_method(uint8_t type) {
    return "CTRL-EVENT-EAP-PROPOSED-METHOD vendor=0 method=" + std::to_string(type);
}

std::string event_eap_method_selected(uint8_t type) {
    return "CTRL-EVENT-EAP-METHOD EAP vendor 0 method " + std::to_string(type) + " (" + eap::type_name(type) +
           ") selected";
}

std::string event_eap_success() { return "CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully"; }

std::string event_eap_failure() { return "CTRL-EVENT-EAP-FAILURE EAP authentication failed"; }

std::string event_connected(const MacAddress& bssid, int network_id, std::string_view id_str) {
    return "CTRL-EVENT-CONNECTED - Connection to " + bssid.to_string() + " completed [id=" +
           std::to_string(network_id) + " id_str=" + std::string(id_str) + "]";
}

std::string event_disconnected(const MacAddress& bssid, int reason, bool locally_generated) {
    std::string s = "CTRL-EVENT-DISCONNECTED bssid=" + bssid.to_string() + " reason=" + std::to_string(reason);
    if (locally_generated) s += " locally_generated=1";
    return s;
}

void SupplicantEvents::emit(const std::string& text) {
    ++emitted_;
    LOG_INFO("supplicant", "%s", text.c_str());
    if (ctrl_ != nullptr) ctrl_->broadcast(CtrlLevel::kInfo, text);
}

}  // namespace lanyard::supplicant
