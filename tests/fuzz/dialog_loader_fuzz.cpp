// Fuzz target for the dialog definitions' loader (gateway/dialog/definition): the input is one
// file of dialogs/ (a flow, categories.json or keywords.json, chosen by what the text names),
// read from a scratch folder with the real locales/ catalog. Invariants: no exception escapes
// DialogSet::Read or Load (they promise problems, not throws); every problem names its file and
// says what is wrong; Load fails exactly when Read reports a problem.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "dialog/definition.hpp"
#include "fuzz_check.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"

namespace {

namespace fs = std::filesystem;
using satupintu::dialog::DialogSet;
using satupintu::dialog::ServiceOutcomes;

const satupintu::locale::Catalog& TheCatalog() {
  static const satupintu::locale::Catalog catalog = [] {
    auto loaded = satupintu::locale::Catalog::Load(satupintu::testing::SourcePath("locales"));
    if (!loaded.ok()) {
      std::fprintf(stderr, "locales: %s\n", loaded.error().message.c_str());
      std::abort();
    }
    return std::move(loaded).value();
  }();
  return catalog;
}

// A folder of this process's own, removed at exit.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("satupintu-dialog-fuzz-" + std::to_string(getpid()));
  ScratchDir() { fs::create_directories(path); }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const fs::path& Scratch() {
  static const ScratchDir dir;
  return dir.path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fs::path& dir = Scratch();
  for (const auto& entry : fs::directory_iterator(dir)) fs::remove(entry.path());
  std::string name = "flow.json";
  if (text.find("\"categories\"") != std::string_view::npos) {
    name = "categories.json";
  } else if (text.find("\"keywords\"") != std::string_view::npos) {
    name = "keywords.json";
  }
  {
    std::ofstream out(dir / name, std::ios::binary);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  const ServiceOutcomes services = {{"registry_check", {"listed", "not_listed", "mismatch"}},
                                    {"open_ticket", {"ok", "failed"}}};
  std::vector<satupintu::locale::Problem> problems;
  (void)DialogSet::Read(dir.string(), TheCatalog(), services, &problems);
  for (const auto& problem : problems) {
    FUZZ_CHECK(!problem.file.empty());
    FUZZ_CHECK(!problem.what.empty());
  }
  const auto loaded = DialogSet::Load(dir.string(), TheCatalog(), services);
  FUZZ_CHECK(loaded.ok() == problems.empty());
  return 0;
}
