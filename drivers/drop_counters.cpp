#include "drivers/drop_counters.h"

#include <numeric>

namespace lanyard {

const char* drop_reason_name(DropReason reason) {
    switch (reason) {
        case DropReason::kTooShort: return "too short";
        case DropReason::kOversize: return "oversize";
        case DropReason::kWrongEthertype: return "wrong ethertype";
        case DropReason::kTruncatedBody: return "EAPOL body length beyond frame";
        case DropReason::kGroupSource: return "group source address";
        case DropReason::kFromSelf: return "from our own address";
        case DropReason::kNotForUs: return "unicast to another station";
        case DropReason::kNoListener: return "no listener";
        case DropReason::kStationLimit: return "station table full";
    }
    return "?";
}

uint64_t DropCounters::total() const {
    return std::accumulate(counts_.begin(), counts_.end(), uint64_t{0});
}

}  // namespace lanyard
