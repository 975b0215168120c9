#include "supplicant/wifi_session.h"

#include "common/log.h"
#include "eapol/ptk.h"
#include "methods/eap_types.h"
#include "supplicant/peer_setup.h"

namespace lanyard::supplicant {

namespace {
constexpr const char* kLog = "supplicant";
// IEEE 802.1X-2010 Table 11-3: Packet Type 3 is EAPOL-Key, 0 EAP-Packet.
constexpr uint8_t kPacketTypeKey = 3;
// IEEE 802.11-2020 Table 9-49: 3 = deauthenticated because the station is leaving.
constexpr uint16_t kReasonDeauthLeaving = 3;

const char* short_cipher(uint32_t suite) {
    switch (suite) {
        case eapol::kCipherCcmp128: return "CCMP";
        case eapol::kCipherGcmp128: return "GCMP";
        case eapol::kCipherCcmp256: return "CCMP-256";
        case eapol::kCipherGcmp256: return "GCMP-256";
        default: return eapol::cipher_suite_name(suite);
    }
}

std::string method_label(std::optional<eap::Type> method) {
    return method ? eap::type_name(static_cast<uint8_t>(*method)) : "(no method)";
}
}  // namespace

const char* wifi_state_name(WifiState state) {
    switch (state) {
        case WifiState::kDisconnected: return "DISCONNECTED";
        case WifiState::kScanning: return "SCANNING";
        case WifiState::kAssociated: return "ASSOCIATED";
        case WifiState::kFourWay: return "4WAY_HANDSHAKE";
        case WifiState::kCompleted: return "COMPLETED";
    }
    return "?";
}

WifiSession::WifiSession(EventLoop& loop, Driver& driver, WifiLink& link, const eap::PeerCredentials& credentials,
                         tls::Context* tls, TlsSessionCache& cache, RandomSource& random, SupplicantEvents& events,
                         eapol::PmksaCache& pmksa, WifiSessionConfig config)
    : loop_(loop),
      driver_(driver),
      link_(link),
      random_(random),
      events_(events),
      pmksa_(pmksa),
      config_(std::move(config)),
      adapter_(make_peer_environment(credentials, tls, cache, random, config_.network_id), *this, config_.peer),
      port_(driver.own_address(), config_.port, adapter_, *this) {}

WifiSession::~WifiSession() {
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    if (reconnect_timer_ != kNoTimer) loop_.cancel_timer(reconnect_timer_);
    if (attached_) {
        driver_.set_listener(nullptr);
        link_.set_link_listener(nullptr);
    }
}

void WifiSession::start() {
    driver_.set_listener(this);
    link_.set_link_listener(this);
    attached_ = true;
    port_.initialize(now());
    LOG_INFO(kLog, "%s: WPA-Enterprise station started (AKM %s, ieee80211w=%d)", driver_.interface_name().c_str(),
             eapol::akm_suite_name(config_.akm), static_cast<int>(config_.mfp));
    if (Status s = begin_association(std::nullopt); !s) {
        LOG_WARN(kLog, "%s: cannot start scanning: %s", driver_.interface_name().c_str(), s.error().to_string().c_str());
        schedule_reconnect();
    }
}

Status WifiSession::begin_association(std::optional<MacAddress> bssid) {
    // Our RSN element (IEEE 802.11-2020 §9.4.2.24): one AKM, CCMP-128, the
    // MFP bits of ieee80211w, and the PMKID of a cached PMKSA for the target.
    eapol::RsnElement ours;
    ours.akms = {config_.akm};
    ours.capabilities = eapol::mfp_capability_bits(config_.mfp);
    offered_pmkid_.reset();
    if (bssid) {
        if (const eapol::PmksaEntry* entry = pmksa_.find_by_authenticator(*bssid, driver_.own_address(), config_.akm, now())) {
            ours.pmkids = {entry->pmkid};
            offered_pmkid_ = entry->pmkid;
        }
    }
    auto built = eapol::build_rsn_element(ours);
    if (!built) return built.error();
    own_rsne_ = std::move(*built);

    WifiConnectRequest request;
    request.ssid = config_.ssid;
    request.bssid = bssid;
    if (bssid) request.frequency_mhz = link_.frequency_of(*bssid);
    request.rsn_element = own_rsne_;
    request.akm = config_.akm;
    request.mfp = static_cast<int>(config_.mfp);
    request.active_scan = config_.active_scan;
    state_ = WifiState::kScanning;
    LOG_INFO(kLog, "%s: SME: trying to associate with SSID '%s'%s%s", driver_.interface_name().c_str(),
             std::string(config_.ssid.begin(), config_.ssid.end()).c_str(), bssid ? " BSSID " : "",
             bssid ? bssid->to_string().c_str() : "");
    return link_.associate(request);
}

Status WifiSession::setup_handshake(const ScanBss& bss) {
    if (!bss.rsn_element) return make_error(ErrorCode::kProtocol, "the AP sends no RSN element");
    auto theirs = eapol::parse_rsn_element(*bss.rsn_element);
    if (!theirs) return theirs.error();
    eapol::SupplicantHandshakeConfig hc;
    hc.own_address = driver_.own_address();
    hc.authenticator_address = bss.bssid;
    hc.own_rsn_element = own_rsne_;
    hc.authenticator_rsn_element = *bss.rsn_element;
    hc.akm = config_.akm;
    hc.pairwise_cipher = eapol::kCipherCcmp128;
    hc.group_cipher = theirs->group_cipher;
    // §12.6.3: MFP is in use when both sides are capable.
    hc.mfp = config_.mfp != eapol::MfpPolicy::kDisabled && theirs->mfp_capable();
    hc.group_management_cipher = theirs->group_management_cipher.value_or(eapol::kCipherBipCmac128);
    hc.eapol_version = config_.port.eapol_version;
    LANYARD_TRY(eapol::validate_supplicant_config(hc));
    KeyInstaller* installer = driver_.key_installer();
    if (installer == nullptr) return make_error(ErrorCode::kInternal, "the driver installs no keys");
    group_cipher_ = hc.group_cipher;
    eapol::HandshakeCallbacks callbacks{
        [this](ByteView pdu) { send_eapol(bss_ ? bss_->bssid : MacAddress(), pdu); },
        [this](const eapol::HandshakeEvent& event) { on_handshake_event(event); }};
    four_way_ = std::make_unique<eapol::FourWayHandshakeSupplicant>(hc, std::move(callbacks), *installer, random_);
    return ok_status();
}

void WifiSession::on_associated(const ScanBss& bss) {
    if (reconnect_timer_ != kNoTimer) {
        loop_.cancel_timer(reconnect_timer_);
        reconnect_timer_ = kNoTimer;
    }
    roaming_ = false;
    bss_ = bss;
    handshake_failed_ = false;
    pmksa_used_ = false;
    state_ = WifiState::kAssociated;
    LOG_INFO(kLog, "%s: Associated with %s", driver_.interface_name().c_str(), bss.bssid.to_string().c_str());
    if (Status s = setup_handshake(bss); !s) {
        LOG_WARN(kLog, "%s: cannot set up the 4-way handshake with %s: %s", driver_.interface_name().c_str(),
                 bss.bssid.to_string().c_str(), s.error().to_string().c_str());
        (void)link_.disassociate(kReasonDeauthLeaving);
        return;
    }
    port_.set_authenticator_address(bss.bssid);
    const eapol::PmksaEntry* cached =
        offered_pmkid_ ? pmksa_.find_by_pmkid(*offered_pmkid_, bss.bssid, driver_.own_address(), now()) : nullptr;
    if (cached != nullptr) {
        // §12.6.10.2: the AP may accept the PMKID and start the 4-way
        // handshake at once; if it starts EAP instead, the port is enabled then.
        LOG_INFO(kLog, "RSN: PMKSA cache entry found for %s - try to use it", bss.bssid.to_string().c_str());
        pmk_ = cached->pmk;
        pmksa_used_ = true;
        four_way_->set_pmk(pmk_);
        state_ = WifiState::kFourWay;
    } else {
        port_.set_port_enabled(true, now());
    }
    reschedule();
}

void WifiSession::on_association_failed(const std::string& reason) {
    LOG_INFO(kLog, "%s: association failed: %s", driver_.interface_name().c_str(), reason.c_str());
    drop_association();
    schedule_reconnect();
}

void WifiSession::on_link_lost(uint16_t reason, bool by_ap) {
    const MacAddress bssid = bss_ ? bss_->bssid : MacAddress();
    if (!roaming_) events_.emit(event_disconnected(bssid, reason, !by_ap));
    drop_association();
    if (!roaming_) schedule_reconnect();
}

void WifiSession::drop_association() {
    if (bss_ && driver_.port_state(bss_->bssid) == PortState::kAuthorized) {
        (void)driver_.set_port_state(bss_->bssid, PortState::kUnauthorized);
    }
    four_way_.reset();
    pmk_ = SecretBytes();
    bss_.reset();
    state_ = WifiState::kDisconnected;
    port_.set_port_enabled(false, now());
    reschedule();
}

void WifiSession::schedule_reconnect() {
    if (user_disconnected_ || !attached_ || reconnect_timer_ != kNoTimer) return;
    reconnect_timer_ = loop_.add_timer(config_.reconnect_delay, [this] {
        reconnect_timer_ = kNoTimer;
        if (state_ != WifiState::kDisconnected || user_disconnected_) return;
        if (Status s = begin_association(std::nullopt); !s) {
            LOG_WARN(kLog, "%s: cannot reconnect: %s", driver_.interface_name().c_str(), s.error().to_string().c_str());
            state_ = WifiState::kDisconnected;
            schedule_reconnect();
        }
    });
}

void WifiSession::reassociate() {
    user_disconnected_ = false;
    roaming_ = true;  // our own disassociation is not a lost link
    (void)link_.disassociate(kReasonDeauthLeaving);
    drop_association();
    roaming_ = false;
    if (Status s = begin_association(std::nullopt); !s) {
        state_ = WifiState::kDisconnected;
        schedule_reconnect();
    }
}

void WifiSession::disconnect() {
    user_disconnected_ = true;
    (void)link_.disassociate(kReasonDeauthLeaving);
    drop_association();
}

Status WifiSession::roam(const MacAddress& bssid) {
    if (!bss_) return make_error(ErrorCode::kProtocol, "roam: not associated");
    LOG_INFO(kLog, "%s: roaming from %s to %s", driver_.interface_name().c_str(), bss_->bssid.to_string().c_str(),
             bssid.to_string().c_str());
    const std::optional<uint32_t> freq = link_.frequency_of(bssid);
    (void)freq;
    roaming_ = true;
    (void)link_.disassociate(kReasonDeauthLeaving);
    drop_association();
    Status s = begin_association(bssid);
    if (!s) {
        roaming_ = false;
        state_ = WifiState::kDisconnected;
        schedule_reconnect();
    }
    return s;
}

void WifiSession::stop() {
    if (!attached_) return;
    const MacAddress bssid = bss_ ? bss_->bssid : MacAddress();
    const bool was_associated = bss_.has_value();
    user_disconnected_ = true;
    roaming_ = true;
    (void)link_.disassociate(kReasonDeauthLeaving);
    drop_association();
    if (was_associated) events_.emit(event_disconnected(bssid, kReasonDeauthLeaving, true));
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    timer_ = kNoTimer;
    if (reconnect_timer_ != kNoTimer) loop_.cancel_timer(reconnect_timer_);
    reconnect_timer_ = kNoTimer;
    driver_.set_listener(nullptr);
    link_.set_link_listener(nullptr);
    attached_ = false;
}

// ---- PortSink ----

void WifiSession::send_eapol(const MacAddress& peer, ByteView pdu) {
    Status s = driver_.send_eapol(peer, pdu);
    if (!s) {
        ++send_failures_;
        LOG_WARN(kLog, "%s: sending EAPOL frame failed: %s", driver_.interface_name().c_str(),
                 s.error().to_string().c_str());
    }
}

void WifiSession::port_status_changed(const MacAddress& peer, eapol::PortStatus status) {
    // On 802.11 the IEEE 802.1X port opening means "EAP succeeded": the data
    // path waits for the 4-way handshake (§12.7.6), which needs the PMK now.
    if (status != eapol::PortStatus::kAuthorized || !four_way_) return;
    const SecretBytes& msk = adapter_.msk();
    auto pmk = eapol::pmk_from_msk(msk);
    if (!pmk) {
        LOG_WARN(kLog, "%s: EAP succeeded without a usable MSK (%s): disassociating", driver_.interface_name().c_str(),
                 pmk.error().to_string().c_str());
        (void)link_.disassociate(kReasonDeauthLeaving);
        return;
    }
    LOG_DEBUG(kLog, "%s: PMK from the MSK for %s", driver_.interface_name().c_str(), peer.to_string().c_str());
    pmk_ = std::move(*pmk);
    pmksa_used_ = false;
    four_way_->set_pmk(pmk_);
    if (state_ != WifiState::kCompleted) state_ = WifiState::kFourWay;
}

// ---- DriverListener ----

void WifiSession::on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) {
    if (!bss_ || source != bss_->bssid) {
        LOG_DEBUG(kLog, "%s: EAPOL frame from %s (not our AP): dropped", driver_.interface_name().c_str(),
                  source.to_string().c_str());
        return;
    }
    if (pdu.size() > 1 && pdu[1] == kPacketTypeKey) {
        if (four_way_) four_way_->receive(pdu);
        if (handshake_failed_) {
            handshake_failed_ = false;
            (void)link_.disassociate(kReasonDeauthLeaving);
        }
        return;
    }
    // The AP runs EAP (a full authentication, e.g. it did not take our PMKID).
    if (pmksa_used_ && state_ != WifiState::kCompleted && !port_.variables().portEnabled) {
        LOG_INFO(kLog, "%s: the AP starts EAP instead of using the cached PMKSA", driver_.interface_name().c_str());
        if (offered_pmkid_) pmksa_.remove(*offered_pmkid_);
        pmksa_used_ = false;
        port_.set_port_enabled(true, now());
    }
    port_.receive(source, pdu, now());
    reschedule();
}

// ---- 4-way / group handshake ----

void WifiSession::on_handshake_event(const eapol::HandshakeEvent& event) {
    const MacAddress bssid = bss_ ? bss_->bssid : MacAddress();
    switch (event.kind) {
        case eapol::HandshakeEvent::Kind::kPairwiseComplete: {
            if (Status s = driver_.set_port_state(bssid, PortState::kAuthorized); !s) {
                LOG_WARN(kLog, "%s: cannot authorize the port: %s", driver_.interface_name().c_str(),
                         s.error().to_string().c_str());
            }
            if (!pmksa_used_) {
                auto added = pmksa_.add(pmk_, bssid, driver_.own_address(), config_.akm, now());
                if (!added) LOG_DEBUG(kLog, "PMKSA not cached: %s", added.error().to_string().c_str());
            }
            state_ = WifiState::kCompleted;
            LOG_INFO(kLog, "%s: WPA: Key negotiation completed with %s [PTK=%s GTK=%s]",
                     driver_.interface_name().c_str(), bssid.to_string().c_str(), short_cipher(pairwise_cipher()),
                     short_cipher(group_cipher_));
            events_.emit(event_connected(bssid, static_cast<int>(config_.network_id), config_.id_str));
            break;
        }
        case eapol::HandshakeEvent::Kind::kGroupRekeyComplete:
            ++group_rekeys_;
            LOG_INFO(kLog, "%s: WPA: Group rekeying completed with %s [GTK=%s]", driver_.interface_name().c_str(),
                     bssid.to_string().c_str(), short_cipher(group_cipher_));
            break;
        case eapol::HandshakeEvent::Kind::kFailed:
            LOG_WARN(kLog, "%s: WPA: 4-way handshake failed with %s: %s (%s)", driver_.interface_name().c_str(),
                     bssid.to_string().c_str(), eapol::handshake_failure_name(event.failure), event.detail.c_str());
            // The machine must not be destroyed from inside its callback:
            // on_eapol_frame disassociates once receive() returns.
            handshake_failed_ = true;
            break;
    }
}

// ---- timers ----

void WifiSession::reschedule() {
    if (!attached_) return;
    const std::optional<TimePoint> next = port_.next_timeout();
    if (timer_ != kNoTimer) {
        loop_.cancel_timer(timer_);
        timer_ = kNoTimer;
    }
    if (next) timer_ = loop_.add_timer_at(*next, [this] { on_timer(); });
}

void WifiSession::on_timer() {
    timer_ = kNoTimer;
    port_.tick(now());
    reschedule();
}

// ---- EAP events ----

void WifiSession::eap_started() { events_.emit(event_eap_started()); }

void WifiSession::eap_proposed_method(uint8_t type) { events_.emit(event_eap_proposed_method(type)); }

void WifiSession::eap_method_selected(uint8_t type) { events_.emit(event_eap_method_selected(type)); }

void WifiSession::eap_succeeded(std::optional<eap::Type> method, unsigned rounds, bool resumed) {
    events_.emit(event_eap_success());
    LOG_INFO(kLog, "EAP: %s completed: rounds=%u resumed=%d", method_label(method).c_str(), rounds, resumed ? 1 : 0);
}

void WifiSession::eap_failed(std::optional<eap::Type> method, unsigned rounds, const std::string& reason) {
    events_.emit(event_eap_failure());
    LOG_INFO(kLog, "EAP: %s failed: rounds=%u reason=%s", method_label(method).c_str(), rounds,
             reason.empty() ? "EAP-Failure" : reason.c_str());
}

}  // namespace lanyard::supplicant
