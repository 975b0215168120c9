#include "supplicant/wired_session.h"

#include "common/log.h"
#include "methods/eap_types.h"
#include "supplicant/peer_setup.h"

namespace lanyard::supplicant {

namespace {
// IEEE 802.1X-2010 §11.3.2 Packet Type 1: EAPOL-Start.
constexpr uint8_t kPacketTypeStart = 1;
// IEEE 802.11 reason 3, WLAN_REASON_DEAUTH_LEAVING: what wpa_supplicant reports at deinit.
constexpr int kReasonDeauthLeaving = 3;

std::string method_label(std::optional<eap::Type> method) {
    return method ? eap::type_name(static_cast<uint8_t>(*method)) : "(no method)";
}
}  // namespace

const char* wpa_state_name(WpaState state) {
    switch (state) {
        case WpaState::kDisconnected: return "DISCONNECTED";
        case WpaState::kAssociated: return "ASSOCIATED";
        case WpaState::kCompleted: return "COMPLETED";
    }
    return "?";
}

WiredSession::WiredSession(EventLoop& loop, Driver& driver, const eap::PeerCredentials& credentials,
                           tls::Context* tls, TlsSessionCache& cache, RandomSource& random,
                           SupplicantEvents& events, SessionConfig config)
    : loop_(loop),
      driver_(driver),
      events_(events),
      config_(std::move(config)),
      adapter_(make_peer_environment(credentials, tls, cache, random, config_.network_id), *this, config_.peer),
      port_(driver.own_address(), config_.port, adapter_, *this) {}

WiredSession::~WiredSession() {
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    if (attached_) driver_.set_listener(nullptr);
}

void WiredSession::start() {
    driver_.set_listener(this);
    attached_ = true;
    port_.initialize(now());
    const bool up = driver_.link_state() == LinkState::kUp;
    LOG_INFO("supplicant", "%s: wired 802.1X supplicant started (link %s)", driver_.interface_name().c_str(),
             link_state_name(driver_.link_state()));
    port_.set_port_enabled(up, now());
    reschedule();
}

void WiredSession::logoff() {
    user_logoff_ = true;
    port_.set_user_logoff(true, now());
    reschedule();
}

void WiredSession::logon() {
    user_logoff_ = false;
    port_.set_user_logoff(false, now());
    reschedule();
}

void WiredSession::reassociate() {
    user_logoff_ = false;
    connected_ = false;
    auth_started_.reset();
    port_.set_user_logoff(false, now());
    port_.set_port_enabled(false, now());
    port_.set_port_enabled(driver_.link_state() == LinkState::kUp, now());
    reschedule();
}

void WiredSession::stop(bool send_logoff) {
    if (!attached_) return;
    if (send_logoff && driver_.link_state() == LinkState::kUp) port_.set_user_logoff(true, now());
    port_.set_port_enabled(false, now());
    events_.emit(event_disconnected(config_.port.authenticator, kReasonDeauthLeaving, true));
    if (timer_ != kNoTimer) loop_.cancel_timer(timer_);
    timer_ = kNoTimer;
    driver_.set_listener(nullptr);
    attached_ = false;
}

WpaState WiredSession::wpa_state() const {
    if (driver_.link_state() != LinkState::kUp || user_logoff_ || !attached_) return WpaState::kDisconnected;
    if (port_.port_status() == eapol::PortStatus::kAuthorized) return WpaState::kCompleted;
    return WpaState::kAssociated;
}

// ---- PortSink ----

void WiredSession::send_eapol(const MacAddress& peer, ByteView pdu) {
    if (pdu.size() > 1 && pdu[1] == kPacketTypeStart && !auth_started_) auth_started_ = now();
    Status s = driver_.send_eapol(peer, pdu);
    if (!s) {
        ++send_failures_;
        LOG_WARN("supplicant", "%s: sending EAPOL frame failed: %s", driver_.interface_name().c_str(),
                 s.error().to_string().c_str());
    }
}

void WiredSession::port_status_changed(const MacAddress& peer, eapol::PortStatus status) {
    LOG_INFO("supplicant", "%s: suppPortStatus=%s", driver_.interface_name().c_str(),
             eapol::port_status_name(status));
    if (status == eapol::PortStatus::kAuthorized) {
        if (!connected_) {
            connected_ = true;
            events_.emit(event_connected(peer, static_cast<int>(config_.network_id), config_.id_str));
        }
    } else {
        connected_ = false;
    }
}

void WiredSession::state_changed(const MacAddress&, const eapol::PaeStateChange&) {
    // The port logs every state entry itself (EAPOL: ... entering state ...).
}

// ---- DriverListener ----

void WiredSession::on_eapol_frame(const MacAddress& source, const MacAddress&, ByteView pdu) {
    port_.receive(source, pdu, now());
    reschedule();
}

void WiredSession::on_link_state(LinkState state) {
    LOG_INFO("supplicant", "%s: link %s", driver_.interface_name().c_str(), link_state_name(state));
    if (state != LinkState::kUp) {
        if (connected_) events_.emit(event_disconnected(config_.port.authenticator, kReasonDeauthLeaving, false));
        connected_ = false;
        auth_started_.reset();
    }
    port_.set_port_enabled(state == LinkState::kUp, now());
    reschedule();
}

// ---- timers ----

void WiredSession::reschedule() {
    if (!attached_) return;
    const std::optional<TimePoint> next = port_.next_timeout();
    if (timer_ != kNoTimer) {
        loop_.cancel_timer(timer_);
        timer_ = kNoTimer;
    }
    if (next) timer_ = loop_.add_timer_at(*next, [this] { on_timer(); });
}

void WiredSession::on_timer() {
    timer_ = kNoTimer;
    port_.tick(now());
    reschedule();
}

// ---- EAP events ----

Duration WiredSession::elapsed_since_start() const {
    return auth_started_ ? now() - *auth_started_ : Duration(0);
}

void WiredSession::eap_started() {
    if (!auth_started_) auth_started_ = now();
    events_.emit(event_eap_started());
}

void WiredSession::eap_proposed_method(uint8_t type) { events_.emit(event_eap_proposed_method(type)); }

void WiredSession::eap_method_selected(uint8_t type) { events_.emit(event_eap_method_selected(type)); }

void WiredSession::eap_succeeded(std::optional<eap::Type> method, unsigned rounds, bool resumed) {
    last_ = EapTimeline{true, method, rounds, elapsed_since_start(), resumed};
    events_.emit(event_eap_success());
    LOG_INFO("supplicant", "EAP: %s completed: rounds=%u time=%lldms resumed=%d", method_label(method).c_str(),
             rounds, static_cast<long long>(last_->elapsed.count()), resumed ? 1 : 0);
    auth_started_.reset();
}

void WiredSession::eap_failed(std::optional<eap::Type> method, unsigned rounds, const std::string& reason) {
    last_ = EapTimeline{false, method, rounds, elapsed_since_start(), false};
    events_.emit(event_eap_failure());
    LOG_INFO("supplicant", "EAP: %s failed: rounds=%u time=%lldms reason=%s", method_label(method).c_str(), rounds,
             static_cast<long long>(last_->elapsed.count()), reason.empty() ? "EAP-Failure" : reason.c_str());
    auth_started_.reset();
}

}  // namespace lanyard::supplicant
