"""Parse an untrusted document in a child process with memory, CPU and wall-clock limits."""

from __future__ import annotations

import io
import os
import pickle
import resource
import signal
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from aqb.errors import DocumentRefused
from aqb.model import ParsedAgreement
from aqb.settings import PROJECT_ROOT

MB = 1024 * 1024
# The child may only hand back these types: a parser exploit in the child must not turn into
# code execution in the parent through pickle (see _AnswerUnpickler).
_ALLOWED_CLASSES = {
    ("aqb.model", "ParsedAgreement"),
    ("aqb.model", "Project"),
    ("aqb.model", "Signature"),
    ("aqb.model", "SourceRef"),
    ("aqb.model", "BudgetLine"),
    ("aqb.model", "Confidence"),
    ("datetime", "date"),
}
_STDERR_KEPT = 4000


def timeout_message(timeout_s: float) -> str:
    return f"Verarbeitung abgebrochen: Zeitlimit ({timeout_s:g} s) überschritten – Datei wird abgelehnt."


def memory_message(memory_mb: int) -> str:
    return f"Verarbeitung abgebrochen: Speicherlimit ({memory_mb} MB) überschritten – Datei wird abgelehnt."


CRASH_MESSAGE = "Verarbeitung abgebrochen: der Leseprozess ist abgestürzt – Datei wird abgelehnt."

# Limits grow with the file: CPU seconds of parsing per MiB, measured by benchmarks/bench_sandbox.py
# (text 0,55 s/MiB, PDF and DOCX more per byte), times HEADROOM for slower machines. CPU time, not
# wall time, is the measure of work: under load the wall time of the same parse grows several-fold
# while its CPU time barely moves, so a busy server no longer refuses valid files.
BASE_CPU_S = 15
CPU_S_PER_MIB = {".pdf": 2.0, ".docx": 1.0}
TEXT_CPU_S_PER_MIB = 0.6
HEADROOM = 3
BASE_MEMORY_MB = 768
MEMORY_PER_MIB = 24  # text lines, pages and the answer held at once, measured peak ~12 MB per MiB
MAX_WALL_S = 900


@dataclass(frozen=True)
class Limits:
    cpu_s: int
    wall_s: float
    memory_mb: int


def limits_for(file_name: str, byte_size: int, *, load: float | None = None) -> Limits:
    """CPU, wall-clock and memory limits for parsing one file of this size and type.

    The wall clock is only the backstop for a child that stops using the CPU; it scales with
    the current load per core (at least 1), so concurrent uploads do not time each other out.
    """
    mib = byte_size / MB
    rate = CPU_S_PER_MIB.get(Path(file_name).suffix.lower(), TEXT_CPU_S_PER_MIB)
    cpu = round(BASE_CPU_S + HEADROOM * rate * mib)
    if load is None:
        try:
            load = os.getloadavg()[0] / (os.cpu_count() or 1)
        except OSError:
            load = 1.0
    wall = min(MAX_WALL_S, cpu * max(1.0, load) * 1.5 + 5)
    return Limits(cpu, wall, int(BASE_MEMORY_MB + MEMORY_PER_MIB * mib))


def parse_isolated(
    file_name: str,
    data: bytes,
    reference_dir: Path,
    max_bytes: int,
    *,
    timeout_s: float | None = None,
    memory_mb: int | None = None,
) -> ParsedAgreement:
    """Run aqb.ingest.parser.parse_bytes on ``data`` in a child process and return its result.

    The child limits its own address space (``memory_mb``) and CPU time (``timeout_s``) before it
    reads a single byte of the document; the parent kills it when the wall-clock backstop passes.
    Without explicit limits they follow from the file's size and type (limits_for).
    Raises DocumentRefused with the parser's reason, or with a German "Verarbeitung
    abgebrochen: …" reason when a limit was hit or the child died.
    """
    if len(data) > max_bytes:
        # Same wording as aqb.ingest.extract; checked here so an oversized upload is not piped around.
        raise DocumentRefused(
            file_name, f"Datei ist {len(data) / MB:.1f} MB groß (höchstens {max_bytes / MB:.0f} MB)."
        )
    limits = limits_for(file_name, len(data))
    cpu_s = limits.cpu_s if timeout_s is None else timeout_s
    wall_s = limits.wall_s if timeout_s is None else timeout_s  # explicit limits are strict (tests, CLI)
    memory_mb = limits.memory_mb if memory_mb is None else memory_mb
    timeout_s = cpu_s
    request = pickle.dumps((file_name, data, str(reference_dir), max_bytes), protocol=pickle.HIGHEST_PROTOCOL)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "aqb.ingest.sandbox", str(memory_mb), str(max(1, int(cpu_s)))]
    try:
        done = subprocess.run(
            command, input=request, capture_output=True, timeout=wall_s, env=env, cwd=PROJECT_ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        raise DocumentRefused(file_name, timeout_message(timeout_s)) from None
    kind, value = _answer(done)
    if kind == "ok":
        return value
    if kind == "refused":
        raise DocumentRefused(file_name, value)
    if kind == "memory":
        raise DocumentRefused(file_name, memory_message(memory_mb))
    if kind == "cpu":
        raise DocumentRefused(file_name, timeout_message(timeout_s))
    if kind == "error":
        raise DocumentRefused(
            file_name, f"Verarbeitung fehlgeschlagen (interner Fehler {value}) – Datei wird abgelehnt."
        )
    raise DocumentRefused(file_name, CRASH_MESSAGE)


class _AnswerUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} ist in der Antwort des Leseprozesses nicht erlaubt")
        return super().find_class(module, name)


def _answer(done: subprocess.CompletedProcess) -> tuple[str, object]:
    """(kind, value) from the child's stdout, or from how it died."""
    if done.returncode == -signal.SIGXCPU:
        return "cpu", None
    if done.returncode == -signal.SIGKILL:
        # Nobody but the kernel's OOM killer sends SIGKILL here (our own timeout raises earlier).
        return "memory", None
    try:
        kind, value = _AnswerUnpickler(io.BytesIO(done.stdout)).load()
    except Exception:
        tail = done.stderr[-_STDERR_KEPT:].decode("utf-8", "replace")
        # A MemoryError deep inside a C extension can end the child without an answer.
        if "MemoryError" in tail or "bad_alloc" in tail or "Cannot allocate memory" in tail:
            return "memory", None
        print(f"aqb.ingest.sandbox: Leseprozess endete mit {done.returncode}:\n{tail}", file=sys.stderr)
        return "crash", None
    if kind not in {"ok", "refused", "memory", "error"} or (kind == "ok" and not isinstance(value, ParsedAgreement)):
        return "crash", None
    return kind, value


def _limit_self(memory_mb: int, cpu_s: int) -> None:
    # Set by the child itself rather than in preexec_fn: Streamlit calls us from a thread, and
    # preexec_fn is documented as unsafe with threads. The untrusted bytes are read only after this.
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child_main(argv: list[str]) -> int:
    memory_mb, cpu_s = int(argv[0]), int(argv[1])
    _limit_self(memory_mb, cpu_s)
    answer_stream = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library that prints must not corrupt the answer
    file_name, data, reference_dir, max_bytes = pickle.load(sys.stdin.buffer)
    from aqb.ingest.parser import parse_bytes

    try:
        answer: tuple[str, object] = ("ok", parse_bytes(file_name, data, Path(reference_dir), max_bytes))
    except DocumentRefused as exc:
        answer = ("refused", exc.reason)
    except MemoryError:
        answer = ("memory", None)
    except Exception as exc:  # a parser bug on hostile input: refuse the file, keep the trace for the operator
        traceback.print_exc()
        answer = ("error", type(exc).__name__)
    del data
    pickle.dump(answer, answer_stream, protocol=pickle.HIGHEST_PROTOCOL)
    answer_stream.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
