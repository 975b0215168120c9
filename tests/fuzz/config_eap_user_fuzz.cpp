// libFuzzer: the input is the text of a hostapd eap_user file. The parser
// must return the records or an error, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "authenticator/eap_user_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = lanyard::authenticator::parse_eap_user_file(text, "fuzz.eap_user");
    if (!r.ok()) return 0;
    for (const auto& w : r->warnings) (void)w.to_string();
    if (r->records.size() != r->entries.size()) __builtin_trap();
    auto db = r->take_database();
    (void)db.size();
    return 0;
}
