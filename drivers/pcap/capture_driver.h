// A Driver decorator that records every EAPOL frame sent and received
// through the wrapped driver into a pcap file; everything else passes
// straight through. This is how both daemons implement --pcap FILE for
// any driver.
#pragma once

#include <memory>
#include <string>

#include "drivers/driver.h"
#include "drivers/pcap/pcap_writer.h"

namespace lanyard {

class CaptureDriver final : public Driver, private DriverListener {
public:
    // Owning and non-owning forms; the inner driver must outlive a
    // non-owning CaptureDriver.
    CaptureDriver(std::unique_ptr<Driver> inner, std::unique_ptr<PcapWriter> writer);
    CaptureDriver(Driver& inner, std::unique_ptr<PcapWriter> writer);
    ~CaptureDriver() override;

    const std::string& interface_name() const override { return inner_.interface_name(); }
    MacAddress own_address() const override { return inner_.own_address(); }
    LinkState link_state() const override { return inner_.link_state(); }
    void set_listener(DriverListener* listener) override { listener_ = listener; }
    Status send_eapol(const MacAddress& destination, ByteView pdu) override;
    MacAddress wire_destination(const MacAddress& destination) const override {
        return inner_.wire_destination(destination);
    }
    Status set_port_state(const MacAddress& station, PortState state) override {
        return inner_.set_port_state(station, state);
    }
    PortState port_state(const MacAddress& station) const override { return inner_.port_state(station); }
    void forget_station(const MacAddress& station) override { inner_.forget_station(station); }
    KeyInstaller* key_installer() override { return inner_.key_installer(); }
    const DropCounters& drop_counters() const override { return inner_.drop_counters(); }
    uint64_t frames_sent() const override { return inner_.frames_sent(); }
    uint64_t frames_received() const override { return inner_.frames_received(); }

    Driver& inner() { return inner_; }
    const PcapWriter& writer() const { return *writer_; }

private:
    void on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) override;
    void on_link_state(LinkState state) override;
    void on_station_arrived(const MacAddress& station) override;
    void on_station_left(const MacAddress& station) override;
    void record(const MacAddress& destination, const MacAddress& source, ByteView pdu);

    std::unique_ptr<Driver> owned_;
    Driver& inner_;
    std::unique_ptr<PcapWriter> writer_;
    DriverListener* listener_ = nullptr;
    bool write_failed_ = false;
};

// For the daemons' --pcap option: returns `inner` unchanged when `path`
// is empty, otherwise `inner` wrapped in a CaptureDriver writing `path`.
Result<std::unique_ptr<Driver>> wrap_with_capture(std::unique_ptr<Driver> inner, const std::string& path);

}  // namespace lanyard
