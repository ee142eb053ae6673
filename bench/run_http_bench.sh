#!/usr/bin/env bash
# HTTP baselines of the Foundation issue, in one run: wrk against (a) the bare Beast baseline,
# (b) the durable group-commit baseline, (c) satupintu when its binary exists; then one table.
#
# Environment (all optional):
#   DURATION        wrk duration, e.g. 15s, 1m                    (default 15s)
#   CONNECTIONS     wrk connections                               (default 64)
#   WRK_THREADS     wrk threads                                   (default 2)
#   SERVER_THREADS  io threads of the baseline server             (default 2)
#   BASELINE_BIN    bench_baseline_server       (default build/bench/bench_baseline_server)
#   SATUPINTU_BIN   satupintu executable        (default build/gateway/satupintu)
#   BENCH_TMP_PARENT where the scratch dir (SQLite files) goes; keep it on the repo's
#                   filesystem so fsync costs what it will cost in production (default bench/)
#   KEEP_TMP=1      keep the scratch dir (databases, server logs) for inspection
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly REPO_ROOT
readonly DURATION="${DURATION:-15s}"
readonly CONNECTIONS="${CONNECTIONS:-64}"
readonly WRK_THREADS="${WRK_THREADS:-2}"
readonly SERVER_THREADS="${SERVER_THREADS:-2}"
readonly BASELINE_BIN="${BASELINE_BIN:-${REPO_ROOT}/build/bench/bench_baseline_server}"
readonly SATUPINTU_BIN="${SATUPINTU_BIN:-${REPO_ROOT}/build/gateway/satupintu}"
readonly JOURNAL_PATH="/diag/journal/telegram"
readonly WRK_SCRIPT="${SCRIPT_DIR}/wrk_journal.lua"
readonly START_TIMEOUT_S=20
readonly STOP_TIMEOUT_S=15

TMP_DIR="$(mktemp -d "${BENCH_TMP_PARENT:-${SCRIPT_DIR}}/.run.XXXXXX")"
readonly TMP_DIR
SERVER_PID=""
WRK_PID=""

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run_http_bench: %s\n' "$*" >&2; exit 1; }

cleanup() {
  if [[ -n "${WRK_PID}" ]]; then kill -TERM "${WRK_PID}" 2>/dev/null || true; fi
  if [[ -n "${SERVER_PID}" ]] && kill -0 "${SERVER_PID}" 2>/dev/null; then
    kill -KILL "${SERVER_PID}" 2>/dev/null || true
    wait "${SERVER_PID}" 2>/dev/null || true
  fi
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then
    log "kept ${TMP_DIR}"
  else
    rm -rf -- "${TMP_DIR}"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# "15s", "2m", "1h" or bare seconds -> seconds; bounds the wrk timeout.
duration_seconds() {
  local value="$1" number unit
  number="${value%%[smh]}"
  unit="${value#"${number}"}"
  [[ "${number}" =~ ^[0-9]+$ ]] || die "DURATION must look like 15s, 2m or 1h: ${value}"
  case "${unit}" in
    "" | s) echo "${number}" ;;
    m) echo $((number * 60)) ;;
    h) echo $((number * 3600)) ;;
  esac
}

now_ms() { date +%s%3N; }

# Waits until the server writes its port, or fails if it dies or takes too long.
wait_for_file_match() {
  local file="$1" pattern="$2" deadline=$(($(now_ms) + START_TIMEOUT_S * 1000))
  until [[ -s "${file}" ]] && grep -qE "${pattern}" "${file}"; do
    kill -0 "${SERVER_PID}" 2>/dev/null || die "server exited before start-up; see ${TMP_DIR}"
    (($(now_ms) < deadline)) || die "no match for ${pattern} in ${file} after ${START_TIMEOUT_S}s"
    sleep 0.05
  done
}

idle_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Prints the HTTP status of GET url, or 000; curl if present, else bash's /dev/tcp.
http_status() {
  local port="$1" path="$2"
  if command -v curl >/dev/null; then
    curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:${port}${path}" || true
    return
  fi
  local line=""
  if exec 3<>"/dev/tcp/127.0.0.1/${port}" 2>/dev/null; then
    printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${path}" >&3
    read -r -t 1 line <&3 || true
    exec 3<&- 3>&-
  fi
  local status="${line#HTTP/1.? }"
  status="${status:0:3}"
  [[ "${status}" =~ ^[0-9]{3}$ ]] && echo "${status}" || echo 000
}

stop_server() {
  [[ -n "${SERVER_PID}" ]] || return 0
  kill -TERM "${SERVER_PID}" 2>/dev/null || true
  local deadline=$(($(now_ms) + STOP_TIMEOUT_S * 1000))
  while kill -0 "${SERVER_PID}" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.05; done
  if kill -0 "${SERVER_PID}" 2>/dev/null; then
    log "pid ${SERVER_PID} ignored SIGTERM for ${STOP_TIMEOUT_S}s; killing"
    kill -KILL "${SERVER_PID}" 2>/dev/null || true
  fi
  local rc=0
  wait "${SERVER_PID}" 2>/dev/null || rc=$?
  ((rc == 0)) || log "server exited with status ${rc}"
  SERVER_PID=""
}

# wrk prints latencies as 812.00us, 1.23ms, 2.01s or 1.50m; the table wants ms.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : -1
    if (f < 0) print "?"; else printf "%.2f", n * f }'
}

# Runs wrk against url, keeps its output in $TMP_DIR/<name>.wrk, fills RESULT_<field>.
run_wrk() {
  local name="$1" url="$2" out="${TMP_DIR}/$1.wrk"
  local bound=$(($(duration_seconds "${DURATION}") + 30))
  log "${name}: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION} ${url}"
  # In the background so that a signal to this script runs the trap now, not after wrk.
  timeout --kill-after=5 "${bound}" wrk -t"${WRK_THREADS}" -c"${CONNECTIONS}" -d"${DURATION}" \
    --latency --timeout 5s -s "${WRK_SCRIPT}" "${url}" >"${out}" 2>&1 &
  WRK_PID=$!
  local rc=0
  wait "${WRK_PID}" || rc=$?
  WRK_PID=""
  ((rc == 0)) || die "wrk failed for ${name} (status ${rc}): $(tail -n 3 "${out}")"
  sed 's/^/   /' "${out}" >&2
  RESULT_RPS="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "${out}")"
  RESULT_P50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "${out}")")"
  RESULT_P99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "${out}")")"
  RESULT_NON2XX="$(sed -n 's/^non_2xx=//p' "${out}")"
  RESULT_SOCKERR="$(awk '/Socket errors:/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "${out}")"
  RESULT_REQUESTS="$(awk '/requests in/ { print $1 }' "${out}")"
  : "${RESULT_RPS:=?}" "${RESULT_NON2XX:=?}" "${RESULT_SOCKERR:=0}" "${RESULT_REQUESTS:=0}"
}

ROWS=()
add_row() {  # name rss_kb ready_ms
  ROWS+=("$1|${RESULT_RPS}|${RESULT_P50}|${RESULT_P99}|${RESULT_NON2XX}|${RESULT_SOCKERR}|$2|$3")
  eval "RPS_$1=${RESULT_RPS}; P99_$1=${RESULT_P99}"
}

# Starts the baseline in the given mode, loads it, stops it.
bench_baseline() {
  local mode="$1" extra=()
  [[ "${mode}" == durable ]] && extra=(--db "${TMP_DIR}/durable.db")
  log "starting baseline --mode ${mode}"
  "${BASELINE_BIN}" --port 0 --threads "${SERVER_THREADS}" --mode "${mode}" "${extra[@]}" \
    >"${TMP_DIR}/${mode}.out" 2>"${TMP_DIR}/${mode}.err" &
  SERVER_PID=$!
  wait_for_file_match "${TMP_DIR}/${mode}.out" '^port=[0-9]+$'
  local port rss
  port="$(sed -n 's/^port=//p' "${TMP_DIR}/${mode}.out")"
  rss="$(idle_rss_kb "${SERVER_PID}")"
  run_wrk "${mode}" "http://127.0.0.1:${port}${JOURNAL_PATH}"
  stop_server
  sed 's/^/   server: /' "${TMP_DIR}/${mode}.err" >&2
  add_row "${mode}" "${rss}" "-"
  if [[ "${mode}" == durable ]]; then check_durable_rows; fi
}

# Every answered request must be a row; up to one per connection more is fine (committed, answer
# not yet read when wrk stopped); fewer would mean 200 before commit, more would mean lost answers.
check_durable_rows() {
  if ! command -v sqlite3 >/dev/null; then
    log "sqlite3 CLI missing; row count not checked"
    return
  fi
  local rows
  rows="$(sqlite3 "${TMP_DIR}/durable.db" 'SELECT count(*) FROM journal;')"
  log "durable: ${rows} rows for ${RESULT_REQUESTS} answered requests"
  ((rows >= RESULT_REQUESTS)) || log "WARNING: fewer rows than answered requests"
  ((rows <= RESULT_REQUESTS + CONNECTIONS)) || log "WARNING: more rows than requests sent"
}

# ---------------------------------------------------------------------------------------
# OWNER: finish this. satupintu's config format is still being written; everything the
# bench needs from it is below. Requirements: listen on 127.0.0.1 only, port 0 (or fixed)
# for both listeners, the journal database in $2 (the scratch dir, so fsync is measured on
# the repo's filesystem), /diag/journal/telegram enabled, no outbound network.
# ---------------------------------------------------------------------------------------
write_satupintu_config() {
  local config_file="$1" data_dir="$2"
  # Same shape as production: synchronous=FULL, access log on, the raw journal route enabled.
  cat >"${config_file}" <<EOF
{
  "public": {"address": "127.0.0.1", "port": 0},
  "tls": {"cert_file": "${data_dir}/cert.pem", "key_file": "${data_dir}/key.pem"},
  "private": {"address": "127.0.0.1", "port": 0},
  "http": {"threads": ${SERVER_THREADS}},
  "store": {"path": "${data_dir}/satupintu.db", "synchronous": "full"},
  "diagnostics": {"journal_route": true}
}
EOF
}

bench_satupintu() {
  if [[ ! -x "${SATUPINTU_BIN}" ]]; then
    log "satupintu: ${SATUPINTU_BIN} not found or not executable; skipping (set SATUPINTU_BIN)"
    return
  fi
  local config="${TMP_DIR}/satupintu.json" ports="${TMP_DIR}/satupintu.ports"
  mkdir -p "${TMP_DIR}/satupintu-data"
  write_satupintu_config "${config}" "${TMP_DIR}/satupintu-data"
  log "starting satupintu"
  local started
  started="$(now_ms)"
  "${SATUPINTU_BIN}" serve --config "${config}" --ports-file "${ports}" \
    >"${TMP_DIR}/satupintu.out" 2>"${TMP_DIR}/satupintu.err" &
  SERVER_PID=$!
  wait_for_file_match "${ports}" '"private"[[:space:]]*:[[:space:]]*[0-9]+'
  local port
  port="$(grep -oE '"private"[[:space:]]*:[[:space:]]*[0-9]+' "${ports}" | grep -oE '[0-9]+$')"
  local deadline=$((started + START_TIMEOUT_S * 1000))
  until [[ "$(http_status "${port}" /readyz)" == 200 ]]; do
    kill -0 "${SERVER_PID}" 2>/dev/null || die "satupintu exited; see ${TMP_DIR}/satupintu.err"
    (($(now_ms) < deadline)) || die "satupintu /readyz not 200 after ${START_TIMEOUT_S}s"
    sleep 0.02
  done
  local ready_ms=$(($(now_ms) - started)) rss
  rss="$(idle_rss_kb "${SERVER_PID}")"
  run_wrk satupintu "http://127.0.0.1:${port}${JOURNAL_PATH}"
  stop_server
  add_row satupintu "${rss}" "${ready_ms}"
}

ratio() {  # numerator denominator
  awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "-" }'
}

print_summary() {
  echo
  printf '%-10s %10s %9s %9s %8s %8s %9s %9s\n' \
    target req/s p50_ms p99_ms non2xx sockerr rss_kb ready_ms
  local row
  for row in "${ROWS[@]}"; do
    IFS='|' read -r -a f <<<"${row}"
    printf '%-10s %10s %9s %9s %8s %8s %9s %9s\n' "${f[@]}"
  done
  echo
  printf 'durable/bare       req/s %s   p99 %s\n' \
    "$(ratio "${RPS_durable:-}" "${RPS_bare:-}")" "$(ratio "${P99_durable:-}" "${P99_bare:-}")"
  printf 'satupintu/durable  req/s %s   p99 %s\n' \
    "$(ratio "${RPS_satupintu:-}" "${RPS_durable:-}")" \
    "$(ratio "${P99_satupintu:-}" "${P99_durable:-}")"
  printf '(wrk -t%s -c%s -d%s; baseline io threads %s; %s cores; wrk shares the machine)\n' \
    "${WRK_THREADS}" "${CONNECTIONS}" "${DURATION}" "${SERVER_THREADS}" "$(nproc)"
}

main() {
  command -v wrk >/dev/null || die "wrk not found"
  [[ -x "${BASELINE_BIN}" ]] || die "${BASELINE_BIN} missing; build it: cmake -S bench -B \
bench/.build && cmake --build bench/.build, then BASELINE_BIN=bench/.build/bench_baseline_server"
  duration_seconds "${DURATION}" >/dev/null
  bench_baseline bare
  bench_baseline durable
  bench_satupintu
  print_summary
}

main "$@"
