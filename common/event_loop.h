// The single-threaded epoll event loop every daemon runs on: fd watchers,
// one-shot timers on an injected Clock, and signals through signalfd.
//
// Re-entrancy: any callback may add, modify or remove any watcher, timer or
// signal handler (including its own) while the loop is dispatching. A
// watcher removed during a dispatch round receives no further callbacks in
// that round, even if the kernel reported it ready; a callback object stays
// alive until the call that is running it returns.
//
// Timers: a timer fires on the first run_once() whose Clock::now() is at or
// past its deadline. Timers with equal deadlines fire in the order they were
// added. With a FakeClock, tests advance the clock and call run_once(zero):
// nothing sleeps and expiry is fully deterministic. A timer added by a timer
// callback never fires in the same round, so a zero-delay re-arm cannot spin.
#pragma once

#include <csignal>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "common/clock.h"
#include "common/result.h"

namespace lanyard {

// Callbacks for one file descriptor. The loop asks the kernel only for the
// readiness that has a callback. An error or hang-up on the fd is reported
// to on_readable when set (a read then sees the error or EOF), otherwise to
// on_writable.
struct FdWatch {
    std::function<void()> on_readable;
    std::function<void()> on_writable;
};

using TimerId = uint64_t;
inline constexpr TimerId kNoTimer = 0;

class EventLoop {
public:
    // Creates the epoll instance. The clock must outlive the loop.
    static Result<std::unique_ptr<EventLoop>> create(Clock& clock = SystemClock::instance());
    ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    Clock& clock() const { return clock_; }

    // ---- file descriptors (the loop never closes them) ----
    // Fails if fd is already watched or if both callbacks are empty.
    Status add_fd(int fd, FdWatch watch);
    // Replaces the callbacks (and thus the interest set) of a watched fd.
    Status modify_fd(int fd, FdWatch watch);
    // No-op for an fd that is not watched. Call before closing the fd.
    void remove_fd(int fd);
    bool is_watched(int fd) const { return fd_ids_.count(fd) != 0; }

    // ---- one-shot timers ----
    TimerId add_timer_at(TimePoint deadline, std::function<void()> callback);
    TimerId add_timer(Duration delay, std::function<void()> callback);
    // True if the timer was pending; false if it already fired or never was.
    bool cancel_timer(TimerId id);
    bool timer_pending(TimerId id) const { return timers_.count(id) != 0; }
    size_t pending_timers() const { return timers_.size(); }
    std::optional<TimePoint> next_deadline() const;

    // ---- signals ----
    // Blocks the signal (for the calling thread) and delivers it through a
    // signalfd instead; meant for SIGINT, SIGTERM, SIGHUP and friends. The
    // original mask is restored when the loop is destroyed. Replaces an
    // earlier handler for the same signal.
    Status add_signal(int signo, std::function<void(int signo)> callback);
    void remove_signal(int signo);

    // ---- running ----
    // Dispatches until stop(). Returns an error only if epoll itself fails.
    Status run();
    // Makes run() return after the current dispatch round.
    void stop() { stop_requested_ = true; }
    bool stop_requested() const { return stop_requested_; }
    // One round: waits up to `timeout` (nullopt: until something happens;
    // zero: does not sleep) for fd readiness or the next timer deadline,
    // then dispatches. Returns how many callbacks it ran.
    Result<size_t> run_once(std::optional<Duration> timeout);

private:
    struct FdEntry {
        int fd = -1;
        FdWatch watch;
    };
    struct TimerEntry {
        TimePoint deadline;
        std::function<void()> callback;
    };
    using FdEntryPtr = std::shared_ptr<FdEntry>;

    EventLoop(Clock& clock, int epoll_fd);

    Status update_epoll(int op, int fd, uint64_t id, const FdWatch& watch);
    size_t dispatch_fd(uint64_t id, uint32_t events);
    size_t fire_due_timers();
    int epoll_timeout_ms(std::optional<Duration> timeout) const;
    Status ensure_signal_fd();
    size_t read_signals();

    Clock& clock_;
    int epoll_fd_ = -1;
    bool stop_requested_ = false;

    // Watchers are keyed by a never-reused id so that an fd number removed
    // and re-added inside one round cannot receive a stale event.
    uint64_t next_fd_id_ = 1;
    std::unordered_map<uint64_t, FdEntryPtr> fds_;
    std::unordered_map<int, uint64_t> fd_ids_;

    TimerId next_timer_id_ = 1;
    std::unordered_map<TimerId, TimerEntry> timers_;
    std::set<std::pair<TimePoint, TimerId>> timer_order_;

    int signal_fd_ = -1;
    sigset_t signal_mask_{};
    sigset_t original_mask_{};
    bool mask_saved_ = false;
    std::map<int, std::shared_ptr<std::function<void(int)>>> signal_handlers_;
};

}  // namespace lanyard
