// libFuzzer target for the IKEv2 message codec (RFC 7296 §3): parse a
// message; when it parses, build it again and require that the rebuilt
// message parses to the same header and payloads. Also runs the bare
// payload-chain parser with the first octet as the first payload type.
#include <cstdint>
#include <cstdlib>

#include "ike/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace lanyard;
    using namespace lanyard::ike;
    const ByteView in(data, size);
    ChainDiagnostics diag;
    auto msg = parse_message(in, &diag);
    if (msg) {
        auto rebuilt = build_message(msg->header, msg->payloads);
        if (!rebuilt) std::abort();  // whatever parsed must build
        auto again = parse_message(*rebuilt);
        if (!again || !(again->payloads == msg->payloads)) std::abort();
        IkeHeader h1 = msg->header, h2 = again->header;
        h1.length = h2.length = 0;
        h1.next_payload = h2.next_payload = 0;
        if (!(h1 == h2)) std::abort();
        if (rebuilt->size() > size) std::abort();  // skipped unknown payloads only shrink it
    }
    if (size > 0) {
        auto chain = parse_payload_chain(data[0], in.subspan(1));
        if (chain) {
            auto bytes = build_payload_chain(*chain);
            if (!bytes) std::abort();
        }
    }
    return 0;
}
