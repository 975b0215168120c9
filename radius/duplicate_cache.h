// The server's duplicate-request cache (RFC 5080 §2.2.2): a retransmitted
// request — same client address, source port, Identifier and Request
// Authenticator — is answered with the cached response (or dropped while
// the first copy is still being processed) instead of being processed
// again. A request with the same address, port and Identifier but a new
// Request Authenticator is a new request and replaces the old entry.
// Bounded in entries and in time; time comes in as a parameter.
#pragma once

#include <array>
#include <cstdint>
#include <list>
#include <map>
#include <tuple>

#include "common/bytes.h"
#include "common/clock.h"
#include "radius/radius_packet.h"

namespace lanyard::radius {

struct RequestKey {
    // The client's IP address as 4 or 16 octets (only compared, never parsed).
    Bytes address;
    uint16_t port = 0;
    uint8_t identifier = 0;
    Authenticator authenticator{};
};

enum class DuplicateStatus {
    kNew,         // recorded as in progress: process it
    kInProgress,  // a retransmission of a request still being processed: drop it
    kAnswered,    // a retransmission of an answered request: resend `response`
};

class DuplicateCache {
public:
    struct Limits {
        size_t max_entries = 4096;
        // RFC 5080 §2.2.2 suggests keeping responses for a few retransmission
        // intervals; hostapd and FreeRADIUS keep them a few seconds.
        Duration lifetime = seconds(5);
    };

    DuplicateCache() : DuplicateCache(Limits{}) {}
    explicit DuplicateCache(Limits limits) : limits_(limits) {}

    struct Lookup {
        DuplicateStatus status = DuplicateStatus::kNew;
        const Bytes* response = nullptr;  // set for kAnswered; valid until the next call
    };

    // Looks the request up; a new one is recorded as in progress. Expires old
    // entries first and evicts the oldest when full.
    Lookup begin(const RequestKey& key, TimePoint now);
    // Stores the response sent for a request begun earlier (ignored if the
    // entry was evicted or replaced since).
    void complete(const RequestKey& key, Bytes response, TimePoint now);
    // Removes an entry whose processing was abandoned (so a retransmission is
    // processed afresh).
    void forget(const RequestKey& key);
    void expire(TimePoint now);

    size_t size() const { return entries_.size(); }
    uint64_t evictions() const { return evictions_; }

private:
    using Slot = std::tuple<Bytes, uint16_t, uint8_t>;  // address, port, identifier
    struct Entry {
        Authenticator authenticator{};
        bool answered = false;
        Bytes response;
        TimePoint stamp;
        std::list<Slot>::iterator order;
    };

    void erase(std::map<Slot, Entry>::iterator it);

    Limits limits_;
    std::map<Slot, Entry> entries_;
    std::list<Slot> order_;  // oldest stamp first
    uint64_t evictions_ = 0;
};

}  // namespace lanyard::radius
