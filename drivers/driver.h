// The driver interface both daemons use to reach the LAN: wired (AF_PACKET),
// nl80211 (later), the in-memory pair for tests, and decorators such as the
// pcap capture. The protocol cores never see a driver: the daemons connect a
// Driver to the EAPOL machines.
//
// What a driver carries is the EAPOL PDU (IEEE 802.1X-2010 §11.3: protocol
// version, packet type, body length, body). The driver adds the MAC header
// on transmit and strips it on receive; it removes Ethernet padding beyond
// the EAPOL body length, and drops (and counts) frames too short to hold an
// EAPOL header. It does not interpret the PDU further.
//
// Key installation is deliberately NOT part of this interface. It lives in
// KeyInstaller (drivers/key_installer.h), reached through key_installer(),
// which returns nullptr for drivers that have no keys to install (wired,
// where the port is controlled by authorization alone). The 4-way handshake
// takes a KeyInstaller& in its constructor, as in iwd, so it can be tested
// without any driver, and a wired daemon never builds one. A set_key() that
// answers "not supported" would instead leave every caller to handle a
// runtime failure that is really a configuration fact.
#pragma once

#include <cstdint>
#include <string>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "drivers/drop_counters.h"

namespace lanyard {

class KeyInstaller;

enum class LinkState { kDown, kUp };
const char* link_state_name(LinkState state);

// IEEE 802.1X-2010 clause 6: the controlled port passes data only when
// authorized. Per station: on a shared medium (wired with several
// supplicants behind one port, or Wi-Fi) each station has its own state.
enum class PortState { kUnauthorized, kAuthorized };
const char* port_state_name(PortState state);

// Events from a driver. All calls happen on the event-loop thread. A
// listener may call back into the driver (send, set_port_state, even
// set_listener) from inside any of these.
class DriverListener {
public:
    virtual ~DriverListener() = default;

    // One received EAPOL PDU. `pdu` is valid only during the call.
    virtual void on_eapol_frame(const MacAddress& source, const MacAddress& destination,
                                ByteView pdu) = 0;
    virtual void on_link_state(LinkState state) { (void)state; }
    // A station appeared: for wired and memory drivers, when the first
    // EAPOL frame from a new source address arrives (delivered just before
    // that frame); for nl80211, on association.
    virtual void on_station_arrived(const MacAddress& station) { (void)station; }
    // A station went away: disassociation, link down, or forget_station().
    virtual void on_station_left(const MacAddress& station) { (void)station; }
};

class Driver {
public:
    virtual ~Driver() = default;

    // Interface name ("eth0", "memory0") and our own MAC address.
    virtual const std::string& interface_name() const = 0;
    virtual MacAddress own_address() const = 0;
    virtual LinkState link_state() const = 0;

    // The listener is not owned; nullptr detaches. Frames arriving without
    // a listener are dropped and counted (DropReason::kNoListener).
    virtual void set_listener(DriverListener* listener) = 0;

    // Sends one EAPOL PDU to `destination` (a station, the authenticator,
    // or the PAE group address; a driver may be configured to always use
    // the group address, see WiredOptions). An empty PDU is an error.
    virtual Status send_eapol(const MacAddress& destination, ByteView pdu) = 0;

    // The destination address send_eapol(destination, ...) really puts on
    // the medium (differs under group addressing); used by captures.
    virtual MacAddress wire_destination(const MacAddress& destination) const { return destination; }

    // Authorizes or unauthorizes the controlled port for one station.
    virtual Status set_port_state(const MacAddress& station, PortState state) = 0;
    virtual PortState port_state(const MacAddress& station) const = 0;

    // Forgets a station (after logoff or a failed authentication): the
    // port returns to unauthorized, on_station_left is reported, and its
    // next frame makes it "arrive" again. No-op for an unknown station.
    virtual void forget_station(const MacAddress& station) = 0;

    // nullptr when the medium has no link-layer keys (wired).
    virtual KeyInstaller* key_installer() { return nullptr; }

    // Frames dropped on receive, by reason; frames sent and received.
    virtual const DropCounters& drop_counters() const = 0;
    virtual uint64_t frames_sent() const = 0;
    virtual uint64_t frames_received() const = 0;
};

}  // namespace lanyard
