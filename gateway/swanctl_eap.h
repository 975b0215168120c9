// EAP back-ends for swanctl.conf (issue 8): every remote round with
// auth = eap-* gets a user database from the secrets eap-* sections
// (id / id-*, secret) and, when it may run EAP-TLS or PEAP, a TLS server
// context from the connection's own certificate (charon's eap-tls uses
// the local certificate the same way) and the CAs of x509ca/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/swanctl_conf.h"
#include "ike/peer_config.h"

namespace lanyard::gateway {

struct EapBackendDirs {
    std::string x509_dir, x509ca_dir, private_dir;
};

Status attach_eap_backends(const std::vector<EapSecret>& secrets, const EapBackendDirs& dirs,
                           const std::vector<std::shared_ptr<ike::PeerConfig>>& connections);

}  // namespace lanyard::gateway
