#include "support/gammu_peer.hpp"

#include <sqlite3.h>
#include <sys/stat.h>
#include <csignal>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <thread>

namespace satupintu::testing {
namespace {

constexpr const char* kSchemaDir = "/usr/share/doc/gammu-smsd/examples/";

// UTF-8 -> UCS-2/UTF-16BE hex, as Gammu's backup files carry text (Text00 = ...).
std::string Utf16Hex(const std::string& utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  auto unit = [&](std::uint32_t u) {
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 0xFU];
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07U, len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0FU, len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1FU, len = 2;
    }
    for (std::size_t k = 1; k < len && i + k < utf8.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3FU);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FFU));
    } else {
      unit(cp);
    }
  }
  return out;
}

std::string LocalStamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &tm);
  return buf;
}

}  // namespace

std::string GammuSchemaPath() {
  for (const char* name : {"sqlite.sql", "sqlite.sql.gz"}) {
    std::string path = std::string(kSchemaDir) + name;
    if (std::filesystem::exists(path)) return path;
  }
  return {};
}

// A shipped smsdrc with its modem, database and log moved into the TempDir.
std::string GammuPeer::RewriteForDummy(const std::string& shipped) const {
  std::istringstream in(shipped);
  std::ostringstream out;
  std::string line;
  while (std::getline(in, line)) {
    const std::string key = line.substr(0, line.find(" ="));
    if (key == "device") {
      out << "model = dummy\ndevice = " << dir_.File("phone") << "\n";
    } else if (key == "connection") {
      out << "connection = none\n";
    } else if (key == "dbdir") {
      out << "dbdir = " << dir_.path() << "/\n";
    } else if (key == "database") {
      out << "database = smsd.db\n";
    } else if (key == "LogFile") {
      out << "LogFile = " << dir_.File("smsd.log") << "\n";
    } else {
      out << line << "\n";
    }
  }
  return out.str();
}

GammuPeer::GammuPeer(GammuPeerOptions options) : options_(std::move(options)) {
  database_ = dir_.File("smsd.db");
  config_ = dir_.File("smsdrc");
  const std::string schema_path = GammuSchemaPath();
  if (schema_path.empty() || !std::filesystem::exists("/usr/bin/gammu-smsd")) {
    setup_error_ = "gammu-smsd is not installed (tools/dev.sh installs it)";
    return;
  }
  std::string schema;
  if (schema_path.size() > 3 && schema_path.compare(schema_path.size() - 3, 3, ".gz") == 0) {
    const std::string out = dir_.File("sqlite.sql");
    Child gunzip({"/bin/gzip", "-dc", schema_path}, out);
    if (gunzip.Wait(std::chrono::seconds(10)) != 0) {
      setup_error_ = "gunzip of the schema failed";
      return;
    }
    schema = ReadFile(out);
  } else {
    schema = ReadFile(schema_path);
  }
  sqlite3* db = nullptr;
  if (sqlite3_open(database_.c_str(), &db) != SQLITE_OK) {
    setup_error_ = "cannot create " + database_;
    sqlite3_close(db);
    return;
  }
  char* message = nullptr;
  if (sqlite3_exec(db, schema.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    setup_error_ = std::string("schema failed: ") + (message ? message : "");
    sqlite3_free(message);
  }
  sqlite3_close(db);

  std::filesystem::create_directories(dir_.File("phone/sms"));
  for (int i = 1; i <= 5; ++i) {
    std::filesystem::create_directories(dir_.File("phone/sms/" + std::to_string(i)));
  }
  if (!options_.smsdrc_from.empty()) {
    WriteFile(config_, RewriteForDummy(ReadFile(options_.smsdrc_from)));
    return;
  }
  // Short intervals so a test sees SMSD act within a second or two.
  WriteFile(config_, "[gammu]\nmodel = dummy\nconnection = none\ndevice = " + dir_.File("phone") +
                         "\n\n[smsd]\nservice = sql\ndriver = sqlite3\nsql = sqlite\ndbdir = " +
                         dir_.path() + "/\ndatabase = smsd.db\nPhoneID = " + options_.phone_id +
                         "\nCheckSecurity = 0\nCheckBattery = 0\nCheckSignal = 0\n"
                         "CheckNetwork = 0\nStatusFrequency = 0\nReceiveFrequency = 1\n"
                         "CommTimeout = 1\nSendTimeout = 5\nLoopSleep = 1\n"
                         "DeliveryReport = sms\nMultipartTimeout = " +
                         std::to_string(options_.multipart_timeout_s) +
                         "\nLogFile = " + dir_.File("smsd.log") + "\nDebugLevel = 1\n");
}

GammuPeer::~GammuPeer() { Stop(); }

bool GammuPeer::Start(std::chrono::milliseconds timeout) {
  if (!setup_error_.empty()) return false;
  if (smsd_ && smsd_->running()) return true;
  // SMSD re-registers in `phones` on start; forget the previous run's row.
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(database_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_exec(db, "DELETE FROM phones", nullptr, nullptr, nullptr);
  }
  sqlite3_close(db);
  smsd_ = std::make_unique<Child>(std::vector<std::string>{"/usr/bin/gammu-smsd", "-c", config_},
                                  dir_.File("smsd.out"));
  return WaitUntil(
      [&] {
        return smsd_->running() &&
               QueryInt("SELECT COUNT(*) FROM phones WHERE ID = '" + options_.phone_id + "'") > 0;
      },
      timeout);
}

void GammuPeer::Stop() {
  if (!smsd_) return;
  if (smsd_->running()) {
    smsd_->Signal(SIGTERM);
    if (smsd_->Wait(std::chrono::seconds(5)) < 0) smsd_->Signal(SIGKILL);
    (void)smsd_->Wait(std::chrono::seconds(5));
  }
  smsd_.reset();
}

bool GammuPeer::running() { return smsd_ && smsd_->running(); }

void GammuPeer::DropMo(const std::string& number, const std::string& text) {
  DropMo(number, std::vector<MoPart>{{"", text}});
}

void GammuPeer::DropMo(const std::string& number, const std::vector<MoPart>& parts) {
  for (const auto& part : parts) {
    std::string body = "[SMSBackup000]\nNumber = \"" + number + "\"\nDateTime = " + LocalStamp() +
                       "\nPDU = Deliver\nCoding = Default\nFolder = 1\nState = UnRead\n";
    if (!part.udh_hex.empty()) body += "UDH = " + part.udh_hex + "\n";
    // Gammu splits long text over Text00, Text01, ... lines of at most 200 hex digits.
    const std::string hex = Utf16Hex(part.text);
    for (std::size_t at = 0, line = 0; at < hex.size() || line == 0; at += 200, ++line) {
      char key[16];
      std::snprintf(key, sizeof key, "Text%02zu = ", line);
      body += key + hex.substr(at, 200) + "\n";
    }
    // Written under another name and renamed, so SMSD never reads half a file.
    const std::string name = std::to_string(next_file_++);
    const std::string tmp = dir_.File("phone/sms/" + name + ".tmp");
    WriteFile(tmp, body);
    std::filesystem::rename(tmp, dir_.File("phone/sms/1/" + name));
  }
}

std::int64_t GammuPeer::QueryInt(const std::string& sql) const {
  sqlite3* db = nullptr;
  std::int64_t out = -1;
  if (sqlite3_open_v2(database_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      out = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

std::string GammuPeer::Log() const {
  std::string out;
  if (std::filesystem::exists(dir_.File("smsd.log"))) out += ReadFile(dir_.File("smsd.log"));
  if (std::filesystem::exists(dir_.File("smsd.out"))) out += ReadFile(dir_.File("smsd.out"));
  return out;
}

}  // namespace satupintu::testing
