#include "drivers/nl80211/nl80211_driver_base.h"

#include <linux/if_packet.h>
#include <linux/nl80211.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "drivers/eapol_ethernet.h"
#include "drivers/nl80211/nl80211_commands.h"
#include "drivers/wired/packet_socket.h"

namespace lanyard {
namespace {

constexpr const char* kLog = "nl80211";
constexpr int kMaxFramesPerWakeup = 32;

}  // namespace

const char* eapol_transport_name(EapolTransport transport) {
    switch (transport) {
        case EapolTransport::kControlPort: return "control port over nl80211";
        case EapolTransport::kPacketSocket: return "PAE packet socket";
    }
    return "?";
}

std::vector<uint32_t> RsnSettings::required_ciphers() const {
    if (!protected_network()) return {};
    std::vector<uint32_t> ciphers{pairwise_cipher};
    if (group_cipher != pairwise_cipher) ciphers.push_back(group_cipher);
    switch (mfp) {
        case MgmtFrameProtection::kDisabled: break;
        case MgmtFrameProtection::kOptional:
        case MgmtFrameProtection::kRequired: ciphers.push_back(group_management_cipher); break;
    }
    return ciphers;
}

Result<Nl80211DriverBase::Opened> Nl80211DriverBase::open_interface(EventLoop& loop,
                                                                    const Nl80211CommonOptions& options) {
    Result<uint32_t> index = interface_index_of(options.interface_name);
    if (!index) return index.error();
    Nl80211Socket::Options socket_options;
    socket_options.multicast_groups = {"mlme", "scan"};
    socket_options.request_timeout = options.request_timeout;
    auto socket = Nl80211Socket::open(loop, socket_options);
    if (!socket) return socket.error();
    auto interface = get_interface(**socket, *index);
    if (!interface) return interface.error();
    auto capabilities = probe_wiphy(**socket, interface->wiphy_index);
    if (!capabilities) return capabilities.error();
    LOG_INFO(kLog, "%s: %s", options.interface_name.c_str(), capabilities->describe().c_str());
    return Opened{std::move(*socket), *interface, std::move(*capabilities)};
}

Result<EapolTransport> Nl80211DriverBase::choose_transport(const WiphyCapabilities& capabilities,
                                                           const Nl80211CommonOptions& options) {
    if (options.force_packet_socket) return EapolTransport::kPacketSocket;
    if (capabilities.control_port_over_nl80211()) return EapolTransport::kControlPort;
    if (!options.allow_packet_socket) {
        WiphyRequirements requirements;
        requirements.interface_type = NL80211_IFTYPE_STATION;
        requirements.control_port_over_nl80211 = true;
        return check_wiphy(capabilities, requirements).error();
    }
    LOG_INFO(kLog, "%s: no control port over nl80211; EAPOL through a packet socket",
             options.interface_name.c_str());
    return EapolTransport::kPacketSocket;
}

Nl80211DriverBase::Nl80211DriverBase(EventLoop& loop, const Nl80211CommonOptions& options, Opened opened,
                                     EapolTransport transport, bool set_default_group_keys)
    : EthernetDriverBase(options.interface_name, opened.interface.address, SendAddressing::kAsRequested,
                         options.station_limit),
      loop_(loop),
      socket_(std::move(opened.socket)),
      interface_index_(opened.interface.interface_index),
      capabilities_(std::move(opened.capabilities)),
      transport_(transport),
      set_default_group_keys_(set_default_group_keys) {}

Nl80211DriverBase::~Nl80211DriverBase() {
    if (packet_socket_.valid()) loop_.remove_fd(packet_socket_.get());
    if (socket_) socket_->set_event_handler(nullptr);
}

Status Nl80211DriverBase::start_receiving() {
    socket_->set_event_handler([this](uint8_t command, ByteView attributes) { on_socket_event(command, attributes); });
    switch (transport_) {
        case EapolTransport::kControlPort: break;
        case EapolTransport::kPacketSocket: {
            auto fd = open_eapol_packet_socket(static_cast<int>(interface_index_));
            if (!fd) return fd.error();
            packet_socket_ = std::move(*fd);
            LANYARD_TRY(loop_.add_fd(packet_socket_.get(), FdWatch{[this] { on_packet_socket_readable(); }, nullptr}));
            break;
        }
    }
    return ok_status();
}

void Nl80211DriverBase::set_listener(DriverListener* listener) {
    listener_ = listener;
    EthernetDriverBase::set_listener(listener);
}

Status Nl80211DriverBase::set_port_state(const MacAddress& station, PortState state) {
    // IEEE 802.1X-2010 clause 6: the kernel's controlled port first, then our table.
    LANYARD_TRY(set_station_authorized(*socket_, interface_index_, station, state));
    return EthernetDriverBase::set_port_state(station, state);
}

Status Nl80211DriverBase::install_key(const KeyInstallRequest& request) {
    LANYARD_TRY(install_key_nl80211(request));
    LOG_DEBUG(kLog, "%s: installed %s key index %u (%s) for %s", interface_name().c_str(), key_kind_name(request.kind),
              request.key_index, cipher_suite_name(request.cipher_suite).c_str(), request.peer.to_string().c_str());
    return ok_status();
}

Status Nl80211DriverBase::install_key_nl80211(const KeyInstallRequest& request) {
    return lanyard::install_key(*socket_, interface_index_, request, set_default_group_keys_);
}

Status Nl80211DriverBase::remove_keys(const MacAddress& peer) {
    return delete_pairwise_key(*socket_, interface_index_, peer);
}

Status Nl80211DriverBase::transmit_frame(ByteView frame) {
    switch (transport_) {
        case EapolTransport::kControlPort: {
            // EthernetDriverBase framed it; nl80211 wants the PDU and the
            // destination (the kernel builds the 802.11 header).
            const MacAddress destination = MacAddress::from_bytes(frame.first(MacAddress::kSize)).value();
            return send_control_port_frame(*socket_, interface_index_, destination, frame.subspan(kEthernetHeaderSize));
        }
        case EapolTransport::kPacketSocket: {
            const ssize_t n = send(packet_socket_.get(), frame.data(), frame.size(), 0);
            if (n < 0) return make_error(ErrorCode::kIo, interface_name() + ": send: " + std::strerror(errno));
            if (static_cast<size_t>(n) != frame.size()) return make_error(ErrorCode::kIo, interface_name() + ": short send");
            return ok_status();
        }
    }
    return make_error(ErrorCode::kInternal, "unknown EAPOL transport");
}

void Nl80211DriverBase::on_socket_event(uint8_t command, ByteView attributes) {
    auto event = parse_nl80211_event(command, attributes);
    if (!event) {
        ++malformed_events_;
        LOG_DEBUG(kLog, "%s: dropped nl80211 event %u: %s", interface_name().c_str(), command,
                  event.error().detail.c_str());
        return;
    }
    // Multicast events of every interface reach us; keep ours.
    if (event->interface_index && *event->interface_index != interface_index_) return;
    if (command == NL80211_CMD_CONTROL_PORT_FRAME) {
        on_control_port_frame(*event);
        return;
    }
    on_event(*event);
}

void Nl80211DriverBase::on_control_port_frame(const Nl80211Event& event) {
    if (!event.mac) {
        drop(DropReason::kTooShort, "(control port frame without source)");
        return;
    }
    if (event.ethertype.value_or(kEapolEthertype) != kEapolEthertype) {
        drop(DropReason::kWrongEthertype, "(control port)");
        return;
    }
    if (event.frame.size() > kMaxEapolPduSize) {
        drop(DropReason::kOversize, "(control port)");
        return;
    }
    // Frame it as Ethernet so the shared filter, station table and
    // counters see it exactly as from a packet socket; the kernel
    // delivered it to us, so our address is the destination.
    const Bytes frame = build_eapol_ethernet_frame(own_address(), *event.mac, event.frame);
    receive_frame(frame);
}

void Nl80211DriverBase::on_packet_socket_readable() {
    std::array<uint8_t, kMaxEthernetFrameSize + 1> buffer{};
    for (int i = 0; i < kMaxFramesPerWakeup; ++i) {
        sockaddr_ll from{};
        socklen_t from_len = sizeof(from);
        const ssize_t n = recvfrom(packet_socket_.get(), buffer.data(), buffer.size(), MSG_TRUNC,
                                   reinterpret_cast<sockaddr*>(&from), &from_len);
        if (n < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                LOG_DEBUG(kLog, "%s: recv: %s", interface_name().c_str(), std::strerror(errno));
            }
            return;
        }
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
