#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "authenticator/eap_user_file.h"

using namespace lanyard;
using namespace lanyard::authenticator;

namespace {

std::string parse_error(std::string_view text, std::string_view file = "/etc/hostapd.eap_user") {
    auto r = parse_eap_user_file(text, file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConfig);
    return r.error().detail;
}

bool has_warning(const EapUserFile& f, std::string_view text) {
    for (const auto& w : f.warnings) {
        if (w.to_string().find(text) != std::string::npos) return true;
    }
    return false;
}

std::string password_of(const eap::UserRecord& r) { return to_string(r.password.view()); }

// In the style of hostapd's hostapd.eap_user example.
constexpr std::string_view kUsers = R"(# hostapd user database for integrated EAP server

# Phase 1 users
"user"		MD5	"password"
"test user"	MD5	"secret"
"example user"	TLS
"DOMAIN\user"	MSCHAPV2	"password"
"gtc user"	GTC	"password"
"psk.user@example.com"	PSK	0123456789abcdef0123456789abcdef
"ttls"		TTLS
"not anonymous"	PEAP
"peap0"		PEAP	[ver=0]
"peap1"		PEAP	[ver=1]
"0"*		AKA,TTLS,TLS,PEAP,SIM
"6"*		AKA'

# Wildcard for all other identities
*		PEAP,TTLS,TLS

# Phase 2 (tunnelled within EAP-PEAP or EAP-TTLS) users
"t-md5"		MD5	"password"	[2]
"DOMAIN\t-mschapv2"	MSCHAPV2	"password"	[2]
"user"		MD5,GTC,MSCHAPV2	"password"	[2]
"test user"	MSCHAPV2	hash:000102030405060708090a0b0c0d0e0f	[2]
"ttls-user"	TTLS-PAP,TTLS-CHAP,TTLS-MSCHAP,TTLS-MSCHAPV2	"password"	[2]
"0"*		AKA	[2]
"empty"		GTC	""	[2]
)";

}  // namespace

TEST_CASE("eap_user: hostapd's example user file") {
    auto r = parse_eap_user_file(kUsers, "/etc/hostapd.eap_user");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const auto& recs = r->records;
    REQUIRE(recs.size() == 20);
    REQUIRE(r->entries.size() == recs.size());

    CHECK(recs[0].identity == "user");
    CHECK(recs[0].methods == std::vector<eap::Type>{eap::Type::kMd5Challenge});
    CHECK(password_of(recs[0]) == "password");
    CHECK_FALSE(recs[0].phase2);
    CHECK(r->entries[0].line == 4);

    CHECK(recs[1].identity == "test user");
    CHECK(recs[2].methods == std::vector<eap::Type>{eap::Type::kTls});
    CHECK(recs[2].password.empty());
    CHECK(recs[3].identity == "DOMAIN\\user");  // no escapes inside quotes
    CHECK(recs[3].methods == std::vector<eap::Type>{eap::Type::kMschapV2});

    // Unquoted password: hex.
    CHECK(recs[5].password.size() == 16);
    CHECK(recs[5].password.view()[1] == 0x23);
    CHECK_FALSE(recs[5].password_is_nt_hash);

    CHECK(recs[7].peap_version == -1);
    CHECK(recs[8].identity == "peap0");
    CHECK(recs[8].peap_version == 0);
    CHECK(recs[9].peap_version == 1);

    CHECK(recs[10].identity == "0");
    CHECK(recs[10].identity_is_prefix);
    CHECK(recs[10].methods.size() == 5);
    CHECK(static_cast<int>(recs[10].methods[0]) == 23);  // AKA
    CHECK(static_cast<int>(recs[11].methods[0]) == 50);  // AKA'

    CHECK(recs[12].wildcard);
    CHECK(recs[12].identity.empty());
    CHECK(recs[12].methods == std::vector<eap::Type>{eap::Type::kPeap, eap::Type::kTtls, eap::Type::kTls});

    CHECK(recs[13].identity == "t-md5");
    CHECK(recs[13].phase2);
    CHECK(recs[15].methods ==
          std::vector<eap::Type>{eap::Type::kMd5Challenge, eap::Type::kGtc, eap::Type::kMschapV2});
    CHECK(recs[16].password_is_nt_hash);
    CHECK(recs[16].password.size() == 16);
    CHECK(recs[16].password.view()[15] == 0x0f);
    CHECK(recs[16].phase2);

    CHECK(recs[17].methods.empty());
    CHECK(r->entries[17].ttls_auth == (kTtlsPap | kTtlsChap | kTtlsMschap | kTtlsMschapV2));
    CHECK(recs[17].phase2);
    CHECK(recs[18].identity_is_prefix);
    CHECK(recs[18].phase2);
    CHECK(recs[19].password.empty());
    CHECK(recs[19].phase2);

    CHECK(has_warning(*r, "/etc/hostapd.eap_user:9: key 'methods': EAP method PSK is not yet supported"));
    CHECK(has_warning(*r, "/etc/hostapd.eap_user:10: key 'methods': EAP method TTLS is not yet supported"));
    CHECK(has_warning(*r, "/etc/hostapd.eap_user:25: key 'methods': EAP-TTLS inner method TTLS-PAP"));

    eap::VectorUserDatabase db = r->take_database();
    CHECK(db.size() == 20);
}

TEST_CASE("eap_user: comments, blank lines, trailing comments and CRLF") {
    auto r = parse_eap_user_file("\n# comment\n   \n\"a\" MD5 \"pw\" [2] # phase 2 user\r\n"
                                 "\"b\"\tGTC\thash:000102030405060708090a0b0c0d0e0f# note\n"
                                 "\"c#d\" TLS\n",
                                 "u");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    REQUIRE(r->records.size() == 3);
    CHECK(r->records[0].phase2);
    CHECK(r->entries[0].line == 4);
    CHECK(r->records[1].password_is_nt_hash);
    CHECK(r->records[2].identity == "c#d");
}

TEST_CASE("eap_user: more than eight methods are cut to eight, as hostapd does") {
    auto r = parse_eap_user_file("* MD5,GTC,TLS,PEAP,MSCHAPV2,TTLS,SIM,AKA,PSK,PAX\n", "u");
    REQUIRE(r.ok());
    CHECK(r->records[0].methods.size() == kMaxMethodsPerUser);
    CHECK(has_warning(*r, "u:1: key 'methods': more than 8 EAP methods"));
}

TEST_CASE("eap_user: radius_accept_attr lines follow a user and are warnings") {
    auto r = parse_eap_user_file("\"u\" MD5 \"p\"\nradius_accept_attr=64:d:13\n", "u");
    REQUIRE(r.ok());
    CHECK(has_warning(*r, "u:2: key 'radius_accept_attr': not yet supported"));
    CHECK(parse_error("radius_accept_attr=64:d:13\n") ==
          "/etc/hostapd.eap_user:1: key 'radius_accept_attr': must follow a user line");
}

TEST_CASE("eap_user: every malformed line names file and line") {
    CHECK(parse_error("# users\nuser MD5 \"pw\"\n").find("/etc/hostapd.eap_user:2: key 'identity': a user line starts with") == 0);
    // The identity ends at the next quote, so "pw\"" is read as the method.
    CHECK(parse_error("\"user MD5 \"pw\"\n") == "/etc/hostapd.eap_user:1: key 'methods': unknown EAP method 'pw\"'");
    CHECK(parse_error("\"user MD5\n") == "/etc/hostapd.eap_user:1: key 'identity': unterminated quoted identity (no closing '\"')");
    CHECK(parse_error("\"user\"\n") == "/etc/hostapd.eap_user:1: key 'methods': no EAP method for this user");
    CHECK(parse_error("\"user\"   # only a comment\n") == "/etc/hostapd.eap_user:1: key 'methods': no EAP method for this user");
    CHECK(parse_error("\n\"user\" FOO \"pw\"\n") == "/etc/hostapd.eap_user:2: key 'methods': unknown EAP method 'FOO'");
    CHECK(parse_error("\"user\" MD5,,GTC \"pw\"\n").find("/etc/hostapd.eap_user:1: key 'methods': empty EAP method name") == 0);
    CHECK(parse_error("\"user\" TTLS-FOO \"pw\" [2]\n") == "/etc/hostapd.eap_user:1: key 'methods': unknown EAP method 'TTLS-FOO'");
    CHECK(parse_error("\"user\" MSCHAPV2 hash:0001020304050607 [2]\n") ==
          "/etc/hostapd.eap_user:1: key 'password': invalid NT password hash: expected hash:<32 hex digits>");
    CHECK(parse_error("\"user\" MSCHAPV2 hash:000102030405060708090a0b0c0d0e0g [2]\n") ==
          "/etc/hostapd.eap_user:1: key 'password': invalid NT password hash: expected hash:<32 hex digits>");
    CHECK(parse_error("\"user\" MD5 \"pw\n") == "/etc/hostapd.eap_user:1: key 'password': unterminated quoted password (no closing '\"')");
    CHECK(parse_error("\"user\" MD5 password\n") == "/etc/hostapd.eap_user:1: key 'password': a password is \"quoted\", hash:<32 hex digits>, or hex");
    CHECK(parse_error("\"user\" MD5 ssha1:abcdef\n").find("/etc/hostapd.eap_user:1: key 'password': salted password hashes (ssha1:)") == 0);
    CHECK(parse_error("\"user\" MD5 \"pw\" [3]\n").find("/etc/hostapd.eap_user:1: key 'flags': unexpected text '[3]'") == 0);
    CHECK(parse_error("\"user\" PEAP [ver=0] [2]\n").find("/etc/hostapd.eap_user:1: key 'flags': unexpected text '[2]'") == 0);
    CHECK(parse_error("\"user\" PEAP [ver=2]\n").find("/etc/hostapd.eap_user:1: key 'password':") == 0);
}

TEST_CASE("eap_user: the example file shipped with hostapd loads unchanged") {
    const std::string path = "/usr/share/doc/hostapd/examples/hostapd.eap_user";
    FILE* f = std::fopen(path.c_str(), "r");
    if (f == nullptr) {
        MESSAGE("hostapd example eap_user file not installed; skipped");
        return;
    }
    std::fclose(f);
    auto r = load_eap_user_file(path);
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(r->records.size() > 30);
    CHECK(r->records[0].identity == "user");
}
