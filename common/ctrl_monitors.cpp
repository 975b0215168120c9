#include "common/ctrl_monitors.h"

#include <cerrno>
#include <cstddef>

namespace lanyard {

std::string CtrlPeer::key() const {
    constexpr socklen_t kPathOffset = offsetof(sockaddr_un, sun_path);
    if (len <= kPathOffset) return std::string();
    size_t n = static_cast<size_t>(len - kPathOffset);
    if (n > sizeof(addr.sun_path)) n = sizeof(addr.sun_path);
    std::string k(addr.sun_path, n);
    // Pathname addresses may or may not carry their terminating NUL in len.
    if (!k.empty() && k.front() != '\0') {
        size_t nul = k.find('\0');
        if (nul != std::string::npos) k.resize(nul);
    }
    return k;
}

std::string CtrlPeer::display() const {
    std::string k = key();
    if (k.empty()) return "(unnamed)";
    if (k.front() == '\0') return "@" + k.substr(1);
    return k;
}

size_t CtrlMonitorSet::find(const CtrlPeer& peer) const {
    std::string k = peer.key();
    for (size_t i = 0; i < monitors_.size(); ++i) {
        if (monitors_[i].peer.key() == k) return i;
    }
    return monitors_.size();
}

bool CtrlMonitorSet::attach(const CtrlPeer& peer) {
    if (peer.key().empty()) return false;
    size_t i = find(peer);
    if (i != monitors_.size()) {
        monitors_[i].level = kCtrlDefaultMonitorLevel;
        monitors_[i].consecutive_errors = 0;
        return true;
    }
    if (monitors_.size() >= kMaxMonitors) return false;
    monitors_.push_back(Monitor{peer, kCtrlDefaultMonitorLevel, 0});
    return true;
}

bool CtrlMonitorSet::detach(const CtrlPeer& peer) {
    size_t i = find(peer);
    if (i == monitors_.size()) return false;
    monitors_.erase(monitors_.begin() + static_cast<std::ptrdiff_t>(i));
    return true;
}

bool CtrlMonitorSet::set_level(const CtrlPeer& peer, CtrlLevel level) {
    size_t i = find(peer);
    if (i == monitors_.size()) return false;
    monitors_[i].level = level;
    return true;
}

std::vector<size_t> CtrlMonitorSet::recipients(CtrlLevel level) const {
    std::vector<size_t> out;
    for (size_t i = 0; i < monitors_.size(); ++i) {
        if (static_cast<int>(level) >= static_cast<int>(monitors_[i].level)) out.push_back(i);
    }
    return out;
}

bool CtrlMonitorSet::report_send(size_t index, int error) {
    if (index >= monitors_.size()) return false;
    Monitor& m = monitors_[index];
    if (error == 0) {
        m.consecutive_errors = 0;
        return false;
    }
    ++m.consecutive_errors;
    bool gone = error == ENOENT || error == ECONNREFUSED || error == EPERM;
    if (gone || m.consecutive_errors > kMaxConsecutiveErrors) {
        monitors_.erase(monitors_.begin() + static_cast<std::ptrdiff_t>(index));
        return true;
    }
    return false;
}

}  // namespace lanyard
