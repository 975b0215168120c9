#include "crypto/x509_chain.h"
#include "crypto/x509_impl.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <sstream>

#include "crypto/hash.h"
#include "crypto/openssl_support.h"

namespace lanyard::crypto {


namespace {

std::string name_text(const X509_NAME* name) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return "?";
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~XN_FLAG_DN_REV);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(len));
    BIO_free(bio);
    // RFC 2253 prints "CN=a,O=b"; strongSwan style adds a blank.
    std::string spaced;
    for (size_t i = 0; i < out.size(); ++i) {
        spaced += out[i];
        if (out[i] == ',' && (i == 0 || out[i - 1] != '\\')) spaced += ' ';
    }
    return spaced;
}

template <typename F>
void each_san(X509* x, int type, F f) {
    GENERAL_NAMES* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr));
    if (names == nullptr) return;
    const int n = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < n && i < 256; ++i) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type != type) continue;
        const ASN1_STRING* s = nullptr;
        if (type == GEN_DNS) s = g->d.dNSName;
        else if (type == GEN_EMAIL) s = g->d.rfc822Name;
        else if (type == GEN_IPADD) s = g->d.iPAddress;
        if (s != nullptr) f(ByteView(ASN1_STRING_get0_data(s), static_cast<size_t>(ASN1_STRING_length(s))));
    }
    GENERAL_NAMES_free(names);
}

}  // namespace

Certificate::Certificate(std::unique_ptr<Impl> impl, Bytes der) : impl_(std::move(impl)), der_(std::move(der)) {}
Certificate::Certificate(const Certificate& o) : impl_(std::make_unique<Impl>()), der_(o.der_) {
    impl_->x = X509_dup(o.impl_->x);
}
Certificate& Certificate::operator=(const Certificate& o) {
    if (this != &o) {
        auto impl = std::make_unique<Impl>();
        impl->x = X509_dup(o.impl_->x);
        impl_ = std::move(impl);
        der_ = o.der_;
    }
    return *this;
}
Certificate::Certificate(Certificate&&) noexcept = default;
Certificate& Certificate::operator=(Certificate&&) noexcept = default;
Certificate::~Certificate() = default;

Result<Certificate> Certificate::from_der(ByteView der) {
    const unsigned char* p = der.data();
    X509* x = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (x == nullptr || p != der.data() + der.size()) {
        X509_free(x);
        return make_error(ErrorCode::kMalformed, "bad X.509 certificate: " + drain_openssl_errors());
    }
    auto impl = std::make_unique<Impl>();
    impl->x = x;
    return Certificate(std::move(impl), Bytes(der.begin(), der.end()));
}

Result<Certificate> Certificate::load_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return make_error(ErrorCode::kConfig, "cannot open certificate '" + path + "'");
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    BIO* bio = BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
    X509* x = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(bio);
    if (x == nullptr) {
        (void)drain_openssl_errors();
        auto c = from_der(as_bytes(text));
        if (!c) return make_error(ErrorCode::kConfig, path + ": not a PEM or DER certificate");
        return c;
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509(x, &der);
    if (len <= 0) {
        X509_free(x);
        return make_error(ErrorCode::kInternal, "i2d_X509 failed");
    }
    Bytes d(der, der + len);
    OPENSSL_free(der);
    auto impl = std::make_unique<Impl>();
    impl->x = x;
    return Certificate(std::move(impl), std::move(d));
}

Bytes Certificate::subject_der() const {
    unsigned char* der = nullptr;
    const int len = i2d_X509_NAME(X509_get_subject_name(impl_->x), &der);
    if (len <= 0) return {};
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::string Certificate::subject_text() const { return name_text(X509_get_subject_name(impl_->x)); }

Bytes Certificate::spki_der() const {
    unsigned char* der = nullptr;
    const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(impl_->x), &der);
    if (len <= 0) return {};
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Bytes Certificate::spki_sha1() const {
    auto d = digest(HashAlg::kSha1, spki_der());
    return d ? std::move(*d) : Bytes();
}

std::vector<std::string> Certificate::san_dns() const {
    std::vector<std::string> v;
    each_san(impl_->x, GEN_DNS, [&](ByteView b) { v.push_back(to_string(b)); });
    return v;
}

std::vector<std::string> Certificate::san_email() const {
    std::vector<std::string> v;
    each_san(impl_->x, GEN_EMAIL, [&](ByteView b) { v.push_back(to_string(b)); });
    return v;
}

std::vector<Bytes> Certificate::san_ip() const {
    std::vector<Bytes> v;
    each_san(impl_->x, GEN_IPADD, [&](ByteView b) { v.emplace_back(b.begin(), b.end()); });
    return v;
}

bool Certificate::is_ca() const { return X509_check_ca(impl_->x) != 0; }

Result<size_t> verify_chain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                            const std::vector<std::shared_ptr<const Certificate>>& anchors) {
    if (anchors.empty()) return make_error(ErrorCode::kAuthFailed, "no trusted CA configured");
    X509_STORE* store = X509_STORE_new();
    STACK_OF(X509)* chain = sk_X509_new_null();
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    Result<size_t> result = make_error(ErrorCode::kInternal, "verify_chain");
    if (store == nullptr || chain == nullptr || ctx == nullptr) {
        result = make_error(ErrorCode::kInternal, "out of memory");
    } else {
        for (const auto& a : anchors) X509_STORE_add_cert(store, a->impl().x);
        for (size_t i = 0; i < intermediates.size() && i < 8; ++i) sk_X509_push(chain, intermediates[i].impl().x);
        if (X509_STORE_CTX_init(ctx, store, leaf.impl().x, chain) != 1) {
            result = make_error(ErrorCode::kInternal, "X509_STORE_CTX_init: " + drain_openssl_errors());
        } else if (X509_verify_cert(ctx) != 1) {
            const int err = X509_STORE_CTX_get_error(ctx);
            result = make_error(ErrorCode::kAuthFailed, std::string("certificate chain: ") + X509_verify_cert_error_string(err));
        } else {
            STACK_OF(X509)* verified = X509_STORE_CTX_get0_chain(ctx);
            X509* top = sk_X509_value(verified, sk_X509_num(verified) - 1);
            result = make_error(ErrorCode::kAuthFailed, "chain ends in no configured anchor");
            for (size_t i = 0; i < anchors.size(); ++i) {
                if (X509_cmp(top, anchors[i]->impl().x) == 0) {
                    result = i;
                    break;
                }
            }
        }
    }
    (void)drain_openssl_errors();
    X509_STORE_CTX_free(ctx);
    sk_X509_free(chain);  // the certificates belong to their Certificate objects
    X509_STORE_free(store);
    return result;
}

Result<Bytes> dn_from_string(const std::string& text) {
    X509_NAME* name = X509_NAME_new();
    if (name == nullptr) return make_error(ErrorCode::kInternal, "X509_NAME_new");
    std::string s = text;
    if (!s.empty() && s.front() == '/') s.erase(0, 1);
    const char sep = text.find(',') != std::string::npos ? ',' : '/';
    size_t pos = 0;
    int count = 0;
    while (pos <= s.size()) {
        size_t end = s.find(sep, pos);
        if (end == std::string::npos) end = s.size();
        std::string rdn = s.substr(pos, end - pos);
        rdn.erase(0, rdn.find_first_not_of(" \t"));
        rdn.erase(rdn.find_last_not_of(" \t") + 1);
        if (!rdn.empty()) {
            const size_t eq = rdn.find('=');
            if (eq == std::string::npos || eq == 0 || ++count > 32) {
                X509_NAME_free(name);
                return make_error(ErrorCode::kConfig, "bad distinguished name '" + text + "'");
            }
            std::string key = rdn.substr(0, eq), value = rdn.substr(eq + 1);
            key.erase(key.find_last_not_of(" \t") + 1);
            value.erase(0, value.find_first_not_of(" \t"));
            if (key == "E" || key == "email") key = "emailAddress";
            if (X509_NAME_add_entry_by_txt(name, key.c_str(), MBSTRING_UTF8,
                                           reinterpret_cast<const unsigned char*>(value.data()),
                                           static_cast<int>(value.size()), -1, 0) != 1) {
                X509_NAME_free(name);
                (void)drain_openssl_errors();
                return make_error(ErrorCode::kConfig, "unknown attribute '" + key + "' in '" + text + "'");
            }
        }
        pos = end + 1;
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509_NAME(name, &der);
    X509_NAME_free(name);
    if (len <= 0 || count == 0) {
        OPENSSL_free(der);
        return make_error(ErrorCode::kConfig, "empty distinguished name");
    }
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

Result<std::string> dn_to_string(ByteView der) {
    const unsigned char* p = der.data();
    X509_NAME* name = d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size()));
    if (name == nullptr) {
        (void)drain_openssl_errors();
        return make_error(ErrorCode::kMalformed, "bad DER distinguished name");
    }
    std::string s = name_text(name);
    X509_NAME_free(name);
    return s;
}

bool dn_equal(ByteView a, ByteView b) {
    const unsigned char* pa = a.data();
    const unsigned char* pb = b.data();
    X509_NAME* na = d2i_X509_NAME(nullptr, &pa, static_cast<long>(a.size()));
    X509_NAME* nb = d2i_X509_NAME(nullptr, &pb, static_cast<long>(b.size()));
    const bool eq = na != nullptr && nb != nullptr && X509_NAME_cmp(na, nb) == 0;
    X509_NAME_free(na);
    X509_NAME_free(nb);
    (void)drain_openssl_errors();
    return eq;
}

}  // namespace lanyard::crypto
