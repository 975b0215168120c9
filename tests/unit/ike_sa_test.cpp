// IKEv2 IKE_SA machines end to end in memory (RFC 7296): Lanyard initiator
// against Lanyard responder with PSK, CHILD_SAs, childless IKE_SAs
// (RFC 6023), INVALID_KE_PAYLOAD and COOKIE retries, fragmentation
// (RFC 7383), retransmission, DPD, rekeying, DELETE, NAT-T, virtual IPs,
// and the rule that unauthenticated input never changes an established SA.
#include <doctest/doctest.h>

#include "tests/unit/ike_sa_pair.h"

using namespace lanyard;
using namespace lanyard::ike;
using namespace lanyard::ike::testing;

namespace {

SharedSecret secret(const std::string& a, const std::string& b, const std::string& key) {
    return SharedSecret{{parse_identity(a).value(), parse_identity(b).value()}, SecretBytes(as_bytes(key))};
}

// Both sides configured for moon (responder) and carol (initiator).
struct Psk {
    Pair pair;
    std::shared_ptr<PeerConfig> carol;
    std::shared_ptr<PeerConfig> moon;

    explicit Psk(ManagerOptions ro = {}, std::string ike_i = "aes128-sha256-x25519",
                 std::string ike_r = "aes128-sha256-x25519", std::string key_r = "s3cr3t-psk")
        : pair(ro) {
        carol = psk_config("home", "carol@example.org", "moon.example.org", ike_i);
        moon = psk_config("rw", "moon.example.org", "%any", ike_r);
        pair.i.store.add_connection(carol);
        pair.r.store.add_connection(moon);
        pair.i.store.add_secret(secret("carol@example.org", "moon.example.org", "s3cr3t-psk"));
        pair.r.store.add_secret(secret("carol@example.org", "moon.example.org", key_r));
    }
};

const NotifyPayload* first_notify(ByteView datagram) {
    static Message m;
    auto parsed = parse_message(datagram);
    if (!parsed) return nullptr;
    m = std::move(*parsed);
    for (const auto& p : m.payloads)
        if (const NotifyPayload* n = p.get<NotifyPayload>()) return n;
    return nullptr;
}

}  // namespace

TEST_CASE("PSK IKE_SA with a CHILD_SA: both sides agree on SPIs, keys and selectors") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(i != nullptr);
    REQUIRE(r != nullptr);
    CHECK(i->state() == IkeSaState::kEstablished);
    CHECK(r->state() == IkeSaState::kEstablished);
    CHECK(r->config()->name == "rw");
    CHECK(r->peer_id().to_string() == "carol@example.org");
    CHECK(i->peer_id().to_string() == "moon.example.org");
    REQUIRE(i->children().size() == 1);
    REQUIRE(r->children().size() == 1);
    const ChildSa& ci = i->children()[0];
    const ChildSa& cr = r->children()[0];
    CHECK(ci.spi_out == cr.spi_in);
    CHECK(ci.spi_in == cr.spi_out);
    CHECK(equal_bytes(ci.keys.encr_i.view(), cr.keys.encr_i.view()));
    CHECK(equal_bytes(ci.keys.encr_r.view(), cr.keys.encr_r.view()));
    CHECK_FALSE(ci.keys.encr_i.empty());
    REQUIRE(cr.ts_remote.size() == 1);
    CHECK(ts_to_string(cr.ts_remote[0]) == "192.0.2.1/32");
    CHECK(ts_to_string(cr.ts_local[0]) == "192.0.2.2/32");
    CHECK(t.pair.r.installer.installed_count() == 1);
    CHECK(t.pair.i.installer.installed_count() == 1);
    CHECK(i->my_next_message_id() == 2);
    CHECK(r->peer_next_message_id() == 2);
}

TEST_CASE("childless IKE_SA (RFC 6023): no CHILD_SA, nothing installed") {
    Psk t;
    t.pair.initiate(t.carol, std::nullopt);
    t.pair.pump();
    REQUIRE(t.pair.only(t.pair.r) != nullptr);
    CHECK(t.pair.only(t.pair.r)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.r)->children().empty());
    CHECK(t.pair.r.installer.installed_count() == 0);
}

TEST_CASE("INVALID_KE_PAYLOAD: the initiator retries with the group the responder asks for") {
    Psk t({}, "aes128-sha256-x25519-ecp256", "aes128-sha256-ecp256");
    int invalid_ke = 0;
    t.pair.tap = [&](bool from_i, OutgoingDatagram& d) {
        const NotifyPayload* n = first_notify(d.data);
        if (!from_i && n && n->is(NotifyType::kInvalidKePayload)) ++invalid_ke;
        return true;
    };
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    CHECK(invalid_ke == 1);
    REQUIRE(t.pair.only(t.pair.i) != nullptr);
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.i)->suite().dh == crypto::DhGroup::kEcp256);
}

TEST_CASE("COOKIE (§2.6): under load the responder answers statelessly and accepts the cookie retry") {
    ManagerOptions o;
    o.cookie_threshold = 0;
    Psk t(o);
    t.pair.initiate(t.carol, "home-child");
    // After the first datagram the responder must hold no state.
    auto first = t.pair.i.manager.take_output();
    REQUIRE(first.size() == 1);
    IkePath in{first[0].path.remote, first[0].path.local, false};
    t.pair.r.manager.handle_datagram(first[0].data, in);
    CHECK(t.pair.r.manager.count() == 0);
    CHECK(t.pair.r.manager.stats().cookies_sent == 1);
    t.pair.pump();
    REQUIRE(t.pair.only(t.pair.r) != nullptr);
    CHECK(t.pair.only(t.pair.r)->state() == IkeSaState::kEstablished);
}

TEST_CASE("a forged COOKIE is answered with a fresh COOKIE request, not state") {
    ManagerOptions o;
    o.cookie_threshold = 0;
    Psk t(o);
    t.pair.initiate(t.carol, "home-child");
    auto first = t.pair.i.manager.take_output();
    REQUIRE(first.size() == 1);
    auto msg = parse_message(first[0].data).value();
    msg.payloads.insert(msg.payloads.begin(), make_payload(NotifyPayload{ProtocolId::kNone, static_cast<uint16_t>(NotifyType::kCookie), {}, Bytes(36, 0x55)}));
    auto forged = build_message(msg.header, msg.payloads).value();
    t.pair.r.manager.handle_datagram(forged, IkePath{first[0].path.remote, first[0].path.local, false});
    CHECK(t.pair.r.manager.count() == 0);
    CHECK(t.pair.r.manager.stats().cookies_sent == 1);
}

TEST_CASE("fragmentation (RFC 7383): small fragment size splits IKE_AUTH both ways") {
    Psk t;
    t.carol->fragment_size = 200;
    t.moon->fragment_size = 200;
    size_t biggest = 0;
    t.pair.tap = [&](bool, OutgoingDatagram& d) {
        auto m = parse_message(d.data);
        if (m && m->header.exchange != ExchangeType::kIkeSaInit) biggest = std::max(biggest, d.data.size());
        return true;
    };
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    REQUIRE(t.pair.only(t.pair.r) != nullptr);
    CHECK(t.pair.only(t.pair.r)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.i)->stats().fragments_sent > 1);
    CHECK(t.pair.only(t.pair.r)->stats().fragments_sent > 1);
    CHECK(biggest <= 200 - 28);
    CHECK(t.pair.only(t.pair.r)->children().size() == 1);
}

TEST_CASE("fragmentation = no on the responder: no fragments even with a small size") {
    Psk t;
    t.carol->fragment_size = 300;
    t.moon->fragmentation = FragmentationPolicy::kNo;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    REQUIRE(t.pair.only(t.pair.i) != nullptr);
    CHECK(t.pair.only(t.pair.i)->stats().fragments_sent == 0);
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kEstablished);
}

TEST_CASE("wrong PSK: the responder answers AUTHENTICATION_FAILED and both SAs go away") {
    Psk t({}, "aes128-sha256-x25519", "aes128-sha256-x25519", "other-key");
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    CHECK(t.pair.r.manager.count() == 0);
    CHECK(t.pair.i.manager.count() == 0);
    CHECK(t.pair.r.installer.installed_count() == 0);
}

TEST_CASE("unknown initiator identity: no connection matches") {
    Psk t;
    auto other = psk_config("home", "dave@example.org", "moon.example.org");
    Pair& p = t.pair;
    p.i.store.add_secret(secret("dave@example.org", "moon.example.org", "x"));
    t.moon->remote[0].id = parse_identity("carol@example.org").value();
    p.initiate(other, "home-child");
    p.pump();
    CHECK(p.r.manager.count() == 0);
    CHECK(p.i.manager.count() == 0);
}

TEST_CASE("lost IKE_AUTH response: the initiator retransmits, the responder resends its cached answer") {
    Psk t;
    int dropped = 0;
    t.pair.tap = [&](bool from_i, OutgoingDatagram& d) {
        auto m = parse_message(d.data);
        if (!from_i && m && m->header.exchange == ExchangeType::kIkeAuth && dropped == 0) {
            ++dropped;
            return false;
        }
        return true;
    };
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kAuthenticating);
    CHECK(t.pair.only(t.pair.r)->state() == IkeSaState::kEstablished);
    t.pair.advance(Duration(4000));
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.i)->stats().retransmitted_requests == 1);
    CHECK(t.pair.only(t.pair.r)->stats().retransmitted_responses == 1);
    CHECK(t.pair.r.installer.installed_count() == 1);  // not installed twice
}

TEST_CASE("an unanswered initiator gives up after 5 retransmits (about 165 s)") {
    Psk t;
    t.pair.tap = [](bool from_i, OutgoingDatagram&) { return !from_i; };
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    int sent = 0;
    for (int s = 0; s < 200 && t.pair.i.manager.count() > 0; ++s) {
        t.pair.clock().advance(Duration(1000));
        t.pair.i.manager.on_timer();
        sent += static_cast<int>(t.pair.i.manager.take_output().size());
    }
    CHECK(sent == 5);
    CHECK(t.pair.i.manager.count() == 0);
}

TEST_CASE("DPD: an empty INFORMATIONAL is answered; message IDs move on") {
    Psk t;
    t.moon->dpd_delay = Duration(10000);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    t.pair.i.manager.with_sa(i, [](IkeSa& sa) { sa.send_dpd(); });
    t.pair.pump();
    CHECK(i->my_next_message_id() == 3);
    CHECK(r->peer_next_message_id() == 3);
    CHECK(i->state() == IkeSaState::kEstablished);
    // The responder side starts DPD on its own after dpd_delay of silence.
    t.pair.advance(Duration(11000));
    CHECK(r->my_next_message_id() == 1);
    CHECK(i->peer_next_message_id() == 1);
}

TEST_CASE("CHILD_SA rekey (§1.3.3): a new pair replaces the old, which the initiator deletes") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    const uint32_t old_in = i->children()[0].spi_in;
    t.pair.i.manager.with_sa(i, [&](IkeSa& sa) { CHECK(sa.rekey_child(old_in).ok()); });
    t.pair.pump();
    REQUIRE(i->children().size() == 1);
    REQUIRE(r->children().size() == 1);
    CHECK(i->children()[0].spi_in != old_in);
    CHECK(i->children()[0].spi_out == r->children()[0].spi_in);
    CHECK(t.pair.r.installer.installed_count() == 1);
    CHECK(t.pair.r.installer.events().size() == 3);  // install, install, remove
}

TEST_CASE("CHILD_SA rekey with PFS: KE in CREATE_CHILD_SA") {
    Psk t;
    t.carol->children[0].esp_proposals = parse_proposal_string("aes128-sha256-ecp256", ProtocolId::kEsp).value();
    t.moon->children[0].esp_proposals = parse_proposal_string("aes128-sha256-ecp256", ProtocolId::kEsp).value();
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(i->children().size() == 1);
    const uint32_t old_in = i->children()[0].spi_in;
    t.pair.i.manager.with_sa(i, [&](IkeSa& sa) { CHECK(sa.rekey_child(old_in).ok()); });
    t.pair.pump();
    REQUIRE(r->children().size() == 1);
    CHECK(equal_bytes(i->children()[0].keys.encr_i.view(), r->children()[0].keys.encr_i.view()));
    CHECK(i->children()[0].spi_in != old_in);
}

TEST_CASE("IKE_SA rekey (§2.18): a successor with new SPIs takes the CHILD_SAs, the old IKE_SA is deleted") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    const uint64_t old_spi = i->spi_i();
    t.pair.i.manager.with_sa(i, [&](IkeSa& sa) { CHECK(sa.rekey_ike().ok()); });
    t.pair.pump();
    IkeSa* ni = t.pair.only(t.pair.i);
    IkeSa* nr = t.pair.only(t.pair.r);
    REQUIRE(ni != nullptr);
    REQUIRE(nr != nullptr);
    CHECK(ni->spi_i() != old_spi);
    CHECK(ni->state() == IkeSaState::kEstablished);
    CHECK(nr->state() == IkeSaState::kEstablished);
    CHECK(ni->children().size() == 1);
    CHECK(nr->children().size() == 1);
    CHECK(t.pair.r.installer.installed_count() == 1);
    // The new IKE_SA works: DPD with Message ID 0.
    t.pair.i.manager.with_sa(ni, [](IkeSa& sa) { sa.send_dpd(); });
    t.pair.pump();
    CHECK(ni->my_next_message_id() == 1);
    CHECK(nr->peer_next_message_id() == 1);
}

TEST_CASE("DELETE of the IKE_SA removes it and its CHILD_SAs on both sides") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    t.pair.i.manager.with_sa(t.pair.only(t.pair.i), [](IkeSa& sa) { sa.delete_ike(); });
    t.pair.pump();
    CHECK(t.pair.i.manager.count() == 0);
    CHECK(t.pair.r.manager.count() == 0);
    CHECK(t.pair.r.installer.installed_count() == 0);
}

TEST_CASE("DELETE of a CHILD_SA: the responder deletes its half and answers with its SPI") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    const uint32_t spi = i->children()[0].spi_in;
    t.pair.i.manager.with_sa(i, [&](IkeSa& sa) { CHECK(sa.delete_child(spi).ok()); });
    t.pair.pump();
    CHECK(i->children().empty());
    CHECK(t.pair.only(t.pair.r)->children().empty());
    CHECK(t.pair.only(t.pair.r)->state() == IkeSaState::kEstablished);
}

TEST_CASE("encap=yes fakes a NAT: IKE_AUTH moves to port 4500 with the non-ESP marker") {
    Psk t;
    t.carol->encap = true;
    std::vector<IkePath> paths;
    t.pair.tap = [&](bool from_i, OutgoingDatagram& d) {
        if (from_i) paths.push_back(d.path);
        return true;
    };
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    REQUIRE(paths.size() >= 2);
    CHECK(paths[0].remote.port() == 500);
    CHECK_FALSE(paths[0].non_esp_marker);
    CHECK(paths[1].remote.port() == 4500);
    CHECK(paths[1].local.port() == 4500);
    CHECK(paths[1].non_esp_marker);
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(r != nullptr);
    CHECK(r->state() == IkeSaState::kEstablished);
    CHECK(r->nat_detected());
    CHECK(r->path().remote.port() == 4500);  // the responder follows (§2.23)
    CHECK(r->path().non_esp_marker);
}

TEST_CASE("virtual IP from a pool (§2.19): INTERNAL_IP4_ADDRESS, TSi narrowed to it") {
    Psk t;
    t.carol->vips = {"0.0.0.0"};
    t.moon->pools = {"p"};
    AddressPool pool = parse_pool_addrs("p", "10.3.0.0/28").value();
    pool.dns.push_back(Bytes{10, 3, 0, 53});
    t.pair.r.store.add_pool(pool);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    REQUIRE(i != nullptr);
    REQUIRE(i->virtual_ip().has_value());
    CHECK(*i->virtual_ip() == Bytes{10, 3, 0, 1});
    REQUIRE(i->children().size() == 1);
    CHECK(ts_to_string(i->children()[0].ts_local[0]) == "10.3.0.1/32");
    CHECK(t.pair.r.store.leases_in_use() == 1);
    t.pair.i.manager.with_sa(i, [](IkeSa& sa) { sa.delete_ike(); });
    t.pair.pump();
    CHECK(t.pair.r.store.leases_in_use() == 0);
}

TEST_CASE("TS_UNACCEPTABLE: the IKE_SA comes up without the CHILD_SA") {
    Psk t;
    t.carol->children[0].remote_ts = parse_ts_list("10.9.0.0/16").value();
    t.moon->children[0].local_ts = parse_ts_list("10.1.0.0/16").value();
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    REQUIRE(t.pair.only(t.pair.i) != nullptr);
    CHECK(t.pair.only(t.pair.i)->state() == IkeSaState::kEstablished);
    CHECK(t.pair.only(t.pair.i)->children().empty());
    CHECK(t.pair.only(t.pair.r)->children().empty());
}

TEST_CASE("unauthenticated input never changes an established SA") {
    Psk t;
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(r != nullptr);
    // Capture a genuine DPD request, then replay mutated copies.
    Bytes dpd;
    t.pair.tap = [&](bool from_i, OutgoingDatagram& d) {
        if (from_i && dpd.empty()) dpd = d.data;
        return false;
    };
    t.pair.i.manager.with_sa(t.pair.only(t.pair.i), [](IkeSa& sa) { sa.send_dpd(); });
    t.pair.pump();
    REQUIRE(!dpd.empty());
    const uint32_t mid = r->peer_next_message_id();
    const IkePath path = r->path();
    FakeRandom noise(99);
    for (size_t k = 0; k < dpd.size(); ++k) {
        Bytes bad = dpd;
        bad[k] ^= static_cast<uint8_t>(1 + noise.u8() % 255);
        IkePath from{path.local, SocketAddress::parse("203.0.113.9", 777).value(), true};
        t.pair.r.manager.handle_datagram(bad, from);
        (void)t.pair.r.manager.take_output();
    }
    // A DELETE for the IKE_SA sealed with garbage keys.
    REQUIRE(t.pair.only(t.pair.r) == r);
    CHECK(r->state() == IkeSaState::kEstablished);
    CHECK(r->peer_next_message_id() == mid);
    CHECK(r->path().remote == path.remote);
    CHECK(r->children().size() == 1);
    // The genuine message still works afterwards.
    t.pair.r.manager.handle_datagram(dpd, IkePath{path.local, path.remote, path.non_esp_marker});
    CHECK(r->peer_next_message_id() == mid + 1);
}

TEST_CASE("ConfigStore: address and identity selection, exact before wildcard before %any") {
    ConfigStore s;
    auto any = psk_config("any", "moon", "%any");
    auto wild = psk_config("wild", "moon", "*@example.org");
    auto exact = psk_config("exact", "moon", "carol@example.org");
    auto other_addr = psk_config("other", "moon", "carol@example.org");
    other_addr->remote_addrs = {"198.51.100.1"};
    for (auto c : {any, wild, exact, other_addr}) s.add_connection(c);
    auto l = SocketAddress::parse("192.0.2.2", 500).value();
    auto r = SocketAddress::parse("192.0.2.1", 500).value();
    CHECK(s.match_addresses(l, r).size() == 3);
    CHECK(s.match_identities(l, r, parse_identity("carol@example.org").value(), nullptr)->name == "exact");
    CHECK(s.match_identities(l, r, parse_identity("dave@example.org").value(), nullptr)->name == "wild");
    CHECK(s.match_identities(l, r, parse_identity("10.0.0.1").value(), nullptr)->name == "any");
    auto r2 = SocketAddress::parse("198.51.100.1", 500).value();
    CHECK(s.match_identities(l, r2, parse_identity("carol@example.org").value(), nullptr)->name == "other");
}

TEST_CASE("identities parse like strongSwan's") {
    CHECK(parse_identity("@moon.example.org")->type == IdType::kFqdn);
    CHECK(parse_identity("@moon.example.org")->to_string() == "moon.example.org");
    CHECK(parse_identity("carol@example.org")->type == IdType::kRfc822Addr);
    CHECK(parse_identity("10.1.2.3")->type == IdType::kIpv4Addr);
    CHECK(parse_identity("10.1.2.3")->data == Bytes{10, 1, 2, 3});
    CHECK(parse_identity("fec0::1")->type == IdType::kIpv6Addr);
    CHECK(parse_identity("%any")->any);
    auto dn = parse_identity("C=CH, O=Lanyard test, CN=moon");
    REQUIRE(dn.ok());
    CHECK(dn->type == IdType::kDerAsn1Dn);
    CHECK(dn->to_string() == "C=CH, O=Lanyard test, CN=moon");
    CHECK(match_identity(*dn, parse_identity("C=CH,O=Lanyard test,CN=moon").value()) == 3);
    CHECK_FALSE(parse_identity("C=CH, XYZZY=1").ok());
}

TEST_CASE("traffic selectors: parsing, narrowing (§2.9), dynamic") {
    auto l = parse_ts_list("10.1.0.0/16, 192.0.2.7[tcp/80]").value();
    REQUIRE(l.size() == 2);
    CHECK(ts_to_string(l[0].ts) == "10.1.0.0/16");
    CHECK(l[1].ts.ip_protocol == 6);
    CHECK(l[1].ts.start_port == 80);
    auto wide = parse_ts_list("0.0.0.0/0").value()[0].ts;
    auto narrow = narrow_ts({wide}, {l[0].ts});
    REQUIRE(narrow.size() == 1);
    CHECK(ts_to_string(narrow[0]) == "10.1.0.0/16");
    CHECK(narrow_ts({l[0].ts}, {parse_ts_list("10.2.0.0/16").value()[0].ts}).empty());
    CHECK_FALSE(parse_ts_list("10.1.0.0/33").ok());
    CHECK_FALSE(parse_ts_list("10.1.0.0[xyz]").ok());
    CHECK_FALSE(parse_ts_list("").ok());
    auto dyn = resolve_ts(parse_ts_list("dynamic").value(), Bytes{192, 0, 2, 9});
    CHECK(ts_to_string(dyn[0]) == "192.0.2.9/32");
}

TEST_CASE("PSK AUTH value follows §2.15 (prf(prf(secret, \"Key Pad for IKEv2\"), octets))") {
    auto v = psk_auth_value(crypto::HashAlg::kSha256, as_bytes("secret"), as_bytes("octets")).value();
    CHECK(v.size() == 32);
    auto v2 = psk_auth_value(crypto::HashAlg::kSha256, as_bytes("secreT"), as_bytes("octets")).value();
    CHECK(v != v2);
}

// ---- rekeying and expiry on our own schedule (rekey_time, life_time) ----

TEST_CASE("rekey_time: the responder rekeys its CHILD_SA by itself, within rand_time before rekey_time") {
    Psk t;
    t.moon->children[0].rekey_time = Duration(60000);
    t.moon->children[0].rand_time = Duration(10000);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(r->children().size() == 1);
    const uint32_t first = r->children()[0].spi_in;
    REQUIRE(r->children()[0].rekey_at.has_value());
    t.pair.advance(Duration(49000));  // before rekey_time - rand_time: nothing
    CHECK(r->children()[0].spi_in == first);
    t.pair.advance(Duration(11001));  // past rekey_time
    REQUIRE(r->children().size() == 1);
    REQUIRE(i->children().size() == 1);
    CHECK(r->children()[0].spi_in != first);
    CHECK(i->children()[0].spi_out == r->children()[0].spi_in);
    CHECK(r->children()[0].rekey_at.has_value());  // the new SA has its own schedule
    CHECK(t.pair.i.installer.installed_count() == 1);
}

TEST_CASE("life_time without a rekey: the CHILD_SA is deleted on both sides, the IKE_SA stays") {
    Psk t;
    t.carol->children[0].rekey_time = Duration(0);
    t.carol->children[0].life_time = Duration(30000);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(i->children().size() == 1);
    CHECK_FALSE(i->children()[0].rekey_at.has_value());
    t.pair.advance(Duration(29000));
    CHECK(i->children().size() == 1);
    t.pair.advance(Duration(2000));
    CHECK(i->children().empty());
    CHECK(r->children().empty());
    CHECK(i->state() == IkeSaState::kEstablished);
    CHECK(r->state() == IkeSaState::kEstablished);
}

TEST_CASE("rekey_time of the connection: the IKE_SA is rekeyed (§2.18) and the successor schedules its own") {
    Psk t;
    t.carol->rekey_time = Duration(120000);
    t.carol->rand_time = Duration(0);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    const uint64_t old_spi = t.pair.only(t.pair.i)->spi_i();
    t.pair.advance(Duration(119000));
    CHECK(t.pair.only(t.pair.i)->spi_i() == old_spi);
    t.pair.advance(Duration(2000));
    IkeSa* ni = t.pair.only(t.pair.i);
    IkeSa* nr = t.pair.only(t.pair.r);
    REQUIRE(ni != nullptr);
    REQUIRE(nr != nullptr);
    CHECK(ni->spi_i() != old_spi);
    CHECK(ni->state() == IkeSaState::kEstablished);
    CHECK(ni->children().size() == 1);
    // The successor rekeys again one rekey_time later.
    const uint64_t second = ni->spi_i();
    t.pair.advance(Duration(121000));
    REQUIRE(t.pair.only(t.pair.i) != nullptr);
    CHECK(t.pair.only(t.pair.i)->spi_i() != second);
}

TEST_CASE("rekey_time = 0: no CHILD_SA or IKE_SA rekey is scheduled") {
    Psk t;
    t.carol->rekey_time = Duration(0);
    t.moon->rekey_time = Duration(0);
    for (auto* c : {&t.carol->children[0], &t.moon->children[0]}) {
        c->rekey_time = Duration(0);
        c->life_time = Duration(0);
    }
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    IkeSa* i = t.pair.only(t.pair.i);
    REQUIRE(i != nullptr);
    CHECK_FALSE(i->next_deadline().has_value());
}

// ---- INITIAL_CONTACT (RFC 7296 §2.4) ----

TEST_CASE("INITIAL_CONTACT: sent only with no other IKE_SA of the connection; the peer's rebooted SA replaces its old one") {
    Psk t;
    const uint32_t a = t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    // A second SA beside the first carries no INITIAL_CONTACT (IKE_AUTH is
    // encrypted, so the proof is that the responder keeps both).
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    CHECK(t.pair.r.manager.count() == 2);
    CHECK(t.pair.r.installer.installed_count() == 2);
    // The initiator "reboots": it forgets both SAs without a word, then
    // comes back with INITIAL_CONTACT. The responder keeps only the new one.
    for (IkeSa* sa : t.pair.i.manager.all()) t.pair.i.manager.with_sa(sa, [](IkeSa& s) { s.abandon("reboot"); });
    CHECK(t.pair.i.manager.count() == 0);
    const uint32_t b = t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    REQUIRE(t.pair.r.manager.count() == 1);
    IkeSa* r = t.pair.only(t.pair.r);
    CHECK(r->state() == IkeSaState::kEstablished);
    CHECK(r->peer_id().to_string() == "carol@example.org");
    CHECK(t.pair.r.installer.installed_count() == 1);  // the old CHILD_SAs are gone from the kernel
    CHECK(t.pair.only(t.pair.i)->unique_id() == b);
    CHECK(a != b);
}

TEST_CASE("a CHILD_SA rekey that comes due during an IKE_SA rekey is done by the successor") {
    Psk t;
    t.moon->rekey_time = Duration(60000);
    t.moon->rand_time = Duration(0);
    t.moon->children[0].rekey_time = Duration(60000);
    t.moon->children[0].rand_time = Duration(0);
    t.pair.initiate(t.carol, "home-child");
    t.pair.pump();
    const uint32_t first = t.pair.only(t.pair.r)->children()[0].spi_in;
    // Both are due at the same tick: the IKE_SA rekey and the CHILD_SA's.
    t.pair.advance(Duration(60500));
    t.pair.advance(Duration(1000));
    IkeSa* r = t.pair.only(t.pair.r);
    REQUIRE(r != nullptr);
    REQUIRE(r->children().size() == 1);
    CHECK(r->children()[0].spi_in != first);
    CHECK(r->children()[0].rekey_at.has_value());
    // Long after the old life time the CHILD_SA is still there.
    t.pair.advance(Duration(5000));
    REQUIRE(t.pair.only(t.pair.r) != nullptr);
    CHECK(t.pair.only(t.pair.r)->children().size() == 1);
}
