#!/usr/bin/env bash
# Quality gates: clang-format (must be clean) and clang-tidy over the project's own sources.
#   tools/lint.sh          check formatting and run clang-tidy
#   tools/lint.sh --fix    rewrite formatting in place first
#   tools/lint.sh --format check formatting only (seconds)
#
# The formatter decides what "clean" means, so the version is pinned: LLVM 14, what Debian 12
# ships as clang-format and clang-tidy. Missing ones are installed from Debian's packages the
# way tools/dev.sh installs everything else; another major version stops the script instead of
# reporting its own idea of the style.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly LLVM_MAJOR=14

missing=()
for tool in clang-format clang-tidy run-clang-tidy; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "tools/lint.sh: installing clang-format and clang-tidy (${missing[*]} missing)" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    clang-format clang-tidy >/dev/null
fi
for tool in clang-format clang-tidy; do
  version=$("$tool" --version | grep -oE 'version [0-9]+' | head -1 | cut -d' ' -f2)
  if [ "$version" != "$LLVM_MAJOR" ]; then
    echo "tools/lint.sh: $tool is version ${version:-unknown}, the project's style is checked" \
      "with $LLVM_MAJOR (Debian 12's clang-format and clang-tidy packages)" >&2
    exit 2
  fi
done

mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
fi
clang-format --dry-run -Werror "${files[@]}"
echo "tools/lint.sh: clang-format $LLVM_MAJOR: ${#files[@]} files formatted" >&2
[ "${1:-}" = "--format" ] && exit 0

# clang-tidy reads the compile commands of a build folder of its own, configured again each
# run (a second when nothing changed) so files added since are in them.
cmake -S . -B build-lint -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# bench/ is formatted but not tidied: its code is measured by hand, not shipped.
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '\.cpp$' | grep -v '^bench/' | grep -v 'asio_impl.cpp')
findings=$(run-clang-tidy -quiet -j "$(nproc)" -p build-lint "${sources[@]}" 2>/dev/null |
  sed 's/\x1b\[[0-9;]*m//g' | grep -E 'warning:|error:' | sort -u || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "tools/lint.sh: clang-tidy findings: $(echo "$findings" | wc -l)" >&2
  exit 1
fi
echo "tools/lint.sh: clean"
