#pragma once
// What this binary was built from. Defined in build_info.cpp, the only translation unit that
// carries the version and commit, so a new commit recompiles one small file, not all of app/.

namespace satupintu::app {

const char* BuildVersion();  // the project version, "dev" when built outside CMake
const char* BuildCommit();   // the short git commit at configure time, or "unknown"

}  // namespace satupintu::app
