#!/usr/bin/env bash
# Benchmark: `medatlas serve` on a synthetic catalog of N entries (default 10,000), one entry
# edited RUNS times (default 7, alternating between a text edit and a term edit). Prints each
# rebuild as serve logs it: the time from the (debounced) file event to the reload event being
# sent, the pages rendered and written, and each stage's time; then the median.
#
#   benches/serve-rebuild.sh [ENTRIES] [RUNS]
#
# Uses benches/gen_corpus.py (or $GEN_CORPUS) to write the catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-10000}
runs=${2:-7}
work=$(mktemp -d)
log="$work/serve.log"
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
gen=${GEN_CORPUS:-benches/gen_corpus.py}

python3 "$gen" --entries "$entries" --out "$work/catalog" >/dev/null
cargo build --release --quiet
bin=$PWD/target/release/medatlas

(cd "$work/catalog" && exec "$bin" serve --port 0 >/dev/null 2>"$log") &
pid=$!
# Wait for the first, whole build.
until grep -q "built the whole site" "$log" 2>/dev/null; do
    kill -0 "$pid" || { cat "$log"; exit 1; }
    sleep 0.2
done
echo "medatlas serve: $entries entries, $(nproc) cores"
grep "built the whole site" "$log" | sed 's/^/  first: /'

entry=$(find "$work/catalog/content/datasets" -name '*.md' | sort | sed -n "$((entries / 2))p")
original=$(cat "$entry")
for run in $(seq 1 "$runs"); do
    before=$(grep -c "^rebuilt" "$log" || true)
    if [ $((run % 2)) -eq 1 ]; then
        printf '%s\n\nEdited %s.\n' "$original" "$run" >"$entry"
    else
        # A term edit: the entry moves between term pages.
        sed 's/^modalities = .*/modalities = ["pet"]/' <<<"$original" >"$entry"
    fi
    until [ "$(grep -c "^rebuilt" "$log" || true)" -gt "$before" ]; do
        if grep -q "error" "$log"; then cat "$log"; exit 1; fi
        sleep 0.1
    done
    grep "^rebuilt" "$log" | tail -n 1 | sed 's/^/  /'
    sleep 0.5
done
echo -n "  median: "
grep "^rebuilt" "$log" | sed 's/.* in \([0-9]*\) ms.*/\1/' | sort -n |
    awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) " ms"}'
