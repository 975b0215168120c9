// One supplicant port (IEEE 802.1X-2004 §8.2: Supplicant PAE §8.2.11 and
// Supplicant Backend §8.2.12 with their timers), glued to an EAP peer.
//
// A daemon drives it with events and time, and acts on what reaches its
// PortSink:
//
//   SupplicantPort port(own_mac, config, eap_peer_adapter, sink);
//   port.set_port_enabled(true, now);       // link up / associated → EAPOL-Start
//   port.receive(src, eapol_pdu, now);      // every EAPOL frame for us
//   port.tick(now);                         // when now >= next_timeout()
//   port.eap_result(result, now);           // an EAP answer that came later
//   port.set_user_logoff(true, now);        // logoff → EAPOL-Logoff
//
// Out (to the sink): EAPOL PDUs to send (EAPOL-Start, EAPOL-Logoff,
// EAP-Packet), suppPortStatus changes, state changes for logs, EAPOL-Key
// frames. Nothing here reads a clock or touches a socket.
#pragma once

#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/mac_address.h"
#include "eapol/eap_layer.h"
#include "eapol/eapol_counters.h"
#include "eapol/eapol_frame.h"
#include "common/mac_address.h"
#include "eapol/port_outputs.h"
#include "eapol/port_sink.h"
#include "eapol/supplicant_backend.h"
#include "eapol/supplicant_pae.h"
#include "eapol/supplicant_variables.h"

namespace lanyard::eapol {

struct SupplicantPortConfig {
    SupplicantPaeTimers pae;                  // startPeriod 30 s, heldPeriod 60 s, maxStart 3
    Duration auth_period = seconds(30);       // authPeriod
    // Protocol version we send (wpa_supplicant's eapol_version; default 1).
    uint8_t eapol_version = kVersion2001;
    // Where our frames go: the BSSID on 802.11, the PAE group address on a
    // wired port (IEEE 802.1X-2010 §11.1.1).
    MacAddress authenticator = kPaeGroupAddress;
    PortControl port_control = PortControl::kAuto;
    bool port_valid = true;  // portValid: wired ports are always valid
};

class SupplicantPort : private SupplicantPaeActions, private SupplicantBackendActions {
public:
    // eap and sink must outlive the port.
    SupplicantPort(const MacAddress& own_address, const SupplicantPortConfig& config, PaeEapPeer& eap,
                   PortSink& sink);
    SupplicantPort(const SupplicantPort&) = delete;
    SupplicantPort& operator=(const SupplicantPort&) = delete;

    // §8.2.2.2 initialize: resets every machine (management "initialize").
    void initialize(TimePoint now);
    // portEnabled: the link (or 802.11 association) is up.
    void set_port_enabled(bool enabled, TimePoint now);
    // portValid: 802.11 key machines say the association is protected.
    void set_port_valid(bool valid, TimePoint now);
    void set_port_control(PortControl control, TimePoint now);
    // userLogoff (§8.2.11.1.2): true sends EAPOL-Logoff; false lets it start again.
    void set_user_logoff(bool logoff, TimePoint now);
    // A new destination (e.g. after roaming to another BSSID).
    void set_authenticator_address(const MacAddress& address) { config_.authenticator = address; }

    // An EAPOL PDU from source (the Ethernet payload). Malformed frames are
    // counted and dropped without any state change.
    void receive(const MacAddress& source, ByteView pdu, TimePoint now);
    // An EAP decision the adapter returned kPending for earlier.
    void eap_result(const EapPeerResult& result, TimePoint now);
    // Runs timers due at now (the machines' and the EAP peer's).
    void tick(TimePoint now);
    // When tick() is next needed; nullopt: only on an event.
    std::optional<TimePoint> next_timeout() const;

    SupplicantPaeState pae_state() const { return pae_.state(); }
    SupplicantBackendState backend_state() const { return backend_.state(); }
    PortStatus port_status() const { return vars_.suppPortStatus; }
    bool key_available() const { return vars_.eap.keyAvailable; }
    const EapolCounters& counters() const { return counters_; }
    const SupplicantVariables& variables() const { return vars_; }
    const MacAddress& own_address() const { return own_address_; }

    // wpa_supplicant STATUS lines: "Supplicant PAE state=AUTHENTICATED",
    // "suppPortStatus=Authorized", "EAP state=SUCCESS".
    std::string status_text() const;
    // The dot1xSupp* configuration, state and statistics as key=value lines
    // (IEEE8021-PAE-MIB object names), for STATUS-VERBOSE / MIB.
    std::string mib_text() const;

private:
    // SupplicantPaeActions / SupplicantBackendActions.
    void tx_start() override;
    void tx_logoff() override;
    void get_supp_rsp() override;
    void tx_supp_rsp() override;
    void abort_supp() override;

    void send(PacketType type, ByteView body);
    void handle_pdu(const MacAddress& source, ByteView pdu);
    void apply(const EapPeerResult& result);
    bool step_eap(TimePoint now);
    // Runs due timers, then every machine until none changes (bounded).
    void settle(TimePoint now);
    void finish(TimePoint now);

    MacAddress own_address_;
    SupplicantPortConfig config_;
    PaeEapPeer& eap_;
    PortSink& sink_;

    SupplicantVariables vars_;
    SupplicantPae pae_;
    SupplicantBackend backend_;
    Bytes rx_eap_;  // the EAP packet of the last EAP-Packet frame
    EapolCounters counters_;
    PortOutputs outputs_;
    PortStatus reported_status_ = PortStatus::kUnauthorized;
    TimePoint now_{};
};

}  // namespace lanyard::eapol
