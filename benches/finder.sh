#!/usr/bin/env bash
# Benchmark: the index page's finder on a large catalog opened from disk (file://) in headless
# Chromium. Types queries a key at a time, clicks facets and sorts by size, and prints for each
# keystroke the milliseconds from the input to the results shown (the search shards loaded in
# between included: window.medatlasFinder.lastLatencyMs), with the size of the core file.
#
#   benches/finder.sh [ENTRIES...]     (default 10000; e.g. `benches/finder.sh 10000 100000`;
#                                       needs chromium on PATH; the catalogs go to /dev/shm)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
for entries in "${@:-10000}"; do
  work=$(mktemp -d -p /dev/shm)
  trap 'rm -rf "$work"' EXIT
  python3 benches/gen_corpus.py --entries "$entries" --out "$work/catalog" >/dev/null
  target/release/medatlas --root "$work/catalog" build --output "$work/public" >/dev/null
  MEDATLAS_BENCH_SITE="$work/public" cargo test --release --quiet --test browser -- \
    --ignored --nocapture measure_search_as_you_type 2>&1 |
    grep -E "finder benchmark|^  |panicked|SKIPPED"
  rm -rf "$work"
done
