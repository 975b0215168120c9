#include "common/mac_address.h"

#include <algorithm>
#include <cstdio>

namespace lanyard {
namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

Result<MacAddress> MacAddress::parse(std::string_view text) {
    // 6 groups of 2 digits plus 5 separators.
    constexpr size_t kTextSize = kSize * 2 + (kSize - 1);
    if (text.size() != kTextSize) {
        return make_error(ErrorCode::kMalformed,
                          "MAC address must be 17 characters, got " + std::to_string(text.size()));
    }
    const char separator = text[2];
    if (separator != ':' && separator != '-') {
        return make_error(ErrorCode::kMalformed, "MAC address separator must be ':' or '-'");
    }
    Octets octets{};
    for (size_t i = 0; i < kSize; ++i) {
        const size_t at = i * 3;
        if (i > 0 && text[at - 1] != separator) {
            return make_error(ErrorCode::kMalformed, "MAC address has mixed or misplaced separators");
        }
        const int hi = hex_digit(text[at]);
        const int lo = hex_digit(text[at + 1]);
        if (hi < 0 || lo < 0) {
            return make_error(ErrorCode::kMalformed, "MAC address has a non-hex digit");
        }
        octets[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return MacAddress(octets);
}

Result<MacAddress> MacAddress::from_bytes(ByteView bytes) {
    if (bytes.size() != kSize) {
        return make_error(ErrorCode::kMalformed,
                          "MAC address must be 6 octets, got " + std::to_string(bytes.size()));
    }
    Octets octets{};
    std::copy(bytes.begin(), bytes.end(), octets.begin());
    return MacAddress(octets);
}

std::string MacAddress::to_string() const {
    char buf[18];
    std::snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", octets_[0], octets_[1],
                  octets_[2], octets_[3], octets_[4], octets_[5]);
    return std::string(buf);
}

}  // namespace lanyard
