// libFuzzer target for the EAP packet codec (RFC 3748 §4): parse; when the
// parse succeeds, serialize and parse again and require the same packet.
#include <cstdint>
#include <cstdlib>

#include "methods/eap_packet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace lanyard::eap;
    auto first = parse_packet(lanyard::ByteView(data, size));
    if (!first) return 0;
    auto bytes = serialize_packet(*first);
    if (!bytes) std::abort();  // whatever parsed must serialize
    auto second = parse_packet(*bytes);
    if (!second || !(*second == *first)) std::abort();
    // The re-serialized packet is exactly Length bytes: padding is gone.
    if (bytes->size() > size) std::abort();
    parse_nak(first->type_data);
    return 0;
}
