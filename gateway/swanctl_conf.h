// swanctl.conf (strongSwan 5.9) for lanyard-gateway: connections, pools
// and secrets into an ike::ConfigStore. Certificates are looked up beside
// the file in x509/, x509ca/ and private/ as swanctl does. Keys we do not
// know are errors ("file:line: unknown key 'x'"); keys we know but do not
// act on are warnings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/config_lexer.h"
#include "ike/config_store.h"

namespace lanyard::gateway {

struct EapSecret {
    std::vector<ike::Identity> ids;
    SecretBytes secret;
};

struct SwanctlConfig {
    std::shared_ptr<ike::ConfigStore> store = std::make_shared<ike::ConfigStore>();
    std::vector<EapSecret> eap_secrets;       // for issue 8 (EAP in IKE_AUTH)
    std::string x509_dir, x509ca_dir, private_dir;
    std::vector<config::Warning> warnings;
};

// Parses text; `file` names it in errors and locates x509/ etc.
Result<SwanctlConfig> parse_swanctl_conf(std::string_view text, const std::string& file);
Result<SwanctlConfig> load_swanctl_conf(const std::string& path);

// The regular files of one of swanctl's credential directories (x509/,
// x509ca/, private/): sorted, at most 256, none when it does not exist.
std::vector<std::string> credential_files(const std::string& dir);

// "10s", "5m", "1h", "30" (seconds), "1d".
Result<Duration> parse_swanctl_duration(std::string_view text);

}  // namespace lanyard::gateway
