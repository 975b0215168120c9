#include "authenticator/session_backend.h"

namespace lanyard::authenticator {

InProcessSessionBackend::InProcessSessionBackend(const Clock& clock, size_t max_entries)
    : clock_(clock), max_entries_(max_entries == 0 ? 1 : max_entries) {}

void InProcessSessionBackend::erase_locked(std::map<Bytes, Entry>::iterator it) {
    order_.erase(it->second.order);
    entries_.erase(it);
}

size_t InProcessSessionBackend::expire_locked(TimePoint now) {
    size_t n = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
        auto next = std::next(it);
        if (now >= it->second.expires) {
            erase_locked(it);
            ++n;
        }
        it = next;
    }
    return n;
}

void InProcessSessionBackend::put(ByteView key, ByteView value, Duration ttl) {
    const TimePoint now = clock_.now();
    std::lock_guard<std::mutex> lock(mutex_);
    Bytes k(key.begin(), key.end());
    if (auto it = entries_.find(k); it != entries_.end()) erase_locked(it);
    if (entries_.size() >= max_entries_) expire_locked(now);
    while (entries_.size() >= max_entries_) {
        erase_locked(entries_.find(order_.front()));
        ++stats_.evicted;
    }
    order_.push_back(k);
    entries_.emplace(std::move(k), Entry{Bytes(value.begin(), value.end()), now + ttl, std::prev(order_.end())});
    ++stats_.puts;
}

std::optional<Bytes> InProcessSessionBackend::get(ByteView key) {
    const TimePoint now = clock_.now();
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(Bytes(key.begin(), key.end()));
    if (it == entries_.end() || now >= it->second.expires) {
        if (it != entries_.end()) erase_locked(it);
        ++stats_.misses;
        return std::nullopt;
    }
    ++stats_.hits;
    return it->second.value;
}

void InProcessSessionBackend::remove(ByteView key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(Bytes(key.begin(), key.end()));
    if (it != entries_.end()) erase_locked(it);
}

SessionBackendStats InProcessSessionBackend::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stats_;
}

size_t InProcessSessionBackend::expire() {
    const TimePoint now = clock_.now();
    std::lock_guard<std::mutex> lock(mutex_);
    return expire_locked(now);
}

size_t InProcessSessionBackend::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
}

}  // namespace lanyard::authenticator
