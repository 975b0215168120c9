// RADIUS Identifier allocation (RFC 2865 §3, RFC 5080 §2.2.1).
#include "radius/identifier_allocator.h"

namespace lanyard::radius {

std::optional<uint8_t> IdentifierAllocator::allocate() {
    for (int i = 0; i < 256; ++i) {  // bounded: 256 values
        const uint8_t id = next_++;
        if (!used_.test(id)) {
            used_.set(id);
            return id;
        }
    }
    return std::nullopt;
}

}  // namespace lanyard::radius
