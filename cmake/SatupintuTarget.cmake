# Shared compile settings for every satupintu target: the house warning set, -Werror,
# and the optional sanitizer build.
set(SATUPINTU_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
# GCC 12 at -O3 (Release) reports -Wrestrict inside libstdc++ on ordinary std::string code: a
# one-character literal assigned or inserted, `"x" + std::string&&` (GCC bugs 105329 and 105651,
# "accessing 9223372036854775810 or more bytes ... at offset -3"; fixed in GCC 13). Ten such
# lines in nine files broke the Release build. Off for exactly that compiler and that build
# type; every other warning, and this one everywhere else, stays an error.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND SATUPINTU_WARNINGS $<$<CONFIG:Release>:-Wno-restrict>)
endif()
# -O1 with line tables, in RelWithDebInfo only (an explicit build type keeps its flags): for
# code that checks rather than ships - the sanitizer build and test code (below).
set(SATUPINTU_CHECK_OPTIONS $<$<CONFIG:RelWithDebInfo>:-O1> $<$<CONFIG:RelWithDebInfo>:-g1>)
if(SATUPINTU_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
  # What the sanitizers' authors recommend (readable reports with file:line, tolerable speed),
  # and about half the compile time of -O2 -g.
  add_compile_options(${SATUPINTU_CHECK_OPTIONS})
endif()

function(satupintu_target target)
  target_compile_options(${target} PRIVATE ${SATUPINTU_WARNINGS})
endfunction()

# Test code (test executables, fakes, peers, fuzz replay drivers): the house warnings, compiled
# at -O1 with line tables in RelWithDebInfo. What the tests exercise, the gateway's libraries,
# keeps the build type's -O2 -g; test code only drives it, and at -O2 -g its gtest macros took
# half of the build's compile time. Line tables keep failures and backtraces readable.
function(satupintu_test_code target)
  satupintu_target(${target})
  target_compile_options(${target} PRIVATE ${SATUPINTU_CHECK_OPTIONS})
endfunction()

# A gateway library: one folder = one namespace = one target (a folder may hold a second
# target, e.g. locale/'s check). Its headers are reachable as "<folder>/x.hpp" only by targets
# that link it: the include path is a folder in the build tree holding one link, <folder> ->
# the source folder, instead of the whole gateway/ tree. A header included without linking
# its library fails to compile, so the dependency graph in CMake is the one the code uses.
function(satupintu_library target)
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  set(root ${PROJECT_BINARY_DIR}/include/${folder})
  if(NOT EXISTS ${root}/${folder})
    file(MAKE_DIRECTORY ${root})
    file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${folder} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root})
  satupintu_target(${target})
endfunction()
