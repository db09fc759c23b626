"""Demo documents as plain text / Markdown in the layout variants of TextStyle."""

from __future__ import annotations

import textwrap
from pathlib import Path
from aqb.errors import AqbError
from aqb.model import AgreementSpec
from aqb.demo.blocks import partner_for, build_blocks
from aqb.demo.styles import DEMO_NOTICE, NBSP, PAGE_COUNT_TEXT, TEXT_ENCODINGS, TextStyle
from aqb.demo.wording import page_footer, running_header


# Plain text


def _plain(text: str, emphasis: bool) -> str:
    return text if emphasis else text.replace("**", "")


def no_dash_at_line_start(text: str) -> str:
    # A wrapped line starting with "– " would read as a new bullet item.
    return text.replace(" – ", NBSP + "– ").replace(" - ", NBSP + "- ")


def _wrap(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    if width is None:
        return [first + text]
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=rest,
                                   break_long_words=False, break_on_hyphens=False)
    lines = wrapper.wrap(no_dash_at_line_start(text)) or [first.rstrip()]
    return [line.replace(NBSP, " ") for line in lines]


_KEEP_WITH_NEXT = {"notice", "title", "heading", "subheading", "measure", "sigplace", "sigmark"}


def _text_groups(spec: AgreementSpec, reference_dir: Path, style: TextStyle) -> list[tuple[list[str], bool, bool]]:
    """(lines, tight, keep) per block: tight = no blank line after; keep = no page break after."""
    blocks = build_blocks(spec, reference_dir, style.budget_format)
    groups: list[tuple[list[str], bool, bool]] = []
    for block in blocks:
        text = _plain(block.text, style.emphasis)
        if block.kind == "sigmark" and not style.signature_marks:
            continue
        if block.kind == "sigplace":
            text = block.place_and_date(style.long_dates)
        if block.kind == "notice":
            lines = [text]  # the parser looks for exactly this first line
        elif block.kind == "measure":
            number = style.numbering.replace("1", str(block.number))
            lines = _wrap(f"{number} {text}", style.wrap, "", "  ")
        elif block.kind == "item":
            lines = _wrap(text, style.wrap, f" {style.bullet} ", "  ")
        else:
            lines = _wrap(text, style.wrap)
        keep = block.kind in _KEEP_WITH_NEXT or (block.tight and block.kind != "item")
        groups.append((lines, block.tight, keep))
    return groups


def _join_groups(groups: list[tuple[list[str], bool, bool]]) -> list[str]:
    out: list[str] = []
    for lines, tight, _keep in groups:
        out += lines
        if not tight:
            out.append("")
    while out and out[-1] == "":
        out.pop()
    return out


def render_text(spec: AgreementSpec, reference_dir: Path, style: TextStyle = TextStyle()) -> str:
    """The agreement as plain text (lines joined by '\\n', pages by '\\f', ending in '\\n')."""
    groups = _text_groups(spec, reference_dir, style)
    if not style.page_furniture:
        lines = _join_groups(groups)
        if style.drop_blank_lines:
            lines = [line for line in lines if line.strip()]
        return "\n".join(lines) + "\n"

    partner = partner_for(spec, reference_dir)
    header = running_header(spec, partner)
    notice_first = spec.is_demo and groups and groups[0][0] == [DEMO_NOTICE]
    if notice_first:
        groups = groups[1:]
    # Break pages at the first allowed block boundary after each third of the body, as a printer would.
    sizes = [len(lines) + (0 if tight else 1) for lines, tight, _keep in groups]
    total = sum(sizes)
    cuts: list[int] = []
    running = 0
    for index, size in enumerate(sizes):
        running += size
        if (len(cuts) < PAGE_COUNT_TEXT - 1 and not groups[index][2]
                and running >= total * (len(cuts) + 1) / PAGE_COUNT_TEXT):
            cuts.append(index + 1)
    bounds = [0, *cuts, len(groups)]
    pages: list[str] = []
    for number in range(1, PAGE_COUNT_TEXT + 1):
        body = _join_groups(groups[bounds[number - 1]:bounds[number]])
        while body and body[0] == "":
            body.pop(0)
        page = [header, "", *body, "", page_footer(number, PAGE_COUNT_TEXT)]
        if number == 1 and notice_first:
            page = [DEMO_NOTICE, *page]
        if style.drop_blank_lines:
            page = [line for line in page if line.strip()]
        pages.append("\n".join(page))
    return "\f".join(pages) + "\n"


def write_text(spec: AgreementSpec, path: Path, reference_dir: Path, style: TextStyle = TextStyle(),
               encoding: str = "utf-8", newline: str = "\n") -> Path:
    """Write the plain-text rendering with the given encoding and line ending."""
    if encoding not in TEXT_ENCODINGS:
        raise ValueError(f"encoding must be one of {TEXT_ENCODINGS}")
    if newline not in ("\n", "\r\n"):
        raise ValueError("newline must be '\\n' or '\\r\\n'")
    text = render_text(spec, reference_dir, style).replace("\n", newline)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise AqbError(f"{Path(path).name}: Zeichen {exc.object[exc.start:exc.end]!r} ist in {encoding} "
                       "nicht darstellbar.") from None
    path = Path(path)
    path.write_bytes(data)
    return path
