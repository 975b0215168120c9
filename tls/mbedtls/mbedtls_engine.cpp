// Driving the handshake and the tunnel of an mbedTLS engine (records in,
// records out). Keys and session data are in mbedtls_keying.cpp.
#include "tls/mbedtls/mbedtls_engine.h"

#include <mbedtls/ctr_drbg.h>

#include <algorithm>
#include <cstring>

#include "common/log.h"
#include "tls/mbedtls/mbedtls_errors.h"
#include "tls/mbedtls/mbedtls_session_cache.h"
#include "tls/mbedtls/mbedtls_x509.h"
#include "tls/name_match.h"

namespace lanyard::tls::mbed {
namespace {

// Bounds on what a peer can make us buffer (DESIGN.md rule 3).
constexpr size_t kMaxPendingInput = 256 * 1024;
constexpr size_t kMaxApplicationData = 256 * 1024;
constexpr int kMaxReadsPerFeed = 1024;
constexpr int kMaxHandshakeStepsPerFeed = 64;  // a TLS 1.2 handshake has ~20 states

const char* role_name(Role role) {
    switch (role) {
        case Role::kClient: return "client";
        case Role::kServer: return "server";
    }
    return "?";
}

int export_keys(void* p, const unsigned char* ms, const unsigned char* /*kb*/, size_t /*maclen*/,
                size_t /*keylen*/, size_t /*ivlen*/, const unsigned char client_random[32],
                const unsigned char server_random[32], mbedtls_tls_prf_types prf_type) {
    static_cast<MbedtlsEngine*>(p)->note_keys(ms, client_random, server_random, static_cast<int>(prf_type));
    return 0;
}

// Called by mbedTLS for each certificate of the peer's chain, the top first
// and the leaf (depth 0) last.
int verify_certificate(void* p, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
    auto* engine = static_cast<MbedtlsEngine*>(p);
    const bool client = engine->role() == Role::kClient;
    const Config& config = engine->config();
    const std::string where = " (depth " + std::to_string(depth) + ", " + subject_of(*crt) + ")";
    if (*flags != 0) {
        if (client && !config.verify_peer) {
            // The user switched verification off explicitly; the name policy
            // below still applies to the leaf.
            LOG_DEBUG("tls", "ignoring %s%s (verification off)", verify_flags_text(*flags).c_str(), where.c_str());
            *flags = 0;
        } else {
            engine->note_verify_failure(std::string(client ? "" : "client ") +
                                        "certificate verify failed: " + verify_flags_text(*flags) + where);
        }
    }
    if (client && depth == 0 && (!config.domain_match.empty() || !config.domain_suffix_match.empty())) {
        const auto names = names::names_to_check(dns_names(*crt), common_names(*crt));
        Status ok = names::check_server_names(names, config.domain_match, config.domain_suffix_match);
        if (!ok) {
            // RFC 5216 §5.2: the peer checks the server's identity.
            *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
            engine->note_verify_failure(ok.error().detail);
        }
    }
    return 0;
}

}  // namespace

MbedtlsEngine::MbedtlsEngine(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {
    mbedtls_ssl_config_init(&conf_);
    mbedtls_ssl_init(&ssl_);
}

MbedtlsEngine::~MbedtlsEngine() {
    mbedtls_ssl_free(&ssl_);
    mbedtls_ssl_config_free(&conf_);
}

Result<std::unique_ptr<MbedtlsEngine>> MbedtlsEngine::create(std::shared_ptr<Shared> shared,
                                                             const EngineOptions& options) {
    std::unique_ptr<MbedtlsEngine> engine(new MbedtlsEngine(std::move(shared)));
    engine->options_ = options;
    LANYARD_TRY(engine->setup());
    return engine;
}

Status MbedtlsEngine::setup() {
    const Shared& s = *shared_;
    const bool client = s.config.role == Role::kClient;
    int ret = mbedtls_ssl_config_defaults(&conf_, client ? MBEDTLS_SSL_IS_CLIENT : MBEDTLS_SSL_IS_SERVER,
                                          MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) return make_error(ErrorCode::kInternal, "mbedtls_ssl_config_defaults: " + error_text(ret));
    mbedtls_ssl_conf_rng(&conf_, mbedtls_ctr_drbg_random, &shared_->drbg);
    mbedtls_ssl_conf_min_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, s.min_minor);
    mbedtls_ssl_conf_max_version(&conf_, MBEDTLS_SSL_MAJOR_VERSION_3, s.max_minor);
    if (!s.ciphersuites.empty()) mbedtls_ssl_conf_ciphersuites(&conf_, s.ciphersuites.data());
    if (s.has_ca) mbedtls_ssl_conf_ca_chain(&conf_, &shared_->ca, nullptr);
    if (s.has_own) {
        ret = mbedtls_ssl_conf_own_cert(&conf_, &shared_->own_chain, &shared_->own_key);
        if (ret != 0) return make_error(ErrorCode::kInternal, "mbedtls_ssl_conf_own_cert: " + error_text(ret));
    }
    if (client) {
        // verify_peer off: OPTIONAL still runs the verify callback (for the
        // name policy) but lets chain errors pass.
        mbedtls_ssl_conf_authmode(&conf_, s.config.verify_peer ? MBEDTLS_SSL_VERIFY_REQUIRED
                                                               : MBEDTLS_SSL_VERIFY_OPTIONAL);
    } else {
        // RFC 5216 §5.3: EAP-TLS servers request and require a client
        // certificate; PEAP servers do not ask for one.
        mbedtls_ssl_conf_authmode(&conf_, options_.require_peer_certificate ? MBEDTLS_SSL_VERIFY_REQUIRED
                                                                            : MBEDTLS_SSL_VERIFY_NONE);
    }
    mbedtls_ssl_conf_export_keys_ext_cb(&conf_, export_keys, this);
    // Resumption is by session id through the owner's store (RFC 5246
    // §7.4.1.2); no session tickets in either role.
    mbedtls_ssl_conf_session_tickets(&conf_, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
    if (!client && s.config.session_store != nullptr && s.config.session_lifetime_seconds > 0) {
        install_session_store(&conf_, this);
    }
    ret = mbedtls_ssl_setup(&ssl_, &conf_);
    if (ret != 0) return make_error(ErrorCode::kInternal, "mbedtls_ssl_setup: " + error_text(ret));
    mbedtls_ssl_set_bio(&ssl_, this, send_cb, recv_cb, nullptr);
    mbedtls_ssl_set_verify(&ssl_, verify_certificate, this);
    return ok_status();
}

int MbedtlsEngine::send_cb(void* self, const unsigned char* buf, size_t len) {
    auto* e = static_cast<MbedtlsEngine*>(self);
    // mbedTLS flushes one record per call; content type 21 is an alert
    // (RFC 5246 §6.2.1), and the type stays in the clear when encrypted.
    if (len >= 5 && buf[0] == MBEDTLS_SSL_MSG_ALERT) e->alert_sent_ = true;
    e->out_.insert(e->out_.end(), buf, buf + len);
    return static_cast<int>(len);
}

int MbedtlsEngine::recv_cb(void* self, unsigned char* buf, size_t len) {
    auto* e = static_cast<MbedtlsEngine*>(self);
    const size_t available = e->in_.size() - e->in_pos_;
    if (available == 0) return MBEDTLS_ERR_SSL_WANT_READ;
    const size_t n = std::min(len, available);
    std::memcpy(buf, e->in_.data() + e->in_pos_, n);
    e->in_pos_ += n;
    if (e->in_pos_ == e->in_.size()) {
        e->in_.clear();
        e->in_pos_ = 0;
    }
    return static_cast<int>(n);
}

void MbedtlsEngine::note_verify_failure(std::string reason) {
    if (verify_failure_.empty()) verify_failure_ = std::move(reason);
}

void MbedtlsEngine::note_keys(const unsigned char* master, const unsigned char* client_random,
                              const unsigned char* server_random, int prf_type) {
    master_.assign(ByteView(master, 48));  // RFC 5246 §8.1
    client_random_.assign(client_random, client_random + 32);
    server_random_.assign(server_random, server_random + 32);
    prf_type_ = prf_type;
}

void MbedtlsEngine::note_cache_lookup(ByteView id, bool hit) {
    if (hit) cache_hit_id_.assign(id.begin(), id.end());
}

Status MbedtlsEngine::fail(int ret, const std::string& fallback) {
    state_ = HandshakeState::kFailed;
    if (failure_.empty()) {
        if (!verify_failure_.empty()) {
            failure_ = verify_failure_;
        } else if (ret == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE && ssl_.in_msg != nullptr) {
            failure_ = "received fatal alert: " + alert_name(ssl_.in_msg[1]);
        } else if (ret != 0) {
            failure_ = fallback + ": " + error_text(ret);
        } else {
            failure_ = fallback;
        }
    }
    // mbedTLS sends no alert for some failures (a missing client
    // certificate, a bad MAC on the Finished): tell the peer, so that it
    // does not wait for a flight that never comes (RFC 5246 §7.2.2).
    if (!alert_sent_ && ret != MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
        const unsigned char desc = ret == MBEDTLS_ERR_SSL_INVALID_MAC ? MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC
                                                                      : MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
        (void)mbedtls_ssl_send_alert_message(&ssl_, MBEDTLS_SSL_ALERT_LEVEL_FATAL, desc);
    }
    // A session that failed to resume must not be offered again (RFC 5246
    // §7.2.2 treats a failed handshake's session as not resumable).
    SessionStore* store = shared_->config.session_store;
    if (role() == Role::kServer && store != nullptr && !cache_hit_id_.empty()) {
        LOG_DEBUG("tls", "session cache: removing a session whose resumption failed");
        store->remove(cache_hit_id_);
        cache_hit_id_.clear();
    }
    LOG_DEBUG("tls", "%s: TLS failed: %s", role_name(role()), failure_.c_str());
    return make_error(ErrorCode::kAuthFailed, failure_);
}

Status MbedtlsEngine::start() {
    if (started_) return make_error(ErrorCode::kInternal, "start() called twice");
    started_ = true;
    switch (role()) {
        case Role::kClient: return drive_handshake();  // writes the ClientHello
        case Role::kServer: return ok_status();
    }
    return ok_status();
}

Status MbedtlsEngine::feed(ByteView records) {
    if (state_ == HandshakeState::kFailed) return make_error(ErrorCode::kAuthFailed, failure_);
    if (!started_) {
        switch (role()) {
            case Role::kClient: return make_error(ErrorCode::kInternal, "feed() before start()");
            case Role::kServer: started_ = true; break;
        }
    }
    if (in_.size() - in_pos_ + records.size() > kMaxPendingInput) {
        state_ = HandshakeState::kFailed;
        failure_ = "too much unprocessed TLS input";
        return make_error(ErrorCode::kLimit, failure_);
    }
    in_.insert(in_.end(), records.begin(), records.end());
    switch (state_) {
        case HandshakeState::kInProgress: return drive_handshake();
        case HandshakeState::kEstablished: return drive_reads();
        case HandshakeState::kFailed: break;
    }
    return make_error(ErrorCode::kAuthFailed, failure_);
}

Status MbedtlsEngine::drive_handshake() {
    for (int step = 0; step < kMaxHandshakeStepsPerFeed; ++step) {
        if (ssl_.state == MBEDTLS_SSL_HANDSHAKE_OVER) {
            state_ = HandshakeState::kEstablished;
            if (role() == Role::kClient) {
                resumed_ = !offered_id_.empty() && ssl_.session != nullptr &&
                           std::equal(offered_id_.begin(), offered_id_.end(), ssl_.session->id,
                                      ssl_.session->id + ssl_.session->id_len);
            } else {
                resumed_ = !cache_hit_id_.empty();
            }
            LOG_DEBUG("tls", "%s: handshake done: %s %s%s", role_name(role()), mbedtls_ssl_get_version(&ssl_),
                      mbedtls_ssl_get_ciphersuite(&ssl_), resumed_ ? " (resumed)" : "");
            // Records that came with the last flight (application data).
            return drive_reads();
        }
        const int ret = mbedtls_ssl_handshake_step(&ssl_);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return ok_status();
        if (ret != 0) return fail(ret, "handshake failed");
        if (!verify_failure_.empty()) {
            // Only reached with VERIFY_OPTIONAL (verify_peer off), where
            // mbedTLS lets the name policy's verdict pass: refuse here.
            (void)mbedtls_ssl_send_alert_message(&ssl_, MBEDTLS_SSL_ALERT_LEVEL_FATAL,
                                                 MBEDTLS_SSL_ALERT_MSG_BAD_CERT);
            return fail(0, "certificate rejected");
        }
    }
    return ok_status();
}

Status MbedtlsEngine::drive_reads() {
    uint8_t buf[4096];
    for (int i = 0; i < kMaxReadsPerFeed; ++i) {
        const int ret = mbedtls_ssl_read(&ssl_, buf, sizeof buf);
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
        secure_wipe(buf, sizeof buf);
        if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return ok_status();
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            if (!peer_closed_) LOG_DEBUG("tls", "%s: peer closed the tunnel", role_name(role()));
            peer_closed_ = true;
            return ok_status();
        }
        return fail(ret, "reading from the tunnel failed");
    }
    secure_wipe(buf, sizeof buf);
    return ok_status();
}

Bytes MbedtlsEngine::take_output() {
    Bytes out;
    out.swap(out_);
    return out;
}

Status MbedtlsEngine::require_established(const char* what) const {
    switch (state_) {
        case HandshakeState::kEstablished: return ok_status();
        case HandshakeState::kInProgress:
            return make_error(ErrorCode::kProtocol, std::string(what) + ": the TLS handshake is not finished");
        case HandshakeState::kFailed:
            return make_error(ErrorCode::kProtocol, std::string(what) + ": the TLS handshake failed");
    }
    return make_error(ErrorCode::kInternal, what);
}

Status MbedtlsEngine::write_application_data(ByteView data) {
    LANYARD_TRY(require_established("write_application_data"));
    size_t done = 0;
    // mbedtls_ssl_write() takes at most one record's worth per call.
    for (int i = 0; i < kMaxReadsPerFeed && done < data.size(); ++i) {
        const int ret = mbedtls_ssl_write(&ssl_, data.data() + done, data.size() - done);
        if (ret <= 0) return fail(ret, "writing to the tunnel failed");
        done += static_cast<size_t>(ret);
    }
    if (done != data.size()) return fail(0, "writing to the tunnel did not finish");
    return ok_status();
}

Bytes MbedtlsEngine::take_application_data() {
    Bytes out;
    out.swap(app_in_);
    return out;
}

}  // namespace lanyard::tls::mbed
