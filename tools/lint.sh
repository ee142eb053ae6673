#!/usr/bin/env bash
# Quality gates: clang-format (must be clean) and clang-tidy over the project's own sources.
#   tools/lint.sh          check formatting and run clang-tidy
#   tools/lint.sh --fix    rewrite formatting in place first
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^bench/')
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
fi
clang-format --dry-run -Werror "${files[@]}"
if [ ! -f build/compile_commands.json ]; then
  cmake -S . -B build -G Ninja >/dev/null
fi
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep '\.cpp$' | grep -v 'asio_impl.cpp')
findings=$(run-clang-tidy -quiet -p build "${sources[@]}" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' |
  grep -E 'warning:|error:' | sort -u || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "tools/lint.sh: clang-tidy findings: $(echo "$findings" | wc -l)" >&2
  exit 1
fi
echo "tools/lint.sh: clean"
