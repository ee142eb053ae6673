#pragma once
// The name lists (names_data.cpp).

#include <span>
#include <string_view>

namespace satupintu::synth::names {

using List = std::span<const std::string_view>;

struct Lists {
  List male;
  List female;
  List male_second;  // second and third words
  List female_second;
};

extern const Lists kJavanese, kSundanese, kBetawi, kMinang, kBugis, kAcehnese, kMalay;
extern const Lists kBatakChristian, kChinese, kPapuan, kEastChristian, kBalinese;
extern const Lists kModernMuslim, kModernChristian;
extern const List kBatakMarga, kBatakMuslimMarga, kChineseSurnames, kPapuanClans;
extern const List kNttSurnames, kMinahasaSurnames, kMalukuSurnames;

}  // namespace satupintu::synth::names
