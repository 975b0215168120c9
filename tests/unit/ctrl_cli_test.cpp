// Debian's real wpa_cli and hostapd_cli against CtrlSocketServer. Each case
// runs the client as a child process while this thread serves the socket;
// it is skipped (with a message) where the binary is not installed.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/ctrl_socket.h"
#include "tests/unit/ctrl_test_support.h"

extern char** environ;

using namespace lanyard;
using lanyard::test::TempDir;

namespace {

constexpr const char* kWpaCli = "/usr/sbin/wpa_cli";
constexpr const char* kHostapdCli = "/usr/sbin/hostapd_cli";

bool have(const char* binary) {
    if (::access(binary, X_OK) == 0) return true;
    MESSAGE("skipped: " << binary << " is not installed (apt-get install wpasupplicant hostapd)");
    return false;
}

struct ChildRun {
    int exit_code = -1;  // -1 when killed at the deadline
    std::string output;  // stdout and stderr
};

// Starts argv with stdout+stderr on a pipe.
pid_t spawn(const std::vector<std::string>& argv, int& out_fd) {
    int pipefd[2];
    if (::pipe2(pipefd, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipefd[1]);
    out_fd = pipefd[0];
    return pid;
}

// Serves `server` until `done()` or the deadline; collects the child's output.
// Returns true when done() became true.
template <typename Done>
bool serve_until(CtrlSocketServer& server, int out_fd, std::string& output, Done done, int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        pollfd fds[2] = {{server.fd(), POLLIN, 0}, {out_fd, POLLIN, 0}};
        ::poll(fds, out_fd >= 0 ? 2 : 1, 20);
        if (fds[0].revents & POLLIN) server.handle_readable();
        if (out_fd >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
            char buf[1024];
            ssize_t n = ::read(out_fd, buf, sizeof(buf));
            if (n > 0) output.append(buf, static_cast<size_t>(n));
        }
    }
    return true;
}

// Runs a client to completion (10 s bound) while serving the socket.
ChildRun run_client(CtrlSocketServer& server, const std::vector<std::string>& argv) {
    ChildRun run;
    int out_fd = -1;
    pid_t pid = spawn(argv, out_fd);
    REQUIRE(pid > 0);
    int status = 0;
    bool exited = false;
    serve_until(server, out_fd, run.output, [&] {
        if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) exited = true;
        return exited;
    }, 10000);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    } else if (WIFEXITED(status)) {
        run.exit_code = WEXITSTATUS(status);
    }
    // Whatever is left in the pipe.
    char buf[1024];
    ssize_t n;
    while ((n = ::read(out_fd, buf, sizeof(buf))) > 0) run.output.append(buf, static_cast<size_t>(n));
    ::close(out_fd);
    return run;
}

std::unique_ptr<CtrlSocketServer> open_server(const std::string& dir, const char* name) {
    auto server = CtrlSocketServer::open(CtrlSocketConfig{dir, std::nullopt}, name);
    REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error().to_string()));
    return std::move(server.value());
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("real wpa_cli: ping, status, unknown command, level") {
    if (!have(kWpaCli)) return;
    TempDir tmp;
    auto server = open_server(tmp.path(), "lyd0");
    server->register_command("STATUS", [](std::string_view) {
        return std::string("wpa_state=COMPLETED\nEAP state=SUCCESS\nsuppPortStatus=Authorized\n");
    });
    std::vector<std::string> base = {kWpaCli, "-p", tmp.path(), "-i", "lyd0"};

    auto ping = run_client(*server, {kWpaCli, "-p", tmp.path(), "-i", "lyd0", "ping"});
    CHECK(ping.exit_code == 0);
    CHECK(ping.output == "PONG\n");

    auto status = run_client(*server, {kWpaCli, "-p", tmp.path(), "-i", "lyd0", "status"});
    CHECK(status.exit_code == 0);
    CHECK(status.output == "wpa_state=COMPLETED\nEAP state=SUCCESS\nsuppPortStatus=Authorized\n");

    auto verbose = run_client(*server, {kWpaCli, "-p", tmp.path(), "-i", "lyd0", "status", "verbose"});
    CHECK(verbose.output == "UNKNOWN COMMAND\n");  // STATUS-VERBOSE not registered

    auto level = run_client(*server, {kWpaCli, "-p", tmp.path(), "-i", "lyd0", "level", "2"});
    CHECK(level.output == "FAIL\n");  // not attached on this connection

    // Without -i, wpa_cli picks the only socket in the directory.
    auto pick = run_client(*server, {kWpaCli, "-p", tmp.path(), "ping"});
    CHECK(pick.output == "Selected interface 'lyd0'\nPONG\n");
}

TEST_CASE("real hostapd_cli: ping, status, sta, raw, all_sta iteration ends on FAIL") {
    if (!have(kHostapdCli)) return;
    TempDir tmp;
    auto server = open_server(tmp.path(), "lyd0");
    const std::vector<std::string> stas = {"02:00:00:00:00:01", "02:00:00:00:00:02"};
    auto sta_text = [](const std::string& addr) { return addr + "\nflags=[AUTH][AUTHORIZED]\n"; };
    server->register_command("STATUS", [](std::string_view) { return std::string("state=ENABLED\n"); });
    server->register_command("STA", [&](std::string_view a) {
        for (const auto& s : stas) if (a == s) return sta_text(s);
        return std::string("FAIL\n");
    });
    server->register_command("STA-FIRST", [&](std::string_view) { return sta_text(stas[0]); });
    server->register_command("STA-NEXT", [&](std::string_view a) {
        // hostapd: "" after the last station; FAIL for an unknown address.
        for (size_t i = 0; i < stas.size(); ++i) {
            if (a == stas[i]) return i + 1 < stas.size() ? sta_text(stas[i + 1]) : std::string();
        }
        return std::string("FAIL\n");
    });
    std::string reauth;
    server->register_command("EAPOL_REAUTH", [&](std::string_view a) {
        reauth = std::string(a);
        return std::string("OK\n");
    });

    auto ping = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "ping"});
    CHECK(ping.exit_code == 0);
    CHECK(ping.output == "PONG\n");
    auto status = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "status"});
    CHECK(status.output == "state=ENABLED\n");
    auto sta = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "sta", stas[1]});
    CHECK(sta.output == sta_text(stas[1]));
    auto raw = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "raw", "EAPOL_REAUTH", stas[0]});
    CHECK(raw.output == "OK\n");
    CHECK(reauth == stas[0]);

    auto all = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "all_sta"});
    CHECK(all.exit_code != -1);  // finished, did not loop
    CHECK(all.output == sta_text(stas[0]) + sta_text(stas[1]));
}

TEST_CASE("real hostapd_cli: all_sta with no station handlers terminates") {
    if (!have(kHostapdCli)) return;
    TempDir tmp;
    auto server = open_server(tmp.path(), "lyd0");
    auto all = run_client(*server, {kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "all_sta"});
    CHECK(all.exit_code != -1);
    CHECK(server->stats().requests <= 3);
}

TEST_CASE("real hostapd_cli -a: ATTACH, then an event reaches its action script") {
    if (!have(kHostapdCli)) return;
    TempDir tmp;
    auto server = open_server(tmp.path(), "lyd0");
    std::string script = tmp.path() + "/action.sh";
    std::string events = tmp.path() + "/events.txt";
    {
        std::ofstream s(script);
        s << "#!/bin/sh\necho \"$@\" >> " << events << "\n";
    }
    ::chmod(script.c_str(), 0755);
    int out_fd = -1;
    pid_t pid = spawn({kHostapdCli, "-p", tmp.path(), "-i", "lyd0", "-a", script}, out_fd);
    REQUIRE(pid > 0);
    std::string output;
    bool attached = serve_until(*server, out_fd, output, [&] { return server->monitor_count() == 1; }, 10000);
    CHECK(attached);
    if (attached) {
        CHECK(server->broadcast(CtrlLevel::kInfo, "AP-STA-CONNECTED 02:00:00:00:00:01") == 1);
        bool seen = serve_until(*server, out_fd, output, [&] {
            return read_file(events).find('\n') != std::string::npos;
        }, 10000);
        CHECK(seen);
        CHECK(read_file(events) == "lyd0 AP-STA-CONNECTED 02:00:00:00:00:01\n");
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    bool exited = false;
    serve_until(*server, out_fd, output, [&] {
        if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) exited = true;
        return exited;
    }, 5000);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    ::close(out_fd);
    // Its client socket (/tmp/wpa_ctrl_PID-1) is left behind after a kill.
    std::string leftover = "rm -f /tmp/wpa_ctrl_" + std::to_string(pid) + "-*";
    CHECK(std::system(leftover.c_str()) == 0);
    // Unlike wpa_cli, hostapd_cli -a sends no DETACH when it is terminated:
    // the next event finds its socket gone and drops the monitor.
    CHECK(exited);
    server->broadcast(CtrlLevel::kInfo, "AP-STA-DISCONNECTED 02:00:00:00:00:01");
    CHECK(server->monitor_count() == 0);
}

TEST_CASE("real wpa_cli -a: ATTACH, CTRL-EVENT-CONNECTED runs its action script, DETACH on exit") {
    if (!have(kWpaCli)) return;
    TempDir tmp;
    auto server = open_server(tmp.path(), "lyd0");
    std::string script = tmp.path() + "/action.sh";
    std::string events = tmp.path() + "/events.txt";
    {
        std::ofstream s(script);
        s << "#!/bin/sh\necho \"$@\" >> " << events << "\n";
    }
    ::chmod(script.c_str(), 0755);
    int out_fd = -1;
    pid_t pid = spawn({kWpaCli, "-p", tmp.path(), "-i", "lyd0", "-a", script}, out_fd);
    REQUIRE(pid > 0);
    std::string output;
    bool attached = serve_until(*server, out_fd, output, [&] { return server->monitor_count() == 1; }, 10000);
    CHECK(attached);
    if (attached) {
        CHECK(server->broadcast(CtrlLevel::kInfo,
                                "CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:00:01 completed [id=0 id_str=]") == 1);
        bool seen = serve_until(*server, out_fd, output, [&] {
            return read_file(events).find('\n') != std::string::npos;
        }, 10000);
        CHECK(seen);
        CHECK(read_file(events) == "lyd0 CONNECTED\n");
    }
    ::kill(pid, SIGTERM);
    int status = 0;
    bool exited = false;
    serve_until(*server, out_fd, output, [&] {
        if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) exited = true;
        return exited;
    }, 5000);
    if (!exited) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    // wpa_cli sends DETACH when terminated; serve it.
    serve_until(*server, -1, output, [&] { return server->monitor_count() == 0; }, 2000);
    ::close(out_fd);
    CHECK(server->monitor_count() == 0);
}
