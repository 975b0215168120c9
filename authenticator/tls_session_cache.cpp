#include "authenticator/tls_session_cache.h"

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "tls-cache";
}

TlsSessionCache::TlsSessionCache(const Clock& clock, Duration lifetime, size_t max_entries)
    : clock_(clock), lifetime_(lifetime), max_entries_(max_entries == 0 ? 1 : max_entries) {}

void TlsSessionCache::put(ByteView session_id, ByteView serialized_session) {
    if (!enabled()) return;
    if (session_id.empty() || session_id.size() > kMaxSessionIdLength || serialized_session.empty()) {
        LOG_DEBUG(kLog, "not storing a session with a %zu-byte id", session_id.size());
        return;
    }
    Bytes key(session_id.begin(), session_id.end());
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        if (entries_.size() >= max_entries_) expire();
        while (entries_.size() >= max_entries_) evict_oldest();
    }
    Entry& entry = entries_[std::move(key)];
    entry.session.assign(serialized_session);
    entry.record.reset();
    entry.stored_at = clock_.now();
    entry.sequence = next_sequence_++;
    ++stats_.stored;
    LOG_DEBUG(kLog, "stored a session (%zu cached, lifetime %lld s)", entries_.size(),
              static_cast<long long>(lifetime_.count() / 1000));
}

std::optional<Bytes> TlsSessionCache::get(ByteView session_id) {
    if (!enabled()) return std::nullopt;
    auto it = entries_.find(Bytes(session_id.begin(), session_id.end()));
    if (it == entries_.end()) {
        ++stats_.misses;
        return std::nullopt;
    }
    if (expired(it->second, clock_.now())) {
        ++stats_.expired;
        ++stats_.misses;
        LOG_DEBUG(kLog, "offered session has expired");
        entries_.erase(it);
        return std::nullopt;
    }
    if (!it->second.record) {
        ++stats_.unconfirmed;
        ++stats_.misses;
        LOG_DEBUG(kLog, "offered session never completed an authentication: not resumed");
        return std::nullopt;
    }
    ++stats_.hits;
    ByteView v = it->second.session.view();
    return Bytes(v.begin(), v.end());
}

void TlsSessionCache::set_record(ByteView session_id, ByteView record) {
    auto it = entries_.find(Bytes(session_id.begin(), session_id.end()));
    if (it == entries_.end() || record.size() > kMaxRecordLength) return;
    it->second.record = Bytes(record.begin(), record.end());
}

std::optional<Bytes> TlsSessionCache::record(ByteView session_id) {
    auto it = entries_.find(Bytes(session_id.begin(), session_id.end()));
    if (it == entries_.end() || expired(it->second, clock_.now())) return std::nullopt;
    return it->second.record;
}

void TlsSessionCache::remove(ByteView session_id) {
    if (entries_.erase(Bytes(session_id.begin(), session_id.end())) != 0) ++stats_.removed;
}

size_t TlsSessionCache::expire() {
    const TimePoint now = clock_.now();
    size_t n = 0;
    for (auto it = entries_.begin(); it != entries_.end();) {
        if (expired(it->second, now)) {
            it = entries_.erase(it);
            ++n;
        } else {
            ++it;
        }
    }
    stats_.expired += n;
    return n;
}

void TlsSessionCache::evict_oldest() {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->second.sequence < oldest->second.sequence) oldest = it;
    }
    if (oldest == entries_.end()) return;
    entries_.erase(oldest);
    ++stats_.evicted;
}

}  // namespace lanyard::authenticator
