// lanyard-gateway: the IKEv2 gateway (RFC 7296) configured by swanctl.conf.
#include <cstdio>

#include "common/log.h"
#include "gateway/gateway.h"
#ifdef LANYARD_WITH_XFRM
#include "drivers/xfrm/xfrm_installer.h"
#endif

using namespace lanyard;

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && (args[0] == "-h" || args[0] == "--help")) {
        std::fputs(gateway::gateway_usage().c_str(), stdout);
        return 0;
    }
    auto options = gateway::parse_gateway_cmdline(args);
    if (!options) {
        std::fprintf(stderr, "lanyard-gateway: %s\n%s", options.error().detail.c_str(), gateway::gateway_usage().c_str());
        return 2;
    }
    if (auto st = setup_logging(options->daemon); !st) {
        std::fprintf(stderr, "lanyard-gateway: %s\n", st.error().detail.c_str());
        return 1;
    }
    auto config = gateway::load_swanctl_conf(options->conf_path);
    if (!config) {
        std::fprintf(stderr, "lanyard-gateway: %s\n", config.error().detail.c_str());
        return 1;
    }
    for (const auto& w : config->warnings) LOG_WARN("gateway", "%s", w.to_string().c_str());
    auto loop = EventLoop::create();
    if (!loop) {
        std::fprintf(stderr, "lanyard-gateway: %s\n", loop.error().to_string().c_str());
        return 1;
    }
    std::unique_ptr<ike::ChildSaInstaller> installer;
#ifdef LANYARD_WITH_XFRM
    if (options->kernel == "xfrm") {
        auto x = drivers::make_xfrm_installer(SystemRandom::instance());
        if (!x) {
            std::fprintf(stderr, "lanyard-gateway: --kernel xfrm: %s\n", x.error().detail.c_str());
            return 1;
        }
        installer = std::move(*x);
    }
#endif
    auto gw = gateway::Gateway::create(**loop, *options, std::move(*config), std::move(installer));
    if (!gw) {
        std::fprintf(stderr, "lanyard-gateway: %s\n", gw.error().detail.c_str());
        return 1;
    }
    if (auto st = daemonize_and_write_pid(options->daemon); !st) {
        std::fprintf(stderr, "lanyard-gateway: %s\n", st.error().detail.c_str());
        return 1;
    }
    const int rc = (*gw)->run();
    remove_pid_file(options->daemon);
    return rc;
}
