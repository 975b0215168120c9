#include "methods/eap_peap_peer.h"

#include "common/log.h"
#include "methods/eap_packet.h"
#include "methods/eap_tlv.h"
#include "methods/peap_keys.h"
#include "methods/tls_method_support.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-peap";

FragmentOptions fragments_from(const PeerEnvironment& env) {
    FragmentOptions options;
    if (env.credentials != nullptr) options.fragment_size = env.credentials->fragment_size;
    return options;
}

PeapPhase1 phase1_from(const PeerEnvironment& env) {
    return parse_peap_phase1(env.credentials != nullptr ? env.credentials->phase1 : std::string());
}

}  // namespace

EapPeapPeer::EapPeapPeer(const PeerEnvironment& env) : EapPeapPeer(env, nullptr) {}

EapPeapPeer::EapPeapPeer(const PeerEnvironment& env, const MethodRegistry* inner_registry)
    : env_(env),
      options_(phase1_from(env)),
      exchange_(TlsFraming{Type::kPeap, kPeapVersionMask, kPeapMaxVersion}, fragments_from(env)),
      inner_registry_(inner_registry) {
    if (inner_registry_ == nullptr) {
        builtin_inner_registry_ = peap_inner_registry();
        inner_registry_ = &builtin_inner_registry_;
    }
}

PeerFactory EapPeapPeer::factory(const MethodRegistry* inner_registry) {
    return [inner_registry](const PeerEnvironment& env) -> std::unique_ptr<PeerMethod> {
        if (env.tls == nullptr) return nullptr;
        return std::make_unique<EapPeapPeer>(env, inner_registry);
    };
}

EapPeapPeer::~EapPeapPeer() = default;

std::unique_ptr<PeerMethod> EapPeapPeer::create(const PeerEnvironment& env) {
    if (env.tls == nullptr) return nullptr;
    return std::make_unique<EapPeapPeer>(env);
}

Result<Bytes> EapPeapPeer::process(uint8_t identifier, ByteView type_data) {
    switch (phase_) {
        case Phase::kWaitStart: {
            auto packet = parse_tls_packet(type_data);
            if (!packet) return packet.error();
            if (!packet->start()) return make_error(ErrorCode::kProtocol, "PEAP data before Start");
            break;
        }
        case Phase::kHandshake:
        case Phase::kPhase2:
            break;
        case Phase::kSucceeded:
            if (exchange_.sending()) break;
            return make_error(ErrorCode::kProtocol, "PEAP Request after the method finished");
        case Phase::kFailed:
            if (exchange_.sending()) break;  // our last message is still going out
            return make_error(ErrorCode::kProtocol, "PEAP Request after the method failed");
    }
    auto inbound = exchange_.receive(type_data);
    if (!inbound) return inbound.error();
    switch (*inbound) {
        case TlsInbound::kStart:
            if (phase_ != Phase::kWaitStart) return make_error(ErrorCode::kProtocol, "second PEAP Start");
            return on_start();
        case TlsInbound::kAckOfFragment: return exchange_.next_packet();
        case TlsInbound::kFragmentNeedsAck: return exchange_.ack_packet();
        case TlsInbound::kMessage: return on_message(identifier, exchange_.take_message());
        case TlsInbound::kAck:
            // A server with nothing to say polls with an empty Request during
            // phase 2; answer with an ACK as wpa_supplicant does.
            if (phase_ == Phase::kPhase2) return exchange_.ack_packet();
            return make_error(ErrorCode::kProtocol, "empty PEAP Request while nothing was pending");
        case TlsInbound::kTooManyRounds: return fail("too many PEAP rounds");
    }
    return make_error(ErrorCode::kInternal, "unknown inbound packet");
}

// draft-josefsson-pppext-eap-tls-eap-10 §3.1: the server's Start carries the
// highest version it supports; we use the lower of its and ours.
Result<Bytes> EapPeapPeer::on_start() {
    const uint8_t offered = exchange_.last_version();
    const uint8_t ours = options_.forced_version >= 0 ? static_cast<uint8_t>(options_.forced_version) : kPeapMaxVersion;
    version_ = std::min(offered, ours);
    if (options_.forced_version >= 0 && version_ != options_.forced_version)
        return fail("server offers PEAPv" + std::to_string(offered) + ", peapver=" +
                    std::to_string(options_.forced_version) + " required");
    exchange_.set_version(version_);
    LOG_DEBUG(kLog, "server offers PEAPv%u, using PEAPv%u", offered, version_);

    tls::Context* context = env_.tls;
    if (context != nullptr && !options_.allow_tls13 && context->config().max_version == tls::Version::kTls13) {
        // PEAP over TLS 1.3 is off unless tls_disable_tlsv1_3=0.
        tls::Config capped = context->config();
        capped.max_version = tls::Version::kTls12;
        auto made = tls::make_context(capped);
        if (!made) return fail("TLS 1.2 context for PEAP: " + made.error().to_string());
        capped_context_ = std::move(*made);
        context = capped_context_.get();
    }
    auto engine = open_tls_engine(context, tls::Role::kClient);
    if (!engine) return fail(engine.error().to_string());
    engine_ = std::move(*engine);
    if (env_.load_tls_session) {
        if (auto saved = env_.load_tls_session(); saved && !saved->empty()) {
            const Status offered_session = engine_->set_resumption_session(*saved);
            if (!offered_session)
                LOG_DEBUG(kLog, "saved TLS session not offered: %s", offered_session.error().to_string().c_str());
        }
    }
    const Status started = engine_->start();
    if (!started) return fail("TLS start: " + started.error().to_string());
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!queued) return fail(queued.error().to_string());
    phase_ = Phase::kHandshake;
    return exchange_.next_packet();
}

Result<Bytes> EapPeapPeer::on_message(uint8_t identifier, Bytes message) {
    if (phase_ == Phase::kHandshake) {
        std::string reason;
        switch (feed_tls_engine(*engine_, message, exchange_, &reason)) {
            case EngineStep::kFailed: return fail(reason);
            case EngineStep::kContinue: return exchange_.next_packet();
            case EngineStep::kEstablished: return after_established(identifier);
        }
        return make_error(ErrorCode::kInternal, "unknown engine step");
    }
    // Phase 2: records carrying application data.
    const Status fed = engine_->feed(message);
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!fed || engine_->state() == tls::HandshakeState::kFailed)
        return fail("TLS in phase 2: " + (fed ? engine_->failure() : fed.error().detail));
    if (!queued) return fail(queued.error().to_string());
    const Bytes payload = engine_->take_application_data();
    if (payload.empty()) return exchange_.next_packet();
    return on_tunnelled(identifier, payload);
}

Result<Bytes> EapPeapPeer::after_established(uint8_t identifier) {
    if (engine_->version() == tls::Version::kTls13 && !options_.allow_tls13)
        return fail("TLS 1.3 negotiated for PEAP but not enabled (phase1 tls_disable_tlsv1_3=0)");
    const std::string_view label =
        version_ == kPeapVersion1 && options_.new_label ? kPeapV1KeyLabel : kEapTlsKeyLabel;
    auto keys = derive_tls_method_keys(*engine_, Type::kPeap, label);
    if (!keys) return fail("key derivation: " + keys.error().to_string());
    phase1_keys_ = std::move(*keys);
    resumed_ = engine_->resumed();
    LOG_INFO(kLog, "PEAPv%u phase 1 finished (%s, %s%s)", version_, tls::version_name(engine_->version()),
             engine_->cipher_name().c_str(), resumed_ ? ", resumed" : "");
    phase_ = Phase::kPhase2;
    const Status inner = start_phase2();
    if (!inner) return fail(inner.error().to_string());
    const Bytes payload = engine_->take_application_data();
    if (payload.empty()) return exchange_.next_packet();  // ACK, or our Finished on resumption
    return on_tunnelled(identifier, payload);
}

Status EapPeapPeer::start_phase2() {
    if (env_.credentials != nullptr) inner_credentials_ = *env_.credentials;
    inner_credentials_.methods = parse_phase2_methods(inner_credentials_.phase2);
    inner_credentials_.anonymous_identity.clear();
    inner_env_ = PeerEnvironment{};
    inner_env_.credentials = &inner_credentials_;
    inner_env_.random = env_.random;
    if (!inner_credentials_.client_cert2.empty()) {
        // Inner EAP-TLS uses the phase 2 certificate options (ca_cert2, ...).
        tls::Config c;
        c.role = tls::Role::kClient;
        c.ca_file = inner_credentials_.ca_cert2;
        c.cert_file = inner_credentials_.client_cert2;
        c.key_file = inner_credentials_.private_key2;
        c.key_password = inner_credentials_.private_key2_passwd;
        c.max_version = tls::Version::kTls12;
        auto made = tls::make_context(c);
        if (!made) return made.error();
        inner_tls_ = std::move(*made);
        inner_env_.tls = inner_tls_.get();
    }
    PeerConfig config;
    config.phase2 = true;
    config.use_idle_timer = false;
    inner_ = std::make_unique<EapPeer>(inner_env_, config, inner_registry_);
    inner_->start(TimePoint{});
    return ok_status();
}

Result<Bytes> EapPeapPeer::on_tunnelled(uint8_t identifier, ByteView payload) {
    auto whole = peap_peer_decode(payload, version_, identifier);
    if (!whole) return fail("tunnelled packet: " + whole.error().detail);
    auto parsed = parse_packet(*whole);
    if (!parsed) return fail("malformed tunnelled EAP packet: " + parsed.error().detail);
    const Packet& pkt = *parsed;
    switch (pkt.code) {
        case Code::kRequest:
            if (pkt.type_is(Type::kTlvExtensions)) return on_tlv_request(pkt);
            return on_inner_request(*whole, pkt.type);
        case Code::kSuccess:
            // PEAPv1 (draft-josefsson-pppext-eap-tls-eap-10 §2.3): the
            // tunnelled EAP-Success ends phase 2; answer with an ACK.
            if (version_ != kPeapVersion1) return fail("tunnelled EAP-Success in PEAPv0");
            if (!phase2_sufficient()) {
                // Any answer (even an ACK) would read as agreement to a
                // PEAPv1 server: fail and send nothing, as wpa_supplicant.
                mark_failed("tunnelled EAP-Success before phase 2 authentication succeeded");
                return make_error(ErrorCode::kAuthFailed, failure_);
            }
            {
                auto keys = peap_method_keys(phase1_keys_, version_, nullptr);
                if (!keys) return fail(keys.error().to_string());
                keys_ = std::move(*keys);
            }
            phase_ = Phase::kSucceeded;
            if (env_.save_tls_session) {
                const Bytes session = engine_->serialized_session();
                if (!session.empty()) env_.save_tls_session(session);
            }
            return exchange_.ack_packet();
        case Code::kFailure: {
            // Answer with a tunnelled EAP-Failure (as wpa_supplicant does).
            const Bytes reply = build_failure(pkt.identifier);
            Bytes out = send_tunnelled(reply);
            mark_failed("tunnelled EAP-Failure");
            return out;
        }
        case Code::kResponse:
            return fail("tunnelled EAP-Response from the server");
    }
    return fail("unknown tunnelled code");
}

Result<Bytes> EapPeapPeer::on_inner_request(const Bytes& packet, uint8_t type) {
    if (type != static_cast<uint8_t>(Type::kIdentity) && type != static_cast<uint8_t>(Type::kNotification))
        phase2_started_ = true;
    PeerAction action = inner_->handle(packet, TimePoint{});
    switch (action.kind) {
        case PeerActionKind::kSend: return send_tunnelled(peap_tunnel_encode(action.packet, version_));
        case PeerActionKind::kNone: return fail("inner packet discarded: " + action.reason);
        case PeerActionKind::kFailure: return fail("phase 2: " + action.reason);
        case PeerActionKind::kSuccess: return fail("unexpected inner success");
    }
    return fail("unknown inner action");
}

// [MS-PEAP] §3.1.5.x / draft-josefsson §4: the server's EAP-TLV Request.
Result<Bytes> EapPeapPeer::on_tlv_request(const Packet& packet) {
    auto tlvs = parse_tlvs(packet.type_data);
    if (!tlvs) return fail(tlvs.error().detail);
    if (tlvs->unknown_mandatory) {
        // An unknown mandatory TLV: answer with a NAK TLV, ignore the rest.
        ByteWriter body;
        append_nak_tlv(body, *tlvs->unknown_mandatory);
        auto reply = build_response(packet.identifier, Type::kTlvExtensions, body.view());
        if (!reply) return fail("NAK TLV does not fit");
        LOG_DEBUG(kLog, "NAK TLV for unknown mandatory TLV %u", *tlvs->unknown_mandatory);
        return send_tunnelled(*reply);
    }
    bool force_failure = phase2_started_ && !inner_succeeded();
    std::optional<CryptoBindingTlv> binding_reply;
    std::optional<CompoundKeys> compound;
    if (tlvs->crypto_binding && options_.crypto_binding != CryptoBindingPolicy::kNone) {
        const CryptoBindingTlv& cb = *tlvs->crypto_binding;
        bool valid = cb.version == version_ && cb.sub_type == kCryptoBindingRequest;
        if (valid) {
            const SecretBytes tk = peap_tk(phase1_keys_);
            auto keys = peap_compound_keys(version_, tk.view(), inner_isk().view(), resumed_ && !phase2_started_);
            valid = keys.ok() && peap_verify_crypto_binding(keys->cmk.view(), cb);
            if (valid) compound = std::move(*keys);
        }
        if (!valid) {
            LOG_INFO(kLog, "invalid Crypto-Binding TLV");
            if (!tlvs->result) return fail("invalid Crypto-Binding TLV");
            force_failure = true;
        } else {
            CryptoBindingTlv reply;
            reply.version = version_;
            reply.received_version = version_;
            reply.sub_type = kCryptoBindingResponse;
            reply.nonce = cb.nonce;
            binding_reply = reply;
        }
    } else if (!tlvs->crypto_binding && options_.crypto_binding == CryptoBindingPolicy::kRequired) {
        return fail("server sent no Crypto-Binding TLV (crypto_binding=2)");
    }
    if (!tlvs->result) return fail("EAP-TLV Request without a Result TLV");

    bool success = false;
    std::string why;
    if (*tlvs->result == kTlvResultSuccess) {
        if (force_failure) {
            why = "Result TLV success after a failed or invalid phase 2";
        } else if (!phase2_sufficient()) {
            // CVE-2023-52160 class: success without inner authentication.
            why = "Result TLV success before phase 2 authentication";
        } else {
            success = true;
        }
    } else {
        why = *tlvs->result == kTlvResultFailure ? "server sent Result TLV failure"
                                                  : "unknown Result TLV status " + std::to_string(*tlvs->result);
    }

    ByteWriter body;
    append_result_tlv(body, success ? kTlvResultSuccess : kTlvResultFailure);
    size_t binding_offset = 0;
    const bool with_binding = success && binding_reply.has_value();
    if (with_binding) binding_offset = append_crypto_binding_tlv(body, *binding_reply);
    auto reply = build_response(packet.identifier, Type::kTlvExtensions, body.view());
    if (!reply) return fail("Result TLV does not fit");
    if (with_binding) {
        const Status signed_ok = peap_sign_crypto_binding(compound->cmk.view(), *reply, kHeaderSize + 1 + binding_offset);
        if (!signed_ok) return fail(signed_ok.error().to_string());
    }
    Bytes out = send_tunnelled(*reply);
    if (!success) {
        mark_failed(why);
        return out;
    }
    binding_used_ = with_binding;
    auto keys = peap_method_keys(phase1_keys_, version_, with_binding ? &compound->ipmk : nullptr);
    if (!keys) return fail(keys.error().to_string());
    keys_ = std::move(*keys);
    phase_ = Phase::kSucceeded;
    LOG_INFO(kLog, "PEAPv%u succeeded (%s%s)", version_, phase2_started_ ? "phase 2 done" : "fast reconnect",
             binding_used_ ? ", crypto binding" : "");
    if (env_.save_tls_session) {
        const Bytes session = engine_->serialized_session();
        if (!session.empty()) env_.save_tls_session(session);
    }
    return out;
}

Bytes EapPeapPeer::send_tunnelled(ByteView inner_packet) {
    const Status written = engine_->write_application_data(inner_packet);
    if (!written) return fail("TLS write: " + written.error().to_string());
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!queued) return fail(queued.error().to_string());
    return exchange_.next_packet();
}

bool EapPeapPeer::inner_succeeded() const {
    if (!inner_ || inner_->method() == nullptr) return false;
    const PeerMethod& m = *inner_->method();
    const bool done = m.state() == MethodState::kDone || m.state() == MethodState::kMayCont;
    return done && m.decision() != Decision::kFail && m.may_accept_success();
}

// wpa_supplicant's phase2_auth=1 (default): phase 2 must have succeeded,
// except on a resumed session where no inner method was started.
bool EapPeapPeer::phase2_sufficient() const {
    if (phase2_started_) return inner_succeeded();
    return resumed_;
}

SecretBytes EapPeapPeer::inner_isk() const {
    if (!inner_ || inner_->method() == nullptr) return peap_isk({});
    const PeerMethod& m = *inner_->method();
    SecretBytes key = m.inner_session_key();
    if (key.empty() && m.key_available()) key = m.keys().msk;
    return peap_isk(key.view());
}

void EapPeapPeer::mark_failed(std::string reason) {
    LOG_INFO(kLog, "failed: %s", reason.c_str());
    if (phase_ != Phase::kFailed) failure_ = std::move(reason);
    phase_ = Phase::kFailed;
    keys_ = Keys{};
}

Bytes EapPeapPeer::fail(std::string reason) {
    mark_failed(std::move(reason));
    return exchange_.next_packet();  // our alert or last message when queued, else an ACK
}

MethodState EapPeapPeer::state() const {
    switch (phase_) {
        case Phase::kWaitStart: return MethodState::kInit;
        case Phase::kHandshake: return MethodState::kCont;
        // RFC 4137 §4.1.2: during phase 2 an EAP-Failure may end the
        // conversation; an EAP-Success is refused (decision FAIL).
        case Phase::kPhase2: return MethodState::kMayCont;
        case Phase::kSucceeded: return exchange_.sending() ? MethodState::kCont : MethodState::kDone;
        case Phase::kFailed: return exchange_.sending() ? MethodState::kCont : MethodState::kDone;
    }
    return MethodState::kDone;
}

Decision EapPeapPeer::decision() const {
    switch (phase_) {
        case Phase::kSucceeded: return Decision::kUncondSucc;
        case Phase::kWaitStart:
        case Phase::kHandshake:
        case Phase::kPhase2:
        case Phase::kFailed: return Decision::kFail;
    }
    return Decision::kFail;
}

bool EapPeapPeer::may_accept_success() const { return phase_ == Phase::kSucceeded && !exchange_.sending(); }

bool EapPeapPeer::resumed() const { return resumed_; }

std::optional<tls::Version> EapPeapPeer::tls_version() const {
    if (engine_ == nullptr || engine_->state() != tls::HandshakeState::kEstablished) return std::nullopt;
    return engine_->version();
}

std::optional<Type> EapPeapPeer::inner_method() const {
    if (!inner_) return std::nullopt;
    return inner_->selected_method();
}

}  // namespace lanyard::eap
