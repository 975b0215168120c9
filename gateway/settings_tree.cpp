#include "gateway/settings_tree.h"

#include "common/config_lexer.h"

namespace lanyard::gateway {
namespace {

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '%' || c == '*' ||
           c == '@' || c == ':' || c == '/';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

Result<SettingsSection> parse_settings(std::string_view text, std::string_view file) {
    SettingsSection root;
    std::vector<SettingsSection*> stack{&root};
    size_t line_no = 0;
    size_t pos = 0;
    auto err = [&](const std::string& m) {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, line_no, "", m));
    };
    while (pos <= text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        // A '#' outside quotes starts a comment.
        bool in_quote = false;
        for (size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '"') in_quote = !in_quote;
            if (line[i] == '#' && !in_quote) {
                line = line.substr(0, i);
                break;
            }
        }
        line = trim(line);
        // Several "}" (and "name {" with content) may share a line.
        while (!line.empty()) {
            if (line.front() == '}') {
                if (stack.size() == 1) return err("unexpected '}'");
                stack.pop_back();
                line = trim(line.substr(1));
                continue;
            }
            size_t n = 0;
            while (n < line.size() && name_char(line[n])) ++n;
            if (n == 0) return err("expected a name, found '" + std::string(line.substr(0, 20)) + "'");
            std::string name(line.substr(0, n));
            std::string_view rest = trim(line.substr(n));
            if (!rest.empty() && rest.front() == '{') {
                if (stack.size() > kMaxSettingsDepth) return err("sections nested too deeply");
                SettingsSection s;
                s.name = name;
                s.line = line_no;
                stack.back()->sections.push_back(std::move(s));
                stack.push_back(&stack.back()->sections.back());
                line = trim(rest.substr(1));
                continue;
            }
            if (rest.empty() || (rest.front() != '=' && rest.front() != ':')) return err("expected '=' or '{' after '" + name + "'");
            std::string_view value = trim(rest.substr(1));
            std::string v;
            if (!value.empty() && value.front() == '"') {
                const size_t close = value.find('"', 1);
                if (close == std::string_view::npos) return err("unterminated quoted value for '" + name + "'");
                v = std::string(value.substr(1, close - 1));
                line = trim(value.substr(close + 1));
            } else {
                // Unquoted: to the end of the line, or up to a '}' on it.
                const size_t brace = value.find('}');
                v = std::string(trim(value.substr(0, brace)));
                line = brace == std::string_view::npos ? std::string_view() : value.substr(brace);
            }
            stack.back()->keys.push_back(SettingsKey{name, v, line_no});
        }
        if (nl == text.size()) break;
    }
    if (stack.size() != 1) {
        return make_error(ErrorCode::kConfig, config::format_diagnostic(file, stack.back()->line, "",
                                                                        "section '" + stack.back()->name + "' is not closed"));
    }
    return root;
}

}  // namespace lanyard::gateway
