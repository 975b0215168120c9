#include "common/result.h"

namespace lanyard {

const char* error_code_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::kTruncated: return "truncated";
        case ErrorCode::kMalformed: return "malformed";
        case ErrorCode::kUnsupported: return "unsupported";
        case ErrorCode::kProtocol: return "protocol";
        case ErrorCode::kAuthFailed: return "auth-failed";
        case ErrorCode::kLimit: return "limit";
        case ErrorCode::kConfig: return "config";
        case ErrorCode::kIo: return "io";
        case ErrorCode::kInternal: return "internal";
    }
    return "unknown";
}

}  // namespace lanyard
