#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/config_lexer.h"

using namespace lanyard;
using namespace lanyard::config;

namespace {

std::vector<Line> all_lines(std::string_view text, Dialect dialect) {
    LineReader reader(text, "t.conf", dialect);
    std::vector<Line> out;
    Line line;
    while (reader.next(&line)) out.push_back(line);
    return out;
}

const Site kSite{"/etc/x.conf", 7, "k"};

}  // namespace

TEST_CASE("LineReader numbers lines and skips blanks and comments (wpa_supplicant rules)") {
    auto lines = all_lines("# top\n\n   # indented comment\nctrl_interface=/run/wpa\r\n\tssid=\"a#b\" # trailing\n"
                           "psk=abc#def\nlast=1",
                           Dialect::kWpaSupplicant);
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].number == 4);
    CHECK(lines[0].text == "ctrl_interface=/run/wpa");
    CHECK(lines[1].number == 5);
    CHECK(lines[1].text == "ssid=\"a#b\"");  // '#' inside quotes stays, the one after goes
    CHECK(lines[2].text == "psk=abc");       // unquoted: '#' starts a comment
    CHECK(lines[3].number == 7);             // no newline at the end of the file
    CHECK(lines[3].text == "last=1");
}

TEST_CASE("LineReader keeps '#' inside hostapd values") {
    auto lines = all_lines("#c\n  # indented\nwpa_passphrase=abc#def\r\n", Dialect::kHostapd);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].number == 3);
    CHECK(lines[0].text == "wpa_passphrase=abc#def");
}

TEST_CASE("split_key_value splits at the first '='") {
    auto kv = split_key_value("ctrl_interface=DIR=/run GROUP=netdev");
    REQUIRE(kv.has_value());
    CHECK(kv->key == "ctrl_interface");
    CHECK(kv->value == "DIR=/run GROUP=netdev");
    auto spaced = split_key_value("ap_scan = 1");
    REQUIRE(spaced.has_value());
    CHECK(spaced->key == "ap_scan");
    CHECK(spaced->value == "1");
    CHECK_FALSE(split_key_value("no equals sign").has_value());
    CHECK_FALSE(split_key_value("=value").has_value());
}

TEST_CASE("parse_integer takes decimal and 0x hex within bounds") {
    CHECK(*parse_integer(kSite, "42", 0, 100) == 42);
    CHECK(*parse_integer(kSite, "-1", -1, 1) == -1);
    CHECK(*parse_integer(kSite, "0x10", 0, 100) == 16);
    auto bad = parse_integer(kSite, "12a", 0, 100);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == ErrorCode::kConfig);
    CHECK(bad.error().detail == "/etc/x.conf:7: key 'k': '12a' is not a number");
    auto range = parse_integer(kSite, "101", 0, 100);
    REQUIRE_FALSE(range.ok());
    CHECK(range.error().detail.find("out of range [0, 100]") != std::string::npos);
    CHECK_FALSE(parse_integer(kSite, "99999999999999999999999999", 0, 100).ok());
    CHECK_FALSE(parse_integer(kSite, "", 0, 100).ok());
    CHECK_FALSE(parse_integer(kSite, "-", 0, 100).ok());
    CHECK_FALSE(parse_integer(kSite, "0x", 0, 100).ok());
}

TEST_CASE("parse_wpa_string: quoted, P\"\" with escapes, and hex") {
    CHECK(*parse_wpa_string(kSite, "\"hello world\"") == "hello world");
    CHECK(*parse_wpa_string(kSite, "\"say \"hi\"\"") == "say \"hi\"");  // the last quote closes
    CHECK(*parse_wpa_string(kSite, "\"\"") == "");
    CHECK(*parse_wpa_string(kSite, "P\"a\\tb\\x41\\\\\\\"\\101\"") == "a\tbA\\\"A");
    CHECK(*parse_wpa_string(kSite, "00010203") == std::string("\x00\x01\x02\x03", 4));
    auto unterminated = parse_wpa_string(kSite, "\"abc");
    REQUIRE_FALSE(unterminated.ok());
    CHECK(unterminated.error().detail.find("/etc/x.conf:7: key 'k': unterminated quoted string") == 0);
    CHECK_FALSE(parse_wpa_string(kSite, "\"").ok());
    CHECK_FALSE(parse_wpa_string(kSite, "\"abc\" x").ok());
    CHECK_FALSE(parse_wpa_string(kSite, "abc").ok());   // odd hex
    CHECK_FALSE(parse_wpa_string(kSite, "zz").ok());    // not hex
    CHECK_FALSE(parse_wpa_string(kSite, "P\"bad\\q\"").ok());
    CHECK_FALSE(parse_wpa_string(kSite, "P\"end\\\"").ok());
}

TEST_CASE("parse_hex wants an exact length when asked") {
    CHECK(parse_hex(kSite, "000102030405060708090a0b0c0d0e0f", 16)->size() == 16);
    CHECK_FALSE(parse_hex(kSite, "0001", 16).ok());
    CHECK_FALSE(parse_hex(kSite, "000102030405060708090a0b0c0d0e0g", 16).ok());
    CHECK_FALSE(parse_hex(kSite, "00:01", 0).ok());  // no separators in config files
}

TEST_CASE("ctrl_interface: plain directory and DIR=/GROUP= forms") {
    auto plain = parse_ctrl_interface(kSite, "/var/run/wpa_supplicant");
    REQUIRE(plain.ok());
    CHECK(plain->dir == "/var/run/wpa_supplicant");
    CHECK(plain->group.empty());
    auto full = parse_ctrl_interface(kSite, "DIR=/var/run/wpa_supplicant GROUP=netdev");
    REQUIRE(full.ok());
    CHECK(full->dir == "/var/run/wpa_supplicant");
    CHECK(full->group == "netdev");
    auto dir_only = parse_ctrl_interface(kSite, "DIR=/run/x");
    REQUIRE(dir_only.ok());
    CHECK(dir_only->dir == "/run/x");
    CHECK_FALSE(parse_ctrl_interface(kSite, "DIR= GROUP=netdev").ok());
    CHECK_FALSE(parse_ctrl_interface(kSite, "DIR=/run GROUP=").ok());
}

TEST_CASE("key management, cipher and EAP method names") {
    auto km = parse_key_mgmt_list(kSite, "WPA-EAP  WPA-EAP-SHA256 IEEE8021X");
    REQUIRE(km.ok());
    CHECK(km->size() == 3);
    CHECK((*km)[1] == KeyMgmt::kWpaEapSha256);
    auto bad = parse_key_mgmt_list(kSite, "WPA-EAP WPA-FOO");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().detail.find("unknown key management 'WPA-FOO'") != std::string::npos);
    CHECK(parse_cipher_list(kSite, "CCMP TKIP")->size() == 2);
    CHECK_FALSE(parse_cipher_list(kSite, "CCMP ROT13").ok());
    CHECK_FALSE(parse_cipher_list(kSite, "").ok());

    REQUIRE(find_eap_method("PEAP") != nullptr);
    CHECK(find_eap_method("PEAP")->type == 25);
    CHECK(find_eap_method("peap")->implemented);
    CHECK(find_eap_method("AKA'")->type == 50);
    CHECK_FALSE(find_eap_method("TTLS")->implemented);
    CHECK(find_eap_method("FOO") == nullptr);
}

TEST_CASE("Warning::to_string names file, line and key") {
    Warning w = kSite.warning("not yet supported");
    CHECK(w.to_string() == "/etc/x.conf:7: key 'k': not yet supported");
    CHECK(Site{"f", 3, ""}.error("oops").detail == "f:3: oops");
}

TEST_CASE("read_config_file reports a missing file by its path") {
    auto r = read_config_file("/nonexistent/lanyard-test.conf");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kIo);
    CHECK(r.error().detail.find("/nonexistent/lanyard-test.conf") == 0);
}
