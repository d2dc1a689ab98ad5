"""Decree 30/2020/NĐ-CP document layout with python-docx: A4, the decree's
margins, Times New Roman, the two header blocks with their short rules, the
place-and-date line, title, body, tables, signature block, "Nơi nhận" and
page numbers centred at the top from page 2. Used by the consolidated report
and the reminder letters alike."""

from __future__ import annotations

import functools
from datetime import date
from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from PIL import ImageFont

from netsafe.formatting import printable

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
# the run's font slots (Latin, complex-script, East Asian): all Times New Roman
FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")


def place_date(place: str, on: date) -> str:
    """'Bình Thuận, ngày 05 tháng 01 năm 2022': a leading zero for days 1-9
    and for months 1 and 2 (Decree 30/2020, Appendix I)."""
    day = f"{on.day:02d}"
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {day} tháng {month} năm {on.year}"


def _set_font(run_or_style, size: float | None = None) -> None:
    font = run_or_style.font
    font.name = FONT
    if size:
        font.size = Pt(size)
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for slot in FONT_SLOTS:
        fonts.set(qn(f"w:{slot}"), FONT)


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    for name in ("Normal", "Table Grid", "Header", "Footer"):
        if name in [style.name for style in doc.styles]:
            _set_font(doc.styles[name], BODY_PT if name == "Normal" else None)
    _set_font(doc.styles["Table Grid"], TABLE_PT)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.space_before = Pt(0)
    normal.line_spacing = 1.15
    _page_numbers(section)
    return doc


def _page_numbers(section) -> None:
    """Page number centred at the top, none on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line_indent: float | None = None,
    space_after: float = 6,
    space_before: float = 0,
):
    """One paragraph with one run, its properties written as WordprocessingML
    in one step (python-docx's setters each search the element; a report at
    national scale has thousands of paragraphs)."""
    para = container.add_paragraph()
    spacing = f'<w:spacing w:before="{_twips_pt(space_before)}" w:after="{_twips_pt(space_after)}"/>'
    indent = ""
    if first_line_indent is not None:
        kind = "firstLine" if first_line_indent >= 0 else "hanging"
        indent = f'<w:ind w:{kind}="{int(Cm(abs(first_line_indent)).twips)}"/>'
    para._p.insert(
        0, parse_xml(f'<w:pPr {nsdecls("w")}>{spacing}{indent}<w:jc w:val="{align.xml_value}"/></w:pPr>')
    )
    if text:
        # agency-entered text may hold control characters
        para._p.append(parse_xml(_run_xml(printable(text), size, bold=bold, italic=italic)))
    return para


def _twips_pt(points: float) -> int:
    return int(Pt(points).twips)


def body(doc, text: str, **kwargs):
    """A body paragraph: 14 pt, justified, first line indented 1 cm."""
    return paragraph(doc, text, first_line_indent=1.0, **kwargs)


def heading(doc, text: str):
    return paragraph(doc, text, bold=True, first_line_indent=1.0, space_before=6)


def caption(doc, text: str):
    """A table's title, bold and centred, kept on the page of its table."""
    para = paragraph(doc, text, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para.paragraph_format.keep_with_next = True
    return para


def short_rule(container, width_cm: float, cell_width_cm: float):
    """A short horizontal rule centred in its cell (a bottom border on a
    paragraph narrowed by indents), as under the issuing body and the motto."""
    para = paragraph(container, "", size=4, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    indent = max((cell_width_cm - width_cm) / 2, 0)
    para.paragraph_format.left_indent = Cm(indent)
    para.paragraph_format.right_indent = Cm(indent)
    ppr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    return para


def _fix_widths(table, widths_cm: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid,
    columns and every cell)."""
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        grid_col.set(qn("w:w"), str(int(Cm(width).twips)))
    # the first row's cell widths are enough with a fixed layout and grid
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)


def _indent(table, indent_cm: float) -> None:
    element = OxmlElement("w:tblInd")
    element.set(qn("w:w"), str(int(Cm(indent_cm).twips)))
    element.set(qn("w:type"), "dxa")
    table._tbl.tblPr.append(element)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


# The header table is a little wider than the text block (into the left
# margin), as official templates do, so neither title line wraps.
LEFT_CM, RIGHT_CM = 7.8, 9.7
HEADER_INDENT_CM = -0.6


def issued_document(issuer, number_line: str, on, subject_lines: list[str] | None = None) -> Document:
    """A new A4 document with the issuing body's header blocks dated `on`."""
    doc = new_document()
    header_block(
        doc,
        parent_header=issuer.parent_header_vi,
        issuer_upper=issuer.short_name_vi,
        number_line=number_line,
        place_date_line=place_date(issuer.province_vi, on),
        subject_lines=subject_lines,
    )
    return doc


def header_block(
    doc,
    *,
    parent_header: str,
    issuer_upper: str,
    number_line: str,
    place_date_line: str,
    subject_lines: list[str] | None = None,
) -> None:
    """The two header blocks: parent and issuing body with the number on the
    left; national name, motto and place-date on the right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    _fix_widths(table, [LEFT_CM, RIGHT_CM])
    _indent(table, HEADER_INDENT_CM)
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(parent_header.upper())
    _set_font(run, 12)
    paragraph(left, issuer_upper.upper(), size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    short_rule(left, 2.4, LEFT_CM)
    paragraph(left, number_line, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    for line in subject_lines or []:
        paragraph(left, line, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)

    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold = True
    _set_font(run, 12)
    paragraph(
        right,
        "Độc lập - Tự do - Hạnh phúc",
        size=13.5,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=0,
    )
    short_rule(right, 5.8, RIGHT_CM)
    paragraph(right, place_date_line, size=13.5, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=4)


# the text block of an A4 page with the decree's margins (210 - 30 - 15 mm)
TEXT_WIDTH_CM = 16.5
# Word's and LibreOffice's default cell margins (0.19 cm each side), plus a
# little slack for rounding between the two renderers
CELL_PADDING_CM = 0.45
# Times New Roman's metrics; Liberation Serif is metric-compatible and is what
# LibreOffice substitutes where Times New Roman is not installed
_FONT_FILES = {
    False: ("times.ttf", "Times New Roman.ttf", "LiberationSerif-Regular.ttf"),
    True: ("timesbd.ttf", "Times New Roman Bold.ttf", "LiberationSerif-Bold.ttf"),
}
_FONT_DIRS = (
    "/usr/share/fonts/truetype/msttcorefonts",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
)


def _font(bold: bool) -> ImageFont.FreeTypeFont | None:
    for folder in _FONT_DIRS:
        for name in _FONT_FILES[bold]:
            try:
                # sized in tenths of a point so widths keep their precision
                return ImageFont.truetype(f"{folder}/{name}", TABLE_PT * 10)
            except OSError:
                continue
    return None


_FONTS = {bold: _font(bold) for bold in (False, True)}


@functools.lru_cache(maxsize=65536)
def text_width_cm(text: str, *, bold: bool = False) -> float:
    """How wide `text` prints in 12 pt Times New Roman, in cm (an average
    glyph of half an em where no metric-compatible font is installed)."""
    font = _FONTS[bold]
    points = font.getlength(text) / 10 if font else len(text) * TABLE_PT * (0.55 if bold else 0.5)
    return points * 2.54 / 72


def fit_widths(
    headers: list[str],
    rows: list[list[str]],
    total: list[str] | None = None,
    available_cm: float = TEXT_WIDTH_CM,
) -> list[float]:
    """Column widths from the content. Each column is at least as wide as its
    widest unbreakable piece (a whole number, date or percentage, or the
    longest word of a header or text), so numbers never wrap and headers wrap
    only between words; the rest of the page goes to the columns whose text
    would otherwise wrap, in proportion to how much they need."""
    # the header and total rows print bold
    lines = [
        (row, bold) for row, bold in [(headers, True), *((row, False) for row in rows), (total, True)] if row
    ]
    floor, wanted = [], []
    for index in range(len(headers)):
        cells = [(str(row[index]), bold) for row, bold in lines]
        pieces = [(word, bold) for text, bold in cells for word in text.split()]
        floor.append(max((text_width_cm(word, bold=bold) for word, bold in pieces), default=0.5))
        wanted.append(max(text_width_cm(text, bold=bold) for text, bold in cells))
    floor = [width + CELL_PADDING_CM for width in floor]
    wanted = [width + CELL_PADDING_CM for width in wanted]
    if sum(wanted) <= available_cm:
        # everything fits on one line: the spare width goes to the widest text
        spare = available_cm - sum(wanted)
        return [width + spare * width / sum(wanted) for width in wanted]
    spare = max(available_cm - sum(floor), 0.0)
    short = [max(want - low, 0.0) for want, low in zip(wanted, floor, strict=True)]
    return [low + spare * need / sum(short) for low, need in zip(floor, short, strict=True)]


def data_table(
    doc,
    headers: list[str],
    rows: list[list[str]],
    widths_cm: list[float] | None = None,
    *,
    total: list[str] | None = None,
):
    """A bordered table, 12 pt, header and total rows bold, numbers
    right-aligned; column widths from the content unless given. Rows are
    written as WordprocessingML directly: a report at national scale has
    thousands of cells, and python-docx's per-cell objects cost ~1 ms each."""
    if widths_cm is None:
        widths_cm = fit_widths(headers, rows, total)
    table = doc.add_table(rows=0, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    twips = [int(Cm(width).twips) for width in widths_cm]
    all_rows = [headers] + rows + ([total] if total else [])
    for index, values in enumerate(all_rows):
        is_bold = index == 0 or (total is not None and index == len(all_rows) - 1)
        aligns = [
            "center" if index == 0 else ("right" if column > 0 and _looks_numeric(value) else "left")
            for column, value in enumerate(values)
        ]
        table._tbl.append(
            _row_xml([printable(v) for v in values], twips, aligns, bold=is_bold, header=index == 0)
        )
    _fix_widths(table, widths_cm)
    paragraph(doc, "", size=6, space_after=0)
    return table


_FONT_XML = "".join(f' w:{slot}="{FONT}"' for slot in FONT_SLOTS)


def _text_xml(text: str) -> str:
    """A run's text; a line break in the text stays one (as python-docx's add_run)."""
    return "<w:br/>".join(f'<w:t xml:space="preserve">{xml_escape(line)}</w:t>' for line in text.split("\n"))


def _run_xml(
    text: str, size: float, *, bold: bool = False, italic: bool = False, namespaced: bool = True
) -> str:
    """A run (w:r) in Times New Roman at `size` points, its font set on the
    run itself (LibreOffice ignores a style's font size in tables)."""
    weight = "<w:b/>" if bold else ""
    slant = "<w:i/>" if italic else ""
    declared = f" {nsdecls('w')}" if namespaced else ""
    properties = f'<w:rPr><w:rFonts{_FONT_XML}/>{weight}{slant}<w:sz w:val="{round(size * 2)}"/></w:rPr>'
    return f"<w:r{declared}>{properties}{_text_xml(text)}</w:r>"


def _row_xml(texts: list[str], twips: list[int], aligns: list[str], *, bold: bool, header: bool):
    """One table row (w:tr): never split across pages, the header repeated on
    each page; each cell one paragraph of one run, its font set on the run
    (LibreOffice ignores a table style's font size)."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:after="0"/><w:jc w:val="{align}"/></w:pPr>'
        f"{_run_xml(text, TABLE_PT, bold=bold, namespaced=False)}</w:p></w:tc>"
        for text, width, align in zip(texts, twips, aligns, strict=True)
    )
    repeat = '<w:tblHeader w:val="true"/>' if header else ""
    return parse_xml(
        f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit w:val="true"/>{repeat}</w:trPr>{cells}</w:tr>'
    )


def _looks_numeric(value: str) -> bool:
    stripped = (
        value.replace(".", "").replace(",", "").replace("%", "").replace("+", "").replace("-", "").strip()
    )
    return stripped.isdigit() or value.strip() in ("–",)


def signature_block(doc, *, recipients: list[str], sign_lines: list[str], signer: str) -> None:
    """'Nơi nhận' (left, italic bold 12 pt, entries 11 pt) and the signature
    (right: authority lines bold, room to sign, the name bold)."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    _fix_widths(table, [8.0, 8.5])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run("Nơi nhận:")
    run.bold, run.italic = True, True
    _set_font(run, 12)
    for line in recipients:
        paragraph(left, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=0)
    p = right.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(sign_lines[0])
    run.bold = True
    _set_font(run, 14)
    for line in sign_lines[1:]:
        paragraph(right, line, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    for _ in range(4):
        paragraph(right, "", size=14, space_after=0)
    paragraph(right, signer, size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
