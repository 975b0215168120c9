#include "methods/tls_method_support.h"

namespace lanyard::eap {

Result<std::unique_ptr<tls::Engine>> open_tls_engine(tls::Context* context, tls::Role role,
                                                     const tls::EngineOptions& options) {
    if (context == nullptr) return make_error(ErrorCode::kConfig, "no TLS context configured");
    if (context->config().role != role)
        return make_error(ErrorCode::kConfig, std::string("TLS context has the wrong role for the ") +
                                                  (role == tls::Role::kClient ? "peer" : "server"));
    auto engine = context->new_engine(options);
    if (!engine) return make_error(ErrorCode::kInternal, "TLS backend made no engine");
    return engine;
}

Status queue_engine_output(tls::Engine& engine, TlsExchange& exchange) {
    if (!engine.has_output()) return ok_status();
    const Bytes records = engine.take_output();
    return exchange.queue(records);
}

EngineStep feed_tls_engine(tls::Engine& engine, ByteView message, TlsExchange& exchange, std::string* failure) {
    const Status fed = engine.feed(message);
    // Even a failed feed may leave an alert to send (RFC 5216 §2.1.3).
    const Status queued = queue_engine_output(engine, exchange);
    if (!fed || engine.state() == tls::HandshakeState::kFailed) {
        std::string reason = engine.failure();
        if (reason.empty()) reason = fed ? "TLS handshake failed" : fed.error().detail;
        *failure = reason;
        return EngineStep::kFailed;
    }
    if (!queued) {
        *failure = queued.error().to_string();
        return EngineStep::kFailed;
    }
    switch (engine.state()) {
        case tls::HandshakeState::kInProgress: return EngineStep::kContinue;
        case tls::HandshakeState::kEstablished: return EngineStep::kEstablished;
        case tls::HandshakeState::kFailed: return EngineStep::kFailed;
    }
    return EngineStep::kFailed;
}

Result<Keys> derive_tls_method_keys(tls::Engine& engine, Type type, std::string_view tls12_label) {
    if (engine.state() != tls::HandshakeState::kEstablished)
        return make_error(ErrorCode::kInternal, "keys requested before the TLS handshake finished");
    const uint8_t type_code = static_cast<uint8_t>(type);
    Keys keys;
    switch (engine.version()) {
        case tls::Version::kTls10:
        case tls::Version::kTls11:
        case tls::Version::kTls12: {
            // RFC 5216 §2.3; RFC 5705 without context equals the PRF with the randoms as seed.
            auto material = engine.export_keying_material(tls12_label, {}, false, kMskLength + kEmskLength);
            if (!material) return material.error();
            keys.msk.assign(material->first(kMskLength));
            keys.emsk.assign(material->subspan(kMskLength, kEmskLength));
            const Bytes client_random = engine.client_random();
            const Bytes server_random = engine.server_random();
            if (client_random.size() != 32 || server_random.size() != 32)
                return make_error(ErrorCode::kInternal, "TLS randoms are not 32 octets");
            keys.session_id.push_back(type_code);
            keys.session_id.insert(keys.session_id.end(), client_random.begin(), client_random.end());
            keys.session_id.insert(keys.session_id.end(), server_random.begin(), server_random.end());
            return keys;
        }
        case tls::Version::kTls13: {
            // RFC 9190 §2.3: the context is the one-octet Type-Code.
            const uint8_t context[1] = {type_code};
            auto material = engine.export_keying_material(kEapTls13KeyMaterialLabel, context, true,
                                                          kMskLength + kEmskLength);
            if (!material) return material.error();
            auto method_id = engine.export_keying_material(kEapTls13MethodIdLabel, context, true,
                                                           kTls13MethodIdLength);
            if (!method_id) return method_id.error();
            keys.msk.assign(material->first(kMskLength));
            keys.emsk.assign(material->subspan(kMskLength, kEmskLength));
            keys.session_id.push_back(type_code);
            keys.session_id.insert(keys.session_id.end(), method_id->view().begin(), method_id->view().end());
            return keys;
        }
    }
    return make_error(ErrorCode::kInternal, "unknown TLS version");
}

}  // namespace lanyard::eap

namespace lanyard::eap {

void forget_tls_session(tls::Context* context, const tls::Engine* engine) {
    if (context == nullptr || engine == nullptr) return;
    tls::SessionStore* store = context->config().session_store;
    const Bytes id = engine->session_id();
    if (store != nullptr && !id.empty()) store->remove(id);
}

// The record: the method's Type octet, then the identity.
void remember_successful_session(tls::Context* context, const tls::Engine* engine, Type type,
                                 const std::string& identity) {
    if (context == nullptr || engine == nullptr) return;
    tls::SessionStore* store = context->config().session_store;
    const Bytes id = engine->session_id();
    if (store == nullptr || id.empty()) return;
    ByteWriter record;
    record.u8(static_cast<uint8_t>(type)).str(identity);
    store->set_record(id, record.view());
}

Result<std::string> check_resumed_session(tls::Context* context, const tls::Engine* engine, Type type,
                                          const std::string& expected_identity, const UserDatabase* users,
                                          bool phase2_identity) {
    if (context == nullptr || engine == nullptr) return make_error(ErrorCode::kInternal, "no TLS session");
    tls::SessionStore* store = context->config().session_store;
    if (store == nullptr) return std::string();
    const std::optional<Bytes> record = store->record(engine->session_id());
    if (!record) return std::string();
    ByteReader reader(*record);
    auto recorded_type = reader.u8();
    if (!recorded_type) return make_error(ErrorCode::kMalformed, "empty session record");
    const std::string identity = to_string(reader.rest());
    if (*recorded_type != static_cast<uint8_t>(type)) {
        return make_error(ErrorCode::kAuthFailed, std::string("session was established by EAP-") +
                                                      type_name(*recorded_type) + ", not EAP-" +
                                                      type_name(static_cast<uint8_t>(type)));
    }
    if (!expected_identity.empty() && expected_identity != identity) {
        return make_error(ErrorCode::kAuthFailed, "session belongs to '" + identity + "', not '" +
                                                      expected_identity + "'");
    }
    if (users != nullptr && users->find(identity, phase2_identity) == nullptr) {
        return make_error(ErrorCode::kAuthFailed, "user '" + identity + "' is no longer in the user database");
    }
    return identity;
}

}  // namespace lanyard::eap
