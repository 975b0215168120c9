// A 48-bit IEEE 802 MAC address (IEEE Std 802-2014 §8.2): six octets,
// written "aa:bb:cc:dd:ee:ff". Parsing is strict: exactly six two-digit hex
// groups with one separator kind (':' or '-'), nothing else.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"

namespace lanyard {

class MacAddress {
public:
    static constexpr size_t kSize = 6;
    using Octets = std::array<uint8_t, kSize>;

    constexpr MacAddress() = default;
    constexpr explicit MacAddress(const Octets& octets) : octets_(octets) {}

    // "aa:bb:cc:dd:ee:ff" or "AA-BB-CC-DD-EE-FF".
    static Result<MacAddress> parse(std::string_view text);
    // Exactly six octets.
    static Result<MacAddress> from_bytes(ByteView bytes);

    static constexpr MacAddress broadcast() {
        return MacAddress(Octets{0xff, 0xff, 0xff, 0xff, 0xff, 0xff});
    }

    // Lower-case "aa:bb:cc:dd:ee:ff".
    std::string to_string() const;

    const Octets& octets() const { return octets_; }
    ByteView view() const { return ByteView(octets_); }

    // The individual/group bit is the least significant bit of the first
    // octet (IEEE Std 802-2014 §8.2.2).
    constexpr bool is_group() const { return (octets_[0] & 0x01) != 0; }
    constexpr bool is_broadcast() const { return *this == broadcast(); }
    constexpr bool is_zero() const { return *this == MacAddress(); }

    constexpr auto operator<=>(const MacAddress&) const = default;

private:
    Octets octets_{};
};

// IEEE 802.1X-2010 §11.1.1, Table 11-1: the Port Access Entity group
// address (nearest non-TPMR bridge), the default destination of EAPOL frames.
inline constexpr MacAddress kPaeGroupAddress{MacAddress::Octets{0x01, 0x80, 0xc2, 0x00, 0x00, 0x03}};

}  // namespace lanyard

template <>
struct std::hash<lanyard::MacAddress> {
    size_t operator()(const lanyard::MacAddress& mac) const noexcept {
        uint64_t v = 0;
        for (uint8_t o : mac.octets()) v = (v << 8) | o;
        return std::hash<uint64_t>{}(v);
    }
};
