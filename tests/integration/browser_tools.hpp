#pragma once
// What the headless-Chromium tests (browser_tests, broadcast_browser_tests) need besides the
// gateway. A missing tool fails them (a skipped test passes unnoticed).

#include <chrono>
#include <filesystem>
#include <string>

#include "paths/paths.hpp"
#include "support/process.hpp"

namespace satupintu::testing {

// Why the browser tests cannot run here, with the command that installs what is missing;
// empty when everything is there.
inline std::string MissingBrowserTools(const TempDir& dir) {
  const auto why = [&]() -> std::string {
    Child which({"/bin/sh", "-c", "command -v node"}, dir.File("which.out"));
    if (which.Wait(std::chrono::seconds(10)) != 0) return "node is not on PATH";
    const std::string driver =
        SourcePath("tests/browser/node_modules/playwright-core/package.json");
    if (!std::filesystem::exists(driver)) {
      return "playwright-core is not installed (" + driver + ")";
    }
    if (!std::filesystem::exists("/usr/bin/chromium")) return "/usr/bin/chromium is missing";
    const std::string regions = RegionsDataDir();
    if (!std::filesystem::exists(regions + "/villages.csv")) {
      return "the region tree is not installed (" + regions + ")";
    }
    return {};
  }();
  if (why.empty()) return why;
  return why +
         "; run tools/dev.sh test once (it installs Debian's chromium and nodejs, and the npm "
         "packages of tests/browser and deploy/regions)";
}

}  // namespace satupintu::testing
