// driver=wired: EAPOL over an Ethernet interface through AF_PACKET, as
// hostapd's and wpa_supplicant's wired drivers do. There is no kernel port
// control: authorizing a port only records the state and logs it.
//
//   auto loop = EventLoop::create();                        // Result<unique_ptr>
//   WiredOptions options;
//   options.interface_name = "eth0";
//   options.addressing = SendAddressing::kPaeGroup;         // use_pae_group_addr=1
//   auto wired = WiredDriver::open(**loop, options);         // Result<unique_ptr>
//   // drivers/pcap/capture_driver.h; an empty path returns the driver as is.
//   Result<std::unique_ptr<Driver>> driver = wrap_with_capture(std::move(*wired), pcap_path);
//   (*driver)->set_listener(&my_listener);
//   (*loop)->run();
//
// Needs CAP_NET_RAW. The driver must outlive nothing it registered: its
// destructor unregisters its fds, so destroy it before the loop, and never
// from inside one of its own listener callbacks (defer with a zero timer).
#pragma once

#include <memory>
#include <string>

#include "common/event_loop.h"
#include "drivers/ethernet_driver_base.h"
#include "drivers/wired/link_monitor.h"
#include "drivers/wired/unique_fd.h"

namespace lanyard {

struct WiredOptions {
    std::string interface_name;
    // hostapd/wpa_supplicant use_pae_group_addr: send every frame to the
    // PAE group address instead of the station's own address.
    SendAddressing addressing = SendAddressing::kAsRequested;
    size_t station_limit = StationTable::kDefaultLimit;
    // Follow link changes through rtnetlink; otherwise the state read at
    // open stays as it is.
    bool monitor_link = true;
};

class WiredDriver final : public EthernetDriverBase {
public:
    static Result<std::unique_ptr<WiredDriver>> open(EventLoop& loop, const WiredOptions& options);
    ~WiredDriver() override;

    int interface_index() const { return interface_index_; }

private:
    WiredDriver(EventLoop& loop, const WiredOptions& options, int interface_index,
                MacAddress address, UniqueFd socket);
    Status transmit_frame(ByteView frame) override;
    void on_readable();

    EventLoop& loop_;
    int interface_index_;
    UniqueFd socket_;
    std::unique_ptr<LinkMonitor> link_monitor_;
};

}  // namespace lanyard
