// Helpers shared by unit tests.
#pragma once

#include <cstdlib>
#include <string>

namespace lanyard::test {

// Folder of the generated test PKI (tests/pki/make-pki.sh); `make unit`
// and `make test` set LANYARD_TEST_PKI.
inline std::string pki_path(const std::string& file) {
    const char* dir = std::getenv("LANYARD_TEST_PKI");
    return std::string(dir != nullptr ? dir : "build/pki") + "/" + file;
}

}  // namespace lanyard::test
