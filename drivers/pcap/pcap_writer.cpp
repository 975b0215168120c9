#include "drivers/pcap/pcap_writer.h"

#include <pcap/pcap.h>

#include <ctime>

#include "drivers/eapol_ethernet.h"

namespace lanyard {

// libpcap types stay in this file.
struct PcapWriter::Handles {
    pcap_t* pcap = nullptr;
    pcap_dumper_t* dumper = nullptr;
    ~Handles() {
        if (dumper != nullptr) pcap_dump_close(dumper);
        if (pcap != nullptr) pcap_close(pcap);
    }
};

Result<std::unique_ptr<PcapWriter>> PcapWriter::open(const std::string& path) {
    auto handles = std::make_unique<Handles>();
    // A "dead" handle: no capture device, only the link type and snaplen
    // that the file header records.
    handles->pcap = pcap_open_dead(DLT_EN10MB, 65535);
    if (handles->pcap == nullptr) return make_error(ErrorCode::kIo, "pcap_open_dead failed");
    handles->dumper = pcap_dump_open(handles->pcap, path.c_str());
    if (handles->dumper == nullptr) {
        return make_error(ErrorCode::kIo, "pcap_dump_open " + path + ": " + pcap_geterr(handles->pcap));
    }
    // The file header goes out now, so even a capture with no frame is valid.
    if (pcap_dump_flush(handles->dumper) != 0) {
        return make_error(ErrorCode::kIo, "pcap_dump_flush " + path);
    }
    return std::unique_ptr<PcapWriter>(new PcapWriter(path, std::move(handles)));
}

PcapWriter::PcapWriter(std::string path, std::unique_ptr<Handles> handles)
    : path_(std::move(path)), handles_(std::move(handles)) {}

PcapWriter::~PcapWriter() = default;

Status PcapWriter::write_frame(ByteView frame, const timeval& timestamp) {
    pcap_pkthdr header{};
    header.ts = timestamp;
    header.caplen = static_cast<bpf_u_int32>(frame.size());
    header.len = static_cast<bpf_u_int32>(frame.size());
    pcap_dump(reinterpret_cast<u_char*>(handles_->dumper), &header, frame.data());
    if (pcap_dump_flush(handles_->dumper) != 0) {
        return make_error(ErrorCode::kIo, "pcap_dump_flush " + path_);
    }
    ++frames_written_;
    return ok_status();
}

Status PcapWriter::write_eapol(const MacAddress& destination, const MacAddress& source, ByteView pdu) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    const timeval stamp{now.tv_sec, static_cast<suseconds_t>(now.tv_nsec / 1000)};
    return write_frame(build_eapol_ethernet_frame(destination, source, pdu), stamp);
}

}  // namespace lanyard
