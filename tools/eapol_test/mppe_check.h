// eapol_test's key check after each authentication: the peer's MSK against
// the MSK the server sent as MS-MPPE-Recv-Key | MS-MPPE-Send-Key (RFC 2548
// §2.4.2/§2.4.3; the mapping is in radius/mppe_keys.h). The outcome feeds
// the "MPPE keys OK: N  mismatch: M" line.
#pragma once

#include <optional>

#include "common/secret.h"

namespace lanyard::eapol_test {

enum class KeyCheck {
    kOk,          // accepted and the keys match: counted as OK
    kOkUncounted, // accepted with -n (no keys expected): neither OK nor mismatch
    kMismatch,    // keys differ or are missing, or the authentication failed
};

const char* key_check_name(KeyCheck check);

// accepted: an Access-Accept ended the authentication and the peer agreed.
// server_msk: Recv-Key | Send-Key from the Accept (nullopt when absent).
// peer_msk: the MSK the peer's method derived (nullptr when none).
// As eapol_test: with -n an accepted authentication is fine and not counted
// (unless its keys are present and differ); anything else is a mismatch.
// The whole server MSK is compared (eapol_test compares its first 32
// octets), in constant time.
KeyCheck check_mppe_keys(bool accepted, const std::optional<SecretBytes>& server_msk, const SecretBytes* peer_msk,
                         bool no_mppe_keys);

}  // namespace lanyard::eapol_test
