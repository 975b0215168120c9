// What every TLS-based EAP method does with its tls::Engine, on either side:
// open one from the owner's context, feed it reassembled messages and queue
// its records (or its alert) for the framing, and derive the method's keys.
// Peer and server call these so that no engine handling is written twice.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/bytes.h"
#include "common/result.h"
#include "methods/eap_config.h"
#include "methods/eap_types.h"
#include "methods/tls_common.h"
#include "tls/tls_engine.h"

namespace lanyard::eap {

// RFC 5216 §2.3 (TLS 1.2 and older): the PRF label of EAP-TLS and PEAPv0.
inline constexpr std::string_view kEapTlsKeyLabel = "client EAP encryption";
// RFC 9190 §2.3 (TLS 1.3); RFC 9427 §2.1 reuses them for PEAP and TTLS with
// their own Type-Code as context.
inline constexpr std::string_view kEapTls13KeyMaterialLabel = "EXPORTER_EAP_TLS_Key_Material";
inline constexpr std::string_view kEapTls13MethodIdLabel = "EXPORTER_EAP_TLS_Method-Id";
inline constexpr size_t kMskLength = 64;
inline constexpr size_t kEmskLength = 64;
inline constexpr size_t kTls13MethodIdLength = 64;

enum class EngineStep {
    kContinue,     // handshake goes on; send what was queued
    kEstablished,  // handshake finished (output may still be queued)
    kFailed,       // handshake failed; an alert may be queued
};

// A new engine from the owner's context, which must exist and have `role`.
Result<std::unique_ptr<tls::Engine>> open_tls_engine(tls::Context* context, tls::Role role,
                                                     const tls::EngineOptions& options = {});

// Moves the engine's pending records into the exchange's outgoing queue.
Status queue_engine_output(tls::Engine& engine, TlsExchange& exchange);

// Feeds one reassembled TLS message and queues what the engine answers. On
// kFailed, *failure says why (the engine's reason, no secrets).
EngineStep feed_tls_engine(tls::Engine& engine, ByteView message, TlsExchange& exchange, std::string* failure);

// MSK, EMSK and Session-Id of a finished handshake:
//  TLS <= 1.2, RFC 5216 §2.3: Key_Material = TLS-PRF-128(master_secret,
//    tls12_label, client.random || server.random); MSK = Key_Material[0..63],
//    EMSK = Key_Material[64..127]; Session-Id = Type || client.random ||
//    server.random.
//  TLS 1.3, RFC 9190 §2.3: Key_Material = TLS-Exporter(
//    "EXPORTER_EAP_TLS_Key_Material", Type, 128), Method-Id = TLS-Exporter(
//    "EXPORTER_EAP_TLS_Method-Id", Type, 64); Session-Id = Type || Method-Id.
Result<Keys> derive_tls_method_keys(tls::Engine& engine, Type type, std::string_view tls12_label = kEapTlsKeyLabel);

}  // namespace lanyard::eap

namespace lanyard::eap {

// A server's session of a failed authentication must not be resumed: removes
// the engine's session from the context's SessionStore (if any).
void forget_tls_session(tls::Context* context, const tls::Engine* engine);

// Server resumption policy: a TLS session becomes resumable only after the
// method that created it succeeded, recorded with that method and identity;
// a resumed handshake is accepted only by the same method and for a user who
// is still in the user database (looked up as a phase 2 identity when
// phase2_identity). expected_identity, when not empty, must equal the
// recorded one. Gives the recorded identity. A store that keeps no records
// cannot enforce this: then the identity is empty and the check passes.
void remember_successful_session(tls::Context* context, const tls::Engine* engine, Type type,
                                 const std::string& identity);
Result<std::string> check_resumed_session(tls::Context* context, const tls::Engine* engine, Type type,
                                          const std::string& expected_identity, const UserDatabase* users,
                                          bool phase2_identity);

}  // namespace lanyard::eap
