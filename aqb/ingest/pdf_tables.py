"""Ruled tables on a PDF page: the grid from the border lines, merged cells from missing borders.

Word and LibreOffice draw every cell border of a table as a thin line; a vertically merged cell
(a Maßnahmenart spanning its projects) has no line between its rows. So the grid is the set of
distinct line positions, and two neighbouring grid cells are one cell where no line separates them.
"""

from __future__ import annotations

from dataclasses import dataclass

THIN = 2.0  # a border line is at most this thick (pt)
SNAP = 2.5  # line positions closer than this are one grid line


@dataclass(frozen=True)
class Rule:
    """A horizontal (y fixed) or vertical (x fixed) border line in top-down page coordinates."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass
class Table:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    anchor: dict[tuple[int, int], tuple[int, int]]  # grid cell -> top-left cell of its merged cell

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """The (merged) cell containing the point, as its top-left grid cell."""
        col = next((c for c in range(len(self.xs) - 1) if self.xs[c] <= x < self.xs[c + 1]), None)
        row = next((r for r in range(len(self.ys) - 1) if self.ys[r] <= y < self.ys[r + 1]), None)
        if col is None or row is None:
            return None
        return self.anchor[(row, col)]


def rules_from_boxes(boxes: list[tuple[float, float, float, float]]) -> list[Rule]:
    """Border lines from path boxes (x0, top, x1, bottom); a thin box is a line, others are ignored."""
    rules = []
    for x0, top, x1, bottom in boxes:
        width, height = x1 - x0, bottom - top
        if height <= THIN and width > THIN * 2:
            rules.append(Rule(True, (top + bottom) / 2, x0, x1))
        elif width <= THIN and height > THIN * 2:
            rules.append(Rule(False, (x0 + x1) / 2, top, bottom))
    return rules


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _touch(a: Rule, b: Rule) -> bool:
    if a.horizontal == b.horizontal:
        return False
    h, v = (a, b) if a.horizontal else (b, a)
    return h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP


def _groups(rules: list[Rule]) -> list[list[Rule]]:
    """Rules that touch each other, directly or through others: one table each."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            if _touch(a, rules[j]):
                parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    return list(groups.values())


def _covers(rules: list[Rule], at: float, point: float) -> bool:
    return any(abs(r.at - at) <= SNAP and r.start - SNAP <= point <= r.end + SNAP for r in rules)


def find_tables(rules: list[Rule]) -> list[Table]:
    """Tables of at least two rows and two columns, top to bottom."""
    tables = []
    for group in _groups(rules):
        horizontal = [r for r in group if r.horizontal]
        vertical = [r for r in group if not r.horizontal]
        xs, ys = _snap([r.at for r in vertical]), _snap([r.at for r in horizontal])
        if len(xs) < 3 or len(ys) < 3:
            continue  # a box around a paragraph, a rule under a heading: not a table
        parent = {(r, c): (r, c) for r in range(len(ys) - 1) for c in range(len(xs) - 1)}

        def find(cell):
            while parent[cell] != cell:
                cell = parent[cell]
            return cell

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)  # the top-left cell stays the anchor

        for r in range(len(ys) - 1):
            mid_y = (ys[r] + ys[r + 1]) / 2
            for c in range(len(xs) - 2):
                if not _covers(vertical, xs[c + 1], mid_y):
                    union((r, c), (r, c + 1))
        for c in range(len(xs) - 1):
            mid_x = (xs[c] + xs[c + 1]) / 2
            for r in range(len(ys) - 2):
                if not _covers(horizontal, ys[r + 1], mid_x):
                    union((r, c), (r + 1, c))
        tables.append(Table(xs, ys, {cell: find(cell) for cell in parent}))
    return sorted(tables, key=lambda t: t.ys[0])
