#include "drivers/ethernet_driver_base.h"

#include "common/log.h"

namespace lanyard {
namespace {
constexpr const char* kLog = "driver";
}

EthernetDriverBase::EthernetDriverBase(std::string interface_name, MacAddress own_address,
                                       SendAddressing addressing, size_t station_limit)
    : interface_name_(std::move(interface_name)),
      own_address_(own_address),
      addressing_(addressing),
      stations_(station_limit) {}

Status EthernetDriverBase::send_eapol(const MacAddress& destination, ByteView pdu) {
    if (pdu.size() < kEapolHeaderSize) {
        return make_error(ErrorCode::kInternal, "send_eapol: PDU shorter than an EAPOL header");
    }
    if (pdu.size() > kMaxEapolPduSize) {
        return make_error(ErrorCode::kLimit, "send_eapol: PDU of " + std::to_string(pdu.size()) +
                                                 " bytes does not fit one Ethernet frame");
    }
    const MacAddress to = wire_destination(destination);
    const Bytes frame = build_eapol_ethernet_frame(to, own_address_, pdu);
    LANYARD_TRY(transmit_frame(frame));
    ++frames_sent_;
    LOG_EXCESSIVE(kLog, "%s: sent %zu-byte EAPOL PDU to %s", interface_name_.c_str(), pdu.size(),
                  to.to_string().c_str());
    return ok_status();
}

MacAddress EthernetDriverBase::wire_destination(const MacAddress& destination) const {
    switch (addressing_) {
        case SendAddressing::kAsRequested: return destination;
        case SendAddressing::kPaeGroup: return kPaeGroupAddress;
    }
    return destination;
}

Status EthernetDriverBase::set_port_state(const MacAddress& station, PortState state) {
    if (!stations_.set_port_state(station, state)) {
        return make_error(ErrorCode::kLimit, "station table full");
    }
    LOG_INFO(kLog, "%s: port %s for %s", interface_name_.c_str(), port_state_name(state),
             station.to_string().c_str());
    return ok_status();
}

void EthernetDriverBase::forget_station(const MacAddress& station) {
    if (!stations_.forget(station)) return;
    LOG_DEBUG(kLog, "%s: station %s forgotten", interface_name_.c_str(), station.to_string().c_str());
    if (listener_ != nullptr) listener_->on_station_left(station);
}

void EthernetDriverBase::drop(DropReason reason, const char* detail) {
    drops_.count(reason);
    LOG_DEBUG(kLog, "%s: dropped received frame: %s%s%s", interface_name_.c_str(),
              drop_reason_name(reason), detail[0] != '\0' ? " " : "", detail);
}

void EthernetDriverBase::receive_frame(ByteView frame) {
    auto parsed = parse_eapol_ethernet_frame(frame);
    if (const DropReason* reason = std::get_if<DropReason>(&parsed)) {
        drop(*reason);
        return;
    }
    const EapolFrameView view = std::get<EapolFrameView>(parsed);
    if (view.source == own_address_) {
        drop(DropReason::kFromSelf);
        return;
    }
    if (!view.destination.is_group() && view.destination != own_address_) {
        drop(DropReason::kNotForUs, view.destination.to_string().c_str());
        return;
    }
    if (listener_ == nullptr) {
        drop(DropReason::kNoListener);
        return;
    }
    switch (stations_.admit(view.source)) {
        case StationTable::Admission::kKnown: break;
        case StationTable::Admission::kFull:
            drop(DropReason::kStationLimit, view.source.to_string().c_str());
            return;
        case StationTable::Admission::kArrived:
            LOG_DEBUG(kLog, "%s: station %s arrived", interface_name_.c_str(),
                      view.source.to_string().c_str());
            listener_->on_station_arrived(view.source);
            // The listener may have detached or forgotten the station.
            if (listener_ == nullptr) return;
            break;
    }
    ++frames_received_;
    listener_->on_eapol_frame(view.source, view.destination, view.pdu);
}

void EthernetDriverBase::update_link_state(LinkState state) {
    if (state == link_state_) return;
    link_state_ = state;
    LOG_INFO(kLog, "%s: link %s", interface_name_.c_str(), link_state_name(state));
    if (listener_ != nullptr) listener_->on_link_state(state);
    switch (state) {
        case LinkState::kUp: break;
        case LinkState::kDown:
            for (const MacAddress& station : stations_.clear()) {
                if (listener_ != nullptr) listener_->on_station_left(station);
            }
            break;
    }
}

}  // namespace lanyard
