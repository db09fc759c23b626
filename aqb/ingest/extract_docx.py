"""DOCX as Word saves it: the body in order (paragraphs and tables), automatic numbering, tracked
changes read as accepted, content controls; headers and footers are furniture and not read.

python-docx opens the package and gives the XML; the walk over ``w:body`` is done here because
python-docx's ``paragraphs``/``tables`` lists lose the order between them and do not know numbering.
"""

from __future__ import annotations

import io
import re
import zipfile

from aqb.errors import DocumentRefused
from aqb.ingest.layout import Item
from aqb.ingest.normalize import join_wrapped

# A DOCX is a zip: refuse archives that would unpack to more than this (zip bombs).
MAX_DOCX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_DOCX_RATIO = 200
TRACKED_CHANGES = "Dokument enthält nicht angenommene Änderungen (Nachverfolgung); gelesen wie angenommen."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr",
            f"{W}footnoteReference", f"{W}commentReference", f"{W}fldData", f"{W}sdtPr", f"{W}sdtEndPr"}
_CHANGE_TAGS = {f"{W}ins", f"{W}del", f"{W}moveFrom", f"{W}moveTo"}
PAGE_BREAK = "\f"
_PLACE_DATE = re.compile(r",\s*den\b|\b\d{1,2}\.\s?\d{1,2}\.\s?\d{4}\b")


def check_zip(file_name: str, data: bytes) -> None:
    """Refuse archives that are broken, not Word documents, or unpack far too large (checked while unpacking)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            total = sum(i.file_size for i in infos)
            packed = max(1, sum(i.compress_size for i in infos))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentRefused(file_name, "DOCX ist beschädigt (kein gültiges ZIP-Archiv).") from None
    if "word/document.xml" not in names:
        raise DocumentRefused(file_name, "ZIP-Archiv, aber kein Word-Dokument (word/document.xml fehlt).")
    bomb = DocumentRefused(file_name, "DOCX entpackt sich ungewöhnlich groß (ZIP-Bombe?) und wird abgelehnt.")
    if total > MAX_DOCX_UNPACKED_BYTES or total / packed > MAX_DOCX_RATIO:
        raise bomb
    # The sizes in the zip headers can lie: count what actually comes out, and stop early.
    unpacked = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                with archive.open(info) as member:
                    while chunk := member.read(1 << 16):
                        unpacked += len(chunk)
                        if unpacked > MAX_DOCX_UNPACKED_BYTES or unpacked / packed > MAX_DOCX_RATIO:
                            raise bomb
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise DocumentRefused(file_name, "DOCX ist beschädigt (kein gültiges ZIP-Archiv).") from None


# -- numbering ------------------------------------------------------------------------------------

def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    """A counter in one of Word's w:numFmt styles."""
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)  # decimal and the many decimal variants


class Numbering:
    """Labels of Word's automatic numbering (numbering.xml), counted in document order."""

    def __init__(self, root) -> None:
        self.levels: dict[str, dict[int, dict]] = {}  # abstractNumId -> ilvl -> definition
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = {
                    "start": int(_val(lvl, "start") or 1),
                    "fmt": _val(lvl, "numFmt") or "decimal",
                    "text": _val(lvl, "lvlText") or "",
                    "restart": _val(lvl, "lvlRestart"),
                    "legal": lvl.find(f"{W}isLgl") is not None,
                }
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            abstract_id = _val(num, "abstractNumId")
            overrides = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = _val(override, "startOverride")
                if start is not None:
                    overrides[int(override.get(f"{W}ilvl", "0"))] = int(start)
            self.nums[num.get(f"{W}numId")] = (abstract_id, overrides)

    def label(self, num_id: str, ilvl: int) -> str | None:
        """The label of the next paragraph in list ``num_id`` at level ``ilvl``; "-" for a bullet."""
        if num_id not in self.nums or num_id == "0":
            return None
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return None
        if level["fmt"] == "bullet":
            return "-"
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, level["start"])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, {}).get("restart")
            if restart != "0":
                del counters[deeper]
        def value(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k, {"fmt": "decimal", "start": 1})
            # Legal numbering (w:isLgl) shows every level's counter as a decimal: "1.2.1".
            fmt = "decimal" if level["legal"] else lvl["fmt"]
            return format_number(counters.get(k, overrides.get(k, lvl["start"])), fmt)
        return re.sub(r"%([1-9])", value, level["text"]).strip()


def _val(element, tag: str) -> str | None:
    child = element.find(f"{W}{tag}")
    return None if child is None else child.get(f"{W}val")


# -- body walk ------------------------------------------------------------------------------------

def _run_text(element, out: list[str]) -> None:
    """Text of a paragraph's content as Word shows it with all changes accepted."""
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag == f"{W}tab":
            out.append("\t")
        elif tag == f"{W}br" and child.get(f"{W}type") == "page":
            out.append(PAGE_BREAK)
        elif tag == f"{W}lastRenderedPageBreak":
            out.append(PAGE_BREAK)  # where Word last broke the page: the page the user saw it on
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}softHyphen":
            out.append("\u00ad")
        else:
            _run_text(child, out)


def _paragraph_text(p) -> str:
    parts: list[str] = []
    _run_text(p, parts)
    return "".join(parts)


class _Walker:
    def __init__(self, document) -> None:
        self.document = document
        try:
            numbering_root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering_root = None
        self.numbering = Numbering(numbering_root)
        self.style_numbering: dict[str, tuple[str, int] | None] = {}
        self.style_names: dict[str, str] = {}
        for style in document.styles:
            self.style_names[style.style_id] = style.name or ""
        self.list_counter = 0

    def _style_num(self, style_id: str | None) -> tuple[str, int] | None:
        """numPr a paragraph style carries (Word's "List Number" etc.), following basedOn."""
        if not style_id:
            return None
        if style_id not in self.style_numbering:
            self.style_numbering[style_id] = None
            found = None
            style = self.document.styles.element.get_by_id(style_id)
            seen = set()
            while style is not None and style.styleId not in seen and found is None:
                seen.add(style.styleId)
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None and _val(num_pr, "numId") is not None:
                    found = (_val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0))
                based = _val(style, "basedOn")
                style = self.document.styles.element.get_by_id(based) if based else None
            self.style_numbering[style_id] = found
        return self.style_numbering[style_id]

    def paragraph(self, p) -> str:
        """The paragraph's text with its list label; a page break is kept as one leading "\\f" (the
        paragraph starts a page) or one trailing "\\f" (the page breaks inside it)."""
        text = _paragraph_text(p)
        ppr = p.find(f"{W}pPr")
        breaks_before = ppr is not None and ppr.find(f"{W}pageBreakBefore") is not None
        if PAGE_BREAK in text:
            before, _, _ = text.partition(PAGE_BREAK)
            breaks_before = breaks_before or not before.strip()
            breaks_after = not breaks_before
            text = text.replace(PAGE_BREAK, "")
        else:
            breaks_after = False
        text = self._labelled(p, ppr, text)
        return (PAGE_BREAK if breaks_before else "") + text + (PAGE_BREAK if breaks_after else "")

    def _labelled(self, p, ppr, text: str) -> str:
        style_id = _val(ppr, "pStyle") if ppr is not None else None
        num_id, ilvl = None, 0
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id, ilvl = _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
        elif style_id:
            from_style = self._style_num(style_id)
            if from_style:
                num_id, ilvl = from_style
        if not text.strip():
            return text
        label = self.numbering.label(num_id, ilvl) if num_id else None
        if label is None:
            # Documents made without numbering.xml definitions still say what they mean by the style.
            name = self.style_names.get(style_id or "", "")
            if name.startswith("List Bullet"):
                label = "-"
            elif name.startswith("List Number"):
                self.list_counter += 1
                label = f"{self.list_counter}."
        return f"{label} {text.lstrip()}" if label else text

    def cell_paragraphs(self, tc) -> list[str]:
        texts: list[str] = []
        for child in tc:
            if child.tag == f"{W}p":
                texts.extend(self.paragraph(child).replace(PAGE_BREAK, "").split("\n"))
            elif child.tag == f"{W}tbl":
                for row in self.table_rows(child):
                    texts.append(" ".join(" ".join(c) for c in row))
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    texts.extend(self.cell_paragraphs(content))
        return texts

    def table_rows(self, tbl) -> list[list[list[str]]]:
        """Rows of cells, each cell its paragraph texts; a merged continuation cell is empty."""
        rows = []
        for tr in _children(tbl, "tr"):
            row = []
            for tc in _children(tr, "tc"):
                tc_pr = tc.find(f"{W}tcPr")
                merge = tc_pr.find(f"{W}vMerge") if tc_pr is not None else None
                continued = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                row.append([] if continued else self.cell_paragraphs(tc))
                span = int(_val(tc_pr, "gridSpan") or 1) if tc_pr is not None else 1
                row.extend([[] for _ in range(span - 1)])
            rows.append(row)
        return rows

    def table(self, tbl) -> list[Item]:
        rows = self.table_rows(tbl)
        texts = [t for row in rows for cell in row for t in cell]
        width = max((len(r) for r in rows), default=0)
        if width <= 3 and any(_PLACE_DATE.search(t) for t in texts):
            # A layout table of signatures side by side: read it column by column.
            items: list[Item] = []
            for col in range(width):
                for row in rows:
                    if col < len(row):
                        items.extend(t for t in row[col] if t.strip())
                items.append("")
            return items
        return [tuple(join_wrapped(cell) for cell in row) for row in rows]

    def block(self, element, items: list[Item]) -> None:
        for child in element:
            if child.tag == f"{W}p":
                items.extend(_page_lines(self.paragraph(child)))
            elif child.tag == f"{W}tbl":
                items.extend(self.table(child))
            elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
                if content is not None:
                    self.block(content, items)


def _page_lines(text: str) -> list[Item]:
    """A paragraph's lines, with a page-break item before or after them: a line is never cut in two
    by a page boundary."""
    if PAGE_BREAK not in text:
        return text.split("\n")
    lines: list[Item] = text.replace(PAGE_BREAK, "").split("\n")
    return [PAGE_BREAK, *lines] if text.startswith(PAGE_BREAK) else [*lines, PAGE_BREAK]


def _children(element, name: str):
    """Direct children ``w:name``, also those wrapped in content controls or tracked insertions."""
    for child in element:
        if child.tag == f"{W}{name}":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml", f"{W}ins"):
            inner = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if inner is not None:
                yield from _children(inner, name)


def docx_pages(file_name: str, data: bytes) -> tuple[list[list[Item]], tuple[str, ...]]:
    """The body of a DOCX as pages of items (Word's page breaks, explicit and last rendered), and
    warnings (tracked changes)."""
    check_zip(file_name, data)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        walker = _Walker(document)
        body = document.element.body
        items: list[Item] = []
        walker.block(body, items)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise DocumentRefused(file_name, f"DOCX nicht lesbar ({type(exc).__name__}).") from None
    except Exception as exc:  # lxml raises its own XMLSyntaxError family
        if type(exc).__module__.startswith("lxml"):
            raise DocumentRefused(file_name, "DOCX nicht lesbar (fehlerhaftes XML).") from None
        raise
    changed = any(el.tag in _CHANGE_TAGS for el in body.iter(*_CHANGE_TAGS))
    pages: list[list[Item]] = [[]]
    for item in items:
        if item == PAGE_BREAK:
            if pages[-1]:
                pages.append([])
        else:
            pages[-1].append(item)
    return pages, (TRACKED_CHANGES,) if changed else ()
