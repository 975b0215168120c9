// IEEE 802.11-2020 §12.7.6 (4-way handshake) and §12.7.7 (group key
// handshake), Supplicant side.
#include "eapol/four_way_supplicant.h"

#include <cassert>

#include "common/log.h"

namespace lanyard::eapol {

namespace {

constexpr const char* kLog = "WPA";
using KI = KeyInformation;

}  // namespace

const char* supplicant_key_state_name(SupplicantKeyState state) {
    switch (state) {
        case SupplicantKeyState::kWaitPmk: return "WAIT_PMK";
        case SupplicantKeyState::kWaitMessage1: return "WAIT_MSG1";
        case SupplicantKeyState::kWaitMessage3: return "WAIT_MSG3";
        case SupplicantKeyState::kComplete: return "COMPLETED";
        case SupplicantKeyState::kFailed: return "FAILED";
    }
    return "?";
}

Status validate_supplicant_config(const SupplicantHandshakeConfig& config) {
    if (!akm_supported(config.akm))
        return make_error(ErrorCode::kUnsupported, std::string("AKM ") + akm_suite_name(config.akm) + " not implemented");
    if (cipher_key_length(config.pairwise_cipher) == 0 || cipher_key_length(config.group_cipher) == 0)
        return make_error(ErrorCode::kUnsupported, "pairwise or group cipher not implemented");
    if (config.mfp && cipher_key_length(config.group_management_cipher) == 0)
        return make_error(ErrorCode::kUnsupported, "group management cipher not implemented");
    if (auto own = parse_rsn_element(config.own_rsn_element); !own) return own.error();
    if (auto theirs = parse_rsn_element(config.authenticator_rsn_element); !theirs) return theirs.error();
    return ok_status();
}

FourWayHandshakeSupplicant::FourWayHandshakeSupplicant(SupplicantHandshakeConfig config,
                                                       HandshakeCallbacks callbacks, KeyInstaller& installer,
                                                       RandomSource& random)
    : config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      installer_(installer),
      random_(random),
      group_receiver_(installer, config_.group_cipher, config_.mfp ? config_.group_management_cipher : 0),
      descriptor_version_(key_descriptor_version_for(config_.akm)) {
    assert(validate_supplicant_config(config_).ok());
}

void FourWayHandshakeSupplicant::set_pmk(const SecretBytes& pmk) {
    switch (state_) {
        case SupplicantKeyState::kWaitPmk:
        case SupplicantKeyState::kWaitMessage1:
            pmk_ = pmk;
            state_ = SupplicantKeyState::kWaitMessage1;
            return;
        case SupplicantKeyState::kWaitMessage3:
        case SupplicantKeyState::kComplete:
        case SupplicantKeyState::kFailed:
            // A new PMK mid-association (re-authentication): the next message 1 uses it.
            pmk_ = pmk;
            return;
    }
}

void FourWayHandshakeSupplicant::drop(uint64_t& counter, const char* reason) {
    ++counter;
    LOG_DEBUG(kLog, "supplicant %s: dropped EAPOL-Key from %s: %s", config_.own_address.to_string().c_str(),
              config_.authenticator_address.to_string().c_str(), reason);
}

void FourWayHandshakeSupplicant::fail(HandshakeFailure failure, std::string detail) {
    state_ = SupplicantKeyState::kFailed;
    LOG_INFO(kLog, "supplicant %s: key handshake failed: %s (%s)", config_.own_address.to_string().c_str(),
             handshake_failure_name(failure), detail.c_str());
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kFailed, failure, std::move(detail)});
}

void FourWayHandshakeSupplicant::receive(ByteView eapol_pdu) {
    ++counters_.frames_rx;
    auto frame = parse_key_frame(eapol_pdu);
    if (!frame) return drop(counters_.dropped_malformed, frame.error().detail.c_str());
    const KeyInformation info = frame->key.info;
    // Frames from the Authenticator carry Key Ack and never Request/Error.
    if (info.descriptor_version() != descriptor_version_) return drop(counters_.dropped_malformed, "descriptor version");
    if (!info.has(KI::kKeyAck) || info.has(KI::kRequest) || info.has(KI::kError) || info.has(KI::kSmkMessage))
        return drop(counters_.dropped_malformed, "Key Information flags not those of an Authenticator message");

    switch (state_) {
        case SupplicantKeyState::kWaitPmk: return drop(counters_.dropped_unexpected, "no PMK yet");
        case SupplicantKeyState::kFailed: return drop(counters_.dropped_unexpected, "handshake failed");
        case SupplicantKeyState::kWaitMessage1:
        case SupplicantKeyState::kWaitMessage3:
        case SupplicantKeyState::kComplete: break;
    }
    if (info.has(KI::kKeyTypePairwise)) {
        if (!info.has(KI::kKeyMic)) {
            if (info.has(KI::kInstall) || info.has(KI::kSecure) || info.has(KI::kEncryptedKeyData))
                return drop(counters_.dropped_malformed, "message 1 with Install/Secure/Encrypted set");
            return on_message_1(*frame);
        }
        if (!info.has(KI::kInstall) || !info.has(KI::kSecure) || !info.has(KI::kEncryptedKeyData))
            return drop(counters_.dropped_malformed, "message 3 without Install/Secure/Encrypted Key Data");
        return on_message_3(*frame);
    }
    if (!info.has(KI::kKeyMic) || !info.has(KI::kSecure) || !info.has(KI::kEncryptedKeyData) ||
        info.has(KI::kInstall))
        return drop(counters_.dropped_malformed, "group message 1 flags");
    on_group_message_1(*frame);
}

void FourWayHandshakeSupplicant::on_message_1(const ReceivedKeyFrame& frame) {
    // §12.7.2: a frame whose counter is not above the last verified one is a replay.
    if (replay_counter_ && frame.key.replay_counter <= *replay_counter_)
        return drop(counters_.dropped_replay, "message 1 replay counter not above the last verified one");
    if (frame.key.key_length != 0 && frame.key.key_length != cipher_key_length(config_.pairwise_cipher))
        return drop(counters_.dropped_malformed, "message 1 Key Length does not match the pairwise cipher");
    switch (state_) {
        case SupplicantKeyState::kWaitMessage3:
            break;  // a retransmission (same or new ANonce): keep the SNonce
        case SupplicantKeyState::kWaitMessage1:
        case SupplicantKeyState::kComplete:  // a new handshake (PTK rekey)
            random_.fill(snonce_);
            break;
        case SupplicantKeyState::kWaitPmk:
        case SupplicantKeyState::kFailed: return;
    }
    std::copy(frame.key.nonce.begin(), frame.key.nonce.end(), anonce_.begin());
    auto tptk = derive_ptk(config_.akm, config_.pairwise_cipher, pmk_.view(), config_.authenticator_address,
                           config_.own_address, anonce_, snonce_);
    if (!tptk) return fail(HandshakeFailure::kUnsupported, tptk.error().detail);
    tptk_ = std::move(*tptk);
    state_ = SupplicantKeyState::kWaitMessage3;
    // Message 2: SNonce, our association RSN element, MIC with the new KCK.
    send_reply(KI::kKeyTypePairwise | KI::kKeyMic, frame.key.replay_counter, snonce_, config_.own_rsn_element,
               tptk_->kck.view());
}

bool FourWayHandshakeSupplicant::verify_and_check_replay(const ReceivedKeyFrame& frame, ByteView kck) {
    if (auto verified = verify_key_frame(frame, kck); !verified) {
        drop(counters_.dropped_bad_mic, verified.error().detail.c_str());
        return false;
    }
    if (replay_counter_ && frame.key.replay_counter <= *replay_counter_) {
        drop(counters_.dropped_replay, "replay counter not above the last verified one");
        return false;
    }
    replay_counter_ = frame.key.replay_counter;
    return true;
}

std::optional<KeyData> FourWayHandshakeSupplicant::open_key_data(const ReceivedKeyFrame& frame, ByteView kck,
                                                                 ByteView kek) {
    auto verified = verify_key_frame(frame, kck);  // checked by the caller; this gives the proof type
    if (!verified) return std::nullopt;
    auto plain = decrypt_key_data(*verified, kek);
    if (!plain) {
        fail(HandshakeFailure::kInvalidKeyData, plain.error().detail);
        return std::nullopt;
    }
    auto data = parse_key_data(plain->view());
    if (!data) {
        fail(HandshakeFailure::kInvalidKeyData, data.error().detail);
        return std::nullopt;
    }
    return std::move(*data);
}

bool FourWayHandshakeSupplicant::check_group_keys(const KeyData& data) {
    if (!data.gtk) {
        fail(HandshakeFailure::kMissingGroupKey, "no GTK KDE");
        return false;
    }
    if (config_.mfp && !data.igtk) {
        fail(HandshakeFailure::kMissingGroupKey, "management frame protection in use but no IGTK KDE");
        return false;
    }
    if (all_zero_key(data.gtk->key.view()) || (data.igtk && all_zero_key(data.igtk->key.view()))) {
        fail(HandshakeFailure::kAllZeroKey, "GTK or IGTK of all zeros");
        return false;
    }
    return true;
}

bool FourWayHandshakeSupplicant::install_group_keys(const KeyData& data, const std::array<uint8_t, 8>& rsc) {
    auto gtk = group_receiver_.install_gtk(*data.gtk, rsc);
    if (!gtk) {
        fail(HandshakeFailure::kKeyInstallFailed, gtk.error().detail);
        return false;
    }
    if (*gtk == GroupKeyReceiver::Outcome::kInstalled) ++counters_.gtk_installs;
    else ++counters_.reinstalls_refused;
    if (config_.mfp && data.igtk) {
        auto igtk = group_receiver_.install_igtk(*data.igtk);
        if (!igtk) {
            fail(HandshakeFailure::kKeyInstallFailed, igtk.error().detail);
            return false;
        }
        if (*igtk == GroupKeyReceiver::Outcome::kInstalled) ++counters_.igtk_installs;
        else ++counters_.reinstalls_refused;
    }
    return true;
}

void FourWayHandshakeSupplicant::on_message_3(const ReceivedKeyFrame& frame) {
    switch (state_) {
        case SupplicantKeyState::kWaitMessage3:
        case SupplicantKeyState::kComplete: break;
        case SupplicantKeyState::kWaitMessage1:
        case SupplicantKeyState::kWaitPmk:
        case SupplicantKeyState::kFailed: return drop(counters_.dropped_unexpected, "message 3 before message 1");
    }
    if (!tptk_) return drop(counters_.dropped_unexpected, "message 3 without a PTK");
    if (!std::equal(anonce_.begin(), anonce_.end(), frame.key.nonce.begin()))
        return drop(counters_.dropped_unexpected, "message 3 ANonce differs from message 1's");
    if (frame.key.key_length != 0 && frame.key.key_length != cipher_key_length(config_.pairwise_cipher))
        return drop(counters_.dropped_malformed, "message 3 Key Length does not match the pairwise cipher");
    // MIC first: nothing in the key data is looked at before it verifies.
    if (!verify_and_check_replay(frame, tptk_->kck.view())) return;
    auto data = open_key_data(frame, tptk_->kck.view(), tptk_->kek.view());
    if (!data) return;
    // §12.7.6.4: the RSN element must be the one of the Beacon/Probe Response.
    if (!data->rsn_element || !equal_bytes(*data->rsn_element, config_.authenticator_rsn_element))
        return fail(HandshakeFailure::kRsnElementMismatch, "message 3 RSN element differs from the Beacon's");
    if (!check_group_keys(*data)) return;

    // Message 4, then the keys (§12.7.6.5: message 4 goes out unencrypted).
    send_reply(KI::kKeyTypePairwise | KI::kKeyMic | KI::kSecure, frame.key.replay_counter, {}, {},
               tptk_->kck.view());
    const bool first = state_ == SupplicantKeyState::kWaitMessage3;
    ptk_ = tptk_;
    if (ptk_installed_ && !first) {
        ++counters_.reinstalls_refused;  // retransmitted message 3: the PTK stays as is
    } else {
        KeyInstallRequest request;
        request.kind = KeyKind::kPairwise;
        request.cipher_suite = config_.pairwise_cipher;
        request.key_index = 0;
        request.peer = config_.authenticator_address;
        request.key = ptk_->tk;
        if (auto installed = installer_.install_key(request); !installed)
            return fail(HandshakeFailure::kKeyInstallFailed, installed.error().detail);
        ptk_installed_ = true;
        ++counters_.ptk_installs;
    }
    if (!install_group_keys(*data, frame.key.rsc)) return;
    if (!first) return;
    state_ = SupplicantKeyState::kComplete;
    LOG_INFO(kLog, "supplicant %s: 4-way handshake with %s completed", config_.own_address.to_string().c_str(),
             config_.authenticator_address.to_string().c_str());
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kPairwiseComplete, {}, {}});
}

void FourWayHandshakeSupplicant::on_group_message_1(const ReceivedKeyFrame& frame) {
    switch (state_) {
        case SupplicantKeyState::kComplete: break;
        case SupplicantKeyState::kWaitMessage1:
        case SupplicantKeyState::kWaitMessage3:
        case SupplicantKeyState::kWaitPmk:
        case SupplicantKeyState::kFailed:
            return drop(counters_.dropped_unexpected, "group message 1 before the 4-way handshake completed");
    }
    if (!verify_and_check_replay(frame, ptk_->kck.view())) return;
    auto data = open_key_data(frame, ptk_->kck.view(), ptk_->kek.view());
    if (!data) return;
    if (!check_group_keys(*data)) return;
    const uint64_t before = counters_.gtk_installs + counters_.igtk_installs;
    if (!install_group_keys(*data, frame.key.rsc)) return;
    // Group message 2 (§12.7.7.3).
    send_reply(KI::kKeyMic | KI::kSecure, frame.key.replay_counter, {}, {}, ptk_->kck.view());
    if (counters_.gtk_installs + counters_.igtk_installs == before) return;  // a retransmission
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kGroupRekeyComplete, {}, {}});
}

void FourWayHandshakeSupplicant::send_reply(uint16_t flags, uint64_t replay_counter, ByteView nonce, Bytes key_data,
                                            ByteView kck) {
    auto pdu = build_key_pdu(config_.eapol_version,
                             make_key_descriptor(flags, descriptor_version_, 0, replay_counter, nonce, std::move(key_data)),
                             kck);
    if (!pdu) return fail(HandshakeFailure::kUnsupported, pdu.error().detail);
    ++counters_.frames_tx;
    if (callbacks_.send_eapol) callbacks_.send_eapol(*pdu);
}

}  // namespace lanyard::eapol
