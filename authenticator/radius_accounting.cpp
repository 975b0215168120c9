#include "authenticator/radius_accounting.h"

#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "common/log.h"

namespace lanyard::authenticator {

namespace {
constexpr const char* kLog = "radius-acct";
// RFC 2869 §5.16: "SHOULD NOT be smaller than 60".
const Duration kMinInterim = seconds(60);

radius::AcctTerminateCause terminate_cause(DisconnectCause cause) {
    switch (cause) {
        case DisconnectCause::kUserRequest: return radius::AcctTerminateCause::kUserRequest;
        case DisconnectCause::kLostCarrier: return radius::AcctTerminateCause::kLostCarrier;
        case DisconnectCause::kAdminReset: return radius::AcctTerminateCause::kAdminReset;
        case DisconnectCause::kSessionTimeout: return radius::AcctTerminateCause::kSessionTimeout;
        case DisconnectCause::kNasRequest: return radius::AcctTerminateCause::kNasRequest;
    }
    return radius::AcctTerminateCause::kNasError;
}

const char* status_name(radius::AcctStatusType status) {
    switch (status) {
        case radius::AcctStatusType::kStart: return "Start";
        case radius::AcctStatusType::kStop: return "Stop";
        case radius::AcctStatusType::kInterimUpdate: return "Interim-Update";
        case radius::AcctStatusType::kAccountingOn: return "Accounting-On";
        case radius::AcctStatusType::kAccountingOff: return "Accounting-Off";
    }
    return "?";
}
}  // namespace

RadiusAccounting::RadiusAccounting(EventLoop& loop, RadiusTransport& transport, const NasIdentity& nas)
    : loop_(loop), transport_(transport), nas_(nas), boot_stamp_(static_cast<uint32_t>(std::time(nullptr))) {}

RadiusAccounting::~RadiusAccounting() {
    for (auto& [mac, session] : sessions_) loop_.cancel_timer(session.interim_timer);
}

std::string RadiusAccounting::session_id(const MacAddress& station) const {
    auto it = sessions_.find(station);
    return it == sessions_.end() ? std::string() : it->second.id;
}

void RadiusAccounting::station_authorized(const StationSession& session) {
    const MacAddress station = session.station();
    auto old = sessions_.find(station);
    if (old != sessions_.end()) {
        // Reauthenticated while open: the accounting session goes on.
        old->second.classes = session.eap().radius_classes();
        return;
    }
    Session s;
    char id[32];
    std::snprintf(id, sizeof(id), "%08" PRIX32 "-%08" PRIX64, boot_stamp_, ++next_session_);
    s.id = id;
    s.user_name = session.eap().identity();
    s.classes = session.eap().radius_classes();
    s.started = loop_.clock().now();
    if (auto interim = session.eap().session_limits().interim_interval)
        s.interim = std::max<Duration>(seconds(*interim), kMinInterim);
    auto [it, inserted] = sessions_.emplace(station, std::move(s));
    send(station, it->second, radius::AcctStatusType::kStart, std::nullopt);
    stats_.starts++;
    arm_interim(station, it->second);
}

void RadiusAccounting::station_unauthorized(const StationSession& session, DisconnectCause cause) {
    auto it = sessions_.find(session.station());
    if (it == sessions_.end()) return;
    loop_.cancel_timer(it->second.interim_timer);
    send(it->first, it->second, radius::AcctStatusType::kStop, terminate_cause(cause));
    stats_.stops++;
    sessions_.erase(it);
}

void RadiusAccounting::arm_interim(const MacAddress& station, Session& session) {
    if (session.interim.count() <= 0) return;
    session.interim_timer = loop_.add_timer(session.interim, [this, station] {
        auto it = sessions_.find(station);
        if (it == sessions_.end()) return;
        it->second.interim_timer = kNoTimer;
        send(station, it->second, radius::AcctStatusType::kInterimUpdate, std::nullopt);
        stats_.interims++;
        arm_interim(station, it->second);
    });
}

void RadiusAccounting::send(const MacAddress& station, const Session& session, radius::AcctStatusType status,
                            std::optional<radius::AcctTerminateCause> cause) {
    radius::AccountingParams p;
    p.status = status;
    p.session_id = session.id;
    p.session = nas_.session(station, session.user_name);
    p.classes = session.classes;
    p.event_timestamp = static_cast<uint32_t>(std::time(nullptr));
    p.session_time = static_cast<uint32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(loop_.clock().now() - session.started).count());
    p.terminate_cause = cause;
    auto packet = radius::build_accounting_request(p);
    if (!packet) {
        LOG_WARN(kLog, "%s: cannot build Accounting-Request: %s", station.to_string().c_str(),
                 packet.error().to_string().c_str());
        return;
    }
    const std::string what = std::string(status_name(status)) + " " + session.id + " " + station.to_string();
    auto token = transport_.submit(radius::RequestKind::kAccounting, std::move(*packet),
                                   [this, what](Result<radius::RadiusClient::Response> r) {
                                       if (r) {
                                           stats_.answered++;
                                           LOG_DEBUG(kLog, "Accounting-Response for %s", what.c_str());
                                       } else {
                                           stats_.unanswered++;
                                           LOG_WARN(kLog, "Accounting %s unanswered: %s", what.c_str(),
                                                    r.error().detail.c_str());
                                       }
                                   });
    if (!token) {
        LOG_WARN(kLog, "Accounting %s not sent: %s", what.c_str(), token.error().to_string().c_str());
        return;
    }
    LOG_INFO(kLog, "Accounting-Request %s", what.c_str());
}

}  // namespace lanyard::authenticator
