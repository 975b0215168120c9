#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <csignal>
#include <string>
#include <vector>

#include "common/event_loop.h"

using namespace lanyard;

namespace {

std::unique_ptr<EventLoop> make_loop(Clock& clock) {
    auto loop = EventLoop::create(clock);
    REQUIRE(loop.ok());
    return std::move(*loop);
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        REQUIRE(pipe2(fds, O_NONBLOCK | O_CLOEXEC) == 0);
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe() {
        if (read_end >= 0) close(read_end);
        if (write_end >= 0) close(write_end);
    }
    void put(char c) const { REQUIRE(write(write_end, &c, 1) == 1); }
    char take() const {
        char c = 0;
        REQUIRE(read(read_end, &c, 1) == 1);
        return c;
    }
};

size_t run_zero(EventLoop& loop) {
    auto ran = loop.run_once(Duration(0));
    REQUIRE(ran.ok());
    return *ran;
}

}  // namespace

TEST_CASE("event loop: readable callback runs only when data is there") {
    FakeClock clock;
    auto loop = make_loop(clock);
    Pipe p;
    std::string got;
    REQUIRE(loop->add_fd(p.read_end, FdWatch{[&] { got += p.take(); }, nullptr}).ok());
    CHECK(run_zero(*loop) == 0);
    p.put('x');
    CHECK(run_zero(*loop) == 1);
    CHECK(got == "x");
    CHECK(run_zero(*loop) == 0);
}

TEST_CASE("event loop: writable interest can be switched on and off with modify_fd") {
    FakeClock clock;
    auto loop = make_loop(clock);
    Pipe p;
    int writable = 0;
    REQUIRE(loop->add_fd(p.write_end, FdWatch{nullptr, [&] { ++writable; }}).ok());
    CHECK(run_zero(*loop) == 1);
    CHECK(writable == 1);
    int readable = 0;
    REQUIRE(loop->modify_fd(p.write_end, FdWatch{[&] { ++readable; }, nullptr}).ok());
    CHECK(run_zero(*loop) == 0);
    CHECK(writable == 1);
    CHECK_FALSE(loop->modify_fd(p.read_end, FdWatch{[] {}, nullptr}).ok());
}

TEST_CASE("event loop: adding an fd twice or without callbacks fails") {
    FakeClock clock;
    auto loop = make_loop(clock);
    Pipe p;
    CHECK_FALSE(loop->add_fd(p.read_end, FdWatch{}).ok());
    REQUIRE(loop->add_fd(p.read_end, FdWatch{[] {}, nullptr}).ok());
    CHECK_FALSE(loop->add_fd(p.read_end, FdWatch{[] {}, nullptr}).ok());
    loop->remove_fd(p.read_end);
    loop->remove_fd(p.read_end);  // second remove is a no-op
    CHECK_FALSE(loop->is_watched(p.read_end));
    CHECK_FALSE(loop->add_fd(-1, FdWatch{[] {}, nullptr}).ok());
}

TEST_CASE("event loop: eventfd readiness and hang-up reach on_readable") {
    FakeClock clock;
    auto loop = make_loop(clock);
    const int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    REQUIRE(efd >= 0);
    uint64_t total = 0;
    REQUIRE(loop->add_fd(efd, FdWatch{[&] {
                             uint64_t v = 0;
                             REQUIRE(read(efd, &v, sizeof(v)) == sizeof(v));
                             total += v;
                         },
                                      nullptr})
                .ok());
    uint64_t three = 3;
    REQUIRE(write(efd, &three, sizeof(three)) == sizeof(three));
    REQUIRE(write(efd, &three, sizeof(three)) == sizeof(three));
    CHECK(run_zero(*loop) == 1);
    CHECK(total == 6);
    loop->remove_fd(efd);
    close(efd);

    Pipe p;
    int eof_seen = 0;
    REQUIRE(loop->add_fd(p.read_end, FdWatch{[&] {
                             char c;
                             if (read(p.read_end, &c, 1) == 0) {
                                 ++eof_seen;
                                 loop->remove_fd(p.read_end);
                             }
                         },
                                             nullptr})
                .ok());
    close(p.write_end);
    p.write_end = -1;
    CHECK(run_zero(*loop) == 1);
    CHECK(eof_seen == 1);
}

TEST_CASE("event loop: a callback may remove itself and another ready watcher") {
    FakeClock clock;
    auto loop = make_loop(clock);
    Pipe a, b;
    int a_calls = 0, b_calls = 0;
    // Whichever runs first removes both; the other must not run.
    REQUIRE(loop->add_fd(a.read_end, FdWatch{[&] {
                             ++a_calls;
                             loop->remove_fd(a.read_end);
                             loop->remove_fd(b.read_end);
                         },
                                             nullptr})
                .ok());
    REQUIRE(loop->add_fd(b.read_end, FdWatch{[&] {
                             ++b_calls;
                             loop->remove_fd(a.read_end);
                             loop->remove_fd(b.read_end);
                         },
                                             nullptr})
                .ok());
    a.put('1');
    b.put('2');
    CHECK(run_zero(*loop) == 1);
    CHECK(a_calls + b_calls == 1);
    CHECK(run_zero(*loop) == 0);
}

TEST_CASE("event loop: a watcher replaced during dispatch gets no stale event") {
    FakeClock clock;
    auto loop = make_loop(clock);
    Pipe a, b;
    int old_b = 0, new_b = 0;
    a.put('1');
    b.put('2');
    REQUIRE(loop->add_fd(b.read_end, FdWatch{[&] { ++old_b; b.take(); }, nullptr}).ok());
    REQUIRE(loop->add_fd(a.read_end, FdWatch{[&] {
                             a.take();
                             // Same fd number, new registration: must wait for a new event.
                             loop->remove_fd(b.read_end);
                             REQUIRE(loop->add_fd(b.read_end, FdWatch{[&] { ++new_b; b.take(); }, nullptr}).ok());
                         },
                                             nullptr})
                .ok());
    run_zero(*loop);
    // Either b ran first with its old callback, or a replaced it and the
    // new one ran in a later round: never both, and the byte is read once.
    if (old_b == 0) {
        CHECK(new_b == 0);
        run_zero(*loop);
        CHECK(new_b == 1);
    } else {
        CHECK(new_b == 0);
    }
}

TEST_CASE("event loop: timers fire in deadline order, ties in insertion order") {
    FakeClock clock;
    auto loop = make_loop(clock);
    std::vector<int> order;
    loop->add_timer(Duration(30), [&] { order.push_back(3); });
    loop->add_timer(Duration(10), [&] { order.push_back(1); });
    loop->add_timer(Duration(20), [&] { order.push_back(2); });
    loop->add_timer(Duration(20), [&] { order.push_back(22); });
    CHECK(loop->pending_timers() == 4);
    CHECK(run_zero(*loop) == 0);
    clock.advance(Duration(15));
    CHECK(run_zero(*loop) == 1);
    CHECK(order == std::vector<int>{1});
    clock.advance(Duration(100));
    CHECK(run_zero(*loop) == 3);
    CHECK(order == std::vector<int>{1, 2, 22, 3});
    CHECK(loop->pending_timers() == 0);
    CHECK_FALSE(loop->next_deadline().has_value());
}

TEST_CASE("event loop: cancel, including from another timer's callback") {
    FakeClock clock;
    auto loop = make_loop(clock);
    int fired = 0;
    TimerId later = kNoTimer;
    const TimerId first = loop->add_timer(Duration(5), [&] {
        ++fired;
        CHECK(loop->cancel_timer(later));
    });
    later = loop->add_timer(Duration(5), [&] { fired += 100; });
    const TimerId unused = loop->add_timer(Duration(50), [&] { fired += 1000; });
    CHECK(loop->timer_pending(unused));
    CHECK(loop->cancel_timer(unused));
    CHECK_FALSE(loop->cancel_timer(unused));
    CHECK_FALSE(loop->cancel_timer(kNoTimer));
    clock.advance(Duration(60));
    CHECK(run_zero(*loop) == 1);
    CHECK(fired == 1);
    CHECK_FALSE(loop->cancel_timer(first));  // already fired
}

TEST_CASE("event loop: a timer re-armed from its own callback waits for the next round") {
    FakeClock clock;
    auto loop = make_loop(clock);
    int fired = 0;
    std::function<void()> rearm = [&] {
        ++fired;
        loop->add_timer(Duration(0), rearm);
    };
    loop->add_timer(Duration(0), rearm);
    CHECK(run_zero(*loop) == 1);
    CHECK(run_zero(*loop) == 1);
    CHECK(fired == 2);
    CHECK(loop->pending_timers() == 1);
}

TEST_CASE("event loop: run_once sleeps until the next deadline with the system clock") {
    auto loop = make_loop(SystemClock::instance());
    bool fired = false;
    const TimePoint start = SystemClock::instance().now();
    loop->add_timer(Duration(20), [&] { fired = true; });
    for (int i = 0; i < 10 && !fired; ++i) REQUIRE(loop->run_once(std::nullopt).ok());
    CHECK(fired);
    CHECK(SystemClock::instance().now() - start >= Duration(20));
}

TEST_CASE("event loop: run() returns after stop() from a callback") {
    auto loop = make_loop(SystemClock::instance());
    int rounds = 0;
    loop->add_timer(Duration(1), [&] { ++rounds; });
    loop->add_timer(Duration(2), [&] {
        ++rounds;
        loop->stop();
    });
    REQUIRE(loop->run().ok());
    CHECK(rounds == 2);
}

TEST_CASE("event loop: signals arrive through signalfd") {
    FakeClock clock;
    auto loop = make_loop(clock);
    std::vector<int> seen;
    REQUIRE(loop->add_signal(SIGHUP, [&](int signo) { seen.push_back(signo); }).ok());
    REQUIRE(loop->add_signal(SIGUSR2, [&](int signo) {
                    seen.push_back(signo);
                    loop->remove_signal(SIGUSR2);  // removing itself is fine
                })
                .ok());
    CHECK_FALSE(loop->add_signal(SIGKILL, [](int) {}).ok());
    raise(SIGHUP);
    CHECK(run_zero(*loop) == 1);
    CHECK(seen == std::vector<int>{SIGHUP});
    raise(SIGUSR2);
    run_zero(*loop);
    raise(SIGUSR2);  // handler gone: ignored, still blocked
    run_zero(*loop);
    CHECK(seen == std::vector<int>{SIGHUP, SIGUSR2});
}
