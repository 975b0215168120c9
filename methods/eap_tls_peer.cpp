#include "methods/eap_tls_peer.h"

#include "common/log.h"
#include "methods/tls_method_support.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-tls";

FragmentOptions fragments_from(const PeerEnvironment& env) {
    FragmentOptions options;
    if (env.credentials != nullptr) options.fragment_size = env.credentials->fragment_size;
    return options;
}

}  // namespace

EapTlsPeer::EapTlsPeer(const PeerEnvironment& env) : EapTlsPeer(env, fragments_from(env)) {}

EapTlsPeer::EapTlsPeer(const PeerEnvironment& env, FragmentOptions fragments)
    : env_(env), exchange_(TlsFraming{Type::kTls, 0, 0}, fragments) {}

EapTlsPeer::~EapTlsPeer() = default;

std::unique_ptr<PeerMethod> EapTlsPeer::create(const PeerEnvironment& env) {
    if (env.tls == nullptr) return nullptr;
    return std::make_unique<EapTlsPeer>(env);
}

Result<Bytes> EapTlsPeer::process(uint8_t /*identifier*/, ByteView type_data) {
    switch (phase_) {
        case Phase::kWaitStart: {
            // RFC 5216 §2.1.1: the conversation begins with the server's Start.
            auto packet = parse_tls_packet(type_data);
            if (!packet) return packet.error();
            if (!packet->start()) return make_error(ErrorCode::kProtocol, "EAP-TLS data before Start");
            break;
        }
        case Phase::kHandshake:
        case Phase::kWaitSuccessIndication:
            break;
        case Phase::kSucceeded:
            if (exchange_.sending()) break;  // our last flight is still going out
            return make_error(ErrorCode::kProtocol, "EAP-TLS Request after the method finished");
        case Phase::kFailed:
            return make_error(ErrorCode::kProtocol, "EAP-TLS Request after the method failed");
    }

    auto inbound = exchange_.receive(type_data);
    if (!inbound) return inbound.error();
    switch (*inbound) {
        case TlsInbound::kStart:
            if (phase_ != Phase::kWaitStart) return make_error(ErrorCode::kProtocol, "second EAP-TLS Start");
            return on_start();
        case TlsInbound::kAckOfFragment:
            return exchange_.next_packet();
        case TlsInbound::kFragmentNeedsAck:
            // RFC 5216 §2.1.5: acknowledge each fragment with an empty Response.
            return exchange_.ack_packet();
        case TlsInbound::kMessage:
            return on_message(exchange_.take_message());
        case TlsInbound::kAck:
            return make_error(ErrorCode::kProtocol, "empty EAP-TLS Request while nothing was pending");
        case TlsInbound::kTooManyRounds:
            return fail("too many EAP-TLS rounds");
    }
    return make_error(ErrorCode::kInternal, "unknown inbound packet");
}

Result<Bytes> EapTlsPeer::on_start() {
    auto engine = open_tls_engine(env_.tls, tls::Role::kClient);
    if (!engine) return fail(engine.error().to_string());
    engine_ = std::move(*engine);
    if (env_.load_tls_session) {
        if (auto saved = env_.load_tls_session(); saved && !saved->empty()) {
            const Status offered = engine_->set_resumption_session(*saved);
            if (!offered) LOG_DEBUG(kLog, "saved TLS session not offered: %s", offered.error().to_string().c_str());
        }
    }
    const Status started = engine_->start();
    if (!started) return fail("TLS start: " + started.error().to_string());
    const Status queued = queue_engine_output(*engine_, exchange_);
    if (!queued) return fail(queued.error().to_string());
    phase_ = Phase::kHandshake;
    return exchange_.next_packet();  // the ClientHello (RFC 5216 §2.1.1)
}

Result<Bytes> EapTlsPeer::on_message(Bytes message) {
    std::string reason;
    switch (feed_tls_engine(*engine_, message, exchange_, &reason)) {
        case EngineStep::kFailed:
            // RFC 5216 §2.1.3: the Response carries our alert, if any.
            return fail(reason);
        case EngineStep::kContinue:
            return exchange_.next_packet();
        case EngineStep::kEstablished:
            return after_established();
    }
    return make_error(ErrorCode::kInternal, "unknown engine step");
}

Result<Bytes> EapTlsPeer::after_established() {
    switch (engine_->version()) {
        case tls::Version::kTls10:
        case tls::Version::kTls11:
        case tls::Version::kTls12:
            // RFC 5216 §2.1.1: the server's Finished was processed; answer
            // with an ACK (or our Finished on resumption, §2.1.2).
            return succeed();
        case tls::Version::kTls13: {
            // RFC 9190 §2.5: success only after the protected success
            // indication, one octet 0x00 of application data.
            const Bytes data = engine_->take_application_data();
            if (data.empty()) {
                phase_ = Phase::kWaitSuccessIndication;
                return exchange_.next_packet();
            }
            if (data.size() == 1 && data[0] == 0x00) return succeed();
            return fail("application data other than the TLS 1.3 success indication (RFC 9190 §2.5)");
        }
    }
    return make_error(ErrorCode::kInternal, "unknown TLS version");
}

Bytes EapTlsPeer::succeed() {
    auto keys = derive_tls_method_keys(*engine_, Type::kTls);
    if (!keys) return fail("key derivation: " + keys.error().to_string());
    keys_ = std::move(*keys);
    phase_ = Phase::kSucceeded;
    LOG_INFO(kLog, "%s handshake finished (%s%s)", tls::version_name(engine_->version()),
             engine_->cipher_name().c_str(), engine_->resumed() ? ", resumed" : "");
    if (env_.save_tls_session) {
        const Bytes session = engine_->serialized_session();
        if (!session.empty()) env_.save_tls_session(session);
    }
    return exchange_.next_packet();
}

Bytes EapTlsPeer::fail(std::string reason) {
    LOG_INFO(kLog, "failed: %s", reason.c_str());
    failure_ = std::move(reason);
    phase_ = Phase::kFailed;
    keys_ = Keys{};
    return exchange_.next_packet();  // the alert when the engine made one, else an ACK
}

MethodState EapTlsPeer::state() const {
    switch (phase_) {
        case Phase::kWaitStart: return MethodState::kInit;
        case Phase::kHandshake:
        case Phase::kWaitSuccessIndication: return MethodState::kCont;
        case Phase::kSucceeded: return exchange_.sending() ? MethodState::kCont : MethodState::kDone;
        case Phase::kFailed: return MethodState::kDone;
    }
    return MethodState::kDone;
}

Decision EapTlsPeer::decision() const {
    switch (phase_) {
        case Phase::kSucceeded: return Decision::kUncondSucc;
        case Phase::kWaitStart:
        case Phase::kHandshake:
        case Phase::kWaitSuccessIndication:
        case Phase::kFailed: return Decision::kFail;
    }
    return Decision::kFail;
}

bool EapTlsPeer::key_available() const { return phase_ == Phase::kSucceeded; }

bool EapTlsPeer::may_accept_success() const { return phase_ == Phase::kSucceeded && !exchange_.sending(); }

bool EapTlsPeer::resumed() const {
    return engine_ != nullptr && engine_->state() == tls::HandshakeState::kEstablished && engine_->resumed();
}

}  // namespace lanyard::eap
