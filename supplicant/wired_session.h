// One wired 802.1X supplicant session: the SupplicantPort (eapol/) fed by a
// Driver, the EAP peer behind it (through EapPeerAdapter), the port's and
// the peer's timers on the EventLoop, and the wpa_supplicant events. The
// daemon owns one per interface; unit tests run it over the memory driver.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/driver.h"
#include "eapol/port_sink.h"
#include "eapol/supplicant_port.h"
#include "methods/eap_config.h"
#include "methods/eap_peer.h"
#include "supplicant/eap_peer_adapter.h"
#include "supplicant/supplicant_events.h"
#include "supplicant/tls_session_cache.h"

namespace lanyard::supplicant {

// wpa_supplicant's wpa_state values that a wired port goes through.
enum class WpaState { kDisconnected, kAssociated, kCompleted };
const char* wpa_state_name(WpaState state);

struct SessionConfig {
    size_t network_id = 0;      // index of the network block (STATUS id=)
    std::string id_str;         // id_str= of the block
    eapol::SupplicantPortConfig port;
    eap::PeerConfig peer;
};

// The last finished authentication, for the log line and STATUS-VERBOSE.
struct EapTimeline {
    bool success = false;
    std::optional<eap::Type> method;
    unsigned rounds = 0;
    Duration elapsed{0};        // from EAPOL-Start (or the first Request) to the outcome
    bool resumed = false;
};

class WiredSession final : public eapol::PortSink, public DriverListener, private EapPeerObserver {
public:
    // Everything passed by reference must outlive the session. tls may be
    // null when the network runs no TLS method.
    WiredSession(EventLoop& loop, Driver& driver, const eap::PeerCredentials& credentials, tls::Context* tls,
                 TlsSessionCache& cache, RandomSource& random, SupplicantEvents& events, SessionConfig config);
    ~WiredSession() override;
    WiredSession(const WiredSession&) = delete;
    WiredSession& operator=(const WiredSession&) = delete;

    // Attaches to the driver and enables the port when the link is up
    // (IEEE 802.1X-2004 §8.2.11: CONNECTING sends EAPOL-Start).
    void start();
    // wpa_cli logoff / logon (§8.2.11.1.2 userLogoff).
    void logoff();
    void logon();
    // wpa_cli reassociate: start authentication again from DISCONNECTED.
    void reassociate();
    // Daemon shutdown: optionally EAPOL-Logoff, then portEnabled = false;
    // emits CTRL-EVENT-DISCONNECTED; detaches from the driver.
    void stop(bool send_logoff);

    const eapol::SupplicantPort& port() const { return port_; }
    const EapPeerAdapter& eap() const { return adapter_; }
    const Driver& driver() const { return driver_; }
    WpaState wpa_state() const;
    const SessionConfig& config() const { return config_; }
    const std::optional<EapTimeline>& last_timeline() const { return last_; }
    // Frames the session could not send (driver errors).
    uint64_t send_failures() const { return send_failures_; }

    // PortSink
    void send_eapol(const MacAddress& peer, ByteView pdu) override;
    void port_status_changed(const MacAddress& peer, eapol::PortStatus status) override;
    void state_changed(const MacAddress& peer, const eapol::PaeStateChange& change) override;

    // DriverListener
    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override;
    void on_link_state(LinkState state) override;

private:
    // EapPeerObserver
    void eap_started() override;
    void eap_proposed_method(uint8_t type) override;
    void eap_method_selected(uint8_t type) override;
    void eap_succeeded(std::optional<eap::Type> method, unsigned rounds, bool resumed) override;
    void eap_failed(std::optional<eap::Type> method, unsigned rounds, const std::string& reason) override;

    TimePoint now() const { return loop_.clock().now(); }
    // Re-arms the one timer at the port's next deadline.
    void reschedule();
    void on_timer();
    Duration elapsed_since_start() const;

    EventLoop& loop_;
    Driver& driver_;
    SupplicantEvents& events_;
    SessionConfig config_;
    EapPeerAdapter adapter_;
    eapol::SupplicantPort port_;
    TimerId timer_ = kNoTimer;
    bool attached_ = false;
    bool connected_ = false;       // CTRL-EVENT-CONNECTED sent for this association
    bool user_logoff_ = false;
    std::optional<TimePoint> auth_started_;  // EAPOL-Start sent or first Request seen
    std::optional<EapTimeline> last_;
    uint64_t send_failures_ = 0;
};

}  // namespace lanyard::supplicant
