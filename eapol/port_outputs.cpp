#include "eapol/port_outputs.h"

#include <type_traits>

#include "common/log.h"
#include "eapol/eapol_key_frame.h"

namespace lanyard::eapol {

void PortOutputs::flush(PortSink& sink, EapolCounters& counters) {
    if (flushing_) return;
    flushing_ = true;
    // Bounded by what the machines queue; a sink that feeds frames back
    // adds at most one settle's worth per frame it delivers.
    while (!queue_.empty()) {
        Output out = std::move(queue_.front());
        queue_.pop_front();
        std::visit(
            [&](auto& o) {
                using T = std::decay_t<decltype(o)>;
                if constexpr (std::is_same_v<T, Send>) {
                    sink.send_eapol(o.peer, o.pdu);
                } else if constexpr (std::is_same_v<T, Status>) {
                    sink.port_status_changed(o.peer, o.status);
                } else if constexpr (std::is_same_v<T, State>) {
                    sink.state_changed(o.peer, o.change);
                } else {
                    if (!sink.eapol_key_received(o.peer, o.version, o.body)) {
                        ++counters.unsupported_eapol_frames_rx;
                        LOG_DEBUG("EAPOL", "EAPOL-Key from %s not consumed (no key machine)", o.peer.to_string().c_str());
                    }
                }
            },
            out);
    }
    flushing_ = false;
}

void queue_received_key(const char* role, const MacAddress& source, const EapolPdu& frame,
                        EapolCounters& counters, PortOutputs& outputs) {
    auto key = parse_eapol_key(frame.body);
    if (!key) {
        ++counters.invalid_eapol_frames_rx;
        LOG_DEBUG("EAPOL", "%s: dropped EAPOL-Key from %s: %s", role, source.to_string().c_str(),
                  key.error().to_string().c_str());
        return;
    }
    ++counters.eapol_key_frames_rx;
    outputs.key(source, frame.version, frame.body);
}

}  // namespace lanyard::eapol
