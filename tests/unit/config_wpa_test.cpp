#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <string>

#include "supplicant/wpa_config.h"

using namespace lanyard;
using namespace lanyard::supplicant;
using lanyard::config::KeyMgmt;

namespace {

// The error text of a parse that must fail.
std::string parse_error(std::string_view text, std::string_view file = "/etc/wpa.conf") {
    auto r = parse_wpa_config(text, file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConfig);
    return r.error().detail;
}

bool has_warning(const WpaConfigLoad& load, std::string_view text) {
    for (const auto& w : load.warnings) {
        if (w.to_string().find(text) != std::string::npos) return true;
    }
    return false;
}

std::string password_of(const NetworkBlock& n) { return to_string(n.eap.password.view()); }

// wpa_supplicant.conf(5) examples, as users write them.
constexpr std::string_view kEapTls = R"(# EAP-TLS with a client certificate
ctrl_interface=/var/run/wpa_supplicant
eapol_version=2
ap_scan=1
fast_reauth=1

network={
	ssid="example"
	proto=RSN
	key_mgmt=WPA-EAP
	pairwise=CCMP TKIP
	group=CCMP TKIP
	eap=TLS
	identity="user@example.com"
	ca_cert="/etc/cert/ca.pem"
	client_cert="/etc/cert/user.pem"
	private_key="/etc/cert/user.prv"
	private_key_passwd="password"
	domain_suffix_match="radius.example.com"
	priority=1
}
)";

constexpr std::string_view kPeap = R"(ctrl_interface=DIR=/var/run/wpa_supplicant GROUP=netdev
update_config=1
country=DE

network={
	ssid="corp"
	scan_ssid=1
	key_mgmt=WPA-EAP WPA-EAP-SHA256
	eap=PEAP
	identity="alice"
	anonymous_identity="anonymous@example.com"
	password=hash:8846f7eaee8fb117ad06bdd830b7586c
	ca_cert="/etc/cert/ca.pem"
	domain_match="radius.example.com"
	phase1="peapver=0 crypto_binding=1"
	phase2="auth=MSCHAPV2"
	ieee80211w=1
	id_str="work"
	fragment_size=1200
}

network={
	ssid="home"
	psk="very secret passphrase"
	priority=-5
	disabled=1
}
)";

// Wired IEEE 802.1X (wpa_supplicant -D wired), ap_scan=0.
constexpr std::string_view kWired = R"(ctrl_interface=/var/run/wpa_supplicant
ctrl_interface_group=wheel
ap_scan=0
network={
        key_mgmt=IEEE8021X
        eap=MD5
        identity="user"
        password="pass word"
        eapol_flags=0
}
)";

}  // namespace

TEST_CASE("wpa_config: EAP-TLS network from the wpa_supplicant.conf example") {
    auto r = parse_wpa_config(kEapTls, "/etc/wpa.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const WpaConfig& c = r->config;
    CHECK(c.globals.ctrl_interface.dir == "/var/run/wpa_supplicant");
    CHECK(c.globals.eapol_version == 2);
    CHECK(c.globals.ap_scan == 1);
    CHECK(c.globals.fast_reauth);
    REQUIRE(c.networks.size() == 1);
    const NetworkBlock& n = c.networks[0];
    CHECK(n.line == 7);
    CHECK(n.ssid == "example");
    CHECK(n.key_mgmt == std::vector<KeyMgmt>{KeyMgmt::kWpaEap});
    CHECK(n.proto == std::vector<Proto>{Proto::kRsn});
    CHECK(n.eap.methods == std::vector<eap::Type>{eap::Type::kTls});
    CHECK(n.eap.identity == "user@example.com");
    CHECK(n.eap.ca_cert == "/etc/cert/ca.pem");
    CHECK(n.eap.client_cert == "/etc/cert/user.pem");
    CHECK(n.eap.private_key == "/etc/cert/user.prv");
    CHECK(n.eap.private_key_passwd == "password");
    CHECK(n.eap.domain_suffix_match == "radius.example.com");
    CHECK(n.priority == 1);
    CHECK(n.line_of("eap") == 13);
    CHECK(n.line_of("psk") == 0);
    CHECK(r->warnings.empty());
    CHECK(validate(c).ok());

    auto tls = tls_client_config(c, n);
    REQUIRE(tls.ok());
    CHECK(tls->role == tls::Role::kClient);
    CHECK(tls->ca_file == "/etc/cert/ca.pem");
    CHECK(tls->cert_file == "/etc/cert/user.pem");
    CHECK(tls->key_file == "/etc/cert/user.prv");
    CHECK(tls->key_password == "password");
    CHECK(tls->domain_suffix_match == "radius.example.com");
    CHECK(tls->verify_peer);
}

TEST_CASE("wpa_config: PEAP/MSCHAPv2 with an NT hash, and a PSK network next to it") {
    auto r = parse_wpa_config(kPeap, "/etc/wpa.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const WpaConfig& c = r->config;
    CHECK(c.globals.ctrl_interface.dir == "/var/run/wpa_supplicant");
    CHECK(c.globals.ctrl_interface.group == "netdev");
    CHECK(c.globals.update_config);
    CHECK(c.globals.country == "DE");
    REQUIRE(c.networks.size() == 2);
    const NetworkBlock& peap = c.networks[0];
    CHECK(peap.scan_ssid);
    CHECK(peap.key_mgmt == std::vector<KeyMgmt>{KeyMgmt::kWpaEap, KeyMgmt::kWpaEapSha256});
    CHECK(peap.eap.methods == std::vector<eap::Type>{eap::Type::kPeap});
    CHECK(peap.eap.anonymous_identity == "anonymous@example.com");
    CHECK(peap.eap.password_is_nt_hash);
    CHECK(peap.eap.password.size() == 16);
    CHECK(peap.eap.password.view()[0] == 0x88);
    CHECK(peap.eap.phase1 == "peapver=0 crypto_binding=1");
    CHECK(peap.eap.phase2 == "auth=MSCHAPV2");
    CHECK(peap.eap.domain_match == "radius.example.com");
    CHECK(peap.ieee80211w == 1);
    CHECK(peap.id_str == "work");
    CHECK(peap.eap.fragment_size == 1200);

    const NetworkBlock& home = c.networks[1];
    CHECK(home.priority == -5);
    CHECK(home.disabled == 1);
    CHECK_FALSE(home.ieee80211w.has_value());
    CHECK(home.key_mgmt == std::vector<KeyMgmt>{KeyMgmt::kWpaPsk, KeyMgmt::kWpaEap});  // the default
    CHECK(has_warning(*r, "/etc/wpa.conf:24: key 'psk': not yet supported"));
    // A PSK network with the default key_mgmt needs no ca_cert.
    CHECK(validate(c).ok());
}

TEST_CASE("wpa_config: wired 802.1X with ap_scan=0") {
    auto r = parse_wpa_config(kWired, "wired.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const WpaConfig& c = r->config;
    CHECK(c.globals.ap_scan == 0);
    CHECK(c.globals.ctrl_interface.group == "wheel");
    REQUIRE(c.networks.size() == 1);
    const NetworkBlock& n = c.networks[0];
    CHECK(n.ssid.empty());
    CHECK(n.key_mgmt == std::vector<KeyMgmt>{KeyMgmt::kIeee8021x});
    CHECK(n.uses_eap());
    CHECK_FALSE(n.allows_tls_method());
    CHECK(n.eap.methods == std::vector<eap::Type>{eap::Type::kMd5Challenge});
    CHECK(password_of(n) == "pass word");
    CHECK_FALSE(n.eap.password_is_nt_hash);
    CHECK(n.eapol_flags == 0);
    CHECK(validate(c).ok());
}

TEST_CASE("wpa_config: string forms, comments and quoting") {
    auto r = parse_wpa_config("# comment\n"
                              "   # indented comment\n"
                              "network={\n"
                              "  ssid=\"net#1\" # the '#' in quotes stays\n"
                              "  key_mgmt=NONE   # trailing comment\n"
                              "  id_str=P\"tab\\there\"\n"
                              "}\n"
                              "network={\n"
                              "  ssid=6c616e\r\n"
                              "  key_mgmt=NONE\n"
                              "  private_key_passwd=\"PKCS#12 passphrase\"\n"
                              "}\n",
                              "s.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    REQUIRE(r->config.networks.size() == 2);
    CHECK(r->config.networks[0].ssid == "net#1");
    CHECK(r->config.networks[0].id_str == "tab\there");
    CHECK(r->config.networks[1].ssid == "lan");
    CHECK(r->config.networks[1].eap.private_key_passwd == "PKCS#12 passphrase");
}

TEST_CASE("wpa_config: keys Lanyard does not implement yet are warnings with file:line:key") {
    auto r = parse_wpa_config("pkcs11_engine_path=/usr/lib/engines/engine_pkcs11.so\n"
                              "freq_list=2412\n"
                              "network={\n"
                              "  ssid=\"x\"\n"
                              "  key_mgmt=WPA-EAP SAE\n"
                              "  eap=TTLS PEAP FAST\n"
                              "  openssl_ciphers=\"DEFAULT\"\n"
                              "  ocsp=2\n"
                              "  pin=\"1234\"\n"
                              "  engine=1\n"
                              "  subject_match=\"/CN=radius\"\n"
                              "  altsubject_match=\"DNS:radius.example.com\"\n"
                              "  ca_cert=\"blob://exampleblob\"\n"
                              "}\n"
                              "blob-base64-exampleblob={\n"
                              "SGVsbG8gV29ybGQhCg==\n"
                              "}\n"
                              "cred={\n"
                              "  realm=\"example.com\"\n"
                              "}\n",
                              "/etc/wpa.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(has_warning(*r, "/etc/wpa.conf:1: key 'pkcs11_engine_path': not yet supported"));
    CHECK(has_warning(*r, "/etc/wpa.conf:2: key 'freq_list'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:5: key 'key_mgmt': key management SAE is not yet supported"));
    CHECK(has_warning(*r, "/etc/wpa.conf:6: key 'eap': EAP method TTLS is not yet supported"));
    CHECK(has_warning(*r, "/etc/wpa.conf:6: key 'eap': EAP method FAST is not yet supported"));
    CHECK(has_warning(*r, "/etc/wpa.conf:7: key 'openssl_ciphers'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:8: key 'ocsp'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:9: key 'pin'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:10: key 'engine'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:11: key 'subject_match': stored but not yet enforced"));
    CHECK(has_warning(*r, "/etc/wpa.conf:12: key 'altsubject_match'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:13: key 'ca_cert': blob:// references are not yet supported"));
    CHECK(has_warning(*r, "/etc/wpa.conf:15: key 'blob-base64-exampleblob'"));
    CHECK(has_warning(*r, "/etc/wpa.conf:18: key 'cred'"));
    const NetworkBlock& n = r->config.networks.at(0);
    // Not-yet-supported methods stay in the list so it never widens to "all".
    CHECK(n.eap.methods.size() == 3);
    CHECK(static_cast<int>(n.eap.methods[2]) == 43);
    CHECK(n.subject_match == "/CN=radius");
    CHECK(n.altsubject_match == "DNS:radius.example.com");
}

TEST_CASE("wpa_config: every malformed line names file, line and key") {
    SUBCASE("unknown EAP method") {
        std::string text = "network={\n";
        for (int i = 0; i < 10; ++i) text += "  ssid=\"x\"\n";
        text += "  eap=FOO\n}\n";
        CHECK(parse_error(text) == "/etc/wpa.conf:12: key 'eap': unknown EAP method 'FOO'");
    }
    SUBCASE("unterminated quote") {
        CHECK(parse_error("network={\n  ssid=\"abc\n}\n") == "/etc/wpa.conf:2: key 'ssid': unterminated quoted string");
    }
    SUBCASE("text after the closing quote") {
        CHECK(parse_error("network={\n  identity=\"abc\" def\n}\n").find("/etc/wpa.conf:2: key 'identity':") == 0);
    }
    SUBCASE("missing '}'") {
        CHECK(parse_error("ap_scan=1\nnetwork={\n  ssid=\"abc\"\n") ==
              "/etc/wpa.conf:2: key 'network': block opened here is not closed with '}' before the end of the file");
    }
    SUBCASE("a second network={ before '}'") {
        CHECK(parse_error("network={\n ssid=\"a\"\nnetwork={\n}\n").find("/etc/wpa.conf:3: key 'network': blocks cannot nest") == 0);
    }
    SUBCASE("stray '}'") { CHECK(parse_error("ap_scan=1\n}\n") == "/etc/wpa.conf:2: '}' without an open block"); }
    SUBCASE("network key outside a network block") {
        CHECK(parse_error("ssid=\"abc\"\n") == "/etc/wpa.conf:1: key 'ssid': only valid inside a network={...} block");
    }
    SUBCASE("global key inside a network block") {
        CHECK(parse_error("network={\n ap_scan=1\n}\n") ==
              "/etc/wpa.conf:2: key 'ap_scan': is a global setting, not valid inside a network block");
    }
    SUBCASE("bad number") {
        CHECK(parse_error("network={\n priority=high\n}\n") == "/etc/wpa.conf:2: key 'priority': 'high' is not a number");
    }
    SUBCASE("number out of range") {
        CHECK(parse_error("eapol_version=4\n").find("/etc/wpa.conf:1: key 'eapol_version': '4' is out of range [1, 3]") == 0);
        CHECK(parse_error("ap_scan=3\n").find("/etc/wpa.conf:1: key 'ap_scan':") == 0);
        CHECK(parse_error("network={\nieee80211w=3\n}\n").find("/etc/wpa.conf:2: key 'ieee80211w':") == 0);
        CHECK(parse_error("network={\nfragment_size=10\n}\n").find("/etc/wpa.conf:2: key 'fragment_size':") == 0);
    }
    SUBCASE("unknown keys") {
        CHECK(parse_error("frobnicate=1\n") == "/etc/wpa.conf:1: key 'frobnicate': unknown global setting");
        CHECK(parse_error("network={\n  colour=\"blue\"\n}\n") == "/etc/wpa.conf:2: key 'colour': unknown network setting");
        CHECK(parse_error("foo={\n}\n") == "/etc/wpa.conf:1: key 'foo': unknown block");
    }
    SUBCASE("bad NT password hash") {
        CHECK(parse_error("network={\n  password=hash:8846f7eaee8fb117ad06bdd830b7586\n}\n") ==
              "/etc/wpa.conf:2: key 'password': invalid NT password hash: expected hash:<32 hex digits>");
        CHECK(parse_error("network={\n  password=hash:zz46f7eaee8fb117ad06bdd830b7586c\n}\n")
                  .find("/etc/wpa.conf:2: key 'password':") == 0);
    }
    SUBCASE("unquoted string that is not hex") {
        CHECK(parse_error("network={\n  ca_cert=/etc/ca.pem\n}\n").find("/etc/wpa.conf:2: key 'ca_cert':") == 0);
    }
    SUBCASE("bad lists") {
        CHECK(parse_error("network={\n key_mgmt=WPA-FOO\n}\n") ==
              "/etc/wpa.conf:2: key 'key_mgmt': unknown key management 'WPA-FOO'");
        CHECK(parse_error("network={\n proto=WPA3\n}\n").find("/etc/wpa.conf:2: key 'proto': unknown protocol 'WPA3'") == 0);
        CHECK(parse_error("network={\n pairwise=WEP40\n}\n").find("/etc/wpa.conf:2: key 'pairwise':") == 0);
        CHECK(parse_error("network={\n eap=\n}\n") == "/etc/wpa.conf:2: key 'eap': no EAP method listed");
    }
    SUBCASE("SSID too long") {
        CHECK(parse_error("network={\n ssid=\"0123456789abcdef0123456789abcdefX\"\n}\n") ==
              "/etc/wpa.conf:2: key 'ssid': SSID longer than 32 octets");
    }
    SUBCASE("line without '='") {
        CHECK(parse_error("network={\n  ssid\n}\n").find("/etc/wpa.conf:2: expected key=value") == 0);
        CHECK(parse_error("hello\n").find("/etc/wpa.conf:1: expected key=value") == 0);
    }
    SUBCASE("bad globals") {
        CHECK(parse_error("country=Germany\n").find("/etc/wpa.conf:1: key 'country':") == 0);
        CHECK(parse_error("fast_reauth=yes\n") == "/etc/wpa.conf:1: key 'fast_reauth': 'yes' must be 0 or 1");
        CHECK(parse_error("ctrl_interface=DIR= GROUP=netdev\n").find("/etc/wpa.conf:1: key 'ctrl_interface':") == 0);
    }
}

TEST_CASE("wpa_config: validate refuses TLS methods without ca_cert unless the operator opts out") {
    constexpr std::string_view kNoCa = "network={\n"
                                       "  ssid=\"corp\"\n"
                                       "  key_mgmt=WPA-EAP\n"
                                       "  eap=PEAP\n"
                                       "  identity=\"bob\"\n"
                                       "  password=\"secret\"\n"
                                       "}\n";
    auto r = parse_wpa_config(kNoCa, "/etc/wpa.conf");
    REQUIRE(r.ok());
    auto v = validate(r->config);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().code == ErrorCode::kConfig);
    CHECK(v.error().detail.find("/etc/wpa.conf:4: key 'eap': the network allows a TLS-based EAP method but sets no ca_cert") == 0);
    CHECK_FALSE(tls_client_config(r->config, r->config.networks[0]).ok());

    ValidateOptions insecure;
    insecure.allow_unvalidated_server = true;
    CHECK(validate(r->config, insecure).ok());
    auto tls = tls_client_config(r->config, r->config.networks[0], insecure);
    REQUIRE(tls.ok());
    CHECK_FALSE(tls->verify_peer);

    // No eap= line: every method is allowed, TLS ones included.
    auto any = parse_wpa_config("network={\n ssid=\"x\"\n key_mgmt=IEEE8021X\n identity=\"bob\"\n}\n", "w.conf");
    REQUIRE(any.ok());
    auto v2 = validate(any->config);
    REQUIRE_FALSE(v2.ok());
    CHECK(v2.error().detail.find("w.conf:1: key 'network':") == 0);

    // MD5 only: nothing to validate.
    auto md5 = parse_wpa_config("network={\n key_mgmt=IEEE8021X\n eap=MD5\n}\n", "w.conf");
    REQUIRE(md5.ok());
    CHECK(validate(md5->config).ok());
}

TEST_CASE("wpa_config: load_wpa_config reads a file and names it in errors") {
    std::string path = "/tmp/lanyard-config-wpa-test-" + std::to_string(::getpid()) + ".conf";
    {
        std::ofstream f(path);
        f << kWired;
    }
    auto ok = load_wpa_config(path);
    REQUIRE_MESSAGE(ok.ok(), ok.error().detail);
    CHECK(ok->config.file == path);
    CHECK(ok->config.networks.size() == 1);
    {
        std::ofstream f(path);
        f << "network={\n eap=BOGUS\n}\n";
    }
    auto bad = load_wpa_config(path);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().detail == path + ":2: key 'eap': unknown EAP method 'BOGUS'");
    std::remove(path.c_str());
    auto missing = load_wpa_config(path);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::kIo);
}

TEST_CASE("wpa_config: the example files shipped with wpa_supplicant load unchanged") {
    const char* dir = "/usr/share/doc/wpa_supplicant/examples/";
    int loaded = 0;
    for (const char* name : {"wpa_supplicant.conf", "ieee8021x.conf", "wpa2-eap-ccmp.conf", "plaintext.conf",
                             "wep.conf", "wpa-psk-tkip.conf", "wpa-roam.conf", "openCryptoki.conf"}) {
        std::string path = std::string(dir) + name;
        if (FILE* f = std::fopen(path.c_str(), "r")) {
            std::fclose(f);
        } else {
            continue;
        }
        auto r = load_wpa_config(path);
        CHECK_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().detail));
        ++loaded;
    }
    if (loaded == 0) MESSAGE("wpa_supplicant example files not installed; skipped");
}
