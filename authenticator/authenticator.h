// The wired authenticator's core: one StationSession per supplicant MAC on
// one driver, stepped from the driver's frames and from loop timers. No
// files, sockets or signals here (authenticator_daemon.h does those), so
// tests run it over the memory driver pair with a FakeClock.
//
// A station appears with its first EAPOL frame (EAPOL-Start, or a Response);
// like wired hostapd, EAP starts when the port machines say so (on the
// EAPOL-Start). After a failure the station's port stays HELD for
// quietPeriod (IEEE 802.1X-2004 §8.2.4.1.2, 60 s by default, as hostapd).
// The table is bounded: when it is full, the least recently heard
// unauthorized station is dropped to make room; if every station is
// authorized, the new station's frame is dropped and counted.
//
// Events (hostapd's texts): "AP-STA-CONNECTED <addr>", "AP-STA-DISCONNECTED
// <addr>", "CTRL-EVENT-EAP-STARTED <addr>", "CTRL-EVENT-EAP-SUCCESS <addr>",
// "CTRL-EVENT-EAP-FAILURE <addr>": logged at info level as
// "<ifname>: <event>" and handed to the event sink (the control socket).
// Each finished EAP conversation also logs the timeline line
// "EAP: <addr> <METHOD> completed: rounds=N time=Xms resumed=0|1".
//
// A RADIUS Session-Timeout in the Access-Accept ends the session after that
// many seconds: a reauthentication when Termination-Action is
// RADIUS-Request, else a disconnection (RFC 2865 §5.27, §5.29; RFC 3580
// §3.17, as hostapd).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "authenticator/station_session.h"
#include "common/event_loop.h"
#include "drivers/driver.h"
#include "eapol/port_sink.h"
#include "methods/eap_config.h"

namespace lanyard::authenticator {

struct AuthenticatorSettings {
    eapol::AuthenticatorPortConfig port;  // quietPeriod, reAuthPeriod, eapol_version
    eap::AuthenticatorConfig eap;         // retransmission timers, round bound
    size_t max_stations = 256;
};

// Why a station's port closed, for accounting (RFC 2866 §5.10 maps these).
enum class DisconnectCause { kUserRequest, kLostCarrier, kAdminReset, kSessionTimeout, kNasRequest };

// Makes the EAP server of a new station: the integrated one by default, the
// RADIUS pass-through when the daemon sets one (set_eap_server_factory).
using EapServerFactory =
    std::function<std::unique_ptr<StationEapServer>(const MacAddress& station, EapServerCallbacks callbacks)>;

// Told when a station's port opens (authorized) and closes again; accounting
// (radius_accounting.h) listens here.
class StationObserver {
public:
    virtual ~StationObserver() = default;
    virtual void station_authorized(const StationSession& session) = 0;
    virtual void station_unauthorized(const StationSession& session, DisconnectCause cause) = 0;
};

struct AuthenticatorStats {
    uint64_t stations_created = 0;
    uint64_t stations_evicted = 0;        // dropped to make room
    uint64_t frames_dropped_full = 0;     // new station while full of authorized ones
    uint64_t send_failures = 0;
    uint64_t eap_successes = 0;
    uint64_t eap_failures = 0;
};

class Authenticator final : private DriverListener, private eapol::PortSink {
public:
    using EventSink = std::function<void(const std::string& event)>;

    // loop, driver and what env points to (users, random, tls) must outlive
    // this object. Becomes the driver's listener.
    Authenticator(EventLoop& loop, lanyard::Driver& driver, const eap::ServerEnvironment& env,
                  AuthenticatorSettings settings);
    ~Authenticator() override;
    Authenticator(const Authenticator&) = delete;
    Authenticator& operator=(const Authenticator&) = delete;

    void set_event_sink(EventSink sink) { event_sink_ = std::move(sink); }
    // For stations admitted from now on.
    void set_eap_server_factory(EapServerFactory factory) { factory_ = std::move(factory); }
    void set_station_observer(StationObserver* observer) { observer_ = observer; }

    // Wi-Fi (authenticator/wifi_access_point.h): EAP success no longer opens
    // the port nor emits AP-STA-CONNECTED/-DISCONNECTED; the hook gets the
    // session (and its MSK) and the 4-way handshake decides. Unset: wired.
    using AuthorizationHook = std::function<void(const StationSession& session)>;
    void set_authorization_hook(AuthorizationHook hook) { authorization_hook_ = std::move(hook); }
    // The listener to forward driver events to when another object (the
    // Wi-Fi layer) is the driver's listener.
    DriverListener& driver_listener() { return *this; }
    // Wi-Fi: a station associated; EAP starts at once (EAP-Request/Identity),
    // as hostapd does on association.
    Status station_associated(const MacAddress& station);
    // Logs and hands an event to the sink, as the authenticator's own.
    void emit_event(const std::string& event) { emit(event); }

    // Stations in address order.
    std::vector<MacAddress> stations() const;
    const StationSession* find(const MacAddress& station) const;
    size_t station_count() const { return sessions_.size(); }

    // hostapd_cli raw EAPOL_REAUTH <addr> (802.1X-2004 §8.2.8 reAuthenticate).
    Status reauthenticate(const MacAddress& station);
    // hostapd_cli deauthenticate <addr>: close the port and forget the station.
    Status deauthenticate(const MacAddress& station);
    // Closes every port (shutdown): AP-STA-DISCONNECTED for authorized ones.
    void disconnect_all();

    const lanyard::Driver& driver() const { return driver_; }
    TimePoint now() const { return loop_.clock().now(); }
    const AuthenticatorSettings& settings() const { return settings_; }
    const AuthenticatorStats& stats() const { return stats_; }

private:
    // DriverListener
    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override;
    void on_station_left(const MacAddress& station) override;
    void on_link_state(LinkState state) override;
    // PortSink
    void send_eapol(const MacAddress& peer, ByteView pdu) override;
    void port_status_changed(const MacAddress& peer, eapol::PortStatus status) override;
    void state_changed(const MacAddress& peer, const eapol::PaeStateChange& change) override;

    StationSession* admit(const MacAddress& station);
    bool make_room();
    void erase(const MacAddress& station);
    void reschedule(StationSession& session);
    void on_timer(const MacAddress& station);
    void emit(const std::string& event);
    void eap_finished(const MacAddress& station, const EapOutcome& outcome);
    void eap_delivered(const MacAddress& station, const eapol::EapServerResult& result);
    void arm_session_timeout(StationSession& session);
    void close_station(const MacAddress& station, DisconnectCause cause);

    EventLoop& loop_;
    lanyard::Driver& driver_;
    eap::ServerEnvironment env_;
    AuthenticatorSettings settings_;
    std::map<MacAddress, std::unique_ptr<StationSession>> sessions_;
    EventSink event_sink_;
    EapServerFactory factory_;
    StationObserver* observer_ = nullptr;
    AuthorizationHook authorization_hook_;
    // Why the next unauthorization happens (set just before it); a logoff
    // or failure that closes the port by itself is kUserRequest.
    DisconnectCause pending_cause_ = DisconnectCause::kUserRequest;
    AuthenticatorStats stats_;
};

}  // namespace lanyard::authenticator
