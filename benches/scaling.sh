#!/usr/bin/env bash
# Benchmark: time and peak memory of `check` and `build` on hostile inputs of size n and 4n, and
# the ratio of the two times. A step that grows linearly shows a ratio near 4 (less where a fixed
# start-up cost dominates); a quadratic one near 16.
#
#   benches/scaling.sh [N]        (default N = 2000; the inputs scale with it)
#
# Each hostile case writes 20 copies of one entry into a copy of tests/fixtures/base, so that a
# run takes long enough to time; the size of each entry is what scales:
#   related      N unknown `related` slugs on one line (N diagnostics on one long line)
#   inline-keys  10 * N unknown keys in one inline table on one line
#   keys         N unknown keys, one per line
#   long-line    one 100 * N character line with a diagnostic at each end
#   nested-html  10 * N nested <div> elements in the body (over the depth limit)
#   labels       5 * N labels in one class table (over the label limit)
#   array        one `aliases` array of 20 * N items (over the array limit)
#   links        N links to sections of one entry whose description has 10 * N headings
# and the cases under the limits scale the number of entries (N / 10 of them):
#   nested-ok    bodies 90 levels deep, sanitised and built
#   labels-ok    class tables of 500 labels each
#   array-ok     arrays of 5,000 aliases each
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
def hostile(text):
    for i in range(20):
        write(f"hostile-{i}", head.format(i=i) + text)
if case == "related":
    slugs = ", ".join(f'"missing-{i}"' for i in range(n))
    hostile(f"related = [{slugs}]\n+++\n")
elif case == "inline-keys":
    keys = ", ".join(f"k{i} = 1" for i in range(10 * n))
    hostile(f'papers = [{{ title = "t", url = "https://example.org", {keys} }}]\n+++\n')
elif case == "keys":
    hostile("".join(f"unknown_{i} = 1\n" for i in range(n)) + "+++\n")
elif case == "long-line":
    hostile('related = ["' + "x" * (100 * n) + '", "missing"]\n+++\n')
elif case == "nested-html":
    hostile("+++\n" + "<div>" * (10 * n) + "x" + "</div>" * (10 * n) + "\n")
elif case == "links":
    write("target", head.format(i="t") + "+++\n" + "".join(f"## h{i}\n" for i in range(10 * n)))
    hostile("+++\n" + "".join(f"[x](target.md#h{i % (10 * n)}) " for i in range(n)) + "\n")
elif case == "nested-ok":
    for i in range(n // 10):
        write(f"nested-{i}", head.format(i=i) + "+++\n" + "<div>" * 90 + "x" + "</div>" * 90 + "\n")
elif case == "labels":
    hostile(table(5 * n) + "+++\n")
elif case == "labels-ok":
    for i in range(n // 10):
        write(f"labels-{i}", head.format(i=i) + table(500) + "+++\n")
elif case == "array":
    items = ", ".join("0" for i in range(20 * n))
    hostile(f"aliases = [{items}]\n+++\n")
elif case == "array-ok":
    items = ", ".join(f'"a{i}"' for i in range(5000))
    for i in range(n // 10):
        write(f"array-{i}", head.format(i=i) + f"aliases = [{items}]\n+++\n")
else:
    sys.exit(f"unknown case {case}")
PY
}

# The fastest of three runs of `medatlas ARGS` on the catalog at $1: prints "cpu-seconds
# max-rss-KiB". CPU time (user + system) is what is compared: on a shared machine wall time
# mostly measures the other processes.
timed() {
    local root=$1
    shift
    for _ in 1 2 3; do
        /usr/bin/time -f "%U %S %M" "$bin" --root "$root" "$@" 2>&1 >/dev/null | tail -n 1
    done | awk '{ t = $1 + $2; if (NR == 1 || t < best) { best = t; rss = $3 } }
        END { printf "%.2f %d\n", best, rss }'
}

echo "CPU seconds (user + system, fastest of 3 runs) at n and at 4n; peak RSS at 4n; $(nproc) cores"
printf "%-12s %-6s %8s %8s %8s %8s %7s\n" case cmd "n" "cpu n" "cpu 4n" "MiB 4n" ratio
for case in related inline-keys keys long-line nested-html labels array links nested-ok labels-ok array-ok; do
    generate "$case" "$n" "$work/$case-1"
    generate "$case" "$((4 * n))" "$work/$case-4"
    for cmd in check build; do
        read -r t1 _ < <(timed "$work/$case-1" "$cmd")
        read -r t4 rss < <(timed "$work/$case-4" "$cmd")
        ratio=$(awk -v a="$t1" -v b="$t4" 'BEGIN { if (a < 0.01) a = 0.01; printf "%.1f", b / a }')
        printf "%-12s %-6s %8s %8s %8s %8s %7s\n" "$case" "$cmd" "$n" "$t1" "$t4" \
            "$((rss / 1024))" "$ratio"
    done
    rm -rf "$work/$case-1" "$work/$case-4"
done
