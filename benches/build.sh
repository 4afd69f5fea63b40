#!/usr/bin/env bash
# Benchmark: build a synthetic catalog of N entries (default 10,000) and report wall time and
# peak memory, for a cold build (empty output) and warm rebuilds (output and staging present).
#
#   benches/build.sh [ENTRIES] [RUNS]
#
# Uses benches/gen_corpus.py to write the catalog. If `hugo` or `zola` is on PATH, the
# same catalog in their form is built too, for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
entries=${1:-10000}
runs=${2:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gen=benches/gen_corpus.py

python3 "$gen" --entries "$entries" --out "$work/catalog" >/dev/null
cargo build --release --quiet
bin=target/release/medatlas

# One timed run: prints "seconds max-rss-KiB".
timed() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "medatlas: $entries entries, $(nproc) cores"
rm -rf "$work/catalog/public" "$work/catalog/.public.medatlas-next"
sync
read -r cold rss < <(timed "$bin" --root "$work/catalog" build)
echo "  cold build (empty output):     ${cold} s, peak RSS $((rss / 1024)) MiB"
times=()
for _ in $(seq "$runs"); do
  read -r t rss < <(timed "$bin" --root "$work/catalog" build)
  times+=("$t")
done
echo "  warm rebuild, median of $runs:    $(printf '%s\n' "${times[@]}" | median) s (runs: ${times[*]}), peak RSS $((rss / 1024)) MiB"
"$bin" --root "$work/catalog" build -v 2>&1 | sed -n '1,7p' | sed 's/^/    /'

for tool in hugo zola; do
  command -v "$tool" >/dev/null || continue
  python3 "$gen" --entries "$entries" --out "$work/$tool" --form "$tool" >/dev/null
  case $tool in
    hugo) cmd=(hugo --source "$work/hugo" --quiet) ;;
    zola) cmd=(zola --root "$work/zola" build --force) ;;
  esac
  read -r t rss < <(timed "${cmd[@]}")
  echo "$tool: ${t} s, peak RSS $((rss / 1024)) MiB"
done
