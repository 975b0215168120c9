#include "common/event_loop.h"

#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <vector>

#include "common/log.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "event_loop";
// Events taken from the kernel per round; more simply wait for the next one.
constexpr int kMaxEventsPerRound = 64;

Error errno_error(const char* what) {
    return make_error(ErrorCode::kIo, std::string(what) + ": " + std::strerror(errno));
}

uint32_t interest_of(const FdWatch& watch) {
    uint32_t events = 0;
    if (watch.on_readable) events |= EPOLLIN;
    if (watch.on_writable) events |= EPOLLOUT;
    return events;
}

}  // namespace

Result<std::unique_ptr<EventLoop>> EventLoop::create(Clock& clock) {
    const int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) return errno_error("epoll_create1");
    return std::unique_ptr<EventLoop>(new EventLoop(clock, fd));
}

EventLoop::EventLoop(Clock& clock, int epoll_fd) : clock_(clock), epoll_fd_(epoll_fd) {
    sigemptyset(&signal_mask_);
    sigemptyset(&original_mask_);
}

EventLoop::~EventLoop() {
    if (signal_fd_ >= 0) {
        // Drain what is pending so that restoring the mask cannot deliver a
        // SIGTERM we had already taken responsibility for.
        signalfd_siginfo info{};
        while (read(signal_fd_, &info, sizeof(info)) == static_cast<ssize_t>(sizeof(info))) {
        }
        close(signal_fd_);
    }
    if (mask_saved_) pthread_sigmask(SIG_SETMASK, &original_mask_, nullptr);
    if (epoll_fd_ >= 0) close(epoll_fd_);
}

// ---- file descriptors ----------------------------------------------------

Status EventLoop::update_epoll(int op, int fd, uint64_t id, const FdWatch& watch) {
    epoll_event ev{};
    ev.events = interest_of(watch);
    ev.data.u64 = id;
    if (epoll_ctl(epoll_fd_, op, fd, &ev) != 0) return errno_error("epoll_ctl");
    return ok_status();
}

Status EventLoop::add_fd(int fd, FdWatch watch) {
    if (fd < 0) return make_error(ErrorCode::kInternal, "add_fd: negative fd");
    if (!watch.on_readable && !watch.on_writable) {
        return make_error(ErrorCode::kInternal, "add_fd: no callback");
    }
    if (is_watched(fd)) {
        return make_error(ErrorCode::kInternal, "add_fd: fd " + std::to_string(fd) + " already watched");
    }
    const uint64_t id = next_fd_id_++;
    LANYARD_TRY(update_epoll(EPOLL_CTL_ADD, fd, id, watch));
    auto entry = std::make_shared<FdEntry>();
    entry->fd = fd;
    entry->watch = std::move(watch);
    fds_.emplace(id, std::move(entry));
    fd_ids_.emplace(fd, id);
    return ok_status();
}

Status EventLoop::modify_fd(int fd, FdWatch watch) {
    auto it = fd_ids_.find(fd);
    if (it == fd_ids_.end()) {
        return make_error(ErrorCode::kInternal, "modify_fd: fd " + std::to_string(fd) + " not watched");
    }
    if (!watch.on_readable && !watch.on_writable) {
        return make_error(ErrorCode::kInternal, "modify_fd: no callback (use remove_fd)");
    }
    LANYARD_TRY(update_epoll(EPOLL_CTL_MOD, fd, it->second, watch));
    // A fresh entry: a callback that is running keeps its old entry alive
    // through the shared_ptr held by dispatch_fd.
    auto entry = std::make_shared<FdEntry>();
    entry->fd = fd;
    entry->watch = std::move(watch);
    fds_[it->second] = std::move(entry);
    return ok_status();
}

void EventLoop::remove_fd(int fd) {
    auto it = fd_ids_.find(fd);
    if (it == fd_ids_.end()) return;
    // EBADF/ENOENT are fine here: the fd may already have been closed.
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    fds_.erase(it->second);
    fd_ids_.erase(it);
}

size_t EventLoop::dispatch_fd(uint64_t id, uint32_t events) {
    size_t ran = 0;
    const bool failed = (events & (EPOLLERR | EPOLLHUP)) != 0;
    // Look the entry up afresh before each callback: the first one may
    // have removed or replaced the watcher.
    auto current = [this, id]() -> FdEntryPtr {
        auto it = fds_.find(id);
        return it == fds_.end() ? nullptr : it->second;
    };
    if (FdEntryPtr entry = current()) {
        const bool want_read = (events & EPOLLIN) != 0 || (failed && entry->watch.on_readable);
        if (want_read && entry->watch.on_readable) {
            entry->watch.on_readable();
            ++ran;
        }
    }
    if (FdEntryPtr entry = current()) {
        const bool want_write = (events & EPOLLOUT) != 0 || (failed && !entry->watch.on_readable);
        if (want_write && entry->watch.on_writable) {
            entry->watch.on_writable();
            ++ran;
        }
    }
    return ran;
}

// ---- timers --------------------------------------------------------------

TimerId EventLoop::add_timer_at(TimePoint deadline, std::function<void()> callback) {
    const TimerId id = next_timer_id_++;
    timers_.emplace(id, TimerEntry{deadline, std::move(callback)});
    timer_order_.emplace(deadline, id);
    return id;
}

TimerId EventLoop::add_timer(Duration delay, std::function<void()> callback) {
    return add_timer_at(clock_.now() + delay, std::move(callback));
}

bool EventLoop::cancel_timer(TimerId id) {
    auto it = timers_.find(id);
    if (it == timers_.end()) return false;
    timer_order_.erase({it->second.deadline, id});
    timers_.erase(it);
    return true;
}

std::optional<TimePoint> EventLoop::next_deadline() const {
    if (timer_order_.empty()) return std::nullopt;
    return timer_order_.begin()->first;
}

size_t EventLoop::fire_due_timers() {
    // Snapshot the due set first: timers added by callbacks wait for the
    // next round, and a timer cancelled by an earlier callback is skipped.
    const TimePoint now = clock_.now();
    std::vector<TimerId> due;
    for (const auto& [deadline, id] : timer_order_) {
        if (deadline > now) break;
        due.push_back(id);
    }
    size_t ran = 0;
    for (TimerId id : due) {
        auto it = timers_.find(id);
        if (it == timers_.end()) continue;
        std::function<void()> callback = std::move(it->second.callback);
        timer_order_.erase({it->second.deadline, id});
        timers_.erase(it);
        if (callback) {
            callback();
            ++ran;
        }
    }
    return ran;
}

int EventLoop::epoll_timeout_ms(std::optional<Duration> timeout) const {
    std::optional<Duration> wait = timeout;
    if (auto deadline = next_deadline()) {
        const Duration until = std::max(Duration(0), *deadline - clock_.now());
        wait = wait ? std::min(*wait, until) : until;
    }
    if (!wait) return -1;
    const auto ms = std::max<Duration::rep>(0, wait->count());
    return static_cast<int>(std::min<Duration::rep>(ms, INT_MAX));
}

// ---- signals -------------------------------------------------------------

Status EventLoop::ensure_signal_fd() {
    if (!mask_saved_) {
        if (pthread_sigmask(SIG_SETMASK, nullptr, &original_mask_) != 0) {
            return errno_error("pthread_sigmask");
        }
        mask_saved_ = true;
    }
    if (pthread_sigmask(SIG_BLOCK, &signal_mask_, nullptr) != 0) return errno_error("pthread_sigmask");
    const int fd = signalfd(signal_fd_, &signal_mask_, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd < 0) return errno_error("signalfd");
    if (signal_fd_ < 0) {
        signal_fd_ = fd;
        Status added = add_fd(signal_fd_, FdWatch{[this] { read_signals(); }, nullptr});
        if (!added) {
            close(signal_fd_);
            signal_fd_ = -1;
            return added;
        }
    }
    return ok_status();
}

Status EventLoop::add_signal(int signo, std::function<void(int)> callback) {
    if (signo <= 0 || signo >= NSIG || signo == SIGKILL || signo == SIGSTOP) {
        return make_error(ErrorCode::kInternal, "add_signal: unusable signal " + std::to_string(signo));
    }
    sigaddset(&signal_mask_, signo);
    LANYARD_TRY(ensure_signal_fd());
    signal_handlers_[signo] = std::make_shared<std::function<void(int)>>(std::move(callback));
    return ok_status();
}

void EventLoop::remove_signal(int signo) {
    // The signal stays blocked and routed to the signalfd: unblocking a
    // pending SIGTERM here would kill the process. It is simply ignored.
    signal_handlers_.erase(signo);
}

size_t EventLoop::read_signals() {
    size_t ran = 0;
    // Bounded: at most one read per possible signal number per round.
    for (int i = 0; i < NSIG; ++i) {
        signalfd_siginfo info{};
        const ssize_t n = read(signal_fd_, &info, sizeof(info));
        if (n != static_cast<ssize_t>(sizeof(info))) break;
        const int signo = static_cast<int>(info.ssi_signo);
        auto it = signal_handlers_.find(signo);
        if (it == signal_handlers_.end()) {
            LOG_DEBUG(kLog, "signal %d without handler ignored", signo);
            continue;
        }
        auto handler = it->second;  // survives remove_signal() from inside itself
        (*handler)(signo);
        ++ran;
    }
    return ran;
}

// ---- running -------------------------------------------------------------

Result<size_t> EventLoop::run_once(std::optional<Duration> timeout) {
    std::array<epoll_event, kMaxEventsPerRound> events{};
    const int n = epoll_wait(epoll_fd_, events.data(), kMaxEventsPerRound, epoll_timeout_ms(timeout));
    if (n < 0 && errno != EINTR) return errno_error("epoll_wait");
    size_t ran = 0;
    for (int i = 0; i < n; ++i) {
        ran += dispatch_fd(events[static_cast<size_t>(i)].data.u64, events[static_cast<size_t>(i)].events);
    }
    ran += fire_due_timers();
    return ran;
}

Status EventLoop::run() {
    stop_requested_ = false;
    while (!stop_requested_) {
        Result<size_t> round = run_once(std::nullopt);
        if (!round) return round.error();
    }
    return ok_status();
}

}  // namespace lanyard
