// Link-layer key installation, separate from Driver (see the note at the
// top of drivers/driver.h). nl80211 implements it; the memory driver
// implements it as a recorder for handshake tests; wired does not.
#pragma once

#include <array>
#include <cstdint>

#include "common/mac_address.h"
#include "common/result.h"
#include "common/secret.h"

namespace lanyard {

enum class KeyKind {
    kPairwise,        // PTK temporal key (TK), per station
    kGroup,           // GTK
    kIntegrityGroup,  // IGTK (management frame protection)
};
const char* key_kind_name(KeyKind kind);

struct KeyInstallRequest {
    KeyKind kind = KeyKind::kPairwise;
    // Cipher suite selector as carried in the RSN element, OUI 00-0F-AC and
    // suite type (IEEE 802.11-2020 §9.4.2.24.2, Table 9-149), e.g.
    // 0x000FAC04 for CCMP-128. nl80211 takes the same 32-bit value.
    uint32_t cipher_suite = 0;
    uint8_t key_index = 0;  // 0 or 1 for pairwise, 1-2 group, 4-5 IGTK
    MacAddress peer;        // pairwise: the station; group: broadcast
    SecretBytes key;
    // Receive sequence counter, little-endian as in EAPOL-Key (IEEE 802.11-2020 §12.7.2).
    std::array<uint8_t, 8> rsc{};
};

class KeyInstaller {
public:
    virtual ~KeyInstaller() = default;
    virtual Status install_key(const KeyInstallRequest& request) = 0;
    // Removes every key of a station (on deauthentication).
    virtual Status remove_keys(const MacAddress& peer) = 0;
};

}  // namespace lanyard
