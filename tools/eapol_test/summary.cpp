#include "tools/eapol_test/summary.h"

#include <cstdio>

#include "methods/eap_types.h"

namespace lanyard::eapol_test {

namespace {
// Fixed-point text with `decimals` digits after the point.
std::string fmt(int decimals, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string ms(uint64_t us) { return fmt(2, double(us) / 1000.0); }
}  // namespace

std::string outcome_line(uint64_t number, const OutcomeEvent& event) {
    const AuthOutcome& o = *event.outcome;
    std::string line = std::string(event.warmup ? "warm-up " : "") + "authentication " + std::to_string(number) +
                       ": " + auth_result_name(o.result);
    line += " method=" + std::string(o.method ? eap::type_name(static_cast<uint8_t>(*o.method)) : "none");
    line += " resumed=" + std::string(o.resumed ? "1" : "0");
    line += " round_trips=" + std::to_string(o.round_trips);
    line += " keys=" + std::string(key_check_name(o.keys));
    line += " time_ms=" + ms(event.latency_us);
    if (!o.reason.empty()) line += " reason=\"" + o.reason + "\"";
    return line;
}

std::string load_summary(const RunStats& s, unsigned stations, size_t servers) {
    std::string out;
    const uint64_t done = s.finished();
    const double rate = s.wall_seconds > 0 ? double(done) / s.wall_seconds : 0;
    out += "authentications: " + std::to_string(done) + "  successes: " + std::to_string(s.accepted) +
           "  failures: " + std::to_string(done - s.accepted) + " (reject " + std::to_string(s.rejected) +
           ", timeout " + std::to_string(s.timed_out) + ", other " + std::to_string(s.failed) + ")" +
           "  resumed: " + std::to_string(s.resumed) + "\n";
    out += "rate: " + fmt(1, rate) + " auth/s over " + fmt(3, s.wall_seconds) + " s (" +
           std::to_string(stations) + " stations, " + std::to_string(servers) + " server" +
           (servers == 1 ? "" : "s") + ")\n";
    const LatencySummary all = s.latency.summary();
    out += "latency ms: p50 " + ms(all.p50_us) + "  p99 " + ms(all.p99_us) + "  max " + ms(all.max_us) +
           "  mean " + ms(all.mean_us) + "\n";
    const LatencySummary full = s.latency_full.summary();
    const LatencySummary res = s.latency_resumed.summary();
    out += "latency full ms: n " + std::to_string(full.count) + "  p50 " + ms(full.p50_us) + "  p99 " +
           ms(full.p99_us) + "\n";
    out += "latency resumed ms: n " + std::to_string(res.count) + "  p50 " + ms(res.p50_us) + "  p99 " +
           ms(res.p99_us) + "\n";
    out += "radius: responses " + std::to_string(s.responses) + "  retransmissions " +
           std::to_string(s.retransmissions) + "  dropped " + std::to_string(s.dropped) + "\n";
    for (const auto& [reason, n] : s.drop_reasons) out += "dropped: " + std::to_string(n) + " " + reason + "\n";
    if (s.per_server.size() > 1) {
        out += "per server:";
        for (uint64_t n : s.per_server) out += " " + std::to_string(n);
        out += "\n";
    }
    if (s.warmup_done > 0) {
        out += "warm-up: " + std::to_string(s.warmup_done) + " authentications, " +
               std::to_string(s.warmup_failures) + " failed\n";
    }
    const double cpu_ms_per_auth = done > 0 ? s.cpu_seconds * 1000.0 / double(done) : 0;
    out += "load generator cpu: " + fmt(3, s.cpu_seconds) + " s  per authentication " +
           fmt(3, cpu_ms_per_auth) + " ms  (" +
           fmt(0, s.wall_seconds > 0 ? 100.0 * s.cpu_seconds / s.wall_seconds : 0) + "% of one core)\n";
    return out;
}

bool run_succeeded(const RunStats& stats, uint64_t total) {
    return stats.mppe_mismatch == 0 && stats.finished() == total && stats.accepted == total;
}

int exit_status(const RunStats& stats, uint64_t total, bool run_timed_out) {
    if (stats.mppe_mismatch > 0) return 252;  // eapol_test: ret = -4
    if (run_succeeded(stats, total)) return 0;
    return run_timed_out ? 254 : 252;         // -2: timed out
}

std::string closing_lines(const RunStats& stats, uint64_t total) {
    return "MPPE keys OK: " + std::to_string(stats.mppe_ok) + "  mismatch: " + std::to_string(stats.mppe_mismatch) +
           "\n" + (run_succeeded(stats, total) ? "SUCCESS\n" : "FAILURE\n");
}

}  // namespace lanyard::eapol_test
