// RADIUS Identifier allocation for one client-to-server association
// (RFC 2865 §3: the Identifier matches responses to requests; RFC 5080
// §2.2.1: an Identifier is not reused while a request with it is still
// outstanding). Round-robin over the 256 values, skipping those in use, so
// a freshly freed value is not immediately handed out again.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>

namespace lanyard::radius {

class IdentifierAllocator {
public:
    explicit IdentifierAllocator(uint8_t first = 0) : next_(first) {}

    // The next free Identifier, now marked in use; nullopt when all 256 are
    // outstanding (the caller queues or drops the request).
    std::optional<uint8_t> allocate();
    void release(uint8_t id) { used_.reset(id); }
    bool in_use(uint8_t id) const { return used_.test(id); }
    size_t outstanding() const { return used_.count(); }

private:
    std::bitset<256> used_;
    uint8_t next_;
};

}  // namespace lanyard::radius
