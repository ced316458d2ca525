#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds Certdesk twice, with warnings as errors, and runs the whole test suite in each build:
# once as users get it, once under AddressSanitizer and UndefinedBehaviorSanitizer. The widget
# tests need a display; a private Xvfb server provides one. Then fuzzes the file loader for a
# minute (libFuzzer, clang).
set -euo pipefail
cd "$(dirname "$0")/.."

setup () {
  local dir=$1; shift
  if [ -d "$dir" ]; then
    meson setup --wipe "$dir" "$@"
  else
    meson setup "$dir" "$@"
  fi
}

run_suite () {
  local dir=$1
  meson compile -C "$dir"
  xvfb-run -a -s '-screen 0 1280x800x24' meson test -C "$dir" --print-errorlogs
}

setup _build/test -Dwerror=true -Dbuildtype=debugoptimized
run_suite _build/test

setup _build/sanitize -Dwerror=true -Dbuildtype=debug -Db_sanitize=address,undefined \
  -Db_lundef=false
run_suite _build/sanitize

FUZZ_SECONDS=${FUZZ_SECONDS:-60} build-aux/run-fuzz-smoke.sh
