// IEEE 802.11-2020 §12.7.6 (4-way handshake) and §12.7.7 (group key
// handshake), Authenticator side.
#include "eapol/four_way_authenticator.h"

#include <cassert>

#include "common/log.h"

namespace lanyard::eapol {

namespace {

constexpr const char* kLog = "WPA";
using KI = KeyInformation;

}  // namespace

const char* authenticator_key_state_name(AuthenticatorKeyState state) {
    switch (state) {
        case AuthenticatorKeyState::kIdle: return "IDLE";
        case AuthenticatorKeyState::kWaitMessage2: return "PTKSTART";
        case AuthenticatorKeyState::kWaitMessage4: return "PTKINITNEGOTIATING";
        case AuthenticatorKeyState::kComplete: return "PTKINITDONE";
        case AuthenticatorKeyState::kWaitGroupMessage2: return "REKEYNEGOTIATING";
        case AuthenticatorKeyState::kFailed: return "FAILED";
    }
    return "?";
}

Status validate_authenticator_config(const AuthenticatorHandshakeConfig& config, const GroupKeyAuthority& group) {
    if (!akm_supported(config.akm))
        return make_error(ErrorCode::kUnsupported, std::string("AKM ") + akm_suite_name(config.akm) + " not implemented");
    if (cipher_key_length(config.pairwise_cipher) == 0)
        return make_error(ErrorCode::kUnsupported, "pairwise cipher not implemented");
    if (config.max_attempts == 0) return make_error(ErrorCode::kConfig, "max_attempts must be at least 1");
    if (config.mfp && !group.current().igtk)
        return make_error(ErrorCode::kConfig, "management frame protection needs group keys with an IGTK");
    if (auto own = parse_rsn_element(config.own_rsn_element); !own) return own.error();
    if (auto station = parse_rsn_element(config.station_rsn_element); !station) return station.error();
    return ok_status();
}

FourWayHandshakeAuthenticator::FourWayHandshakeAuthenticator(AuthenticatorHandshakeConfig config,
                                                             HandshakeCallbacks callbacks, KeyInstaller& installer,
                                                             RandomSource& random, const GroupKeyAuthority& group)
    : config_(std::move(config)),
      callbacks_(std::move(callbacks)),
      installer_(installer),
      random_(random),
      group_(group),
      descriptor_version_(key_descriptor_version_for(config_.akm)) {
    assert(validate_authenticator_config(config_, group_).ok());
}

void FourWayHandshakeAuthenticator::drop(uint64_t& counter, const char* reason) {
    ++counter;
    LOG_DEBUG(kLog, "authenticator %s: dropped EAPOL-Key from %s: %s", config_.own_address.to_string().c_str(),
              config_.station_address.to_string().c_str(), reason);
}

void FourWayHandshakeAuthenticator::fail(HandshakeFailure failure, std::string detail) {
    state_ = AuthenticatorKeyState::kFailed;
    deadline_.reset();
    LOG_INFO(kLog, "authenticator: key handshake with %s failed: %s (%s)", config_.station_address.to_string().c_str(),
             handshake_failure_name(failure), detail.c_str());
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kFailed, failure, std::move(detail)});
}

void FourWayHandshakeAuthenticator::start(const SecretBytes& pmk, TimePoint now) {
    pmk_ = pmk;
    random_.fill(anonce_);
    ptk_.reset();
    state_ = AuthenticatorKeyState::kWaitMessage2;
    attempts_ = 0;
    transmit(now);
}

Bytes FourWayHandshakeAuthenticator::group_key_data() const {
    KeyData data;
    data.gtk = group_.current().gtk;
    if (config_.mfp) data.igtk = group_.current().igtk;
    SecretBytes plain = build_key_data(data);
    return Bytes(plain.view().begin(), plain.view().end());
}

void FourWayHandshakeAuthenticator::transmit(TimePoint now) {
    const size_t tk_length = cipher_key_length(config_.pairwise_cipher);
    Ieee80211KeyDescriptor key;
    ByteView kck;
    Result<Bytes> encrypted = Bytes{};
    switch (state_) {
        case AuthenticatorKeyState::kWaitMessage2: {
            // Message 1 (§12.7.6.2): ANonce, optionally the PMKID KDE.
            Bytes key_data;
            if (config_.pmkid) {
                KeyData data;
                data.pmkid = config_.pmkid;
                SecretBytes built = build_key_data(data);
                key_data.assign(built.view().begin(), built.view().end());
            }
            key = make_key_descriptor(KI::kKeyTypePairwise | KI::kKeyAck, descriptor_version_,
                                      static_cast<uint16_t>(tk_length), 0, anonce_, std::move(key_data));
            break;
        }
        case AuthenticatorKeyState::kWaitMessage4: {
            // Message 3 (§12.7.6.4): ANonce, Key RSC of the GTK, {RSNE, GTK, IGTK} wrapped.
            KeyData data;
            data.rsn_element = config_.own_rsn_element;
            data.gtk = group_.current().gtk;
            if (config_.mfp) data.igtk = group_.current().igtk;
            SecretBytes plain = build_key_data(data);
            encrypted = encrypt_key_data(ptk_->kek.view(), plain.view());
            if (!encrypted) return fail(HandshakeFailure::kUnsupported, encrypted.error().detail);
            key = make_key_descriptor(KI::kKeyTypePairwise | KI::kInstall | KI::kKeyAck | KI::kKeyMic | KI::kSecure |
                                          KI::kEncryptedKeyData,
                                      descriptor_version_, static_cast<uint16_t>(tk_length), 0, anonce_,
                                      std::move(*encrypted));
            key.rsc = group_.current().gtk_rsc;
            kck = ptk_->kck.view();
            break;
        }
        case AuthenticatorKeyState::kWaitGroupMessage2: {
            // Group message 1 (§12.7.7.2): {GTK, IGTK} wrapped, Key RSC of the GTK.
            Bytes plain = group_key_data();
            encrypted = encrypt_key_data(ptk_->kek.view(), plain);
            secure_wipe(plain.data(), plain.size());
            if (!encrypted) return fail(HandshakeFailure::kUnsupported, encrypted.error().detail);
            key = make_key_descriptor(KI::kKeyAck | KI::kKeyMic | KI::kSecure | KI::kEncryptedKeyData,
                                      descriptor_version_,
                                      static_cast<uint16_t>(group_.current().gtk.key.size()), 0, {},
                                      std::move(*encrypted));
            key.rsc = group_.current().gtk_rsc;
            kck = ptk_->kck.view();
            break;
        }
        case AuthenticatorKeyState::kIdle:
        case AuthenticatorKeyState::kComplete:
        case AuthenticatorKeyState::kFailed: return;  // nothing pending
    }
    // Every transmission, retransmissions included, gets a larger counter.
    key.replay_counter = ++replay_counter_;
    if (attempts_ == 0) round_first_counter_ = replay_counter_;
    else ++counters_.retransmissions;
    ++attempts_;
    auto pdu = build_key_pdu(config_.eapol_version, std::move(key), kck);
    if (!pdu) return fail(HandshakeFailure::kUnsupported, pdu.error().detail);
    deadline_ = now + config_.retransmit_timeout;
    ++counters_.frames_tx;
    if (callbacks_.send_eapol) callbacks_.send_eapol(*pdu);
}

void FourWayHandshakeAuthenticator::tick(TimePoint now) {
    if (!deadline_ || now < *deadline_) return;
    switch (state_) {
        case AuthenticatorKeyState::kWaitMessage2:
        case AuthenticatorKeyState::kWaitMessage4:
            if (attempts_ >= config_.max_attempts)
                return fail(HandshakeFailure::kFourWayTimeout,
                            std::to_string(attempts_) + " transmissions of message " +
                                (state_ == AuthenticatorKeyState::kWaitMessage2 ? "1" : "3") + " unanswered");
            return transmit(now);
        case AuthenticatorKeyState::kWaitGroupMessage2:
            if (attempts_ >= config_.max_attempts)
                return fail(HandshakeFailure::kGroupKeyTimeout,
                            std::to_string(attempts_) + " transmissions of group message 1 unanswered");
            return transmit(now);
        case AuthenticatorKeyState::kIdle:
        case AuthenticatorKeyState::kComplete:
        case AuthenticatorKeyState::kFailed: deadline_.reset(); return;
    }
}

std::optional<TimePoint> FourWayHandshakeAuthenticator::next_timeout() const { return deadline_; }

Status FourWayHandshakeAuthenticator::start_group_rekey(TimePoint now) {
    switch (state_) {
        case AuthenticatorKeyState::kComplete: break;
        case AuthenticatorKeyState::kWaitGroupMessage2:  // a newer GTK replaces the one in flight
            break;
        case AuthenticatorKeyState::kIdle:
        case AuthenticatorKeyState::kWaitMessage2:
        case AuthenticatorKeyState::kWaitMessage4:
        case AuthenticatorKeyState::kFailed:
            return make_error(ErrorCode::kProtocol, std::string("group rekey in state ") +
                                                        authenticator_key_state_name(state_));
    }
    state_ = AuthenticatorKeyState::kWaitGroupMessage2;
    attempts_ = 0;
    transmit(now);
    return ok_status();
}

bool FourWayHandshakeAuthenticator::reply_counter_ok(const ReceivedKeyFrame& frame) const {
    return frame.key.replay_counter >= round_first_counter_ && frame.key.replay_counter <= replay_counter_;
}

void FourWayHandshakeAuthenticator::receive(ByteView eapol_pdu, TimePoint now) {
    ++counters_.frames_rx;
    auto frame = parse_key_frame(eapol_pdu);
    if (!frame) return drop(counters_.dropped_malformed, frame.error().detail.c_str());
    const KeyInformation info = frame->key.info;
    if (info.descriptor_version() != descriptor_version_) return drop(counters_.dropped_malformed, "descriptor version");
    if (info.has(KI::kKeyAck) || info.has(KI::kInstall) || !info.has(KI::kKeyMic) || info.has(KI::kSmkMessage))
        return drop(counters_.dropped_malformed, "Key Information flags not those of a Supplicant reply");
    if (info.has(KI::kRequest))
        return drop(counters_.dropped_unexpected, "EAPOL-Key request frames are not implemented");
    const bool pairwise = info.has(KI::kKeyTypePairwise);
    const bool secure = info.has(KI::kSecure);
    switch (state_) {
        case AuthenticatorKeyState::kWaitMessage2:
            if (!pairwise || secure) return drop(counters_.dropped_unexpected, "not message 2");
            return on_message_2(*frame, now);
        case AuthenticatorKeyState::kWaitMessage4:
            if (!pairwise || !secure) return drop(counters_.dropped_unexpected, "not message 4");
            return on_message_4(*frame);
        case AuthenticatorKeyState::kWaitGroupMessage2:
            if (pairwise || !secure) return drop(counters_.dropped_unexpected, "not group message 2");
            return on_group_message_2(*frame);
        case AuthenticatorKeyState::kIdle:
        case AuthenticatorKeyState::kComplete:
        case AuthenticatorKeyState::kFailed:
            return drop(counters_.dropped_unexpected, "no EAPOL-Key reply expected");
    }
}

void FourWayHandshakeAuthenticator::on_message_2(const ReceivedKeyFrame& frame, TimePoint now) {
    if (!reply_counter_ok(frame)) return drop(counters_.dropped_replay, "message 2 replay counter not one of message 1's");
    auto ptk = derive_ptk(config_.akm, config_.pairwise_cipher, pmk_.view(), config_.own_address,
                          config_.station_address, anonce_, frame.key.nonce);
    if (!ptk) return fail(HandshakeFailure::kUnsupported, ptk.error().detail);
    // MIC first (§12.7.6.3): a wrong PMK or a forged frame is dropped here.
    if (auto verified = verify_key_frame(frame, ptk->kck.view()); !verified)
        return drop(counters_.dropped_bad_mic, verified.error().detail.c_str());
    auto data = parse_key_data(frame.key.key_data);
    if (!data) return fail(HandshakeFailure::kInvalidKeyData, data.error().detail);
    if (!data->rsn_element || !equal_bytes(*data->rsn_element, config_.station_rsn_element))
        return fail(HandshakeFailure::kRsnElementMismatch,
                    "message 2 RSN element differs from the (re)association request's");
    ptk_ = std::move(*ptk);
    state_ = AuthenticatorKeyState::kWaitMessage4;
    attempts_ = 0;
    transmit(now);
}

void FourWayHandshakeAuthenticator::on_message_4(const ReceivedKeyFrame& frame) {
    if (!reply_counter_ok(frame)) return drop(counters_.dropped_replay, "message 4 replay counter not one of message 3's");
    if (auto verified = verify_key_frame(frame, ptk_->kck.view()); !verified)
        return drop(counters_.dropped_bad_mic, verified.error().detail.c_str());
    KeyInstallRequest request;
    request.kind = KeyKind::kPairwise;
    request.cipher_suite = config_.pairwise_cipher;
    request.key_index = 0;
    request.peer = config_.station_address;
    request.key = ptk_->tk;
    if (auto installed = installer_.install_key(request); !installed)
        return fail(HandshakeFailure::kKeyInstallFailed, installed.error().detail);
    ++counters_.ptk_installs;
    state_ = AuthenticatorKeyState::kComplete;
    deadline_.reset();
    LOG_INFO(kLog, "authenticator: 4-way handshake with %s completed", config_.station_address.to_string().c_str());
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kPairwiseComplete, {}, {}});
}

void FourWayHandshakeAuthenticator::on_group_message_2(const ReceivedKeyFrame& frame) {
    if (!reply_counter_ok(frame))
        return drop(counters_.dropped_replay, "group message 2 replay counter not one of group message 1's");
    if (auto verified = verify_key_frame(frame, ptk_->kck.view()); !verified)
        return drop(counters_.dropped_bad_mic, verified.error().detail.c_str());
    state_ = AuthenticatorKeyState::kComplete;
    deadline_.reset();
    if (callbacks_.on_event) callbacks_.on_event(HandshakeEvent{HandshakeEvent::Kind::kGroupRekeyComplete, {}, {}});
}

}  // namespace lanyard::eapol
