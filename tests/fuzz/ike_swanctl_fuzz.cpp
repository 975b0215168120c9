// libFuzzer: swanctl.conf text into the settings parser and the
// lanyard-gateway configuration reader (no credentials directory exists at
// the fuzz path, so only the text is exercised); the same text as
// strongswan.conf into the eap-radius settings reader.
#include <string>

#include "gateway/eap_radius_conf.h"
#include "gateway/swanctl_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto r = lanyard::gateway::parse_swanctl_conf(text, "/nonexistent/fuzz/swanctl.conf");
    if (r.ok()) {
        for (const auto& c : r->store->connections()) {
            (void)c->name.size();
        }
    } else if (r.error().detail.empty()) {
        __builtin_trap();  // every error names what is wrong
    }
    auto radius = lanyard::gateway::parse_eap_radius_settings(text, "/nonexistent/fuzz/strongswan.conf");
    if (radius.ok()) {
        if (radius->servers.empty()) __builtin_trap();  // a reader that succeeds has a server
    } else if (radius.error().detail.empty()) {
        __builtin_trap();
    }
    return 0;
}
