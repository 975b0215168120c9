#include "common/log.h"

#include <cstdarg>
#include <ctime>
#include <mutex>

namespace lanyard {
namespace {

struct LogState {
    LogLevel level = LogLevel::kWarning;
    bool keys = false;
    bool timestamps = false;
    FILE* file = nullptr;
    std::mutex mutex;
};

LogState& state() {
    static LogState s;
    return s;
}

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::kError: return "ERROR";
        case LogLevel::kWarning: return "WARN";
        case LogLevel::kInfo: return "INFO";
        case LogLevel::kDebug: return "DEBUG";
        case LogLevel::kExcessive: return "EXCESSIVE";
    }
    return "?";
}

}  // namespace

void set_log_level(LogLevel level) { state().level = level; }
LogLevel log_level() { return state().level; }
bool log_enabled(LogLevel level) { return static_cast<int>(level) <= static_cast<int>(state().level); }
void set_log_keys(bool enabled) { state().keys = enabled; }
bool log_keys_enabled() { return state().keys; }
void set_log_file(FILE* file) { state().file = file; }
void set_log_timestamps(bool enabled) { state().timestamps = enabled; }

void log_message(LogLevel level, const char* component, const char* format, ...) {
    LogState& s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    FILE* out = s.file != nullptr ? s.file : stderr;
    if (s.timestamps) {
        timespec ts{};
        clock_gettime(CLOCK_REALTIME, &ts);
        std::fprintf(out, "%ld.%06ld: ", static_cast<long>(ts.tv_sec), ts.tv_nsec / 1000);
    }
    std::fprintf(out, "%s %s: ", level_name(level), component);
    va_list args;
    va_start(args, format);
    std::vfprintf(out, format, args);
    va_end(args);
    std::fputc('\n', out);
    std::fflush(out);
}

}  // namespace lanyard
