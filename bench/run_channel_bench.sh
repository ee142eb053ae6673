#!/usr/bin/env bash
# Channels benchmarks, each figure REPEAT times (median and range):
#   outbound  - satupintu sends a backlog of MESSAGES to a fake Telegram Bot API with its limits
#               lifted; msg/s from the first to the last message the fake received, and every
#               message exactly once (bench_channels outbound)
#   rate      - a channel capped like WhatsApp (80/s) and like Telegram (30/s, 1/s per chat)
#               against a fake with the same limit, RATE_SECONDS with a backlog: achieved rate
#               and the 429s the fake answered (bench_channels rate)
#   inbound   - wrk posts signed WhatsApp envelopes of 1-10 text messages (unique wamids) to
#               /webhooks/whatsapp/wa on the TLS listener; messages stored per second against
#               the Foundation durable baseline in the same run (bench_baseline_server)
#
# Environment (all optional):
#   PARTS           which to run, comma-separated                (default outbound,rate,inbound)
#   REPEAT          runs per figure                                              (default 3)
#   BENCH_BIN       bench_channels            (default build/bench/bench_channels)
#   BASELINE_BIN    bench_baseline_server     (default build/bench/bench_baseline_server)
#   SATUPINTU_BIN   satupintu                 (default build/gateway/satupintu)
#   MESSAGES        outbound backlog                                         (default 50000)
#   MAX_IN_FLIGHT   outbound send.max_in_flight                                (default 128)
#   PEER_CONNECTIONS outbound.max_connections_per_host                          (default 64)
#   RATE_SECONDS    rate window                                                 (default 60)
#   RATE_CASES      rate runs as peer:burst, comma-separated; the cap is the peer's limit
#                   (80/s or 30/s) and the peer's own burst equals it
#                                  (default whatsapp:80,whatsapp:72,telegram:30,telegram:27)
#   DURATION        wrk duration for inbound                                   (default 10s)
#   CONNECTIONS     wrk connections                                             (default 64)
#   WRK_THREADS     wrk threads                                                  (default 2)
#   SERVER_THREADS  io threads (baseline and satupintu http.threads)             (default 2)
#   WA_REQUESTS     signed bodies generated per inbound run                  (default 80000)
#   INBOUND_MIXES   messages per envelope as min-max, one inbound figure each
#                   (default 1-10,1-1: Meta's batches, and one message per request as the
#                   baseline gets)
#   BENCH_TMP_PARENT where scratch dirs (SQLite files) go                    (default bench/)
#   KEEP_TMP=1      keep the scratch dirs
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
REPO_ROOT="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly REPO_ROOT
readonly PARTS="${PARTS:-outbound,rate,inbound}"
readonly REPEAT="${REPEAT:-3}"
readonly BENCH_BIN="${BENCH_BIN:-${REPO_ROOT}/build/bench/bench_channels}"
readonly BASELINE_BIN="${BASELINE_BIN:-${REPO_ROOT}/build/bench/bench_baseline_server}"
readonly SATUPINTU_BIN="${SATUPINTU_BIN:-${REPO_ROOT}/build/gateway/satupintu}"
readonly MESSAGES="${MESSAGES:-50000}"
readonly MAX_IN_FLIGHT="${MAX_IN_FLIGHT:-128}"
readonly PEER_CONNECTIONS="${PEER_CONNECTIONS:-64}"
readonly RATE_SECONDS="${RATE_SECONDS:-60}"
readonly RATE_CASES="${RATE_CASES:-whatsapp:80,whatsapp:72,telegram:30,telegram:27}"
readonly DURATION="${DURATION:-10s}"
readonly CONNECTIONS="${CONNECTIONS:-64}"
readonly WRK_THREADS="${WRK_THREADS:-2}"
readonly SERVER_THREADS="${SERVER_THREADS:-2}"
readonly WA_REQUESTS="${WA_REQUESTS:-80000}"
readonly INBOUND_MIXES="${INBOUND_MIXES:-1-10,1-1}"
readonly START_TIMEOUT_S=20
readonly STOP_TIMEOUT_S=20
readonly WA_SECRET="bench-app-secret-0123456789"

TMP_DIR="$(mktemp -d "${BENCH_TMP_PARENT:-${SCRIPT_DIR}}/.channels.XXXXXX")"
readonly TMP_DIR
SERVER_PID=""
CHILD_PID=""

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run_channel_bench: %s\n' "$*" >&2; exit 1; }

cleanup() {
  local pid
  for pid in "${CHILD_PID}" "${SERVER_PID}"; do
    if [[ -n "${pid}" ]] && kill -0 "${pid}" 2>/dev/null; then
      kill -KILL "${pid}" 2>/dev/null || true
      wait "${pid}" 2>/dev/null || true
    fi
  done
  if [[ "${KEEP_TMP:-0}" == 1 ]]; then log "kept ${TMP_DIR}"; else rm -rf -- "${TMP_DIR}"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { date +%s%3N; }
wants() { [[ ",${PARTS}," == *",$1,"* ]]; }

# "median (min-max)" of the numbers given.
summary() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s (%s-%s)", m, v[1], v[NR] }'
}

# value of key=<v> in a file of key=value words.
field() { grep -oE "(^|[[:space:]])$2=[^[:space:]]+" "$1" | tail -n 1 | sed 's/.*=//'; }

# Runs bench_channels in the background (so a signal reaches the trap now), output to $1.
run_bench() {
  local out="$1"
  shift
  "${BENCH_BIN}" "$@" >"${out}" 2>&1 &
  CHILD_PID=$!
  local rc=0
  wait "${CHILD_PID}" || rc=$?
  CHILD_PID=""
  sed 's/^/   /' "${out}" >&2
  return "${rc}"
}

SUMMARY=()

bench_outbound() {
  local rates=() spans=() run dir out
  for run in $(seq 1 "${REPEAT}"); do
    dir="${TMP_DIR}/outbound-${run}"
    out="${dir}.out"
    mkdir -p "${dir}"
    log "outbound ${run}/${REPEAT}: ${MESSAGES} messages, max_in_flight ${MAX_IN_FLIGHT}"
    run_bench "${out}" outbound --dir "${dir}" --satupintu "${SATUPINTU_BIN}" \
      --messages "${MESSAGES}" --max-in-flight "${MAX_IN_FLIGHT}" \
      --connections "${PEER_CONNECTIONS}" || die "outbound run ${run} failed; see ${out}"
    [[ "$(field "${out}" recipients_once)" == "${MESSAGES}" &&
      "$(field "${out}" requests)" == "${MESSAGES}" ]] ||
      log "WARNING: not every message arrived exactly once (run ${run})"
    rates+=("$(field "${out}" msg_per_s)")
    spans+=("$(field "${out}" first_to_last_s)")
    rm -rf -- "${dir}"
  done
  SUMMARY+=("outbound msg/s (${MESSAGES} to distinct recipients, limits lifted): $(summary "${rates[@]}")")
  SUMMARY+=("outbound first-to-last s: $(summary "${spans[@]}")")
}

bench_rate() {
  local case peer burst run dir out
  for case in ${RATE_CASES//,/ }; do
    peer="${case%%:*}"
    burst="${case#*:}"
    local achieved=() steady=() errors=() peer_429=()
    for run in $(seq 1 "${REPEAT}"); do
      dir="${TMP_DIR}/rate-${peer}-${burst}-${run}"
      out="${dir}.out"
      mkdir -p "${dir}"
      log "rate ${peer} burst ${burst} ${run}/${REPEAT}: ${RATE_SECONDS}s with a backlog"
      run_bench "${out}" rate --dir "${dir}" --satupintu "${SATUPINTU_BIN}" --peer "${peer}" \
        --seconds "${RATE_SECONDS}" --burst "${burst}" || die "rate run failed; see ${out}"
      achieved+=("$(field "${out}" achieved_per_s)")
      steady+=("$(field "${out}" steady_per_s)")
      errors+=("$(field "${out}" steady_error_pct)")
      peer_429+=("$(field "${out}" peer_429)")
      rm -rf -- "${dir}"
    done
    SUMMARY+=("rate ${peer} cap $(field "${out}" cap_per_s)/s, send.burst ${burst}: achieved over ${RATE_SECONDS}s $(summary "${achieved[@]}"), steady (from 2s) $(summary "${steady[@]}"), error % $(summary "${errors[@]}"), 429s from the peer $(summary "${peer_429[@]}")")
  done
}

wait_for_match() {  # file pattern
  local deadline=$(($(now_ms) + START_TIMEOUT_S * 1000))
  until [[ -s "$1" ]] && grep -qE "$2" "$1"; do
    kill -0 "${SERVER_PID}" 2>/dev/null || die "server exited before start-up; see $1"
    (($(now_ms) < deadline)) || die "no match for $2 in $1 after ${START_TIMEOUT_S}s"
    sleep 0.05
  done
}

stop_server() {
  [[ -n "${SERVER_PID}" ]] || return 0
  kill -TERM "${SERVER_PID}" 2>/dev/null || true
  local deadline=$(($(now_ms) + STOP_TIMEOUT_S * 1000))
  while kill -0 "${SERVER_PID}" 2>/dev/null && (($(now_ms) < deadline)); do sleep 0.05; done
  kill -KILL "${SERVER_PID}" 2>/dev/null || true
  wait "${SERVER_PID}" 2>/dev/null || true
  SERVER_PID=""
}

# wrk against $2 with script $3 (and its arguments); output to $1; sets WRK_RPS, WRK_SECONDS.
run_wrk() {
  local out="$1" url="$2" script="$3"
  shift 3
  local seconds="${DURATION%s}"
  timeout --kill-after=5 $((seconds + 30)) wrk -t"${WRK_THREADS}" -c"${CONNECTIONS}" \
    -d"${DURATION}" --latency --timeout 5s -s "${script}" "${url}" -- "$@" >"${out}" 2>&1 &
  CHILD_PID=$!
  local rc=0
  wait "${CHILD_PID}" || rc=$?
  CHILD_PID=""
  ((rc == 0)) || die "wrk failed (status ${rc}): $(tail -n 3 "${out}")"
  sed 's/^/   /' "${out}" >&2
  WRK_RPS="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "${out}")"
  WRK_SECONDS="$(awk '/requests in/ { v = $4; sub(/s,?$/, "", v); print v }' "${out}")"
}

durable_baseline() {  # dir -> BASE_RPS
  local dir="$1"
  "${BASELINE_BIN}" --port 0 --threads "${SERVER_THREADS}" --mode durable --db "${dir}/durable.db" \
    >"${dir}/durable.out" 2>"${dir}/durable.err" &
  SERVER_PID=$!
  wait_for_match "${dir}/durable.out" '^port=[0-9]+$'
  local port
  port="$(sed -n 's/^port=//p' "${dir}/durable.out")"
  log "durable baseline: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION}"
  run_wrk "${dir}/durable.wrk" "http://127.0.0.1:${port}/diag/journal/telegram" \
    "${SCRIPT_DIR}/wrk_journal.lua"
  stop_server
  local rows
  rows="$(sqlite3 "${dir}/durable.db" 'SELECT count(*) FROM journal;')"
  BASE_RPS="$(awk -v r="${rows}" -v s="${WRK_SECONDS}" 'BEGIN { printf "%.0f", r / s }')"
  log "durable: ${rows} rows in ${WRK_SECONDS}s = ${BASE_RPS}/s (wrk ${WRK_RPS} req/s)"
}

satupintu_inbound() {  # dir -> GW_MSGS, GW_RPS, GW_WRAPPED, GW_NON2XX
  local dir="$1" data="$1/gw"
  mkdir -p "${data}"
  cat >"${data}/satupintu.json" <<EOF
{
  "public": {"address": "127.0.0.1", "port": 0},
  "tls": {"cert_file": "${data}/cert.pem", "key_file": "${data}/key.pem"},
  "private": {"address": "127.0.0.1", "port": 0},
  "http": {"threads": ${SERVER_THREADS}},
  "store": {"path": "${data}/satupintu.db", "synchronous": "full"},
  "locales": {"dir": "${REPO_ROOT}/locales"},
  "tickets": {"holidays_file": "${REPO_ROOT}/deploy/holidays/holidays-id.json"},
  "web": {"dir": "${REPO_ROOT}/web/ui", "locales_dir": "${REPO_ROOT}/locales/ui"},
  "channels": {"whatsapp": [{"name": "wa", "phone_number_id": "106540352242922",
    "base_url": "http://127.0.0.1:9",
    "access_token": {"env": "BENCH_WA_TOKEN"}, "app_secret": {"env": "BENCH_WA_SECRET"},
    "verify_token": {"env": "BENCH_WA_VERIFY"}}]}
}
EOF
  BENCH_WA_TOKEN=bench-token BENCH_WA_SECRET="${WA_SECRET}" BENCH_WA_VERIFY=bench-verify \
    "${SATUPINTU_BIN}" serve --config "${data}/satupintu.json" --ports-file "${data}/ports" \
    >"${data}/out.log" 2>"${data}/err.log" &
  SERVER_PID=$!
  wait_for_match "${data}/ports" '"public"[[:space:]]*:[[:space:]]*[0-9]+'
  local port
  port="$(grep -oE '"public"[[:space:]]*:[[:space:]]*[0-9]+' "${data}/ports" | grep -oE '[0-9]+$')"
  log "satupintu: wrk -t${WRK_THREADS} -c${CONNECTIONS} -d${DURATION} https://…/webhooks/whatsapp/wa"
  run_wrk "${dir}/gw.wrk" "https://127.0.0.1:${port}" "${SCRIPT_DIR}/wrk_whatsapp.lua" \
    /webhooks/whatsapp/wa "${dir}/bodies"
  stop_server
  local rows
  rows="$(sqlite3 "${data}/satupintu.db" "SELECT count(*) FROM inbound_journal WHERE channel = 'whatsapp:wa';")"
  GW_MSGS="$(awk -v r="${rows}" -v s="${WRK_SECONDS}" 'BEGIN { printf "%.0f", r / s }')"
  GW_RPS="${WRK_RPS}"
  GW_WRAPPED="$(field "${dir}/gw.wrk" wrapped)"
  GW_NON2XX="$(field "${dir}/gw.wrk" non_2xx)"
  log "satupintu: ${rows} messages stored in ${WRK_SECONDS}s = ${GW_MSGS}/s (${GW_RPS} req/s)"
  ((GW_WRAPPED == 0)) || log "WARNING: wrk ran out of bodies (${GW_WRAPPED} repeats); raise WA_REQUESTS"
}

bench_inbound() {
  command -v wrk >/dev/null || die "wrk not found"
  command -v sqlite3 >/dev/null || die "sqlite3 CLI not found"
  [[ -x "${BASELINE_BIN}" ]] || die "${BASELINE_BIN} missing"
  local mix
  for mix in ${INBOUND_MIXES//,/ }; do bench_inbound_mix "${mix%-*}" "${mix#*-}"; done
}

bench_inbound_mix() {  # min max messages per envelope
  local WA_MIN="$1" WA_MAX="$2"
  local base=() gw=() gw_rps=() ratios=() run dir
  for run in $(seq 1 "${REPEAT}"); do
    dir="${TMP_DIR}/inbound-${WA_MIN}-${WA_MAX}-${run}"
    mkdir -p "${dir}"
    log "inbound ${run}/${REPEAT}: ${WA_REQUESTS} signed envelopes of ${WA_MIN}-${WA_MAX} messages"
    run_bench "${dir}/bodies.out" wa-bodies --out "${dir}/bodies.all" --requests "${WA_REQUESTS}" \
      --min "${WA_MIN}" --max "${WA_MAX}" --run-id "$(now_ms)" --secret "${WA_SECRET}" ||
      die "wa-bodies failed"
    awk -v n="${WRK_THREADS}" -v p="${dir}/bodies" '{ print > (p "." ((NR - 1) % n)) }' \
      "${dir}/bodies.all"
    rm -f -- "${dir}/bodies.all"
    durable_baseline "${dir}"
    satupintu_inbound "${dir}"
    base+=("${BASE_RPS}")
    gw+=("${GW_MSGS}")
    gw_rps+=("${GW_RPS}")
    ratios+=("$(awk -v a="${GW_MSGS}" -v b="${BASE_RPS}" 'BEGIN { printf "%.3f", a / b }')")
    [[ "${GW_NON2XX}" == 0 ]] || log "WARNING: ${GW_NON2XX} non-2xx answers from satupintu"
    [[ "${KEEP_TMP:-0}" == 1 ]] || rm -rf -- "${dir}"
  done
  local what="inbound ${WA_MIN}-${WA_MAX} msg/envelope:"
  SUMMARY+=("${what} durable baseline rows/s (1 message/request, plain HTTP): $(summary "${base[@]}")")
  SUMMARY+=("${what} satupintu messages stored/s (TLS, signed): $(summary "${gw[@]}")")
  SUMMARY+=("${what} satupintu requests/s: $(summary "${gw_rps[@]}")")
  SUMMARY+=("${what} ratio satupintu/durable messages/s (same run): $(summary "${ratios[@]}")")
}

main() {
  [[ -x "${BENCH_BIN}" ]] || die "${BENCH_BIN} missing; build the bench_channels target"
  [[ -x "${SATUPINTU_BIN}" ]] || die "${SATUPINTU_BIN} missing; build the satupintu target"
  if wants outbound; then bench_outbound; fi
  if wants rate; then bench_rate; fi
  if wants inbound; then bench_inbound; fi
  echo
  printf '%s\n' "${SUMMARY[@]}"
  printf '(%s runs per figure, median (min-max); %s cores shared by the gateway, the fake peer or wrk)\n' \
    "${REPEAT}" "$(nproc)"
}

main "$@"
