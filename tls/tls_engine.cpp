#include "tls/tls_engine.h"

namespace lanyard::tls {

const char* version_name(Version v) {
    switch (v) {
        case Version::kTls10: return "TLSv1.0";
        case Version::kTls11: return "TLSv1.1";
        case Version::kTls12: return "TLSv1.2";
        case Version::kTls13: return "TLSv1.3";
    }
    return "?";
}

Status validate_config(const Config& c) {
    if (static_cast<int>(c.min_version) > static_cast<int>(c.max_version)) {
        return make_error(ErrorCode::kConfig, std::string("min_version ") + version_name(c.min_version) +
                                                  " is above max_version " + version_name(c.max_version));
    }
    switch (c.role) {
        case Role::kClient:
            if (c.verify_peer && c.ca_file.empty()) {
                return make_error(ErrorCode::kConfig, "TLS client: server verification is on but no ca_file is set");
            }
            if (c.cert_file.empty() != c.key_file.empty()) {
                return make_error(ErrorCode::kConfig, "TLS client: cert_file and key_file go together");
            }
            break;
        case Role::kServer:
            if (c.cert_file.empty() || c.key_file.empty()) {
                return make_error(ErrorCode::kConfig, "TLS server: cert_file and key_file are required");
            }
            if (c.require_peer_certificate && c.ca_file.empty()) {
                return make_error(ErrorCode::kConfig,
                                  "TLS server: require_peer_certificate needs a ca_file to verify clients");
            }
            break;
    }
    return ok_status();
}

}  // namespace lanyard::tls
