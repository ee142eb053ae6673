#include "outbound/rate_limit.hpp"

#include <gtest/gtest.h>

namespace satupintu::outbound {
namespace {

using std::chrono::milliseconds;

const TimePoint kT0 = TimePoint{} + std::chrono::hours(1);

double Ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

TEST(TokenBucketTest, UnlimitedNeverWaits) {
  TokenBucket b;
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(b.TryTake(1, kT0));
  EXPECT_EQ(b.Wait(5, kT0), Duration::zero());
}

TEST(TokenBucketTest, BurstThenRate) {
  TokenBucket b(10, 3);  // 10/s, 3 back to back
  EXPECT_TRUE(b.TryTake(1, kT0));
  EXPECT_TRUE(b.TryTake(1, kT0));
  EXPECT_TRUE(b.TryTake(1, kT0));
  EXPECT_FALSE(b.TryTake(1, kT0));
  EXPECT_NEAR(Ms(b.Wait(1, kT0)), 100, 0.01);
  EXPECT_FALSE(b.TryTake(1, kT0 + milliseconds(99)));
  EXPECT_TRUE(b.TryTake(1, kT0 + milliseconds(100)));
}

TEST(TokenBucketTest, CountsExactlyOverAMinute) {
  // Polled every millisecond against a 12.5 ms period: a burst of 2 keeps the fraction a late
  // poll would otherwise lose (a burst of 1 caps it away), which is why the sender's default
  // burst is never below 2.
  TokenBucket b(80, 2);
  int taken = 0;
  for (int ms = 0; ms < 60'000; ++ms) {
    if (b.TryTake(1, kT0 + milliseconds(ms))) ++taken;
  }
  EXPECT_GE(taken, 80 * 60);
  EXPECT_LE(taken, 80 * 60 + 2);
}

TEST(TokenBucketTest, CostAboveBurstIsCappedNotBlockedForever) {
  TokenBucket b(1, 2);
  EXPECT_TRUE(b.TryTake(5, kT0)) << "a 5-segment SMS on a burst of 2 takes the whole burst";
  EXPECT_FALSE(b.TryTake(1, kT0));
  EXPECT_LE(b.Wait(5, kT0), std::chrono::seconds(2) + milliseconds(1));
}

TEST(TokenBucketTest, PauseHoldsEverythingUntilThen) {
  TokenBucket b(100, 10);
  b.PauseUntil(kT0 + milliseconds(500));
  EXPECT_FALSE(b.TryTake(1, kT0));
  EXPECT_EQ(b.Wait(1, kT0), milliseconds(500));
  EXPECT_FALSE(b.TryTake(1, kT0 + milliseconds(500))) << "starts empty after the pause";
  EXPECT_TRUE(b.TryTake(1, kT0 + milliseconds(510)));
  b.PauseUntil(kT0);  // earlier than the current pause: ignored
  EXPECT_EQ(b.Wait(1, kT0 + milliseconds(520)), Duration::zero());
}

TEST(RecipientPacerTest, EachRecipientHasItsOwnBucket) {
  RecipientPacer p(milliseconds(1000), 1);
  EXPECT_TRUE(p.TryTake("tg:1", kT0));
  EXPECT_FALSE(p.TryTake("tg:1", kT0 + milliseconds(500)));
  EXPECT_TRUE(p.TryTake("tg:2", kT0 + milliseconds(500)));
  EXPECT_NEAR(Ms(p.Wait("tg:1", kT0 + milliseconds(500))), 500, 0.01);
  EXPECT_TRUE(p.TryTake("tg:1", kT0 + milliseconds(1000)));
  EXPECT_EQ(p.Wait("tg:never", kT0), Duration::zero());
}

TEST(RecipientPacerTest, PauseAndForget) {
  RecipientPacer p(milliseconds(100), 2);
  p.PauseUntil("6281", kT0 + milliseconds(6000));
  EXPECT_FALSE(p.TryTake("6281", kT0 + milliseconds(5999)));
  EXPECT_TRUE(p.TryTake("6282", kT0));
  EXPECT_EQ(p.tracked(), 2u);
  p.Forget(kT0 + milliseconds(7000));
  EXPECT_EQ(p.tracked(), 0u) << "full buckets are dropped";
}

}  // namespace
}  // namespace satupintu::outbound
