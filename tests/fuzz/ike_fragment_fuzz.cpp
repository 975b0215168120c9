// libFuzzer target for IKEv2 fragment reassembly (RFC 7383 §2.6). The input
// is a script of fragments (Message ID octet, Fragment Number, Total
// Fragments, length, data) fed to a reassembler with small limits, checking
// its invariants; every 8th input also goes through the real SKF path
// (parse, authenticate with a fixed key), which must refuse forgeries.
#include <cstdint>
#include <cstdlib>

#include "ike/fragmentation.h"

namespace {

using namespace lanyard;
using namespace lanyard::ike;

const SkCipher& fixed_cipher() {
    static const SkCipher cipher = [] {
        SkAlgorithms alg;
        alg.encr = EncrId::kAesGcm16;
        alg.encr_key_size = 16;
        alg.integ = IntegId::kNone;
        return *SkCipher::create(alg, Bytes(20, 0x5a), {});
    }();
    return cipher;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ReassemblyLimits limits{8, 512};
    FragmentReassembler r(limits);
    ByteReader in(ByteView(data, size));
    for (int step = 0; step < 64 && in.remaining() >= 6; ++step) {
        const uint8_t mid = *in.u8();
        EncryptedFragmentPayload f;
        f.fragment_number = *in.u16() % 12;
        f.total_fragments = *in.u16() % 12;
        f.first_inner = f.fragment_number == 1 ? 43 : 0;
        const uint8_t len = *in.u8();
        auto piece = in.bytes(std::min<size_t>(len, in.remaining()));
        auto out = r.add_opened(mid % 2, f, SecretBytes(*piece));
        if (r.stored_fragments() > limits.max_fragments) std::abort();
        if (out && *out == FragmentReassembler::Outcome::kComplete) {
            if (!r.completed() || r.completed()->plaintext.size() > limits.max_total_size) std::abort();
            (void)r.completed_payloads();
        }
    }
    if (size > 0 && data[0] % 8 == 0) {
        auto msg = parse_message(ByteView(data + 1, size - 1));
        if (msg) {
            FragmentReassembler real;
            auto out = real.add(ByteView(data + 1, size - 1), *msg, fixed_cipher());
            // A fuzzer cannot forge a GCM tag under the fixed key.
            if (out && real.stored_fragments() != 0) std::abort();
            if (out && *out == FragmentReassembler::Outcome::kComplete) std::abort();
        }
    }
    return 0;
}
