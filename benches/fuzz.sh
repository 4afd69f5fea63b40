#!/usr/bin/env bash
# Fuzz every target of fuzz/ for SECONDS each (default 120), one job at a time.
#
#   benches/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); installs cargo-fuzz if it is
# missing. Corpora start from the real catalog's entries and the test fixtures, and grow in
# fuzz/corpus/TARGET (not committed). A crash stops that target and leaves its input in
# fuzz/artifacts/TARGET; minimise it with
#   cargo +nightly fuzz tmin -s none -a TARGET fuzz/artifacts/TARGET/crash-...
# and keep it in tests/fixtures/fuzz/TARGET/, where `cargo test --test fuzz_regressions` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter entry check markdown build_site)

command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

# Seeds: every entry of the catalog and the fixtures, each also as a whole catalog (its
# fixture's other files after `>>> NAME` lines, the input format of fuzz/src/lib.rs), and the
# kept regression inputs.
seed() {
  local corpus=fuzz/corpus/$1
  mkdir -p "$corpus"
  for entry in content/datasets/*.md tests/fixtures/*/content/datasets/*.md \
    tests/fixtures/errors/*/content/datasets/*; do
    [ -f "$entry" ] && cp "$entry" "$corpus/seed-$(echo "$entry" | tr '/' '_')"
  done
  for fixture in tests/fixtures/*/ tests/fixtures/errors/*/; do
    [ -d "$fixture/content" ] || continue
    local packed="$corpus/seed-catalog-$(basename "$fixture")" first=1
    : >"$packed"
    for file in "$fixture"content/datasets/* "$fixture"content/*.toml; do
      [ -f "$file" ] || continue
      # The first entry is the input's own entry; every other file follows a `>>> NAME` line.
      [ "$first" = 1 ] || printf '\n>>> %s\n' "$(basename "$file")" >>"$packed"
      first=0
      cat "$file" >>"$packed"
    done
  done
  cp tests/fixtures/fuzz/"$1"/* "$corpus/" 2>/dev/null || true
}

# No sanitizer: the code is safe Rust, so panics (with debug assertions on, `-a`, integer
# overflow is one) are what the targets look for, at twice the speed of AddressSanitizer.
flags=(-s none -a)
(cd fuzz && cargo +nightly fuzz build "${flags[@]}")
mkdir -p fuzz/artifacts
status=0
for target in "${targets[@]}"; do
  seed "$target"
  log=fuzz/artifacts/$target.log
  echo "== $target: ${seconds} s (log: $log)"
  if (cd fuzz && cargo +nightly fuzz run "${flags[@]}" "$target" -- \
    -max_total_time="$seconds" -dict=medatlas.dict -max_len=65536 -timeout=30 \
    -rss_limit_mb=4096 -print_final_stats=1) >"$log" 2>&1; then
    grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::new_units_added)' "$log" || true
  else
    tail -n 40 "$log"
    echo "$target: crashed; its input is in fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit $status
