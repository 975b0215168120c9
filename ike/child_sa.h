// CHILD_SA pieces shared by IKE_AUTH and CREATE_CHILD_SA: the configured
// child (ESP proposals, traffic selectors), traffic-selector narrowing
// (RFC 7296 §2.9), the negotiated CHILD_SA with its KEYMAT (§2.17), and the
// seam to the kernel (ChildSaInstaller): the IKE core never talks to XFRM.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/random.h"
#include "common/secret.h"
#include "ike/key_schedule.h"
#include "ike/payloads.h"

namespace lanyard::ike {

// One configured selector: a range or the word "dynamic" (the SA's own
// address, or the peer's virtual IP) as swanctl's local_ts/remote_ts.
struct TsConfig {
    bool dynamic = false;
    TrafficSelector ts;  // when !dynamic
};
// "10.1.0.0/16", "10.0.0.1", "10.0.0.1-10.0.0.9", "dynamic", "0.0.0.0/0",
// each optionally followed by "[proto/port]" ("[tcp/80]", "[udp]"). A
// comma-separated list.
Result<std::vector<TsConfig>> parse_ts_list(std::string_view text);
// A selector for exactly one address (4 or 16 octets), all protocols and ports.
TrafficSelector host_selector(ByteView address);
// "10.0.0.0/24" style printing for logs (ranges print as "a-b").
std::string ts_to_string(const TrafficSelector& ts);

// The intersection of two selectors, or nullopt if it is empty (§2.9).
std::optional<TrafficSelector> intersect_ts(const TrafficSelector& a, const TrafficSelector& b);
// Narrows a proposed list against an allowed list: every non-empty
// intersection, in the proposer's order, bounded to 16 selectors. An empty
// result means TS_UNACCEPTABLE.
std::vector<TrafficSelector> narrow_ts(const std::vector<TrafficSelector>& proposed,
                                       const std::vector<TrafficSelector>& allowed);
// Resolves "dynamic" against an address.
std::vector<TrafficSelector> resolve_ts(const std::vector<TsConfig>& config, ByteView dynamic_address);

enum class StartAction { kNone, kTrap, kStart };

struct ChildConfig {
    std::string name;
    std::vector<Proposal> esp_proposals;
    std::vector<TsConfig> local_ts;   // default: dynamic
    std::vector<TsConfig> remote_ts;  // default: dynamic
    StartAction start_action = StartAction::kNone;
    bool transport_mode = false;
    // swanctl children.<name>: rekey after rekey_time minus a random part
    // of rand_time; delete at life_time if no rekey made it (charon's
    // defaults: 1 h, rekey_time + 10 %, life_time - rekey_time). Zero
    // rekey_time: no rekeying; zero life_time: no hard expiry.
    Duration rekey_time{3600 * 1000};
    std::optional<Duration> life_time;  // unset: rekey_time + 10 %
    std::optional<Duration> rand_time;  // unset: life_time - rekey_time
};

// A negotiated ESP SA pair. The SPIs are each side's inbound SPI.
struct ChildSa {
    std::string config_name;
    uint32_t unique_id = 0;
    uint32_t spi_in = 0;   // what the peer sends to us with
    uint32_t spi_out = 0;  // what we send with
    Proposal proposal;
    std::vector<TrafficSelector> ts_local;
    std::vector<TrafficSelector> ts_remote;
    // §2.17: encr_i/integ_i protect what the initiator of the exchange that
    // created this SA sends.
    ChildSaKeys keys;
    bool we_initiated_exchange = false;
    bool transport_mode = false;
    // The IKE_SA's endpoints (the ESP tunnel endpoints), and the UDP ports
    // for RFC 3948 encapsulation when NAT-T is in use (0: plain ESP).
    Bytes local_address;
    Bytes remote_address;
    uint16_t encap_local_port = 0;
    uint16_t encap_remote_port = 0;
    // When to start a CREATE_CHILD_SA rekey, and when to give up on it and
    // delete the SA (ChildConfig's rekey_time / life_time; unset: never).
    std::optional<TimePoint> rekey_at;
    std::optional<TimePoint> expire_at;
};

// The kernel seam. allocate_spi() may consult the kernel (XFRM getspi);
// install() installs both directions; remove() deletes them. Failures are
// reported to the peer as a failed CHILD_SA, never crash the IKE_SA.
class ChildSaInstaller {
public:
    virtual ~ChildSaInstaller() = default;
    virtual Result<uint32_t> allocate_spi() = 0;
    virtual Status install(const ChildSa& child) = 0;
    virtual void remove(const ChildSa& child) = 0;
    virtual const char* name() const = 0;
};

// "--kernel none": draws SPIs from a random source and only records what
// would have been installed (for tests and hosts without XFRM).
class RecordingChildSaInstaller final : public ChildSaInstaller {
public:
    explicit RecordingChildSaInstaller(RandomSource& random) : random_(random) {}
    Result<uint32_t> allocate_spi() override;
    Status install(const ChildSa& child) override;
    void remove(const ChildSa& child) override;
    const char* name() const override { return "none"; }

    struct Event {
        bool installed = false;  // false: removed
        uint32_t spi_in = 0, spi_out = 0;
        std::string config_name;
    };
    const std::vector<Event>& events() const { return events_; }
    size_t installed_count() const { return installed_; }

private:
    void trim();
    RandomSource& random_;
    std::vector<Event> events_;
    size_t installed_ = 0;
};

}  // namespace lanyard::ike
