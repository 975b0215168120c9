// The event-loop side of lanyard-eapol-test: simulated stations
// (RadiusStation) over nonblocking UDP sockets, RADIUS Identifiers and
// retransmissions through radius::PendingRequests (RFC 5080 §2.2.1: a
// retransmission resends the same Identifier and Request Authenticator),
// every response checked with radius::verify_response (Message-
// Authenticator required) before it reaches a station. Single-threaded.
//
// Sockets: each carries at most stations_per_socket stations (<= 255), and
// has one Identifier space per server, so a station never waits for an
// Identifier. A station's k-th authentication goes to server
// (station + k) mod servers: successive authentications roam round-robin.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/event_loop.h"
#include "common/mac_address.h"
#include "common/result.h"
#include "common/secret.h"
#include "common/udp_socket.h"
#include "radius/pending_requests.h"
#include "tools/eapol_test/latency_stats.h"
#include "tools/eapol_test/radius_station.h"

namespace lanyard::eapol_test {

struct RunConfig {
    std::vector<SocketAddress> servers;   // at least one; one address family
    SecretBytes secret;
    unsigned stations = 1;
    uint64_t total = 1;                   // authentications in the measured phase
    unsigned stations_per_socket = 64;
    radius::RetransmitPolicy retransmit;
    Duration auth_timeout = seconds(30);  // per authentication
    std::optional<Duration> run_timeout;  // whole run (eapol_test's -t)
    bool warmup = false;                  // one untimed authentication per station first
    MacAddress base_mac = MacAddress({0x02, 0, 0, 0, 0, 0x01});
    std::string bind_address;             // -A; empty: the wildcard of the servers' family
};

// The MAC of station `index`: base plus index in the low 24 bits (wrapping
// inside them), so the OUI part stays the base's.
MacAddress station_mac(const MacAddress& base, uint32_t index);

struct RunStats {
    uint64_t started = 0;
    uint64_t accepted = 0;
    uint64_t rejected = 0;
    uint64_t failed = 0;
    uint64_t timed_out = 0;
    uint64_t resumed = 0;
    uint64_t mppe_ok = 0;
    uint64_t mppe_mismatch = 0;
    uint64_t retransmissions = 0;
    uint64_t responses = 0;               // verified responses handed to stations
    uint64_t dropped = 0;                 // datagrams dropped (see drop_reasons)
    std::map<std::string, uint64_t> drop_reasons;
    uint64_t warmup_done = 0;
    uint64_t warmup_failures = 0;
    LatencyRecorder latency;              // every finished authentication
    LatencyRecorder latency_full;         // accepted, not resumed
    LatencyRecorder latency_resumed;      // accepted, resumed
    double wall_seconds = 0;              // measured phase
    double cpu_seconds = 0;               // this process, user + system, measured phase
    std::vector<uint64_t> per_server;     // authentications started per server

    uint64_t finished() const { return accepted + rejected + failed + timed_out; }
};

struct OutcomeEvent {
    size_t station = 0;
    size_t server = 0;
    bool warmup = false;
    uint64_t latency_us = 0;
    const AuthOutcome* outcome = nullptr;
};

class LoadRunner {
public:
    static Result<std::unique_ptr<LoadRunner>> create(EventLoop& loop, const StationSettings& settings,
                                                      RunConfig config);
    ~LoadRunner();
    LoadRunner(const LoadRunner&) = delete;
    LoadRunner& operator=(const LoadRunner&) = delete;

    // Called after every finished authentication (for progress lines).
    void set_observer(std::function<void(const OutcomeEvent&)> observer) { observer_ = std::move(observer); }

    // Runs every authentication to its end; returns when all are finished
    // (or the run timeout struck). Errors only for the event loop itself.
    Status run();
    const RunStats& stats() const { return stats_; }
    bool run_timed_out() const { return run_timed_out_; }

private:
    using SteadyTime = std::chrono::steady_clock::time_point;
    struct Socket {
        UdpSocket udp;
        std::vector<radius::PendingRequests> tables;                  // per server
        std::vector<std::unordered_map<uint64_t, size_t>> owners;     // per server: token → station
    };
    struct Station {
        std::unique_ptr<RadiusStation> peer;
        size_t socket = 0;
        size_t server = 0;
        uint64_t auths = 0;        // authentications begun by this station
        bool busy = false;
        bool warmup = false;       // the running authentication is the warm-up one
        std::optional<uint64_t> token;
        SteadyTime started{};
        TimePoint deadline{};
    };

    LoadRunner(EventLoop& loop, const StationSettings& settings, RunConfig config);
    Status open_sockets();
    void begin_measured_phase();
    void start_authentication(size_t index);
    void send_request(size_t index);
    void on_readable(size_t socket_index);
    void handle_datagram(size_t socket_index, ByteView datagram, const SocketAddress& source);
    void on_tick();
    void expire(size_t index, const std::string& reason);
    void finish(size_t index, const AuthOutcome& outcome);
    void finish_later(size_t index, AuthOutcome outcome);
    void drop(const std::string& reason);
    void maybe_stop();

    EventLoop& loop_;
    const StationSettings& settings_;
    RunConfig config_;
    std::vector<Socket> sockets_;
    std::vector<Station> stations_;
    RunStats stats_;
    std::function<void(const OutcomeEvent&)> observer_;
    bool measuring_ = false;
    bool stopping_ = false;          // run timeout: start nothing new
    bool run_timed_out_ = false;
    TimerId tick_ = kNoTimer;
    std::optional<TimePoint> run_deadline_;
    SteadyTime measure_start_{};
    double cpu_start_ = 0;
    std::vector<uint8_t> buffer_;
};

}  // namespace lanyard::eapol_test
