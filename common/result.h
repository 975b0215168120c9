// Result<T>: a value or an Error, used on every packet path instead of
// exceptions (DESIGN.md, style rule 5).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lanyard {

// Broad error classes; the detail string says what exactly went wrong.
enum class ErrorCode {
    kTruncated,       // input shorter than a length field or a fixed header says
    kMalformed,       // input is syntactically wrong (bad value, bad length)
    kUnsupported,     // valid input that we do not implement
    kProtocol,        // a peer broke the protocol (unexpected message, bad MAC)
    kAuthFailed,      // authentication failed (wrong password, untrusted CA)
    kLimit,           // a bound was hit (size, rounds, fragments)
    kConfig,          // configuration error
    kIo,              // operating-system or library I/O failure
    kInternal,        // our own invariant broke
};

const char* error_code_name(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string detail;

    std::string to_string() const { return std::string(error_code_name(code)) + ": " + detail; }
};

inline Error make_error(ErrorCode code, std::string detail) { return Error{code, std::move(detail)}; }

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(v_); }
    const T& value() const& { assert(ok()); return std::get<0>(v_); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(v_); }

private:
    std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), ok_(false) {}

    bool ok() const { return ok_; }
    explicit operator bool() const { return ok_; }
    const Error& error() const { assert(!ok_); return error_; }

private:
    Error error_;
    bool ok_ = true;
};

using Status = Result<void>;

inline Status ok_status() { return Status(); }

}  // namespace lanyard

// Propagate an error from an expression returning Result<...>.
#define LANYARD_TRY(expr)                                \
    do {                                                 \
        auto lanyard_try_result_ = (expr);               \
        if (!lanyard_try_result_) return lanyard_try_result_.error(); \
    } while (0)
