#include "drivers/station_table.h"

#include <algorithm>

namespace lanyard {

StationTable::Admission StationTable::admit(const MacAddress& station) {
    if (contains(station)) return Admission::kKnown;
    if (stations_.size() >= limit_) return Admission::kFull;
    stations_.emplace(station, PortState::kUnauthorized);
    return Admission::kArrived;
}

PortState StationTable::port_state(const MacAddress& station) const {
    auto it = stations_.find(station);
    return it == stations_.end() ? PortState::kUnauthorized : it->second;
}

bool StationTable::set_port_state(const MacAddress& station, PortState state) {
    if (admit(station) == Admission::kFull) return false;
    stations_[station] = state;
    return true;
}

bool StationTable::forget(const MacAddress& station) { return stations_.erase(station) != 0; }

std::vector<MacAddress> StationTable::clear() {
    std::vector<MacAddress> gone;
    gone.reserve(stations_.size());
    for (const auto& entry : stations_) gone.push_back(entry.first);
    stations_.clear();
    std::sort(gone.begin(), gone.end());
    return gone;
}

}  // namespace lanyard
