// What the 4-way and group key handshakes (IEEE 802.11-2020 §12.7.6,
// §12.7.7) share on both sides: the outcome types, the drop counters, and
// the callbacks a daemon hands in. The machines themselves are
// FourWayHandshakeSupplicant and FourWayHandshakeAuthenticator.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/bytes.h"

namespace lanyard::eapol {

// Why a handshake ended in failure. Each maps to the IEEE 802.11 reason code
// the daemon puts in its Deauthentication frame (§9.4.1.7 Table 9-49).
enum class HandshakeFailure : uint8_t {
    kFourWayTimeout,        // authenticator: message 1 or 3 sent too often (reason 15)
    kGroupKeyTimeout,       // authenticator: group message 1 sent too often (reason 16)
    kRsnElementMismatch,    // message 2/3 RSN element differs from the association/Beacon one (reason 17)
    kMissingGroupKey,       // no GTK, or no IGTK with management frame protection (reason 13, invalid element)
    kAllZeroKey,            // a GTK or IGTK of all zeros (reason 13)
    kInvalidKeyData,        // verified key data that does not parse (reason 13)
    kKeyInstallFailed,      // the KeyInstaller refused (reason 1, unspecified)
    kUnsupported,           // AKM or cipher we cannot derive keys for (reason 1)
};
const char* handshake_failure_name(HandshakeFailure failure);
uint16_t ieee80211_reason_code(HandshakeFailure failure);

struct HandshakeEvent {
    enum class Kind : uint8_t {
        kPairwiseComplete,     // 4-way handshake done: PTK (and GTK/IGTK) installed; open the port
        kGroupRekeyComplete,   // group key handshake done (supplicant: new GTK installed)
        kFailed,               // see failure; the daemon deauthenticates
    };
    Kind kind = Kind::kPairwiseComplete;
    HandshakeFailure failure = HandshakeFailure::kFourWayTimeout;  // meaningful for kFailed
    std::string detail;
};

// The machines' only outputs besides KeyInstaller: frames and events. Both
// are called synchronously from receive()/start()/tick(); they must not call
// back into the machine.
struct HandshakeCallbacks {
    std::function<void(ByteView eapol_pdu)> send_eapol;
    std::function<void(const HandshakeEvent& event)> on_event;
};

// Frames dropped with a reason (logged at debug level), and the work done.
struct HandshakeCounters {
    uint64_t frames_rx = 0;
    uint64_t frames_tx = 0;
    uint64_t dropped_malformed = 0;   // does not parse, wrong descriptor version or flags
    uint64_t dropped_unexpected = 0;  // valid but not expected in this state
    uint64_t dropped_replay = 0;      // replay counter not acceptable
    uint64_t dropped_bad_mic = 0;     // MIC did not verify (key data left untouched)
    uint64_t retransmissions = 0;     // authenticator: messages 1/3/group 1 sent again
    uint64_t ptk_installs = 0;
    uint64_t gtk_installs = 0;
    uint64_t igtk_installs = 0;
    uint64_t reinstalls_refused = 0;  // a retransmission carried a key already installed (KRACK)
};

// True when every octet is zero (an all-zero key is refused).
bool all_zero_key(ByteView key);

}  // namespace lanyard::eapol
