#!/usr/bin/env bash
# Benchmark: time and peak memory of `check` and `build` on hostile inputs of size n and 4n, and
# the ratio of the two times. A step that grows linearly shows a ratio near 4; a quadratic one
# near 16.
#
#   benches/scaling.sh [N]        (default N = 2000; the inputs scale with it)
#
# Each case writes one entry into a copy of tests/fixtures/base:
#   related      N unknown `related` slugs on one line (N diagnostics on one long line)
#   keys         N unknown keys, one per line (N diagnostics, N snippets)
#   long-line    one 100 * N character line with a diagnostic at each end
#   nested-html  N nested <div> elements in the body (over the depth limit: rejected)
#   nested-ok    N / 10 bodies each 90 levels deep (under the limit: sanitised and built)
#   labels       N labels in one class table (over the label limit when N > 1000: rejected)
#   labels-ok    N / 10 class tables of 500 labels each (under the limit: built)
#   array        one `aliases` array of 50 * N items (over the array limit: rejected)
#   array-ok     N / 10 arrays of 5,000 items each (under the limit: built)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=$PWD/target/release/medatlas

# Write the catalog for one case at size $2 into directory $3.
generate() {
    python3 - "$1" "$2" "$3" <<'PY'
import os, shutil, sys
case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
shutil.copytree("tests/fixtures/base", out)
datasets = os.path.join(out, "content", "datasets")
head = """+++
name = "Hostile {i}"
summary = "A hostile entry."
publisher = "Test"
homepage = "https://example.org/h"
modalities = ["x-ray"]
body_regions = ["chest"]
tasks = ["classification"]
access = "open"
"""
def table(labels):
    rows = "".join(f'"label {j}" = [1, 1]\n' for j in range(labels))
    return ("[[class_counts]]\ntitle = \"T\"\nsource = \"https://example.org/s\"\n"
            "splits = [\"a\", \"b\"]\nimages = [1000, 1000]\n[class_counts.labels]\n" + rows)
def write(name, text):
    with open(os.path.join(datasets, name + ".md"), "w") as f:
        f.write(text)
h = head.format(i=0)
if case == "related":
    slugs = ", ".join(f'"missing-{i}"' for i in range(n))
    write("hostile", h + f"related = [{slugs}]\n+++\n")
elif case == "keys":
    write("hostile", h + "".join(f"unknown_{i} = 1\n" for i in range(n)) + "+++\n")
elif case == "long-line":
    write("hostile", h + 'related = ["' + "x" * (100 * n) + '", "missing"]\n+++\n')
elif case == "nested-html":
    write("hostile", h + "+++\n" + "<div>" * n + "x" + "</div>" * n + "\n")
elif case == "nested-ok":
    for i in range(n // 10):
        write(f"nested-{i}", head.format(i=i) + "+++\n" + "<div>" * 90 + "x" + "</div>" * 90 + "\n")
elif case == "labels":
    write("hostile", h + table(n) + "+++\n")
elif case == "labels-ok":
    for i in range(n // 10):
        write(f"labels-{i}", head.format(i=i) + table(500) + "+++\n")
elif case == "array":
    items = ", ".join(f'"a{i}"' for i in range(50 * n))
    write("hostile", h + f"aliases = [{items}]\n+++\n")
elif case == "array-ok":
    items = ", ".join(f'"a{i}"' for i in range(5000))
    for i in range(n // 10):
        write(f"array-{i}", head.format(i=i) + f"aliases = [{items}]\n+++\n")
else:
    sys.exit(f"unknown case {case}")
PY
}

# One timed run of `medatlas ARGS` on the catalog at $1: prints "seconds max-rss-KiB".
timed() {
    local root=$1
    shift
    /usr/bin/time -f "%e %M" "$bin" --root "$root" "$@" 2>&1 >/dev/null | tail -n 1
}

printf "%-12s %-6s %10s %10s %10s %10s %7s\n" case cmd "n" "time n" "time 4n" "MiB 4n" ratio
for case in related keys long-line nested-html nested-ok labels labels-ok array array-ok; do
    generate "$case" "$n" "$work/$case-1"
    generate "$case" "$((4 * n))" "$work/$case-4"
    for cmd in check build; do
        read -r t1 _ < <(timed "$work/$case-1" "$cmd")
        read -r t4 rss < <(timed "$work/$case-4" "$cmd")
        ratio=$(awk -v a="$t1" -v b="$t4" 'BEGIN { if (a < 0.01) a = 0.01; printf "%.1f", b / a }')
        printf "%-12s %-6s %10s %10s %10s %10s %7s\n" "$case" "$cmd" "$n" "$t1" "$t4" \
            "$((rss / 1024))" "$ratio"
    done
    rm -rf "$work/$case-1" "$work/$case-4"
done
