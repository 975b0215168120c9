#include "tls/openssl/openssl_x509.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include <cstring>

#include "common/log.h"

namespace lanyard::tls::ossl {
namespace {

bool clean_ia5(const ASN1_STRING* s, std::string* out) {
    const unsigned char* data = ASN1_STRING_get0_data(s);
    const int len = ASN1_STRING_length(s);
    if (data == nullptr || len <= 0) return false;
    if (std::memchr(data, 0, static_cast<size_t>(len)) != nullptr) return false;
    out->assign(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
    return true;
}

}  // namespace

std::string name_oneline(const X509_NAME* name) {
    if (name == nullptr) return {};
    char* text = X509_NAME_oneline(name, nullptr, 0);
    if (text == nullptr) return {};
    std::string out(text);
    OPENSSL_free(text);
    return out;
}

std::vector<std::string> dns_names(X509* cert) {
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    if (names == nullptr) return out;
    const int count = sk_GENERAL_NAME_num(names);
    for (int i = 0; i < count; ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type != GEN_DNS) continue;
        std::string name;
        if (clean_ia5(gn->d.dNSName, &name)) {
            out.push_back(std::move(name));
        } else {
            LOG_DEBUG("tls", "ignoring a malformed dNSName in a certificate");
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

std::vector<std::string> common_names(X509* cert) {
    std::vector<std::string> out;
    const X509_NAME* subject = X509_get_subject_name(cert);
    if (subject == nullptr) return out;
    int pos = -1;
    while ((pos = X509_NAME_get_index_by_NID(subject, NID_commonName, pos)) >= 0) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(subject, pos);
        unsigned char* utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
        if (len > 0 && std::memchr(utf8, 0, static_cast<size_t>(len)) == nullptr) {
            out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
        }
        OPENSSL_free(utf8);
    }
    return out;
}

PeerCertificate describe(X509* cert) {
    PeerCertificate pc;
    pc.subject = name_oneline(X509_get_subject_name(cert));
    pc.issuer = name_oneline(X509_get_issuer_name(cert));
    pc.dns_names = dns_names(cert);
    const int len = i2d_X509(cert, nullptr);
    if (len > 0) {
        pc.der.resize(static_cast<size_t>(len));
        unsigned char* p = pc.der.data();
        i2d_X509(cert, &p);
    }
    return pc;
}

}  // namespace lanyard::tls::ossl
