#include "authenticator/authenticator_setup.h"

#include "authenticator/wifi_access_point.h"

#include "authenticator/eap_user_file.h"
#include "authenticator/redis_session_backend.h"
#include "common/log.h"

namespace lanyard::authenticator {

namespace {

Error error_at(const HostapdConfig& c, std::string_view key, std::string_view message) {
    return config::Site{c.file, c.line_of(key), key}.error(message);
}

}  // namespace

Status check_supported(const HostapdConfig& c) {
    switch (c.driver) {
        case Driver::kWired:
            break;
        case Driver::kNl80211:
            // WPA2/WPA3-Enterprise (authenticator/wifi_access_point.h).
            if (auto policy = wifi_ap_policy(c); !policy) return policy.error();
            break;
        case Driver::kNone:
            // hostapd's RADIUS-server-only mode: no port, the integrated EAP
            // server answers NASes listed in radius_server_clients.
            if (c.radius_server_clients.empty())
                return error_at(c, "driver", "driver=none (RADIUS server) needs radius_server_clients");
            if (!c.eap_server)
                return error_at(c, "eap_server", "driver=none (RADIUS server) needs eap_server=1");
            return ok_status();
    }
    if (!c.ieee8021x) {
        return error_at(c, "ieee8021x", "ieee8021x=1 is required (only IEEE 802.1X port authentication is implemented)");
    }
    if (!c.eap_server && c.auth_servers.empty()) {
        return error_at(c, "eap_server",
                        "no EAP server: set eap_server=1 (integrated) or auth_server_addr (RADIUS)");
    }
    return ok_status();
}

Result<AuthenticatorSetup> load_authenticator_setup(const std::string& path) {
    auto loaded = load_hostapd_config(path);
    if (!loaded) return loaded.error();
    AuthenticatorSetup setup;
    setup.config = std::move(loaded->config);
    setup.warnings = std::move(loaded->warnings);
    LANYARD_TRY(validate(setup.config));
    LANYARD_TRY(check_supported(setup.config));
    if (!setup.config.eap_server) {
        // RADIUS pass-through: the users live on the RADIUS server.
        setup.users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{});
        return setup;
    }
    auto users = load_eap_user_file(setup.config.eap_user_file);
    if (!users) {
        return make_error(users.error().code, users.error().detail + " (eap_user_file at " + setup.config.file +
                                                  ":" + std::to_string(setup.config.line_of("eap_user_file")) +
                                                  ")");
    }
    for (auto& w : users->warnings) setup.warnings.push_back(std::move(w));
    for (const eap::UserRecord& r : users->records) {
        for (eap::Type t : r.methods) {
            if (t == eap::Type::kTls) setup.serves_tls = true;
        }
    }
    setup.users = std::make_unique<eap::VectorUserDatabase>(users->take_database());
    if (setup.serves_tls && setup.config.server_cert.empty()) {
        return error_at(setup.config, "eap_user_file",
                        "the eap_user file allows EAP-TLS but no server_cert/private_key is configured");
    }
    if (setup.serves_tls && setup.config.ca_cert.empty()) {
        return error_at(setup.config, "eap_user_file",
                        "the eap_user file allows EAP-TLS but no ca_cert is configured to verify client certificates");
    }
    return setup;
}

AuthenticatorSettings authenticator_settings(const HostapdConfig& c) {
    AuthenticatorSettings s;
    s.port.eapol_version = static_cast<uint8_t>(c.eapol_version);
    s.port.pae.quiet_period = seconds(60);  // IEEE 802.1X-2004 §8.2.4.1.2 default, as hostapd
    // IEEE 802.1X-2004 §8.2.8: hostapd's eap_reauth_period=0 turns
    // reauthentication off.
    s.port.reauth.reauth_enabled = c.eap_reauth_period > 0;
    if (c.eap_reauth_period > 0) s.port.reauth.reauth_period = seconds(c.eap_reauth_period);
    return s;
}

tls::Config tls_config_for(const AuthenticatorSetup& setup, tls::SessionStore* store) {
    tls::Config t = tls_server_config(setup.config);
    // RFC 5216 §2.1.1: EAP-TLS authenticates the peer by its certificate.
    t.require_peer_certificate = setup.serves_tls;
    t.session_store = setup.config.tls_session_lifetime > 0 ? store : nullptr;
    return t;
}

Result<std::unique_ptr<TlsSessionCache>> open_session_cache(const HostapdConfig& c, const Clock& clock,
                                                             RandomSource& random) {
    const Duration lifetime = seconds(c.tls_session_lifetime);
    if (c.tls_session_cache == "memory") {
        if (c.tls_session_cache_key.empty()) return std::make_unique<TlsSessionCache>(clock, lifetime);
        auto sealer = SessionSealer::from_key_file(c.tls_session_cache_key);
        if (!sealer) return error_at(c, "tls_session_cache_key", sealer.error().detail);
        return std::make_unique<TlsSessionCache>(clock, lifetime, std::make_unique<InProcessSessionBackend>(clock),
                                                 std::move(*sealer), random);
    }
    auto url = RedisUrl::parse(c.tls_session_cache);
    if (!url) return error_at(c, "tls_session_cache", url.error().detail);
    auto sealer = SessionSealer::from_key_file(c.tls_session_cache_key);
    if (!sealer) return error_at(c, "tls_session_cache_key", sealer.error().detail);
    auto backend = std::make_unique<RedisSessionBackend>(*url);
    if (!backend->connect_now())
        LOG_WARN("authenticator", "%s unreachable for now: full handshakes until it answers", url->to_string().c_str());
    return std::make_unique<TlsSessionCache>(clock, lifetime, std::move(backend), std::move(*sealer), random);
}

Result<ServerTls> open_server_tls(const AuthenticatorSetup& setup, const Clock& clock, RandomSource& random) {
    const HostapdConfig& c = setup.config;
    ServerTls t;
    if (c.tls_session_lifetime > 0) {
        auto cache = open_session_cache(c, clock, random);
        if (!cache) return cache.error();
        t.cache = std::move(*cache);
    }
    if (!c.server_cert.empty()) {
        auto ctx = make_server_tls_context(setup, t.cache.get());
        if (!ctx) return ctx.error();
        t.context = std::move(*ctx);
    }
    return t;
}

Result<std::unique_ptr<tls::Context>> make_server_tls_context(const AuthenticatorSetup& setup,
                                                              tls::SessionStore* store) {
    auto ctx = tls::make_context(tls_config_for(setup, store));
    if (!ctx) return error_at(setup.config, "server_cert", "cannot set up the TLS server: " + ctx.error().to_string());
    return std::move(*ctx);
}

eap::ServerEnvironment server_environment(const AuthenticatorSetup& setup, RandomSource& random,
                                          tls::Context* tls) {
    eap::ServerEnvironment env;
    env.users = setup.users.get();
    env.random = &random;
    env.tls = tls;
    env.fragment_size = setup.config.fragment_size;
    env.fragment_size_counts_header = true;  // hostapd.conf semantics
    return env;
}

}  // namespace lanyard::authenticator
