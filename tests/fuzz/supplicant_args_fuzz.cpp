// libFuzzer target: lanyard-supplicant's command line (supplicant_options).
// The input is split on NUL bytes into argv elements; parsing must never
// crash, and an accepted command line must name an interface and a config.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "supplicant/supplicant_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> args{"lanyard-supplicant"};
    std::string cur;
    for (size_t i = 0; i < size && args.size() < 64; ++i) {
        if (data[i] == 0) {
            args.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(static_cast<char>(data[i]));
        }
    }
    args.push_back(cur);
    auto o = lanyard::supplicant::parse_supplicant_args(args);
    if (o.ok() && !o->show_help && !o->show_version && (o->interface_name.empty() || o->config_file.empty())) {
        std::abort();
    }
    return 0;
}
