#include "common/daemon.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/log.h"

namespace lanyard {

Status setup_logging(const DaemonOptions& options) {
    // wpa_supplicant: default MSG_INFO; -d → DEBUG, -dd → EXCESSIVE; -q less.
    LogLevel level = LogLevel::kInfo;
    if (options.debug_level == 1) level = LogLevel::kDebug;
    if (options.debug_level >= 2) level = LogLevel::kExcessive;
    if (options.quiet) level = LogLevel::kWarning;
    set_log_level(level);
    set_log_keys(options.log_keys);
    set_log_timestamps(options.timestamps);
    if (!options.log_file.empty()) {
        FILE* f = std::fopen(options.log_file.c_str(), "a");
        if (f == nullptr) {
            return make_error(ErrorCode::kIo, "cannot open log file " + options.log_file + ": " +
                                                  std::strerror(errno));
        }
        setvbuf(f, nullptr, _IOLBF, 0);
        set_log_file(f);
    }
    return ok_status();
}

Status daemonize_and_write_pid(const DaemonOptions& options) {
    if (options.background && daemon(0, options.log_file.empty() ? 0 : 1) != 0) {
        return make_error(ErrorCode::kIo, std::string("daemon(): ") + std::strerror(errno));
    }
    if (!options.pid_file.empty()) {
        FILE* f = std::fopen(options.pid_file.c_str(), "w");
        if (f == nullptr) {
            return make_error(ErrorCode::kIo, "cannot write pid file " + options.pid_file + ": " +
                                                  std::strerror(errno));
        }
        std::fprintf(f, "%d\n", static_cast<int>(getpid()));
        std::fclose(f);
    }
    return ok_status();
}

void remove_pid_file(const DaemonOptions& options) {
    if (!options.pid_file.empty()) unlink(options.pid_file.c_str());
}

}  // namespace lanyard
