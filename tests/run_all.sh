#!/usr/bin/env bash
# Runs every test of every language. Installs what it needs itself (a virtual environment with
# the pinned Python packages, valgrind), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Rust: core tests, fixtures, doc tests; the core tests again in release =="
cargo test -p exemplar --lib --tests --examples
cargo test -p exemplar --doc
cargo test -p exemplar --release --lib --tests

echo "== Python: build and install the package into .venv, then pytest =="
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r tests/python/requirements.txt
# With its extras: Dask, and Spark, which needs a Java runtime (Debian's openjdk-17-jre-headless).
if ! command -v java >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null
fi
.venv/bin/python -m pip install --quiet "./bindings/python[dask,spark]"
(cd tests/python && ../../.venv/bin/python -m pytest -q -p no:cacheprovider)
(cd /tmp && "$OLDPWD/.venv/bin/python" -m pytest -q -p no:cacheprovider --doctest-modules --pyargs exemplar)
(cd /tmp && "$OLDPWD/.venv/bin/python" -m mypy.stubtest exemplar._exemplar)
# The package type-checks against its own stubs and TypedDicts (pandas, polars, pyarrow untyped).
(cd /tmp && "$OLDPWD/.venv/bin/python" -m mypy --ignore-missing-imports -p exemplar)

echo "== The main job: Python prints the same summary as Rust, in Chinese and in English =="
# The chart's Chinese needs a CJK font (Debian's fonts-noto-cjk); matplotlib finds it on first use.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk fontconfig >/dev/null
    rm -rf "${MPLCONFIGDIR:-$HOME/.cache/matplotlib}"
fi
summary() { sed -n '/^== \(Summary\|汇总\) ==/,$p'; }
cargo run -q -p exemplar --example annual_review -- --out target/annual_review | tee target/main-rust.txt | summary > target/summary-rust.txt
cargo run -q -p exemplar --example annual_review -- --language en --out target/annual_review_en | tee target/main-rust-en.txt | summary > target/summary-rust-en.txt
out=$(mktemp -d)
.venv/bin/python examples/python/annual_review.py "$out" | tee target/main-python.txt | summary > target/summary-python.txt
.venv/bin/python examples/python/annual_review.py "$out/en" --language en | tee target/main-python-en.txt | summary > target/summary-python-en.txt
diff target/summary-rust.txt target/summary-python.txt
diff target/summary-rust-en.txt target/summary-python-en.txt
test -s "$out/annual_review.png" && test -s "$out/en/annual_review.png"
! grep -q "未安装中文字体" target/main-python.txt   # the chart is in Chinese: the font was found
.venv/bin/python tests/main_job/one_language.py zh target/main-rust.txt target/main-python.txt
.venv/bin/python tests/main_job/one_language.py en target/main-rust-en.txt target/main-python-en.txt
for doc in annual_review.xlsx notice.html; do
    cmp target/annual_review/$doc "$out/$doc" && cmp target/annual_review_en/$doc "$out/en/$doc"
done
echo "summaries identical: Rust and Python, in Chinese and in English; so are the workbooks and the notices"

echo "== The documents: the workbook read back by openpyxl, the notice printed to PDF by Chromium =="
if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then
    apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium poppler-utils >/dev/null
fi
.venv/bin/python tests/main_job/check_documents.py target/annual_review zh
.venv/bin/python tests/main_job/check_documents.py target/annual_review_en en

echo "== C: the committed header is current; the tests pass under valgrind =="
cargo run -q -p exemplar-c-header -- --check
for std in c89 c11; do
    cc -std=$std -pedantic -Wall -Wextra -Werror -Iinclude -c tests/c/header.c -o "target/header-$std.o"
done
c++ -std=c++11 -pedantic -Wall -Wextra -Werror -Iinclude -x c++ -c tests/c/header.c -o target/header-cpp.o
echo "the header compiles as C89, C11 and C++"
if ! command -v valgrind >/dev/null; then
    apt-get update -qq && apt-get install -y -qq valgrind
fi
make -s -C tests/c check

echo "== The main job: C prints the same summary as Rust =="
make -s -C examples/c annual_review
mkdir -p target/annual_review_c target/annual_review_c_en
./examples/c/annual_review examples/data zh target/annual_review_c | tee target/main-c.txt | summary > target/summary-c.txt
./examples/c/annual_review examples/data en target/annual_review_c_en | tee target/main-c-en.txt | summary > target/summary-c-en.txt
.venv/bin/python tests/main_job/one_language.py zh target/main-c.txt
.venv/bin/python tests/main_job/one_language.py en target/main-c-en.txt
diff target/summary-rust.txt target/summary-c.txt
diff target/summary-rust-en.txt target/summary-c-en.txt
for doc in annual_review.xlsx notice.html; do
    cmp target/annual_review/$doc target/annual_review_c/$doc && cmp target/annual_review_en/$doc target/annual_review_c_en/$doc
done
echo "summaries identical: Rust and C, in Chinese and in English; so are the workbooks and the notices"

echo "== Packaging: make install into a fresh prefix, then build against it with pkg-config =="
prefix=$(mktemp -d)
make -s -C bindings/c install PREFIX="$prefix"
test -L "$prefix/lib/libexemplar.so" && test -L "$prefix/lib/libexemplar.so.0" && test -f "$prefix/lib/libexemplar.so.0.1.0"
test -f "$prefix/lib/libexemplar.a" && test -f "$prefix/include/exemplar.h"
PKG_CONFIG_PATH="$prefix/lib/pkgconfig" sh -c 'cc -std=c11 -Wall -Wextra -Werror -pedantic tests/c/installed.c -o "$0/installed" $(pkg-config --cflags --libs exemplar)' "$prefix"
LD_LIBRARY_PATH="$prefix/lib" "$prefix/installed"

echo "== C: a bounded libFuzzer run over every JSON entry point =="
if ! command -v clang >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq clang libclang-rt-14-dev
fi
make -s -C bindings/c fuzz SECONDS="${EXEMPLAR_FUZZ_SECONDS:-30}" 2>&1 | grep -E "INITED|DONE|ERROR|SUMMARY|Done"
echo "all tests passed"
