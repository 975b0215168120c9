#include "tls/mbedtls/mbedtls_x509.h"

#include <mbedtls/asn1.h>
#include <mbedtls/oid.h>

#include <cstring>

namespace lanyard::tls::mbed {
namespace {

std::string dn_text(const mbedtls_x509_name& name) {
    char buf[1024];
    const int n = mbedtls_x509_dn_gets(buf, sizeof buf, &name);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

}  // namespace

std::string subject_of(const mbedtls_x509_crt& crt) { return dn_text(crt.subject); }

std::vector<std::string> dns_names(const mbedtls_x509_crt& crt) {
    std::vector<std::string> out;
    // GeneralName dNSName is [2] IA5String (RFC 5280 §4.2.1.6); mbedTLS 2.28
    // keeps every GeneralName with its context tag.
    for (const mbedtls_x509_sequence* s = &crt.subject_alt_names; s != nullptr; s = s->next) {
        if (s->buf.p == nullptr || s->buf.len == 0) continue;
        if (s->buf.tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_DNS_NAME)) continue;
        out.emplace_back(reinterpret_cast<const char*>(s->buf.p), s->buf.len);
    }
    return out;
}

std::vector<std::string> common_names(const mbedtls_x509_crt& crt) {
    std::vector<std::string> out;
    for (const mbedtls_x509_name* n = &crt.subject; n != nullptr; n = n->next) {
        if (n->oid.p == nullptr || MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &n->oid) != 0) continue;
        out.emplace_back(reinterpret_cast<const char*>(n->val.p), n->val.len);
    }
    return out;
}

PeerCertificate describe(const mbedtls_x509_crt& crt) {
    PeerCertificate out;
    out.subject = dn_text(crt.subject);
    out.issuer = dn_text(crt.issuer);
    out.dns_names = dns_names(crt);
    out.der.assign(crt.raw.p, crt.raw.p + crt.raw.len);
    return out;
}

}  // namespace lanyard::tls::mbed
