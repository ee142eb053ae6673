#include "core/worker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace satupintu::core {
namespace {

using namespace std::chrono_literals;
using Next = Worker::Next;

// Polls `done` for up to five seconds of real time: the worker runs on its own thread.
bool Eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

TEST(WorkerTest, RunsAtStartThenOnceEveryIntervalOfItsClock) {
  ManualClock clock;
  Worker worker([] { return Next::kWait; },
                {.interval = 60s, .run_at_start = true, .clock = &clock});
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 1 && clock.waiters() == 1; }));
  clock.Advance(59s);
  ASSERT_TRUE(Eventually([&] { return clock.waiters() == 1; }));
  EXPECT_EQ(worker.passes(), 1U);
  clock.Advance(1s);
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 2; }));
  clock.Advance(60s);
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 3; }));
}

TEST(WorkerTest, WakeRunsAPassWithoutTheClockMoving) {
  ManualClock clock;
  Worker worker([] { return Next::kWait; },
                {.interval = 3600s, .run_at_start = true, .clock = &clock});
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 1 && clock.waiters() == 1; }));
  worker.Wake();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 2; }));
}

TEST(WorkerTest, APassWithMoreWorkRunsAgainAtOnce) {
  ManualClock clock;
  std::atomic<int> left{3};
  Worker worker([&] { return --left > 0 ? Next::kAgain : Next::kWait; },
                {.interval = 3600s, .run_at_start = true, .clock = &clock});
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 3 && clock.waiters() == 1; }));
}

TEST(WorkerTest, WithoutAnIntervalOnlyAWakeRunsAPass) {
  std::atomic<int> runs{0};
  Worker worker(
      [&] {
        ++runs;
        return Next::kWait;
      },
      {.interval = {}, .run_at_start = false});
  worker.Start();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(runs, 0);
  worker.Wake();
  ASSERT_TRUE(Eventually([&] { return runs == 1; }));
}

TEST(WorkerTest, WakesDuringAPassRunOneMorePassNotOneEach) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<bool> in_pass{false};
  Worker worker(
      [&] {
        in_pass = true;
        released.wait();
        in_pass = false;
        return Next::kWait;
      },
      {.interval = {}, .run_at_start = true});
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return in_pass.load(); }));
  worker.Wake();
  worker.Wake();
  worker.Wake();
  release.set_value();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 2; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(worker.passes(), 2U);
}

TEST(WorkerTest, AWakeBeforeStartIsKept) {
  Worker worker([] { return Next::kWait; }, {.interval = {}, .run_at_start = false});
  worker.Wake();
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 1; }));
}

TEST(WorkerTest, StopEndsAWaitOfAnHourAtOnceAndIsIdempotent) {
  Worker worker([] { return Next::kWait; }, {.interval = 3600s, .run_at_start = true});
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.passes() == 1; }));
  const auto started = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  worker.Stop();
  worker.Start();  // after Stop: does nothing
  worker.Wake();
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(worker.passes(), 1U);
}

TEST(ManualClockTest, TimeMovesOnlyWhenAdvanced) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowMs(), 1000);
  clock.Advance(250ms);
  EXPECT_EQ(clock.NowMs(), 1250);
}

}  // namespace
}  // namespace satupintu::core
