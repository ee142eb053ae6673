#include "app/cli.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.hpp"
#include "config/config.hpp"

#ifndef SATUPINTU_VERSION
#define SATUPINTU_VERSION "dev"
#endif

namespace satupintu::app {
namespace {

constexpr const char* kUsage =
    "usage: satupintu <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve [--config FILE] [--ports-file FILE]\n"
    "      run the gateway; without --config the embedded default is used\n"
    "      (SQLite under ./var/, HTTPS 127.0.0.1:8443, HTTP 127.0.0.1:8080)\n"
    "  check-config --config FILE\n"
    "      validate a configuration file and exit (0 valid, 2 invalid)\n"
    "  version\n";

struct Args {
  std::string command;
  std::string config_file;
  std::string ports_file;
  std::string error;
};

Args Parse(int argc, char** argv) {
  Args args;
  std::vector<std::string_view> rest(argv + 1, argv + argc);
  if (rest.empty()) {
    args.error = "missing command";
    return args;
  }
  args.command = rest[0];
  for (std::size_t i = 1; i < rest.size(); ++i) {
    const auto flag = rest[i];
    auto take = [&](std::string* out) {
      if (i + 1 >= rest.size()) {
        args.error = std::string(flag) + " needs a value";
        return;
      }
      *out = rest[++i];
    };
    if (flag == "--config") {
      take(&args.config_file);
    } else if (flag == "--ports-file") {
      take(&args.ports_file);
    } else {
      args.error = "unknown option " + std::string(flag);
    }
    if (!args.error.empty()) break;
  }
  return args;
}

core::Result<config::Config> Load(const Args& args) {
  if (args.config_file.empty()) return config::Config{};
  return config::LoadConfigFile(args.config_file);
}

}  // namespace

int RunCli(int argc, char** argv) {
  const Args args = Parse(argc, argv);
  if (!args.error.empty()) {
    std::fprintf(stderr, "satupintu: %s\n\n%s", args.error.c_str(), kUsage);
    return 2;
  }
  if (args.command == "version") {
    std::printf("satupintu %s\n", SATUPINTU_VERSION);
    return 0;
  }
  if (args.command == "help" || args.command == "--help" || args.command == "-h") {
    std::printf("%s", kUsage);
    return 0;
  }
  if (args.command == "check-config") {
    if (args.config_file.empty()) {
      std::fprintf(stderr, "satupintu: check-config needs --config FILE\n");
      return 2;
    }
    auto config = Load(args);
    if (!config.ok()) {
      std::fprintf(stderr, "satupintu: invalid configuration\n%s\n",
                   config.error().message.c_str());
      return 2;
    }
    std::printf("%s: ok\n", args.config_file.c_str());
    return 0;
  }
  if (args.command == "serve") {
    auto config = Load(args);
    if (!config.ok()) {
      std::fprintf(stderr, "satupintu: invalid configuration\n%s\n",
                   config.error().message.c_str());
      return 2;
    }
    return Serve(config.value(), RunOptions{args.ports_file});
  }
  std::fprintf(stderr, "satupintu: unknown command \"%s\"\n\n%s", args.command.c_str(), kUsage);
  return 2;
}

}  // namespace satupintu::app
