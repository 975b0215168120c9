// MS-CHAP-V2 algorithms against RFC 2759 §9.2 and RFC 3079 §3.5 vectors.
#include <doctest/doctest.h>

#include "common/hex.h"
#include "crypto/legacy.h"
#include "methods/mschapv2.h"

using namespace lanyard;
using namespace lanyard::eap;

namespace {

Bytes hx(std::string_view s) { return from_hex(s).value(); }
std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    return s;
}

// RFC 2759 §9.2.
const Bytes kAuthChallenge = hx("5B5D7C7D7B3F2F3E3C2C602132262628");
const Bytes kPeerChallenge = hx("21402324255E262A28295F2B3A337C7E");
constexpr std::string_view kUser = "User";
constexpr std::string_view kPassword = "clientPass";

}  // namespace

TEST_CASE("RFC 2759 §9.2: NtPasswordHash, HashNtPasswordHash, ChallengeHash") {
    REQUIRE_MESSAGE(crypto::legacy_available(), "OpenSSL legacy provider not available: MD4/DES need it");
    auto hash = mschapv2::nt_password_hash(as_bytes(kPassword));
    REQUIRE(hash.ok());
    CHECK(to_hex(hash->view()) == lower("44EBBA8D5312B8D611474411F56989AE"));
    auto hash_hash = mschapv2::hash_nt_password_hash(hash->view());
    REQUIRE(hash_hash.ok());
    CHECK(to_hex(hash_hash->view()) == lower("41C00C584BD2D91C4017A2A12FA59F3F"));
    CHECK(to_hex(mschapv2::challenge_hash(kPeerChallenge, kAuthChallenge, kUser)) == lower("D02E4386BCE91226"));
}

TEST_CASE("RFC 2759 §9.2: GenerateNTResponse and GenerateAuthenticatorResponse") {
    auto hash = mschapv2::nt_password_hash(as_bytes(kPassword));
    REQUIRE(hash.ok());
    auto nt = mschapv2::generate_nt_response(kAuthChallenge, kPeerChallenge, kUser, hash->view());
    REQUIRE(nt.ok());
    CHECK(to_hex(*nt) == lower("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF"));
    auto auth = mschapv2::generate_authenticator_response(hash->view(), *nt, kPeerChallenge, kAuthChallenge, kUser);
    REQUIRE(auth.ok());
    CHECK(mschapv2::format_authenticator_response(*auth) == "S=407A5589115FD0D6209F510FE9C04566932CDA56");
    CHECK(mschapv2::check_authenticator_response(*auth, hx("407A5589115FD0D6209F510FE9C04566932CDA56")));
    Bytes forged = hx("407A5589115FD0D6209F510FE9C04566932CDA57");
    CHECK_FALSE(mschapv2::check_authenticator_response(forged, *auth));
    CHECK_FALSE(mschapv2::check_authenticator_response(ByteView(forged).first(19), ByteView(*auth).first(19)));
}

TEST_CASE("An NT hash given directly (password=hash:...) is used as the PasswordHash") {
    SecretBytes nt(hx("44EBBA8D5312B8D611474411F56989AE"));
    auto h = mschapv2::password_hash_for(nt, true);
    REQUIRE(h.ok());
    CHECK(to_hex(h->view()) == lower("44EBBA8D5312B8D611474411F56989AE"));
    auto plain = mschapv2::password_hash_for(SecretBytes(as_bytes(kPassword)), false);
    REQUIRE(plain.ok());
    CHECK(equal_bytes(plain->view(), h->view()));
    CHECK_FALSE(mschapv2::password_hash_for(SecretBytes(hx("0102")), true).ok());
}

TEST_CASE("NtPasswordHash encodes UTF-8 as UTF-16LE and refuses invalid or overlong passwords") {
    // "é" (U+00E9) is E9 00 in UTF-16LE: MD4(E9 00).
    auto e = mschapv2::nt_password_hash(hx("C3A9"));
    REQUIRE(e.ok());
    auto md4 = crypto::md4(hx("E900"));
    REQUIRE(md4.ok());
    CHECK(to_hex(e->view()) == to_hex(*md4));
    // U+1F600 is a surrogate pair D83D DE00.
    auto smile = mschapv2::nt_password_hash(hx("F09F9880"));
    REQUIRE(smile.ok());
    CHECK(to_hex(smile->view()) == to_hex(crypto::md4(hx("3DD800DE")).value()));
    CHECK_FALSE(mschapv2::nt_password_hash(hx("C3")).ok());        // truncated sequence
    CHECK_FALSE(mschapv2::nt_password_hash(hx("C0AF")).ok());      // overlong '/'
    CHECK_FALSE(mschapv2::nt_password_hash(hx("EDA080")).ok());    // UTF-16 surrogate in UTF-8
    CHECK_FALSE(mschapv2::nt_password_hash(hx("FF")).ok());
    CHECK(mschapv2::nt_password_hash(Bytes(256, 'a')).ok());
    CHECK(mschapv2::nt_password_hash(Bytes(257, 'a')).error().code == ErrorCode::kConfig);
    // The empty password is valid: MD4 of nothing.
    CHECK(to_hex(mschapv2::nt_password_hash({}).value().view()) == "31d6cfe0d16ae931b73c59d7e0c089c0");
}

TEST_CASE("RFC 3079 §3.5: MasterKey and the 128-bit start keys") {
    auto hash = mschapv2::nt_password_hash(as_bytes(kPassword));
    auto hash_hash = mschapv2::hash_nt_password_hash(hash->view());
    const Bytes nt = hx("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF");
    SecretBytes master = mschapv2::get_master_key(hash_hash->view(), nt);
    CHECK(to_hex(master.view()) == lower("FDECE3717A8C838CB388E527AE3CDD31"));
    // RFC 3079 §3.5.3 SendStartKey128 is the key derived with Magic3: the
    // server's send key = the client's receive key.
    SecretBytes server_send = mschapv2::get_asymmetric_start_key(master.view(), 16, true, true);
    SecretBytes client_recv = mschapv2::get_asymmetric_start_key(master.view(), 16, false, false);
    CHECK(to_hex(server_send.view()) == lower("8B7CDC149B993A1BA118CB153F56DCCB"));
    CHECK(equal_bytes(server_send.view(), client_recv.view()));
    SecretBytes client_send = mschapv2::get_asymmetric_start_key(master.view(), 16, true, false);
    SecretBytes server_recv = mschapv2::get_asymmetric_start_key(master.view(), 16, false, true);
    CHECK(equal_bytes(client_send.view(), server_recv.view()));
    CHECK_FALSE(equal_bytes(client_send.view(), client_recv.view()));

    // MSK = client send | client receive | 32 zeros (= server receive | server send).
    SecretBytes msk = mschapv2::derive_msk(master.view());
    REQUIRE(msk.size() == 64);
    CHECK(equal_bytes(msk.first(16), client_send.view()));
    CHECK(equal_bytes(msk.subspan(16, 16), client_recv.view()));
    CHECK(equal_bytes(msk.subspan(32, 32), Bytes(32, 0)));
    SecretBytes isk = mschapv2::derive_isk(master.view());
    CHECK(equal_bytes(isk.view(), msk.first(32)));
}

TEST_CASE("strip_domain drops a DOMAIN\\ prefix only") {
    CHECK(mschapv2::strip_domain("DOMAIN\\user") == "user");
    CHECK(mschapv2::strip_domain("user@realm") == "user@realm");
    CHECK(mschapv2::strip_domain("user") == "user");
    CHECK(mschapv2::strip_domain("a\\b\\c") == "b\\c");
}
