#include "authenticator/wifi_access_point.h"

#include "common/log.h"
#include "eapol/ptk.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "wpa";
// IEEE 802.1X-2010 Table 11-3: Packet Type 3 is EAPOL-Key.
constexpr uint8_t kPacketTypeKey = 3;
// IEEE 802.11-2020 Table 9-49.
constexpr uint16_t kReasonUnspecified = 1;
constexpr uint16_t kReasonInvalidRsne = 72;  // also used as a status code below

Error error_at(const HostapdConfig& c, const char* key, const std::string& what) {
    return config::Site{c.file, c.line_of(key), key}.error(what);
}
}  // namespace

Result<WifiApPolicy> wifi_ap_policy(const HostapdConfig& c) {
    if (c.wpa != 2) return error_at(c, "wpa", "driver=nl80211 needs wpa=2 (WPA2/RSN; WPA1 and open networks are not implemented)");
    if (c.ssid.empty()) return error_at(c, "ssid", "driver=nl80211 needs ssid");
    WifiApPolicy p;
    std::vector<uint32_t> akms;
    for (config::KeyMgmt k : c.wpa_key_mgmt) {
        if (k == config::KeyMgmt::kWpaEap) akms.push_back(eapol::kAkm8021x);
        if (k == config::KeyMgmt::kWpaEapSha256) akms.push_back(eapol::kAkm8021xSha256);
    }
    if (akms.empty()) return error_at(c, "wpa_key_mgmt", "driver=nl80211 needs WPA-EAP or WPA-EAP-SHA256");
    const std::vector<config::Cipher>& pairwise = c.rsn_pairwise.empty() ? c.wpa_pairwise : c.rsn_pairwise;
    for (config::Cipher cipher : pairwise) {
        if (cipher != config::Cipher::kCcmp) return error_at(c, "rsn_pairwise", "only rsn_pairwise=CCMP is implemented");
    }
    p.akm = akms.front();
    p.mfp = c.ieee80211w >= 2 ? eapol::MfpPolicy::kRequired
            : c.ieee80211w == 1 ? eapol::MfpPolicy::kOptional
                                : eapol::MfpPolicy::kDisabled;
    p.rsn.akms = akms;
    p.rsn.capabilities = eapol::mfp_capability_bits(p.mfp);
    auto built = eapol::build_rsn_element(p.rsn);
    if (!built) return built.error();
    p.rsn_element = std::move(*built);
    p.group_rekey = c.wpa_group_rekey > 0 ? seconds(c.wpa_group_rekey) : Duration(0);
    return p;
}

WifiAccessPoint::WifiAccessPoint(EventLoop& loop, lanyard::Driver& driver, KeyInstaller& installer,
                                 Authenticator& authenticator, RandomSource& random, WifiApPolicy policy,
                                 WifiApDriverHooks hooks)
    : loop_(loop),
      driver_(driver),
      installer_(installer),
      authenticator_(authenticator),
      random_(random),
      policy_(std::move(policy)),
      hooks_(std::move(hooks)) {
    authenticator_.set_authorization_hook([this](const StationSession& session) { eap_authorized(session); });
    driver_.set_listener(this);
}

WifiAccessPoint::~WifiAccessPoint() {
    driver_.set_listener(nullptr);
    authenticator_.set_authorization_hook(nullptr);
    if (rekey_timer_ != kNoTimer) loop_.cancel_timer(rekey_timer_);
    for (auto& [mac, station] : stations_) {
        if (station.timer != kNoTimer) loop_.cancel_timer(station.timer);
    }
}

Status WifiAccessPoint::start() {
    const uint32_t igtk_cipher = policy_.mfp != eapol::MfpPolicy::kDisabled ? eapol::kCipherBipCmac128 : 0;
    auto group = eapol::GroupKeyAuthority::create(policy_.rsn.group_cipher, igtk_cipher, random_);
    if (!group) return group.error();
    group_ = std::make_unique<eapol::GroupKeyAuthority>(std::move(*group));
    LANYARD_TRY(group_->install(installer_));
    schedule_rekey();
    return ok_status();
}

void WifiAccessPoint::schedule_rekey() {
    if (policy_.group_rekey.count() <= 0) return;
    rekey_timer_ = loop_.add_timer(policy_.group_rekey, [this] {
        rekey_timer_ = kNoTimer;
        rekey();
        schedule_rekey();
    });
}

void WifiAccessPoint::rekey() {
    if (!group_) return;
    // IEEE 802.11-2020 §12.7.1.5: a new GTK under the other key ID, installed
    // for transmission, then the group key handshake with every station.
    group_->rekey();
    if (Status s = group_->install(installer_); !s) {
        LOG_WARN(kLog, "%s: installing the new group keys failed: %s", driver_.interface_name().c_str(),
                 s.error().to_string().c_str());
        return;
    }
    LOG_INFO(kLog, "%s: WPA rekeying GTK", driver_.interface_name().c_str());
    for (auto& [mac, station] : stations_) {
        if (!station.connected || !station.machine) continue;
        if (Status s = station.machine->start_group_rekey(now()); !s) {
            LOG_DEBUG(kLog, "%s: STA %s: no group rekey now: %s", driver_.interface_name().c_str(),
                      mac.to_string().c_str(), s.error().to_string().c_str());
        }
        rearm(mac);
    }
}

size_t WifiAccessPoint::connected_stations() const {
    size_t n = 0;
    for (const auto& [mac, station] : stations_) n += station.connected ? 1 : 0;
    return n;
}

// ---- driver events ----

void WifiAccessPoint::on_station_arrived(const MacAddress& mac) {
    remove(mac);  // a re-association starts from scratch
    std::optional<Bytes> rsne = hooks_.station_rsn_element ? hooks_.station_rsn_element(mac) : std::nullopt;
    if (!rsne) {
        LOG_INFO(kLog, "%s: STA %s associated without an RSN element: deauthenticating",
                 driver_.interface_name().c_str(), mac.to_string().c_str());
        deauthenticate_later(mac, kReasonInvalidRsne);
        return;
    }
    auto theirs = eapol::parse_rsn_element(*rsne);
    Result<eapol::NegotiatedRsn> negotiated =
        theirs ? eapol::negotiate_rsn(policy_.rsn, *theirs) : Result<eapol::NegotiatedRsn>(theirs.error());
    if (!negotiated || !group_) {
        LOG_INFO(kLog, "%s: STA %s: RSN element refused: %s", driver_.interface_name().c_str(), mac.to_string().c_str(),
                 negotiated ? "no group keys" : negotiated.error().to_string().c_str());
        deauthenticate_later(mac, kReasonInvalidRsne);
        return;
    }
    Station& station = stations_[mac];
    station.negotiated = *negotiated;
    eapol::AuthenticatorHandshakeConfig hc;
    hc.own_address = driver_.own_address();
    hc.station_address = mac;
    hc.own_rsn_element = policy_.rsn_element;
    hc.station_rsn_element = *rsne;
    hc.akm = negotiated->akm;
    hc.pairwise_cipher = negotiated->pairwise_cipher;
    hc.mfp = negotiated->mfp;
    const eapol::PmksaEntry* cached = pmksa_.find_any(negotiated->pmkids, driver_.own_address(), mac, now());
    if (cached != nullptr && cached->akm == negotiated->akm) {
        hc.pmkid = cached->pmkid;
        station.pmk = cached->pmk;
        station.from_cache = true;
    }
    if (Status valid = eapol::validate_authenticator_config(hc, *group_); !valid) {
        LOG_INFO(kLog, "%s: STA %s: cannot run the 4-way handshake: %s", driver_.interface_name().c_str(),
                 mac.to_string().c_str(), valid.error().to_string().c_str());
        stations_.erase(mac);
        deauthenticate_later(mac, kReasonUnspecified);
        return;
    }
    eapol::HandshakeCallbacks callbacks{
        [this, mac](ByteView pdu) {
            if (Status s = driver_.send_eapol(mac, pdu); !s) {
                LOG_WARN(kLog, "%s: cannot send EAPOL-Key to %s: %s", driver_.interface_name().c_str(),
                         mac.to_string().c_str(), s.error().to_string().c_str());
            }
        },
        [this, mac](const eapol::HandshakeEvent& event) { on_handshake_event(mac, event); }};
    station.machine =
        std::make_unique<eapol::FourWayHandshakeAuthenticator>(hc, std::move(callbacks), installer_, random_, *group_);
    LOG_INFO(kLog, "%s: STA %s associated (AKM %s, MFP %s)", driver_.interface_name().c_str(), mac.to_string().c_str(),
             eapol::akm_suite_name(negotiated->akm), negotiated->mfp ? "on" : "off");
    if (station.from_cache) {
        // §12.6.10.2: PMKSA caching, EAP is skipped.
        ++pmksa_hits_;
        LOG_INFO(kLog, "%s: STA %s PMKID found in the PMKSA cache: skipping EAP", driver_.interface_name().c_str(),
                 mac.to_string().c_str());
        station.machine->start(station.pmk, now());
        rearm(mac);
        return;
    }
    if (Status s = authenticator_.station_associated(mac); !s) {
        LOG_WARN(kLog, "%s: STA %s: %s", driver_.interface_name().c_str(), mac.to_string().c_str(),
                 s.error().to_string().c_str());
        remove(mac);
        deauthenticate_later(mac, kReasonUnspecified);
    }
}

void WifiAccessPoint::on_station_left(const MacAddress& mac) {
    auto it = stations_.find(mac);
    const bool was_connected = it != stations_.end() && it->second.connected;
    remove(mac);
    (void)installer_.remove_keys(mac);
    authenticator_.driver_listener().on_station_left(mac);
    if (was_connected) authenticator_.emit_event("AP-STA-DISCONNECTED " + mac.to_string());
}

void WifiAccessPoint::on_link_state(LinkState state) { authenticator_.driver_listener().on_link_state(state); }

void WifiAccessPoint::on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) {
    auto it = stations_.find(source);
    if (it == stations_.end()) {
        LOG_DEBUG(kLog, "%s: EAPOL frame from %s, not an associated RSN station: dropped",
                  driver_.interface_name().c_str(), source.to_string().c_str());
        return;
    }
    if (pdu.size() > 1 && pdu[1] == kPacketTypeKey) {
        if (it->second.machine) it->second.machine->receive(pdu, now());
        rearm(source);
        return;
    }
    if (it->second.from_cache && !it->second.connected) {
        // An EAPOL-Start despite our PMKSA: let EAP run (hostapd does too).
        it->second.from_cache = false;
    }
    authenticator_.driver_listener().on_eapol_frame(source, destination, pdu);
}

// ---- EAP success → 4-way ----

void WifiAccessPoint::eap_authorized(const StationSession& session) {
    const MacAddress mac = session.station();
    auto it = stations_.find(mac);
    if (it == stations_.end() || !it->second.machine) return;
    const SecretBytes* msk = session.eap().msk();
    auto pmk = msk != nullptr ? eapol::pmk_from_msk(*msk) : Result<SecretBytes>(make_error(ErrorCode::kProtocol, "no MSK"));
    if (!pmk) {
        LOG_WARN(kLog, "%s: STA %s: EAP succeeded without a usable MSK (%s): deauthenticating",
                 driver_.interface_name().c_str(), mac.to_string().c_str(), pmk.error().to_string().c_str());
        deauthenticate_later(mac, kReasonUnspecified);
        return;
    }
    it->second.pmk = std::move(*pmk);
    it->second.from_cache = false;
    it->second.machine->start(it->second.pmk, now());
    rearm(mac);
}

void WifiAccessPoint::on_handshake_event(const MacAddress& mac, const eapol::HandshakeEvent& event) {
    auto it = stations_.find(mac);
    if (it == stations_.end()) return;
    Station& station = it->second;
    const std::string addr = mac.to_string();
    switch (event.kind) {
        case eapol::HandshakeEvent::Kind::kPairwiseComplete:
            ++handshakes_completed_;
            if (Status s = driver_.set_port_state(mac, PortState::kAuthorized); !s) {
                LOG_WARN(kLog, "%s: cannot authorize %s: %s", driver_.interface_name().c_str(), addr.c_str(),
                         s.error().to_string().c_str());
            }
            if (!station.from_cache) {
                auto added = pmksa_.add(station.pmk, driver_.own_address(), mac, station.negotiated.akm, now());
                if (!added) LOG_DEBUG(kLog, "PMKSA not cached: %s", added.error().to_string().c_str());
            }
            if (!station.connected) {
                station.connected = true;
                LOG_INFO(kLog, "%s: STA %s WPA: pairwise key handshake completed (RSN)", driver_.interface_name().c_str(),
                         addr.c_str());
                authenticator_.emit_event("AP-STA-CONNECTED " + addr);
                authenticator_.emit_event("EAPOL-4WAY-HS-COMPLETED " + addr);
            }
            break;
        case eapol::HandshakeEvent::Kind::kGroupRekeyComplete:
            LOG_INFO(kLog, "%s: STA %s WPA: group key handshake completed (RSN)", driver_.interface_name().c_str(),
                     addr.c_str());
            break;
        case eapol::HandshakeEvent::Kind::kFailed:
            LOG_INFO(kLog, "%s: STA %s WPA: %s (%s): deauthenticating", driver_.interface_name().c_str(), addr.c_str(),
                     eapol::handshake_failure_name(event.failure), event.detail.c_str());
            deauthenticate_later(mac, eapol::ieee80211_reason_code(event.failure));
            break;
    }
}

void WifiAccessPoint::rearm(const MacAddress& mac) {
    auto it = stations_.find(mac);
    if (it == stations_.end()) return;
    Station& station = it->second;
    if (station.timer != kNoTimer) {
        loop_.cancel_timer(station.timer);
        station.timer = kNoTimer;
    }
    if (!station.machine) return;
    const std::optional<TimePoint> next = station.machine->next_timeout();
    if (!next) return;
    station.timer = loop_.add_timer_at(*next, [this, mac] {
        auto found = stations_.find(mac);
        if (found == stations_.end()) return;
        found->second.timer = kNoTimer;
        if (found->second.machine) found->second.machine->tick(now());
        rearm(mac);
    });
}

void WifiAccessPoint::remove(const MacAddress& mac) {
    auto it = stations_.find(mac);
    if (it == stations_.end()) return;
    if (it->second.timer != kNoTimer) loop_.cancel_timer(it->second.timer);
    stations_.erase(it);
}

void WifiAccessPoint::deauthenticate_later(const MacAddress& mac, uint16_t reason) {
    // Never from inside a handshake callback: the machine is still running.
    loop_.add_timer(Duration(0), [this, mac, reason] {
        if (hooks_.deauthenticate) hooks_.deauthenticate(mac, reason);
    });
}

}  // namespace lanyard::authenticator
