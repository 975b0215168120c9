#include "drivers/nl80211/nl80211_commands.h"

#include <linux/nl80211.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/eapol_ethernet.h"
#include "drivers/wifi_mgmt_frames.h"
#include "drivers/wired/unique_fd.h"

namespace lanyard {
namespace {

constexpr size_t kKeySequenceSize = 6;  // PN/IPN of CCMP, GCMP, BIP

}  // namespace

Result<uint32_t> interface_index_of(const std::string& name) {
    const unsigned index = if_nametoindex(name.c_str());
    if (index == 0) return make_error(ErrorCode::kConfig, "no interface '" + name + "': " + std::strerror(errno));
    return static_cast<uint32_t>(index);
}

Status set_interface_up(const std::string& name, bool up) {
    if (name.empty() || name.size() >= IFNAMSIZ) return make_error(ErrorCode::kConfig, "bad interface name '" + name + "'");
    UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return make_error(ErrorCode::kIo, std::string("socket(AF_INET): ") + std::strerror(errno));
    ifreq ifr{};
    std::memcpy(ifr.ifr_name, name.data(), name.size());
    if (ioctl(fd.get(), SIOCGIFFLAGS, &ifr) != 0) {
        return make_error(ErrorCode::kIo, "SIOCGIFFLAGS " + name + ": " + std::strerror(errno));
    }
    const bool is_up = (ifr.ifr_flags & IFF_UP) != 0;
    if (is_up == up) return ok_status();
    if (up) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
    } else {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags & ~IFF_UP);
    }
    if (ioctl(fd.get(), SIOCSIFFLAGS, &ifr) != 0) {
        return make_error(ErrorCode::kIo, "SIOCSIFFLAGS " + name + (up ? " up: " : " down: ") + std::strerror(errno));
    }
    return ok_status();
}

Result<InterfaceFacts> get_interface(Nl80211Socket& socket, uint32_t ifindex) {
    auto message = socket.message(NL80211_CMD_GET_INTERFACE);
    message->u32(NL80211_ATTR_IFINDEX, ifindex);
    std::optional<InterfaceFacts> facts;
    LANYARD_TRY(socket.request(*message, "GET_INTERFACE", [&facts](ByteView attributes) -> Status {
        auto parsed = parse_interface_message(attributes);
        if (!parsed) return parsed.error();
        facts = *parsed;
        return ok_status();
    }));
    if (!facts) return make_error(ErrorCode::kIo, "GET_INTERFACE: no reply for ifindex " + std::to_string(ifindex));
    return *facts;
}

Result<WiphyCapabilities> probe_wiphy(Nl80211Socket& socket, uint32_t wiphy_index) {
    auto message = socket.message(NL80211_CMD_GET_WIPHY, NLM_F_DUMP);
    message->u32(NL80211_ATTR_WIPHY, wiphy_index).flag(NL80211_ATTR_SPLIT_WIPHY_DUMP);
    WiphyCapabilities capabilities;
    LANYARD_TRY(socket.request(*message, "GET_WIPHY", [&capabilities](ByteView attributes) {
        return merge_wiphy_message(attributes, capabilities);
    }));
    if (capabilities.messages == 0) return make_error(ErrorCode::kIo, "GET_WIPHY: no reply for phy" + std::to_string(wiphy_index));
    return capabilities;
}

Status set_interface_type(Nl80211Socket& socket, uint32_t ifindex, uint32_t iftype) {
    auto message = socket.message(NL80211_CMD_SET_INTERFACE);
    message->u32(NL80211_ATTR_IFINDEX, ifindex).u32(NL80211_ATTR_IFTYPE, iftype);
    return socket.request(*message, "SET_INTERFACE");
}

Status install_key(Nl80211Socket& socket, uint32_t ifindex, const KeyInstallRequest& request, bool set_default) {
    if (request.key.empty()) return make_error(ErrorCode::kInternal, "install_key: empty key");
    const bool pairwise = request.kind == KeyKind::kPairwise;
    {
        auto message = socket.message(NL80211_CMD_NEW_KEY);
        message->mark_sensitive();
        message->u32(NL80211_ATTR_IFINDEX, ifindex);
        if (pairwise) message->mac(NL80211_ATTR_MAC, request.peer);
        void* key = message->begin_nested(NL80211_ATTR_KEY);
        message->bytes(NL80211_KEY_DATA, request.key.view())
            .u32(NL80211_KEY_CIPHER, request.cipher_suite)
            .u8(NL80211_KEY_IDX, request.key_index)
            .bytes(NL80211_KEY_SEQ, ByteView(request.rsc).first(kKeySequenceSize))
            .u32(NL80211_KEY_TYPE, pairwise ? NL80211_KEYTYPE_PAIRWISE : NL80211_KEYTYPE_GROUP);
        message->end_nested(key);
        const std::string what = std::string("NEW_KEY (") + key_kind_name(request.kind) + ")";
        LANYARD_TRY(socket.request(*message, what.c_str()));
    }
    if (pairwise || !set_default) return ok_status();

    auto message = socket.message(NL80211_CMD_SET_KEY);
    message->u32(NL80211_ATTR_IFINDEX, ifindex);
    void* key = message->begin_nested(NL80211_ATTR_KEY);
    message->u8(NL80211_KEY_IDX, request.key_index);
    switch (request.kind) {
        case KeyKind::kGroup: {
            message->flag(NL80211_KEY_DEFAULT);
            void* types = message->begin_nested(NL80211_KEY_DEFAULT_TYPES);
            message->flag(NL80211_KEY_DEFAULT_TYPE_MULTICAST);
            message->end_nested(types);
            break;
        }
        case KeyKind::kIntegrityGroup: message->flag(NL80211_KEY_DEFAULT_MGMT); break;
        case KeyKind::kPairwise: break;
    }
    message->end_nested(key);
    return socket.request(*message, "SET_KEY (default)");
}

Status delete_pairwise_key(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer) {
    auto message = socket.message(NL80211_CMD_DEL_KEY);
    message->u32(NL80211_ATTR_IFINDEX, ifindex).mac(NL80211_ATTR_MAC, peer).u8(NL80211_ATTR_KEY_IDX, 0);
    return socket.request(*message, "DEL_KEY");
}

Status set_station_authorized(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer, PortState state) {
    nl80211_sta_flag_update flags{};
    flags.mask = 1u << NL80211_STA_FLAG_AUTHORIZED;
    switch (state) {
        case PortState::kAuthorized: flags.set = flags.mask; break;
        case PortState::kUnauthorized: flags.set = 0; break;
    }
    auto message = socket.message(NL80211_CMD_SET_STATION);
    message->u32(NL80211_ATTR_IFINDEX, ifindex)
        .mac(NL80211_ATTR_MAC, peer)
        .bytes(NL80211_ATTR_STA_FLAGS2, ByteView(reinterpret_cast<const uint8_t*>(&flags), sizeof(flags)));
    return socket.request(*message, "SET_STATION (authorized)");
}

Status send_control_port_frame(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& destination,
                               ByteView pdu) {
    auto message = socket.message(NL80211_CMD_CONTROL_PORT_FRAME);
    message->u32(NL80211_ATTR_IFINDEX, ifindex)
        .bytes(NL80211_ATTR_FRAME, pdu)
        .mac(NL80211_ATTR_MAC, destination)
        .u16(NL80211_ATTR_CONTROL_PORT_ETHERTYPE, kEapolEthertype);
    return socket.request(*message, "CONTROL_PORT_FRAME");
}

Status register_frame(Nl80211Socket& socket, uint32_t ifindex, uint16_t frame_type) {
    auto message = socket.message(NL80211_CMD_REGISTER_FRAME);
    message->u32(NL80211_ATTR_IFINDEX, ifindex).u16(NL80211_ATTR_FRAME_TYPE, frame_type).bytes(NL80211_ATTR_FRAME_MATCH, ByteView());
    return socket.request(*message, "REGISTER_FRAME");
}

Status send_management_frame(Nl80211Socket& socket, uint32_t ifindex, ByteView frame) {
    auto message = socket.message(NL80211_CMD_FRAME);
    message->u32(NL80211_ATTR_IFINDEX, ifindex).bytes(NL80211_ATTR_FRAME, frame);
    return socket.request(*message, "FRAME");
}

Status delete_station(Nl80211Socket& socket, uint32_t ifindex, const MacAddress& peer, uint16_t reason) {
    auto message = socket.message(NL80211_CMD_DEL_STATION);
    message->u32(NL80211_ATTR_IFINDEX, ifindex)
        .mac(NL80211_ATTR_MAC, peer)
        .u8(NL80211_ATTR_MGMT_SUBTYPE, static_cast<uint8_t>(ManagementSubtype::kDeauthentication))
        .u16(NL80211_ATTR_REASON_CODE, reason);
    return socket.request(*message, "DEL_STATION");
}

}  // namespace lanyard
