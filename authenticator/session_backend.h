// Where sealed TLS sessions wait between authentications (issue 10): a
// key-value store with per-entry expiry. In-process (this file) for one
// server, Redis (redis_session_backend.h) for several servers. Values are
// already sealed (session_sealer.h) when they get here; a backend never sees
// a master secret in the clear.
//
// Every call is best effort and safe from several worker threads at once: a
// backend that cannot answer says "absent", so an authentication falls back
// to a full handshake instead of failing.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "common/bytes.h"
#include "common/clock.h"

namespace lanyard::authenticator {

struct SessionBackendStats {
    uint64_t puts = 0;
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t errors = 0;   // the store could not be reached or answered wrongly
    uint64_t evicted = 0;  // dropped to stay within bounds
};

class SessionBackend {
public:
    virtual ~SessionBackend() = default;
    // Stores value under key for ttl (replacing an older value).
    virtual void put(ByteView key, ByteView value, Duration ttl) = 0;
    // The value, or nullopt when absent, expired or unreachable.
    virtual std::optional<Bytes> get(ByteView key) = 0;
    virtual void remove(ByteView key) = 0;
    // "memory" or "redis://host:port/db", for logs.
    virtual std::string name() const = 0;
    virtual SessionBackendStats stats() const = 0;
    // Entries held, when the backend can tell cheaply (in-process only).
    virtual std::optional<size_t> entries() const { return std::nullopt; }
    // Drops expired entries where the backend does not do it itself.
    virtual size_t expire() { return 0; }
};

// A bounded map in this process: at most max_entries; storing one more drops
// expired entries first, then the oldest.
class InProcessSessionBackend final : public SessionBackend {
public:
    static constexpr size_t kDefaultMaxEntries = 4096;
    // The clock must outlive the backend.
    explicit InProcessSessionBackend(const Clock& clock, size_t max_entries = kDefaultMaxEntries);

    void put(ByteView key, ByteView value, Duration ttl) override;
    std::optional<Bytes> get(ByteView key) override;
    void remove(ByteView key) override;
    std::string name() const override { return "memory"; }
    SessionBackendStats stats() const override;

    size_t expire() override;
    std::optional<size_t> entries() const override { return size(); }
    size_t size() const;

private:
    struct Entry {
        Bytes value;
        TimePoint expires;
        std::list<Bytes>::iterator order;
    };
    void erase_locked(std::map<Bytes, Entry>::iterator it);
    size_t expire_locked(TimePoint now);

    const Clock& clock_;
    size_t max_entries_;
    mutable std::mutex mutex_;
    std::map<Bytes, Entry> entries_;
    std::list<Bytes> order_;  // oldest first
    SessionBackendStats stats_;
};

}  // namespace lanyard::authenticator
