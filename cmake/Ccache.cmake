# Compile through ccache when it is installed (tools/dev.sh installs it), so that a second
# build of the same sources - another build type's folder, CI's fresh clone of a commit this
# machine built before - takes objects from the cache instead of the compiler.
#
# Shared across clone folders: CCACHE_BASEDIR makes the paths under the source tree relative
# before hashing, and CCACHE_NOHASHDIR leaves the build folder out of the hash of -g objects
# (their DW_AT_comp_dir then names the folder that filled the cache). No absolute path may be
# put in a compile definition for the same reason: the tests' paths live in one small file
# (tests/paths/paths.cpp).
#
# -DSATUPINTU_CCACHE=OFF compiles without it; an explicit CMAKE_CXX_COMPILER_LAUNCHER wins.
option(SATUPINTU_CCACHE "Compile through ccache when it is found" ON)
if(SATUPINTU_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(SATUPINTU_CCACHE_PROGRAM ccache)
  if(SATUPINTU_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${PROJECT_SOURCE_DIR} CCACHE_NOHASHDIR=1
      ${SATUPINTU_CCACHE_PROGRAM})
    message(STATUS "satupintu: compiling through ${SATUPINTU_CCACHE_PROGRAM}")
  endif()
endif()
