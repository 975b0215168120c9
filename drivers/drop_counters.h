// Why a driver dropped a received frame, and how often. Drops are peer-
// or medium-driven events, not errors: they are counted and logged at
// debug level (DESIGN.md, style rule 1).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace lanyard {

enum class DropReason {
    kTooShort,        // shorter than an Ethernet header plus an EAPOL header
    kOversize,        // larger than the receive buffer (truncated by the kernel)
    kWrongEthertype,  // not 88-8E (IEEE 802.1X-2010 §11.1.4)
    kTruncatedBody,   // EAPOL body length runs past the end of the frame
    kGroupSource,     // source address has the group bit set
    kFromSelf,        // our own address as source (a reflection)
    kNotForUs,        // unicast to another station
    kNoListener,      // nobody attached to the driver yet
    kStationLimit,    // a new station while the station table is full
};
inline constexpr size_t kDropReasonCount = 9;

const char* drop_reason_name(DropReason reason);

class DropCounters {
public:
    void count(DropReason reason) { ++counts_[index(reason)]; }
    uint64_t get(DropReason reason) const { return counts_[index(reason)]; }
    uint64_t total() const;

private:
    static size_t index(DropReason reason) { return static_cast<size_t>(reason); }
    std::array<uint64_t, kDropReasonCount> counts_{};
};

}  // namespace lanyard
