"""Benchmark: text-parse throughput of the parser pipeline now vs. the parser before issue 9, in the
same run on the same documents (the machine's load cancels out in the ratio).

Target (issue 9): >= 200 text documents/s on one core. Run:
.venv/bin/python benchmarks/bench_parser_baseline.py [baseline-commit]
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "983556b"  # the last commit before issue 9
REFERENCE = ROOT / "data" / "reference"

MEASURE = r"""
import os, sys, time, pickle
from pathlib import Path
os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
from aqb.ingest.parser import parse_bytes
docs = pickle.loads(Path(sys.argv[1]).read_bytes())
ref = Path(sys.argv[2])
for name, data in docs[:20]:
    parse_bytes(name, data, ref, 2**24)
best = 0.0
for _ in range(3):
    start = time.perf_counter()
    for name, data in docs:
        try:
            parse_bytes(name, data, ref, 2**24)
        except Exception:
            pass
    best = max(best, len(docs) / (time.perf_counter() - start))
print(best)
"""


def _rate(code_root: Path, docs_file: Path, reference: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run([sys.executable, "-c", MEASURE, str(docs_file), str(reference)],
                         env=env, capture_output=True, text=True, check=True, cwd=code_root)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    import pickle

    sys.path.insert(0, str(ROOT))
    from aqb.demo.corpus import generate_specs
    from aqb.demo.styles import TextStyle
    from aqb.demo.text_writer import render_text

    commit = sys.argv[1] if len(sys.argv) > 1 else BASELINE
    specs = generate_specs(REFERENCE, years=range(2023, 2026))
    styles = [TextStyle(), TextStyle(wrap=72), TextStyle(page_furniture=True, drop_blank_lines=True)]
    docs = [(f"zv_{i}.txt", render_text(spec, REFERENCE, styles[i % 3]).encode("utf-8")) for i, spec in enumerate(specs)]
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = subprocess.run(["git", "archive", commit, "aqb", "data/reference"], cwd=ROOT,
                                 capture_output=True, check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(old)
        docs_file = Path(tmp) / "docs.pickle"
        docs_file.write_bytes(pickle.dumps(docs))
        before = _rate(old, docs_file, old / "data" / "reference")
        now = _rate(ROOT, docs_file, REFERENCE)
    print(f"Text-Dokumente vor Issue 9 ({commit}): {before:7.1f} Dokumente/s  (1 Kern, {len(docs)} Dokumente)")
    print(f"Text-Dokumente jetzt:                 {now:7.1f} Dokumente/s  (Verhältnis {now / before:.2f})")


if __name__ == "__main__":
    main()
