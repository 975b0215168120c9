// hostapd.conf → what lanyard-authenticator runs with: unsupported modes are
// refused with file:line:key messages; eap_reauth_period, eapol_version,
// fragment_size and tls_session_lifetime are mapped.
#include <doctest/doctest.h>

#include <string>

#include "authenticator/authenticator_setup.h"

using namespace lanyard;
using namespace lanyard::authenticator;

namespace {

std::string base(const std::string& extra) {
    return "interface=eth0\n"
           "driver=wired\n"
           "ieee8021x=1\n"
           "eap_server=1\n"
           "eap_user_file=/nonexistent/eap_user\n" +
           extra;
}

HostapdConfig parse(const std::string& text) {
    auto r = parse_hostapd_config(text, "h.conf");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    return r->config;
}

}  // namespace

TEST_CASE("authenticator setup: driver=wired with the EAP server is supported") {
    CHECK(check_supported(parse(base(""))).ok());
}

TEST_CASE("authenticator setup: driver=nl80211 needs WPA2-Enterprise, naming file:line:key") {
    auto nl = check_supported(parse(base("driver=nl80211\nssid=x\nwpa=1\n")));
    REQUIRE_FALSE(nl.ok());
    CHECK(nl.error().detail.find("h.conf:8") != std::string::npos);
    CHECK(nl.error().detail.find("wpa=2") != std::string::npos);
    auto psk = check_supported(parse(base("driver=nl80211\nssid=x\nwpa=2\nwpa_key_mgmt=WPA-PSK\n")));
    REQUIRE_FALSE(psk.ok());
    CHECK(psk.error().detail.find("wpa_key_mgmt") != std::string::npos);
    CHECK(check_supported(parse(base("driver=nl80211\nssid=x\nwpa=2\nwpa_key_mgmt=WPA-EAP\nrsn_pairwise=CCMP\n")))
              .ok());

    auto no8021x = check_supported(parse(base("ieee8021x=0\n")));
    REQUIRE_FALSE(no8021x.ok());
    CHECK(no8021x.error().detail.find("ieee8021x") != std::string::npos);
}

TEST_CASE("authenticator setup: RADIUS server (driver=none) and RADIUS client modes") {
    // driver=none needs the clients file and the EAP server.
    auto none = check_supported(parse(base("driver=none\n")));
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().detail.find("radius_server_clients") != std::string::npos);
    CHECK(check_supported(parse(base("driver=none\nradius_server_clients=/dev/null\n"))).ok());
    auto no_eap = check_supported(parse("driver=none\nradius_server_clients=/dev/null\neap_server=0\n"));
    REQUIRE_FALSE(no_eap.ok());
    CHECK(no_eap.error().detail.find("h.conf:3") != std::string::npos);

    // eap_server=0 with an auth server: the RADIUS client.
    CHECK(check_supported(parse("interface=eth0\ndriver=wired\nieee8021x=1\neap_server=0\n"
                                "auth_server_addr=127.0.0.1\nauth_server_shared_secret=s\n"))
              .ok());
    // Neither an EAP server nor a RADIUS server.
    auto neither = check_supported(parse("interface=eth0\ndriver=wired\nieee8021x=1\neap_server=0\n"));
    REQUIRE_FALSE(neither.ok());
    CHECK(neither.error().detail.find("auth_server_addr") != std::string::npos);
}

TEST_CASE("authenticator setup: settings from hostapd.conf") {
    AuthenticatorSettings s = authenticator_settings(parse(base("eap_reauth_period=5\neapol_version=1\n")));
    CHECK(s.port.reauth.reauth_enabled);
    CHECK(s.port.reauth.reauth_period == seconds(5));
    CHECK(s.port.eapol_version == 1);
    CHECK(s.port.pae.quiet_period == seconds(60));
    AuthenticatorSettings off = authenticator_settings(parse(base("eap_reauth_period=0\n")));
    CHECK_FALSE(off.port.reauth.reauth_enabled);

    AuthenticatorSetup setup;
    setup.config = parse(base("fragment_size=500\ntls_session_lifetime=3600\nca_cert=/ca.pem\n"
                              "server_cert=/s.pem\nprivate_key=/s.key\n"));
    setup.serves_tls = true;
    setup.users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{});
    FakeRandom random;
    eap::ServerEnvironment env = server_environment(setup, random, nullptr);
    CHECK(env.fragment_size == 500);
    CHECK(env.fragment_size_counts_header);
    CHECK(env.users == setup.users.get());
    struct NullStore final : tls::SessionStore {
        void put(ByteView, ByteView) override {}
        std::optional<Bytes> get(ByteView) override { return std::nullopt; }
        void remove(ByteView) override {}
    } store;
    tls::Config t = tls_config_for(setup, &store);
    CHECK(t.require_peer_certificate);
    CHECK(t.session_store == &store);
    CHECK(t.session_lifetime_seconds == 3600);
    CHECK(t.role == tls::Role::kServer);
    setup.config.tls_session_lifetime = 0;
    CHECK(tls_config_for(setup, &store).session_store == nullptr);
}

TEST_CASE("authenticator setup: loading a missing or broken file fails clearly") {
    auto missing = load_authenticator_setup("/nonexistent/hostapd.conf");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().detail.find("/nonexistent/hostapd.conf") != std::string::npos);
}
