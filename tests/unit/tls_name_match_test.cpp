#include <doctest/doctest.h>

// The name policy lives in the OpenSSL backend's folder and is compiled only
// with it (make TLS=openssl, the default).
#ifdef LANYARD_TLS_openssl

#include "tls/name_match.h"

using namespace lanyard;
using namespace lanyard::tls::names;

TEST_CASE("name lists split at ';' with spaces trimmed and empty entries dropped") {
    CHECK(split_name_list("") == std::vector<std::string>{});
    CHECK(split_name_list("a.test") == std::vector<std::string>{"a.test"});
    CHECK(split_name_list(" a.test ;b.test;; ") == std::vector<std::string>{"a.test", "b.test"});
}

TEST_CASE("exact match is case-insensitive, ignores one trailing dot, and nothing else") {
    CHECK(exact_match("server.lanyard.test", "server.lanyard.test"));
    CHECK(exact_match("Server.Lanyard.TEST", "server.lanyard.test"));
    CHECK(exact_match("server.lanyard.test.", "server.lanyard.test"));
    CHECK_FALSE(exact_match("lanyard.test", "server.lanyard.test"));
    CHECK_FALSE(exact_match("server.lanyard.test", "server.lanyard.test.evil"));
    CHECK_FALSE(exact_match("", ""));
}

TEST_CASE("suffix match accepts the name and subdomains on a label boundary only") {
    CHECK(suffix_match("lanyard.test", "lanyard.test"));
    CHECK(suffix_match("lanyard.test", "server.lanyard.test"));
    CHECK(suffix_match("lanyard.test", "a.b.lanyard.test"));
    CHECK(suffix_match("LANYARD.test", "Radius.lanyard.TEST"));
    CHECK(suffix_match(".lanyard.test", "server.lanyard.test"));
    CHECK_FALSE(suffix_match("nyard.test", "server.lanyard.test"));  // not a label boundary
    CHECK_FALSE(suffix_match("other.test", "server.lanyard.test"));
    CHECK_FALSE(suffix_match("server.lanyard.test", "lanyard.test"));
    CHECK_FALSE(suffix_match("", "lanyard.test"));
}

TEST_CASE("dNSNames win over the CN, which counts only when there is no dNSName") {
    CHECK(names_to_check({"a.test"}, {"cn.test"}) == std::vector<std::string>{"a.test"});
    CHECK(names_to_check({}, {"cn.test"}) == std::vector<std::string>{"cn.test"});
}

TEST_CASE("server name policy: every configured policy must hold; errors say why") {
    const std::vector<std::string> names = {"server.lanyard.test", "radius.lanyard.test"};
    CHECK(check_server_names(names, "", "").ok());
    CHECK(check_server_names(names, "radius.lanyard.test", "").ok());
    CHECK(check_server_names(names, "x.test; server.lanyard.test", "").ok());
    CHECK(check_server_names(names, "", "other.test;lanyard.test").ok());
    CHECK(check_server_names(names, "server.lanyard.test", "lanyard.test").ok());

    auto bad = check_server_names(names, "lanyard.test", "");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::kAuthFailed);
    CHECK(bad.error().detail.find("server name mismatch") == 0);
    CHECK(bad.error().detail.find("server.lanyard.test") != std::string::npos);

    CHECK_FALSE(check_server_names(names, "server.lanyard.test", "other.test").ok());
    CHECK_FALSE(check_server_names(names, "", "nyard.test").ok());
    CHECK_FALSE(check_server_names({}, "", "lanyard.test").ok());
}

#endif  // LANYARD_TLS_openssl
