#include "common/cmdline.h"

namespace lanyard {
namespace {

const CmdlineOption* find_short(const std::vector<CmdlineOption>& options, char c) {
    for (const auto& o : options)
        if (o.short_name == c) return &o;
    return nullptr;
}

const CmdlineOption* find_long(const std::vector<CmdlineOption>& options, const std::string& name) {
    for (const auto& o : options)
        if (!o.long_name.empty() && o.long_name == name) return &o;
    return nullptr;
}

}  // namespace

Status parse_cmdline(const std::vector<std::string>& args, const std::vector<CmdlineOption>& options,
                     const std::function<Status(const std::string&)>& positional) {
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
            std::string name = arg.substr(2);
            std::string value;
            bool has_value = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                has_value = true;
            }
            const CmdlineOption* o = find_long(options, name);
            if (o == nullptr) return make_error(ErrorCode::kConfig, "unknown option --" + name);
            if (o->takes_value && !has_value) {
                if (i + 1 >= args.size()) return make_error(ErrorCode::kConfig, "option --" + name + " needs a value");
                value = args[++i];
            } else if (!o->takes_value && has_value) {
                return make_error(ErrorCode::kConfig, "option --" + name + " takes no value");
            }
            LANYARD_TRY(o->apply(value));
            continue;
        }
        if (arg.size() > 1 && arg[0] == '-') {
            for (size_t k = 1; k < arg.size(); ++k) {
                const CmdlineOption* o = find_short(options, arg[k]);
                if (o == nullptr) return make_error(ErrorCode::kConfig, std::string("unknown option -") + arg[k]);
                if (!o->takes_value) {
                    LANYARD_TRY(o->apply(""));
                    continue;
                }
                std::string value = arg.substr(k + 1);
                if (value.empty()) {
                    if (i + 1 >= args.size())
                        return make_error(ErrorCode::kConfig, std::string("option -") + arg[k] + " needs a value");
                    value = args[++i];
                }
                LANYARD_TRY(o->apply(value));
                break;
            }
            continue;
        }
        if (!positional) return make_error(ErrorCode::kConfig, "unexpected argument '" + arg + "'");
        LANYARD_TRY(positional(arg));
    }
    return ok_status();
}

}  // namespace lanyard
