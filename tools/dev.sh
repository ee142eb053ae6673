#!/usr/bin/env bash
# The two set-up commands of the README, for a fresh Debian 12 machine (as root, or with sudo):
#   tools/dev.sh serve   install what is missing, build, start the gateway on its embedded default
#   tools/dev.sh test    install what is missing, build (normal and ASan+UBSan), run every test
# Installing is idempotent and silent when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc)}

# Build and runtime dependencies: Debian packages only.
BUILD_PACKAGES=(build-essential cmake ninja-build pkg-config git ca-certificates
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
    install_missing "${BUILD_PACKAGES[@]}"
    install_regions
    configure_and_build build -DSATUPINTU_BUILD_TESTS=OFF -DSATUPINTU_BUILD_BENCH=OFF
    # Embedded default: SQLite under ./var/, HTTPS on 127.0.0.1:8443 (self-signed certificate
    # made on first start), HTTP on 127.0.0.1:8080 with /healthz, /readyz, /metrics.
    exec build/gateway/satupintu serve "$@"
    ;;
  test)
    install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_regions
    install_browser_driver
    configure_and_build build-test
    ctest --test-dir build-test --output-on-failure -j "$JOBS"
    # The same tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
    configure_and_build build-asan -DSATUPINTU_SANITIZE=ON -DSATUPINTU_BUILD_BENCH=OFF
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --test-dir build-asan --output-on-failure -j "$JOBS"
    echo "tools/dev.sh: all tests passed (normal and sanitizer builds)"
    ;;
  *)
    echo "usage: tools/dev.sh serve [satupintu serve options] | tools/dev.sh test" >&2
    exit 2
    ;;
esac
