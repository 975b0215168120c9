// The text lanyard-eapol-test prints: one line per authentication in
// eapol_test mode, the load generator's statistics block, and eapol_test's
// closing lines ("MPPE keys OK: N  mismatch: M", then SUCCESS or FAILURE).
#pragma once

#include <string>

#include "tools/eapol_test/load_runner.h"

namespace lanyard::eapol_test {

// "authentication 2: accept method=TLS resumed=1 round_trips=3 time_ms=4.2".
std::string outcome_line(uint64_t number, const OutcomeEvent& event);

// The load generator's block (every line starts with a fixed key, so
// scripts can read it with awk): authentications, rate, latency, CPU.
std::string load_summary(const RunStats& stats, unsigned stations, size_t servers);

// eapol_test's verdict: SUCCESS when every authentication was accepted
// with matching keys (or none expected) and none is missing.
bool run_succeeded(const RunStats& stats, uint64_t total);
// eapol_test's exit status: 0 on success, -4 (252) on a key mismatch or a
// failed authentication, -2 (254) when the run timed out otherwise.
int exit_status(const RunStats& stats, uint64_t total, bool run_timed_out);

std::string closing_lines(const RunStats& stats, uint64_t total);

}  // namespace lanyard::eapol_test
