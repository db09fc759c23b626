"""Where a value was read: a SourceRef from a clean line, and the sentence around a match."""

from __future__ import annotations

import re

from aqb.ingest.textclean import CleanLine
from aqb.model import SourceRef

SNIPPET_MAX = 400
_BOUNDARY = re.compile(r"(?<=[^\d\s][.!?])\s+(?=[A-ZÄÖÜ§])")


def ref(line: CleanLine, snippet: str | None = None) -> SourceRef:
    text = snippet if snippet is not None else line.text
    return SourceRef(line.page, line.number, text[:SNIPPET_MAX])


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that contains [start, end); dots inside numbers do not end one."""
    begin = 0
    for m in _BOUNDARY.finditer(text, 0, start):
        begin = m.end()
    m = _BOUNDARY.search(text, end)
    finish = m.start() if m else len(text)
    return re.sub(r"\s+", " ", text[begin:finish]).strip()


class JoinedLines:
    """Lines joined with a space (one text to search across line breaks), mapping offsets back."""

    def __init__(self, lines: list[CleanLine]):
        self.lines = lines
        self.offsets: list[int] = []
        pos = 0
        for ln in lines:
            self.offsets.append(pos)
            pos += len(ln.text) + 1
        self.text = " ".join(ln.text for ln in lines)

    def line_at(self, offset: int) -> CleanLine:
        index = max((i for i, off in enumerate(self.offsets) if off <= offset), default=0)
        return self.lines[index]
