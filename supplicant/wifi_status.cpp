#include "supplicant/wifi_status.h"

#include "common/hex.h"
#include "common/log.h"
#include "eapol/supplicant_pae.h"
#include "methods/eap_types.h"
#include "supplicant/supplicant_ctrl.h"

namespace lanyard::supplicant {

namespace {
void line(std::string& out, const std::string& key, const std::string& value) {
    out += key;
    out += '=';
    out += value;
    out += '\n';
}

const char* cipher_text(uint32_t suite) {
    switch (suite) {
        case eapol::kCipherCcmp128: return "CCMP";
        case eapol::kCipherGcmp128: return "GCMP";
        case eapol::kCipherCcmp256: return "CCMP-256";
        case eapol::kCipherGcmp256: return "GCMP-256";
        default: return eapol::cipher_suite_name(suite);
    }
}
}  // namespace

const char* wifi_key_mgmt_name(uint32_t akm) {
    return akm == eapol::kAkm8021xSha256 ? "WPA2-EAP-SHA256" : "WPA2/IEEE 802.1X/EAP";
}

std::string wifi_status_text(const WifiSession& session, bool verbose) {
    std::string out;
    const WifiState state = session.state();
    if (const auto& bss = session.bss()) {
        line(out, "bssid", bss->bssid.to_string());
        line(out, "freq", std::to_string(bss->frequency_mhz));
        line(out, "ssid", std::string(session.config().ssid.begin(), session.config().ssid.end()));
        line(out, "id", std::to_string(session.config().network_id));
        line(out, "mode", "station");
        if (!session.config().id_str.empty()) line(out, "id_str", session.config().id_str);
        line(out, "pairwise_cipher", cipher_text(session.pairwise_cipher()));
        line(out, "group_cipher", cipher_text(session.group_cipher()));
        line(out, "key_mgmt", wifi_key_mgmt_name(session.config().akm));
        if (session.config().mfp != eapol::MfpPolicy::kDisabled && session.handshake() != nullptr) {
            line(out, "pmf", std::to_string(static_cast<int>(session.config().mfp)));
        }
    }
    line(out, "wpa_state", wifi_state_name(state));
    line(out, "address", session.driver().own_address().to_string());
    line(out, "Supplicant PAE state", eapol::supplicant_pae_state_name(session.port().pae_state()));
    line(out, "suppPortStatus", eapol::port_status_name(session.port().port_status()));
    const EapPeerAdapter& eap = session.eap();
    line(out, "EAP state", eap.state_name());
    if (const auto method = eap.peer().selected_method()) {
        const uint8_t t = static_cast<uint8_t>(*method);
        line(out, "selectedMethod", std::to_string(t) + " (EAP-" + eap::type_name(t) + ")");
        if ((*method == eap::Type::kTls || *method == eap::Type::kPeap) &&
            eap.peer().state() == eap::PeerState::kSuccess) {
            line(out, "tls_session_reused", eap.last_resumed() ? "1" : "0");
        }
    }
    if (!eap.session_id().empty()) line(out, "eap_session_id", to_hex(eap.session_id()));
    if (verbose) {
        line(out, "pmksa_cache_used", session.pmksa_used() ? "1" : "0");
        line(out, "group_rekeys", std::to_string(session.group_rekeys()));
        line(out, "eap_successes", std::to_string(eap.successes()));
        line(out, "eap_failures", std::to_string(eap.failures()));
        line(out, "send_failures", std::to_string(session.send_failures()));
        if (const auto* hs = session.handshake()) {
            const eapol::HandshakeCounters& c = hs->counters();
            line(out, "key_frames_rx", std::to_string(c.frames_rx));
            line(out, "key_dropped_bad_mic", std::to_string(c.dropped_bad_mic));
            line(out, "key_dropped_replay", std::to_string(c.dropped_replay));
            line(out, "key_reinstalls_refused", std::to_string(c.reinstalls_refused));
        }
    }
    return out;
}

void register_wifi_commands(CtrlSocketServer& server, WifiSession& session, const WpaConfig& config,
                            const eapol::PmksaCache& pmksa, std::function<void()> terminate) {
    server.register_command("STATUS", [&session](std::string_view) { return wifi_status_text(session, false); });
    server.register_command("STATUS-VERBOSE", [&session](std::string_view) { return wifi_status_text(session, true); });
    auto reassociate = [&session](std::string_view) {
        LOG_INFO("supplicant", "control: REASSOCIATE");
        session.reassociate();
        return std::string("OK\n");
    };
    server.register_command("REASSOCIATE", reassociate);
    server.register_command("RECONNECT", reassociate);
    server.register_command("DISCONNECT", [&session](std::string_view) {
        LOG_INFO("supplicant", "control: DISCONNECT");
        session.disconnect();
        return std::string("OK\n");
    });
    server.register_command("ROAM", [&session](std::string_view args) {
        auto bssid = MacAddress::parse(args);
        if (!bssid) return std::string("FAIL\n");
        LOG_INFO("supplicant", "control: ROAM %s", bssid->to_string().c_str());
        return session.roam(*bssid) ? std::string("OK\n") : std::string("FAIL\n");
    });
    server.register_command("PMKSA", [&pmksa](std::string_view) {
        return "entries=" + std::to_string(pmksa.size()) + "\n";
    });
    server.register_command("TERMINATE", [terminate](std::string_view) {
        LOG_INFO("supplicant", "control: TERMINATE");
        if (terminate) terminate();
        return std::string("OK\n");
    });
    server.register_command("LIST_NETWORKS", [&session, &config](std::string_view) {
        return list_networks_text(config, session.config().network_id);
    });
    server.register_command("INTERFACES", [&session](std::string_view) {
        return session.driver().interface_name() + "\n";
    });
}

}  // namespace lanyard::supplicant
