// The Authenticator side of the 4-way handshake (IEEE 802.11-2020 §12.7.6)
// and of the group key handshake (§12.7.7), one per station. Pure: time is
// handed in (start/receive/tick take `now`; next_timeout() says when to call
// tick), randomness comes from the injected RandomSource, frames leave
// through HandshakeCallbacks::send_eapol, the PTK through KeyInstaller.
//
// Rules enforced (each with a unit test):
//  - every message sent carries a larger replay counter than the one
//    before (retransmissions included); a reply must carry the counter of
//    one of the transmissions of the message it answers;
//  - messages 1, 3 and group 1 are retransmitted after retransmit_timeout,
//    at most max_attempts transmissions in all (dot11RSNAConfigPairwise-
//    UpdateCount / GroupUpdateCount, 4 as in hostapd), then failure;
//  - a bad MIC drops the frame (counted); message 2's RSN element must equal
//    the station's (re)association RSN element bit for bit (§12.7.6.3);
//  - the PTK is installed once, on message 4.
//
// A daemon drives it like this: one GroupKeyAuthority per BSS (installed
// with install() at start and after each rekey()); per associated station,
// negotiate_rsn() on its RSN element, then a machine; if
// PmksaCache::find_any(negotiated.pmkids, ...) hit, start(entry.pmk, now) at
// once (config.pmkid = entry.pmkid), else start(pmk_from_msk(msk), now) after
// EAP success; pass EAPOL-Key PDUs to receive(); arm a timer for
// next_timeout() and call tick(); on kPairwiseComplete authorize the port;
// on a group rekey timer call start_group_rekey() for each station; on
// kFailed deauthenticate with ieee80211_reason_code(failure).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
#include "common/clock.h"
#include "common/mac_address.h"
#include "common/random.h"
#include "common/secret.h"
#include "drivers/key_installer.h"
#include "eapol/eapol_frame.h"
#include "eapol/group_keys.h"
#include "eapol/key_handshake.h"
#include "eapol/key_mic.h"
#include "eapol/ptk.h"
#include "eapol/rsn_element.h"

namespace lanyard::eapol {

struct AuthenticatorHandshakeConfig {
    MacAddress own_address;      // AA (the BSSID)
    MacAddress station_address;  // SPA
    Bytes own_rsn_element;       // the Beacon's; message 3 carries it
    Bytes station_rsn_element;   // from the (re)association request; message 2 must carry the same
    uint32_t akm = kAkm8021x;
    uint32_t pairwise_cipher = kCipherCcmp128;
    bool mfp = false;  // management frame protection negotiated: the IGTK goes in message 3 / group 1
    std::optional<Pmkid> pmkid;  // put in message 1's PMKID KDE (§12.7.6.2) when set
    uint8_t eapol_version = kVersion2004;  // hostapd's eapol_version default
    Duration retransmit_timeout = Duration(1000);
    unsigned max_attempts = 4;  // transmissions of one message, the first included
};

// Checks a configuration: supported AKM and cipher, both RSN elements parse,
// max_attempts at least 1, group keys with an IGTK when mfp is set.
Status validate_authenticator_config(const AuthenticatorHandshakeConfig& config, const GroupKeyAuthority& group);

enum class AuthenticatorKeyState : uint8_t {
    kIdle,               // waiting for start() (EAP still running)
    kWaitMessage2,       // message 1 sent
    kWaitMessage4,       // message 3 sent
    kComplete,           // PTK installed; the port may open
    kWaitGroupMessage2,  // group message 1 sent (the PTK stays usable)
    kFailed,             // terminal; the daemon deauthenticates
};
const char* authenticator_key_state_name(AuthenticatorKeyState state);

class FourWayHandshakeAuthenticator {
public:
    // The configuration must pass validate_authenticator_config (asserted).
    // group outlives the machine (one per BSS, shared by every station).
    FourWayHandshakeAuthenticator(AuthenticatorHandshakeConfig config, HandshakeCallbacks callbacks,
                                  KeyInstaller& installer, RandomSource& random, const GroupKeyAuthority& group);

    // Starts (or restarts, e.g. after re-authentication) a 4-way handshake
    // with this PMK: new ANonce, message 1.
    void start(const SecretBytes& pmk, TimePoint now);
    // An EAPOL PDU (header first) from the station.
    void receive(ByteView eapol_pdu, TimePoint now);
    // Retransmissions and give-ups that are due at now.
    void tick(TimePoint now);
    std::optional<TimePoint> next_timeout() const;
    // Sends group message 1 with the group authority's current keys. Only in
    // kComplete (kProtocol otherwise; a daemon retries when the station gets there).
    Status start_group_rekey(TimePoint now);

    AuthenticatorKeyState state() const { return state_; }
    const HandshakeCounters& counters() const { return counters_; }

private:
    void on_message_2(const ReceivedKeyFrame& frame, TimePoint now);
    void on_message_4(const ReceivedKeyFrame& frame);
    void on_group_message_2(const ReceivedKeyFrame& frame);
    // Sends the pending message (1, 3 or group 1) under a fresh replay counter.
    void transmit(TimePoint now);
    bool reply_counter_ok(const ReceivedKeyFrame& frame) const;
    Bytes group_key_data() const;
    void drop(uint64_t& counter, const char* reason);
    void fail(HandshakeFailure failure, std::string detail);

    AuthenticatorHandshakeConfig config_;
    HandshakeCallbacks callbacks_;
    KeyInstaller& installer_;
    RandomSource& random_;
    const GroupKeyAuthority& group_;
    uint8_t descriptor_version_;

    AuthenticatorKeyState state_ = AuthenticatorKeyState::kIdle;
    SecretBytes pmk_;
    std::array<uint8_t, kNonceLength> anonce_{};
    std::optional<Ptk> ptk_;
    uint64_t replay_counter_ = 0;       // of the last message sent
    uint64_t round_first_counter_ = 0;  // of the first transmission of the pending message
    unsigned attempts_ = 0;             // transmissions of the pending message
    std::optional<TimePoint> deadline_;  // of the pending message's retransmission
    HandshakeCounters counters_;
};

}  // namespace lanyard::eapol
