#include <doctest/doctest.h>

#include "methods/eap_config.h"
#include "methods/eap_types.h"
#include "methods/method_registry.h"

using namespace lanyard;
using namespace lanyard::eap;

TEST_CASE("type_name and type_from_name use hostapd's method names") {
    CHECK(std::string(type_name(4)) == "MD5");
    CHECK(std::string(type_name(13)) == "TLS");
    CHECK(std::string(type_name(25)) == "PEAP");
    CHECK(std::string(type_name(26)) == "MSCHAPV2");
    CHECK(std::string(type_name(99)) == "unknown");
    Type t = Type::kIdentity;
    CHECK(type_from_name("PEAP", &t));
    CHECK(t == Type::kPeap);
    CHECK(type_from_name("mschapv2", &t));
    CHECK(t == Type::kMschapV2);
    CHECK(type_from_name("GTC", &t));
    CHECK(t == Type::kGtc);
    CHECK_FALSE(type_from_name("FOO", &t));
    CHECK(t == Type::kGtc);  // unchanged
    CHECK_FALSE(type_from_name("", &t));
}

namespace {

UserRecord user(std::string id, bool phase2 = false, bool prefix = false, bool wildcard = false) {
    UserRecord r;
    r.identity = std::move(id);
    r.phase2 = phase2;
    r.identity_is_prefix = prefix;
    r.wildcard = wildcard;
    return r;
}

}  // namespace

TEST_CASE("VectorUserDatabase follows hostapd's eap_user matching rules") {
    VectorUserDatabase db({
        user("alice"),
        user("host/", false, /*prefix=*/true),
        user("alice", /*phase2=*/true),
        user("", false, false, /*wildcard=*/true),
        user("inner", true),
    });
    SUBCASE("exact identity") {
        const UserRecord* r = db.find("alice", false);
        REQUIRE(r != nullptr);
        CHECK(r->identity == "alice");
        CHECK_FALSE(r->phase2);
    }
    SUBCASE("prefix match") {
        const UserRecord* r = db.find("host/pc1.example.com", false);
        REQUIRE(r != nullptr);
        CHECK(r->identity == "host/");
        CHECK(r->identity_is_prefix);
    }
    SUBCASE("wildcard catches the rest in phase 1 only") {
        const UserRecord* r = db.find("mallory", false);
        REQUIRE(r != nullptr);
        CHECK(r->wildcard);
        CHECK(db.find("mallory", true) == nullptr);
    }
    SUBCASE("phase 2 records only in phase 2") {
        const UserRecord* r = db.find("alice", true);
        REQUIRE(r != nullptr);
        CHECK(r->phase2);
        CHECK(db.find("inner", true) != nullptr);
        CHECK(db.find("inner", false)->wildcard);
    }
    SUBCASE("first match in file order wins") {
        VectorUserDatabase db2({user("", false, false, true), user("alice")});
        CHECK(db2.find("alice", false)->wildcard);
    }
    SUBCASE("a prefix longer than the identity does not match") {
        VectorUserDatabase db2({user("host/", false, true)});
        CHECK(db2.find("host", false) == nullptr);
        CHECK(db2.find("host/", false) != nullptr);
    }
}

TEST_CASE("registry: MD5 is built in; tunnelled methods and outer identity") {
    const MethodRegistry& reg = MethodRegistry::builtin();
    CHECK(reg.has_peer(Type::kMd5Challenge));
    CHECK(reg.has_server(Type::kMd5Challenge));
    CHECK_FALSE(reg.is_tunnelled(Type::kMd5Challenge));
    CHECK(is_tunnelled(Type::kPeap));
    CHECK(is_tunnelled(Type::kTtls));
    CHECK_FALSE(is_tunnelled(Type::kTls));

    PeerCredentials creds;
    creds.identity = "alice@example.com";
    creds.anonymous_identity = "anonymous@example.com";
    creds.methods = {Type::kPeap, Type::kMd5Challenge};
    CHECK(outer_identity(creds, reg) == "anonymous@example.com");
    creds.methods = {Type::kMd5Challenge, Type::kPeap};
    CHECK(outer_identity(creds, reg) == "alice@example.com");
    creds.methods = {Type::kPeap};
    creds.anonymous_identity.clear();
    CHECK(outer_identity(creds, reg) == "alice@example.com");

    // Unknown (unregistered) methods drop out of the allowed list.
    creds.methods = {Type::kOtp, Type::kMd5Challenge, Type::kMd5Challenge};
    CHECK(allowed_peer_methods(creds, reg) == std::vector<Type>{Type::kMd5Challenge});
    creds.methods.clear();
    CHECK(allowed_peer_methods(creds, reg) == reg.peer_types());
}

TEST_CASE("registry factories decline what cannot run, and add() replaces") {
    PeerCredentials creds;  // no password
    PeerEnvironment penv;
    penv.credentials = &creds;
    CHECK(make_peer(Type::kMd5Challenge, penv) == nullptr);
    creds.password = SecretBytes(as_bytes("pw"));
    CHECK(make_peer(Type::kMd5Challenge, penv) != nullptr);
    CHECK(make_peer(Type::kOtp, penv) == nullptr);

    ServerEnvironment senv;
    CHECK(make_server(Type::kMd5Challenge, senv) == nullptr);  // no user

    MethodRegistry reg;
    CHECK(reg.peer_types().empty());
    reg.add({Type::kMd5Challenge, false, nullptr, nullptr});
    CHECK_FALSE(reg.has_peer(Type::kMd5Challenge));
    reg.add({Type::kMd5Challenge, true, nullptr, nullptr});
    CHECK(reg.entries().size() == 1);
    CHECK(reg.is_tunnelled(Type::kMd5Challenge));
}
