// The Supplicant PAE state machine (IEEE 802.1X-2004 §8.2.11, Figure 8-17):
// starts authentications with EAPOL-Start, logs off, holds after a failure
// and owns suppPortStatus.
#pragma once

#include <optional>

#include "common/clock.h"
#include "eapol/pae_timer.h"
#include "eapol/supplicant_variables.h"

namespace lanyard::eapol {

enum class SupplicantPaeState {
    kLogoff,
    kDisconnected,
    kConnecting,
    kAuthenticating,
    kHeld,
    kAuthenticated,
    kRestart,
    kForceAuth,    // S_FORCE_AUTH
    kForceUnauth,  // S_FORCE_UNAUTH
};
// The standard's names ("AUTHENTICATED", "S_FORCE_AUTH"), as wpa_supplicant's
// STATUS prints them ("Supplicant PAE state=AUTHENTICATED").
const char* supplicant_pae_state_name(SupplicantPaeState state);
// IEEE8021-PAE-MIB dot1xSuppPaeState: disconnected(1), logoff(2),
// connecting(3), authenticating(4), authenticated(5), held(7), restart(8),
// sForceAuth(9), sForceUnauth(10).
int supplicant_pae_state_mib_value(SupplicantPaeState state);

// §8.2.11.1.1 constants, with the standard's defaults.
struct SupplicantPaeTimers {
    Duration start_period = seconds(30);  // startPeriod
    Duration held_period = seconds(60);   // heldPeriod
    unsigned max_start = 3;               // maxStart
};

// §8.2.11.1.2 procedures the machine calls.
class SupplicantPaeActions {
public:
    virtual ~SupplicantPaeActions() = default;
    virtual void tx_start() = 0;   // txStart: send EAPOL-Start
    virtual void tx_logoff() = 0;  // txLogoff: send EAPOL-Logoff
};

class SupplicantPae {
public:
    explicit SupplicantPae(SupplicantPaeTimers timers = {}) : timers_(timers) {}

    // Evaluates the transitions once (a global transition first). Returns
    // true when a state was entered; a global transition that re-enters the
    // current state runs its actions again (the timers stay reset) but
    // returns false, so a port's settle loop ends.
    bool step(SupplicantVariables& v, TimePoint now, SupplicantPaeActions& actions);

    SupplicantPaeState state() const { return state_; }
    unsigned start_count() const { return start_count_; }
    const SupplicantPaeTimers& timers() const { return timers_; }
    void set_timers(const SupplicantPaeTimers& timers) { timers_ = timers; }
    // The deadline of the timer the current state waits for.
    std::optional<TimePoint> next_timeout(TimePoint now) const;
    long held_while_seconds(TimePoint now) const { return held_while_.seconds_left(now); }
    long start_when_seconds(TimePoint now) const { return start_when_.seconds_left(now); }

private:
    bool enter(SupplicantPaeState next, bool global, SupplicantVariables& v, TimePoint now,
               SupplicantPaeActions& actions);

    SupplicantPaeTimers timers_;
    SupplicantPaeState state_ = SupplicantPaeState::kDisconnected;
    PaeTimer start_when_;  // startWhen
    PaeTimer held_while_;  // heldWhile
    unsigned start_count_ = 0;  // startCount
};

}  // namespace lanyard::eapol
