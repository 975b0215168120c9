// The IKE_SAs of one gateway: finds the SA for a datagram by SPI (RFC 7296
// §2.1: our SPI identifies it; IKE_SA_INIT retransmissions by the
// initiator's SPI and address), creates responder SAs, asks for COOKIEs
// when too many SAs are half-open (§2.6), adopts rekeyed successors, and
// removes closed SAs. Pure like IkeSa: datagrams in, datagrams out, timers
// through next_deadline()/on_timer().
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "ike/ike_sa.h"
#include "ike/nat_cookie.h"

namespace lanyard::ike {

struct ManagerOptions {
    size_t cookie_threshold = 10;  // half-open SAs before COOKIEs are asked for (charon: 10)
    size_t max_half_open = 10000;  // beyond this, IKE_SA_INIT is dropped
    size_t max_sas = 100000;
};

class IkeSaManager {
public:
    IkeSaManager(IkeSaEnv& env, ManagerOptions options = {});
    ~IkeSaManager();

    // One datagram; `data` without the non-ESP marker, path.non_esp_marker
    // set if it had one.
    void handle_datagram(ByteView data, const IkePath& path);
    // Starts an IKE_SA as initiator; returns its unique id.
    Result<uint32_t> initiate(std::shared_ptr<const PeerConfig> config, const IkePath& path,
                              std::optional<std::string> child_name);
    void on_timer();
    std::optional<TimePoint> next_deadline() const;
    std::vector<OutgoingDatagram> take_output() { return std::exchange(out_, {}); }

    IkeSa* find_by_unique_id(uint32_t id);
    // IkeSaEnv::auth_ready came for the SA with this local SPI: let it
    // answer its waiting IKE_AUTH request (nothing if the SA is gone).
    void resume_auth(uint64_t spi);
    std::vector<IkeSa*> all();
    // Runs `f` on an SA and then collects its output (control commands).
    template <typename F> void with_sa(IkeSa* sa, F f) {
        f(*sa);
        after(sa->local_spi());
    }
    size_t count() const { return sas_.size(); }
    size_t half_open() const { return half_open_.size(); }

    struct Stats {
        uint64_t received = 0;
        uint64_t dropped = 0;
        uint64_t cookies_sent = 0;
        uint64_t established = 0;
        std::map<std::string, uint64_t> drop_reasons;
    };
    const Stats& stats() const { return stats_; }
    CookieJar& cookies() { return cookies_; }

private:
    void drop(const std::string& reason);
    void handle_init_request(ByteView data, const Message& msg, const IkePath& path);
    // Collects output and successor, reschedules, removes a closed SA.
    void after(uint64_t spi);
    // §2.4: an IKE_SA established with INITIAL_CONTACT replaces the older
    // IKE_SAs of the same connection and peer identity.
    void drop_replaced(const IkeSa& newest);
    void schedule(uint64_t spi, IkeSa& sa);

    IkeSaEnv& env_;
    ManagerOptions options_;
    CookieJar cookies_;
    std::unordered_map<uint64_t, std::unique_ptr<IkeSa>> sas_;  // by our SPI
    std::map<std::pair<uint64_t, SocketAddress>, uint64_t> half_open_;  // (SPIi, peer) -> our SPI
    std::unordered_map<uint64_t, std::pair<uint64_t, SocketAddress>> half_open_key_;
    std::set<std::pair<TimePoint, uint64_t>> timers_;
    std::unordered_map<uint64_t, TimePoint> timer_of_;
    std::vector<OutgoingDatagram> out_;
    Stats stats_;
};

}  // namespace lanyard::ike
