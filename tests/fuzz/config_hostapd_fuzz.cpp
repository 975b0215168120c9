// libFuzzer: the input is the text of a hostapd.conf. The parser must return
// a config or an error, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "authenticator/hostapd_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = lanyard::authenticator::parse_hostapd_config(text, "fuzz.conf");
    if (!r.ok()) return 0;
    for (const auto& w : r->warnings) (void)w.to_string();
    (void)lanyard::authenticator::validate(r->config);
    (void)lanyard::authenticator::tls_server_config(r->config);
    return 0;
}
