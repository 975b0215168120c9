// Two driver endpoints joined back to back by an in-memory "cable", for
// in-process tests: supplicant on one end, authenticator on the other.
//
// Delivery is deterministic: sent frames wait in one FIFO queue shared by
// both directions until deliver_one()/deliver_all() hands them to the far
// end (synchronously, in send order). Attached to an EventLoop, the link
// schedules a zero-delay timer whenever the queue becomes non-empty, so a
// loop driven by run_once() delivers too.
//
// Frames travel as complete Ethernet frames through the same receive
// filter as the wired driver, so tx filters can drop, corrupt or truncate
// headers as well as PDUs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/event_loop.h"
#include "drivers/ethernet_driver_base.h"
#include "drivers/key_installer.h"

namespace lanyard {

class MemoryLink;

enum class FrameVerdict { kDeliver, kDrop };
// Sees (and may modify) each Ethernet frame an endpoint sends.
using FrameFilter = std::function<FrameVerdict(Bytes& frame)>;

class MemoryDriver final : public EthernetDriverBase, public KeyInstaller {
public:
    // Key installation is offered only with `emulate_keys` (a Wi-Fi-like
    // link); otherwise key_installer() is nullptr, like wired.
    KeyInstaller* key_installer() override { return emulate_keys_ ? this : nullptr; }
    Status install_key(const KeyInstallRequest& request) override;
    Status remove_keys(const MacAddress& peer) override;
    const std::vector<KeyInstallRequest>& installed_keys() const { return keys_; }

    // ---- test controls on this endpoint's transmit side ----
    void set_tx_filter(FrameFilter filter) { tx_filter_ = std::move(filter); }
    // Loses the next n frames this endpoint sends.
    void drop_next(size_t n) { drop_next_ += n; }
    // XORs `mask` into octet `pdu_offset` of the next frame's EAPOL PDU
    // (ignored if the PDU is shorter).
    void corrupt_next(size_t pdu_offset, uint8_t mask = 0xff);
    uint64_t frames_lost() const { return frames_lost_; }

    // Simulates link up/down on this endpoint only.
    void set_link(LinkState state) { update_link_state(state); }

private:
    friend class MemoryLink;
    struct Corruption {
        size_t pdu_offset;
        uint8_t mask;
    };

    MemoryDriver(MemoryLink& link, std::string name, MacAddress address, SendAddressing addressing,
                 size_t station_limit, bool emulate_keys);
    Status transmit_frame(ByteView frame) override;
    void deliver(ByteView frame) { receive_frame(frame); }

    MemoryLink& link_;
    bool emulate_keys_;
    std::vector<KeyInstallRequest> keys_;
    FrameFilter tx_filter_;
    size_t drop_next_ = 0;
    std::deque<Corruption> corruptions_;
    uint64_t frames_lost_ = 0;
};

class MemoryLink {
public:
    struct Options {
        std::string name_a = "mem0";
        std::string name_b = "mem1";
        MacAddress address_a{MacAddress::Octets{0x02, 0x00, 0x00, 0x00, 0x00, 0x0a}};
        MacAddress address_b{MacAddress::Octets{0x02, 0x00, 0x00, 0x00, 0x00, 0x0b}};
        SendAddressing addressing = SendAddressing::kAsRequested;
        size_t station_limit = StationTable::kDefaultLimit;
        bool emulate_keys = false;
    };

    MemoryLink();
    explicit MemoryLink(Options options);
    ~MemoryLink();
    MemoryLink(const MemoryLink&) = delete;
    MemoryLink& operator=(const MemoryLink&) = delete;

    MemoryDriver& a() { return *a_; }
    MemoryDriver& b() { return *b_; }

    // Delivers the oldest queued frame; false if the queue was empty.
    bool deliver_one();
    // Delivers until the queue is empty or `max_frames` were delivered
    // (frames sent by listeners during delivery join the queue). Returns
    // how many were delivered.
    size_t deliver_all(size_t max_frames = kDefaultDeliveryBound);
    size_t pending() const { return queue_.size(); }

    // Delivers through zero-delay timers of `loop` from now on. The loop
    // must outlive the link or be detached first.
    void attach(EventLoop& loop);
    void detach();

    static constexpr size_t kDefaultDeliveryBound = 10000;

private:
    friend class MemoryDriver;
    struct InFlight {
        MemoryDriver* to;
        Bytes frame;
    };

    void enqueue(MemoryDriver& from, Bytes frame);
    void schedule_pump();

    std::unique_ptr<MemoryDriver> a_;
    std::unique_ptr<MemoryDriver> b_;
    std::deque<InFlight> queue_;
    EventLoop* loop_ = nullptr;
    TimerId pump_timer_ = kNoTimer;
};

}  // namespace lanyard
