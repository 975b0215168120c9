#include "methods/eap_tls_server.h"

#include "common/log.h"
#include "methods/tls_method_support.h"

namespace lanyard::eap {

namespace {

constexpr const char* kLog = "eap-tls-server";

FragmentOptions fragments_from(const ServerEnvironment& env) {
    FragmentOptions options;
    options.fragment_size = env.fragment_size;
    if (env.fragment_size_counts_header) options.unit = FragmentSizeUnit::kTypeData;
    return options;
}

}  // namespace

EapTlsServer::EapTlsServer(const ServerEnvironment& env) : EapTlsServer(env, fragments_from(env)) {}

EapTlsServer::EapTlsServer(const ServerEnvironment& env, FragmentOptions fragments)
    : env_(env), exchange_(TlsFraming{Type::kTls, 0, 0}, fragments) {}

EapTlsServer::~EapTlsServer() = default;

std::unique_ptr<ServerMethod> EapTlsServer::create(const ServerEnvironment& env) {
    if (env.tls == nullptr) return nullptr;
    return std::make_unique<EapTlsServer>(env);
}

Result<Bytes> EapTlsServer::build_request(uint8_t /*identifier*/) {
    switch (phase_) {
        case Phase::kStart: {
            // RFC 5216 §2.1.1: the first Request is Start, without data.
            // RFC 5216 §2.1.1: EAP-TLS authenticates the peer by its certificate.
            auto engine = open_tls_engine(env_.tls, tls::Role::kServer, tls::EngineOptions{true});
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
            return exchange_.start_packet();
        }
        case Phase::kHandshake:
        case Phase::kWaitFinalAck:
        case Phase::kFailing:
            // The next fragment of our flight, or the ACK of the peer's fragment.
            return exchange_.next_packet();
        case Phase::kSucceeded:
        case Phase::kFailed:
            return make_error(ErrorCode::kInternal, "EAP-TLS Request asked for after the method finished");
    }
    return make_error(ErrorCode::kInternal, "unknown phase");
}

Status EapTlsServer::process(ByteView type_data) {
    switch (phase_) {
        case Phase::kStart: return make_error(ErrorCode::kProtocol, "EAP-TLS Response before Start");
        case Phase::kHandshake:
        case Phase::kWaitFinalAck:
        case Phase::kFailing: break;
        case Phase::kSucceeded:
        case Phase::kFailed: return make_error(ErrorCode::kProtocol, "EAP-TLS Response after the method finished");
    }
    auto inbound = exchange_.receive(type_data);
    if (!inbound) return inbound.error();
    switch (*inbound) {
        case TlsInbound::kStart: return make_error(ErrorCode::kProtocol, "peer sent an EAP-TLS Start");
        case TlsInbound::kAckOfFragment:
        case TlsInbound::kFragmentNeedsAck: return ok_status();  // build_request answers
        case TlsInbound::kMessage: return on_message(exchange_.take_message());
        case TlsInbound::kAck: return on_ack();
        case TlsInbound::kTooManyRounds:
            fail("too many EAP-TLS rounds");
            return ok_status();
    }
    return make_error(ErrorCode::kInternal, "unknown inbound packet");
}

Status EapTlsServer::on_message(Bytes message) {
    if (phase_ != Phase::kHandshake && phase_ != Phase::kWaitFinalAck)
        return make_error(ErrorCode::kProtocol, "TLS data where an ACK of our alert was expected");
    std::string reason;
    switch (feed_tls_engine(*engine_, message, exchange_, &reason)) {
        case EngineStep::kFailed:
            // RFC 5216 §2.1.3: send the alert in a Request, fail on its ACK.
            if (exchange_.sending()) {
                LOG_INFO(kLog, "failed: %s (sending alert)", reason.c_str());
                failure_ = std::move(reason);
                phase_ = Phase::kFailing;
                forget_tls_session(env_.tls, engine_.get());
            } else {
                fail(std::move(reason));
            }
            return ok_status();
        case EngineStep::kContinue:
            return ok_status();
        case EngineStep::kEstablished:
            if (phase_ != Phase::kHandshake)
                return make_error(ErrorCode::kProtocol, "TLS data after the handshake finished");
            return after_established();
    }
    return make_error(ErrorCode::kInternal, "unknown engine step");
}

Status EapTlsServer::after_established() {
    const auto certificates = engine_->peer_certificates();
    if (certificates.empty() && !engine_->resumed()) {
        // RFC 5216 §2.1.1: EAP-TLS authenticates the peer by its certificate.
        fail("peer presented no certificate");
        return ok_status();
    }
    if (!certificates.empty())
        LOG_DEBUG(kLog, "client certificate subject: %s (EAP identity '%s')", certificates.front().subject.c_str(),
                  env_.identity.c_str());
    if (engine_->resumed()) {
        auto allowed = check_resumed_session(env_.tls, engine_.get(), Type::kTls, env_.identity, env_.users, false);
        if (!allowed) {
            fail("resumption refused: " + allowed.error().detail);
            return ok_status();
        }
    }
    if (engine_->version() == tls::Version::kTls13) {
        // RFC 9190 §2.5: the protected success indication.
        static constexpr uint8_t kSuccessIndication[1] = {0x00};
        const Status written = engine_->write_application_data(kSuccessIndication);
        if (!written) {
            fail("TLS 1.3 success indication: " + written.error().to_string());
            return ok_status();
        }
        const Status queued = queue_engine_output(*engine_, exchange_);
        if (!queued) {
            fail(queued.error().to_string());
            return ok_status();
        }
    }
    // TLS 1.2 resumption: the peer's Finished was the last message (RFC 5216
    // §2.1.2); otherwise our final flight goes out and its ACK ends the method.
    if (!exchange_.sending()) {
        succeed();
        return ok_status();
    }
    phase_ = Phase::kWaitFinalAck;
    return ok_status();
}

Status EapTlsServer::on_ack() {
    switch (phase_) {
        case Phase::kWaitFinalAck:
            succeed();
            return ok_status();
        case Phase::kFailing:
            phase_ = Phase::kFailed;
            return ok_status();
        case Phase::kStart:
        case Phase::kHandshake:
        case Phase::kSucceeded:
        case Phase::kFailed:
            break;
    }
    return make_error(ErrorCode::kProtocol, "unexpected EAP-TLS ACK");
}

void EapTlsServer::succeed() {
    auto keys = derive_tls_method_keys(*engine_, Type::kTls);
    if (!keys) {
        fail("key derivation: " + keys.error().to_string());
        return;
    }
    keys_ = std::move(*keys);
    phase_ = Phase::kSucceeded;
    remember_successful_session(env_.tls, engine_.get(), Type::kTls, env_.identity);
    LOG_INFO(kLog, "%s handshake finished (%s%s)", tls::version_name(engine_->version()),
             engine_->cipher_name().c_str(), engine_->resumed() ? ", resumed" : "");
}

void EapTlsServer::fail(std::string reason) {
    LOG_INFO(kLog, "failed: %s", reason.c_str());
    failure_ = std::move(reason);
    phase_ = Phase::kFailed;
    keys_ = Keys{};
    // A session of a failed authentication must not be resumed.
    forget_tls_session(env_.tls, engine_.get());
}

bool EapTlsServer::is_done() const { return phase_ == Phase::kSucceeded || phase_ == Phase::kFailed; }

bool EapTlsServer::is_success() const { return phase_ == Phase::kSucceeded; }

bool EapTlsServer::resumed() const {
    return engine_ != nullptr && engine_->state() == tls::HandshakeState::kEstablished && engine_->resumed();
}

}  // namespace lanyard::eap
