#include "paths/paths.hpp"

#include <cstdlib>

namespace satupintu::testing {

const std::string& SourceDir() {
  static const std::string dir = SATUPINTU_SOURCE_DIR;
  return dir;
}

std::string SourcePath(std::string_view relative) {
  return SourceDir() + "/" + std::string(relative);
}

const std::string& SatupintuBinary() {
  static const std::string path = [] {
    const char* chosen = std::getenv("SATUPINTU_BINARY");
    return chosen != nullptr && *chosen != '\0' ? std::string(chosen) : std::string(SATUPINTU_BIN);
  }();
  return path;
}

const std::string& SynthBinary() {
  static const std::string path = SATUPINTU_SYNTH_BIN;
  return path;
}

const std::string& RegionsDataDir() {
  static const std::string dir = SATUPINTU_REGIONS_DATA_DIR;
  return dir;
}

}  // namespace satupintu::testing
