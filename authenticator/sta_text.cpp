#include "authenticator/sta_text.h"

#include <cstdio>

#include "methods/eap_types.h"

namespace lanyard::authenticator {

namespace {

std::string eap_type_line(const char* key, uint8_t type) {
    return std::string(key) + "=" + std::to_string(type) + " (" + (type == 0 ? "unknown" : eap::type_name(type)) +
           ")\n";
}

}  // namespace

std::string format_sta(const StationSession& session, uint8_t eapol_version, TimePoint now) {
    const eapol::AuthenticatorPort& port = session.port();
    const bool authorized = port.port_status() == eapol::PortStatus::kAuthorized;
    std::string out = session.station().to_string() + "\n";
    // Wired stations have no association: [AUTHORIZED] is the only flag
    // hostapd shows for them.
    out += authorized ? "flags=[AUTHORIZED]\n" : "flags=\n";
    out +=
        "aid=0\n"
        "capability=0x0\n"
        "listen_interval=0\n"
        "supported_rates=\n"
        "timeout_next=NULLFUNC POLL\n"
        "dot1xPaePortNumber=0\n";
    out += "dot1xPaePortProtocolVersion=" + std::to_string(eapol_version) + "\n";
    out +=
        "dot1xPaePortCapabilities=1\n"
        "dot1xPaePortInitialize=0\n"
        "dot1xPaePortReauthenticate=FALSE\n";
    out += port.mib_text();
    const StationEapServer& eap = session.eap();
    long session_time = 0;
    if (session.authorized_since) {
        session_time = static_cast<long>((now - *session.authorized_since).count() / 1000);
    }
    out += "dot1xAuthSessionTime=" + std::to_string(session_time) + "\n";
    out += "dot1xAuthSessionUserName=" + eap.identity() + "\n";
    // last_eap_type_as: the back-end's (RADIUS) method; 0 with the integrated server.
    out += eap_type_line("last_eap_type_as", eap.backend_method_type());
    out += eap_type_line("last_eap_type_sta", eap.method_type());
    return out;
}

std::string format_status(const Authenticator& authenticator) {
    const lanyard::Driver& driver = authenticator.driver();
    std::string out =
        "state=ENABLED\n"
        "phy=\n"
        "freq=0\n"
        "num_sta_non_erp=0\n"
        "num_sta_no_short_slot_time=0\n"
        "num_sta_no_short_preamble=0\n"
        "olbc=0\n"
        "num_sta_ht_no_gf=0\n"
        "num_sta_no_ht=0\n"
        "num_sta_ht_20_mhz=0\n"
        "num_sta_ht40_intolerant=0\n"
        "olbc_ht=0\n"
        "ht_op_mode=0x0\n"
        "cac_time_seconds=0\n"
        "cac_time_left_seconds=N/A\n"
        "channel=0\n"
        "edmg_enable=0\n"
        "edmg_channel=0\n"
        "secondary_channel=0\n"
        "ieee80211n=0\n"
        "ieee80211ac=0\n"
        "ieee80211ax=0\n"
        "beacon_int=100\n"
        "dtim_period=2\n";
    out += "bss[0]=" + driver.interface_name() + "\n";
    out += "bssid[0]=" + driver.own_address().to_string() + "\n";
    out += "ssid[0]=\n";
    out += "num_sta[0]=" + std::to_string(authenticator.station_count()) + "\n";
    return out;
}

std::string format_mib(const Authenticator& authenticator) {
    const AuthenticatorStats& s = authenticator.stats();
    char buf[512];
    std::snprintf(buf, sizeof(buf),
                  "dot1xPaeSystemAuthControl=1\n"
                  "lanyardStations=%zu\n"
                  "lanyardStationsCreated=%llu\n"
                  "lanyardStationsEvicted=%llu\n"
                  "lanyardFramesDroppedTableFull=%llu\n"
                  "lanyardEapSuccesses=%llu\n"
                  "lanyardEapFailures=%llu\n",
                  authenticator.station_count(), static_cast<unsigned long long>(s.stations_created),
                  static_cast<unsigned long long>(s.stations_evicted),
                  static_cast<unsigned long long>(s.frames_dropped_full),
                  static_cast<unsigned long long>(s.eap_successes),
                  static_cast<unsigned long long>(s.eap_failures));
    return buf;
}

}  // namespace lanyard::authenticator
