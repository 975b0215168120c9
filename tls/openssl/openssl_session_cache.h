// Server-side session resumption through the owner's tls::SessionStore:
// OpenSSL's external session cache callbacks, with its internal cache off.
#pragma once

#include <openssl/ssl.h>

#include "tls/tls_engine.h"

namespace lanyard::tls::ossl {

// Resumption through store for lifetime_seconds. TLS 1.2 resumes by
// session id (RFC 5246 §7.4.1.2); tickets are off (SSL_OP_NO_TICKET), which
// makes OpenSSL issue TLS 1.3 stateful tickets (RFC 8446 §4.6.1) whose
// identity is looked up through the same store.
void install_session_store(SSL_CTX* ctx, SessionStore* store, unsigned lifetime_seconds);

// No resumption at all: no session ids, no tickets (RFC 9190 §2.1.2 lets
// a server that does not resume send no NewSessionTicket).
void disable_resumption(SSL_CTX* ctx);

}  // namespace lanyard::tls::ossl
