// Baseline HTTP servers for the Foundation performance issue. They bound what satupintu can
// reach on the same machine, so its numbers can be read as "x% of the ceiling":
//   --mode bare     Beast keep-alive that answers {"ok":true}: the cost of the HTTP layer alone.
//   --mode durable  each body journaled in SQLite (WAL, synchronous=FULL) and acknowledged only
//                   after COMMIT, one writer thread doing group commit: the cost of "never
//                   acknowledge what is not on disk", which the gateway promises too.
// Kept in one file on purpose: it is a measuring stick, not part of the gateway.

#include <sqlite3.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr std::chrono::seconds kIoTimeout{30};
constexpr std::uint64_t kMaxBodyBytes = 64 * 1024;
constexpr std::string_view kOkBody = R"({"ok":true})";
constexpr std::string_view kErrorBody = R"({"ok":false})";

enum class Mode { kBare, kDurable };

struct Options {
  unsigned short port = 0;
  int threads = 2;
  Mode mode = Mode::kBare;
  std::string db_path;
};

constexpr std::string_view kUsage =
    "usage: bench_baseline_server [--port N] [--threads N] [--mode bare|durable] [--db PATH]\n";

template <typename Int>
bool ParseInt(std::string_view text, Int& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc{} && ptr == end;
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  std::string_view mode = "bare";
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) return std::nullopt;
    const std::string_view value = argv[++i];
    if (flag == "--port") {
      if (!ParseInt(value, options.port)) return std::nullopt;
    } else if (flag == "--threads") {
      if (!ParseInt(value, options.threads) || options.threads < 1) return std::nullopt;
    } else if (flag == "--mode") {
      mode = value;
    } else if (flag == "--db") {
      options.db_path = value;
    } else {
      return std::nullopt;
    }
  }
  if (mode == "bare") {
    options.mode = Mode::kBare;
  } else if (mode == "durable" && !options.db_path.empty()) {
    options.mode = Mode::kDurable;
  } else {
    return std::nullopt;
  }
  return options;
}

// A string scan instead of a JSON parser: the baseline must not be slower than the gateway
// for reasons unrelated to durability. A nested "update_id" in the text could fool it;
// the load generator never sends one.
std::optional<std::string_view> ExtractUpdateId(std::string_view body) {
  constexpr std::string_view kKey = R"("update_id":)";
  std::size_t pos = body.find(kKey);
  if (pos == std::string_view::npos) return std::nullopt;
  pos += kKey.size();
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
  const std::size_t start = pos;
  if (pos < body.size() && body[pos] == '-') ++pos;
  const std::size_t digits = pos;
  while (pos < body.size() && body[pos] >= '0' && body[pos] <= '9') ++pos;
  if (pos == digits) return std::nullopt;
  return body.substr(start, pos - start);
}

// SQLite serialises writers anyway, so one connection on one thread loses nothing, and taking
// the whole queue into one transaction turns N fsyncs into one.
class Journal {
 public:
  using Completion = std::function<void(bool committed)>;
  struct Entry {
    std::string msg_id;
    std::string body;
    Completion done;
  };

  static std::unique_ptr<Journal> Open(const std::string& path) {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::cerr << "sqlite open " << path << ": " << sqlite3_errmsg(db) << "\n";
      sqlite3_close(db);
      return nullptr;
    }
    std::unique_ptr<Journal> journal(new Journal(db));
    sqlite3_stmt* insert = nullptr;
    if (!journal->Exec("PRAGMA journal_mode=WAL") || !journal->Exec("PRAGMA synchronous=FULL") ||
        !journal->Exec("CREATE TABLE IF NOT EXISTS journal("
                       "id INTEGER PRIMARY KEY, msg_id TEXT UNIQUE, body BLOB)") ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO journal(msg_id, body) VALUES(?1, ?2) "
                           "ON CONFLICT(msg_id) DO NOTHING",
                           -1, &insert, nullptr) != SQLITE_OK) {
      std::cerr << "sqlite setup: " << sqlite3_errmsg(db) << "\n";
      return nullptr;
    }
    journal->insert_ = insert;
    journal->thread_ = std::thread([raw = journal.get()] { raw->Run(); });
    return journal;
  }

  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  ~Journal() {
    Stop();
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }

  void Append(Entry entry) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(entry));
    }
    wake_.notify_one();
  }

  // Drains what is queued, so every accepted request still gets its commit or its 500.
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_one();
    if (!thread_.joinable()) return;
    thread_.join();
    const double avg =
        batches_ == 0 ? 0.0 : static_cast<double>(entries_) / static_cast<double>(batches_);
    std::fprintf(stderr,
                 "journal: entries=%llu inserted=%llu batches=%llu avg_batch=%.2f "
                 "max_batch=%llu\n",
                 static_cast<unsigned long long>(entries_),
                 static_cast<unsigned long long>(inserted_),
                 static_cast<unsigned long long>(batches_), avg,
                 static_cast<unsigned long long>(max_batch_));
  }

 private:
  explicit Journal(sqlite3* db) : db_(db) {}

  bool Exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) == SQLITE_OK) return true;
    std::cerr << "sqlite " << sql << ": " << (message ? message : "?") << "\n";
    sqlite3_free(message);
    return false;
  }

  void Run() {
    std::vector<Entry> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        batch.swap(queue_);
      }
      const bool committed = Commit(batch);
      for (Entry& entry : batch) entry.done(committed);
      batch.clear();
    }
  }

  // All or nothing: a failed statement may have aborted the transaction already, and a
  // partial batch would need per-entry bookkeeping the baseline does not need.
  bool Commit(const std::vector<Entry>& batch) {
    if (!Exec("BEGIN IMMEDIATE")) return false;
    std::uint64_t inserted = 0;
    for (const Entry& entry : batch) {
      sqlite3_bind_text(insert_, 1, entry.msg_id.data(), static_cast<int>(entry.msg_id.size()),
                        SQLITE_STATIC);
      sqlite3_bind_blob(insert_, 2, entry.body.data(), static_cast<int>(entry.body.size()),
                        SQLITE_STATIC);
      const int rc = sqlite3_step(insert_);
      sqlite3_reset(insert_);
      if (rc != SQLITE_DONE) {
        std::cerr << "sqlite insert: " << sqlite3_errmsg(db_) << "\n";
        Exec("ROLLBACK");
        return false;
      }
      inserted += static_cast<std::uint64_t>(sqlite3_changes(db_));
    }
    if (!Exec("COMMIT")) {
      Exec("ROLLBACK");
      return false;
    }
    entries_ += batch.size();
    inserted_ += inserted;
    ++batches_;
    max_batch_ = std::max<std::uint64_t>(max_batch_, batch.size());
    return true;
  }

  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Entry> queue_;
  bool stopping_ = false;
  // Touched by the writer thread only, read after it is joined.
  std::uint64_t entries_ = 0;
  std::uint64_t inserted_ = 0;
  std::uint64_t batches_ = 0;
  std::uint64_t max_batch_ = 0;
  std::thread thread_;
};

bool IsBenignDisconnect(beast::error_code ec) {
  return ec == net::error::operation_aborted || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == beast::error::timeout || ec == http::error::end_of_stream;
}

void Fail(beast::error_code ec, const char* what) {
  if (!IsBenignDisconnect(ec)) std::cerr << what << ": " << ec.message() << "\n";
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Journal* journal) : stream_(std::move(socket)), journal_(journal) {}

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::Read, shared_from_this()));
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(kMaxBodyBytes);
    stream_.expires_after(kIoTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec) return Fail(ec, "read");
    request_ = parser_->release();
    if (journal_ == nullptr) return Respond(http::status::ok);
    const std::optional<std::string_view> update_id = ExtractUpdateId(request_.body());
    if (!update_id) return Respond(http::status::bad_request);
    std::string msg_id(*update_id);
    // Waiting for the commit is not the peer's fault, so no timer runs meanwhile.
    stream_.expires_never();
    journal_->Append({std::move(msg_id), std::move(request_.body()),
                      [self = shared_from_this()](bool committed) {
                        net::post(self->stream_.get_executor(), [self, committed] {
                          self->Respond(committed ? http::status::ok
                                                  : http::status::internal_server_error);
                        });
                      }});
  }

  void Respond(http::status status) {
    response_ = {};
    response_.result(status);
    response_.version(request_.version());
    response_.keep_alive(request_.keep_alive());
    response_.set(http::field::content_type, "application/json");
    response_.body() = status == http::status::ok ? kOkBody : kErrorBody;
    response_.prepare_payload();
    stream_.expires_after(kIoTimeout);
    http::async_write(stream_, response_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return Fail(ec, "write");
    if (response_.need_eof()) return Close();
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  Journal* journal_;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Throws on bind failure: start-up is the one place where that is the right answer.
  Listener(net::io_context& ioc, const tcp::endpoint& endpoint, Journal* journal)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), journal_(journal) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  unsigned short Port() const { return acceptor_.local_endpoint().port(); }

  void Start() { Accept(); }

  void Stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
    });
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      Fail(ec, "accept");
    } else {
      std::make_shared<Session>(std::move(socket), journal_)->Start();
    }
    Accept();
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  Journal* journal_;
};

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> options = ParseOptions(argc, argv);
  if (!options) {
    std::cerr << kUsage;
    return 2;
  }
  std::unique_ptr<Journal> journal;
  if (options->mode == Mode::kDurable) {
    journal = Journal::Open(options->db_path);
    if (!journal) return 1;
  }

  net::io_context ioc(options->threads);
  std::shared_ptr<Listener> listener;
  try {
    const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), options->port);
    listener = std::make_shared<Listener>(ioc, endpoint, journal.get());
  } catch (const boost::system::system_error& error) {
    std::cerr << "listen: " << error.what() << "\n";
    return 1;
  }
  // The bench script waits for this line; std::endl because it must not sit in a buffer.
  std::cout << "port=" << listener->Port() << std::endl;
  listener->Start();

  net::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](beast::error_code /*ec*/, int /*signal*/) {
    listener->Stop();
    ioc.stop();
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < options->threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& thread : threads) thread.join();
  // After the io threads: nothing can be appended any more, so the drain is complete.
  if (journal) journal->Stop();
  return 0;
}
