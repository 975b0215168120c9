#include "eapol/supplicant_port.h"

#include <cstdio>

#include "common/log.h"
#include "eapol/eapol_key_frame.h"

namespace lanyard::eapol {
namespace {

// Each round enters at least one state; a full authentication step is a
// handful of rounds. More means our own machines loop.
constexpr int kMaxSettleRounds = 64;

constexpr uint8_t kEapCodeRequest = 1;
constexpr uint8_t kEapCodeResponse = 2;
constexpr uint8_t kEapTypeIdentity = 1;

}  // namespace

SupplicantPort::SupplicantPort(const MacAddress& own_address, const SupplicantPortConfig& config, PaeEapPeer& eap,
                               PortSink& sink)
    : own_address_(own_address),
      config_(config),
      eap_(eap),
      sink_(sink),
      pae_(config.pae),
      backend_(config.auth_period) {
    vars_.portControl = config.port_control;
    vars_.portValid = config.port_valid;
}

void SupplicantPort::initialize(TimePoint now) {
    vars_.initialize = true;
    settle(now);
    vars_.initialize = false;
    settle(now);
    finish(now);
}

void SupplicantPort::set_port_enabled(bool enabled, TimePoint now) {
    settle(now);
    vars_.portEnabled = enabled;
    settle(now);
    finish(now);
}

void SupplicantPort::set_port_valid(bool valid, TimePoint now) {
    settle(now);
    vars_.portValid = valid;
    settle(now);
    finish(now);
}

void SupplicantPort::set_port_control(PortControl control, TimePoint now) {
    settle(now);
    vars_.portControl = control;
    settle(now);
    finish(now);
}

void SupplicantPort::set_user_logoff(bool logoff, TimePoint now) {
    settle(now);
    vars_.userLogoff = logoff;
    settle(now);
    finish(now);
}

void SupplicantPort::receive(const MacAddress& source, ByteView pdu, TimePoint now) {
    // Timers that fell due before this frame act first, so the frame is not
    // lost to a CONNECTING re-entry that clears eapolEap.
    settle(now);
    handle_pdu(source, pdu);
    settle(now);
    finish(now);
}

void SupplicantPort::eap_result(const EapPeerResult& result, TimePoint now) {
    settle(now);
    apply(result);
    settle(now);
    finish(now);
}

void SupplicantPort::tick(TimePoint now) {
    settle(now);
    finish(now);
}

std::optional<TimePoint> SupplicantPort::next_timeout() const {
    std::optional<TimePoint> next = earliest(pae_.next_timeout(now_), backend_.next_timeout(now_));
    return earliest(next, eap_.next_timeout());
}

void SupplicantPort::handle_pdu(const MacAddress& source, ByteView pdu) {
    auto parsed = parse_eapol_pdu(pdu);
    if (!parsed) {
        // eapLengthErrorFramesRx: a whole header whose Packet Body Length
        // runs past the frame; anything else is an invalid frame.
        if (parsed.error().code == ErrorCode::kTruncated && pdu.size() >= kEapolHeaderSize) {
            ++counters_.eap_length_error_frames_rx;
        } else {
            ++counters_.invalid_eapol_frames_rx;
        }
        LOG_DEBUG("EAPOL", "supplicant: dropped EAPOL frame from %s: %s", source.to_string().c_str(),
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
                LOG_DEBUG("EAPOL", "supplicant: dropped EAP-Packet from %s: %s", source.to_string().c_str(),
                          eap.error().to_string().c_str());
                return;
            }
            const uint8_t code = (*eap)[0];
            if (code == kEapCodeResponse) {
                // Another supplicant's Response on a shared medium.
                ++counters_.invalid_eapol_frames_rx;
                LOG_DEBUG("EAPOL", "supplicant: dropped EAP-Response from %s", source.to_string().c_str());
                return;
            }
            if (code == kEapCodeRequest && eap->size() > 4 && (*eap)[4] == kEapTypeIdentity) {
                ++counters_.eapol_req_id_frames_rx;
            } else if (code == kEapCodeRequest) {
                ++counters_.eapol_req_frames_rx;
            }
            rx_eap_.assign(eap->begin(), eap->end());
            vars_.eapolEap = true;  // §8.2.2.2 eapolEap
            break;
        }
        case PacketType::kKey:
            queue_received_key("supplicant", source, frame, counters_, outputs_);
            break;
        case PacketType::kStart:
        case PacketType::kLogoff:
        case PacketType::kEncapsulatedAsfAlert:
        case PacketType::kMka:
        case PacketType::kAnnouncementGeneric:
        case PacketType::kAnnouncementSpecific:
        case PacketType::kAnnouncementRequest:
            // Not addressed to a supplicant, or not implemented (§11.4 b).
            ++counters_.unsupported_eapol_frames_rx;
            LOG_DEBUG("EAPOL", "supplicant: ignored %s from %s", packet_type_name(frame.type),
                      source.to_string().c_str());
            return;
    }
}

void SupplicantPort::apply(const EapPeerResult& result) {
    EapPeerVariables& e = vars_.eap;
    switch (result.kind) {
        case EapPeerResult::Kind::kPending:
            break;
        case EapPeerResult::Kind::kNoResponse:
            e.eapNoResp = true;
            break;
        case EapPeerResult::Kind::kResponse:
            e.eapResp = true;
            e.eapRespData = result.packet;
            break;
        case EapPeerResult::Kind::kSuccess:
            // RFC 4137 §4.5 SUCCESS: no response goes out.
            e.eapSuccess = true;
            e.eapNoResp = true;
            e.keyAvailable = result.key_available;
            break;
        case EapPeerResult::Kind::kFailure:
            e.eapFail = true;
            e.eapNoResp = true;
            break;
    }
}

bool SupplicantPort::step_eap(TimePoint now) {
    EapPeerVariables& e = vars_.eap;
    if (e.eapRestart) {
        // RFC 4137 §4.5 INITIALIZE.
        e.eapRestart = false;
        e.eapSuccess = false;
        e.eapFail = false;
        e.eapResp = false;
        e.eapNoResp = false;
        e.keyAvailable = false;
        eap_.restart(now);
        return true;
    }
    if (e.eapReq) {
        e.eapReq = false;
        e.eapResp = false;
        e.eapNoResp = false;
        apply(eap_.process(e.eapReqData, now));
        return true;
    }
    return false;
}

void SupplicantPort::settle(TimePoint now) {
    now_ = now;
    if (auto due = eap_.next_timeout(); due && *due <= now) apply(eap_.on_timeout(now));
    for (int round = 0; round < kMaxSettleRounds; ++round) {
        bool changed = false;
        const SupplicantPaeState pae_from = pae_.state();
        if (pae_.step(vars_, now, *this)) {
            changed = true;
            outputs_.state(config_.authenticator, {PaeMachine::kSupplicantPae, supplicant_pae_state_name(pae_from),
                                                   supplicant_pae_state_name(pae_.state())});
            LOG_DEBUG("EAPOL", "SUPP_PAE entering state %s", supplicant_pae_state_name(pae_.state()));
        }
        const SupplicantBackendState be_from = backend_.state();
        if (backend_.step(vars_, now, *this)) {
            changed = true;
            outputs_.state(config_.authenticator,
                           {PaeMachine::kSupplicantBackend, supplicant_backend_state_name(be_from),
                            supplicant_backend_state_name(backend_.state())});
            LOG_DEBUG("EAPOL", "SUPP_BE entering state %s", supplicant_backend_state_name(backend_.state()));
        }
        if (step_eap(now)) changed = true;
        if (!changed) return;
    }
    LOG_ERROR("EAPOL", "supplicant machines did not settle in %d rounds (PAE %s, backend %s)", kMaxSettleRounds,
              supplicant_pae_state_name(pae_.state()), supplicant_backend_state_name(backend_.state()));
}

void SupplicantPort::finish(TimePoint now) {
    now_ = now;
    if (vars_.suppPortStatus != reported_status_) {
        reported_status_ = vars_.suppPortStatus;
        LOG_DEBUG("EAPOL", "suppPortStatus=%s", port_status_name(reported_status_));
        outputs_.status(config_.authenticator, reported_status_);
    }
    outputs_.flush(sink_, counters_);
}

void SupplicantPort::send(PacketType type, ByteView body) {
    auto pdu = build_eapol_pdu(config_.eapol_version, type, body);
    if (!pdu) {
        LOG_ERROR("EAPOL", "supplicant: cannot build %s: %s", packet_type_name(type), pdu.error().to_string().c_str());
        return;
    }
    ++counters_.eapol_frames_tx;
    outputs_.send(config_.authenticator, std::move(pdu).value());
}

void SupplicantPort::tx_start() {
    ++counters_.eapol_start_frames_tx;
    LOG_DEBUG("EAPOL", "supplicant: txStart (startCount=%u)", pae_.start_count());
    send(PacketType::kStart, {});
}

void SupplicantPort::tx_logoff() {
    ++counters_.eapol_logoff_frames_tx;
    LOG_DEBUG("EAPOL", "supplicant: txLogoff");
    send(PacketType::kLogoff, {});
}

void SupplicantPort::get_supp_rsp() { vars_.eap.eapReqData = rx_eap_; }

void SupplicantPort::tx_supp_rsp() {
    ++counters_.eapol_resp_frames_tx;
    send(PacketType::kEapPacket, vars_.eap.eapRespData);
}

void SupplicantPort::abort_supp() {
    // The aborted conversation's outcome must not count for the next one
    // (a stale eapSuccess would take CONNECTING → AUTHENTICATED unasked).
    EapPeerVariables& e = vars_.eap;
    e.eapSuccess = false;
    e.eapFail = false;
    e.eapResp = false;
    e.eapNoResp = false;
    e.keyAvailable = false;
    eap_.abort();
}

std::string SupplicantPort::status_text() const {
    std::string out;
    out += "Supplicant PAE state=";
    out += supplicant_pae_state_name(pae_.state());
    out += "\nsuppPortStatus=";
    out += port_status_name(vars_.suppPortStatus);
    out += "\nEAP state=";
    out += eap_.state_name();
    out += "\n";
    return out;
}

std::string SupplicantPort::mib_text() const {
    char buf[1024];
    const auto secs = [](Duration d) { return static_cast<long long>(d.count() / 1000); };
    const auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
    std::snprintf(buf, sizeof(buf),
                  "dot1xSuppPaeState=%d\n"
                  "dot1xSuppHeldPeriod=%lld\n"
                  "dot1xSuppAuthPeriod=%lld\n"
                  "dot1xSuppStartPeriod=%lld\n"
                  "dot1xSuppMaxStart=%u\n"
                  "dot1xSuppSuppControlledPortStatus=%s\n"
                  "dot1xSuppBackendPaeState=%d\n"
                  "dot1xSuppEapolFramesRx=%llu\n"
                  "dot1xSuppEapolFramesTx=%llu\n"
                  "dot1xSuppEapolStartFramesTx=%llu\n"
                  "dot1xSuppEapolLogoffFramesTx=%llu\n"
                  "dot1xSuppEapolRespFramesTx=%llu\n"
                  "dot1xSuppEapolReqIdFramesRx=%llu\n"
                  "dot1xSuppEapolReqFramesRx=%llu\n"
                  "dot1xSuppInvalidEapolFramesRx=%llu\n"
                  "dot1xSuppEapLengthErrorFramesRx=%llu\n"
                  "dot1xSuppLastEapolFrameVersion=%u\n"
                  "dot1xSuppLastEapolFrameSource=%s\n",
                  supplicant_pae_state_mib_value(pae_.state()), secs(pae_.timers().held_period),
                  secs(backend_.auth_period()), secs(pae_.timers().start_period), pae_.timers().max_start,
                  port_status_name(vars_.suppPortStatus), supplicant_backend_state_mib_value(backend_.state()),
                  u(counters_.eapol_frames_rx), u(counters_.eapol_frames_tx), u(counters_.eapol_start_frames_tx),
                  u(counters_.eapol_logoff_frames_tx), u(counters_.eapol_resp_frames_tx),
                  u(counters_.eapol_req_id_frames_rx), u(counters_.eapol_req_frames_rx),
                  u(counters_.invalid_eapol_frames_rx), u(counters_.eap_length_error_frames_rx),
                  counters_.last_eapol_frame_version, counters_.last_eapol_frame_source.to_string().c_str());
    return buf;
}

}  // namespace lanyard::eapol
