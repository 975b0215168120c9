#include "common/ctrl_config.h"

#include <grp.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace lanyard {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

Status check_dir(std::string_view dir) {
    if (dir.empty() || dir.front() != '/') {
        return make_error(ErrorCode::kConfig, "ctrl_interface directory must be an absolute path: '" +
                                                  std::string(dir) + "'");
    }
    return ok_status();
}

}  // namespace

Result<CtrlSocketConfig> parse_ctrl_interface(std::string_view value) {
    value = trim(value);
    CtrlSocketConfig config;
    if (value.substr(0, 4) != "DIR=") {
        LANYARD_TRY(check_dir(value));
        config.dir = std::string(value);
        return config;
    }
    // Space-separated KEY=VALUE words.
    while (!value.empty()) {
        size_t end = value.find(' ');
        std::string_view word = value.substr(0, end);
        value = end == std::string_view::npos ? std::string_view() : trim(value.substr(end + 1));
        if (word.substr(0, 4) == "DIR=") {
            config.dir = std::string(word.substr(4));
        } else if (word.substr(0, 6) == "GROUP=") {
            if (word.size() == 6) return make_error(ErrorCode::kConfig, "empty GROUP= in ctrl_interface");
            config.group = std::string(word.substr(6));
        } else {
            return make_error(ErrorCode::kConfig, "unknown word in ctrl_interface: '" + std::string(word) + "'");
        }
    }
    LANYARD_TRY(check_dir(config.dir));
    return config;
}

Result<gid_t> resolve_ctrl_group(std::string_view group) {
    if (group.empty()) return make_error(ErrorCode::kConfig, "empty group name");
    std::string name(group);
    {
        struct group entry {};
        struct group* found = nullptr;
        std::array<char, 4096> buf{};
        int rc = getgrnam_r(name.c_str(), &entry, buf.data(), buf.size(), &found);
        if (rc == 0 && found != nullptr) return found->gr_gid;
    }
    // Not a known name: a decimal gid, as wpa_supplicant also accepts.
    if (name.size() <= 9 && name.find_first_not_of("0123456789") == std::string::npos) {
        return static_cast<gid_t>(std::stoul(name));
    }
    return make_error(ErrorCode::kConfig, "unknown group '" + name + "'");
}

}  // namespace lanyard
