#!/usr/bin/env bash
# The two set-up commands of the README, for a fresh Debian 12 machine (as root, or with sudo):
#   tools/dev.sh serve   install what is missing, build, start the gateway on its embedded default
#   tools/dev.sh test    install what is missing, build (normal and ASan+UBSan), run every test
# Installing is idempotent and silent when everything is present. Every build compiles through
# ccache (cmake/Ccache.cmake), so a second clone of a commit this machine built before rebuilds
# from the cache. At its end (also when a phase fails) the command prints the wall time of each
# phase, so every CI log shows where the time went.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc)}

# timed NAME COMMAND...: runs the command as one phase of the summary printed at exit.
PHASES=()
PHASE_NAME=""
PHASE_START=0
SCRIPT_START=$SECONDS
timed() {
  PHASE_NAME=$1
  PHASE_START=$SECONDS
  shift
  local before
  before=$(ccache_counts)
  "$@"
  PHASES+=("$(printf '%-26s %6d s%s' "$PHASE_NAME" $((SECONDS - PHASE_START)) \
    "$(ccache_delta "$before")")")
  PHASE_NAME=""
}
# ccache's cumulative hit and miss counters ("hits misses"), empty without ccache.
ccache_counts() {
  command -v ccache >/dev/null 2>&1 || return 0
  ccache --print-stats 2>/dev/null | awk '
    $1 == "direct_cache_hit" || $1 == "preprocessed_cache_hit" { hit += $2 }
    $1 == "cache_miss" { miss += $2 }
    END { print hit + 0, miss + 0 }'
}
ccache_delta() {
  local before=$1 after
  [ -n "$before" ] || return 0
  after=$(ccache_counts)
  read -r h0 m0 <<<"$before"
  read -r h1 m1 <<<"$after"
  [ $((h1 - h0 + m1 - m0)) -gt 0 ] || return 0
  printf '   (ccache: %d hits, %d compiled)' $((h1 - h0)) $((m1 - m0))
}
print_phases() {
  local status=$?
  [ ${#PHASES[@]} -gt 0 ] || [ -n "$PHASE_NAME" ] || return 0
  {
    echo "tools/dev.sh: wall time per phase"
    local line
    for line in "${PHASES[@]}"; do echo "  $line"; done
    if [ -n "$PHASE_NAME" ]; then
      printf '  %-26s %6d s   (failed, status %d)\n' "$PHASE_NAME" $((SECONDS - PHASE_START)) "$status"
    fi
    printf '  %-26s %6d s\n' "total" $((SECONDS - SCRIPT_START))
  } >&2
}
trap print_phases EXIT

# Build and runtime dependencies: Debian packages only.
BUILD_PACKAGES=(build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libboost1.81-dev libssl-dev openssl nlohmann-json3-dev libsqlite3-dev libicu-dev)
# What the tests add: GoogleTest, and the real peers the integration tests start themselves.
TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev sqlite3 curl gammu-smsd libdbd-sqlite3
  kannel kannel-extras chromium)

install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "tools/dev.sh: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Installing kannel and gammu-smsd starts their services (Debian's /etc/init.d/kannel runs
# bearerbox and wapbox on Kannel's default ports; gammu-smsd.service looks for a modem). The
# tests start their own peers, on free loopback ports: the services the packages started are
# stopped and disabled, once, when this script has just installed them (an operator's own
# Kannel on a machine that had it before is left alone).
PEER_SERVICES=(kannel gammu-smsd)
peers_missing() {
  local p
  for p in "${PEER_SERVICES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}
disable_peer_services() {
  local unit sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  for unit in "$@"; do
    if [ -d /run/systemd/system ]; then
      $sudo systemctl disable --now "$unit.service" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$unit" ]; then
      $sudo "/etc/init.d/$unit" stop >/dev/null 2>&1 || true
      $sudo update-rc.d "$unit" disable >/dev/null 2>&1 || true
    fi
    echo "tools/dev.sh: stopped and disabled the $unit service the package started" >&2
  done
}
install_test_packages() {
  local fresh
  fresh=$(peers_missing)
  install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
  # shellcheck disable=SC2086 # one word per package
  [ -z "$fresh" ] || disable_peer_services $fresh
}

# The official region tree: npm package idn-area-data, the version pinned in
# deploy/regions/package-lock.json, into deploy/regions/node_modules/ (ODbL data, see README).
install_regions() {
  [ -f deploy/regions/node_modules/idn-area-data/data/villages.csv ] && return 0
  # Debian's npm, unless an npm is already there (a NodeSource nodejs bundles its own and
  # conflicts with Debian's npm package).
  command -v npm >/dev/null 2>&1 || install_missing npm
  echo "tools/dev.sh: installing the region tree (npm idn-area-data)" >&2
  npm ci --prefix deploy/regions --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
}

# The browser test's driver: npm playwright-core, the version pinned in
# tests/browser/package-lock.json (it drives Debian's chromium package; no browser download).
install_browser_driver() {
  [ -f tests/browser/node_modules/playwright-core/package.json ] && return 0
  command -v npm >/dev/null 2>&1 || install_missing npm
  echo "tools/dev.sh: installing the browser driver (npm playwright-core)" >&2
  npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
}

install_npm() {
  install_regions
  install_browser_driver
}

# configure_and_build DIR [cmake options...]
configure_and_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  fi
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  serve)
    shift
    timed "install" install_missing "${BUILD_PACKAGES[@]}"
    timed "install regions (npm)" install_regions
    timed "build (serve)" configure_and_build build -DSATUPINTU_BUILD_TESTS=OFF \
      -DSATUPINTU_BUILD_BENCH=OFF
    print_phases
    trap - EXIT
    # Embedded default: SQLite under ./var/, HTTPS on 127.0.0.1:8443 (self-signed certificate
    # made on first start), HTTP on 127.0.0.1:8080 with /healthz, /readyz, /metrics.
    exec build/gateway/satupintu serve "$@"
    ;;
  test)
    timed "install (apt)" install_test_packages
    timed "install (npm)" install_npm
    timed "build (normal)" configure_and_build build-test
    timed "test (normal)" ctest --test-dir build-test --output-on-failure -j "$JOBS"
    # The same tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
    timed "build (asan+ubsan)" configure_and_build build-asan -DSATUPINTU_SANITIZE=ON \
      -DSATUPINTU_BUILD_BENCH=OFF
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      timed "test (asan+ubsan)" ctest --test-dir build-asan --output-on-failure -j "$JOBS"
    echo "tools/dev.sh: all tests passed (normal and sanitizer builds)"
    ;;
  *)
    echo "usage: tools/dev.sh serve [satupintu serve options] | tools/dev.sh test" >&2
    exit 2
    ;;
esac
