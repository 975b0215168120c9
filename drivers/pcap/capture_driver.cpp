#include "drivers/pcap/capture_driver.h"

#include "common/log.h"

namespace lanyard {
namespace {
constexpr const char* kLog = "capture";
}

CaptureDriver::CaptureDriver(std::unique_ptr<Driver> inner, std::unique_ptr<PcapWriter> writer)
    : owned_(std::move(inner)), inner_(*owned_), writer_(std::move(writer)) {
    inner_.set_listener(this);
}

CaptureDriver::CaptureDriver(Driver& inner, std::unique_ptr<PcapWriter> writer)
    : inner_(inner), writer_(std::move(writer)) {
    inner_.set_listener(this);
}

CaptureDriver::~CaptureDriver() { inner_.set_listener(nullptr); }

void CaptureDriver::record(const MacAddress& destination, const MacAddress& source, ByteView pdu) {
    Status written = writer_->write_eapol(destination, source, pdu);
    // A full disk must not stop authentication: warn once, keep going.
    if (!written && !write_failed_) {
        write_failed_ = true;
        LOG_WARN(kLog, "%s: %s", writer_->path().c_str(), written.error().to_string().c_str());
    }
}

Status CaptureDriver::send_eapol(const MacAddress& destination, ByteView pdu) {
    LANYARD_TRY(inner_.send_eapol(destination, pdu));
    record(inner_.wire_destination(destination), inner_.own_address(), pdu);
    return ok_status();
}

void CaptureDriver::on_eapol_frame(const MacAddress& source, const MacAddress& destination, ByteView pdu) {
    record(destination, source, pdu);
    if (listener_ != nullptr) listener_->on_eapol_frame(source, destination, pdu);
}

void CaptureDriver::on_link_state(LinkState state) {
    if (listener_ != nullptr) listener_->on_link_state(state);
}

void CaptureDriver::on_station_arrived(const MacAddress& station) {
    if (listener_ != nullptr) listener_->on_station_arrived(station);
}

void CaptureDriver::on_station_left(const MacAddress& station) {
    if (listener_ != nullptr) listener_->on_station_left(station);
}

Result<std::unique_ptr<Driver>> wrap_with_capture(std::unique_ptr<Driver> inner, const std::string& path) {
    if (path.empty()) return inner;
    Result<std::unique_ptr<PcapWriter>> writer = PcapWriter::open(path);
    if (!writer) return writer.error();
    LOG_INFO(kLog, "%s: capturing EAPOL to %s", inner->interface_name().c_str(), path.c_str());
    return std::unique_ptr<Driver>(new CaptureDriver(std::move(inner), std::move(*writer)));
}

}  // namespace lanyard
