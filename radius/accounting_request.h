// The Accounting-Request an 802.1X authenticator sends (RFC 2866 §4.1, §5;
// RFC 3580 §3 for IEEE 802.1X): Start when a port opens, Interim-Update
// while it stays open, Stop when it closes. Built as a Packet; sign and
// serialize it with encode_accounting_request (or hand it to RadiusClient).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/mac_address.h"
#include "common/result.h"
#include "radius/radius_attributes.h"
#include "radius/radius_packet.h"
#include "radius/request_builder.h"

namespace lanyard::radius {

struct AccountingParams {
    AcctStatusType status = AcctStatusType::kStart;
    std::string session_id;                      // Acct-Session-Id, unique per session (RFC 2866 §5.5)
    SessionAttributes session;                   // user, NAS, stations
    std::vector<Bytes> classes;                  // echoed from the Access-Accept (RFC 2865 §5.25)
    uint32_t delay_seconds = 0;                  // Acct-Delay-Time (RFC 2866 §5.2)
    uint32_t event_timestamp = 0;                // Event-Timestamp, seconds since 1970 (RFC 2869 §5.3); 0: omitted
    // Interim-Update and Stop only.
    uint32_t session_time = 0;                   // Acct-Session-Time, seconds (RFC 2866 §5.7)
    uint64_t input_octets = 0;                   // split into Acct-Input-Octets and -Gigawords
    uint64_t output_octets = 0;
    uint32_t input_packets = 0;
    uint32_t output_packets = 0;
    // Stop only.
    std::optional<AcctTerminateCause> terminate_cause;
};

// Fails only when a text value exceeds 253 octets.
Result<Packet> build_accounting_request(const AccountingParams& params);

}  // namespace lanyard::radius
