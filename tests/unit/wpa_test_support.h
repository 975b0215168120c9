// Helpers for the WPA key management tests (tests/unit/test_wpa_*.cpp).
#pragma once

#include <algorithm>
#include <deque>
#include <span>
#include <vector>

#include "common/hex.h"
#include "common/random.h"
#include "drivers/key_installer.h"

namespace lanyard::test {

inline Bytes unhex(const char* text) { return from_hex(text).value(); }

// Records every key installation, like the memory driver does.
class RecordingKeyInstaller final : public KeyInstaller {
public:
    Status install_key(const KeyInstallRequest& request) override {
        if (fail_next) {
            fail_next = false;
            return make_error(ErrorCode::kIo, "installer told to fail");
        }
        installed.push_back(request);
        return ok_status();
    }
    Status remove_keys(const MacAddress& peer) override {
        removed.push_back(peer);
        return ok_status();
    }
    size_t count(KeyKind kind) const {
        return static_cast<size_t>(std::count_if(installed.begin(), installed.end(),
                                                 [kind](const KeyInstallRequest& r) { return r.kind == kind; }));
    }
    const KeyInstallRequest* last(KeyKind kind) const {
        for (auto it = installed.rbegin(); it != installed.rend(); ++it)
            if (it->kind == kind) return &*it;
        return nullptr;
    }

    std::vector<KeyInstallRequest> installed;
    std::vector<MacAddress> removed;
    bool fail_next = false;
};

// Hands out queued byte strings first (nonces from a capture), then
// FakeRandom bytes.
class ScriptedRandom final : public RandomSource {
public:
    explicit ScriptedRandom(uint64_t seed = 7) : fallback_(seed) {}
    void queue(Bytes bytes) { queued_.push_back(std::move(bytes)); }
    void fill(std::span<uint8_t> out) override {
        if (!queued_.empty() && queued_.front().size() == out.size()) {
            std::copy(queued_.front().begin(), queued_.front().end(), out.begin());
            queued_.pop_front();
            return;
        }
        fallback_.fill(out);
    }

private:
    std::deque<Bytes> queued_;
    FakeRandom fallback_;
};

}  // namespace lanyard::test
