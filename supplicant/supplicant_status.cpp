#include "supplicant/supplicant_status.h"

#include <iterator>
#include <utility>

#include "common/hex.h"
#include "eapol/supplicant_backend.h"
#include "eapol/supplicant_pae.h"
#include "methods/eap_types.h"

namespace lanyard::supplicant {

namespace {

void line(std::string& out, const std::string& key, const std::string& value) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
}

const char* method_state_name(std::optional<eap::MethodState> s) {
    if (!s) return "NONE";
    switch (*s) {
        case eap::MethodState::kInit: return "INIT";
        case eap::MethodState::kCont: return "CONT";
        case eap::MethodState::kMayCont: return "MAY_CONT";
        case eap::MethodState::kDone: return "DONE";
    }
    return "?";
}

const char* decision_name(eap::Decision d) {
    switch (d) {
        case eap::Decision::kFail: return "FAIL";
        case eap::Decision::kCondSucc: return "COND_SUCC";
        case eap::Decision::kUncondSucc: return "UNCOND_SUCC";
    }
    return "?";
}

bool is_tls_method(eap::Type t) { return t == eap::Type::kTls || t == eap::Type::kPeap; }

long long secs(Duration d) { return static_cast<long long>(d.count() / 1000); }

}  // namespace

std::string status_text(const WiredSession& session, bool verbose) {
    const eapol::SupplicantPort& port = session.port();
    const EapPeerAdapter& eap = session.eap();
    const WpaState state = session.wpa_state();
    std::string out;
    // wpa_supplicant prints the association lines only once associated.
    if (state != WpaState::kDisconnected) {
        line(out, "bssid", session.config().port.authenticator.to_string());
        line(out, "freq", "0");
        line(out, "ssid", "");
        line(out, "id", std::to_string(session.config().network_id));
        line(out, "mode", "station");
        if (!session.config().id_str.empty()) line(out, "id_str", session.config().id_str);
        line(out, "pairwise_cipher", "NONE");
        line(out, "group_cipher", "NONE");
        line(out, "key_mgmt", "IEEE 802.1X (no WPA)");
    }
    line(out, "wpa_state", wpa_state_name(state));
    line(out, "address", session.driver().own_address().to_string());
    line(out, "Supplicant PAE state", eapol::supplicant_pae_state_name(port.pae_state()));
    line(out, "suppPortStatus", eapol::port_status_name(port.port_status()));
    if (verbose) {
        const eapol::SupplicantPortConfig& pc = session.config().port;
        line(out, "heldPeriod", std::to_string(secs(pc.pae.held_period)));
        line(out, "authPeriod", std::to_string(secs(pc.auth_period)));
        line(out, "startPeriod", std::to_string(secs(pc.pae.start_period)));
        line(out, "maxStart", std::to_string(pc.pae.max_start));
        line(out, "portControl", eapol::port_control_name(pc.port_control));
        line(out, "Supplicant Backend state", eapol::supplicant_backend_state_name(port.backend_state()));
    }
    line(out, "EAP state", eap.state_name());
    const std::optional<eap::Type> method = eap.peer().selected_method();
    if (method) {
        const uint8_t t = static_cast<uint8_t>(*method);
        line(out, "selectedMethod", std::to_string(t) + " (EAP-" + eap::type_name(t) + ")");
        if (is_tls_method(*method) && eap.peer().state() == eap::PeerState::kSuccess) {
            line(out, "tls_session_reused", eap.last_resumed() ? "1" : "0");
        }
    }
    if (verbose) {
        line(out, "reqMethod", "0");
        line(out, "methodState", method_state_name(eap.peer().method_state()));
        if (const eap::PeerMethod* m = eap.peer().method()) line(out, "decision", decision_name(m->decision()));
        line(out, "ClientTimeout", std::to_string(secs(session.config().peer.client_timeout)));
    }
    if (!eap.session_id().empty()) line(out, "eap_session_id", to_hex(eap.session_id()));
    if (verbose) {
        // Lanyard additions: the last authentication's timeline and what was dropped.
        if (const auto& t = session.last_timeline()) {
            line(out, "last_eap_result", t->success ? "SUCCESS" : "FAILURE");
            line(out, "last_eap_rounds", std::to_string(t->rounds));
            line(out, "last_eap_time_ms", std::to_string(t->elapsed.count()));
            line(out, "last_eap_resumed", t->resumed ? "1" : "0");
        }
        line(out, "eap_successes", std::to_string(eap.successes()));
        line(out, "eap_failures", std::to_string(eap.failures()));
        const eapol::EapolCounters& c = port.counters();
        line(out, "eapol_invalid_frames_rx", std::to_string(c.invalid_eapol_frames_rx));
        line(out, "eap_length_error_frames_rx", std::to_string(c.eap_length_error_frames_rx));
        line(out, "eapol_unsupported_frames_rx", std::to_string(c.unsupported_eapol_frames_rx));
        line(out, "eap_discarded", std::to_string(eap.peer().stats().discarded));
        line(out, "driver_dropped_rx", std::to_string(session.driver().drop_counters().total()));
        line(out, "send_failures", std::to_string(session.send_failures()));
    }
    return out;
}

std::string mib_text(const WiredSession& session) {
    std::string out = session.port().mib_text();
    const DropCounters& drops = session.driver().drop_counters();
    const std::pair<DropReason, const char*> reasons[] = {
        {DropReason::kTooShort, "TooShort"},         {DropReason::kOversize, "Oversize"},
        {DropReason::kWrongEthertype, "WrongEthertype"}, {DropReason::kTruncatedBody, "TruncatedBody"},
        {DropReason::kGroupSource, "GroupSource"},   {DropReason::kFromSelf, "FromSelf"},
        {DropReason::kNotForUs, "NotForUs"},         {DropReason::kNoListener, "NoListener"},
        {DropReason::kStationLimit, "StationLimit"},
    };
    static_assert(std::size(reasons) == kDropReasonCount);
    for (const auto& [reason, name] : reasons) {
        out += std::string("lanyardDriverDropped") + name + "=" + std::to_string(drops.get(reason)) + "\n";
    }
    out += "lanyardDriverFramesRx=" + std::to_string(session.driver().frames_received()) + "\n";
    out += "lanyardDriverFramesTx=" + std::to_string(session.driver().frames_sent()) + "\n";
    out += "lanyardEapDiscarded=" + std::to_string(session.eap().peer().stats().discarded) + "\n";
    return out;
}

}  // namespace lanyard::supplicant
