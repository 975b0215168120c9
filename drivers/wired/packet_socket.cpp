#include "drivers/wired/packet_socket.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "drivers/eapol_ethernet.h"

namespace lanyard {
namespace {

Error errno_error(const std::string& what) {
    return make_error(ErrorCode::kIo, what + ": " + std::strerror(errno));
}

Status interface_ioctl(int fd, unsigned long request, ifreq& ifr, const char* what) {
    if (ioctl(fd, request, &ifr) != 0) {
        return errno_error(std::string(what) + " " + ifr.ifr_name);
    }
    return ok_status();
}

}  // namespace

Result<InterfaceInfo> query_interface(const std::string& name) {
    if (name.empty() || name.size() >= IFNAMSIZ) {
        return make_error(ErrorCode::kConfig, "bad interface name '" + name + "'");
    }
    UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return errno_error("socket(AF_INET)");

    ifreq ifr{};
    std::memcpy(ifr.ifr_name, name.data(), name.size());
    InterfaceInfo info;

    LANYARD_TRY(interface_ioctl(fd.get(), SIOCGIFINDEX, ifr, "SIOCGIFINDEX"));
    info.index = ifr.ifr_ifindex;

    LANYARD_TRY(interface_ioctl(fd.get(), SIOCGIFHWADDR, ifr, "SIOCGIFHWADDR"));
    if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
        return make_error(ErrorCode::kConfig, name + " is not an Ethernet interface");
    }
    ByteView hw(reinterpret_cast<const uint8_t*>(ifr.ifr_hwaddr.sa_data), MacAddress::kSize);
    info.address = MacAddress::from_bytes(hw).value();

    LANYARD_TRY(interface_ioctl(fd.get(), SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS"));
    // Administratively up and operationally running (carrier present).
    const bool up = (ifr.ifr_flags & IFF_UP) != 0 && (ifr.ifr_flags & IFF_RUNNING) != 0;
    info.link = up ? LinkState::kUp : LinkState::kDown;
    return info;
}

Result<UniqueFd> open_eapol_packet_socket(int interface_index) {
    const uint16_t protocol = htons(kEapolEthertype);
    UniqueFd fd(socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
    if (!fd.valid()) return errno_error("socket(AF_PACKET)");

    sockaddr_ll bind_addr{};
    bind_addr.sll_family = AF_PACKET;
    bind_addr.sll_protocol = protocol;
    bind_addr.sll_ifindex = interface_index;
    if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&bind_addr), sizeof(bind_addr)) != 0) {
        return errno_error("bind(AF_PACKET)");
    }

    // IEEE 802.1X-2010 §11.1.1: a PAE listens on the PAE group address,
    // which a NIC filters out unless we join it.
    packet_mreq mreq{};
    mreq.mr_ifindex = interface_index;
    mreq.mr_type = PACKET_MR_MULTICAST;
    mreq.mr_alen = MacAddress::kSize;
    std::memcpy(mreq.mr_address, kPaeGroupAddress.octets().data(), MacAddress::kSize);
    if (setsockopt(fd.get(), SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) != 0) {
        return errno_error("PACKET_ADD_MEMBERSHIP");
    }
    return fd;
}

}  // namespace lanyard
