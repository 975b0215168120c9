// From hostapd.conf and the eap_user file to what the wired authenticator
// runs with: loading and validating both files, refusing the modes that are
// not implemented yet with a clear file:line:key message, and mapping the
// hostapd keys onto the port, EAP and TLS settings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "authenticator/authenticator.h"
#include "authenticator/hostapd_config.h"
#include "authenticator/tls_session_cache.h"
#include "common/config_lexer.h"
#include "common/result.h"
#include "methods/eap_config.h"
#include "tls/tls_engine.h"

namespace lanyard::authenticator {

struct AuthenticatorSetup {
    HostapdConfig config;
    std::vector<config::Warning> warnings;            // both files; the daemon logs them
    std::unique_ptr<eap::VectorUserDatabase> users;   // never null after a successful load
    bool serves_tls = false;                          // some user may use EAP-TLS
};

// Modes this version runs: driver=wired with ieee8021x=1 and eap_server=1,
// and driver=none (RADIUS server) with eap_server=1 and
// radius_server_clients. driver=nl80211 and eap_server=0 with an
// auth_server_addr (RADIUS client) are refused as "not supported yet".
Status check_supported(const HostapdConfig& config);

// Reads, validates (hostapd_config.h validate()) and checks a hostapd.conf,
// then its eap_user file.
Result<AuthenticatorSetup> load_authenticator_setup(const std::string& path);

// Port and EAP settings: eap_reauth_period → reAuthPeriod/reAuthEnabled
// (0 disables, as hostapd), eapol_version, quietPeriod 60 s.
AuthenticatorSettings authenticator_settings(const HostapdConfig& config);

// The server TLS configuration (hostapd_config.h tls_server_config) with a
// client certificate required when EAP-TLS is served, and the session store
// when tls_session_lifetime > 0.
tls::Config tls_config_for(const AuthenticatorSetup& setup, tls::SessionStore* store);

// The TLS server context and its session cache (hostapd's
// tls_session_lifetime), built once per daemon; either may be null (no
// server_cert: no TLS method; lifetime 0: no resumption).
struct ServerTls {
    std::unique_ptr<TlsSessionCache> cache;
    std::unique_ptr<tls::Context> context;
};
// The cache follows Lanyard's tls_session_cache / tls_session_cache_key keys
// (in-process by default; Redis shared by several servers).
Result<ServerTls> open_server_tls(const AuthenticatorSetup& setup, const Clock& clock, RandomSource& random);
// One more server context on the same store (one per RADIUS worker thread).
Result<std::unique_ptr<tls::Context>> make_server_tls_context(const AuthenticatorSetup& setup,
                                                              tls::SessionStore* store);

// The EAP server's environment: users, random, TLS context, and hostapd's
// fragment_size (Flags + Length + Data octets, tls_common.h kTypeData).
eap::ServerEnvironment server_environment(const AuthenticatorSetup& setup, RandomSource& random,
                                          tls::Context* tls);

}  // namespace lanyard::authenticator
