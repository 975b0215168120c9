// libFuzzer target for the RSN element (IEEE 802.11-2020 §9.4.2.24): the
// parser must accept or reject without crashing; what it accepts must build
// and parse back to the same value; the element search and the
// authenticator's negotiation must hold up on anything the parser accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "eapol/rsn_element.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView input(data, size);
    if (auto rsn = parse_rsn_element(input)) {
        require(rsn->version == kRsnVersion);
        require(!rsn->pairwise_ciphers.empty() && !rsn->akms.empty());
        auto built = build_rsn_element(*rsn);
        if (built) {
            auto again = parse_rsn_element(*built);
            require(again.ok());
            require(*again == *rsn);
        }
        RsnElement ours;
        ours.akms = {kAkm8021x, kAkm8021xSha256};
        ours.capabilities = mfp_capability_bits(MfpPolicy::kOptional);
        if (auto agreed = negotiate_rsn(ours, *rsn)) {
            require(agreed->akm == kAkm8021x || agreed->akm == kAkm8021xSha256);
            require(agreed->pairwise_cipher == kCipherCcmp128);
        }
    }
    (void)parse_rsn_body(input);
    if (auto found = find_rsn_element(input)) {
        require(found->size() >= 2 && (*found)[0] == kRsnElementId);
        require(found->data() >= input.data() && found->data() + found->size() <= input.data() + input.size());
    }
    return 0;
}
