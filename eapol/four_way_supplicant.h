// The Supplicant side of the 4-way handshake (IEEE 802.11-2020 §12.7.6)
// and of the group key handshake (§12.7.7), in the style of iwd's eapol.c:
// no netlink, no clock, no sockets. EAPOL-Key PDUs come in through
// receive(); frames go out through HandshakeCallbacks::send_eapol, keys
// through KeyInstaller, outcomes through HandshakeCallbacks::on_event.
//
// Rules enforced (each with a unit test):
//  - the replay counter of a frame must be larger than that of the last
//    frame whose MIC verified (§12.7.2 Key Replay Counter);
//  - a bad MIC drops the frame (counted) before its key data is looked at;
//  - message 1 again: same or new ANonce, the same SNonce, message 2 again;
//  - message 3 again (after message 4): message 4 again, no PTK/GTK/IGTK
//    reinstall (key reinstallation protection); group message 1 again with
//    the same GTK: message 2 again, no reinstall;
//  - message 3's RSN element must equal the Beacon's, bit for bit
//    (§12.7.6.4); with management frame protection an IGTK is required;
//    an all-zero GTK/IGTK is refused.
//
// A daemon drives it like this: on association, build the config from the
// RSN element it sent and the Beacon's, and a machine (one per association;
// a failed one is thrown away); if PmksaCache::find_by_authenticator hit,
// set_pmk(entry.pmk) at once, else after EAP success set_pmk(pmk_from_msk());
// hand every received EAPOL-Key PDU to receive(); on kPairwiseComplete
// authorize the port (and add the PMKSA to the cache); on kFailed
// deauthenticate with ieee80211_reason_code(failure).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "common/bytes.h"
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

struct SupplicantHandshakeConfig {
    MacAddress own_address;            // SPA
    MacAddress authenticator_address;  // AA (the BSSID)
    Bytes own_rsn_element;             // as sent in the (re)association request; message 2 carries it
    Bytes authenticator_rsn_element;   // from the Beacon/Probe Response; message 3 must carry the same
    uint32_t akm = kAkm8021x;
    uint32_t pairwise_cipher = kCipherCcmp128;
    uint32_t group_cipher = kCipherCcmp128;
    bool mfp = false;  // management frame protection negotiated: an IGTK is required
    uint32_t group_management_cipher = kCipherBipCmac128;
    uint8_t eapol_version = kVersion2001;  // wpa_supplicant's eapol_version default
};

// Checks a configuration: supported AKM and ciphers, both RSN elements parse.
Status validate_supplicant_config(const SupplicantHandshakeConfig& config);

enum class SupplicantKeyState : uint8_t {
    kWaitPmk,       // no PMK yet (EAP still running); EAPOL-Key frames are dropped
    kWaitMessage1,  // PMK known
    kWaitMessage3,  // message 2 sent
    kComplete,      // PTK, GTK (and IGTK) installed; group rekeys and PTK rekeys accepted
    kFailed,        // terminal; the daemon deauthenticates
};
const char* supplicant_key_state_name(SupplicantKeyState state);

class FourWayHandshakeSupplicant {
public:
    // The configuration must pass validate_supplicant_config (asserted).
    FourWayHandshakeSupplicant(SupplicantHandshakeConfig config, HandshakeCallbacks callbacks,
                               KeyInstaller& installer, RandomSource& random);

    // The PMK (32 octets: pmk_from_msk after EAP success, or a cached PMKSA).
    void set_pmk(const SecretBytes& pmk);
    // An EAPOL PDU (header first) from the authenticator.
    void receive(ByteView eapol_pdu);

    SupplicantKeyState state() const { return state_; }
    const HandshakeCounters& counters() const { return counters_; }

private:
    void on_message_1(const ReceivedKeyFrame& frame);
    void on_message_3(const ReceivedKeyFrame& frame);
    void on_group_message_1(const ReceivedKeyFrame& frame);
    // MIC with kck, then the replay counter; drops (counted) and returns false on failure.
    bool verify_and_check_replay(const ReceivedKeyFrame& frame, ByteView kck);
    // Decrypts and parses verified key data; fails the handshake on error.
    std::optional<KeyData> open_key_data(const ReceivedKeyFrame& frame, ByteView kck, ByteView kek);
    // GTK (+IGTK) present, right length, not all zero. Fails the handshake otherwise.
    bool check_group_keys(const KeyData& data);
    bool install_group_keys(const KeyData& data, const std::array<uint8_t, 8>& rsc);
    void send_reply(uint16_t flags, uint64_t replay_counter, ByteView nonce, Bytes key_data, ByteView kck);
    void drop(uint64_t& counter, const char* reason);
    void fail(HandshakeFailure failure, std::string detail);

    SupplicantHandshakeConfig config_;
    HandshakeCallbacks callbacks_;
    KeyInstaller& installer_;
    RandomSource& random_;
    GroupKeyReceiver group_receiver_;
    uint8_t descriptor_version_;

    SupplicantKeyState state_ = SupplicantKeyState::kWaitPmk;
    SecretBytes pmk_;
    std::array<uint8_t, kNonceLength> anonce_{};
    std::array<uint8_t, kNonceLength> snonce_{};
    std::optional<Ptk> tptk_;  // from the latest message 1
    std::optional<Ptk> ptk_;   // confirmed by message 3
    bool ptk_installed_ = false;
    std::optional<uint64_t> replay_counter_;  // of the last frame whose MIC verified
    HandshakeCounters counters_;
};

}  // namespace lanyard::eapol
