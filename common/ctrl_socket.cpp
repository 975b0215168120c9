#include "common/ctrl_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "common/log.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "ctrl";

Error io_error(const std::string& what) {
    return make_error(ErrorCode::kIo, what + ": " + std::strerror(errno));
}

// mkdir -p: parents 0755, the last component 0770. Sets `created` when the
// last component did not exist before.
Status ensure_dir(const std::string& dir, bool& created) {
    created = false;
    for (size_t pos = 1; pos <= dir.size(); ++pos) {
        if (pos != dir.size() && dir[pos] != '/') continue;
        std::string part = dir.substr(0, pos);
        bool last = pos == dir.size();
        if (::mkdir(part.c_str(), last ? 0770 : 0755) == 0) {
            if (last) created = true;
            continue;
        }
        if (errno != EEXIST) return io_error("mkdir " + part);
    }
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return io_error("stat " + dir);
    if (!S_ISDIR(st.st_mode)) return make_error(ErrorCode::kConfig, dir + " is not a directory");
    return ok_status();
}

// True when a live process answers on this socket path (connect succeeds).
bool socket_is_live(const sockaddr_un& addr) {
    int probe = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return false;
    bool live = ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
    ::close(probe);
    return live;
}

// Binds, replacing a stale socket file (one nobody answers on) once.
Status bind_replacing_stale(int fd, const sockaddr_un& addr, const std::string& path) {
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0) return ok_status();
    if (errno != EADDRINUSE) return io_error("bind " + path);
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) {
        return make_error(ErrorCode::kConfig, path + " exists and is not a socket");
    }
    if (socket_is_live(addr)) {
        return make_error(ErrorCode::kConfig, path + " is in use by a running process");
    }
    LOG_INFO(kLog, "removing stale control socket %s", path.c_str());
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("unlink " + path);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) {
        return io_error("bind " + path);
    }
    return ok_status();
}

}  // namespace

Result<std::unique_ptr<CtrlSocketServer>> CtrlSocketServer::open(const CtrlSocketConfig& config,
                                                                 std::string_view ifname) {
    if (ifname.empty() || ifname == "." || ifname == ".." ||
        ifname.find('/') != std::string_view::npos || ifname.find('\0') != std::string_view::npos) {
        return make_error(ErrorCode::kConfig, "bad control socket name '" + std::string(ifname) + "'");
    }
    if (config.dir.empty() || config.dir.front() != '/') {
        return make_error(ErrorCode::kConfig, "control directory must be absolute: '" + config.dir + "'");
    }
    std::string dir = config.dir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    std::string path = dir + "/" + std::string(ifname);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof(addr.sun_path)) {
        return make_error(ErrorCode::kConfig, "control socket path too long: " + path);
    }
    std::memcpy(addr.sun_path, path.data(), path.size());

    bool have_gid = false;
    gid_t gid = 0;
    if (config.group) {
        Result<gid_t> g = resolve_ctrl_group(*config.group);
        if (!g) return g.error();
        gid = *g;
        have_gid = true;
    }

    std::unique_ptr<CtrlSocketServer> server(new CtrlSocketServer());
    bool created = false;
    LANYARD_TRY(ensure_dir(dir, created));
    // Like wpa_supplicant/hostapd: a new DIR is mkdir(0770) under the umask
    // (0750 with umask 022); only with a group is it chmod'ed to 0770.
    if (created) server->created_dir_ = dir;
    if (have_gid) {
        if (::chown(dir.c_str(), static_cast<uid_t>(-1), gid) != 0) return io_error("chgrp " + dir);
        if (::chmod(dir.c_str(), 0770) != 0) return io_error("chmod " + dir);
    }

    server->fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (server->fd_ < 0) return io_error("socket(AF_UNIX, SOCK_DGRAM)");
    LANYARD_TRY(bind_replacing_stale(server->fd_, addr, path));
    server->path_ = path;  // from here on the destructor unlinks it
    if (have_gid && ::chown(path.c_str(), static_cast<uid_t>(-1), gid) != 0) {
        return io_error("chgrp " + path);
    }
    if (::chmod(path.c_str(), 0770) != 0) return io_error("chmod " + path);
    LOG_DEBUG(kLog, "control socket at %s", path.c_str());
    return server;
}

CtrlSocketServer::~CtrlSocketServer() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
    if (!created_dir_.empty()) ::rmdir(created_dir_.c_str());  // fails harmlessly if not empty
}

void CtrlSocketServer::register_command(std::string name, CtrlHandler handler) {
    handlers_[std::move(name)] = std::move(handler);
}

void CtrlSocketServer::handle_readable() {
    std::array<uint8_t, kCtrlMaxRequest + 1> buf{};
    for (size_t i = 0; i < kMaxRequestsPerWakeup; ++i) {
        CtrlPeer peer;
        peer.len = sizeof(peer.addr);
        // MSG_TRUNC: the return value is the datagram's full length, so an
        // oversized request is recognised instead of silently cut.
        ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), MSG_TRUNC | MSG_DONTWAIT,
                               reinterpret_cast<sockaddr*>(&peer.addr), &peer.len);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                LOG_WARN(kLog, "recvfrom on %s: %s", path_.c_str(), std::strerror(errno));
            }
            return;
        }
        size_t held = std::min(static_cast<size_t>(n), buf.size());
        std::string reply = dispatch(ByteView(buf.data(), held), peer);
        if (static_cast<size_t>(n) > buf.size()) {
            // dispatch() saw kCtrlMaxRequest + 1 bytes and refused them already.
            LOG_DEBUG(kLog, "request of %zd bytes from %s", n, peer.display().c_str());
        }
        send_reply(peer, reply);
    }
}

std::string CtrlSocketServer::dispatch(ByteView datagram, const CtrlPeer& peer) {
    ++stats_.requests;
    Result<CtrlRequest> parsed = parse_ctrl_request(datagram);
    if (!parsed) {
        if (parsed.error().code == ErrorCode::kLimit) {
            ++stats_.oversized;
        } else {
            ++stats_.malformed;
        }
        LOG_DEBUG(kLog, "dropping request from %s: %s", peer.display().c_str(),
                  parsed.error().to_string().c_str());
        return "FAIL\n";
    }
    const CtrlRequest& req = *parsed;
    LOG_EXCESSIVE(kLog, "request '%.*s' from %s", static_cast<int>(req.name.size()), req.name.data(),
                  peer.display().c_str());

    if (req.name == "PING") return "PONG\n";
    if (req.name == "ATTACH") {
        // Arguments (hostapd 2.10 accepts filters) are ignored.
        if (!monitors_.attach(peer)) return "FAIL\n";
        LOG_DEBUG(kLog, "monitor attached: %s", peer.display().c_str());
        return "OK\n";
    }
    if (req.name == "DETACH") return monitors_.detach(peer) ? "OK\n" : "FAIL\n";
    if (req.name == "LEVEL") {
        Result<CtrlLevel> level = parse_ctrl_level(req.args);
        if (!level) return "FAIL\n";
        return monitors_.set_level(peer, *level) ? "OK\n" : "FAIL\n";
    }
    auto it = handlers_.find(req.name);
    if (it != handlers_.end()) return clamp(it->second(req.args));
    // hostapd_cli's all_sta stops only on a reply starting "FAIL".
    if (req.name == "STA-FIRST" || req.name == "STA-NEXT") return "FAIL\n";
    ++stats_.unknown;
    return "UNKNOWN COMMAND\n";
}

std::string CtrlSocketServer::clamp(std::string reply) {
    if (reply.size() > kCtrlMaxReply) {
        ++stats_.truncated_replies;
        LOG_WARN(kLog, "reply of %zu bytes truncated to %zu (client buffer size)", reply.size(),
                 kCtrlMaxReply);
        reply.resize(kCtrlMaxReply);
    }
    if (!reply.empty() && reply.front() == '<') {
        // wpa_ctrl_request() would take this for an event and time out.
        LOG_WARN(kLog, "reply starts with '<'; wpa_cli/hostapd_cli will not accept it");
    }
    return reply;
}

void CtrlSocketServer::send_reply(const CtrlPeer& peer, std::string_view reply) {
    if (peer.key().empty()) {
        ++stats_.reply_failures;
        LOG_DEBUG(kLog, "request from an unnamed socket: no reply possible");
        return;
    }
    ssize_t n = ::sendto(fd_, reply.data(), reply.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                         reinterpret_cast<const sockaddr*>(&peer.addr), peer.len);
    if (n < 0) {
        ++stats_.reply_failures;
        LOG_DEBUG(kLog, "reply to %s failed: %s", peer.display().c_str(), std::strerror(errno));
    }
}

size_t CtrlSocketServer::broadcast(CtrlLevel level, std::string_view text) {
    std::string message = format_ctrl_event(level, text);
    if (message.size() < text.size() + 3) ++stats_.truncated_replies;
    std::vector<size_t> targets = monitors_.recipients(level);
    size_t delivered = 0;
    // Descending, so a dropped monitor does not shift the indexes still to come.
    for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
        const CtrlPeer& peer = monitors_.at(*it).peer;
        ssize_t n = ::sendto(fd_, message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                             reinterpret_cast<const sockaddr*>(&peer.addr), peer.len);
        int error = n < 0 ? errno : 0;
        if (error == 0) ++delivered;
        std::string who = peer.display();
        if (monitors_.report_send(*it, error)) {
            ++stats_.monitors_dropped;
            LOG_INFO(kLog, "dropping monitor %s that cannot receive events: %s", who.c_str(),
                     std::strerror(error));
        }
    }
    return delivered;
}

}  // namespace lanyard
