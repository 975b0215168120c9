#include "authenticator/authenticator.h"

#include "common/log.h"

namespace lanyard::authenticator {

namespace {

constexpr const char* kLog = "authenticator";

PortState to_driver_state(eapol::PortStatus status) {
    switch (status) {
        case eapol::PortStatus::kAuthorized:
            return PortState::kAuthorized;
        case eapol::PortStatus::kUnauthorized:
            return PortState::kUnauthorized;
    }
    return PortState::kUnauthorized;
}

}  // namespace

Authenticator::Authenticator(EventLoop& loop, lanyard::Driver& driver, const eap::ServerEnvironment& env,
                             AuthenticatorSettings settings)
    : loop_(loop), driver_(driver), env_(env), settings_(std::move(settings)) {
    if (settings_.max_stations == 0) settings_.max_stations = 1;
    driver_.set_listener(this);
}

Authenticator::~Authenticator() {
    driver_.set_listener(nullptr);
    for (auto& [mac, session] : sessions_) loop_.cancel_timer(session->timer);
}

std::vector<MacAddress> Authenticator::stations() const {
    std::vector<MacAddress> out;
    out.reserve(sessions_.size());
    for (const auto& [mac, session] : sessions_) out.push_back(mac);
    return out;
}

const StationSession* Authenticator::find(const MacAddress& station) const {
    auto it = sessions_.find(station);
    return it == sessions_.end() ? nullptr : it->second.get();
}

Status Authenticator::reauthenticate(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return make_error(ErrorCode::kConfig, "no station " + station.to_string());
    StationSession& session = *it->second;
    LOG_INFO(kLog, "%s: STA %s IEEE 802.1X: reauthentication requested", driver_.interface_name().c_str(),
             station.to_string().c_str());
    session.port().reauthenticate(loop_.clock().now());
    reschedule(session);
    return ok_status();
}

Status Authenticator::deauthenticate(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return make_error(ErrorCode::kConfig, "no station " + station.to_string());
    LOG_INFO(kLog, "%s: STA %s deauthenticated by request", driver_.interface_name().c_str(),
             station.to_string().c_str());
    close_station(station, DisconnectCause::kAdminReset);
    driver_.forget_station(station);  // reports on_station_left: already gone
    return ok_status();
}

void Authenticator::disconnect_all() {
    for (const MacAddress& mac : stations()) close_station(mac, DisconnectCause::kNasRequest);
}

void Authenticator::on_eapol_frame(const MacAddress& source, const MacAddress& /*destination*/, ByteView pdu) {
    const bool known = sessions_.count(source) != 0;
    StationSession* session = admit(source);
    if (session == nullptr) return;
    const TimePoint now = loop_.clock().now();
    session->last_activity = now;
    session->port().receive(source, pdu, now);
    if (!known) {
        // The first frame is taken in before the port is enabled, so that an
        // EAPOL-Start and portEnabled start one EAP conversation, not two
        // (a second Request/Identity would make the supplicant answer twice).
        session->port().set_port_enabled(true, now);
    }
    // The session may have been erased by a callback (it is not today, but
    // look it up again rather than trust the pointer).
    auto it = sessions_.find(source);
    if (it != sessions_.end()) reschedule(*it->second);
}

Status Authenticator::station_associated(const MacAddress& station) {
    const bool known = sessions_.count(station) != 0;
    StationSession* session = admit(station);
    if (session == nullptr) return make_error(ErrorCode::kProtocol, "station table full");
    if (!known) session->port().set_port_enabled(true, loop_.clock().now());
    auto it = sessions_.find(station);
    if (it != sessions_.end()) reschedule(*it->second);
    return ok_status();
}

void Authenticator::on_station_left(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return;
    LOG_DEBUG(kLog, "%s: STA %s left", driver_.interface_name().c_str(), station.to_string().c_str());
    close_station(station, DisconnectCause::kLostCarrier);
}

void Authenticator::on_link_state(LinkState state) {
    LOG_INFO(kLog, "%s: link %s", driver_.interface_name().c_str(), link_state_name(state));
}

StationSession* Authenticator::admit(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it != sessions_.end()) return it->second.get();
    if (station.is_group() || station.is_zero()) {
        LOG_DEBUG(kLog, "dropping a frame from the group/zero address %s", station.to_string().c_str());
        return nullptr;
    }
    if (sessions_.size() >= settings_.max_stations && !make_room()) {
        ++stats_.frames_dropped_full;
        LOG_DEBUG(kLog, "%s: station table full (%zu, all authorized): dropping a frame from %s",
                  driver_.interface_name().c_str(), sessions_.size(), station.to_string().c_str());
        return nullptr;
    }
    EapServerCallbacks callbacks;
    callbacks.started = [this, station] { emit("CTRL-EVENT-EAP-STARTED " + station.to_string()); };
    callbacks.finished = [this, station](const EapOutcome& outcome) { eap_finished(station, outcome); };
    callbacks.deliver = [this, station](const eapol::EapServerResult& result) { eap_delivered(station, result); };
    std::unique_ptr<StationEapServer> eap =
        factory_ ? factory_(station, std::move(callbacks))
                 : std::make_unique<EapServerAdapter>(env_, settings_.eap, std::move(callbacks));
    auto session = std::make_unique<StationSession>(station, settings_.port, std::move(eap),
                                                    static_cast<eapol::PortSink&>(*this));
    StationSession* raw = session.get();
    sessions_.emplace(station, std::move(session));
    ++stats_.stations_created;
    LOG_DEBUG(kLog, "%s: new station %s (%zu stations)", driver_.interface_name().c_str(),
              station.to_string().c_str(), sessions_.size());
    raw->last_activity = loop_.clock().now();
    return raw;  // the caller enables the port after feeding the first frame
}

bool Authenticator::make_room() {
    const StationSession* victim = nullptr;
    for (const auto& [mac, session] : sessions_) {
        if (session->port().port_status() == eapol::PortStatus::kAuthorized) continue;
        if (victim == nullptr || session->last_activity < victim->last_activity) victim = session.get();
    }
    if (victim == nullptr) return false;
    const MacAddress mac = victim->station();
    LOG_DEBUG(kLog, "%s: station table full: forgetting idle unauthorized station %s",
              driver_.interface_name().c_str(), mac.to_string().c_str());
    erase(mac);
    driver_.forget_station(mac);
    ++stats_.stations_evicted;
    return true;
}

void Authenticator::close_station(const MacAddress& station, DisconnectCause cause) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return;
    pending_cause_ = cause;
    it->second->port().set_port_enabled(false, loop_.clock().now());
    pending_cause_ = DisconnectCause::kUserRequest;
    erase(station);
}

void Authenticator::erase(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return;
    loop_.cancel_timer(it->second->timer);
    loop_.cancel_timer(it->second->session_timer);
    sessions_.erase(it);
}

void Authenticator::eap_delivered(const MacAddress& station, const eapol::EapServerResult& result) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return;
    it->second->port().eap_result(result, loop_.clock().now());
    it = sessions_.find(station);
    if (it != sessions_.end()) reschedule(*it->second);
}

void Authenticator::arm_session_timeout(StationSession& session) {
    loop_.cancel_timer(session.session_timer);
    session.session_timer = kNoTimer;
    const SessionLimits limits = session.eap().session_limits();
    if (!limits.session_timeout) return;
    const MacAddress mac = session.station();
    const bool reauth = limits.reauthenticate_at_timeout;
    LOG_DEBUG(kLog, "%s: STA %s Session-Timeout %u s (%s)", driver_.interface_name().c_str(),
              mac.to_string().c_str(), *limits.session_timeout, reauth ? "reauthenticate" : "disconnect");
    session.session_timer = loop_.add_timer(seconds(*limits.session_timeout), [this, mac, reauth] {
        auto it = sessions_.find(mac);
        if (it == sessions_.end()) return;
        it->second->session_timer = kNoTimer;
        LOG_INFO(kLog, "%s: STA %s Session-Timeout reached", driver_.interface_name().c_str(), mac.to_string().c_str());
        if (reauth) {
            (void)reauthenticate(mac);
        } else {
            close_station(mac, DisconnectCause::kSessionTimeout);
            driver_.forget_station(mac);
        }
    });
}

void Authenticator::reschedule(StationSession& session) {
    if (session.timer != kNoTimer) {
        loop_.cancel_timer(session.timer);
        session.timer = kNoTimer;
    }
    const std::optional<TimePoint> deadline = session.next_timeout();
    if (!deadline) return;
    const MacAddress mac = session.station();
    session.timer = loop_.add_timer_at(*deadline, [this, mac] { on_timer(mac); });
}

void Authenticator::on_timer(const MacAddress& station) {
    auto it = sessions_.find(station);
    if (it == sessions_.end()) return;
    StationSession& session = *it->second;
    session.timer = kNoTimer;
    session.port().tick(loop_.clock().now());
    it = sessions_.find(station);
    if (it != sessions_.end()) reschedule(*it->second);
}

void Authenticator::send_eapol(const MacAddress& peer, ByteView pdu) {
    Status s = driver_.send_eapol(peer, pdu);
    if (!s) {
        ++stats_.send_failures;
        LOG_WARN(kLog, "%s: cannot send EAPOL to %s: %s", driver_.interface_name().c_str(),
                 peer.to_string().c_str(), s.error().to_string().c_str());
    }
}

void Authenticator::port_status_changed(const MacAddress& peer, eapol::PortStatus status) {
    if (authorization_hook_) {
        // Wi-Fi: only the bookkeeping here; the 4-way handshake opens the port.
        auto found = sessions_.find(peer);
        if (found == sessions_.end()) return;
        StationSession& session = *found->second;
        switch (status) {
            case eapol::PortStatus::kAuthorized:
                session.authorized_since = loop_.clock().now();
                arm_session_timeout(session);
                if (observer_ != nullptr) observer_->station_authorized(session);
                authorization_hook_(session);
                break;
            case eapol::PortStatus::kUnauthorized:
                if (session.authorized_since && observer_ != nullptr)
                    observer_->station_unauthorized(session, pending_cause_);
                session.authorized_since.reset();
                loop_.cancel_timer(session.session_timer);
                session.session_timer = kNoTimer;
                break;
        }
        return;
    }
    Status s = driver_.set_port_state(peer, to_driver_state(status));
    if (!s) {
        LOG_WARN(kLog, "%s: cannot set the port state of %s: %s", driver_.interface_name().c_str(),
                 peer.to_string().c_str(), s.error().to_string().c_str());
    }
    auto it = sessions_.find(peer);
    StationSession* session = it == sessions_.end() ? nullptr : it->second.get();
    const std::string addr = peer.to_string();
    switch (status) {
        case eapol::PortStatus::kAuthorized:
            LOG_INFO(kLog, "%s: STA %s IEEE 802.1X: authorizing port", driver_.interface_name().c_str(),
                     addr.c_str());
            if (session != nullptr) {
                session->authorized_since = loop_.clock().now();
                arm_session_timeout(*session);
                if (observer_ != nullptr) observer_->station_authorized(*session);
            }
            emit("AP-STA-CONNECTED " + addr);
            break;
        case eapol::PortStatus::kUnauthorized:
            LOG_INFO(kLog, "%s: STA %s IEEE 802.1X: unauthorizing port", driver_.interface_name().c_str(),
                     addr.c_str());
            if (session != nullptr) {
                if (session->authorized_since && observer_ != nullptr)
                    observer_->station_unauthorized(*session, pending_cause_);
                session->authorized_since.reset();
                loop_.cancel_timer(session->session_timer);
                session->session_timer = kNoTimer;
            }
            emit("AP-STA-DISCONNECTED " + addr);
            break;
    }
}

void Authenticator::state_changed(const MacAddress& peer, const eapol::PaeStateChange& change) {
    LOG_DEBUG(kLog, "%s: STA %s %s: %s -> %s", driver_.interface_name().c_str(), peer.to_string().c_str(),
              eapol::pae_machine_name(change.machine), change.from, change.to);
}

void Authenticator::emit(const std::string& event) {
    LOG_INFO(kLog, "%s: %s", driver_.interface_name().c_str(), event.c_str());
    if (event_sink_) event_sink_(event);
}

void Authenticator::eap_finished(const MacAddress& station, const EapOutcome& outcome) {
    const std::string addr = station.to_string();
    const long long ms = static_cast<long long>(outcome.time.count());
    switch (outcome.kind) {
        case EapOutcome::Kind::kSuccess:
            ++stats_.eap_successes;
            // The timeline line (tests and `make demo` read it).
            LOG_INFO(kLog, "EAP: %s %s completed: rounds=%u time=%lldms resumed=%d", addr.c_str(),
                     outcome.method.c_str(), outcome.rounds, ms, outcome.resumed ? 1 : 0);
            emit("CTRL-EVENT-EAP-SUCCESS " + addr);
            break;
        case EapOutcome::Kind::kFailure:
        case EapOutcome::Kind::kTimeout:
            ++stats_.eap_failures;
            LOG_INFO(kLog, "EAP: %s %s failed: rounds=%u time=%lldms reason=%s", addr.c_str(),
                     outcome.method.c_str(), outcome.rounds, ms,
                     outcome.kind == EapOutcome::Kind::kTimeout ? "timeout" : outcome.reason.c_str());
            emit("CTRL-EVENT-EAP-FAILURE " + addr);
            break;
    }
}

}  // namespace lanyard::authenticator
