// Helpers for the control-socket tests: a temporary directory, and a client
// socket that talks to a CtrlSocketServer the way wpa_ctrl.c does (its own
// bound datagram socket, connected to DIR/IFNAME).
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace lanyard::test {

// mkdtemp under /tmp (short, so paths fit sun_path); removed with its files.
class TempDir {
public:
    TempDir() {
        char tmpl[] = "/tmp/lyd-ctrl-XXXXXX";
        const char* p = ::mkdtemp(tmpl);
        path_ = p != nullptr ? p : "";
    }
    ~TempDir() {
        if (!path_.empty()) {
            std::string cmd = "rm -rf '" + path_ + "'";
            int rc = std::system(cmd.c_str());
            (void)rc;
        }
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

class CtrlTestClient {
public:
    CtrlTestClient(const std::string& local_path, const std::string& server_path) : local_(local_path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un local{};
        local.sun_family = AF_UNIX;
        std::strncpy(local.sun_path, local_path.c_str(), sizeof(local.sun_path) - 1);
        ::unlink(local_path.c_str());
        bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) == 0;
        sockaddr_un dest{};
        dest.sun_family = AF_UNIX;
        std::strncpy(dest.sun_path, server_path.c_str(), sizeof(dest.sun_path) - 1);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&dest), sizeof(dest)) == 0;
    }
    ~CtrlTestClient() { close(); }
    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
        ::unlink(local_.c_str());
    }
    bool ready() const { return bound_ && connected_; }
    bool send(const std::string& text) { return ::send(fd_, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size()); }
    bool send_nonblocking(const std::string& text) {
        return ::send(fd_, text.data(), text.size(), MSG_DONTWAIT) == static_cast<ssize_t>(text.size());
    }
    // One datagram, or nothing within timeout_ms.
    std::optional<std::string> recv(int timeout_ms = 1000) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
        char buf[8192];
        ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
        if (n < 0) return std::nullopt;
        return std::string(buf, static_cast<size_t>(n));
    }

private:
    std::string local_;
    int fd_ = -1;
    bool bound_ = false;
    bool connected_ = false;
};

}  // namespace lanyard::test
