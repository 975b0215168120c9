#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "authenticator/hostapd_config.h"

using namespace lanyard;
using namespace lanyard::authenticator;
using lanyard::config::Cipher;
using lanyard::config::KeyMgmt;

namespace {

std::string parse_error(std::string_view text, std::string_view file = "/etc/hostapd.conf") {
    auto r = parse_hostapd_config(text, file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConfig);
    return r.error().detail;
}

bool has_warning(const HostapdConfigLoad& load, std::string_view text) {
    for (const auto& w : load.warnings) {
        if (w.to_string().find(text) != std::string::npos) return true;
    }
    return false;
}

// hostapd's wired.conf: a switch port with the integrated EAP server.
constexpr std::string_view kWired = R"(##### hostapd configuration file for wired authenticator #####
interface=eth0
driver=wired
logger_stdout=-1
logger_stdout_level=1
logger_syslog=-1
logger_syslog_level=2
ctrl_interface=/var/run/hostapd
ctrl_interface_group=0
ieee8021x=1
eapol_version=2
eap_reauth_period=3600
use_pae_group_addr=1
eap_server=1
eap_user_file=/etc/hostapd/hostapd.eap_user
ca_cert=/etc/hostapd/ca.pem
server_cert=/etc/hostapd/server.pem
private_key=/etc/hostapd/server.key
private_key_passwd=secret#1
dh_file=/etc/hostapd/dh.pem
fragment_size=1200
tls_session_lifetime=3600
eapol_key_index_workaround=0
)";

// WPA2-Enterprise access point with two RADIUS servers.
constexpr std::string_view kRadiusAp = R"(interface=wlan0
bridge=br0
driver=nl80211
ssid=Corp Wi-Fi
hw_mode=g
channel=6
ieee8021x=1
own_ip_addr=192.0.2.10
nas_identifier=ap1.example.com
auth_server_addr=192.0.2.1
auth_server_port=1645
auth_server_shared_secret=testing123
auth_server_addr=2001:db8::1
auth_server_shared_secret=backup secret
acct_server_addr=192.0.2.1
acct_server_shared_secret=acct#secret
radius_retry_primary_interval=600
wpa=2
wpa_key_mgmt=WPA-EAP WPA-EAP-SHA256
rsn_pairwise=CCMP
ieee80211w=1
wpa_group_rekey=3600
)";

}  // namespace

TEST_CASE("hostapd_config: wired.conf with eap_server=1") {
    auto r = parse_hostapd_config(kWired, "/etc/hostapd/wired.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const HostapdConfig& c = r->config;
    CHECK(c.interface == "eth0");
    CHECK(c.driver == Driver::kWired);
    CHECK(c.logger_stdout == -1);
    CHECK(c.logger_stdout_level == 1);
    CHECK(c.ctrl_interface.dir == "/var/run/hostapd");
    CHECK(c.ctrl_interface.group == "0");
    CHECK(c.ieee8021x);
    CHECK(c.eapol_version == 2);
    CHECK(c.eap_reauth_period == 3600);
    CHECK(c.use_pae_group_addr);
    CHECK(c.eap_server);
    CHECK(c.eap_user_file == "/etc/hostapd/hostapd.eap_user");
    CHECK(c.ca_cert == "/etc/hostapd/ca.pem");
    CHECK(c.server_cert == "/etc/hostapd/server.pem");
    CHECK(c.private_key == "/etc/hostapd/server.key");
    CHECK(c.private_key_passwd == "secret#1");  // hostapd: '#' inside a value is not a comment
    CHECK(c.dh_file == "/etc/hostapd/dh.pem");
    CHECK(c.fragment_size == 1200);
    CHECK(c.tls_session_lifetime == 3600);
    CHECK(c.line_of("eap_server") == 14);
    CHECK(r->warnings.empty());
    CHECK(validate(c).ok());

    tls::Config t = tls_server_config(c);
    CHECK(t.role == tls::Role::kServer);
    CHECK(t.ca_file == "/etc/hostapd/ca.pem");
    CHECK(t.cert_file == "/etc/hostapd/server.pem");
    CHECK(t.key_file == "/etc/hostapd/server.key");
    CHECK(t.key_password == "secret#1");
    CHECK(t.session_lifetime_seconds == 3600);
}

TEST_CASE("hostapd_config: RADIUS servers are a list; port and secret apply to the server above") {
    auto r = parse_hostapd_config(kRadiusAp, "ap.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const HostapdConfig& c = r->config;
    CHECK(c.bridge == "br0");
    CHECK(c.ssid == "Corp Wi-Fi");
    CHECK(c.hw_mode == HwMode::kG);
    CHECK(c.channel == 6);
    CHECK(c.own_ip_addr == "192.0.2.10");
    CHECK(c.nas_identifier == "ap1.example.com");
    REQUIRE(c.auth_servers.size() == 2);
    CHECK(c.auth_servers[0].address == "192.0.2.1");
    CHECK(c.auth_servers[0].port == 1645);
    CHECK(to_string(c.auth_servers[0].shared_secret.view()) == "testing123");
    CHECK(c.auth_servers[0].line == 10);
    CHECK(c.auth_servers[1].address == "2001:db8::1");
    CHECK(c.auth_servers[1].port == 1812);
    CHECK(to_string(c.auth_servers[1].shared_secret.view()) == "backup secret");
    REQUIRE(c.acct_servers.size() == 1);
    CHECK(c.acct_servers[0].port == 1813);
    CHECK(to_string(c.acct_servers[0].shared_secret.view()) == "acct#secret");
    CHECK(c.radius_retry_primary_interval == 600);
    CHECK(c.wpa == 2);
    CHECK(c.wpa_key_mgmt == std::vector<KeyMgmt>{KeyMgmt::kWpaEap, KeyMgmt::kWpaEapSha256});
    CHECK(c.rsn_pairwise == std::vector<Cipher>{Cipher::kCcmp});
    CHECK(c.ieee80211w == 1);
    CHECK(c.wpa_group_rekey == 3600);
    CHECK(r->warnings.empty());
    CHECK(validate(c).ok());
}

TEST_CASE("hostapd_config: RADIUS server mode (driver=none)") {
    auto r = parse_hostapd_config("driver=none\n"
                                  "eap_server=1\n"
                                  "eap_user_file=/etc/hostapd.eap_user\n"
                                  "radius_server_clients=/etc/hostapd.radius_clients\n"
                                  "radius_server_auth_port=18120\n"
                                  "radius_server_ipv6=1\n"
                                  "server_cert=/etc/server.pem\n"
                                  "private_key=/etc/server.key\n",
                                  "r.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(r->config.driver == Driver::kNone);
    CHECK(r->config.radius_server_clients == "/etc/hostapd.radius_clients");
    CHECK(r->config.radius_server_auth_port == 18120);
    CHECK(r->config.radius_server_ipv6);
    CHECK(validate(r->config).ok());  // no interface needed without a driver
}

TEST_CASE("hostapd_config: known keys not implemented yet are warnings with file:line:key") {
    auto r = parse_hostapd_config("interface=wlan0\n"
                                  "wpa_passphrase=not echoed\n"
                                  "pac_opaque_encr_key=000102030405060708090a0b0c0d0e0f\n"
                                  "eap_fast_a_id=101112131415161718191a1b1c1d1e1f\n"
                                  "wmm_ac_bk_cwmin=4\n"
                                  "tx_queue_data3_aifs=7\n"
                                  "wpa_key_mgmt=WPA-PSK\n"
                                  "channel=acs_survey\n"
                                  "debug=2\n"
                                  "  # an indented comment\n"
                                  "bss=wlan0_1\n"
                                  "ssid=second\n",
                                  "/etc/hostapd.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(has_warning(*r, "/etc/hostapd.conf:2: key 'wpa_passphrase': not yet supported; ignored"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:3: key 'pac_opaque_encr_key'"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:4: key 'eap_fast_a_id'"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:5: key 'wmm_ac_bk_cwmin'"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:6: key 'tx_queue_data3_aifs'"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:7: key 'wpa_key_mgmt': key management WPA-PSK is not yet supported"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:8: key 'channel': automatic channel selection"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:9: key 'debug': deprecated"));
    CHECK(has_warning(*r, "/etc/hostapd.conf:11: key 'bss': multiple BSSes"));
    for (const auto& w : r->warnings) CHECK(w.to_string().find("not echoed") == std::string::npos);
    CHECK(r->config.ssid.empty());  // the second BSS's settings are not applied

    // Keys after bss= are still checked.
    CHECK(parse_error("bss=wlan0_1\nbogus=1\n") == "/etc/hostapd.conf:2: key 'bogus': unknown setting");
}

TEST_CASE("hostapd_config: every malformed line names file, line and key") {
    CHECK(parse_error("interface=eth0\nfrobnicate=1\n") == "/etc/hostapd.conf:2: key 'frobnicate': unknown setting");
    CHECK(parse_error("eap_reauth_period=soon\n") == "/etc/hostapd.conf:1: key 'eap_reauth_period': 'soon' is not a number");
    CHECK(parse_error("eapol_version=9\n").find("/etc/hostapd.conf:1: key 'eapol_version': '9' is out of range") == 0);
    CHECK(parse_error("ieee8021x=yes\n") == "/etc/hostapd.conf:1: key 'ieee8021x': 'yes' must be 0 or 1");
    CHECK(parse_error("driver=bsd\n").find("/etc/hostapd.conf:1: key 'driver': driver 'bsd' is not supported") == 0);
    CHECK(parse_error("own_ip_addr=localhost\n").find("/etc/hostapd.conf:1: key 'own_ip_addr':") == 0);
    CHECK(parse_error("auth_server_addr=10.0.0.300\n").find("/etc/hostapd.conf:1: key 'auth_server_addr':") == 0);
    CHECK(parse_error("auth_server_port=1812\n").find("/etc/hostapd.conf:1: key 'auth_server_port': comes before any auth_server_addr") == 0);
    CHECK(parse_error("acct_server_addr=10.0.0.1\nacct_server_port=70000\n").find("/etc/hostapd.conf:2: key 'acct_server_port':") == 0);
    CHECK(parse_error("auth_server_addr=10.0.0.1\nauth_server_shared_secret=\n").find("/etc/hostapd.conf:2: key 'auth_server_shared_secret': empty shared secret") == 0);
    CHECK(parse_error("ssid=0123456789abcdef0123456789abcdefX\n") == "/etc/hostapd.conf:1: key 'ssid': SSID must be 1..32 octets");
    CHECK(parse_error("ssid2=\"abc\n").find("/etc/hostapd.conf:1: key 'ssid2':") == 0);
    CHECK(parse_error("hw_mode=n\n").find("/etc/hostapd.conf:1: key 'hw_mode': unknown hw_mode 'n'") == 0);
    CHECK(parse_error("wpa_key_mgmt=WPA-EAP BOGUS\n").find("/etc/hostapd.conf:1: key 'wpa_key_mgmt':") == 0);
    CHECK(parse_error("rsn_pairwise=WEP40\n").find("/etc/hostapd.conf:1: key 'rsn_pairwise':") == 0);
    CHECK(parse_error("interface=eth0\njust some words\n").find("/etc/hostapd.conf:2: expected key=value") == 0);
    CHECK(parse_error("interface=averyveryverylongname0\n").find("/etc/hostapd.conf:1: key 'interface':") == 0);
    CHECK(parse_error("eap_user_file=\n") == "/etc/hostapd.conf:1: key 'eap_user_file': empty value");
    CHECK(parse_error("fragment_size=0\n").find("/etc/hostapd.conf:1: key 'fragment_size':") == 0);
}

TEST_CASE("hostapd_config: ssid2 takes wpa_supplicant's string forms") {
    auto r = parse_hostapd_config("ssid2=\"quoted ssid\"\n", "h.conf");
    REQUIRE(r.ok());
    CHECK(r->config.ssid == "quoted ssid");
    auto hex = parse_hostapd_config("ssid2=6c616e\n", "h.conf");
    REQUIRE(hex.ok());
    CHECK(hex->config.ssid == "lan");
}

TEST_CASE("hostapd_config: validate checks settings that depend on each other") {
    auto check = [](std::string_view text, std::string_view expected) {
        auto r = parse_hostapd_config(text, "v.conf");
        REQUIRE_MESSAGE(r.ok(), r.error().detail);
        auto v = validate(r->config);
        REQUIRE_FALSE(v.ok());
        CHECK(v.error().detail.find(expected) == 0);
    };
    check("interface=eth0\nieee8021x=1\n", "v.conf:2: key 'ieee8021x': IEEE 802.1X needs eap_server=1");
    check("interface=eth0\nieee8021x=1\neap_server=1\n", "v.conf:3: key 'eap_server': the integrated EAP server needs an eap_user_file");
    check("interface=eth0\nserver_cert=/s.pem\n", "v.conf:2: key 'server_cert': server_cert is set but private_key is not");
    check("interface=eth0\nauth_server_addr=10.0.0.1\n", "v.conf:2: key 'auth_server_addr': RADIUS server 10.0.0.1 has no shared secret");
    check("driver=wired\n", "v.conf: key 'interface': no interface= set");
}

TEST_CASE("hostapd_config: the example hostapd.conf shipped with hostapd loads unchanged") {
    const std::string path = "/usr/share/doc/hostapd/examples/hostapd.conf";
    FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) {
        MESSAGE("hostapd example file not installed; skipped");
        return;
    }
    std::fclose(f);
    auto r = load_hostapd_config(path);
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(r->config.interface == "wlan0");
    CHECK(r->config.ssid == "test");
    CHECK_FALSE(r->config.eap_server);
}

TEST_CASE("hostapd_config: Lanyard's session-cache and worker keys, and tls_flags") {
    auto r = parse_hostapd_config("driver=none\nradius_server_clients=/c\neap_server=1\neap_user_file=/u\n"
                                  "tls_session_cache=redis://127.0.0.1:6379/2\ntls_session_cache_key=/k\n"
                                  "radius_server_workers=4\ntls_flags=[ENABLE-TLSv1.3]\n",
                                  "lanyard.conf");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().to_string()));
    CHECK(r->config.tls_session_cache == "redis://127.0.0.1:6379/2");
    CHECK(r->config.tls_session_cache_key == "/k");
    CHECK(r->config.radius_server_workers == 4u);
    CHECK(r->config.tls_enable_v13);
    CHECK(tls_server_config(r->config).max_version == tls::Version::kTls13);
    // Without tls_flags the EAP server stays at TLS 1.2, as hostapd 2.10.
    auto plain = parse_hostapd_config("driver=none\n", "plain.conf");
    REQUIRE(plain.ok());
    CHECK(tls_server_config(plain->config).max_version == tls::Version::kTls12);

    CHECK(parse_error("tls_session_cache=memcached://x\n", "a.conf").find("a.conf:1") != std::string::npos);
    CHECK(parse_error("radius_server_workers=257\n", "b.conf").find("radius_server_workers") != std::string::npos);
    CHECK(parse_error("tls_flags=[DISABLE-TLSv1.2]\n", "c.conf").find("ENABLE-TLSv1.3") != std::string::npos);
    // Redis without a shared key is refused by validate(), naming the key.
    auto redis = parse_hostapd_config("driver=none\ntls_session_cache=redis://h\n", "d.conf");
    REQUIRE(redis.ok());
    auto v = validate(redis->config);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().detail.find("tls_session_cache_key") != std::string::npos);
}
