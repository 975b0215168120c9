#include "drivers/memory/memory_driver.h"

#include <algorithm>

#include "common/log.h"

namespace lanyard {
namespace {
constexpr const char* kLog = "memory_driver";
}

// ---- MemoryDriver --------------------------------------------------------

MemoryDriver::MemoryDriver(MemoryLink& link, std::string name, MacAddress address,
                           SendAddressing addressing, size_t station_limit, bool emulate_keys)
    : EthernetDriverBase(std::move(name), address, addressing, station_limit),
      link_(link),
      emulate_keys_(emulate_keys) {}

void MemoryDriver::corrupt_next(size_t pdu_offset, uint8_t mask) {
    corruptions_.push_back(Corruption{pdu_offset, mask});
}

Status MemoryDriver::transmit_frame(ByteView frame) {
    if (link_state() == LinkState::kDown) {
        return make_error(ErrorCode::kIo, interface_name() + ": link is down");
    }
    Bytes copy(frame.begin(), frame.end());
    if (drop_next_ > 0) {
        --drop_next_;
        ++frames_lost_;
        LOG_DEBUG(kLog, "%s: test drop of a sent frame", interface_name().c_str());
        return ok_status();
    }
    if (!corruptions_.empty()) {
        const Corruption c = corruptions_.front();
        corruptions_.pop_front();
        const size_t at = kEthernetHeaderSize + c.pdu_offset;
        if (at < copy.size()) copy[at] ^= c.mask;
    }
    if (tx_filter_) {
        switch (tx_filter_(copy)) {
            case FrameVerdict::kDeliver: break;
            case FrameVerdict::kDrop:
                ++frames_lost_;
                return ok_status();
        }
    }
    link_.enqueue(*this, std::move(copy));
    return ok_status();
}

Status MemoryDriver::install_key(const KeyInstallRequest& request) {
    if (!emulate_keys_) return make_error(ErrorCode::kUnsupported, "memory link without keys");
    LOG_DEBUG(kLog, "%s: install %s key %u for %s: %s", interface_name().c_str(),
              key_kind_name(request.kind), request.key_index, request.peer.to_string().c_str(),
              request.key.to_log_string().c_str());
    keys_.push_back(request);
    return ok_status();
}

Status MemoryDriver::remove_keys(const MacAddress& peer) {
    if (!emulate_keys_) return make_error(ErrorCode::kUnsupported, "memory link without keys");
    std::erase_if(keys_, [&](const KeyInstallRequest& k) { return k.peer == peer; });
    return ok_status();
}

// ---- MemoryLink ----------------------------------------------------------

MemoryLink::MemoryLink() : MemoryLink(Options{}) {}

MemoryLink::MemoryLink(Options options)
    : a_(new MemoryDriver(*this, options.name_a, options.address_a, options.addressing,
                          options.station_limit, options.emulate_keys)),
      b_(new MemoryDriver(*this, options.name_b, options.address_b, options.addressing,
                          options.station_limit, options.emulate_keys)) {}

MemoryLink::~MemoryLink() { detach(); }

void MemoryLink::enqueue(MemoryDriver& from, Bytes frame) {
    MemoryDriver* to = &from == a_.get() ? b_.get() : a_.get();
    queue_.push_back(InFlight{to, std::move(frame)});
    schedule_pump();
}

bool MemoryLink::deliver_one() {
    if (queue_.empty()) return false;
    InFlight next = std::move(queue_.front());
    queue_.pop_front();
    // A frame reaching an endpoint whose link is down is lost, as on a cable.
    if (next.to->link_state() == LinkState::kUp) next.to->deliver(next.frame);
    return true;
}

size_t MemoryLink::deliver_all(size_t max_frames) {
    size_t delivered = 0;
    while (delivered < max_frames && deliver_one()) ++delivered;
    return delivered;
}

void MemoryLink::attach(EventLoop& loop) {
    detach();
    loop_ = &loop;
    schedule_pump();
}

void MemoryLink::detach() {
    if (loop_ != nullptr && pump_timer_ != kNoTimer) loop_->cancel_timer(pump_timer_);
    pump_timer_ = kNoTimer;
    loop_ = nullptr;
}

void MemoryLink::schedule_pump() {
    if (loop_ == nullptr || pump_timer_ != kNoTimer || queue_.empty()) return;
    pump_timer_ = loop_->add_timer(Duration(0), [this] {
        // pump_timer_ still names this (fired) timer while delivering, so
        // frames sent by listeners do not schedule a second pump.
        // One bounded batch per round; the rest waits for the next round.
        deliver_all(kDefaultDeliveryBound);
        pump_timer_ = kNoTimer;
        schedule_pump();
    });
}

}  // namespace lanyard
