// A small argv reader for the daemons' wpa_supplicant- and hostapd-style
// command lines: short flags that may be grouped (-dd, -Bd), options that take
// a value either attached (-iwlan0) or as the next argument (-i wlan0), and
// long options (--pcap FILE, --pcap=FILE). Pure: no exit(), no printing.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/result.h"

namespace lanyard {

struct CmdlineOption {
    char short_name = 0;        // 0: long only
    std::string long_name;      // empty: short only
    bool takes_value = false;
    // Called with the value (empty for flags); an error stops parsing.
    std::function<Status(const std::string& value)> apply;
};

// Parses every element of args (pass argv without argv[0]); positional arguments are handed to `positional`
// (an error if null).
Status parse_cmdline(const std::vector<std::string>& args, const std::vector<CmdlineOption>& options,
                     const std::function<Status(const std::string&)>& positional);

}  // namespace lanyard
