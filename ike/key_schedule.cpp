#include "ike/key_schedule.h"

#include "crypto/prf_plus.h"

namespace lanyard::ike {
namespace {

SecretBytes take(const SecretBytes& all, size_t& off, size_t n) {
    SecretBytes s(all.subspan(off, n));
    off += n;
    return s;
}

}  // namespace

Result<SecretBytes> derive_skeyseed(const IkeSuite& suite, ByteView ni, ByteView nr, ByteView g_ir) {
    SecretBytes key(ni);
    key.append(nr);
    return crypto::ike_prf(suite.prf, key.view(), g_ir);
}

Result<SecretBytes> derive_rekey_skeyseed(const IkeSuite& suite, ByteView old_sk_d, ByteView g_ir, ByteView ni,
                                          ByteView nr) {
    SecretBytes data(g_ir);
    data.append(ni);
    data.append(nr);
    return crypto::ike_prf(suite.prf, old_sk_d, data.view());
}

Result<IkeSaKeys> derive_ike_sa_keys(const IkeSuite& suite, ByteView skeyseed, ByteView ni, ByteView nr,
                                     uint64_t spi_i, uint64_t spi_r) {
    ByteWriter seed;
    seed.bytes(ni).bytes(nr).u64(spi_i).u64(spi_r);
    const size_t p = suite.prf_size();
    const size_t a = suite.sk.sk_a_size();
    const size_t e = suite.sk.sk_e_size();
    auto all = crypto::prf_plus(suite.prf, skeyseed, seed.view(), 3 * p + 2 * a + 2 * e);
    if (!all) return all.error();
    IkeSaKeys k;
    size_t off = 0;
    k.sk_d = take(*all, off, p);
    k.sk_ai = take(*all, off, a);
    k.sk_ar = take(*all, off, a);
    k.sk_ei = take(*all, off, e);
    k.sk_er = take(*all, off, e);
    k.sk_pi = take(*all, off, p);
    k.sk_pr = take(*all, off, p);
    return k;
}

Result<IkeSaKeys> derive_ike_sa_keys_from_dh(const IkeSuite& suite, ByteView ni, ByteView nr, ByteView g_ir,
                                             uint64_t spi_i, uint64_t spi_r) {
    auto skeyseed = derive_skeyseed(suite, ni, nr, g_ir);
    if (!skeyseed) return skeyseed.error();
    return derive_ike_sa_keys(suite, skeyseed->view(), ni, nr, spi_i, spi_r);
}

Result<ChildSaKeys> derive_child_sa_keys(crypto::HashAlg prf, const SkAlgorithms& esp, ByteView sk_d,
                                         ByteView g_ir_or_empty, ByteView ni, ByteView nr) {
    SecretBytes seed(g_ir_or_empty);
    seed.append(ni);
    seed.append(nr);
    const size_t e = esp.sk_e_size();
    const size_t a = esp.sk_a_size();
    auto all = crypto::prf_plus(prf, sk_d, seed.view(), 2 * (e + a));
    if (!all) return all.error();
    ChildSaKeys k;
    size_t off = 0;
    k.encr_i = take(*all, off, e);
    k.integ_i = take(*all, off, a);
    k.encr_r = take(*all, off, e);
    k.integ_r = take(*all, off, a);
    return k;
}

}  // namespace lanyard::ike
