// libFuzzer target for the radius_server_clients reader: any text either
// parses into clients with sane prefixes and non-empty secrets or fails with
// a "name:line: " error; lookups on the result never crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "radius/client_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace lanyard::radius;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto table = ClientTable::parse(text, "fuzz");
    if (!table) {
        if (table.error().detail.rfind("fuzz:", 0) != 0) std::abort();
        return 0;
    }
    for (const auto& c : table->clients()) {
        if (c.secret.empty()) std::abort();
        if (c.prefix > (c.network.family == IpAddress::Family::kIpv4 ? 32u : 128u)) std::abort();
    }
    // Look up the first 16 (or 4) input octets as an address.
    std::array<uint8_t, 16> v6{};
    for (size_t i = 0; i < v6.size() && i < size; ++i) v6[i] = data[i];
    (void)table->find(IpAddress::v6(v6));
    (void)table->find(IpAddress::v4({v6[0], v6[1], v6[2], v6[3]}));
    return 0;
}
