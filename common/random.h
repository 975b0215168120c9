// A source of random bytes that tests can replace, so that captured
// handshakes can be replayed byte for byte.
#pragma once

#include <cstdint>
#include <span>

#include "common/bytes.h"

namespace lanyard {

class RandomSource {
public:
    virtual ~RandomSource() = default;
    virtual void fill(std::span<uint8_t> out) = 0;

    Bytes bytes(size_t n) {
        Bytes b(n);
        fill(b);
        return b;
    }
    uint8_t u8() {
        uint8_t v = 0;
        fill(std::span<uint8_t>(&v, 1));
        return v;
    }
    uint32_t u32();
};

// getrandom(2): the kernel's CSPRNG.
class SystemRandom final : public RandomSource {
public:
    void fill(std::span<uint8_t> out) override;
    static SystemRandom& instance();
};

// Deterministic bytes from a seed (xorshift); for tests only.
class FakeRandom final : public RandomSource {
public:
    explicit FakeRandom(uint64_t seed = 1) : state_(seed ? seed : 1) {}
    void fill(std::span<uint8_t> out) override;

private:
    uint64_t state_;
};

}  // namespace lanyard
