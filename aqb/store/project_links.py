"""Which project of a partner's agreement continues which project of the year before.

Names change a little from year to year ("BaE Teilzeit" → "BaE in Teilzeit"), so exact matching
would count a renamed project as one ended and one new. The order of trust:

1. the staff alias list (``data/reference/project_aliases.csv``) — it wins over everything below;
   a row with an empty ``previous_name`` pins a project as new;
2. equal normalised names (case, punctuation, spacing and "&"/"und" ignored);
3. rapidfuzz ``token_sort_ratio`` on the normalised names, within the same Maßnahmenart, at least
   ``FUZZY_THRESHOLD``; best pairs first, each project used once.

The threshold 85 keeps "Coaching von jungen Wohnungssuchenden" → "Coaching junger
Wohnungssuchender" (88,6) and "BaE Teilzeit" → "BaE in Teilzeit" (88,9) together and keeps
"Berufsvorbereitung Elektro" / "… Metall" (82,4) and "Jobcoach" / "Jobcoaching" (84,2) apart.
Merged and split projects (two names becoming one, or one becoming two) are the alias list's job.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd
from rapidfuzz import fuzz

from aqb import reference

FUZZY_THRESHOLD = 85.0
EXACT, ALIAS, FUZZY = "gleich", "alias", "ähnlich"

_NON_WORD = re.compile(r"[^\w]+")


def normalise(name: str) -> str:
    """'Coaching & Unterrichtshilfen (CUBA)' -> 'coaching und unterrichtshilfen cuba'."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("&", " und ")
    return " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True)
class Project:
    position: int
    name: str
    measure_type_code: int


@dataclass(frozen=True)
class Link:
    previous_position: int
    position: int
    match_kind: str   # gleich | alias | ähnlich
    match_score: float


def match(previous: Sequence[Project], current: Sequence[Project],
          aliases: Iterable[tuple[str, str]] = ()) -> list[Link]:
    """Links from last year's projects to this year's; ``aliases`` are (previous_name, project_name)."""
    prev_by_key = {}
    for p in previous:
        prev_by_key.setdefault(normalise(p.name), []).append(p)
    cur_by_key = {}
    for c in current:
        cur_by_key.setdefault(normalise(c.name), []).append(c)
    links: list[Link] = []
    decided: set[int] = set()        # current positions the alias list speaks about
    used_previous: set[int] = set()
    for previous_name, project_name in aliases:
        targets = cur_by_key.get(normalise(project_name), [])
        decided.update(c.position for c in targets)
        for c in targets:
            for p in prev_by_key.get(normalise(previous_name), []) if previous_name else []:
                links.append(Link(p.position, c.position, ALIAS, 100.0))
                used_previous.add(p.position)
    open_current = [c for c in current if c.position not in decided]
    open_previous = [p for p in previous if p.position not in used_previous]
    matched_current: set[int] = set()
    for c in open_current:
        for p in open_previous:
            if p.position not in used_previous and normalise(p.name) == normalise(c.name):
                links.append(Link(p.position, c.position, EXACT, 100.0))
                used_previous.add(p.position)
                matched_current.add(c.position)
                break
    candidates = []
    for c in open_current:
        if c.position in matched_current:
            continue
        for p in open_previous:
            if p.position in used_previous or p.measure_type_code != c.measure_type_code:
                continue
            score = fuzz.token_sort_ratio(normalise(p.name), normalise(c.name))
            if score >= FUZZY_THRESHOLD:
                candidates.append((score, p, c))
    for score, p, c in sorted(candidates, key=lambda t: (-t[0], t[2].position, t[1].position)):
        if p.position in used_previous or c.position in matched_current:
            continue
        links.append(Link(p.position, c.position, FUZZY, round(float(score), 1)))
        used_previous.add(p.position)
        matched_current.add(c.position)
    return sorted(links, key=lambda link: (link.position, link.previous_position))


def refresh(con, reference_dir: Path) -> bool:
    """Recompute ``project_links`` between consecutive years of every partner's current agreements.

    Runs inside the writer's transaction; True if the links changed.
    """
    before = con.execute("select * from project_links order by all").fetchall()
    rows = con.execute("""
        select a.partner_ags, a.agreement_year, a.agreement_id, p.project_position, p.project_name,
               p.measure_type_code
        from agreements as a
        inner join projects as p on p.agreement_id = a.agreement_id
        order by a.partner_ags, a.agreement_year, p.project_position
    """).fetchall()
    by_partner_year: dict[tuple[str, int], tuple[str, list[Project]]] = {}
    for ags, year, agreement_id, position, name, code in rows:
        by_partner_year.setdefault((ags, year), (agreement_id, []))[1].append(Project(position, name, code))
    aliases: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for a in reference.load_project_aliases(reference_dir):
        aliases.setdefault((a.ags, a.agreement_year), []).append((a.previous_name, a.project_name))
    out = []
    for (ags, year), (agreement_id, projects) in sorted(by_partner_year.items()):
        if (ags, year - 1) not in by_partner_year:
            continue
        previous_id, previous = by_partner_year[(ags, year - 1)]
        for link in match(previous, projects, aliases.get((ags, year), ())):
            out.append((agreement_id, link.position, previous_id, link.previous_position, link.match_kind,
                        link.match_score))
    con.execute("delete from project_links")
    if out:
        frame = pd.DataFrame(out, columns=["agreement_id", "project_position", "previous_agreement_id",
                                           "previous_project_position", "match_kind", "match_score"])
        con.register("new_project_links", frame)  # one bulk insert; executemany is row by row
        try:
            con.execute("insert into project_links select * from new_project_links")
        finally:
            con.unregister("new_project_links")
    return sorted(out) != sorted(before)
