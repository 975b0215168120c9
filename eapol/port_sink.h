// Where a port's outputs go (the daemon implements it, tests record it).
// Ports call the sink only after their machines have settled, never from
// inside a step, so a sink may feed a frame straight back into a port.
#pragma once

#include "common/bytes.h"
#include "common/mac_address.h"
#include "eapol/eapol_frame.h"
#include "eapol/pae_types.h"

namespace lanyard::eapol {

class PortSink {
public:
    virtual ~PortSink() = default;
    // Transmit an EAPOL PDU (802.1X header and body; the driver adds the
    // Ethernet header with EtherType 0x888E) to peer.
    virtual void send_eapol(const MacAddress& peer, ByteView pdu) = 0;
    // authPortStatus / suppPortStatus changed (802.1X-2004 §8.2.2.2): open or
    // close the controlled port for peer.
    virtual void port_status_changed(const MacAddress& peer, PortStatus status) = 0;
    // Every state entry, for logs and control-interface events.
    virtual void state_changed(const MacAddress& /*peer*/, const PaeStateChange& /*change*/) {}
    // A well-formed EAPOL-Key frame (body starts with the Descriptor Type),
    // for the key machines that come later. Returns whether it was consumed;
    // the port counts unconsumed ones as unsupported.
    virtual bool eapol_key_received(const MacAddress& /*peer*/, uint8_t /*version*/, ByteView /*key_body*/) {
        return false;
    }
};

}  // namespace lanyard::eapol
