// One authenticator port for one supplicant address (IEEE 802.1X-2004 §8.2:
// Authenticator PAE §8.2.4, Backend Authentication §8.2.9 and the
// Reauthentication Timer §8.2.8, with their timers), glued to an EAP
// authenticator (local, or a RADIUS pass-through behind the same interface).
//
//   AuthenticatorPort port(sta_mac, config, eap_server_adapter, sink);
//   port.set_port_enabled(true, now);      // station associated / first frame seen
//   port.receive(src, eapol_pdu, now);     // every EAPOL frame from that station
//   port.tick(now);                        // when now >= next_timeout()
//   port.eap_result(result, now);          // e.g. the RADIUS server answered
//   port.set_port_enabled(false, now);     // station gone
//
// Out (to the sink): EAP-Packet frames to the supplicant, authPortStatus
// changes, state changes for logs, EAPOL-Key frames.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/mac_address.h"
#include "eapol/authenticator_pae.h"
#include "eapol/authenticator_variables.h"
#include "eapol/backend_authentication.h"
#include "eapol/eap_layer.h"
#include "eapol/eapol_counters.h"
#include "eapol/eapol_frame.h"
#include "common/mac_address.h"
#include "eapol/port_outputs.h"
#include "eapol/port_sink.h"
#include "eapol/reauth_timer.h"

namespace lanyard::eapol {

struct AuthenticatorPortConfig {
    AuthenticatorPaeTimers pae;             // quietPeriod 60 s, reAuthMax 2
    BackendAuthenticationTimers backend;    // serverTimeout 30 s, suppTimeout 30 s
    ReauthTimerSettings reauth;             // reAuthPeriod 3600 s, reAuthEnabled
    // Protocol version we send (hostapd's eapol_version; default 2).
    uint8_t eapol_version = kVersion2004;
    PortControl port_control = PortControl::kAuto;
    bool port_valid = true;
};

class AuthenticatorPort : private AuthenticatorPaeActions, private BackendAuthenticationActions {
public:
    // eap and sink must outlive the port.
    AuthenticatorPort(const MacAddress& supplicant, const AuthenticatorPortConfig& config, PaeEapServer& eap,
                      PortSink& sink);
    AuthenticatorPort(const AuthenticatorPort&) = delete;
    AuthenticatorPort& operator=(const AuthenticatorPort&) = delete;

    // §8.2.2.2 initialize: resets every machine.
    void initialize(TimePoint now);
    void set_port_enabled(bool enabled, TimePoint now);
    void set_port_valid(bool valid, TimePoint now);
    void set_port_control(PortControl control, TimePoint now);
    // Management reauthenticate (§8.2.8 reAuthenticate; hostapd_cli's
    // EAPOL_REAUTH).
    void reauthenticate(TimePoint now);

    // An EAPOL PDU from source; frames from another address are dropped.
    void receive(const MacAddress& source, ByteView pdu, TimePoint now);
    // An EAP decision the adapter returned kPending for earlier.
    void eap_result(const EapServerResult& result, TimePoint now);
    void tick(TimePoint now);
    std::optional<TimePoint> next_timeout() const;

    const MacAddress& supplicant() const { return supplicant_; }
    AuthenticatorPaeState pae_state() const { return pae_.state(); }
    BackendAuthenticationState backend_state() const { return backend_.state(); }
    ReauthTimerState reauth_state() const { return reauth_.state(); }
    PortStatus port_status() const { return vars_.authPortStatus; }
    bool key_available() const { return vars_.eap.keyAvailable; }
    const EapolCounters& counters() const { return counters_; }
    const AuthenticatorVariables& variables() const { return vars_; }

    // The dot1xAuth* state, configuration and statistics as key=value lines
    // (IEEE8021-PAE-MIB object names, state values as numbers), for
    // hostapd_cli STA / MIB output.
    std::string mib_text() const;

private:
    // AuthenticatorPaeActions / BackendAuthenticationActions.
    void tx_canned_success() override;
    void tx_canned_fail() override;
    void tx_req() override;
    void send_resp_to_server() override;
    void abort_auth() override;

    void send(PacketType type, ByteView body);
    void tx_canned(uint8_t code);
    void handle_pdu(const MacAddress& source, ByteView pdu);
    void apply(const EapServerResult& result);
    bool step_eap(TimePoint now);
    void settle(TimePoint now);
    void finish(TimePoint now);

    MacAddress supplicant_;
    AuthenticatorPortConfig config_;
    PaeEapServer& eap_;
    PortSink& sink_;

    AuthenticatorVariables vars_;
    AuthenticatorPae pae_;
    BackendAuthentication backend_;
    ReauthTimer reauth_;
    Bytes rx_eap_;                 // the EAP packet of the last EAP-Packet frame
    uint8_t last_identifier_ = 0;  // of the last EAP packet seen, for canned packets
    EapolCounters counters_;
    PortOutputs outputs_;
    PortStatus reported_status_ = PortStatus::kUnauthorized;
    TimePoint now_{};
};

}  // namespace lanyard::eapol
