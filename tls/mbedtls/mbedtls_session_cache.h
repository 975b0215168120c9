// Server-side session resumption through the owner's tls::SessionStore:
// mbedTLS's session cache hooks (mbedtls_ssl_conf_session_cache) with our
// own get/set that serialize with mbedtls_ssl_session_save/load.
#pragma once

#include <mbedtls/ssl.h>

namespace lanyard::tls::mbed {

class MbedtlsEngine;

// TLS 1.2 resumption by session id (RFC 5246 §7.4.1.2) for the engine's
// Config::session_store and session_lifetime_seconds.
void install_session_store(mbedtls_ssl_config* conf, MbedtlsEngine* engine);

}  // namespace lanyard::tls::mbed
