"""Pipeline stage 2: cut the clean lines of a document into its title block and its § sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aqb.ingest.textclean import CleanLine

_HEADING = re.compile(r"^§\s*(\d{1,2})(?:\s+(.*))?$")
_LIST_ITEM = re.compile(r"^(?:[-–—•*▪◦·‣]|[a-z]\))\s+")


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    lines: list[CleanLine]  # body, without the heading and the title line


@dataclass(frozen=True)
class Sections:
    title_block: list[CleanLine]  # everything before the Präambel or the first §
    by_number: dict[int, Section]

    def get(self, number: int) -> Section:
        """The section, or an empty one when the document has no such §."""
        return self.by_number.get(number, Section(number, "", []))


def split_sections(lines: list[CleanLine]) -> Sections:
    """Headings are "§ N" (optionally with the title on the same line) with rising numbers; a
    "§ 5 vereinbarten Ziele" wrapped to a line start is prose, not a heading."""
    starts: list[tuple[int, int, str]] = []
    last = 0
    for i, line in enumerate(lines):
        match = _HEADING.match(line.text)
        if not match:
            continue
        number, rest = int(match.group(1)), (match.group(2) or "").strip()
        if number <= last or (rest and not rest[0].isupper()):
            continue
        starts.append((i, number, rest))
        last = number
    sections: dict[int, Section] = {}
    for k, (i, number, rest) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = lines[i + 1 : end]
        title = rest
        if not title:
            non_empty = [j for j, ln in enumerate(body) if ln.text]
            if non_empty:
                first = body[non_empty[0]]
                if len(first.text) <= 80 and not first.text.endswith((".", ":")) and not _LIST_ITEM.match(first.text):
                    title = first.text
                    body = body[non_empty[0] + 1 :]
        sections[number] = Section(number, title, body)
    title_end = starts[0][0] if starts else min(len(lines), 25)
    for i, line in enumerate(lines[:title_end]):
        if line.text.lower().startswith("präambel"):
            title_end = i
            break
    return Sections(lines[:title_end], sections)
