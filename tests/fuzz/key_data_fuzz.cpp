// libFuzzer target for EAPOL-Key Key Data (IEEE 802.11-2020 §12.7.2, KDEs of
// Table 12-10): parse without crashing; what parses builds and parses back
// to the same KDEs; padding always gives a key-wrap-ready length.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "crypto/aes_wrap.h"
#include "eapol/key_data.h"
#include "eapol/key_mic.h"

using namespace lanyard;
using namespace lanyard::eapol;

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView input(data, size);
    if (auto parsed = parse_key_data(input)) {
        SecretBytes built = build_key_data(*parsed);
        auto again = parse_key_data(built.view());
        require(again.ok());
        require(again->rsn_element == parsed->rsn_element);
        require(again->gtk.has_value() == parsed->gtk.has_value());
        if (parsed->gtk) {
            require(again->gtk->key_id == parsed->gtk->key_id && again->gtk->tx == parsed->gtk->tx);
            require(equal_bytes(again->gtk->key.view(), parsed->gtk->key.view()));
        }
        require(again->igtk.has_value() == parsed->igtk.has_value());
        if (parsed->igtk) require(*again->igtk == *parsed->igtk);
        require(again->pmkid == parsed->pmkid);
        require(again->mac_address == parsed->mac_address);
        require(again->ignored_elements == 0);
    }
    SecretBytes padded = pad_key_data(input);
    require(padded.size() >= 16 && padded.size() % 8 == 0 && padded.size() >= size);
    // Wrapped key data: the unwrap must fail cleanly on garbage.
    static const uint8_t kek[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    if (size >= 24 && size % 8 == 0) (void)crypto::aes_unwrap(ByteView(kek, 16), input);
    return 0;
}
