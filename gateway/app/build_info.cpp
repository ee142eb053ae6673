#include "app/build_info.hpp"

#ifndef SATUPINTU_VERSION
#define SATUPINTU_VERSION "dev"
#endif
#ifndef SATUPINTU_GIT_COMMIT
#define SATUPINTU_GIT_COMMIT "unknown"
#endif

namespace satupintu::app {

const char* BuildVersion() { return SATUPINTU_VERSION; }
const char* BuildCommit() { return SATUPINTU_GIT_COMMIT; }

}  // namespace satupintu::app
