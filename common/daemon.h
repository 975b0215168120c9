// What wpa_supplicant and hostapd do at start-up and that both Lanyard
// daemons share: the -B/-P/-f/-d/-K/-t options, going to the background,
// the pid file and the log file.
#pragma once

#include <string>

#include "common/result.h"

namespace lanyard {

struct DaemonOptions {
    bool background = false;     // -B
    std::string pid_file;        // -P FILE
    std::string log_file;        // -f FILE
    int debug_level = 0;         // each -d adds one
    bool log_keys = false;       // -K
    bool timestamps = false;     // -t
    bool quiet = false;          // -q
};

// Applies debug_level, log_keys, timestamps and opens the log file (kept open
// for the process lifetime). Call before daemonizing so that errors reach the
// terminal.
Status setup_logging(const DaemonOptions& options);

// Forks into the background (when asked) and writes the pid file.
Status daemonize_and_write_pid(const DaemonOptions& options);

// Removes the pid file at exit (if one was written).
void remove_pid_file(const DaemonOptions& options);

}  // namespace lanyard
