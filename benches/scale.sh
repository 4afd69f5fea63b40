#!/usr/bin/env bash
# Benchmark at scale: medatlas against Hugo on the same synthetic catalog, at several sizes.
#
#   benches/scale.sh [SIZES] [RUNS]        e.g. benches/scale.sh "1000 10000 100000" 5
#
# For each size (default "1000 10000"), benches/gen_corpus.py writes the catalog in medatlas's
# form and in Hugo's (`--form hugo`); the output goes to tmpfs (/dev/shm) unless OUT_DIR names
# another place. Each run alternates the tools, so that both see the same machine state:
#   - medatlas cold build (output removed first), medatlas rebuild with nothing changed (the
#     output's manifest is current), medatlas build after one entry changed, medatlas `check`,
#     Hugo build (output removed first), and `cp -r` of medatlas's output beside it (the
#     machine's floor for writing that tree);
#   - then, once per size, `medatlas serve` on the same catalog with one entry edited 5 times
#     (benches/serve-rebuild.sh): the median time from file event to reload (SERVE=0 skips it);
# and the script prints, per size, the medians of RUNS runs (wall seconds and peak resident
# memory), the output's size and file count, the largest files, and the ratios of medatlas's
# cold build to Hugo's and to `cp -r`. Hugo is Debian's `hugo` package (`apt-get install hugo`); without it the
# Hugo columns stay empty. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-"1000 10000"}
runs=${2:-5}
out_root=${OUT_DIR:-/dev/shm}
work=$(mktemp -d)
trap 'rm -rf "$work" "$out_root"/medatlas-scale-*' EXIT
gen=benches/gen_corpus.py

cargo build --release --quiet
bin=$PWD/target/release/medatlas

# One timed run of a command: prints "seconds max-rss-KiB".
timed() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); else print "-"}'; }
mib() { awk '{printf "%d", $1 / 1024}'; }

echo "$(nproc) cores; output under $out_root; medians of $runs runs"
printf '%-8s %-18s %-18s %-18s %-18s %-18s %-8s %-10s %-8s %s\n' entries "medatlas cold" "rebuild, same" "rebuild, 1 edit" "check" "hugo" "cp -r" "cold/hugo" "cold/cp" "output"
for n in $sizes; do
  python3 "$gen" --entries "$n" --out "$work/m$n" >/dev/null
  have_hugo=false
  if command -v hugo >/dev/null; then
    python3 "$gen" --entries "$n" --out "$work/h$n" --form hugo >/dev/null
    have_hugo=true
  fi
  out="$out_root/medatlas-scale-$n"
  hugo_out="$out_root/medatlas-scale-hugo-$n"
  : >"$work/cold" >"$work/cold.rss" >"$work/re" >"$work/re.rss" >"$work/edit" >"$work/edit.rss" >"$work/check" >"$work/check.rss" >"$work/hugo" >"$work/hugo.rss" >"$work/cp"
  edited=$(find "$work/m$n/content/datasets" -name '*.md' -print -quit)
  for _ in $(seq "$runs"); do
    rm -rf "$out" "$out.medatlas-next" "$(dirname "$out")/.$(basename "$out").medatlas-next"
    read -r t r < <(timed "$bin" --root "$work/m$n" build --output "$out")
    echo "$t" >>"$work/cold"; echo "$r" >>"$work/cold.rss"
    read -r t r < <(timed "$bin" --root "$work/m$n" build --output "$out")
    echo "$t" >>"$work/re"; echo "$r" >>"$work/re.rss"
    echo "Edited for the benchmark." >>"$edited"
    read -r t r < <(timed "$bin" --root "$work/m$n" build --output "$out")
    echo "$t" >>"$work/edit"; echo "$r" >>"$work/edit.rss"
    rm -rf "$out.copy"
    read -r t _ < <(timed cp -r "$out" "$out.copy")
    echo "$t" >>"$work/cp"; rm -rf "$out.copy"
    read -r t r < <(timed "$bin" --root "$work/m$n" check)
    echo "$t" >>"$work/check"; echo "$r" >>"$work/check.rss"
    if $have_hugo; then
      rm -rf "$hugo_out"
      read -r t r < <(timed hugo --source "$work/h$n" --destination "$hugo_out" --quiet)
      echo "$t" >>"$work/hugo"; echo "$r" >>"$work/hugo.rss"
    fi
  done
  cold=$(median <"$work/cold"); re=$(median <"$work/re"); edit=$(median <"$work/edit")
  check=$(median <"$work/check"); hugo=$(median <"$work/hugo"); cp=$(median <"$work/cp")
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b == "-" || b == 0) print "-"; else printf "%.2f", a / b}'; }
  size=$(du -sm "$out" | cut -f1); files=$(find "$out" -type f | wc -l)
  printf '%-8s %-18s %-18s %-18s %-18s %-18s %-8s %-10s %-8s %s\n' "$n" \
    "$cold s, $(median <"$work/cold.rss" | mib) MiB" \
    "$re s, $(median <"$work/re.rss" | mib) MiB" \
    "$edit s, $(median <"$work/edit.rss" | mib) MiB" \
    "$check s, $(median <"$work/check.rss" | mib) MiB" \
    "$hugo s, $(median <"$work/hugo.rss" | mib) MiB" \
    "$cp s" "$(ratio "$cold" "$hugo")" "$(ratio "$cold" "$cp")" "$size MB in $files files"
  if [ "${SERVE:-1}" != 0 ]; then
    echo "  serve, one entry edited: median $(benches/serve-rebuild.sh "$n" 5 | sed -n 's/^  median: //p')"
  fi
  echo "  largest files:"
  find "$out" -type f -printf '%s %P\n' | sort -rn | awk 'NR <= 4' | awk '{printf "    %.1f MB %s\n", $1 / 1e6, $2}'
done
