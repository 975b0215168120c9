// strongSwan's settings syntax (swanctl.conf, strongswan.conf): nested
// "name { ... }" sections and "key = value" lines, '#' comments, values to
// the end of the line or in double quotes. Parsed into a tree that keeps
// line numbers for "file:line: ..." errors. No include support.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace lanyard::gateway {

struct SettingsKey {
    std::string name;
    std::string value;
    size_t line = 0;
};

struct SettingsSection {
    std::string name;
    size_t line = 0;
    std::vector<SettingsKey> keys;
    std::vector<SettingsSection> sections;

    const SettingsSection* section(std::string_view n) const {
        for (const auto& s : sections) if (s.name == n) return &s;
        return nullptr;
    }
};

inline constexpr size_t kMaxSettingsDepth = 16;

// The whole text as the unnamed root section. Errors name file and line.
Result<SettingsSection> parse_settings(std::string_view text, std::string_view file);

}  // namespace lanyard::gateway
