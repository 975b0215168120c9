// Wi-Fi in-process: lanyard-supplicant's WifiSession on one end of the
// memory driver pair (with key emulation), lanyard-authenticator's
// Authenticator + WifiAccessPoint on the other, a fake association link in
// between, one EventLoop on a FakeClock. EAP-TLS then the 4-way handshake;
// the port stays closed until the 4-way handshake completes; PMKSA caching
// skips EAP on re-association; group rekey; RSN mismatch and a method
// without an MSK are refused.
#include <doctest/doctest.h>

#include <algorithm>

#include "authenticator/authenticator.h"
#include "authenticator/hostapd_config.h"
#include "authenticator/wifi_access_point.h"
#include "common/event_loop.h"
#include "common/random.h"
#include "drivers/memory/memory_driver.h"
#include "supplicant/wifi_link.h"
#include "supplicant/wifi_session.h"
#include "supplicant/wifi_status.h"
#include "supplicant/wpa_config.h"
#include "test_support.h"

using namespace lanyard;
using namespace lanyard::supplicant;
using lanyard::authenticator::Authenticator;
using lanyard::authenticator::AuthenticatorSettings;
using lanyard::authenticator::WifiAccessPoint;
using lanyard::authenticator::WifiApDriverHooks;
using lanyard::authenticator::WifiApPolicy;

namespace {

constexpr uint8_t kEapolKey = 3;

class RecordingEvents final : public SupplicantEvents {
public:
    void emit(const std::string& text) override { events.push_back(text); }
    size_t count(const std::string& prefix) const {
        return static_cast<size_t>(std::count_if(events.begin(), events.end(),
                                                 [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }));
    }
    std::vector<std::string> events;
};

// Association through the "air": the AP side registers the station (as the
// nl80211 AP driver does on association) and hears of it; the station's
// listener hears of the BSS. Deauthentication goes the other way.
class FakeLink final : public WifiLink {
public:
    FakeLink(EventLoop& loop, MemoryDriver& ap_driver, MemoryDriver& sta_driver, Bytes beacon_rsne)
        : loop_(loop), ap_driver_(ap_driver), sta_driver_(sta_driver), beacon_rsne_(std::move(beacon_rsne)) {}

    void set_link_listener(WifiLinkListener* listener) override { listener_ = listener; }
    Status associate(const WifiConnectRequest& request) override {
        last_request = request;
        ++associations;
        loop_.add_timer(Duration(0), [this] {
            associated = true;
            (void)ap_driver_.set_port_state(sta_driver_.own_address(), PortState::kUnauthorized);
            if (ap != nullptr) ap->on_station_arrived(sta_driver_.own_address());
            ScanBss bss;
            bss.bssid = ap_driver_.own_address();
            bss.frequency_mhz = 2412;
            bss.ssid = last_request.ssid;
            bss.rsn_element = beacon_rsne_;
            if (listener_ != nullptr) listener_->on_associated(bss);
        });
        return ok_status();
    }
    Status disassociate(uint16_t reason) override {
        ++disassociations;
        if (!associated) return ok_status();
        associated = false;
        ap_driver_.forget_station(sta_driver_.own_address());
        if (listener_ != nullptr) listener_->on_link_lost(reason, false);
        return ok_status();
    }
    std::optional<uint32_t> frequency_of(const MacAddress&) const override { return 2412; }
    // The AP's deauthentication.
    void deauthenticate(uint16_t reason) {
        deauth_reasons.push_back(reason);
        if (!associated) return;
        associated = false;
        ap_driver_.forget_station(sta_driver_.own_address());
        if (listener_ != nullptr) listener_->on_link_lost(reason, true);
    }

    WifiAccessPoint* ap = nullptr;
    WifiConnectRequest last_request;
    bool associated = false;
    int associations = 0;
    int disassociations = 0;
    std::vector<uint16_t> deauth_reasons;

private:
    EventLoop& loop_;
    MemoryDriver& ap_driver_;
    MemoryDriver& sta_driver_;
    Bytes beacon_rsne_;
    WifiLinkListener* listener_ = nullptr;
};

MemoryLink::Options wifi_link_options() {
    MemoryLink::Options o;
    o.emulate_keys = true;
    o.name_a = "wlan1";
    o.name_b = "wlan0";
    return o;
}

std::string network_text(const std::string& method_lines) {
    return "network={\n ssid=\"lanyard\"\n key_mgmt=WPA-EAP\n ieee80211w=2\n" + method_lines + "}\n";
}

std::string tls_lines() {
    return " eap=TLS\n identity=\"user@lanyard.test\"\n ca_cert=\"" + test::pki_path("ca.pem") + "\"\n client_cert=\"" +
           test::pki_path("client.pem") + "\"\n private_key=\"" + test::pki_path("client.key") +
           "\"\n domain_match=\"server.lanyard.test\"\n";
}

std::string md5_lines() { return " eap=MD5\n identity=\"md5user\"\n password=\"md5-secret\"\n"; }

WifiApPolicy ap_policy(const std::string& extra = "") {
    auto parsed = authenticator::parse_hostapd_config("interface=wlan0\ndriver=nl80211\nssid=lanyard\nwpa=2\n"
                                                      "wpa_key_mgmt=WPA-EAP\nrsn_pairwise=CCMP\nieee80211w=2\n" + extra,
                                                      "ap.conf");
    REQUIRE(parsed.ok());
    auto policy = authenticator::wifi_ap_policy(parsed->config);
    REQUIRE_MESSAGE(policy.ok(), (policy.ok() ? "" : policy.error().to_string()));
    return *policy;
}

struct Harness {
    explicit Harness(const std::string& network, uint32_t station_akm = eapol::kAkm8021x,
                     const std::string& ap_extra = "") {
        auto loaded = parse_wpa_config(network, "wifi.conf");
        REQUIRE_MESSAGE(loaded.ok(), (loaded.ok() ? "" : loaded.error().detail));
        config = loaded->config;
        const NetworkBlock& block = config.networks[0];
        if (block.allows_tls_method()) {
            auto tc = tls_client_config(config, block);
            REQUIRE(tc.ok());
            auto ctx = tls::make_context(*tc);
            REQUIRE(ctx.ok());
            client_tls = std::move(*ctx);
        }
        tls::Config sc;
        sc.role = tls::Role::kServer;
        sc.ca_file = test::pki_path("ca.pem");
        sc.cert_file = test::pki_path("server.pem");
        sc.key_file = test::pki_path("server.key");
        sc.require_peer_certificate = true;
        sc.max_version = tls::Version::kTls12;
        auto server = tls::make_context(sc);
        REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error().to_string()));
        server_tls = std::move(*server);

        eap::UserRecord tls_user;
        tls_user.identity = "user@lanyard.test";
        tls_user.methods = {eap::Type::kTls};
        eap::UserRecord md5_user;
        md5_user.identity = "md5user";
        md5_user.methods = {eap::Type::kMd5Challenge};
        const std::string pw = "md5-secret";
        md5_user.password = SecretBytes(ByteView(reinterpret_cast<const uint8_t*>(pw.data()), pw.size()));
        users = std::make_unique<eap::VectorUserDatabase>(std::vector<eap::UserRecord>{tls_user, md5_user});

        auto l = EventLoop::create(clock);
        REQUIRE(l.ok());
        loop = std::move(*l);
        link.attach(*loop);

        env.users = users.get();
        env.random = &server_random;
        env.tls = server_tls.get();
        authenticator = std::make_unique<Authenticator>(*loop, link.b(), env, AuthenticatorSettings{});
        authenticator->set_event_sink([this](const std::string& e) { ap_events.push_back(e); });
        policy = ap_policy(ap_extra);
        air = std::make_unique<FakeLink>(*loop, link.b(), link.a(), policy.rsn_element);
        WifiApDriverHooks hooks;
        hooks.station_rsn_element = [this](const MacAddress&) -> std::optional<Bytes> {
            return air->last_request.rsn_element;
        };
        hooks.deauthenticate = [this](const MacAddress&, uint16_t reason) { air->deauthenticate(reason); };
        ap = std::make_unique<WifiAccessPoint>(*loop, link.b(), link.b(), *authenticator, server_random, policy, hooks);
        REQUIRE(ap->start().ok());
        air->ap = ap.get();

        WifiSessionConfig wc;
        wc.ssid = to_bytes("lanyard");
        wc.akm = station_akm;
        wc.mfp = eapol::MfpPolicy::kRequired;
        session = std::make_unique<WifiSession>(*loop, link.a(), *air, block.eap, client_tls.get(), cache,
                                                client_random, events, pmksa, wc);
    }
    ~Harness() {
        session.reset();
        ap.reset();
        authenticator.reset();
        link.detach();
    }

    void settle() {
        for (int i = 0; i < 2000; ++i) {
            auto n = loop->run_once(Duration(0));
            REQUIRE(n.ok());
            if (*n == 0 && link.pending() == 0) return;
        }
        FAIL("loop did not settle");
    }
    size_t ap_count(const std::string& prefix) const {
        return static_cast<size_t>(std::count_if(ap_events.begin(), ap_events.end(),
                                                 [&](const std::string& e) { return e.rfind(prefix, 0) == 0; }));
    }
    const KeyInstallRequest* last_key(MemoryDriver& d, KeyKind kind) {
        const auto& keys = d.installed_keys();
        for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
            if (it->kind == kind) return &*it;
        }
        return nullptr;
    }
    MacAddress sta() { return link.a().own_address(); }
    MacAddress bssid() { return link.b().own_address(); }

    FakeClock clock;
    WpaConfig config;
    std::unique_ptr<tls::Context> client_tls, server_tls;
    std::unique_ptr<eap::VectorUserDatabase> users;
    FakeRandom client_random{7}, server_random{9};
    eap::ServerEnvironment env;
    TlsSessionCache cache;
    eapol::PmksaCache pmksa;
    RecordingEvents events;
    std::vector<std::string> ap_events;
    std::unique_ptr<EventLoop> loop;
    MemoryLink link{wifi_link_options()};
    std::unique_ptr<Authenticator> authenticator;
    WifiApPolicy policy;
    std::unique_ptr<FakeLink> air;
    std::unique_ptr<WifiAccessPoint> ap;
    std::unique_ptr<WifiSession> session;
};

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("wifi: EAP-TLS then the 4-way handshake opens both ports with the same PTK, GTK and IGTK") {
    Harness h(network_text(tls_lines()));
    h.session->start();
    h.settle();
    CHECK(h.session->state() == WifiState::kCompleted);
    CHECK(h.link.a().port_state(h.bssid()) == PortState::kAuthorized);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kAuthorized);
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 1);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED - Connection to " + h.bssid().to_string() + " completed") == 1);
    // hostapd's order: AP-STA-CONNECTED, then EAPOL-4WAY-HS-COMPLETED.
    const std::string addr = h.sta().to_string();
    auto connected = std::find(h.ap_events.begin(), h.ap_events.end(), "AP-STA-CONNECTED " + addr);
    auto completed = std::find(h.ap_events.begin(), h.ap_events.end(), "EAPOL-4WAY-HS-COMPLETED " + addr);
    REQUIRE(connected != h.ap_events.end());
    REQUIRE(completed != h.ap_events.end());
    CHECK(connected < completed);

    const KeyInstallRequest* sta_ptk = h.last_key(h.link.a(), KeyKind::kPairwise);
    const KeyInstallRequest* ap_ptk = h.last_key(h.link.b(), KeyKind::kPairwise);
    REQUIRE(sta_ptk != nullptr);
    REQUIRE(ap_ptk != nullptr);
    CHECK(equal_bytes(sta_ptk->key.view(), ap_ptk->key.view()));
    CHECK(sta_ptk->peer == h.bssid());
    CHECK(ap_ptk->peer == h.sta());
    const KeyInstallRequest* sta_gtk = h.last_key(h.link.a(), KeyKind::kGroup);
    const KeyInstallRequest* ap_gtk = h.last_key(h.link.b(), KeyKind::kGroup);
    REQUIRE(sta_gtk != nullptr);
    REQUIRE(ap_gtk != nullptr);
    CHECK(equal_bytes(sta_gtk->key.view(), ap_gtk->key.view()));
    const KeyInstallRequest* sta_igtk = h.last_key(h.link.a(), KeyKind::kIntegrityGroup);
    const KeyInstallRequest* ap_igtk = h.last_key(h.link.b(), KeyKind::kIntegrityGroup);
    REQUIRE(sta_igtk != nullptr);
    REQUIRE(ap_igtk != nullptr);
    CHECK(equal_bytes(sta_igtk->key.view(), ap_igtk->key.view()));

    // Our association request carried our RSN element with the MFP bits of ieee80211w=2.
    auto ours = eapol::parse_rsn_element(h.air->last_request.rsn_element);
    REQUIRE(ours.ok());
    CHECK(ours->mfp_required());
    CHECK(ours->pmkids.empty());

    const std::string st = wifi_status_text(*h.session, false);
    CHECK(has_line(st, "bssid=" + h.bssid().to_string()));
    CHECK(has_line(st, "ssid=lanyard"));
    CHECK(has_line(st, "pairwise_cipher=CCMP"));
    CHECK(has_line(st, "key_mgmt=WPA2/IEEE 802.1X/EAP"));
    CHECK(has_line(st, "wpa_state=COMPLETED"));
    CHECK(has_line(st, "selectedMethod=13 (EAP-TLS)"));
    CHECK(h.ap->connected_stations() == 1);
    CHECK(h.pmksa.size() == 1);
    CHECK(h.ap->pmksa().size() == 1);
}

TEST_CASE("wifi: EAP success alone does not open the port; the 4-way handshake does") {
    Harness h(network_text(tls_lines()));
    // Lose every EAPOL-Key frame the AP sends: EAP completes, the 4-way cannot.
    h.link.b().set_tx_filter([](Bytes& frame) {
        return frame.size() > 15 && frame[15] == kEapolKey ? FrameVerdict::kDrop : FrameVerdict::kDeliver;
    });
    h.session->start();
    h.settle();
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 1);
    CHECK(h.session->state() == WifiState::kFourWay);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kUnauthorized);
    CHECK(h.link.a().port_state(h.bssid()) == PortState::kUnauthorized);
    CHECK(h.ap_count("AP-STA-CONNECTED") == 0);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 0);
    CHECK(h.last_key(h.link.a(), KeyKind::kPairwise) == nullptr);
    // The authenticator retransmits message 1 and gives up after 4 transmissions:
    // the station is deauthenticated (reason 15, 4-way handshake timeout).
    for (int i = 0; i < 6; ++i) {
        h.clock.advance(Duration(1100));
        h.settle();
    }
    REQUIRE_FALSE(h.air->deauth_reasons.empty());
    CHECK(h.air->deauth_reasons.front() == 15);
    CHECK(h.events.count("CTRL-EVENT-DISCONNECTED bssid=" + h.bssid().to_string() + " reason=15") == 1);
}

TEST_CASE("wifi: re-association with the cached PMKID skips EAP (PMKSA caching)") {
    Harness h(network_text(tls_lines()));
    h.session->start();
    h.settle();
    REQUIRE(h.session->state() == WifiState::kCompleted);
    const size_t eap_before = h.events.count("CTRL-EVENT-EAP-STARTED");
    const size_t ap_eap_before = h.ap_count("CTRL-EVENT-EAP-STARTED");
    REQUIRE(h.session->roam(h.bssid()).ok());
    h.settle();
    CHECK(h.session->state() == WifiState::kCompleted);
    CHECK(h.session->pmksa_used());
    auto ours = eapol::parse_rsn_element(h.air->last_request.rsn_element);
    REQUIRE(ours.ok());
    REQUIRE(ours->pmkids.size() == 1);
    CHECK(h.events.count("CTRL-EVENT-EAP-STARTED") == eap_before);
    CHECK(h.ap_count("CTRL-EVENT-EAP-STARTED") == ap_eap_before);
    CHECK(h.ap->pmksa_hits() == 1);
    CHECK(h.ap->handshakes_completed() == 2);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kAuthorized);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 2);
}

TEST_CASE("wifi: a group rekey installs a new GTK under the other key ID on the station") {
    Harness h(network_text(tls_lines()));
    h.session->start();
    h.settle();
    REQUIRE(h.session->state() == WifiState::kCompleted);
    const uint8_t first_id = h.last_key(h.link.a(), KeyKind::kGroup)->key_index;
    h.ap->rekey();
    h.settle();
    CHECK(h.session->group_rekeys() == 1);
    const KeyInstallRequest* sta_gtk = h.last_key(h.link.a(), KeyKind::kGroup);
    const KeyInstallRequest* ap_gtk = h.last_key(h.link.b(), KeyKind::kGroup);
    REQUIRE(sta_gtk != nullptr);
    CHECK(sta_gtk->key_index != first_id);
    CHECK(equal_bytes(sta_gtk->key.view(), ap_gtk->key.view()));
    CHECK(h.session->state() == WifiState::kCompleted);
}

TEST_CASE("wifi: WPA-EAP-SHA256 (AKM 00-0F-AC:5) on both sides completes with the SHA-256 key hierarchy") {
    Harness h(network_text(tls_lines()), eapol::kAkm8021xSha256, "wpa_key_mgmt=WPA-EAP-SHA256\n");
    h.session->start();
    h.settle();
    CHECK(h.session->state() == WifiState::kCompleted);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kAuthorized);
    const KeyInstallRequest* sta_ptk = h.last_key(h.link.a(), KeyKind::kPairwise);
    const KeyInstallRequest* ap_ptk = h.last_key(h.link.b(), KeyKind::kPairwise);
    REQUIRE(sta_ptk != nullptr);
    REQUIRE(ap_ptk != nullptr);
    CHECK(equal_bytes(sta_ptk->key.view(), ap_ptk->key.view()));
    CHECK(has_line(wifi_status_text(*h.session, false), "key_mgmt=WPA2-EAP-SHA256"));
    REQUIRE(h.pmksa.size() == 1);
}

TEST_CASE("wifi: a station whose AKM the AP does not offer is deauthenticated without EAP") {
    Harness h(network_text(tls_lines()), eapol::kAkm8021xSha256);
    h.session->start();
    h.settle();
    REQUIRE_FALSE(h.air->deauth_reasons.empty());
    CHECK(h.air->deauth_reasons.front() == 72);
    CHECK(h.ap_count("CTRL-EVENT-EAP-STARTED") == 0);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kUnauthorized);
    CHECK(h.session->state() != WifiState::kCompleted);
}

TEST_CASE("wifi: a method without an MSK (EAP-MD5) never opens the port") {
    Harness h(network_text(md5_lines()));
    h.session->start();
    h.settle();
    CHECK(h.events.count("CTRL-EVENT-EAP-SUCCESS") == 1);
    CHECK(h.link.b().port_state(h.sta()) == PortState::kUnauthorized);
    CHECK(h.ap_count("AP-STA-CONNECTED") == 0);
    CHECK(h.events.count("CTRL-EVENT-CONNECTED") == 0);
    CHECK(h.last_key(h.link.a(), KeyKind::kPairwise) == nullptr);
    // Both sides give up on the association.
    CHECK((h.air->disassociations > 0 || !h.air->deauth_reasons.empty()));
}

TEST_CASE("wifi: hostapd.conf security settings become the AP's RSN element, or file:line errors") {
    const WifiApPolicy p = ap_policy("wpa_group_rekey=30\n");
    CHECK(p.akm == eapol::kAkm8021x);
    CHECK(p.mfp == eapol::MfpPolicy::kRequired);
    CHECK(p.group_rekey == seconds(30));
    auto parsed = eapol::parse_rsn_element(p.rsn_element);
    REQUIRE(parsed.ok());
    CHECK(parsed->mfp_required());
    CHECK(parsed->akms == std::vector<uint32_t>{eapol::kAkm8021x});

    auto both = ap_policy("wpa_key_mgmt=WPA-EAP WPA-EAP-SHA256\n");
    CHECK(both.rsn.akms == std::vector<uint32_t>{eapol::kAkm8021x, eapol::kAkm8021xSha256});

    auto tkip = authenticator::parse_hostapd_config(
        "interface=wlan0\ndriver=nl80211\nssid=x\nwpa=2\nwpa_key_mgmt=WPA-EAP\nrsn_pairwise=TKIP\n", "t.conf");
    REQUIRE(tkip.ok());
    auto refused = authenticator::wifi_ap_policy(tkip->config);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().detail.find("t.conf:6") != std::string::npos);
    CHECK(refused.error().detail.find("rsn_pairwise") != std::string::npos);
}
