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

}  // namespace lanyard::tls
