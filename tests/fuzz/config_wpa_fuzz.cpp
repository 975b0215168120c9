// libFuzzer: the input is the text of a wpa_supplicant.conf. The parser must
// return a config or an error, never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "supplicant/wpa_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto r = lanyard::supplicant::parse_wpa_config(text, "fuzz.conf");
    if (!r.ok()) return 0;
    for (const auto& w : r->warnings) (void)w.to_string();
    (void)lanyard::supplicant::validate(r->config);
    lanyard::supplicant::ValidateOptions insecure;
    insecure.allow_unvalidated_server = true;
    for (const auto& n : r->config.networks) (void)lanyard::supplicant::tls_client_config(r->config, n, insecure);
    return 0;
}
