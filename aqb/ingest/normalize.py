"""Character-level normalisation shared by every format: ligatures, special spaces, soft hyphens, wraps."""

from __future__ import annotations

import re
import unicodedata

SOFT_HYPHEN = "\u00ad"
# Word and PDF typesetting put these where a plain space is meant ("1 326 900 Euro").
_SPACES = re.compile("[\u00a0\u2002-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_CONJUNCTIONS = ("und ", "oder ", "bzw.", "sowie ", "bis ", "u. ")


def normalize_text(text: str) -> str:
    """NFKC (ligatures such as "ﬁ"), every special space a plain one, line ends LF, invisible marks gone.

    Soft hyphens are kept here: where they sit decides how a wrapped word is re-joined (join_wrapped);
    clean_text drops the rest.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _INVISIBLE.sub("", text)


def clean_text(text: str) -> str:
    """normalize_text without any soft hyphen left."""
    return normalize_text(text).replace(SOFT_HYPHEN, "")


def join_wrapped(parts: list[str]) -> str:
    """Join the visual lines of one wrapped unit (a table cell, a project line) into one text.

    A soft hyphen at a line end, or a hard one before a lower-case continuation ("Fallmanage-" +
    "ment"), was a word split by the typesetter and is removed; "Ausbildungs- und" keeps its hyphen
    and space; "Main-" + "Kinzig" keeps the hyphen without a space.
    """
    out = ""
    for raw in parts:
        part = normalize_text(raw).strip()
        if not part:
            continue
        if not out:
            out = part
        elif out.endswith(SOFT_HYPHEN):
            out = out[:-1] + part
        elif re.search(r"[A-Za-zÄÖÜäöüß]-$", out) and part[0].isalpha():
            if part.startswith(_CONJUNCTIONS):
                out = f"{out} {part}"
            elif part[0].islower():
                out = out[:-1] + part
            else:
                out = out + part
        else:
            out = f"{out} {part}"
    return out.replace(SOFT_HYPHEN, "")
