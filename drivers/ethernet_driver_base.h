// The part every Ethernet-framed driver shares: the listener, the station
// table and port states, counters, the receive filter (IEEE 802.1X-2010
// §11.1: frames to our address or a group address, never our own) and
// the transmit framing. A concrete driver supplies transmit_frame() and
// feeds received frames to receive_frame().
#pragma once

#include <string>

#include "drivers/driver.h"
#include "drivers/eapol_ethernet.h"
#include "drivers/station_table.h"

namespace lanyard {

// Where send_eapol() puts frames. hostapd and wpa_supplicant call this
// use_pae_group_addr for driver=wired.
enum class SendAddressing {
    kAsRequested,  // the destination the caller gives
    kPaeGroup,     // always the PAE group address (IEEE 802.1X-2010 §11.1.1)
};

class EthernetDriverBase : public Driver {
public:
    EthernetDriverBase(std::string interface_name, MacAddress own_address,
                       SendAddressing addressing, size_t station_limit);

    const std::string& interface_name() const override { return interface_name_; }
    MacAddress own_address() const override { return own_address_; }
    LinkState link_state() const override { return link_state_; }
    void set_listener(DriverListener* listener) override { listener_ = listener; }
    Status send_eapol(const MacAddress& destination, ByteView pdu) override;
    MacAddress wire_destination(const MacAddress& destination) const override;
    Status set_port_state(const MacAddress& station, PortState state) override;
    PortState port_state(const MacAddress& station) const override {
        return stations_.port_state(station);
    }
    void forget_station(const MacAddress& station) override;
    const DropCounters& drop_counters() const override { return drops_; }
    uint64_t frames_sent() const override { return frames_sent_; }
    uint64_t frames_received() const override { return frames_received_; }

    const StationTable& stations() const { return stations_; }

protected:
    // Puts one complete Ethernet frame on the medium.
    virtual Status transmit_frame(ByteView frame) = 0;

    // Filters, parses and delivers one received Ethernet frame.
    void receive_frame(ByteView frame);
    // Counts a drop and logs it at debug level.
    void drop(DropReason reason, const char* detail = "");
    // Reports a link change; on link down every station leaves (the port
    // is no longer operational: PACP portEnabled, IEEE 802.1X-2010 clause 8).
    void update_link_state(LinkState state);
    void set_own_address(const MacAddress& address) { own_address_ = address; }

private:
    std::string interface_name_;
    MacAddress own_address_;
    SendAddressing addressing_;
    LinkState link_state_ = LinkState::kUp;
    DriverListener* listener_ = nullptr;
    StationTable stations_;
    DropCounters drops_;
    uint64_t frames_sent_ = 0;
    uint64_t frames_received_ = 0;
};

}  // namespace lanyard
