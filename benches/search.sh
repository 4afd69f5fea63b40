#!/usr/bin/env bash
# Benchmark: search as you type on the index page of a large catalog opened from disk
# (file://) in headless Chromium. Prints the size of the search index and the time from a
# keystroke to the painted result list.
#
#   benches/search.sh [ENTRIES]     (default 10000; needs chromium on PATH)
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_corpus.py --entries "$entries" --out "$work/catalog" >/dev/null
cargo run --release --quiet -- --root "$work/catalog" build
MEDATLAS_BENCH_SITE="$work/catalog/public" cargo test --release --quiet --test browser -- \
  --ignored --nocapture measure_search_as_you_type 2>&1 | grep -E "search benchmark|panicked|SKIPPED"
