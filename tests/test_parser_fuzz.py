"""Property: any input either parses or is refused with the project's own error – nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from aqb.errors import DocumentRefused
from aqb.ingest.parser import parse_bytes
from conftest import REFERENCE, SEED

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
MB = 1024 * 1024


def parses_or_refuses(name: str, data: bytes) -> None:
    try:
        agreement = parse_bytes(name, data, REFERENCE, MB)
    except DocumentRefused as exc:
        assert exc.reason and "\n" not in str(exc)
        return
    assert agreement.budget_cents >= 0
    assert 1900 <= agreement.agreement_year <= 2099
    assert all(1 <= p.measure_type_code <= 4 for p in agreement.projects)


@st.composite
def mutated_seed(draw) -> str:
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "swap", "truncate", "duplicate"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if op == "delete" and lines:
            del lines[i : i + draw(st.integers(1, 10))]
        elif op == "insert":
            lines.insert(i, draw(st.text(max_size=80)))
        elif op == "swap" and len(lines) > 1:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "truncate" and lines:
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
    return "\n".join(lines)


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_seed())
def test_mutated_agreements(text):
    parses_or_refuses("zv.txt", text.encode("utf-8", errors="surrogatepass"))


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_random_text(text):
    parses_or_refuses("zv.md", text.encode("utf-8", errors="surrogatepass"))


@hsettings(max_examples=150, deadline=None)
@given(st.binary(max_size=4000), st.sampled_from(["zv.txt", "zv.pdf", "zv.docx", "zv.md"]))
def test_random_bytes(data, name):
    parses_or_refuses(name, data)


@hsettings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_pdf_header_with_garbage(tail):
    parses_or_refuses("zv.pdf", b"%PDF-1.4\n" + tail)
