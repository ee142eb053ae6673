#include "app/cli.hpp"

#include <cstdio>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <future>

#include "adapters/telegram/classify.hpp"
#include "adapters/telegram/config.hpp"
#include "adapters/telegram/send.hpp"
#include "app/app.hpp"
#include "app/build_info.hpp"
#include "app/data_cli.hpp"
#include "app/users_cli.hpp"
#include "config/config.hpp"
#include "http/client.hpp"

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
    "  telegram-set-webhook --config FILE --channel NAME --url "
    "https://HOST/webhooks/telegram/NAME\n"
    "      register the bot's webhook URL and secret token with the Bot API (0 done, 1 refused)\n"
    "  version\n";

struct Args {
  std::string command;
  std::string config_file;
  std::string ports_file;
  std::string channel;
  std::string url;
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
    } else if (flag == "--channel") {
      take(&args.channel);
    } else if (flag == "--url") {
      take(&args.url);
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

// setWebhook with the channel's own secret token, so the webhook we serve and the one Telegram
// calls agree. The token and the secret never reach the terminal.
int SetTelegramWebhook(const Args& args) {
  if (args.config_file.empty() || args.channel.empty() || args.url.empty()) {
    std::fprintf(stderr, "satupintu: telegram-set-webhook needs --config, --channel and --url\n");
    return 2;
  }
  auto config = Load(args);
  if (!config.ok()) {
    std::fprintf(stderr, "satupintu: invalid configuration\n%s\n", config.error().message.c_str());
    return 2;
  }
  const config::TelegramChannelConfig* channel = nullptr;
  for (const auto& c : config->channels.telegram) {
    if (c.name == args.channel) channel = &c;
  }
  if (channel == nullptr) {
    std::fprintf(stderr, "satupintu: no channels.telegram entry named \"%s\"\n",
                 args.channel.c_str());
    return 2;
  }
  adapters::telegram::Config adapter;
  adapter.base_url = channel->base_url;
  for (auto [ref, key, out] :
       {std::tuple{&channel->bot_token, "bot_token", &adapter.bot_token},
        std::tuple{&channel->secret_token, "secret_token", &adapter.secret_token}}) {
    auto value = config::ResolveSecret(*ref, "channels.telegram." + args.channel + "." + key);
    if (!value.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", value.error().message.c_str());
      return 2;
    }
    *out = std::move(value).value();
  }
  auto built = adapters::telegram::BuildSetWebhook(adapter, args.url, adapter.secret_token);
  if (!built.ok()) {
    std::fprintf(stderr, "satupintu: %s\n", built.error.c_str());
    return 2;
  }
  http::ClientOptions options;
  options.ca_file = config->outbound.ca_file;
  http::Client client(options);
  http::ClientRequest request;
  request.method = built.call->method;
  request.url = built.call->url;
  request.headers = built.call->headers;
  request.body = built.call->body;
  std::promise<http::ClientResponse> answered;
  client.Send(std::move(request),
              [&answered](http::ClientResponse r) { answered.set_value(std::move(r)); });
  const auto response = answered.get_future().get();
  if (response.status == 0) {
    std::fprintf(stderr, "satupintu: Bot API not reached: %s\n", response.error.c_str());
    return 1;
  }
  const auto verdict =
      adapters::telegram::ClassifySend(response.status, response.body, response.headers);
  if (verdict.verdict != adapters::SendVerdict::kAccepted) {
    std::fprintf(stderr, "satupintu: Bot API refused setWebhook: %s\n", verdict.reason.c_str());
    return 1;
  }
  std::printf("telegram:%s: webhook set\n", args.channel.c_str());
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  if (argc >= 2) {
    const std::string command = argv[1];
    if (command == "regions" || command == "registry" || command == "audit" ||
        command == "dialogs" || command == "chat" || command == "users") {
      return RunDataCommand(command, std::vector<std::string>(argv + 2, argv + argc));
    }
  }
  const Args args = Parse(argc, argv);
  if (!args.error.empty()) {
    std::fprintf(stderr, "satupintu: %s\n\n%s%s%s", args.error.c_str(), kUsage, kDataUsage,
                 kUsersUsage);
    return 2;
  }
  if (args.command == "version") {
    std::printf("satupintu %s\n", BuildVersion());
    return 0;
  }
  if (args.command == "help" || args.command == "--help" || args.command == "-h") {
    std::printf("%s%s%s", kUsage, kDataUsage, kUsersUsage);
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
  if (args.command == "telegram-set-webhook") return SetTelegramWebhook(args);
  if (args.command == "serve") {
    auto config = Load(args);
    if (!config.ok()) {
      std::fprintf(stderr, "satupintu: invalid configuration\n%s\n",
                   config.error().message.c_str());
      return 2;
    }
    return Serve(config.value(), RunOptions{args.ports_file});
  }
  std::fprintf(stderr, "satupintu: unknown command \"%s\"\n\n%s%s%s", args.command.c_str(), kUsage,
               kDataUsage, kUsersUsage);
  return 2;
}

}  // namespace satupintu::app
