#include "tls/mbedtls/mbedtls_credentials.h"

#include <mbedtls/error.h>
#include <mbedtls/pkcs5.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "common/log.h"
#include "common/secret.h"
#include "tls/mbedtls/mbedtls_errors.h"

namespace lanyard::tls::mbed {
namespace {

// mbedTLS reports a missing file only as "file I/O error"; say which.
Status check_readable(const std::string& what, const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return make_error(ErrorCode::kConfig, "cannot read " + what + " " + path + ": " + std::strerror(errno));
    }
    std::fclose(f);
    return ok_status();
}

Status parse_certificates(mbedtls_x509_crt* crt, const std::string& what, const std::string& path) {
    LANYARD_TRY(check_readable(what, path));
    const int ret = mbedtls_x509_crt_parse_file(crt, path.c_str());
    if (ret < 0) return make_error(ErrorCode::kConfig, "cannot load " + what + " " + path + ": " + error_text(ret));
    if (ret > 0) {
        return make_error(ErrorCode::kConfig, what + " " + path + ": " + std::to_string(ret) +
                                                  " certificate(s) do not parse");
    }
    if (crt->version == 0) return make_error(ErrorCode::kConfig, what + " " + path + ": no certificate found");
    return ok_status();
}

// mbedTLS 2.28 decrypts PKCS#8 PBES2 only with DES and 3DES (its OID table
// has no AES-CBC), while OpenSSL 3 encrypts with AES-256-CBC by default.
// For those files only, libcrypto (linked in this build for the crypto/
// wrappers) decrypts the key; mbedTLS parses the clear DER, which is wiped.
Result<SecretBytes> decrypt_with_libcrypto(const std::string& path, const std::string& password) {
    std::ifstream in(path, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (bio == nullptr) return make_error(ErrorCode::kInternal, "out of memory");
    std::string pass = password;
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, pass.data());
    BIO_free(bio);
    secure_wipe(pass.data(), pass.size());
    if (pkey == nullptr) {
        return make_error(ErrorCode::kConfig, "cannot decrypt private key " + path + ": wrong passphrase");
    }
    unsigned char* der = nullptr;
    const int len = i2d_PrivateKey(pkey, &der);
    EVP_PKEY_free(pkey);
    if (len <= 0 || der == nullptr) return make_error(ErrorCode::kInternal, "cannot re-encode private key " + path);
    SecretBytes out(ByteView(der, static_cast<size_t>(len)));
    OPENSSL_clear_free(der, static_cast<size_t>(len));
    return out;
}

}  // namespace

Status load_ca_file(mbedtls_x509_crt* ca, const std::string& path) {
    return parse_certificates(ca, "CA file", path);
}

Status load_certificate_chain(mbedtls_x509_crt* chain, const std::string& path) {
    return parse_certificates(chain, "certificate file", path);
}

Status load_private_key(mbedtls_pk_context* key, const std::string& path, const std::string& password,
                        const mbedtls_x509_crt& chain, const std::string& cert_path) {
    LANYARD_TRY(check_readable("private key", path));
    int ret = mbedtls_pk_parse_keyfile(key, path.c_str(), password.empty() ? nullptr : password.c_str());
    if (ret == MBEDTLS_ERR_PKCS5_FEATURE_UNAVAILABLE && !password.empty()) {
        LOG_DEBUG("tls", "mbedTLS cannot decrypt %s (PBES2 cipher); decrypting with libcrypto", path.c_str());
        auto der = decrypt_with_libcrypto(path, password);
        if (!der.ok()) return der.error();
        mbedtls_pk_free(key);
        mbedtls_pk_init(key);
        ret = mbedtls_pk_parse_key(key, der->data(), der->size(), nullptr, 0);
    }
    switch (ret) {
        case 0: break;
        case MBEDTLS_ERR_PK_PASSWORD_REQUIRED:
            return make_error(ErrorCode::kConfig, "private key " + path + " is encrypted and no passphrase was given");
        case MBEDTLS_ERR_PK_PASSWORD_MISMATCH:
            return make_error(ErrorCode::kConfig, "cannot decrypt private key " + path + ": wrong passphrase");
        default:
            return make_error(ErrorCode::kConfig, "cannot load private key " + path + ": " + error_text(ret));
    }
    ret = mbedtls_pk_check_pair(&chain.pk, key);
    if (ret != 0) {
        return make_error(ErrorCode::kConfig, "private key " + path + " does not match the certificate in " +
                                                  cert_path + ": " + error_text(ret));
    }
    return ok_status();
}

}  // namespace lanyard::tls::mbed
