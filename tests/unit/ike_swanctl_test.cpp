// swanctl.conf for lanyard-gateway: the settings syntax, connections,
// children, pools and secrets, and "file:line: ..." errors for what we do
// not know or cannot use.
#include <doctest/doctest.h>

#include "gateway/gateway.h"
#include "gateway/settings_tree.h"
#include "gateway/swanctl_conf.h"

using namespace lanyard;
using namespace lanyard::gateway;

namespace {

constexpr const char* kConf = R"(# a gateway
connections {
    rw {
        local_addrs = 192.0.2.1
        remote_addrs = %any
        local_port = 4510
        proposals = aes256gcm16-prfsha384-ecp384, aes128-sha256-x25519
        fragmentation = yes
        send_certreq = no
        version = 2
        dpd_delay = 30s
        pools = vpool
        rekey_time = 2h
        over_time = 10m
        reauth_time = 0   # accepted, not acted on
        local {
            auth = psk
            id = @moon.example.org
        }
        remote {
            auth = psk
            id = *@example.org
        }
        children {
            net {
                local_ts = 10.1.0.0/16, 10.2.0.0/16[tcp/443]
                remote_ts = dynamic
                esp_proposals = aes128gcm16
                start_action = none
                mode = tunnel
                rekey_time = 50m
                life_time = 1h
            }
        }
    }
}
pools {
    vpool {
        addrs = 10.3.0.0/28
        dns = 10.3.0.53, 10.3.0.54
    }
}
secrets {
    ike-carol {
        id-a = moon.example.org
        id-b = carol@example.org
        secret = "a #quoted# secret"
    }
    eap-dave {
        id = dave
        secret = 0x73656372
    }
}
)";

std::string error_of(const std::string& text) {
    auto r = parse_swanctl_conf(text, "/etc/swanctl/swanctl.conf");
    return r.ok() ? std::string("(parsed)") : r.error().detail;
}

}  // namespace

TEST_CASE("swanctl.conf: a full responder configuration") {
    auto r = parse_swanctl_conf(kConf, "/etc/swanctl/swanctl.conf");
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    CHECK(r->x509ca_dir == "/etc/swanctl/x509ca");
    CHECK(r->private_dir == "/etc/swanctl/private");
    auto c = r->store->connection("rw");
    REQUIRE(c != nullptr);
    CHECK(c->local_addrs == std::vector<std::string>{"192.0.2.1"});
    CHECK(c->local_port == 4510);
    CHECK(c->ike_proposals.size() == 2);
    CHECK(c->dpd_delay == Duration(30000));
    CHECK_FALSE(c->send_certreq);
    CHECK(c->local[0].id.to_string() == "moon.example.org");
    CHECK(c->remote[0].id.to_string() == "*@example.org");
    REQUIRE(c->children.size() == 1);
    CHECK(c->children[0].local_ts.size() == 2);
    CHECK(c->children[0].local_ts[1].ts.start_port == 443);
    CHECK(c->children[0].remote_ts[0].dynamic);
    CHECK(r->eap_secrets.size() == 1);
    CHECK(r->warnings.size() == 1);  // reauth_time
    CHECK(c->rekey_time == Duration(2 * 3600 * 1000));
    CHECK(c->over_time == Duration(600 * 1000));
    CHECK_FALSE(c->rand_time.has_value());
    CHECK(c->children[0].rekey_time == Duration(50 * 60 * 1000));
    CHECK(c->children[0].life_time == Duration(3600 * 1000));
    // The secret is found for the two identities, the quotes keep '#'.
    auto key = r->store->shared_key(ike::parse_identity("moon.example.org").value(),
                                    ike::parse_identity("carol@example.org").value());
    REQUIRE(key.has_value());
    CHECK(to_string(key->view()) == "a #quoted# secret");
    auto lease = r->store->acquire_lease({"vpool"}, ike::parse_identity("carol@example.org").value());
    REQUIRE(lease.has_value());
    CHECK(lease->address == Bytes{10, 3, 0, 1});
    CHECK(lease->dns.size() == 2);
}

TEST_CASE("swanctl.conf: unknown keys and sections are errors with file and line") {
    CHECK(error_of("connections {\n  a {\n    bogus = 1\n  }\n}\n") ==
          "/etc/swanctl/swanctl.conf:3: unknown key 'bogus'");
    CHECK(error_of("connections {\n  a {\n    local {\n      auth = psk\n      colour = red\n    }\n  }\n}\n") ==
          "/etc/swanctl/swanctl.conf:5: unknown key 'colour'");
    CHECK(error_of("frobnicate {\n}\n") == "/etc/swanctl/swanctl.conf:1: unknown section 'frobnicate'");
    CHECK(error_of("connections {\n  a {\n    children {\n      c {\n        esp_proposal = x\n      }\n    }\n  }\n}\n") ==
          "/etc/swanctl/swanctl.conf:5: unknown key 'esp_proposal'");
}

TEST_CASE("swanctl.conf: bad values name the key") {
    CHECK(error_of("connections {\n a {\n  version = 1\n }\n}\n").find(":3: key 'version'") != std::string::npos);
    CHECK(error_of("connections {\n a {\n  proposals = aes128-nonsense\n }\n}\n").find(":3: key 'proposals'") != std::string::npos);
    CHECK(error_of("connections {\n a {\n  local_port = 70000\n }\n}\n").find(":3: key 'local_port'") != std::string::npos);
    CHECK(error_of("connections {\n a {\n  dpd_delay = soon\n }\n}\n").find(":3: key 'dpd_delay'") != std::string::npos);
    CHECK(error_of("connections {\n a {\n  rekey_time = often\n }\n}\n").find(":3: key 'rekey_time'") != std::string::npos);
    CHECK(error_of("connections {\n a {\n  children {\n   c {\n    life_time = -1h\n   }\n  }\n }\n}\n").find(":5: key 'life_time'") !=
          std::string::npos);
    CHECK(error_of("connections {\n a {\n  local {\n   auth = magic\n  }\n }\n}\n").find(":4: key 'auth'") != std::string::npos);
    CHECK(error_of("pools {\n p {\n  addrs = 10.0.0.0/40\n }\n}\n").find(":3: key 'addrs'") != std::string::npos);
    CHECK(error_of("secrets {\n ike-1 {\n  id = a\n }\n}\n").find("has no secret") != std::string::npos);
    CHECK(error_of("secrets {\n ike-1 {\n  secret = 0sAAAA\n }\n}\n").find("base64") != std::string::npos);
}

TEST_CASE("settings syntax: malformed input is refused, never crashes") {
    CHECK_FALSE(parse_settings("a {\n", "f").ok());          // unclosed
    CHECK_FALSE(parse_settings("}\n", "f").ok());            // stray brace
    CHECK_FALSE(parse_settings("a = \"open\n", "f").ok());   // unterminated quote
    CHECK_FALSE(parse_settings("= 1\n", "f").ok());          // no name
    CHECK_FALSE(parse_settings("a b\n", "f").ok());          // no '='
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "s {\n";
    CHECK_FALSE(parse_settings(deep, "f").ok());
    auto one_line = parse_settings("a { b = 1 }\nc { }\n", "f");
    REQUIRE(one_line.ok());
    REQUIRE(one_line->section("a") != nullptr);
    CHECK(one_line->section("a")->keys[0].value == "1");
}

TEST_CASE("durations") {
    CHECK(parse_swanctl_duration("30").value() == Duration(30000));
    CHECK(parse_swanctl_duration("2m").value() == Duration(120000));
    CHECK(parse_swanctl_duration("1h").value() == Duration(3600000));
    CHECK_FALSE(parse_swanctl_duration("").ok());
    CHECK_FALSE(parse_swanctl_duration("5x").ok());
}

TEST_CASE("lanyard-gateway command line") {
    auto o = parse_gateway_cmdline({"-c", "/etc/swanctl/swanctl.conf", "--listen", "192.0.2.1", "--port", "4510",
                                    "--port-nat-t", "4511", "--kernel", "none", "-dd", "--initiate", "home/net",
                                    "--count", "10", "--concurrency", "4"});
    REQUIRE(o.ok());
    CHECK(o->port == 4510);
    CHECK(o->port_nat_t == 4511);
    CHECK(o->daemon.debug_level == 2);
    CHECK(o->initiate == "home");
    CHECK(o->initiate_child == "net");
    CHECK(o->count == 10);
    CHECK_FALSE(parse_gateway_cmdline({"--port", "500"}).ok());  // no -c
    CHECK_FALSE(parse_gateway_cmdline({"-c", "x", "--kernel", "pfkey"}).ok());
    CHECK_FALSE(parse_gateway_cmdline({"-c", "x", "--port", "4500"}).ok());  // same as NAT-T
    CHECK_FALSE(parse_gateway_cmdline({"-c", "x", "--port", "99999"}).ok());
}
