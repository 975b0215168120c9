#include "eapol/authenticator_port.h"

#include <cstdio>

#include "common/log.h"
#include "eapol/eapol_key_frame.h"

namespace lanyard::eapol {
namespace {

constexpr int kMaxSettleRounds = 64;

constexpr uint8_t kEapCodeRequest = 1;
constexpr uint8_t kEapCodeResponse = 2;
constexpr uint8_t kEapCodeSuccess = 3;
constexpr uint8_t kEapCodeFailure = 4;
constexpr uint8_t kEapTypeIdentity = 1;

}  // namespace

AuthenticatorPort::AuthenticatorPort(const MacAddress& supplicant, const AuthenticatorPortConfig& config,
                                     PaeEapServer& eap, PortSink& sink)
    : supplicant_(supplicant),
      config_(config),
      eap_(eap),
      sink_(sink),
      pae_(config.pae),
      backend_(config.backend),
      reauth_(config.reauth) {
    vars_.portControl = config.port_control;
    vars_.portValid = config.port_valid;
}

void AuthenticatorPort::initialize(TimePoint now) {
    vars_.initialize = true;
    settle(now);
    vars_.initialize = false;
    settle(now);
    finish(now);
}

void AuthenticatorPort::set_port_enabled(bool enabled, TimePoint now) {
    settle(now);
    vars_.portEnabled = enabled;
    settle(now);
    finish(now);
}

void AuthenticatorPort::set_port_valid(bool valid, TimePoint now) {
    settle(now);
    vars_.portValid = valid;
    settle(now);
    finish(now);
}

void AuthenticatorPort::set_port_control(PortControl control, TimePoint now) {
    settle(now);
    vars_.portControl = control;
    settle(now);
    finish(now);
}

void AuthenticatorPort::reauthenticate(TimePoint now) {
    settle(now);
    vars_.reAuthenticate = true;
    settle(now);
    finish(now);
}

void AuthenticatorPort::receive(const MacAddress& source, ByteView pdu, TimePoint now) {
    settle(now);
    handle_pdu(source, pdu);
    settle(now);
    finish(now);
}

void AuthenticatorPort::eap_result(const EapServerResult& result, TimePoint now) {
    settle(now);
    apply(result);
    settle(now);
    finish(now);
}

void AuthenticatorPort::tick(TimePoint now) {
    settle(now);
    finish(now);
}

std::optional<TimePoint> AuthenticatorPort::next_timeout() const {
    std::optional<TimePoint> next = earliest(pae_.next_timeout(now_), backend_.next_timeout(now_));
    next = earliest(next, reauth_.next_timeout(now_));
    return earliest(next, eap_.next_timeout());
}

void AuthenticatorPort::handle_pdu(const MacAddress& source, ByteView pdu) {
    if (source != supplicant_) {
        ++counters_.invalid_eapol_frames_rx;
        LOG_DEBUG("EAPOL", "authenticator %s: dropped frame from %s", supplicant_.to_string().c_str(),
                  source.to_string().c_str());
        return;
    }
    auto parsed = parse_eapol_pdu(pdu);
    if (!parsed) {
        // eapLengthErrorFramesRx: a whole header whose Packet Body Length
        // runs past the frame; anything else is an invalid frame.
        if (parsed.error().code == ErrorCode::kTruncated && pdu.size() >= kEapolHeaderSize) {
            ++counters_.eap_length_error_frames_rx;
        } else {
            ++counters_.invalid_eapol_frames_rx;
        }
        LOG_DEBUG("EAPOL", "authenticator: dropped EAPOL frame from %s: %s", source.to_string().c_str(),
                  parsed.error().to_string().c_str());
        return;
    }
    const EapolPdu& frame = *parsed;
    ++counters_.eapol_frames_rx;
    counters_.last_eapol_frame_version = frame.version;
    counters_.last_eapol_frame_source = source;
    switch (frame.type) {
        case PacketType::kEapPacket: {
            auto eap = eap_packet_in_body(frame.body);
            if (!eap) {
                if (eap.error().code == ErrorCode::kTruncated) {
                    ++counters_.eap_length_error_frames_rx;
                } else {
                    ++counters_.invalid_eapol_frames_rx;
                }
                LOG_DEBUG("EAPOL", "authenticator: dropped EAP-Packet from %s: %s", source.to_string().c_str(),
                          eap.error().to_string().c_str());
                return;
            }
            if ((*eap)[0] != kEapCodeResponse) {
                ++counters_.invalid_eapol_frames_rx;
                LOG_DEBUG("EAPOL", "authenticator: dropped EAP code %u from %s (only Responses)", (*eap)[0],
                          source.to_string().c_str());
                return;
            }
            if (eap->size() > 4 && (*eap)[4] == kEapTypeIdentity) {
                ++counters_.eapol_resp_id_frames_rx;
            } else {
                ++counters_.eapol_resp_frames_rx;
            }
            last_identifier_ = (*eap)[1];
            rx_eap_.assign(eap->begin(), eap->end());
            vars_.eapolEap = true;  // §8.2.2.2 eapolEap
            return;
        }
        case PacketType::kStart:
            ++counters_.eapol_start_frames_rx;
            vars_.eapolStart = true;  // §8.2.4.1.1 eapolStart
            return;
        case PacketType::kLogoff:
            ++counters_.eapol_logoff_frames_rx;
            vars_.eapolLogoff = true;  // §8.2.4.1.1 eapolLogoff
            return;
        case PacketType::kKey:
            queue_received_key("authenticator", source, frame, counters_, outputs_);
            return;
        case PacketType::kEncapsulatedAsfAlert:
        case PacketType::kMka:
        case PacketType::kAnnouncementGeneric:
        case PacketType::kAnnouncementSpecific:
        case PacketType::kAnnouncementRequest:
            ++counters_.unsupported_eapol_frames_rx;
            LOG_DEBUG("EAPOL", "authenticator: ignored %s from %s (not supported)", packet_type_name(frame.type),
                      source.to_string().c_str());
            return;
    }
}

void AuthenticatorPort::apply(const EapServerResult& result) {
    EapServerVariables& e = vars_.eap;
    switch (result.kind) {
        case EapServerResult::Kind::kPending:
            break;
        case EapServerResult::Kind::kNoRequest:
            e.eapNoReq = true;
            break;
        case EapServerResult::Kind::kRequest:
            e.eapReq = true;
            e.eapReqData = result.packet;
            break;
        case EapServerResult::Kind::kSuccess:
            e.eapSuccess = true;
            e.eapReqData = result.packet;
            e.keyAvailable = result.key_available;
            break;
        case EapServerResult::Kind::kFailure:
            e.eapFail = true;
            e.eapReqData = result.packet;
            break;
        case EapServerResult::Kind::kTimeout:
            e.eapTimeout = true;
            break;
    }
}

bool AuthenticatorPort::step_eap(TimePoint now) {
    EapServerVariables& e = vars_.eap;
    if (e.eapRestart) {
        // RFC 4137 §5.5 INITIALIZE: a new conversation; old outcomes go.
        e.eapRestart = false;
        e.eapResp = false;
        e.eapReq = false;
        e.eapNoReq = false;
        e.eapSuccess = false;
        e.eapFail = false;
        e.eapTimeout = false;
        e.keyAvailable = false;
        apply(eap_.restart(now));
        return true;
    }
    if (e.eapResp) {
        e.eapResp = false;
        apply(eap_.process(e.eapRespData, now));
        return true;
    }
    return false;
}

void AuthenticatorPort::settle(TimePoint now) {
    now_ = now;
    if (auto due = eap_.next_timeout(); due && *due <= now) apply(eap_.on_timeout(now));
    for (int round = 0; round < kMaxSettleRounds; ++round) {
        bool changed = false;
        // The reauthentication timer goes first, so reAuthWhen restarts at
        // the moment the port becomes authorized.
        const ReauthTimerState re_from = reauth_.state();
        if (reauth_.step(vars_, now)) {
            changed = true;
            outputs_.state(supplicant_, {PaeMachine::kReauthTimer, reauth_timer_state_name(re_from),
                                         reauth_timer_state_name(reauth_.state())});
            LOG_DEBUG("EAPOL", "%s REAUTH_TIMER entering state %s", supplicant_.to_string().c_str(),
                      reauth_timer_state_name(reauth_.state()));
        }
        const AuthenticatorPaeState pae_from = pae_.state();
        if (pae_.step(vars_, now, *this)) {
            changed = true;
            outputs_.state(supplicant_, {PaeMachine::kAuthenticatorPae, authenticator_pae_state_name(pae_from),
                                         authenticator_pae_state_name(pae_.state())});
            LOG_DEBUG("EAPOL", "%s AUTH_PAE entering state %s", supplicant_.to_string().c_str(),
                      authenticator_pae_state_name(pae_.state()));
        }
        const BackendAuthenticationState be_from = backend_.state();
        if (backend_.step(vars_, now, *this)) {
            changed = true;
            outputs_.state(supplicant_,
                           {PaeMachine::kBackendAuthentication, backend_authentication_state_name(be_from),
                            backend_authentication_state_name(backend_.state())});
            LOG_DEBUG("EAPOL", "%s BE_AUTH entering state %s", supplicant_.to_string().c_str(),
                      backend_authentication_state_name(backend_.state()));
        }
        if (step_eap(now)) changed = true;
        if (!changed) return;
    }
    LOG_ERROR("EAPOL", "authenticator machines for %s did not settle in %d rounds (PAE %s, backend %s)",
              supplicant_.to_string().c_str(), kMaxSettleRounds, authenticator_pae_state_name(pae_.state()),
              backend_authentication_state_name(backend_.state()));
}

void AuthenticatorPort::finish(TimePoint now) {
    now_ = now;
    if (vars_.authPortStatus != reported_status_) {
        reported_status_ = vars_.authPortStatus;
        LOG_DEBUG("EAPOL", "%s authPortStatus=%s", supplicant_.to_string().c_str(), port_status_name(reported_status_));
        outputs_.status(supplicant_, reported_status_);
    }
    outputs_.flush(sink_, counters_);
}

void AuthenticatorPort::send(PacketType type, ByteView body) {
    auto pdu = build_eapol_pdu(config_.eapol_version, type, body);
    if (!pdu) {
        LOG_ERROR("EAPOL", "authenticator: cannot build %s: %s", packet_type_name(type),
                  pdu.error().to_string().c_str());
        return;
    }
    ++counters_.eapol_frames_tx;
    outputs_.send(supplicant_, std::move(pdu).value());
}

void AuthenticatorPort::tx_req() {
    const Bytes& packet = vars_.eap.eapReqData;
    if (packet.size() < 4) {
        // e.g. an EAP timeout or a pass-through that ended without a packet.
        LOG_DEBUG("EAPOL", "authenticator %s: txReq with no EAP packet", supplicant_.to_string().c_str());
        return;
    }
    if (packet[0] == kEapCodeRequest && packet.size() > 4 && packet[4] == kEapTypeIdentity) {
        ++counters_.eapol_req_id_frames_tx;
    } else if (packet[0] == kEapCodeRequest) {
        ++counters_.eapol_req_frames_tx;
    }
    last_identifier_ = packet[1];
    send(PacketType::kEapPacket, packet);
}

void AuthenticatorPort::tx_canned(uint8_t code) {
    // §8.2.4.1.3 txCannedSuccess / txCannedFail: a bare EAP-Success or
    // EAP-Failure (RFC 3748 §4.2), with the last Identifier seen.
    const uint8_t packet[4] = {code, last_identifier_, 0, 4};
    send(PacketType::kEapPacket, packet);
}

void AuthenticatorPort::tx_canned_success() { tx_canned(kEapCodeSuccess); }
void AuthenticatorPort::tx_canned_fail() { tx_canned(kEapCodeFailure); }

void AuthenticatorPort::send_resp_to_server() { vars_.eap.eapRespData = rx_eap_; }

void AuthenticatorPort::abort_auth() { eap_.abort(); }

std::string AuthenticatorPort::mib_text() const {
    char buf[1400];
    const auto secs = [](Duration d) { return static_cast<long long>(d.count() / 1000); };
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    std::snprintf(buf, sizeof(buf),
                  "dot1xAuthPaeState=%d\n"
                  "dot1xAuthBackendAuthState=%d\n"
                  "dot1xAuthAuthControlledPortStatus=%d\n"
                  "dot1xAuthAuthControlledPortControl=%d\n"
                  "dot1xAuthQuietPeriod=%lld\n"
                  "dot1xAuthServerTimeout=%lld\n"
                  "dot1xAuthReAuthPeriod=%lld\n"
                  "dot1xAuthReAuthEnabled=%s\n"
                  "dot1xAuthEapolFramesRx=%llu\n"
                  "dot1xAuthEapolFramesTx=%llu\n"
                  "dot1xAuthEapolStartFramesRx=%llu\n"
                  "dot1xAuthEapolLogoffFramesRx=%llu\n"
                  "dot1xAuthEapolRespIdFramesRx=%llu\n"
                  "dot1xAuthEapolRespFramesRx=%llu\n"
                  "dot1xAuthEapolReqIdFramesTx=%llu\n"
                  "dot1xAuthEapolReqFramesTx=%llu\n"
                  "dot1xAuthInvalidEapolFramesRx=%llu\n"
                  "dot1xAuthEapLengthErrorFramesRx=%llu\n"
                  "dot1xAuthLastEapolFrameVersion=%u\n"
                  "dot1xAuthLastEapolFrameSource=%s\n",
                  authenticator_pae_state_mib_value(pae_.state()),
                  backend_authentication_state_mib_value(backend_.state()),
                  port_status_mib_value(vars_.authPortStatus), port_control_mib_value(vars_.portControl),
                  secs(pae_.timers().quiet_period), secs(backend_.timers().server_timeout),
                  secs(reauth_.settings().reauth_period), reauth_.settings().reauth_enabled ? "TRUE" : "FALSE",
                  u(counters_.eapol_frames_rx), u(counters_.eapol_frames_tx), u(counters_.eapol_start_frames_rx),
                  u(counters_.eapol_logoff_frames_rx), u(counters_.eapol_resp_id_frames_rx),
                  u(counters_.eapol_resp_frames_rx), u(counters_.eapol_req_id_frames_tx),
                  u(counters_.eapol_req_frames_tx), u(counters_.invalid_eapol_frames_rx),
                  u(counters_.eap_length_error_frames_rx), counters_.last_eapol_frame_version,
                  counters_.last_eapol_frame_source.to_string().c_str());
    return buf;
}

}  // namespace lanyard::eapol
