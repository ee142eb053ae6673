#include "generator.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>
#include <vector>

#include "address.hpp"
#include "date.hpp"
#include "dirty.hpp"
#include "family.hpp"
#include "format.hpp"
#include "identity.hpp"
#include "welfare.hpp"

namespace satupintu::synth {
namespace {

// Villages of the regency with a size weight: lognormal, towns (kelurahan) larger.
struct VillagePicker {
  std::vector<std::uint32_t> villages;
  std::vector<double> cumulative;

  std::uint32_t Pick(Rng& rng) const {
    const double r = rng.Unit() * cumulative.back();
    const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), r);
    const auto i = static_cast<std::size_t>(it - cumulative.begin());
    return villages[std::min(i, villages.size() - 1)];
  }
};

// A clean row kept to be repeated later as a duplicate NIK.
struct Kept {
  Fields fields;
  std::uint64_t line = 0;
  bool used = true;
};

class Run {
 public:
  Run(const Options& options, const RegionTree& tree, std::uint32_t regency, int snapshot_days,
      Output& out)
      : options_(options),
        tree_(tree),
        regency_(regency),
        snapshot_days_(snapshot_days),
        out_(out),
        rng_(options.seed),
        names_(tree.provinces()[tree.regencies()[regency].province].code,
               tree.regencies()[regency].name.starts_with("Kota ")),
        family_(names_, snapshot_days, options.format == Format::kDtksPipe),
        identity_(tree, regency, snapshot_days, options.moved_share),
        welfare_(snapshot_days),
        address_(tree.provinces()[tree.regencies()[regency].province].code, options.seed),
        formatter_(options, tree, regency),
        injector_(options, tree, regency, formatter_),
        eol_(options.crlf ? "\r\n" : "\n"),
        kept_(64) {}

  core::Status Prepare();
  void Execute();
  GenerateStats stats() const { return stats_; }
  std::vector<TruthEntry>& truth() { return truth_; }

 private:
  void MakeHousehold();
  void WriteRecord(const Person& person, bool last);
  void WriteLine(const Fields& fields, std::size_t force_quote = SIZE_MAX);

  const Options& options_;
  const RegionTree& tree_;
  std::uint32_t regency_;
  int snapshot_days_;
  Output& out_;
  Rng rng_;
  NameMaker names_;
  FamilyBuilder family_;
  IdentityIssuer identity_;
  WelfareAssigner welfare_;
  AddressMaker address_;
  RowFormatter formatter_;
  Injector injector_;
  std::string_view eol_;
  VillagePicker picker_;
  Household household_;
  Fields fields_;
  std::string line_;
  std::vector<Kept> kept_;
  std::vector<TruthEntry> truth_;
  GenerateStats stats_;
  std::uint64_t next_line_ = 1;  // physical line the next record starts on
};

core::Status Run::Prepare() {
  const Regency& r = tree_.regencies()[regency_];
  Rng weights_rng(Mix(options_.seed, 3));
  double total = 0;
  for (std::uint32_t d : r.districts) {
    const District& district = tree_.districts()[d];
    // The export names villages: two villages of one kecamatan with the same name cannot be
    // told apart there, so they get no households in that format.
    std::unordered_map<std::string, int> seen;
    if (options_.format == Format::kDtksPipe) {
      for (std::uint32_t v : district.villages) ++seen[NormalizeName(tree_.villages()[v].name)];
    }
    for (std::uint32_t v : district.villages) {
      const double gauss = weights_rng.Unit() + weights_rng.Unit() + weights_rng.Unit() - 1.5;
      const double weight = std::exp(gauss * 1.1) * (tree_.villages()[v].kelurahan() ? 1.8 : 1.0);
      weights_rng.Next();
      if (options_.format == Format::kDtksPipe &&
          seen[NormalizeName(tree_.villages()[v].name)] > 1) {
        continue;
      }
      total += weight;
      picker_.villages.push_back(v);
      picker_.cumulative.push_back(total);
    }
  }
  if (picker_.villages.empty()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "the regency has no villages in the region data", r.code);
  }
  return {};
}

void Run::MakeHousehold() {
  Household& h = household_;
  h.village = picker_.Pick(rng_);
  h.district = tree_.villages()[h.village].district;
  family_.Build(h, rng_);
  address_.Make(tree_.villages()[h.village], h.village, h, rng_);
  // The card was last (re)issued after its youngest member was born.
  int youngest = h.members[0].birth_days;
  for (std::size_t i = 0; i < h.size; ++i) youngest = std::max(youngest, h.members[i].birth_days);
  const int first = std::max(youngest + 1, identity_.first_card_day());
  const int card_day =
      first >= snapshot_days_ ? snapshot_days_ : rng_.Between(first, snapshot_days_);
  identity_.IssueKk(h.district, card_day, h.kk);
  const std::uint32_t home_regency = regency_;
  for (std::size_t i = 0; i < h.size; ++i) {
    Person& p = h.members[i];
    identity_.IssueNik(h.district, p.female, p.birth_days, rng_, p.nik);
    // Born where the NIK was first issued when that is elsewhere, else mostly here.
    char code[6] = {p.nik[0], p.nik[1], '.', p.nik[2], p.nik[3], 0};
    const auto issued = tree_.FindRegency(std::string_view(code, 5));
    if (issued && *issued != home_regency) {
      p.birth_place = *issued;
    } else {
      p.birth_place = rng_.Chance(0.9)
                          ? home_regency
                          : static_cast<std::uint32_t>(rng_.Index(tree_.regencies().size()));
    }
  }
  welfare_.Assign(h, !tree_.villages()[h.village].kelurahan(), rng_);
  ++stats_.households;
}

void Run::WriteLine(const Fields& fields, std::size_t force_quote) {
  line_.clear();
  const int breaks = AppendJoined(line_, fields, formatter_.separator(), force_quote);
  out_.Append(line_);
  out_.Append(eol_);
  next_line_ += static_cast<std::uint64_t>(breaks) + 1;
  ++stats_.rows;
}

void Run::WriteRecord(const Person& person, bool last) {
  formatter_.Fill(household_, person, stats_.rows + 1, rng_, fields_);
  if (last && options_.truncate) {
    // Cut inside the quoted address: the import must report an unterminated quote.
    line_.clear();
    const std::size_t column = formatter_.address_column();
    AppendJoined(line_, fields_, formatter_.separator(), column);
    std::size_t quote = 0;
    for (std::size_t i = 0, seps = 0; i < line_.size(); ++i) {
      if (line_[i] == formatter_.separator() && ++seps == column) {
        quote = i + 1;
        break;
      }
    }
    out_.Append(std::string_view(line_).substr(0, quote + 1 + fields_[column].size() / 2));
    truth_.push_back({next_line_, Anomaly::kTruncated, "cut inside the quoted address"});
    ++stats_.rows;
    return;
  }
  Anomaly kind = last && options_.truncate ? Anomaly::kNone : injector_.Draw();
  if (kind == Anomaly::kEmptyLine) {
    truth_.push_back({next_line_, kind, {}});
    out_.Append(eol_);
    ++next_line_;
    kind = Anomaly::kNone;
  }
  if (kind == Anomaly::kDuplicateNik) {
    // Repeat an earlier clean row with a changed address in place of this one.
    Kept* earlier = nullptr;
    for (std::size_t tries = 0; tries < kept_.size() && earlier == nullptr; ++tries) {
      Kept& k = kept_[injector_.rng().Index(kept_.size())];
      if (!k.used) earlier = &k;
    }
    if (earlier != nullptr) {
      earlier->used = true;
      earlier->fields[formatter_.address_column()].append(" Blok B");
      truth_.push_back({earlier->line, kind, "superseded by line " + std::to_string(next_line_)});
      WriteLine(earlier->fields);
      return;
    }
    kind = Anomaly::kNone;  // nothing to repeat yet
  }
  if (kind != Anomaly::kNone) {
    std::string detail = injector_.Apply(kind, household_, person, fields_);
    truth_.push_back({next_line_, kind, std::move(detail)});
  } else if (options_.format == Format::kDtksPipe) {
    std::string level = injector_.MaybeTypo(household_, fields_);
    if (!level.empty()) {
      truth_.push_back({next_line_, Anomaly::kRegionTypo, std::move(level)});
      kind = Anomaly::kRegionTypo;
    }
  }
  if (kind == Anomaly::kNone && options_.dirty > 0 && injector_.rng().Chance(1.0 / 16)) {
    Kept& k = kept_[injector_.rng().Index(kept_.size())];
    k.fields = fields_;
    k.line = next_line_;
    k.used = false;
  }
  WriteLine(fields_);
}

void Run::Execute() {
  if (options_.bom) out_.Append("\xEF\xBB\xBF");
  out_.Append(formatter_.Header());
  out_.Append(eol_);
  next_line_ = 2;
  const bool by_rows = options_.rows > 0;
  while (by_rows ? stats_.rows < options_.rows : stats_.households < options_.households) {
    MakeHousehold();
    const bool last_household = !by_rows && stats_.households == options_.households;
    for (std::size_t i = 0; i < household_.size; ++i) {
      const bool last =
          by_rows ? stats_.rows + 1 == options_.rows : last_household && i + 1 == household_.size;
      WriteRecord(household_.members[i], last);
      if (by_rows && stats_.rows >= options_.rows) break;
    }
  }
  stats_.lines = next_line_ - 1;
  stats_.anomalies = truth_.size();
}

}  // namespace

core::Result<GenerateStats> Generate(const Options& options, const RegionTree& tree, Output& out,
                                     Output* truth) {
  const auto regency = tree.FindRegency(options.regency);
  if (!regency) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "unknown regency " + options.regency + " in the region data");
  }
  const auto snapshot = ParseIsoDate(options.snapshot_date);
  if (!snapshot) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "bad --snapshot-date");
  }
  auto run = std::make_unique<Run>(options, tree, *regency, DaysFromCivil(*snapshot), out);
  if (auto status = run->Prepare(); !status.ok()) return status.error();
  run->Execute();
  if (auto status = out.Finish(); !status.ok()) return status.error();
  if (truth != nullptr) {
    auto& entries = run->truth();
    std::stable_sort(entries.begin(), entries.end(),
                     [](const TruthEntry& a, const TruthEntry& b) { return a.line < b.line; });
    truth->Append("line,kind,expected,detail\n");
    std::string row;
    for (const TruthEntry& e : entries) {
      row.clear();
      row.append(std::to_string(e.line));
      row.push_back(',');
      row.append(AnomalyName(e.kind));
      row.push_back(',');
      row.append(AnomalyExpected(e.kind));
      row.push_back(',');
      Fields detail{e.detail};
      AppendJoined(row, detail, ',');
      row.push_back('\n');
      truth->Append(row);
    }
    if (auto status = truth->Finish(); !status.ok()) return status.error();
  }
  return run->stats();
}

}  // namespace satupintu::synth
