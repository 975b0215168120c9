// The queue a port fills while its machines step and empties into its
// PortSink once they have settled (so a sink may re-enter the port, e.g. a
// memory driver pair delivering the reply at once).
#pragma once

#include <deque>
#include <variant>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "eapol/eapol_counters.h"
#include "eapol/eapol_frame.h"
#include "eapol/port_sink.h"

namespace lanyard::eapol {

class PortOutputs {
public:
    void send(const MacAddress& peer, Bytes pdu) { queue_.push_back(Send{peer, std::move(pdu)}); }
    void status(const MacAddress& peer, PortStatus s) { queue_.push_back(Status{peer, s}); }
    void state(const MacAddress& peer, const PaeStateChange& c) { queue_.push_back(State{peer, c}); }
    void key(const MacAddress& peer, uint8_t version, ByteView body) {
        queue_.push_back(Key{peer, version, Bytes(body.begin(), body.end())});
    }

    // Delivers everything queued, in order. A nested call (from inside the
    // sink) returns at once; the outer loop delivers what it queued.
    // Unconsumed EAPOL-Key frames are counted in counters.
    void flush(PortSink& sink, EapolCounters& counters);

private:
    struct Send { MacAddress peer; Bytes pdu; };
    struct Status { MacAddress peer; PortStatus status; };
    struct State { MacAddress peer; PaeStateChange change; };
    struct Key { MacAddress peer; uint8_t version; Bytes body; };
    using Output = std::variant<Send, Status, State, Key>;

    std::deque<Output> queue_;
    bool flushing_ = false;
};

// Both ports: an EAPOL-Key frame is checked (IEEE 802.11-2020 §12.7.2 layout,
// eapol_key_frame.h), counted, and queued for the key machines; a malformed
// one is counted and dropped. role names the port in the debug log.
void queue_received_key(const char* role, const MacAddress& source, const EapolPdu& frame,
                        EapolCounters& counters, PortOutputs& outputs);

}  // namespace lanyard::eapol
