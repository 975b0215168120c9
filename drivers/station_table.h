// The stations a driver has heard from, with their controlled-port state
// (IEEE 802.1X-2010 clause 6). Bounded: a LAN full of forged source addresses
// cannot grow it past its limit (DESIGN.md, style rule 3).
#pragma once

#include <cstddef>
#include <unordered_map>
#include <vector>

#include "common/mac_address.h"
#include "drivers/driver.h"

namespace lanyard {

class StationTable {
public:
    static constexpr size_t kDefaultLimit = 256;

    enum class Admission { kKnown, kArrived, kFull };

    explicit StationTable(size_t limit = kDefaultLimit) : limit_(limit) {}

    // Records a station, unless the table is full.
    Admission admit(const MacAddress& station);
    bool contains(const MacAddress& station) const { return stations_.count(station) != 0; }
    // Unknown stations are unauthorized.
    PortState port_state(const MacAddress& station) const;
    // Admits the station first if needed; false when the table is full.
    bool set_port_state(const MacAddress& station, PortState state);
    // True if the station was known.
    bool forget(const MacAddress& station);
    // Empties the table and returns who was in it (sorted, for stable order).
    std::vector<MacAddress> clear();

    size_t size() const { return stations_.size(); }
    size_t limit() const { return limit_; }

private:
    size_t limit_;
    std::unordered_map<MacAddress, PortState> stations_;
};

}  // namespace lanyard
