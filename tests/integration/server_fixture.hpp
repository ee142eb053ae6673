#pragma once
// Runs an http::Server in-process on 127.0.0.1:0 with short limits, a plain and a TLS
// listener, and a few routes that exercise sync, async and failing handlers.

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/metrics.hpp"
#include "http/server.hpp"
#include "http/tls_files.hpp"
#include "support/process.hpp"

namespace satupintu::testing {

class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { Start(DefaultLimits(), false); }
  void TearDown() override { Stop(); }

  static http::Limits DefaultLimits() {
    http::Limits limits;
    limits.header_limit_bytes = 1024;
    limits.body_limit_bytes = 4096;
    limits.handshake_timeout = std::chrono::milliseconds(500);
    limits.request_timeout = std::chrono::milliseconds(500);
    limits.write_timeout = std::chrono::milliseconds(1000);
    limits.idle_timeout = std::chrono::milliseconds(800);
    return limits;
  }

  // `max_connections` and `per_address` (0 = no cap) apply to each listener.
  void Start(http::Limits limits, bool min_tls13, std::size_t max_connections = 64,
             std::size_t per_address = 0) {
    ASSERT_TRUE(http::GenerateSelfSigned(dir_.File("cert.pem"), dir_.File("key.pem"),
                                         {"localhost", "127.0.0.1"})
                    .ok());
    router_.Add("GET", "/hello", [](http::Request, http::Respond respond) {
      respond(http::TextResponse(200, "hi"));
    });
    router_.Add("POST", "/echo", [](http::Request req, http::Respond respond) {
      respond(http::TextResponse(200, req.body));
    });
    router_.Add("GET", "/request-id", [](http::Request req, http::Respond respond) {
      respond(http::TextResponse(200, req.request_id));
    });
    router_.Add("GET", "/throw", [](http::Request, http::Respond) -> void {
      throw std::runtime_error("handler bug");
    });
    // Answers from another thread once Release() is called, like a store completion.
    router_.Add("GET", "/held", [this](http::Request, http::Respond respond) {
      std::lock_guard lock(held_mutex_);
      held_.push_back(std::move(respond));
      held_cv_.notify_all();
    });
    server_ = std::make_unique<http::Server>(ioc_, limits, &metrics_);
    ASSERT_TRUE(
        server_
            ->Listen({"plain", "127.0.0.1", 0, false, {}, &router_, max_connections, per_address})
            .ok());
    ASSERT_TRUE(server_
                    ->Listen({"tls",
                              "127.0.0.1",
                              0,
                              true,
                              {dir_.File("cert.pem"), dir_.File("key.pem"), min_tls13},
                              &router_,
                              max_connections,
                              per_address})
                    .ok());
    plain_ = server_->BoundPort("plain");
    tls_ = server_->BoundPort("tls");
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }

  void Stop() {
    ReleaseHeld();
    if (!threads_.empty()) {
      std::promise<void> done;
      server_->Shutdown(std::chrono::milliseconds(500), [&](std::size_t) { done.set_value(); });
      done.get_future().wait_for(std::chrono::seconds(5));
      work_.reset();
      ioc_.stop();
      for (auto& t : threads_) t.join();
      threads_.clear();
    }
  }

  // Waits until `n` requests are parked in /held.
  bool WaitHeld(std::size_t n) {
    std::unique_lock lock(held_mutex_);
    return held_cv_.wait_for(lock, std::chrono::seconds(5), [&] { return held_.size() >= n; });
  }

  void ReleaseHeld() {
    std::vector<http::Respond> held;
    {
      std::lock_guard lock(held_mutex_);
      held.swap(held_);
    }
    for (auto& r : held) {
      std::thread([r = std::move(r)] { r(http::TextResponse(200, "released")); }).detach();
    }
  }

  TempDir dir_;
  core::MetricsRegistry metrics_;
  boost::asio::io_context ioc_{2};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      ioc_.get_executor()};
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::vector<std::thread> threads_;
  std::uint16_t plain_ = 0;
  std::uint16_t tls_ = 0;
  std::mutex held_mutex_;
  std::condition_variable held_cv_;
  std::vector<http::Respond> held_;
};

}  // namespace satupintu::testing
