#include <doctest/doctest.h>

#include <sys/stat.h>

#include <algorithm>
#include <unistd.h>

#include "common/ctrl_socket.h"
#include "tests/unit/ctrl_test_support.h"

using namespace lanyard;
using lanyard::test::CtrlTestClient;
using lanyard::test::TempDir;

namespace {

std::unique_ptr<CtrlSocketServer> open_server(const std::string& dir, const char* name = "eth0") {
    auto server = CtrlSocketServer::open(CtrlSocketConfig{dir, std::nullopt}, name);
    REQUIRE_MESSAGE(server.ok(), (server.ok() ? "" : server.error().to_string()));
    return std::move(server.value());
}

// Sends one request, lets the server answer, returns the reply.
std::optional<std::string> ask(CtrlSocketServer& server, CtrlTestClient& client, const std::string& cmd) {
    if (!client.send(cmd)) return std::nullopt;
    server.handle_readable();
    return client.recv();
}

}  // namespace

TEST_CASE("ctrl socket: created in a new directory, socket 0770, unlinked on close") {
    TempDir tmp;
    std::string dir = tmp.path() + "/run/wpa_supplicant";
    {
        auto server = open_server(dir);
        struct stat st {};
        REQUIRE(::stat(server->path().c_str(), &st) == 0);
        CHECK(S_ISSOCK(st.st_mode));
        CHECK((st.st_mode & 0777) == 0770);
        REQUIRE(::stat(dir.c_str(), &st) == 0);
        mode_t mask = ::umask(0);
        ::umask(mask);
        CHECK((st.st_mode & 0777) == (0770 & ~mask));  // mkdir(0770) under the umask
    }
    CHECK(::access((dir + "/eth0").c_str(), F_OK) != 0);
    CHECK(::access(dir.c_str(), F_OK) != 0);  // we created it, so we removed it
}

TEST_CASE("ctrl socket: GROUP= chgrps the directory and the socket") {
    TempDir tmp;
    auto server = CtrlSocketServer::open(CtrlSocketConfig{tmp.path() + "/g", std::string("4242")}, "eth0");
    if (!server.ok()) {
        MESSAGE("skipped: chgrp needs privileges here: " << server.error().to_string());
        return;
    }
    struct stat st {};
    REQUIRE(::stat((*server)->path().c_str(), &st) == 0);
    CHECK(st.st_gid == 4242u);
    REQUIRE(::stat((tmp.path() + "/g").c_str(), &st) == 0);
    CHECK(st.st_gid == 4242u);
    CHECK((st.st_mode & 0777) == 0770);
}

TEST_CASE("ctrl socket: a stale socket file is replaced, a live one is not stolen") {
    TempDir tmp;
    // Leave a socket file behind with nobody reading it.
    int fd = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string stale = tmp.path() + "/eth0";
    std::strncpy(addr.sun_path, stale.c_str(), sizeof(addr.sun_path) - 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    ::close(fd);  // the file stays: stale

    auto first = open_server(tmp.path());
    auto second = CtrlSocketServer::open(CtrlSocketConfig{tmp.path(), std::nullopt}, "eth0");
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().to_string().find("in use") != std::string::npos);
}

TEST_CASE("ctrl socket: bad names and too-long paths are refused") {
    TempDir tmp;
    CHECK_FALSE(CtrlSocketServer::open(CtrlSocketConfig{tmp.path(), std::nullopt}, "a/b").ok());
    CHECK_FALSE(CtrlSocketServer::open(CtrlSocketConfig{tmp.path(), std::nullopt}, "").ok());
    CHECK_FALSE(CtrlSocketServer::open(CtrlSocketConfig{"relative", std::nullopt}, "eth0").ok());
    CHECK_FALSE(CtrlSocketServer::open(CtrlSocketConfig{tmp.path() + "/" + std::string(120, 'd'), std::nullopt}, "eth0").ok());
}

TEST_CASE("ctrl socket: PING is answered PONG") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    REQUIRE(client.ready());
    CHECK(ask(*server, client, "PING") == std::string("PONG\n"));
}

TEST_CASE("ctrl socket: unknown command; STA-FIRST/STA-NEXT default to FAIL") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    CHECK(ask(*server, client, "NO_SUCH_THING 1 2") == std::string("UNKNOWN COMMAND\n"));
    CHECK(ask(*server, client, "status") == std::string("UNKNOWN COMMAND\n"));  // case-sensitive
    CHECK(ask(*server, client, "") == std::string("UNKNOWN COMMAND\n"));
    CHECK(ask(*server, client, "STA-FIRST") == std::string("FAIL\n"));
    CHECK(ask(*server, client, "STA-NEXT ") == std::string("FAIL\n"));
    CHECK(server->stats().unknown == 3);
}

TEST_CASE("ctrl socket: a registered handler gets the rest of the line") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    std::string seen;
    server->register_command("STA", [&](std::string_view args) {
        seen = std::string(args);
        return std::string("02:00:00:00:00:01\nflags=[AUTH]\n");
    });
    server->register_command("STATUS", [](std::string_view) { return std::string("wpa_state=COMPLETED\n"); });
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    CHECK(ask(*server, client, "STATUS") == std::string("wpa_state=COMPLETED\n"));
    CHECK(ask(*server, client, "STA 02:00:00:00:00:01 extra") == std::string("02:00:00:00:00:01\nflags=[AUTH]\n"));
    CHECK(seen == "02:00:00:00:00:01 extra");
}

TEST_CASE("ctrl socket: replies longer than the client buffer are truncated") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    server->register_command("BIG", [](std::string_view) { return std::string(10000, 'x'); });
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    auto reply = ask(*server, client, "BIG");
    REQUIRE(reply.has_value());
    CHECK(reply->size() == kCtrlMaxReply);
    CHECK(server->stats().truncated_replies == 1);
}

TEST_CASE("ctrl socket: ATTACH then an event arrives as <3>TEXT; DETACH stops it") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient mon(tmp.path() + "/mon", server->path());
    CtrlTestClient other(tmp.path() + "/other", server->path());
    CHECK(server->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-NOBODY") == 0);
    CHECK(ask(*server, mon, "ATTACH") == std::string("OK\n"));
    CHECK(server->monitor_count() == 1);
    CHECK(server->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully") == 1);
    CHECK(mon.recv() == std::string("<3>CTRL-EVENT-EAP-SUCCESS EAP authentication completed successfully"));
    CHECK_FALSE(other.recv(50).has_value());  // not attached: nothing

    // Below the monitor's level: not sent; LEVEL lowers it.
    CHECK(server->broadcast(CtrlLevel::kDebug, "debug line") == 0);
    CHECK(ask(*server, mon, "LEVEL 2") == std::string("OK\n"));
    CHECK(server->broadcast(CtrlLevel::kDebug, "debug line") == 1);
    CHECK(mon.recv() == std::string("<2>debug line"));
    CHECK(ask(*server, mon, "LEVEL x") == std::string("FAIL\n"));
    CHECK(ask(*server, other, "LEVEL 2") == std::string("FAIL\n"));  // not attached

    CHECK(ask(*server, mon, "DETACH") == std::string("OK\n"));
    CHECK(server->monitor_count() == 0);
    CHECK(server->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-AFTER") == 0);
    CHECK_FALSE(mon.recv(50).has_value());
    CHECK(ask(*server, mon, "DETACH") == std::string("FAIL\n"));
}

TEST_CASE("ctrl socket: a monitor whose socket is gone is dropped") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient mon(tmp.path() + "/mon", server->path());
    CHECK(ask(*server, mon, "ATTACH") == std::string("OK\n"));
    mon.close();  // closes and unlinks, like a killed wpa_cli's leftover being removed
    CHECK(server->broadcast(CtrlLevel::kInfo, "CTRL-EVENT-X") == 0);
    CHECK(server->monitor_count() == 0);
    CHECK(server->stats().monitors_dropped == 1);
}

TEST_CASE("ctrl socket: a monitor that stops reading is dropped after repeated failures") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient mon(tmp.path() + "/mon", server->path());
    CHECK(ask(*server, mon, "ATTACH") == std::string("OK\n"));
    // Never read: the receive queue fills (EAGAIN), then the monitor goes.
    for (int i = 0; i < 2000 && server->monitor_count() == 1; ++i) {
        server->broadcast(CtrlLevel::kInfo, std::string(1000, 'e'));
    }
    CHECK(server->monitor_count() == 0);
}

TEST_CASE("ctrl socket: malformed and oversized datagrams get FAIL and are counted") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    CHECK(ask(*server, client, std::string("PI\0NG", 5)) == std::string("FAIL\n"));
    CHECK(ask(*server, client, std::string(kCtrlMaxRequest + 100, 'A')) == std::string("FAIL\n"));
    CHECK(ask(*server, client, std::string(70000, 'B')) == std::string("FAIL\n"));
    CHECK(server->stats().malformed == 1);
    CHECK(server->stats().oversized == 2);
    CHECK(ask(*server, client, "PING") == std::string("PONG\n"));  // still serving
}

TEST_CASE("ctrl socket: handle_readable answers a bounded batch and never blocks") {
    TempDir tmp;
    auto server = open_server(tmp.path());
    server->handle_readable();  // nothing pending: returns at once
    CHECK(server->stats().requests == 0);
    CtrlTestClient client(tmp.path() + "/cli", server->path());
    // The kernel queues only net.unix.max_dgram_qlen datagrams (10 by
    // default) on the server socket: fill it without blocking.
    size_t sent = 0;
    while (sent < 1000 && client.send_nonblocking("PING")) ++sent;
    REQUIRE(sent > 0);
    server->handle_readable();
    CHECK(server->stats().requests == std::min(sent, CtrlSocketServer::kMaxRequestsPerWakeup));
}
