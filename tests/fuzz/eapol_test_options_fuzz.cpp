// libFuzzer target: lanyard-eapol-test's command line and --servers parser.
// The input is split at NUL bytes into argv elements.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/eapol_test/eapol_test_options.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<std::string> args;
    std::string current;
    for (char c : text) {
        if (c == '\0') {
            args.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    args.push_back(current);
    auto options = lanyard::eapol_test::parse_options(args);
    if (options.ok()) {
        (void)options->effective_servers();
        (void)options->stations();
        (void)options->total_authentications();
    }
    (void)lanyard::eapol_test::parse_server_list(text);
    return 0;
}
