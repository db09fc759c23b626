"""Lines made of positioned segments (PDF words, `pdftotext -layout` text) into reading order.

A line is a list of segments ``(x0, x1, text)`` separated by wide gaps. Rows of three or more
aligned segments are a table (one ``cells`` row each, wrapped cells re-joined); two columns side by
side (signatures) are read column by column, left first; everything else is one plain line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aqb.ingest.normalize import join_wrapped

Segment = tuple[float, float, str]
Item = str | tuple[str, ...]  # a plain line, or the cells of a table row


@dataclass
class _Row:
    starts: list[float]
    cells: list[list[str]]


def _join(segments: list[Segment]) -> str:
    return " ".join(s[2].strip() for s in segments if s[2].strip())


def _column(x: float, starts: list[float], tol: float) -> int | None:
    for k, start in enumerate(starts):
        if abs(x - start) <= tol:
            return k
    return None


def _table(rows: list[list[Segment]], i: int, tol: float, plain) -> tuple[list[Item], int]:
    """Rows from ``i`` that share the column starts of row ``i``; returns items and next index."""
    starts = [s[0] for s in rows[i]]
    out: list[_Row] = [_Row(starts, [[s[2]] for s in rows[i]])]
    j = i + 1
    while j < len(rows) and rows[j]:
        segs = rows[j]
        cols = [_column(s[0], starts, tol) for s in segs]
        if None in cols:
            break
        if len(segs) >= 3 or cols[-1] == len(starts) - 1:
            row = _Row(starts, [[] for _ in starts])
            for col, seg in zip(cols, segs):
                row.cells[col].append(seg[2])
            out.append(row)
        else:  # no amount in the last column: the cells of the row above wrap
            for col, seg in zip(cols, segs):
                out[-1].cells[col].append(seg[2])
        j += 1
    if sum(1 for r in out if sum(1 for c in r.cells if c) >= 3) < 2:
        return [plain(i)], i + 1  # one wide line alone is not a table
    return [tuple(join_wrapped(c) for c in r.cells) for r in out], j


def _two_columns(rows: list[list[Segment]], i: int, tol: float, plain) -> tuple[list[Item], int]:
    right_x = rows[i][1][0]
    gutter = rows[i][0][1]  # where the left column's text ends so far

    def on_right(seg: Segment) -> bool:
        # Signature blocks are often centred: a longer line starts left of right_x, its middle does not;
        # a line that starts inside the left column's text runs across both columns.
        if seg[0] <= gutter + tol:
            return False
        return seg[0] >= right_x - tol or (seg[0] + seg[1]) / 2 >= right_x

    left: list[str] = []
    right: list[str] = []
    j = i
    blanks = 0
    rows_on_right = 0
    while j < len(rows):
        segs = rows[j]
        if not segs:
            blanks += 1
            if blanks > 4:  # the room left for the handwritten signature
                break
            j += 1
            continue
        if len(segs) == 2 and on_right(segs[1]) and segs[0][1] < right_x:
            gutter = max(gutter, segs[0][1])
            left.append(segs[0][2])
            right.append(segs[1][2])
            rows_on_right += 1
        elif len(segs) == 1 and on_right(segs[0]):
            right.append(segs[0][2])
            rows_on_right += 1
        elif len(segs) == 1 and segs[0][1] < right_x - tol:
            gutter = max(gutter, segs[0][1])
            left.append(segs[0][2])
        else:
            break
        blanks = 0
        j += 1
    if rows_on_right < 2:
        return [plain(i)], i + 1
    return [*left, "", *right, ""], j


_MARKER = re.compile(r"^(?:[-–—•*▪◦·‣]|\(?\d{1,2}[.)]|[a-z]\)|§\s*\d{1,2})$")


def _merge_markers(segments: list[Segment]) -> list[Segment]:
    """A list marker ("–", "1.", "§ 4") set apart by a tab belongs to the text after it."""
    out: list[Segment] = []
    for seg in segments:
        if out and _MARKER.match(out[-1][2].strip()):
            out[-1] = (out[-1][0], seg[1], f"{out[-1][2].strip()} {seg[2].strip()}")
        else:
            out.append(seg)
    return out


def arrange(rows: list[list[Segment]], tol: float, originals: list[str] | None = None) -> list[Item]:
    """Reading order of positioned rows; an empty row is a blank line. ``tol`` = alignment slack.

    ``originals`` (the text lines the rows came from) are kept as they are for plain lines, so
    their indentation survives.
    """

    def plain(k: int) -> str:
        return originals[k].rstrip() if originals is not None else _join(rows[k])

    rows = [_merge_markers(r) for r in rows]
    items: list[Item] = []
    i = 0
    while i < len(rows):
        segs = rows[i]
        if len(segs) >= 3:
            found, i = _table(rows, i, tol, plain)
        elif len(segs) == 2:
            found, i = _two_columns(rows, i, tol, plain)
        else:
            found, i = [plain(i)], i + 1
        items.extend(found)
    return items


def split_spaced(line: str, min_gap: int = 3) -> list[Segment]:
    """Segments of a text line split at runs of ``min_gap`` or more spaces (``pdftotext -layout``)."""
    stripped = line.strip(" ")
    if not stripped:
        return []
    if " " * min_gap not in stripped:  # the common case: one segment
        start = len(line) - len(line.lstrip(" "))
        return [(float(start), float(start + len(stripped)), stripped)]
    pattern = _SEGMENT.get(min_gap) or _SEGMENT.setdefault(min_gap, re.compile(rf"\S+(?: {{1,{min_gap - 1}}}\S+)*"))
    return [(float(m.start()), float(m.end()), m.group()) for m in pattern.finditer(line)]


_SEGMENT: dict[int, re.Pattern] = {}
