#!/usr/bin/env bash
# Runs every test of every language. Installs what it needs itself (a virtual environment with
# the pinned Python packages), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: core tests, fixtures, doc tests =="
cargo test -p exemplar --lib --tests --examples
cargo test -p exemplar --doc

echo "== Python: build and install the package into .venv, then pytest =="
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r tests/python/requirements.txt
.venv/bin/python -m pip install --quiet ./bindings/python
(cd tests/python && ../../.venv/bin/python -m pytest -q -p no:cacheprovider)
(cd /tmp && "$OLDPWD/.venv/bin/python" -m pytest -q -p no:cacheprovider --doctest-modules --pyargs exemplar)
(cd /tmp && "$OLDPWD/.venv/bin/python" -m mypy.stubtest exemplar._exemplar)

echo "== The main job: Python prints the same summary as Rust =="
cargo run -q -p exemplar --example annual_review | sed -n '/== Summary ==/,$p' > target/summary-rust.txt
out=$(mktemp -d)
.venv/bin/python examples/python/annual_review.py "$out" | sed -n '/== Summary ==/,$p' > target/summary-python.txt
diff target/summary-rust.txt target/summary-python.txt
test -s "$out/annual_review.png"
echo "summaries identical: Rust and Python"
