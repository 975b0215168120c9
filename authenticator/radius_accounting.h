// RADIUS accounting (RFC 2866) for the authenticator's stations, as hostapd
// does with acct_server_*: Accounting-Request Start when a station's port
// opens, Interim-Update every Acct-Interim-Interval the Access-Accept asked
// for (at least 60 s, RFC 2869 §5.16), Stop with the session time and the
// terminate cause when it closes. Class attributes of the Access-Accept are
// echoed (RFC 2865 §5.25). Octet and packet counters are 0: the wired driver
// does not count per-station traffic.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "authenticator/authenticator.h"
#include "authenticator/nas_identity.h"
#include "authenticator/radius_transport.h"
#include "common/event_loop.h"
#include "radius/accounting_request.h"

namespace lanyard::authenticator {

struct AccountingStats {
    uint64_t starts = 0;
    uint64_t interims = 0;
    uint64_t stops = 0;
    uint64_t answered = 0;
    uint64_t unanswered = 0;
};

class RadiusAccounting final : public StationObserver {
public:
    // loop, transport and nas must outlive this object.
    RadiusAccounting(EventLoop& loop, RadiusTransport& transport, const NasIdentity& nas);
    ~RadiusAccounting() override;

    void station_authorized(const StationSession& session) override;
    void station_unauthorized(const StationSession& session, DisconnectCause cause) override;

    const AccountingStats& stats() const { return stats_; }
    // The Acct-Session-Id of a station's open session ("" when none).
    std::string session_id(const MacAddress& station) const;

private:
    struct Session {
        std::string id;
        std::string user_name;
        std::vector<Bytes> classes;
        TimePoint started{};
        Duration interim{0};
        TimerId interim_timer = kNoTimer;
    };
    void send(const MacAddress& station, const Session& session, radius::AcctStatusType status,
              std::optional<radius::AcctTerminateCause> cause);
    void arm_interim(const MacAddress& station, Session& session);

    EventLoop& loop_;
    RadiusTransport& transport_;
    const NasIdentity& nas_;
    std::map<MacAddress, Session> sessions_;
    uint64_t next_session_ = 0;
    uint32_t boot_stamp_ = 0;  // high half of Acct-Session-Id: unique across restarts
    AccountingStats stats_;
};

}  // namespace lanyard::authenticator
