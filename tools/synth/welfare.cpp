#include "welfare.hpp"

#include <algorithm>
#include <string>

#include "date.hpp"

namespace satupintu::synth {
namespace {

// Desil 1..10 of a poor regency; index 0 is "not ranked".
constexpr double kDesilWeights[] = {4, 17, 15, 13, 11, 10, 9, 7, 6, 4, 4};

void AppendMonth(std::string& out, int month_index) {
  const int year = month_index / 12;
  const int month = month_index % 12 + 1;
  out.push_back(static_cast<char>('0' + year / 1000));
  out.push_back(static_cast<char>('0' + year / 100 % 10));
  out.push_back(static_cast<char>('0' + year / 10 % 10));
  out.push_back(static_cast<char>('0' + year % 10));
  out.push_back('-');
  out.push_back(static_cast<char>('0' + month / 10));
  out.push_back(static_cast<char>('0' + month % 10));
}

struct Period {
  int from = 0;
  int to = -1;  // -1: still running
};

// `end`: the last month the person could receive anything (status change), or -1.
void AppendProgramme(std::string& out, std::string_view code, Period period, int end) {
  if (end >= 0) {
    if (period.from > end) return;  // started after they left the registry
    if (period.to < 0 || period.to > end) period.to = end;
  }
  if (!out.empty()) out.push_back(' ');
  out.append(code);
  out.push_back(':');
  AppendMonth(out, period.from);
  out.append("..");
  if (period.to >= 0) AppendMonth(out, period.to);
}

}  // namespace

WelfareAssigner::WelfareAssigner(int snapshot_days) : snapshot_days_(snapshot_days) {
  const CivilDate date = CivilFromDays(snapshot_days);
  snapshot_month_ = date.year * 12 + date.month - 1;
}

void WelfareAssigner::Assign(Household& household, bool desa, Rng& rng) const {
  household.desil = static_cast<int>(rng.Weighted(kDesilWeights));
  const int desil = household.desil;
  const bool ranked = desil >= 1;

  bool has_children = false;
  bool has_elderly = false;
  for (std::size_t i = 0; i < household.size; ++i) {
    const int age = (snapshot_days_ - household.members[i].birth_days) / 365;
    has_children = has_children || age < 18;
    has_elderly = has_elderly || age >= 60;
  }

  // Family programmes: one period shared by the whole family.
  auto running = [&](int max_years_back, double closed_share) {
    Period p;
    p.from = snapshot_month_ - rng.Between(1, max_years_back * 12);
    if (rng.Chance(closed_share)) {
      p.to = std::min(snapshot_month_ - 1, p.from + rng.Between(6, 36));
    }
    return p;
  };
  const bool pkh = ranked && desil <= 4 && (has_children || has_elderly) && rng.Chance(0.6);
  const bool bpnt = ranked && desil <= 5 && rng.Chance(0.7);
  const bool pbi = ranked && desil <= 5 && rng.Chance(0.85);
  const bool blt = ranked && desa && desil <= 3 && rng.Chance(0.08);
  const Period pkh_period = pkh ? running(6, 0.15) : Period{};
  const Period bpnt_period = bpnt ? running(5, 0.15) : Period{};
  const Period pbi_period = pbi ? running(8, 0.05) : Period{};
  Period blt_period;
  if (blt) {
    // A year of BLT-DD: this year's or, closed, last year's.
    const int year_start = snapshot_month_ - snapshot_month_ % 12;
    blt_period.from = rng.Chance(0.7) ? year_start : year_start - 12;
    blt_period.to = blt_period.from + 11;
  }

  for (std::size_t i = 0; i < household.size; ++i) {
    Person& p = household.members[i];
    const int age = (snapshot_days_ - p.birth_days) / 365;
    const double u = rng.Unit();
    const double deceased = age >= 70 ? 0.05 : 0.004;
    const double moved = age >= 18 && age <= 40 ? 0.04 : 0.01;
    if (u < deceased) {
      p.status = PersonStatus::kDeceased;
    } else if (u < deceased + moved) {
      p.status = PersonStatus::kMoved;
    } else if (u < deceased + moved + 0.03) {
      p.status = PersonStatus::kInactive;
    } else {
      p.status = PersonStatus::kActive;
    }
    const int end = p.status == PersonStatus::kActive ? -1 : snapshot_month_ - rng.Between(1, 24);

    p.programmes.clear();
    if (pkh) AppendProgramme(p.programmes, "PKH", pkh_period, end);
    if (bpnt) AppendProgramme(p.programmes, "BPNT", bpnt_period, end);
    if (pbi) AppendProgramme(p.programmes, "PBI-JK", pbi_period, end);
    if (blt) AppendProgramme(p.programmes, "BLT-DD", blt_period, end);
    // PIP: school-age children (6-21) of poorer families.
    if (ranked && desil <= 5 && age >= 6 && age <= 21 &&
        (p.relationship == Relationship::kChild || p.relationship == Relationship::kGrandchild) &&
        rng.Chance(0.5)) {
      Period pip;
      pip.from = snapshot_month_ - rng.Between(1, std::min(age - 5, 6) * 12);
      AppendProgramme(p.programmes, "PIP", pip, end);
    }
  }
}

}  // namespace satupintu::synth
