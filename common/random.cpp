#include "common/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace lanyard {

uint32_t RandomSource::u32() {
    uint8_t b[4];
    fill(b);
    return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

void SystemRandom::fill(std::span<uint8_t> out) {
    size_t done = 0;
    while (done < out.size()) {
        ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::abort();  // no randomness: nothing safe can continue
        }
        done += static_cast<size_t>(n);
    }
}

SystemRandom& SystemRandom::instance() {
    static SystemRandom random;
    return random;
}

void FakeRandom::fill(std::span<uint8_t> out) {
    for (auto& b : out) {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        b = static_cast<uint8_t>(state_ >> 24);
    }
}

}  // namespace lanyard
