#include "radius/accounting_request.h"

#include "radius/request_builder.h"

namespace lanyard::radius {

namespace {
// RFC 2869 §5.3
constexpr uint8_t kEventTimestamp = 55;
// RFC 2866 §5.6 Acct-Authentic: RADIUS.
constexpr uint32_t kAuthenticRadius = 1;
}  // namespace

Result<Packet> build_accounting_request(const AccountingParams& p) {
    Packet packet;
    packet.code = static_cast<uint8_t>(Code::kAccountingRequest);
    add_integer(packet, attr::kAcctStatusType, static_cast<uint32_t>(p.status));
    LANYARD_TRY(add_string(packet, attr::kAcctSessionId, p.session_id));
    LANYARD_TRY(add_session_attributes(packet, p.session));
    add_integer(packet, attr::kAcctAuthentic, kAuthenticRadius);
    add_integer(packet, attr::kAcctDelayTime, p.delay_seconds);
    if (p.event_timestamp != 0) add_integer(packet, kEventTimestamp, p.event_timestamp);
    for (const Bytes& c : p.classes) LANYARD_TRY(packet.add(attr::kClass, c));
    if (p.status == AcctStatusType::kInterimUpdate || p.status == AcctStatusType::kStop) {
        add_integer(packet, attr::kAcctSessionTime, p.session_time);
        // RFC 2869 §5.1, §5.2: the octet counters wrap at 2^32, the
        // Gigawords attributes count the wraps.
        add_integer(packet, attr::kAcctInputOctets, static_cast<uint32_t>(p.input_octets));
        add_integer(packet, attr::kAcctOutputOctets, static_cast<uint32_t>(p.output_octets));
        add_integer(packet, attr::kAcctInputGigawords, static_cast<uint32_t>(p.input_octets >> 32));
        add_integer(packet, attr::kAcctOutputGigawords, static_cast<uint32_t>(p.output_octets >> 32));
        add_integer(packet, attr::kAcctInputPackets, p.input_packets);
        add_integer(packet, attr::kAcctOutputPackets, p.output_packets);
    }
    if (p.status == AcctStatusType::kStop && p.terminate_cause)
        add_integer(packet, attr::kAcctTerminateCause, static_cast<uint32_t>(*p.terminate_cause));
    return packet;
}

}  // namespace lanyard::radius
