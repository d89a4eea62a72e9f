"""Checks that a main job's output is in one language: `zh` output holds no English word (the
program's hash, paths and file names aside), `en` output no Chinese beyond the names in the data
(organizations, counties, groups, cadres).

    python tests/main_job/one_language.py zh|en output.txt...
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


def main() -> int:
    lang, files = sys.argv[1], sys.argv[2:]
    data = "".join((ROOT / "examples" / "data" / f).read_text(encoding="utf-8") for f in ("sample_year.csv", "oversight_2023.json"))
    bad = []
    for f in files:
        for n, line in enumerate(pathlib.Path(f).read_text(encoding="utf-8").splitlines(), start=1):
            if lang == "zh":
                bare = re.sub(r"[0-9a-f]{64}|[A-Za-z0-9_./-]+\.(csv|json|png|xlsx|html|pdf)\b|[A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)+", "", line)
                if re.search(r"[A-Za-z]", bare):
                    bad.append(f"{f}:{n}: {line}")
            elif any(run not in data for run in CJK.findall(line)):
                bad.append(f"{f}:{n}: {line}")
    for b in bad[:20]:
        print(b)
    print(f"{len(bad)} line(s) mix in another language" if bad else f"{', '.join(files)}: {lang} throughout")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
