// Leveled logging. Key material goes through SecretBytes::to_log_string(),
// which prints only when the debug-keys switch is on.
#pragma once

#include <cstdio>
#include <string>

namespace lanyard {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3, kExcessive = 4 };

void set_log_level(LogLevel level);
LogLevel log_level();
bool log_enabled(LogLevel level);

// Keys and secrets reach the log only with this switch on (wpa_supplicant's -K).
void set_log_keys(bool enabled);
bool log_keys_enabled();

// Where log lines go: stderr by default. Passing nullptr restores stderr.
// The file is not owned by the logger.
void set_log_file(FILE* file);
// Adds a monotonic timestamp to each line (like wpa_supplicant -t).
void set_log_timestamps(bool enabled);

void log_message(LogLevel level, const char* component, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace lanyard

#define LANYARD_LOG(level, component, ...)                                        \
    do {                                                                          \
        if (::lanyard::log_enabled(level)) ::lanyard::log_message(level, component, __VA_ARGS__); \
    } while (0)
#define LOG_ERROR(component, ...) LANYARD_LOG(::lanyard::LogLevel::kError, component, __VA_ARGS__)
#define LOG_WARN(component, ...) LANYARD_LOG(::lanyard::LogLevel::kWarning, component, __VA_ARGS__)
#define LOG_INFO(component, ...) LANYARD_LOG(::lanyard::LogLevel::kInfo, component, __VA_ARGS__)
#define LOG_DEBUG(component, ...) LANYARD_LOG(::lanyard::LogLevel::kDebug, component, __VA_ARGS__)
#define LOG_EXCESSIVE(component, ...) LANYARD_LOG(::lanyard::LogLevel::kExcessive, component, __VA_ARGS__)
