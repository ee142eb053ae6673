#include "cli/cli.hpp"

#include <cstdio>
#include <future>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "adapters/telegram/classify.hpp"
#include "adapters/telegram/config.hpp"
#include "adapters/telegram/send.hpp"
#include "app/app.hpp"
#include "app/build_info.hpp"
#include "cli/args.hpp"
#include "cli/backup_cli.hpp"
#include "cli/broadcast_cli.hpp"
#include "cli/catalogue_cli.hpp"
#include "cli/context.hpp"
#include "cli/data_cli.hpp"
#include "cli/dialog_cli.hpp"
#include "cli/privacy_cli.hpp"
#include "cli/subject_cli.hpp"
#include "cli/users_cli.hpp"
#include "config/config.hpp"
#include "http/client.hpp"

namespace satupintu::cli {
namespace {

// setWebhook with the channel's own secret token, so the webhook we serve and the one Telegram
// calls agree. The token and the secret never reach the terminal.
int SetTelegramWebhook(const Args& args) {
  const std::string channel_name = args.Get("channel");
  const std::string url = args.Get("url");
  if (!args.Has("config") || channel_name.empty() || url.empty()) {
    std::fprintf(stderr, "satupintu: telegram-set-webhook needs --config, --channel and --url\n");
    return 2;
  }
  int code = 0;
  auto config = LoadConfig(args, &code);
  if (!config) return code;
  const config::TelegramChannelConfig* channel = nullptr;
  for (const auto& c : config->channels.telegram) {
    if (c.name == channel_name) channel = &c;
  }
  if (channel == nullptr) {
    std::fprintf(stderr, "satupintu: no channels.telegram entry named \"%s\"\n",
                 channel_name.c_str());
    return 2;
  }
  adapters::telegram::Config adapter;
  adapter.base_url = channel->base_url;
  for (auto [ref, key, out] :
       {std::tuple{&channel->bot_token, "bot_token", &adapter.bot_token},
        std::tuple{&channel->secret_token, "secret_token", &adapter.secret_token}}) {
    auto value = config::ResolveSecret(*ref, "channels.telegram." + channel_name + "." + key);
    if (!value.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", value.error().message.c_str());
      return 2;
    }
    *out = std::move(value).value();
  }
  auto built = adapters::telegram::BuildSetWebhook(adapter, url, adapter.secret_token);
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
  std::printf("telegram:%s: webhook set\n", channel_name.c_str());
  return 0;
}

int Serve(const Args& args) {
  int code = 0;
  auto config = LoadConfig(args, &code);
  if (!config) return code;
  return app::Serve(*config, app::RunOptions{args.Get("ports-file")});
}

int CheckConfig(const Args& args) {
  if (!args.Has("config")) {
    std::fprintf(stderr, "satupintu: check-config needs --config FILE\n");
    return 2;
  }
  int code = 0;
  if (!LoadConfig(args, &code)) return code;
  std::printf("%s: ok\n", args.Get("config").c_str());
  return 0;
}

int Version(const Args&) {
  std::printf("satupintu %s\n", app::BuildVersion());
  return 0;
}

// Every command, in the order `help` lists them.
const std::vector<Command>& Commands() {
  constexpr Flag kConfig = kConfigFlag;
  static const std::vector<Command> table = {
      {"serve",
       "[--config FILE] [--ports-file FILE]",
       "run the gateway; without --config the embedded default is used\n"
       "(SQLite under ./var/, HTTPS 127.0.0.1:8443, HTTP 127.0.0.1:8080)",
       {kConfig, {"ports-file"}},
       Serve},
      {"check-config",
       "--config FILE",
       "validate a configuration file and exit (0 valid, 2 invalid)",
       {kConfig},
       CheckConfig},
      {"telegram-set-webhook",
       "--config FILE --channel NAME --url https://HOST/webhooks/telegram/NAME",
       "register the bot's webhook URL and secret token with the Bot API (0 done, 1 refused)",
       {kConfig, {"channel"}, {"url"}},
       SetTelegramWebhook},
      {"version", "", "", {}, Version},
      {"regions import",
       "[--config FILE] [--from DIR]",
       "load the official region tree (npm idn-area-data, regions.data_dir) into the store",
       {kConfig, {"from"}},
       RegionsImport},
      {"regions search",
       "[--config FILE] [--within CODE] [--limit N] WORDS...",
       "search region names (typos, prefixes such as Desa, Kel., Kec., Kab. allowed)",
       {kConfig, {"within"}, {"limit"}},
       RegionsSearch},
      {"registry import",
       "FILE [--config FILE] [--format canonical|dtks-pipe] [--rejects PATH]\n"
       "                [--snapshot-date YYYY-MM-DD] [--today YYYY-MM-DD]",
       "import a registry extract as the new snapshot (docs/registry-format.md);\n"
       "--today sets the date future birth dates are judged against (tests)",
       {kConfig, {"format"}, {"rejects"}, {"snapshot-date"}, {"today"}},
       RegistryImport},
      {"registry status",
       "[--config FILE]",
       "the snapshot in force and the last imports",
       {kConfig},
       RegistryStatus},
      {"registry lookup",
       "[--config FILE] --purpose TEXT (--nik N | --kk N | --village CODE --name NAME)",
       "an officer's lookup; written to the audit log",
       {kConfig, {"purpose"}, {"nik"}, {"kk"}, {"village"}, {"name"}},
       RegistryLookup},
      {"audit verify",
       "[--config FILE]",
       "check the audit log's hash chain (0 intact, 1 broken)",
       {kConfig},
       AuditVerify},
      {"audit export",
       "[--config FILE] [--from-id N]",
       "the audit log as CSV on stdout, with each row's chain hashes (the export is audited)",
       {kConfig, {"from-id"}},
       AuditExport},
      {"backup",
       "--to DIR [--config FILE]",
       "a consistent copy of the store (while the gateway serves), the registry snapshot in\n"
       "force, the key files and the audit anchor into the new directory DIR, owner-only, with\n"
       "manifest.json (SHA-256 of each file); audited",
       {kConfig, {"to"}},
       Backup},
      {"restore",
       "--from DIR [--config FILE] [--replace] [--check]",
       "check a backup against its manifest and put its files back where the configuration\n"
       "names them, owner-only; refused while a gateway holds the store, and over existing\n"
       "files without --replace; --check only verifies the backup",
       {kConfig, {"from"}, {"replace", false}, {"check", false}},
       Restore},
      {"privacy purge",
       "[--config FILE] [--dry-run]",
       "one retention purge pass now (retention section; audited); --dry-run counts what is due",
       {kConfig, {"dry-run", false}},
       PrivacyPurge},
      {"subject export",
       "[--config FILE] (--nik N | --phone P) --purpose TEXT --by NAME [--out FILE]",
       "a citizen's access request: everything held about the person as JSON (tickets,\n"
       "messages, addresses, registry situation used, who read their data when); to stdout\n"
       "or to a file written with mode 0600; the export is audited",
       {kConfig, {"nik"}, {"phone"}, {"purpose"}, {"by"}, {"out"}},
       SubjectExport},
      {"subject erase",
       "[--config FILE] (--nik N | --phone P) --purpose TEXT --by NAME\n"
       "          [--force --legal-basis TEXT]",
       "a citizen's erasure request: their tickets anonymised (report figures unchanged),\n"
       "their addresses, dialogs and messages deleted; held while a ticket is open unless\n"
       "--force with the legal basis (recorded in the audit log)",
       {kConfig, {"nik"}, {"phone"}, {"purpose"}, {"by"}, {"force", false}, {"legal-basis"}},
       SubjectErase},
      {"subject restrict",
       "[--config FILE] (--nik N | --phone P) --purpose TEXT --by NAME\n"
       "          [--reason TEXT] [--lift]",
       "a citizen's restriction request (to be done within 3x24 hours): their messages are\n"
       "kept but answered only with privacy.restricted, nothing else is sent to them;\n"
       "--lift ends it",
       {kConfig, {"nik"}, {"phone"}, {"purpose"}, {"by"}, {"reason"}, {"lift", false}},
       SubjectRestrict},
      {"broadcast list",
       "[--config FILE] --as USER",
       "the broadcasts of USER's region, newest first",
       {kConfig, {"as"}},
       BroadcastList},
      {"broadcast show",
       "[--config FILE] --as USER --id N",
       "one broadcast as JSON, with its preview and progress",
       {kConfig, {"as"}, {"id"}},
       BroadcastShow},
      {"broadcast create",
       "[--config FILE] --as USER --file DRAFT.json",
       "a new draft from JSON: title, texts (language -> ICU message), audience,\n"
       "window_start, window_end, start_at_ms (as POST /api/v1/broadcasts); audited",
       {kConfig, {"as"}, {"file"}},
       BroadcastCreate},
      {"broadcast upload",
       "[--config FILE] --as USER --id N --file NUMBERS.csv",
       "the phone numbers of an upload audience (one per line, any column); prints the\nreject "
       "report; audited",
       {kConfig, {"as"}, {"id"}, {"file"}},
       BroadcastUpload},
      {"broadcast preview",
       "[--config FILE] --as USER --id N",
       "audience per channel and kecamatan, SMS parts, cost, finish time, blockers; audited",
       {kConfig, {"as"}, {"id"}},
       BroadcastPreview},
      {"broadcast approve",
       "[--config FILE] --as USER --id N --revision R [--accept-blockers]",
       "approval by a manager who is not the author, of the previewed revision; audited",
       {kConfig, {"as"}, {"id"}, {"revision"}, {"accept-blockers", false}},
       BroadcastApprove},
      {"broadcast pause",
       "[--config FILE] --as USER --id N",
       "stop sending; what no sender took yet is taken back; audited",
       {kConfig, {"as"}, {"id"}},
       BroadcastPause},
      {"broadcast resume",
       "[--config FILE] --as USER --id N",
       "go on after a pause; audited",
       {kConfig, {"as"}, {"id"}},
       BroadcastResume},
      {"broadcast cancel",
       "[--config FILE] --as USER --id N",
       "stop for good; the households not reached are recorded as cancelled; audited",
       {kConfig, {"as"}, {"id"}},
       BroadcastCancel},
      {"broadcast resend",
       "[--config FILE] --as USER --id N",
       "a manager sends again to the households whose message failed; audited",
       {kConfig, {"as"}, {"id"}},
       BroadcastResend},
      {"broadcast report",
       "[--config FILE] --as USER --id N [--state S]",
       "per-household outcomes as CSV, numbers masked; audited",
       {kConfig, {"as"}, {"id"}, {"state"}},
       BroadcastReport},
      {"dialogs check",
       "[--config FILE]",
       "check dialogs/ and locales/ (keys, ICU syntax, one SMS per prompt, button titles)",
       {kConfig},
       DialogsCheck},
      {"chat",
       "[--config FILE] [--channel sms|whatsapp|telegram] [--address ADDR] [--scratch]",
       "talk to the dialogs as a citizen would, in the terminal (uses the configured store)",
       {kConfig, {"channel"}, {"address"}, {"scratch", false}},
       Chat},
      {"users add",
       "[--config FILE] --username U --name \"Display Name\" --role ROLE --region CODE\n"
       "          [--programme ID] [--phone 0812...] [--language id] [--password-stdin]",
       "create an office user; the password is read from stdin (one line), without\n"
       "--password-stdin an SMS-only account. ROLE: admin, manager, front_office,\n"
       "back_office, supervisor, facilitator, broadcaster, viewer, programme_manager\n"
       "(with --programme, the catalogue id of the programme whose referrals they answer)",
       {kConfig,
        {"username"},
        {"name"},
        {"role"},
        {"region"},
        {"programme"},
        {"phone"},
        {"language"},
        {"password-stdin", false}},
       UsersAdd},
      {"users list",
       "[--config FILE] [--within CODE]",
       "the users (phones masked), all or those within a region",
       {kConfig, {"within"}},
       UsersList},
      {"users passwd",
       "[--config FILE] --username U --password-stdin",
       "set a new password (read from stdin); the user's tokens are revoked",
       {kConfig, {"username"}, {"password-stdin", false}},
       UsersPasswd},
      {"users disable",
       "[--config FILE] --username U",
       "disable a user and revoke their tokens",
       {kConfig, {"username"}},
       UsersDisable},
      {"users alerts",
       "[--config FILE] --username U [--address 0812...|tg:CHAT [--channel CH]] [--on|--off]",
       "show or set where a user's ticket alerts go (default channel: tickets.alert_channel)\n"
       "and turn them on or off",
       {kConfig, {"username"}, {"address"}, {"channel"}, {"on", false}, {"off", false}},
       UsersAlerts},
      {"catalogue list",
       "[--config FILE] [--all]",
       "the programmes and complaint categories offered (--all: retired ones too)",
       {kConfig, {"all", false}},
       CatalogueList},
      {"catalogue add",
       "programme|category [--config FILE] --id ID\n"
       "          (--name NAME --short-name SHORT | --label-id L --label-en L\n"
       "           [--label-jv L] [--label-su L])",
       "add a programme (a short name of GSM-7 characters, at most 24) or a complaint category\n"
       "(labels of at most 24 characters; refused when the citizens' list would take 2 SMS)",
       {kConfig,
        {"id"},
        {"name"},
        {"short-name"},
        {"label-id"},
        {"label-en"},
        {"label-jv"},
        {"label-su"}},
       CatalogueAdd},
      {"catalogue rename",
       "programme|category [--config FILE] --id ID\n"
       "          (--name NAME --short-name SHORT | --label-id L --label-en L ...)",
       "new names of a programme, new labels of a category (they replace its locale key)",
       {kConfig,
        {"id"},
        {"name"},
        {"short-name"},
        {"label-id"},
        {"label-en"},
        {"label-jv"},
        {"label-su"}},
       CatalogueRename},
      {"catalogue retire",
       "programme|category [--config FILE] --id ID",
       "no longer offered (no new referral, not in the citizens' list); kept on old tickets",
       {kConfig, {"id"}},
       CatalogueRetire},
      {"catalogue restore",
       "programme|category [--config FILE] --id ID",
       "offer a retired programme or category again",
       {kConfig, {"id"}},
       CatalogueRestore},
  };
  return table;
}

}  // namespace

int Run(int argc, char** argv) {
  const std::vector<std::string> words(argv + 1, argv + argc);
  return Dispatch(Commands(), words);
}

}  // namespace satupintu::cli
