#!/usr/bin/env bash
# Load on `medatlas serve`, on 127.0.0.1 only: two rounds of 200 connections making requests
# for 10 s each, with 200 idle sockets held open, while a fresh connection asks for a page every
# 100 ms. Fails on any error, a fresh request not answered, or resident memory that does not
# settle near its level before; prints the request count and resident memory before and after
# each round.
#
#   benches/serve-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test serve_limits -- --ignored --nocapture ten_seconds
