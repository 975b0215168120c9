// What the nl80211 station and access-point drivers share: the nl80211
// socket of one interface, its wiphy capabilities (probed at open), the
// EAPOL transport, key installation (KeyInstaller) and the controlled port
// (NL80211_STA_FLAG_AUTHORIZED).
//
// EAPOL transport: with NL80211_EXT_FEATURE_CONTROL_PORT_OVER_NL80211 the
// frames travel as NL80211_CMD_CONTROL_PORT_FRAME on the driver's own
// socket (the socket owner of the AP or connection); otherwise through a
// PAE packet socket on the interface (drivers/wired/packet_socket.h).
// Either way, frames pass through EthernetDriverBase's receive filter,
// station table and counters, like every other driver.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/ethernet_driver_base.h"
#include "drivers/key_installer.h"
#include "drivers/nl80211/nl80211_socket.h"
#include "drivers/nl80211_messages.h"
#include "drivers/wired/unique_fd.h"

namespace lanyard {

enum class EapolTransport { kControlPort, kPacketSocket };
const char* eapol_transport_name(EapolTransport transport);

// ieee80211w: 0 disabled, 1 optional, 2 required (IEEE 802.11-2020 §12.6.3).
// (eapol::MfpPolicy is the same choice inside the RSN code; drivers do not
// depend on eapol/, so the daemon maps one to the other.)
enum class MgmtFrameProtection { kDisabled, kOptional, kRequired };

// The RSN settings nl80211 wants as attributes next to the RSN element
// itself, which the caller builds (eapol/) and passes as bytes.
struct RsnSettings {
    Bytes rsn_element;                         // ID and length included; empty = open network
    uint32_t akm_suite = kAkm8021X;
    uint32_t pairwise_cipher = kCipherCcmp128;
    uint32_t group_cipher = kCipherCcmp128;
    MgmtFrameProtection mfp = MgmtFrameProtection::kDisabled;
    uint32_t group_management_cipher = kCipherBipCmac128;  // with MFP

    bool protected_network() const { return !rsn_element.empty(); }
    // The cipher suites the wiphy must support for these settings.
    std::vector<uint32_t> required_ciphers() const;
};

struct Nl80211CommonOptions {
    std::string interface_name;
    size_t station_limit = StationTable::kDefaultLimit;
    std::chrono::milliseconds request_timeout{5000};
    // Use a PAE packet socket when the wiphy cannot carry EAPOL over
    // nl80211; false makes that capability a requirement.
    bool allow_packet_socket = true;
    // Use the packet socket even when the control port is available
    // (tests of the fallback).
    bool force_packet_socket = false;
};

class Nl80211DriverBase : public EthernetDriverBase, public KeyInstaller {
public:
    ~Nl80211DriverBase() override;

    void set_listener(DriverListener* listener) override;
    Status set_port_state(const MacAddress& station, PortState state) override;
    KeyInstaller* key_installer() override { return this; }
    Status install_key(const KeyInstallRequest& request) override;
    Status remove_keys(const MacAddress& peer) override;

    const WiphyCapabilities& capabilities() const { return capabilities_; }
    uint32_t interface_index() const { return interface_index_; }
    EapolTransport transport() const { return transport_; }
    uint64_t malformed_events() const { return malformed_events_; }

protected:
    struct Opened {
        std::unique_ptr<Nl80211Socket> socket;
        InterfaceFacts interface;
        WiphyCapabilities capabilities;
    };
    // Opens the socket (groups "mlme" and "scan"), reads the interface and
    // probes its wiphy, logging what it found.
    static Result<Opened> open_interface(EventLoop& loop, const Nl80211CommonOptions& options);
    // Picks the EAPOL transport and fails naming what the wiphy lacks.
    static Result<EapolTransport> choose_transport(const WiphyCapabilities& capabilities,
                                                   const Nl80211CommonOptions& options);

    Nl80211DriverBase(EventLoop& loop, const Nl80211CommonOptions& options, Opened opened,
                      EapolTransport transport, bool set_default_group_keys);
    // Starts receiving: nl80211 events and, for the packet-socket
    // transport, the packet socket (opened here: after the interface type
    // is final and the interface is up).
    Status start_receiving();

    // Events for our interface other than control-port frames.
    virtual void on_event(const Nl80211Event& event) = 0;

    Status transmit_frame(ByteView frame) override;
    DriverListener* listener() const { return listener_; }
    Nl80211Socket& socket() { return *socket_; }
    EventLoop& loop() { return loop_; }

private:
    Status install_key_nl80211(const KeyInstallRequest& request);
    void on_socket_event(uint8_t command, ByteView attributes);
    void on_control_port_frame(const Nl80211Event& event);
    void on_packet_socket_readable();

    EventLoop& loop_;
    std::unique_ptr<Nl80211Socket> socket_;
    uint32_t interface_index_;
    WiphyCapabilities capabilities_;
    EapolTransport transport_;
    bool set_default_group_keys_;
    UniqueFd packet_socket_;
    DriverListener* listener_ = nullptr;
    uint64_t malformed_events_ = 0;
};

}  // namespace lanyard
