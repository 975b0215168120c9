// The server's TLS session cache for EAP-TLS resumption (RFC 5216 §2.1.2),
// hostapd's tls_session_lifetime: sessions kept in memory, keyed by the TLS
// session id, each forgotten `lifetime` after it was stored. A lifetime of 0
// disables the cache (put() keeps nothing, get() finds nothing).
//
// Bounded (DESIGN.md rule 3): at most `max_entries` sessions; storing one
// more first drops expired ones, then the oldest. The serialized sessions
// hold master secrets: they live in SecretBytes and are never logged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/secret.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

struct TlsSessionCacheStats {
    uint64_t stored = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t expired = 0;   // found but too old, or swept
    uint64_t evicted = 0;   // dropped to make room
    uint64_t removed = 0;   // remove() by the TLS backend
    uint64_t unconfirmed = 0;  // offered, but its authentication never succeeded (no record)
};

class TlsSessionCache final : public tls::SessionStore {
public:
    static constexpr size_t kDefaultMaxEntries = 1024;
    static constexpr size_t kMaxSessionIdLength = 32;  // RFC 5246 §7.4.1.2 SessionID <0..32>

    // The clock must outlive the cache.
    TlsSessionCache(const Clock& clock, Duration lifetime, size_t max_entries = kDefaultMaxEntries);

    void put(ByteView session_id, ByteView serialized_session) override;
    // Only a session with a record (its EAP method succeeded) is given out.
    std::optional<Bytes> get(ByteView session_id) override;
    void remove(ByteView session_id) override;
    void set_record(ByteView session_id, ByteView record) override;
    std::optional<Bytes> record(ByteView session_id) override;
    static constexpr size_t kMaxRecordLength = 512;

    // Drops every expired entry; returns how many.
    size_t expire();
    bool enabled() const { return lifetime_.count() > 0; }
    size_t size() const { return entries_.size(); }
    const TlsSessionCacheStats& stats() const { return stats_; }

private:
    struct Entry {
        SecretBytes session;
        std::optional<Bytes> record;  // set once the EAP method succeeded
        TimePoint stored_at;
        uint64_t sequence = 0;  // insertion order, for eviction
    };
    bool expired(const Entry& entry, TimePoint now) const { return now >= entry.stored_at + lifetime_; }
    void evict_oldest();

    const Clock& clock_;
    Duration lifetime_;
    size_t max_entries_;
    uint64_t next_sequence_ = 0;
    std::map<Bytes, Entry> entries_;
    TlsSessionCacheStats stats_;
};

}  // namespace lanyard::authenticator
