#include "tls/openssl/openssl_credentials.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "common/secret.h"
#include "tls/openssl/openssl_errors.h"

namespace lanyard::tls::ossl {
namespace {

constexpr size_t kMaxPemFile = 1 << 20;  // a PEM file larger than 1 MiB is not a credential
constexpr int kMaxCertsPerFile = 1000;

struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;

// The whole file, bounded; kept in SecretBytes because it may be a key.
Result<SecretBytes> read_file(const std::string& path, const char* what) {
    if (path.empty()) return make_error(ErrorCode::kConfig, std::string("no ") + what + " file configured");
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        return make_error(ErrorCode::kConfig,
                          std::string("cannot open ") + what + " file " + path + ": " + std::strerror(errno));
    }
    SecretBytes data;
    uint8_t buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        data.append(ByteView(buf, n));
        if (data.size() > kMaxPemFile) break;
    }
    const bool read_error = std::ferror(f) != 0;
    std::fclose(f);
    secure_wipe(buf, sizeof buf);
    if (read_error) return make_error(ErrorCode::kConfig, std::string("cannot read ") + what + " file " + path);
    if (data.size() > kMaxPemFile) {
        return make_error(ErrorCode::kConfig, std::string(what) + " file " + path + " is larger than 1 MiB");
    }
    return data;
}

BioPtr memory_bio(const SecretBytes& data) {
    return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Reads certificates until the end of the PEM data. An error other than
// "no more PEM blocks" is reported.
Result<std::vector<X509Ptr>> read_certificates(const SecretBytes& data, const std::string& path,
                                               const char* what) {
    BioPtr bio = memory_bio(data);
    std::vector<X509Ptr> certs;
    ERR_clear_error();
    while (certs.size() < kMaxCertsPerFile) {
        X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
        if (cert == nullptr) break;
        certs.emplace_back(cert);
    }
    const unsigned long err = ERR_peek_last_error();
    const bool clean_end = err == 0 || (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE);
    if (!clean_end) {
        return make_error(ErrorCode::kConfig,
                          std::string("cannot parse ") + what + " file " + path + ": " + drain_errors());
    }
    ERR_clear_error();
    if (certs.empty()) {
        return make_error(ErrorCode::kConfig, std::string("no certificate found in ") + what + " file " + path);
    }
    return certs;
}

struct Passphrase {
    const std::string* password;
    bool asked = false;
};

// PEM passphrase callback: never prompts on a terminal (an empty password
// makes an encrypted key fail instead of blocking the daemon).
int passphrase_cb(char* buf, int size, int /*rwflag*/, void* user) {
    auto* pass = static_cast<Passphrase*>(user);
    pass->asked = true;
    if (pass->password->empty() || size <= 0) return 0;
    const size_t n = std::min(pass->password->size(), static_cast<size_t>(size));
    std::memcpy(buf, pass->password->data(), n);
    return static_cast<int>(n);
}

}  // namespace

Status load_ca_file(SSL_CTX* ctx, const std::string& path, bool client_ca_names) {
    auto data = read_file(path, "CA certificate");
    if (!data) return data.error();
    auto certs = read_certificates(*data, path, "CA certificate");
    if (!certs) return certs.error();
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    for (const auto& cert : *certs) {
        if (X509_STORE_add_cert(store, cert.get()) != 1) {
            const unsigned long err = ERR_peek_last_error();
            // The same CA listed twice is harmless.
            if (ERR_GET_REASON(err) != X509_R_CERT_ALREADY_IN_HASH_TABLE) {
                return make_error(ErrorCode::kConfig, "cannot add a CA certificate from " + path + ": " + drain_errors());
            }
            ERR_clear_error();
        }
        // Appends, so several CA files add up (RFC 5246 §7.4.4 authorities).
        if (client_ca_names && SSL_CTX_add_client_CA(ctx, cert.get()) != 1) {
            return make_error(ErrorCode::kConfig, "cannot list the CA from " + path + ": " + drain_errors());
        }
    }
    return ok_status();
}

Status load_certificate_chain(SSL_CTX* ctx, const std::string& path) {
    auto data = read_file(path, "certificate");
    if (!data) return data.error();
    auto certs = read_certificates(*data, path, "certificate");
    if (!certs) return certs.error();
    if (SSL_CTX_use_certificate(ctx, (*certs)[0].get()) != 1) {
        return make_error(ErrorCode::kConfig, "cannot use the certificate in " + path + ": " + drain_errors());
    }
    for (size_t i = 1; i < certs->size(); ++i) {
        if (SSL_CTX_add1_chain_cert(ctx, (*certs)[i].get()) != 1) {
            return make_error(ErrorCode::kConfig, "cannot add a chain certificate from " + path + ": " + drain_errors());
        }
    }
    return ok_status();
}

Status load_private_key(SSL_CTX* ctx, const std::string& key_path, const std::string& password,
                        const std::string& cert_path) {
    auto data = read_file(key_path, "private key");
    if (!data) return data.error();
    const std::string_view text(reinterpret_cast<const char*>(data->data()), data->size());
    const bool encrypted = text.find("ENCRYPTED") != std::string_view::npos;
    BioPtr bio = memory_bio(*data);
    Passphrase pass{&password};
    ERR_clear_error();
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_cb, &pass);
    if (key == nullptr) {
        const std::string reasons = drain_errors();
        if (encrypted && password.empty()) {
            return make_error(ErrorCode::kConfig,
                              "private key " + key_path + " is encrypted and no passphrase is configured");
        }
        if (encrypted) {
            return make_error(ErrorCode::kConfig,
                              "cannot decrypt private key " + key_path + ": wrong passphrase (" + reasons + ")");
        }
        return make_error(ErrorCode::kConfig, "cannot parse private key " + key_path + ": " + reasons);
    }
    const int used = SSL_CTX_use_PrivateKey(ctx, key);
    EVP_PKEY_free(key);
    if (used != 1) {
        const unsigned long err = ERR_peek_last_error();
        if (ERR_GET_REASON(err) == X509_R_KEY_VALUES_MISMATCH) {
            ERR_clear_error();
            return make_error(ErrorCode::kConfig,
                              "private key " + key_path + " does not match certificate " + cert_path);
        }
        return make_error(ErrorCode::kConfig, "cannot use private key " + key_path + ": " + drain_errors());
    }
    if (!cert_path.empty() && SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        return make_error(ErrorCode::kConfig,
                          "private key " + key_path + " does not match certificate " + cert_path);
    }
    return ok_status();
}

}  // namespace lanyard::tls::ossl
