"""Every SQL file (queries/ and the store's macros) keeps the house style: sqlfluff, DuckDB dialect (.sqlfluff)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sqlfluff() -> str:
    found = shutil.which("sqlfluff", path=str(Path(sys.executable).parent))
    assert found, "sqlfluff fehlt (pip install -e '.[test]')"
    return found


def test_queries_and_macros_pass_the_sql_linter():
    result = subprocess.run(
        [_sqlfluff(), "lint", "queries", "aqb/store/macros.sql", "--processes", "2", "--disable-progress-bar"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_linter_flags_a_badly_styled_query(tmp_path):
    bad = tmp_path / "bad.sql"
    bad.write_text("SELECT A.X FROM agreements AS A\n", encoding="utf-8")
    result = subprocess.run([_sqlfluff(), "lint", str(bad), "--config", str(ROOT / ".sqlfluff")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "capitalisation" in result.stdout
