#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz with Clang, ASan and UBSan.
#   tools/fuzz.sh                          every target, 60 s each
#   tools/fuzz.sh all 120                  every target, 120 s each
#   tools/fuzz.sh csv_reader_fuzz 300      one target for 300 s
#   tools/fuzz.sh kannel_fuzz 600 10000000 one target, until 10 M executions or 600 s
#   tools/fuzz.sh list                     the targets' names
# Configures build-fuzz/ (Clang, -DSATUPINTU_FUZZ=ON, every object built with
# -fsanitize=fuzzer-no-link,address,undefined) and builds only the fuzz targets, with at most
# FUZZ_JOBS (default 2) compile jobs. One fuzzer runs at a time.
# New inputs go to build-fuzz/corpus/<target>/ (the seed corpus in tests/fuzz/corpus/ is read,
# never written); a crash or failed invariant leaves build-fuzz/artifacts/<target>/crash-*,
# which the target replays when given the file:
#   build-fuzz/tests/fuzz/<target> build-fuzz/artifacts/<target>/crash-...
# A finding, once fixed, goes into tests/fuzz/corpus/<target>/ (the normal test run replays it).
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(
  csv_reader_fuzz nik_fuzz phone_fuzz sms_codec_fuzz whatsapp_envelope_fuzz telegram_update_fuzz
  send_classify_fuzz kannel_fuzz gammu_fuzz url_fuzz config_fuzz understand_fuzz
  dialog_state_fuzz dialog_loader_fuzz calendar_fuzz state_seal_fuzz sms_command_fuzz
  api_body_fuzz
)
if [ "${1:-all}" = "list" ]; then
  printf '%s\n' "${all_targets[@]}"
  exit 0
fi
targets=("${all_targets[@]}")
if [ $# -ge 1 ] && [ "$1" != "all" ]; then
  targets=("$1")
fi
seconds=${2:-60}
runs=${3:--1}

if ! command -v clang++ >/dev/null; then
  echo "tools/fuzz.sh: installing clang" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y clang; else sudo apt-get install -y clang; fi
fi

cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DSATUPINTU_FUZZ=ON -DSATUPINTU_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"${FUZZ_JOBS:-2}" --target "${targets[@]}"

status=0
for target in "${targets[@]}"; do
  # Whole configuration, dialog and holiday files are longer than a message.
  case "$target" in
    config_fuzz | dialog_loader_fuzz | calendar_fuzz) max_len=16384 ;;
    *) max_len=4096 ;;
  esac
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
  echo "tools/fuzz.sh: $target for ${seconds}s (runs ${runs})" >&2
  "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -runs="$runs" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target/" \
    "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" || status=$?
done
exit "$status"
