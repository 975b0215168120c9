#include "tools/eapol_test/mppe_check.h"

#include "common/bytes.h"

namespace lanyard::eapol_test {

namespace {
// The smallest server MSK compared: one 32-octet MPPE key (a PMK).
constexpr size_t kMinKeySize = 32;
}  // namespace

const char* key_check_name(KeyCheck check) {
    switch (check) {
        case KeyCheck::kOk: return "OK";
        case KeyCheck::kOkUncounted: return "OK (no keys expected)";
        case KeyCheck::kMismatch: return "mismatch";
    }
    return "?";
}

KeyCheck check_mppe_keys(bool accepted, const std::optional<SecretBytes>& server_msk, const SecretBytes* peer_msk,
                         bool no_mppe_keys) {
    const bool have_both = server_msk && server_msk->size() >= kMinKeySize && peer_msk != nullptr &&
                           peer_msk->size() >= server_msk->size();
    if (have_both) {
        const bool same = constant_time_equal(peer_msk->first(server_msk->size()), server_msk->view());
        if (same && accepted) return no_mppe_keys ? KeyCheck::kOkUncounted : KeyCheck::kOk;
        return KeyCheck::kMismatch;
    }
    if (accepted && no_mppe_keys) return KeyCheck::kOkUncounted;
    return KeyCheck::kMismatch;
}

}  // namespace lanyard::eapol_test
