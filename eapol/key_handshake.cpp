// Shared handshake types (IEEE 802.11-2020 §12.7.6, §9.4.1.7).
#include "eapol/key_handshake.h"

namespace lanyard::eapol {

const char* handshake_failure_name(HandshakeFailure failure) {
    switch (failure) {
        case HandshakeFailure::kFourWayTimeout: return "4-way handshake timeout";
        case HandshakeFailure::kGroupKeyTimeout: return "group key handshake timeout";
        case HandshakeFailure::kRsnElementMismatch: return "RSN element mismatch";
        case HandshakeFailure::kMissingGroupKey: return "missing group key";
        case HandshakeFailure::kAllZeroKey: return "all-zero key";
        case HandshakeFailure::kInvalidKeyData: return "invalid key data";
        case HandshakeFailure::kKeyInstallFailed: return "key installation failed";
        case HandshakeFailure::kUnsupported: return "unsupported AKM or cipher";
    }
    return "unknown";
}

uint16_t ieee80211_reason_code(HandshakeFailure failure) {
    switch (failure) {
        case HandshakeFailure::kFourWayTimeout: return 15;
        case HandshakeFailure::kGroupKeyTimeout: return 16;
        case HandshakeFailure::kRsnElementMismatch: return 17;
        case HandshakeFailure::kMissingGroupKey:
        case HandshakeFailure::kAllZeroKey:
        case HandshakeFailure::kInvalidKeyData: return 13;
        case HandshakeFailure::kKeyInstallFailed:
        case HandshakeFailure::kUnsupported: return 1;
    }
    return 1;
}

bool all_zero_key(ByteView key) {
    uint8_t acc = 0;
    for (uint8_t b : key) acc |= b;
    return acc == 0;
}

}  // namespace lanyard::eapol
