// Writes EAPOL frames to a pcap file (link type DLT_EN10MB, Ethernet),
// readable by Wireshark and tshark. Each frame is flushed as it is
// written, so a daemon that is killed still leaves a complete file.
#pragma once

#include <sys/time.h>

#include <memory>
#include <string>

#include "common/bytes.h"
#include "common/mac_address.h"
#include "common/result.h"

namespace lanyard {

class PcapWriter {
public:
    // Creates (truncates) the file.
    static Result<std::unique_ptr<PcapWriter>> open(const std::string& path);
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;

    // One complete Ethernet frame with an explicit timestamp.
    Status write_frame(ByteView frame, const timeval& timestamp);
    // An EAPOL PDU under the MAC header it had (or will have) on the wire,
    // stamped with the current wall-clock time.
    Status write_eapol(const MacAddress& destination, const MacAddress& source, ByteView pdu);

    const std::string& path() const { return path_; }
    uint64_t frames_written() const { return frames_written_; }

private:
    struct Handles;
    PcapWriter(std::string path, std::unique_ptr<Handles> handles);

    std::string path_;
    std::unique_ptr<Handles> handles_;
    uint64_t frames_written_ = 0;
};

}  // namespace lanyard
