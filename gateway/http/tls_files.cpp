#include "http/tls_files.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace satupintu::http {
namespace {

using core::ErrorCode;

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

core::Error Fail(const std::string& what) {
  return core::MakeError(ErrorCode::kInternal, "cannot create self-signed certificate", what);
}

bool LooksLikeIp(const std::string& host) {
  return host.find_first_not_of("0123456789.:") == std::string::npos;
}

core::Status WritePem(const std::string& path, mode_t mode, bool key, EVP_PKEY* pkey, X509* cert) {
  const std::string tmp = path + ".tmp";
  // Created with its final mode: the private key is never readable by others, not even
  // for the moment between create and chmod.
  ::unlink(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Fail("cannot write " + tmp);
  FILE* f = ::fdopen(fd, "wb");
  if (f == nullptr) {
    ::close(fd);
    return Fail("cannot write " + tmp);
  }
  const int ok = key ? PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr)
                     : PEM_write_X509(f, cert);
  const bool flushed = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  std::fclose(f);
  if (ok != 1 || !flushed) return Fail("cannot write " + tmp);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Fail("cannot rename " + tmp + ": " + ec.message());
  return {};
}

}  // namespace

core::Status GenerateSelfSigned(const std::string& cert_file, const std::string& key_file,
                                const std::vector<std::string>& hosts) {
  std::error_code ec;
  for (const auto& path : {cert_file, key_file}) {
    const auto dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) return Fail("cannot create " + dir.string() + ": " + ec.message());
  }

  PkeyPtr pkey(EVP_EC_gen("P-256"));
  if (!pkey) return Fail("EC key generation failed");
  X509Ptr cert(X509_new());
  if (!cert) return Fail("X509_new failed");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 730);
  X509_set_pubkey(cert.get(), pkey.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = hosts.empty() ? "localhost" : hosts.front();
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("satupintu self-signed"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);

  std::string san;
  for (const auto& h : hosts) {
    if (!san.empty()) san += ',';
    san += (LooksLikeIp(h) ? "IP:" : "DNS:") + h;
  }
  if (!san.empty()) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
    if (ext == nullptr) return Fail("bad subjectAltName " + san);
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  if (X509_sign(cert.get(), pkey.get(), EVP_sha256()) == 0) return Fail("X509_sign failed");

  if (auto s = WritePem(key_file, 0600, true, pkey.get(), nullptr); !s.ok()) return s;
  return WritePem(cert_file, 0644, false, nullptr, cert.get());
}

}  // namespace satupintu::http
