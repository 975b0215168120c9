#include "methods/eap_peap_server.h"

#include "common/log.h"
#include "methods/eap_packet.h"
#include "methods/eap_tlv.h"
#include "methods/tls_method_support.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-peap-server";

FragmentOptions fragments_from(const ServerEnvironment& env) {
    FragmentOptions options;
    options.fragment_size = env.fragment_size;
    if (env.fragment_size_counts_header) options.unit = FragmentSizeUnit::kTypeData;  // hostapd.conf's meaning
    return options;
}

}  // namespace

void PeapInnerRandom::fill(std::span<uint8_t> out) {
    size_t offset = 0;
    if (first_ && !out.empty()) {
        out[0] = *first_;
        first_.reset();
        offset = 1;
    }
    if (offset < out.size() && base_ != nullptr) base_->fill(out.subspan(offset));
}

EapPeapServer::EapPeapServer(const ServerEnvironment& env, PeapServerOptions options)
    : env_(env),
      options_(options),
      exchange_(TlsFraming{Type::kPeap, kPeapVersionMask, kPeapVersion0}, fragments_from(env)),
      inner_registry_(options.inner_registry) {
    if (inner_registry_ == nullptr) {
        builtin_inner_registry_ = peap_inner_registry();
        inner_registry_ = &builtin_inner_registry_;
    }
    version_ = options_.version;
    if (env_.user != nullptr && env_.user->peap_version >= 0 && env_.user->peap_version <= kPeapMaxVersion) {
        version_ = static_cast<uint8_t>(env_.user->peap_version);
        forced_version_ = true;
    }
    if (version_ > kPeapMaxVersion) version_ = kPeapMaxVersion;
    exchange_.set_version(version_);
}

EapPeapServer::~EapPeapServer() = default;

std::unique_ptr<ServerMethod> EapPeapServer::create(const ServerEnvironment& env) {
    if (env.tls == nullptr) return nullptr;
    return std::make_unique<EapPeapServer>(env, PeapServerOptions{});
}

ServerFactory EapPeapServer::factory(PeapServerOptions options) {
    return [options](const ServerEnvironment& env) -> std::unique_ptr<ServerMethod> {
        if (env.tls == nullptr) return nullptr;
        return std::make_unique<EapPeapServer>(env, options);
    };
}

Result<Bytes> EapPeapServer::build_request(uint8_t identifier) {
    last_outer_identifier_ = identifier;
    switch (phase_) {
        case Phase::kStart: {
            auto engine = open_tls_engine(env_.tls, tls::Role::kServer);
            if (!engine) {
                fail(engine.error().to_string());
                return engine.error();
            }
            engine_ = std::move(*engine);
            const Status started = engine_->start();
            if (!started) {
                fail("TLS start: " + started.error().to_string());
                return started.error();
            }
            phase_ = Phase::kHandshake;
            // draft-josefsson-pppext-eap-tls-eap-10 §3.1: Start with our version.
            return exchange_.start_packet();
        }
        case Phase::kHandshake:
        case Phase::kWaitHandshakeAck:
        case Phase::kPhase2:
        case Phase::kTlv:
        case Phase::kSuccessReq:
        case Phase::kFailureReq:
        case Phase::kFailing:
            return exchange_.next_packet();
        case Phase::kSucceeded:
        case Phase::kFailed:
            return make_error(ErrorCode::kInternal, "PEAP Request asked for after the method finished");
    }
    return make_error(ErrorCode::kInternal, "unknown phase");
}

Status EapPeapServer::process(ByteView type_data) {
    switch (phase_) {
        case Phase::kStart: return make_error(ErrorCode::kProtocol, "PEAP Response before Start");
        case Phase::kSucceeded:
        case Phase::kFailed: return make_error(ErrorCode::kProtocol, "PEAP Response after the method finished");
        case Phase::kHandshake:
        case Phase::kWaitHandshakeAck:
        case Phase::kPhase2:
        case Phase::kTlv:
        case Phase::kSuccessReq:
        case Phase::kFailureReq:
        case Phase::kFailing: break;
    }
    auto inbound = exchange_.receive(type_data);
    if (!inbound) return inbound.error();
    if (!version_settled_ && phase_ == Phase::kHandshake) {
        // The peer answers with min(ours, its own).
        const uint8_t peer_version = exchange_.last_version();
        if (peer_version > version_) {
            fail("peer answered PEAPv" + std::to_string(peer_version) + " to our PEAPv" + std::to_string(version_));
            return ok_status();
        }
        if (peer_version < version_) {
            if (forced_version_) {
                fail("peer wants PEAPv" + std::to_string(peer_version) + ", user record forces PEAPv" +
                     std::to_string(version_));
                return ok_status();
            }
            version_ = peer_version;
            exchange_.set_version(version_);
        }
        version_settled_ = true;
        LOG_DEBUG(kLog, "using PEAPv%u", version_);
    }
    switch (*inbound) {
        case TlsInbound::kStart: return make_error(ErrorCode::kProtocol, "peer sent a PEAP Start");
        case TlsInbound::kAckOfFragment:
        case TlsInbound::kFragmentNeedsAck: return ok_status();
        case TlsInbound::kMessage: return on_message(exchange_.take_message());
        case TlsInbound::kAck: return on_ack();
        case TlsInbound::kTooManyRounds:
            fail("too many PEAP rounds");
            return ok_status();
    }
    return make_error(ErrorCode::kInternal, "unknown inbound packet");
}

Status EapPeapServer::on_message(Bytes message) {
    switch (phase_) {
        case Phase::kHandshake: {
            std::string reason;
            switch (feed_tls_engine(*engine_, message, exchange_, &reason)) {
                case EngineStep::kFailed:
                    if (exchange_.sending()) {
                        // RFC 5216 §2.1.3: the alert goes out, failure on its ACK.
                        LOG_INFO(kLog, "failed: %s (sending alert)", reason.c_str());
                        failure_ = std::move(reason);
                        phase_ = Phase::kFailing;
                        forget_tls_session(env_.tls, engine_.get());
                    } else {
                        fail(std::move(reason));
                    }
                    return ok_status();
                case EngineStep::kContinue: return ok_status();
                case EngineStep::kEstablished: return after_established();
            }
            return make_error(ErrorCode::kInternal, "unknown engine step");
        }
        case Phase::kWaitHandshakeAck:
        case Phase::kPhase2:
        case Phase::kTlv:
        case Phase::kSuccessReq:
        case Phase::kFailureReq:
            break;
        case Phase::kStart:
        case Phase::kFailing:
        case Phase::kSucceeded:
        case Phase::kFailed:
            return make_error(ErrorCode::kProtocol, "PEAP data where none was expected");
    }
    const Status fed = engine_->feed(message);
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!fed || engine_->state() == tls::HandshakeState::kFailed) {
        fail("TLS in phase 2: " + (fed ? engine_->failure() : fed.error().detail));
        return ok_status();
    }
    if (!queued) {
        fail(queued.error().to_string());
        return ok_status();
    }
    const Bytes payload = engine_->take_application_data();
    if (payload.empty()) return make_error(ErrorCode::kProtocol, "PEAP records without application data");
    switch (phase_) {
        case Phase::kWaitHandshakeAck:
            return make_error(ErrorCode::kProtocol, "tunnelled data before phase 2 started");
        case Phase::kPhase2: {
            auto whole = peap_server_decode(payload, version_, false, inner_->current_identifier().value_or(0));
            if (!whole) {
                fail("tunnelled packet: " + whole.error().detail);
                return ok_status();
            }
            return on_inner_action(inner_->handle(*whole, TimePoint{}));
        }
        case Phase::kTlv: return on_tlv_response(payload);
        case Phase::kSuccessReq:
            // peap_outer_success=1 peers answer with a tunnelled EAP-Success.
            succeed();
            return ok_status();
        case Phase::kFailureReq:
            phase_ = Phase::kFailed;
            return ok_status();
        case Phase::kHandshake:
        case Phase::kStart:
        case Phase::kFailing:
        case Phase::kSucceeded:
        case Phase::kFailed:
            break;
    }
    return make_error(ErrorCode::kInternal, "unexpected phase");
}

Status EapPeapServer::after_established() {
    const std::string_view label =
        version_ == kPeapVersion1 && options_.new_label ? kPeapV1KeyLabel : kEapTlsKeyLabel;
    auto keys = derive_tls_method_keys(*engine_, Type::kPeap, label);
    if (!keys) {
        fail("key derivation: " + keys.error().to_string());
        return ok_status();
    }
    phase1_keys_ = std::move(*keys);
    resumed_ = engine_->resumed();
    LOG_INFO(kLog, "PEAPv%u phase 1 finished (%s, %s%s)", version_, tls::version_name(engine_->version()),
             engine_->cipher_name().c_str(), resumed_ ? ", resumed" : "");
    // Full handshake: our ChangeCipherSpec/Finished go out first and the
    // peer's ACK starts phase 2 (as hostapd does). Resumption: the peer's
    // Finished was the last handshake message; phase 2 starts now.
    if (exchange_.sending()) {
        phase_ = Phase::kWaitHandshakeAck;
        return ok_status();
    }
    return begin_phase2();
}

Status EapPeapServer::on_ack() {
    switch (phase_) {
        case Phase::kWaitHandshakeAck: return begin_phase2();
        case Phase::kSuccessReq:
            succeed();
            return ok_status();
        case Phase::kFailureReq:
        case Phase::kFailing:
            phase_ = Phase::kFailed;
            return ok_status();
        case Phase::kStart:
        case Phase::kHandshake:
        case Phase::kPhase2:
        case Phase::kTlv:
        case Phase::kSucceeded:
        case Phase::kFailed:
            break;
    }
    return make_error(ErrorCode::kProtocol, "unexpected PEAP ACK");
}

Status EapPeapServer::begin_phase2() {
    phase_ = Phase::kPhase2;
    if (resumed_) {
        // The inner identity that succeeded with this session must still be
        // a phase 2 user.
        auto allowed = check_resumed_session(env_.tls, engine_.get(), Type::kPeap, "", env_.users, true);
        if (!allowed) {
            // As a failed phase 2: a Result TLV failure inside the tunnel.
            failure_ = "resumption refused: " + allowed.error().detail;
            LOG_INFO(kLog, "%s", failure_.c_str());
            forget_tls_session(env_.tls, engine_.get());
            return request_result(false);
        }
        resumed_identity_ = std::move(*allowed);
    }
    if (resumed_ || options_.test_skip_phase2) {
        // Fast reconnect ([MS-PEAP] §3.1.5.x): no inner method.
        LOG_DEBUG(kLog, "%s: skipping phase 2", resumed_ ? "resumed session" : "test_skip_phase2");
        return request_result(true);
    }
    ServerEnvironment inner_env;
    inner_env.users = env_.users;
    // PEAPv0 tunnels inner packets without their header: the peer rebuilds
    // it with the outer Request's Identifier (draft-kamath-pppext-peapv0-00
    // §1.1), so identifier-bound inner methods (MD5, MSCHAPv2) must see the
    // outer Identifier. The inner machine's first Identifier is drawn from
    // its RandomSource and then counts up by one, as the outer machine does
    // (RFC 4137 §5.4 calculateId): start it at the next outer Identifier.
    inner_random_.emplace(env_.random, static_cast<uint8_t>(last_outer_identifier_ + 1));
    inner_env.random = &*inner_random_;
    inner_env.tls = options_.inner_tls != nullptr ? options_.inner_tls : env_.tls;
    inner_env.fragment_size = env_.fragment_size;
    AuthenticatorConfig config;
    config.retransmit = false;
    config.phase2 = true;
    inner_ = std::make_unique<EapAuthenticator>(inner_env, config, inner_registry_);
    return on_inner_action(inner_->start(TimePoint{}));
}

Status EapPeapServer::on_inner_action(const AuthAction& action) {
    switch (action.kind) {
        case AuthActionKind::kSend: return send_tunnelled(peap_tunnel_encode(action.packet, version_));
        case AuthActionKind::kSuccess:
            LOG_DEBUG(kLog, "phase 2 succeeded for '%s'", inner_->identity().c_str());
            return request_result(true);
        case AuthActionKind::kFailure:
        case AuthActionKind::kTimeout:
            LOG_INFO(kLog, "phase 2 failed: %s", action.reason.c_str());
            failure_ = "phase 2: " + action.reason;
            return request_result(false);
        case AuthActionKind::kNone:
            // The inner machine discarded the Response. The TLS records are
            // consumed, so a retransmission could not be decrypted again:
            // end here rather than wait for one.
            fail("inner Response discarded: " + action.reason);
            return ok_status();
    }
    return make_error(ErrorCode::kInternal, "unknown inner action");
}

// PEAPv0: EAP-TLV Result (+ Crypto-Binding); PEAPv1: tunnelled Success/Failure.
Status EapPeapServer::request_result(bool success) {
    tlv_success_requested_ = success;
    tlv_identifier_ = env_.random != nullptr ? env_.random->u8() : 0;
    if (version_ == kPeapVersion1) {
        phase_ = success ? Phase::kSuccessReq : Phase::kFailureReq;
        const Bytes packet = success ? build_success(tlv_identifier_) : build_failure(tlv_identifier_);
        return send_tunnelled(packet);
    }
    ByteWriter body;
    append_result_tlv(body, success ? kTlvResultSuccess : kTlvResultFailure);
    size_t binding_offset = 0;
    const bool with_binding = success && options_.crypto_binding != CryptoBindingPolicy::kNone;
    if (with_binding) {
        const SecretBytes tk = peap_tk(phase1_keys_);
        auto compound = peap_compound_keys(version_, tk.view(), inner_isk().view(), inner_ == nullptr);
        if (!compound) {
            fail("compound keys: " + compound.error().to_string());
            return ok_status();
        }
        compound_ = std::move(*compound);
        CryptoBindingTlv cb;
        cb.mandatory = options_.crypto_binding == CryptoBindingPolicy::kRequired;
        cb.version = version_;
        cb.received_version = version_;
        cb.sub_type = kCryptoBindingRequest;
        if (env_.random != nullptr) env_.random->fill(cb.nonce);
        binding_offset = append_crypto_binding_tlv(body, cb);
    }
    auto packet = eap::build_request(tlv_identifier_, Type::kTlvExtensions, body.view());
    if (!packet) {
        fail("EAP-TLV does not fit");
        return ok_status();
    }
    if (with_binding) {
        const Status signed_ok = peap_sign_crypto_binding(compound_->cmk.view(), *packet, kHeaderSize + 1 + binding_offset);
        if (!signed_ok) {
            fail(signed_ok.error().to_string());
            return ok_status();
        }
        binding_sent_ = true;
    }
    phase_ = Phase::kTlv;
    return send_tunnelled(*packet);
}

Status EapPeapServer::on_tlv_response(ByteView payload) {
    auto whole = peap_server_decode(payload, version_, true, 0);
    auto parsed = whole ? parse_packet(*whole) : Result<Packet>(whole.error());
    if (!parsed) {
        fail("malformed tunnelled EAP-TLV Response: " + parsed.error().detail);
        return ok_status();
    }
    if (!parsed->is_response() || !parsed->type_is(Type::kTlvExtensions)) {
        fail("expected an EAP-TLV Response, got " + describe(*parsed));
        return ok_status();
    }
    auto tlvs = parse_tlvs(parsed->type_data);
    if (!tlvs) {
        fail(tlvs.error().detail);
        return ok_status();
    }
    if (tlvs->unknown_mandatory || tlvs->nak_type) {
        fail("peer refused a TLV (NAK or unknown mandatory TLV)");
        return ok_status();
    }
    if (binding_sent_) {
        if (tlvs->crypto_binding) {
            const CryptoBindingTlv& cb = *tlvs->crypto_binding;
            if (cb.version != version_ || cb.sub_type != kCryptoBindingResponse ||
                !peap_verify_crypto_binding(compound_->cmk.view(), cb)) {
                fail("invalid Crypto-Binding TLV in the Response");
                return ok_status();
            }
            binding_used_ = true;
        } else if (options_.crypto_binding == CryptoBindingPolicy::kRequired) {
            fail("peer sent no Crypto-Binding TLV (required)");
            return ok_status();
        }
    }
    if (!tlvs->result) {
        fail("EAP-TLV Response without a Result TLV");
        return ok_status();
    }
    if (*tlvs->result == kTlvResultSuccess && tlv_success_requested_) {
        succeed();
    } else {
        fail(failure_.empty() ? "peer answered Result TLV failure" : failure_);
    }
    return ok_status();
}

Status EapPeapServer::send_tunnelled(ByteView inner_packet) {
    const Status written = engine_->write_application_data(inner_packet);
    if (!written) {
        fail("TLS write: " + written.error().to_string());
        return ok_status();
    }
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!queued) fail(queued.error().to_string());
    return ok_status();
}

SecretBytes EapPeapServer::inner_isk() const {
    if (!inner_ || inner_->method() == nullptr) return peap_isk({});
    const ServerMethod& m = *inner_->method();
    SecretBytes key = m.inner_session_key();
    if (key.empty() && m.key_available()) key = m.keys().msk;
    return peap_isk(key.view());
}

void EapPeapServer::succeed() {
    auto keys = peap_method_keys(phase1_keys_, version_, binding_used_ ? &compound_->ipmk : nullptr);
    if (!keys) {
        fail("key derivation: " + keys.error().to_string());
        return;
    }
    keys_ = std::move(*keys);
    phase_ = Phase::kSucceeded;
    remember_successful_session(env_.tls, engine_.get(), Type::kPeap, inner_identity());
    LOG_INFO(kLog, "PEAPv%u succeeded for '%s' (%s%s)", version_, inner_identity().c_str(),
             inner_ ? "phase 2 done" : "fast reconnect", binding_used_ ? ", crypto binding" : "");
}

void EapPeapServer::fail(std::string reason) {
    LOG_INFO(kLog, "failed: %s", reason.c_str());
    failure_ = std::move(reason);
    phase_ = Phase::kFailed;
    keys_ = Keys{};
    forget_tls_session(env_.tls, engine_.get());
}

bool EapPeapServer::is_done() const { return phase_ == Phase::kSucceeded || phase_ == Phase::kFailed; }

bool EapPeapServer::is_success() const { return phase_ == Phase::kSucceeded; }

std::string EapPeapServer::inner_identity() const { return inner_ ? inner_->identity() : resumed_identity_; }

}  // namespace lanyard::eap
