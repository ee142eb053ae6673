#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz with Clang, ASan and UBSan.
#   tools/fuzz.sh                       every target, 60 s each
#   tools/fuzz.sh csv_reader_fuzz 300   one target for 300 s
# Configures build-fuzz/ (Clang, -DSATUPINTU_FUZZ=ON) and builds only the fuzz targets.
# New inputs go to build-fuzz/corpus/<target>/ (the seed corpus in tests/fuzz/corpus/ is read,
# never written); a crash or failed invariant leaves build-fuzz/artifacts/<target>/crash-*,
# which the target replays when given the file:
#   build-fuzz/tests/fuzz/<target> build-fuzz/artifacts/<target>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(csv_reader_fuzz nik_fuzz)
if [ $# -ge 1 ] && [ "$1" != "all" ]; then
  targets=("$1")
fi
seconds=${2:-60}

if ! command -v clang++ >/dev/null; then
  echo "tools/fuzz.sh: installing clang" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y clang; else sudo apt-get install -y clang; fi
fi

cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSATUPINTU_FUZZ=ON -DSATUPINTU_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j1 --target "${targets[@]}"

status=0
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
  echo "tools/fuzz.sh: $target for ${seconds}s" >&2
  "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target/" \
    "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" || status=$?
done
exit "$status"
