// Duplicate-request detection for the RADIUS server (RFC 5080 §2.2.2).
#include "radius/duplicate_cache.h"

namespace lanyard::radius {

void DuplicateCache::erase(std::map<Slot, Entry>::iterator it) {
    order_.erase(it->second.order);
    entries_.erase(it);
}

void DuplicateCache::expire(TimePoint now) {
    // order_ is sorted by stamp (every update moves the slot to the back).
    while (!order_.empty()) {
        auto it = entries_.find(order_.front());
        if (it == entries_.end()) {  // cannot happen; keep the list honest
            order_.pop_front();
            continue;
        }
        if (now - it->second.stamp < limits_.lifetime) break;
        erase(it);
    }
}

DuplicateCache::Lookup DuplicateCache::begin(const RequestKey& key, TimePoint now) {
    expire(now);
    Slot slot{key.address, key.port, key.identifier};
    auto it = entries_.find(slot);
    if (it != entries_.end()) {
        if (constant_time_equal(it->second.authenticator, key.authenticator)) {
            if (it->second.answered) return Lookup{DuplicateStatus::kAnswered, &it->second.response};
            return Lookup{DuplicateStatus::kInProgress, nullptr};
        }
        erase(it);  // same slot, new Request Authenticator: a new request
    }
    while (limits_.max_entries > 0 && entries_.size() >= limits_.max_entries) {
        auto oldest = entries_.find(order_.front());
        if (oldest == entries_.end()) {
            order_.pop_front();
            continue;
        }
        erase(oldest);
        ++evictions_;
    }
    if (limits_.max_entries == 0) return Lookup{DuplicateStatus::kNew, nullptr};
    order_.push_back(slot);
    Entry e;
    e.authenticator = key.authenticator;
    e.stamp = now;
    e.order = std::prev(order_.end());
    entries_.emplace(std::move(slot), std::move(e));
    return Lookup{DuplicateStatus::kNew, nullptr};
}

void DuplicateCache::complete(const RequestKey& key, Bytes response, TimePoint now) {
    auto it = entries_.find(Slot{key.address, key.port, key.identifier});
    if (it == entries_.end() || !constant_time_equal(it->second.authenticator, key.authenticator)) return;
    it->second.answered = true;
    it->second.response = std::move(response);
    // The lifetime counts from the answer: move the slot to the back.
    it->second.stamp = now;
    order_.splice(order_.end(), order_, it->second.order);
}

void DuplicateCache::forget(const RequestKey& key) {
    auto it = entries_.find(Slot{key.address, key.port, key.identifier});
    if (it != entries_.end() && constant_time_equal(it->second.authenticator, key.authenticator)) erase(it);
}

}  // namespace lanyard::radius
