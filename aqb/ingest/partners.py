"""Match the partner wording of a document ("der Stadt Kassel", "des Lahn-Dill-Kreises") to one key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aqb.reference import Partner

CITY, COUNTY = "kreisfreie Stadt", "Landkreis"

_PREFIX = re.compile(
    r"^(?:(?P<city>(?:wissenschafts|landeshaupt|universitats|documenta-|kreisfreie[nr]?\s+)?stadt)"
    r"|(?P<county>(?:land)?kreis(?:es)?))\s+(?P<rest>.+)$"
)
_BODY = re.compile(r"^(?:(?:magistrat|kreisausschuss|oberburgermeister\w*|landr\w+)\s+(?:der|des)\s+)")
_ARTICLE = re.compile(r"^(?:der|dem|des|den|die|das)\s+")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Casefolded, umlaut- and ß-insensitive, dashes unified, quotes and spaces squeezed."""
    text = text.casefold().replace("ß", "ss").replace("ä", "a").replace("ö", "o").replace("ü", "u")
    text = re.sub(r"[–—‐]", "-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"[„“”\"'*]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


@lru_cache(maxsize=256)
def _name_keys(partner: Partner) -> frozenset[str]:
    short = normalize(re.sub(r"\(.*?\)", "", partner.name))
    official = normalize(partner.official_name)
    keys = {short, official}
    match = _PREFIX.match(official)
    if match:
        keys.add(match.group("rest"))
    for key in list(keys):
        if key.endswith(" am main"):
            keys.add(key[: -len(" am main")])
    return frozenset(keys)


@dataclass(frozen=True)
class PartnerMatch:
    phrase: str
    candidates: tuple[Partner, ...]


def match_partner(phrase: str, partners: tuple[Partner, ...]) -> PartnerMatch:
    """All partners the phrase can mean: one is a match, none is foreign, several are ambiguous."""
    text = normalize(re.split(r"[,;(]", phrase)[0])
    text = _ARTICLE.sub("", text)
    text = _BODY.sub("", text)
    kind = None
    prefix = _PREFIX.match(text)
    if prefix:
        kind = CITY if prefix.group("city") else COUNTY
        text = prefix.group("rest")
    keys = {p.ags: _name_keys(p) for p in partners}
    words = text.split(" ")
    # Unknown words before or after the name ("Gebietskörperschaft Kassel", "… vertreten durch")
    # are dropped one at a time; the longest leftmost match wins.
    for start in range(len(words)):
        for end in range(len(words), start, -1):
            candidate = " ".join(words[start:end])
            forms = {candidate}
            if candidate.endswith("es"):
                forms.add(candidate[:-2])  # genitive: Lahn-Dill-Kreises, Hochtaunuskreises
            if candidate.endswith("s"):
                forms.add(candidate[:-1])
            found = tuple(p for p in partners if keys[p.ags] & forms and (kind is None or p.kind == kind))
            if found:
                return PartnerMatch(phrase, found)
    return PartnerMatch(phrase, ())
