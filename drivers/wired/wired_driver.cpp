#include "drivers/wired/wired_driver.h"

#include <linux/if_packet.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "drivers/wired/packet_socket.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "wired";
// Frames read per readiness callback; the rest wait for the next round so
// one busy port cannot starve the loop.
constexpr int kMaxFramesPerWakeup = 32;

}  // namespace

Result<std::unique_ptr<WiredDriver>> WiredDriver::open(EventLoop& loop, const WiredOptions& options) {
    Result<InterfaceInfo> info = query_interface(options.interface_name);
    if (!info) return info.error();
    Result<UniqueFd> socket = open_eapol_packet_socket(info->index);
    if (!socket) return socket.error();

    std::unique_ptr<WiredDriver> driver(
        new WiredDriver(loop, options, info->index, info->address, std::move(*socket)));
    WiredDriver* raw = driver.get();
    LANYARD_TRY(loop.add_fd(raw->socket_.get(), FdWatch{[raw] { raw->on_readable(); }, nullptr}));
    raw->update_link_state(info->link);
    if (options.monitor_link) {
        auto monitor = LinkMonitor::open(loop, info->index,
                                         [raw](LinkState state) { raw->update_link_state(state); });
        if (!monitor) return monitor.error();
        raw->link_monitor_ = std::move(*monitor);
    }
    LOG_INFO(kLog, "%s: opened (index %d, address %s, link %s)", options.interface_name.c_str(),
             info->index, info->address.to_string().c_str(), link_state_name(info->link));
    return driver;
}

WiredDriver::WiredDriver(EventLoop& loop, const WiredOptions& options, int interface_index,
                         MacAddress address, UniqueFd socket)
    : EthernetDriverBase(options.interface_name, address, options.addressing, options.station_limit),
      loop_(loop),
      interface_index_(interface_index),
      socket_(std::move(socket)) {}

WiredDriver::~WiredDriver() { loop_.remove_fd(socket_.get()); }

Status WiredDriver::transmit_frame(ByteView frame) {
    const ssize_t n = send(socket_.get(), frame.data(), frame.size(), 0);
    if (n < 0) {
        // EAGAIN included: EAPOL has its own retransmissions, so a full
        // queue is reported rather than buffered.
        return make_error(ErrorCode::kIo, interface_name() + ": send: " + std::strerror(errno));
    }
    if (static_cast<size_t>(n) != frame.size()) {
        return make_error(ErrorCode::kIo, interface_name() + ": short send");
    }
    return ok_status();
}

void WiredDriver::on_readable() {
    // One byte more than the largest frame we accept, so MSG_TRUNC shows
    // an oversize frame by its returned length.
    std::array<uint8_t, kMaxEthernetFrameSize + 1> buffer{};
    for (int i = 0; i < kMaxFramesPerWakeup; ++i) {
        sockaddr_ll from{};
        socklen_t from_len = sizeof(from);
        const ssize_t n = recvfrom(socket_.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                   reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno == ENETDOWN) {
                // Reported once when the interface goes down; the link
                // monitor tells the listener.
                LOG_DEBUG(kLog, "%s: recv: %s", interface_name().c_str(), std::strerror(errno));
            } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                LOG_WARN(kLog, "%s: recv: %s", interface_name().c_str(), std::strerror(errno));
            }
            return;
        }
        // Our own transmissions, looped back to a packet tap.
        if (from.sll_pkttype == PACKET_OUTGOING) {
            drop(DropReason::kFromSelf, "(outgoing)");
            continue;
        }
        if (static_cast<size_t>(n) > kMaxEthernetFrameSize) {
            drop(DropReason::kOversize);
            continue;
        }
        receive_frame(ByteView(buffer.data(), static_cast<size_t>(n)));
    }
}

}  // namespace lanyard
