// Driving the handshake and the tunnel of an OpenSSL engine (records in,
// records out). Keys and session data are in openssl_keying.cpp.
#include "tls/openssl/openssl_engine.h"

#include <openssl/err.h>

#include "common/log.h"
#include "tls/openssl/openssl_errors.h"
#include "tls/openssl/openssl_verify.h"

namespace lanyard::tls::ossl {
namespace {

// Bounds on what a peer can make us buffer (DESIGN.md rule 3). EAP-TLS
// messages are reassembled by the method before they get here; these only
// stop a runaway peer.
constexpr size_t kMaxPendingInput = 256 * 1024;
constexpr size_t kMaxApplicationData = 256 * 1024;
constexpr int kMaxReadsPerFeed = 1024;

int engine_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

void info_callback(const SSL* ssl, int where, int ret) {
    if ((where & SSL_CB_ALERT) == 0) return;
    OpensslEngine* engine = OpensslEngine::from(ssl);
    if (engine != nullptr) engine->note_alert((where & SSL_CB_READ) != 0, ret);
}

// OpenSSL 3.0 has no text for the alerts TLS 1.3 added (RFC 8446 §6).
std::string alert_description(int alert_value) {
    const std::string desc = SSL_alert_desc_string_long(alert_value);
    if (desc != "unknown") return desc;
    switch (alert_value & 0xff) {
        case 109: return "missing extension";
        case 115: return "unknown PSK identity";
        case 116: return "certificate required";
        case 120: return "no application protocol";
    }
    return "alert " + std::to_string(alert_value & 0xff);
}

const char* role_name(Role role) {
    switch (role) {
        case Role::kClient: return "client";
        case Role::kServer: return "server";
    }
    return "?";
}

}  // namespace

OpensslEngine* OpensslEngine::from(const SSL* ssl) {
    return static_cast<OpensslEngine*>(SSL_get_ex_data(ssl, engine_index()));
}

Result<std::unique_ptr<OpensslEngine>> OpensslEngine::create(SSL_CTX* ctx, EngineSettings settings) {
    ERR_clear_error();
    SSL* ssl = SSL_new(ctx);
    BIO* rbio = BIO_new(BIO_s_mem());
    BIO* wbio = BIO_new(BIO_s_mem());
    if (ssl == nullptr || rbio == nullptr || wbio == nullptr) {
        SSL_free(ssl);
        BIO_free(rbio);
        BIO_free(wbio);
        return make_error(ErrorCode::kInternal, "cannot create an SSL object: " + drain_errors());
    }
    // An empty input BIO means "wait for more", not end of file.
    BIO_set_mem_eof_return(rbio, -1);
    SSL_set_bio(ssl, rbio, wbio);
    std::unique_ptr<OpensslEngine> engine(new OpensslEngine(ssl, rbio, wbio, std::move(settings)));
    SSL_set_ex_data(ssl, engine_index(), engine.get());
    SSL_set_info_callback(ssl, info_callback);
    switch (engine->settings_.role) {
        case Role::kClient: SSL_set_connect_state(ssl); break;
        case Role::kServer:
            SSL_set_accept_state(ssl);
            // RFC 5216 §5.3: EAP-TLS servers request and require a client
            // certificate; PEAP servers do not ask for one.
            SSL_set_verify(ssl,
                           engine->settings_.require_peer_certificate
                               ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
                               : SSL_VERIFY_NONE,
                           engine->settings_.require_peer_certificate ? verify_callback : nullptr);
            break;
    }
    return engine;
}

OpensslEngine::OpensslEngine(SSL* ssl, BIO* rbio, BIO* wbio, EngineSettings settings)
    : ssl_(ssl), rbio_(rbio), wbio_(wbio), settings_(std::move(settings)) {}

OpensslEngine::~OpensslEngine() {
    SSL_set_ex_data(ssl_, engine_index(), nullptr);
    // EAP never sends close_notify (RFC 5216 ends with EAP-Success), and
    // SSL_free() treats a connection that was not shut down as broken and
    // removes its session from the cache (RFC 5246 §7.2.2 rule for errors).
    // A finished handshake is not broken: mark it shut down so the session
    // stays resumable. Failed handshakes keep OpenSSL's removal.
    if (state_ == HandshakeState::kEstablished) SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    SSL_free(ssl_);  // frees both BIOs
}

void OpensslEngine::note_verify_failure(std::string reason) {
    if (verify_failure_.empty()) verify_failure_ = std::move(reason);
}

void OpensslEngine::note_alert(bool received, int alert_value) {
    const std::string level = SSL_alert_type_string_long(alert_value);
    const std::string desc = alert_description(alert_value);
    LOG_DEBUG("tls", "%s %s %s alert: %s", role_name(settings_.role), received ? "received" : "sent", level.c_str(),
              desc.c_str());
    if (received && level == "fatal" && alert_received_.empty()) alert_received_ = desc;
}

Status OpensslEngine::fail(const std::string& fallback) {
    state_ = HandshakeState::kFailed;
    const std::string queued = drain_errors();
    if (failure_.empty()) {
        if (!verify_failure_.empty()) {
            failure_ = verify_failure_;
        } else if (!alert_received_.empty()) {
            failure_ = "received fatal alert: " + alert_received_;
        } else if (!queued.empty()) {
            failure_ = queued;
        } else {
            failure_ = fallback;
        }
    }
    LOG_DEBUG("tls", "%s: TLS failed: %s", role_name(settings_.role), failure_.c_str());
    return make_error(ErrorCode::kAuthFailed, failure_);
}

Status OpensslEngine::set_resumption_session(ByteView serialized_session) {
    if (started_) return make_error(ErrorCode::kInternal, "set_resumption_session() after start()");
    switch (settings_.role) {
        case Role::kServer: return make_error(ErrorCode::kInternal, "set_resumption_session() is for clients");
        case Role::kClient: break;
    }
    const unsigned char* p = serialized_session.data();
    SSL_SESSION* session = d2i_SSL_SESSION(nullptr, &p, static_cast<long>(serialized_session.size()));
    if (session == nullptr) {
        ERR_clear_error();
        return make_error(ErrorCode::kMalformed, "the saved TLS session does not parse");
    }
    const int ok = SSL_set_session(ssl_, session);
    SSL_SESSION_free(session);
    if (ok != 1) return make_error(ErrorCode::kInternal, "cannot offer the saved TLS session: " + drain_errors());
    return ok_status();
}

Status OpensslEngine::start() {
    if (started_) return make_error(ErrorCode::kInternal, "start() called twice");
    started_ = true;
    switch (settings_.role) {
        case Role::kClient: return drive_handshake();  // writes the ClientHello
        case Role::kServer: return ok_status();
    }
    return ok_status();
}

Status OpensslEngine::feed(ByteView records) {
    if (state_ == HandshakeState::kFailed) return make_error(ErrorCode::kAuthFailed, failure_);
    if (!started_) {
        switch (settings_.role) {
            case Role::kClient: return make_error(ErrorCode::kInternal, "feed() before start()");
            case Role::kServer: started_ = true; break;
        }
    }
    if (BIO_ctrl_pending(rbio_) + records.size() > kMaxPendingInput) {
        state_ = HandshakeState::kFailed;
        failure_ = "too much unprocessed TLS input";
        return make_error(ErrorCode::kLimit, failure_);
    }
    if (!records.empty() && BIO_write(rbio_, records.data(), static_cast<int>(records.size())) !=
                                static_cast<int>(records.size())) {
        return fail("cannot buffer TLS input");
    }
    switch (state_) {
        case HandshakeState::kInProgress: return drive_handshake();
        case HandshakeState::kEstablished: return drive_reads();
        case HandshakeState::kFailed: break;
    }
    return make_error(ErrorCode::kAuthFailed, failure_);
}

Status OpensslEngine::drive_handshake() {
    ERR_clear_error();
    const int ret = SSL_do_handshake(ssl_);
    if (ret == 1) {
        state_ = HandshakeState::kEstablished;
        LOG_DEBUG("tls", "%s: handshake done: %s %s%s", role_name(settings_.role), SSL_get_version(ssl_),
                  SSL_get_cipher_name(ssl_), SSL_session_reused(ssl_) ? " (resumed)" : "");
        // Records that came with the last flight: application data, or the
        // TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
        return drive_reads();
    }
    const int err = SSL_get_error(ssl_, ret);
    switch (err) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            return ok_status();
        default:
            return fail("handshake failed");
    }
}

Status OpensslEngine::drive_reads() {
    uint8_t buf[16384];
    for (int i = 0; i < kMaxReadsPerFeed; ++i) {
        ERR_clear_error();
        const int ret = SSL_read(ssl_, buf, sizeof buf);
        if (ret > 0) {
            if (app_in_.size() + static_cast<size_t>(ret) > kMaxApplicationData) {
                secure_wipe(buf, sizeof buf);
                state_ = HandshakeState::kFailed;
                failure_ = "too much unread application data";
                return make_error(ErrorCode::kLimit, failure_);
            }
            app_in_.insert(app_in_.end(), buf, buf + ret);
            continue;
        }
        const int err = SSL_get_error(ssl_, ret);
        secure_wipe(buf, sizeof buf);
        switch (err) {
            case SSL_ERROR_WANT_READ:
            case SSL_ERROR_WANT_WRITE:
                return ok_status();
            case SSL_ERROR_ZERO_RETURN:
                if (!peer_closed_) LOG_DEBUG("tls", "%s: peer closed the tunnel", role_name(settings_.role));
                peer_closed_ = true;
                return ok_status();
            default:
                return fail("reading from the tunnel failed");
        }
    }
    secure_wipe(buf, sizeof buf);
    return ok_status();
}

Bytes OpensslEngine::take_output() {
    Bytes out(BIO_ctrl_pending(wbio_));
    if (out.empty()) return out;
    const int n = BIO_read(wbio_, out.data(), static_cast<int>(out.size()));
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
}

bool OpensslEngine::has_output() const { return BIO_ctrl_pending(wbio_) > 0; }

Status OpensslEngine::require_established(const char* what) const {
    switch (state_) {
        case HandshakeState::kEstablished: return ok_status();
        case HandshakeState::kInProgress:
            return make_error(ErrorCode::kProtocol, std::string(what) + ": the TLS handshake is not finished");
        case HandshakeState::kFailed:
            return make_error(ErrorCode::kProtocol, std::string(what) + ": the TLS handshake failed");
    }
    return make_error(ErrorCode::kInternal, what);
}

Status OpensslEngine::write_application_data(ByteView data) {
    LANYARD_TRY(require_established("write_application_data"));
    if (data.empty()) return ok_status();
    ERR_clear_error();
    size_t written = 0;
    if (SSL_write_ex(ssl_, data.data(), data.size(), &written) != 1 || written != data.size()) {
        return fail("writing to the tunnel failed");
    }
    return ok_status();
}

Bytes OpensslEngine::take_application_data() {
    Bytes out;
    out.swap(app_in_);
    return out;
}

}  // namespace lanyard::tls::ossl
