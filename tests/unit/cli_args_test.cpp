#include "cli/args.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace satupintu::cli {
namespace {

const std::vector<Flag> kFlags = {{"config"}, {"limit"}, {"scratch", false}};

TEST(CliArgs, FlagsSwitchesAndPositionalWordsInOrder) {
  const std::vector<std::string> words = {"jati", "--limit",  "5",     "--scratch",
                                          "asih", "--config", "a.json"};
  auto args = ParseArgs(words, kFlags);
  ASSERT_TRUE(args.ok()) << args.error().message;
  EXPECT_EQ(args->Get("limit"), "5");
  EXPECT_EQ(args->Get("config"), "a.json");
  EXPECT_TRUE(args->Has("scratch"));
  EXPECT_FALSE(args->Has("within"));
  EXPECT_EQ(args->Get("within"), "");
  EXPECT_EQ(args->positional, (std::vector<std::string>{"jati", "asih"}));
}

TEST(CliArgs, AnUnknownFlagIsNamed) {
  const std::vector<std::string> words = {"--limit", "5", "--lmit", "6"};
  auto args = ParseArgs(words, kFlags);
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.error().message, "unknown option --lmit");
}

TEST(CliArgs, AFlagWithoutItsValueIsNamed) {
  const std::vector<std::string> words = {"--config"};
  auto args = ParseArgs(words, kFlags);
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.error().message, "--config needs a value");
}

TEST(CliArgs, ASwitchNeverTakesTheNextWord) {
  const std::vector<std::string> words = {"--scratch", "--limit", "2"};
  auto args = ParseArgs(words, kFlags);
  ASSERT_TRUE(args.ok());
  EXPECT_TRUE(args->Has("scratch"));
  EXPECT_EQ(args->Get("limit"), "2");
  EXPECT_TRUE(args->positional.empty());
}

// What the commands of the test table saw.
std::string g_ran;
Args g_args;

int RunImport(const Args& a) {
  g_ran = "regions import";
  g_args = a;
  return 0;
}
int RunRegions(const Args& a) {
  g_ran = "regions";
  g_args = a;
  return 7;
}

std::vector<Command> Table() {
  return {{"regions", "[WORDS...]", "the regions", {{"limit"}}, RunRegions},
          {"regions import", "[--from DIR]", "load them\nfrom a folder", {{"from"}}, RunImport}};
}

int DispatchWords(std::vector<std::string> words) {
  g_ran.clear();
  g_args = Args{};
  const auto table = Table();
  return Dispatch(table, words);
}

TEST(CliDispatch, TheLongestMatchingCommandRunsWithTheRestAsItsArguments) {
  EXPECT_EQ(DispatchWords({"regions", "import", "--from", "/data"}), 0);
  EXPECT_EQ(g_ran, "regions import");
  EXPECT_EQ(g_args.Get("from"), "/data");
  EXPECT_EQ(DispatchWords({"regions", "jati", "--limit", "3"}), 7);  // the command's own exit code
  EXPECT_EQ(g_ran, "regions");
  EXPECT_EQ(g_args.positional, (std::vector<std::string>{"jati"}));
}

TEST(CliDispatch, UnknownCommandsAndBadFlagsExit2WithoutRunningAnything) {
  EXPECT_EQ(DispatchWords({"region"}), 2);
  EXPECT_EQ(DispatchWords({}), 2);
  EXPECT_EQ(DispatchWords({"regions", "import", "--limit", "3"}), 2);  // --limit is not import's
  EXPECT_EQ(g_ran, "");
}

TEST(CliDispatch, UsageListsEveryCommandWithItsSynopsisAndIndentedHelp) {
  const auto table = Table();
  EXPECT_EQ(Usage(table),
            "usage: satupintu <command> [options]\n\ncommands:\n"
            "  regions [WORDS...]\n      the regions\n"
            "  regions import [--from DIR]\n      load them\n      from a folder\n");
}

}  // namespace
}  // namespace satupintu::cli
