#include "api/gzip.hpp"

#include <boost/beast/zlib/deflate_stream.hpp>
#include <boost/beast/zlib/inflate_stream.hpp>
#include <boost/crc.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace satupintu::api {
namespace {

namespace zlib = boost::beast::zlib;

std::uint32_t Crc32(std::string_view data) {
  boost::crc_32_type crc;
  crc.process_bytes(data.data(), data.size());
  return crc.checksum();
}

void PutLe32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xffU));
}

std::uint32_t GetLe32(std::string_view s) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
  return v;
}

// ID1 ID2, CM=deflate, no flags, no mtime, XFL=2 (best compression; Gzip sets 0 or 4 for the
// other levels), OS=3 (Unix).
constexpr char kHeader[10] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 2, 3};

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  const auto at = accept_encoding.find("gzip");
  if (at == std::string_view::npos) return false;
  const auto end = accept_encoding.find(',', at);
  const std::string item(accept_encoding.substr(
      at, end == std::string_view::npos ? std::string_view::npos : end - at));
  const auto q = item.find("q=");
  return q == std::string::npos || std::strtod(item.c_str() + q + 2, nullptr) > 0;
}

std::string Gzip(std::string_view data, int level) {
  zlib::deflate_stream deflater;
  deflater.reset(level, 15, 8, zlib::Strategy::normal);
  std::string out(kHeader, sizeof kHeader);
  if (level != 9) out[8] = level == 1 ? '\x04' : '\0';
  std::string buffer(deflater.upper_bound(data.size()) + 64, '\0');
  zlib::z_params zs;
  zs.next_in = data.data();
  zs.avail_in = data.size();
  zs.next_out = buffer.data();
  zs.avail_out = buffer.size();
  boost::system::error_code ec;
  deflater.write(zs, zlib::Flush::finish, ec);
  if (ec && ec != zlib::error::end_of_stream) return {};
  if (zs.avail_in != 0) return {};
  out.append(buffer.data(), zs.total_out);
  PutLe32(out, Crc32(data));
  PutLe32(out, static_cast<std::uint32_t>(data.size()));
  return out;
}

std::string Gunzip(std::string_view member) {
  if (member.size() < sizeof kHeader + 8 || member.substr(0, 4) != std::string_view(kHeader, 4)) {
    return {};
  }
  const std::string_view body = member.substr(sizeof kHeader, member.size() - sizeof kHeader - 8);
  const std::uint32_t crc = GetLe32(member.substr(member.size() - 8, 4));
  const std::uint32_t size = GetLe32(member.substr(member.size() - 4, 4));
  zlib::inflate_stream inflater;
  inflater.reset(15);
  std::string out(size, '\0');
  zlib::z_params zs;
  zs.next_in = body.data();
  zs.avail_in = body.size();
  zs.next_out = out.data();
  zs.avail_out = out.size();
  boost::system::error_code ec;
  inflater.write(zs, zlib::Flush::finish, ec);
  if (ec && ec != zlib::error::end_of_stream) return {};
  if (zs.total_out != size || Crc32(out) != crc) return {};
  return out;
}

}  // namespace satupintu::api
