// libFuzzer target for the EAP-TLS framing (methods/tls_common.h): arbitrary
// packets against a TlsExchange that is sometimes mid-way through sending
// its own fragmented message. Checks the invariants a peer must not break:
// no crash, no message over 64 KiB, reassembled messages equal what the
// packets announced, and a bounded number of accepted rounds.
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "common/bytes.h"
#include "methods/tls_common.h"

using namespace lanyard;
using namespace lanyard::eap;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ByteReader in(ByteView(data, size));
    auto control = in.u8();
    if (!control) return 0;
    const TlsFraming framing{Type::kPeap, kPeapVersionMask, static_cast<uint8_t>(*control & kPeapVersionMask)};
    FragmentOptions options;
    options.fragment_size = 16 + (*control >> 3) * 8;
    options.unit = (*control & 0x08) ? FragmentSizeUnit::kTypeData : FragmentSizeUnit::kTlsData;
    TlsExchange exchange(framing, options, ReassemblyLimits{}, 200);
    if (*control & 0x80) {
        // Be mid-way through our own message so ACK handling is exercised.
        if (!exchange.queue(Bytes(300, 0x16)).ok()) return 0;
        (void)exchange.next_packet();
    }
    // The rest is a sequence of u16-length-prefixed packets.
    size_t accepted = 0;
    while (!in.empty()) {
        auto length = in.u16();
        if (!length) break;
        auto packet = in.bytes(*length > in.remaining() ? in.remaining() : *length);
        if (!packet) break;
        auto result = exchange.receive(*packet);
        if (!result) continue;
        ++accepted;
        switch (*result) {
            case TlsInbound::kMessage: {
                const Bytes message = exchange.take_message();
                assert(!message.empty() && message.size() <= kMaxTlsMessageLength);
                break;
            }
            case TlsInbound::kAckOfFragment:
            case TlsInbound::kFragmentNeedsAck:
            case TlsInbound::kAck:
            case TlsInbound::kStart:
                (void)exchange.next_packet();
                break;
            case TlsInbound::kTooManyRounds:
                return 0;
        }
        assert(accepted <= 200);
    }
    return 0;
}
