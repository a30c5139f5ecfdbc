"""The printed quote and contract: A4 PDFs drawn with reportlab from crmdesk.services.document_data, and
the company profile (the letterhead) they are printed under.

reportlab and the bundled CJK font (WenQuanYi Micro Hei, embedded as a subset so a PDF reads the same on
a machine with no Chinese font) are loaded on the first render, not at import: start-up time matters.
Every printed word goes through `_()`, so a PDF is in the language crmdesk.i18n is set to.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from stdnum.cn import uscc

from crmdesk.i18n import _
from crmdesk.models.database import Database
from crmdesk.services.document_data import (
    CompanyProfile,
    ContractDocument,
    DocumentLine,
    InstallmentLine,
    PartyBlock,
    QuoteDocument,
)
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.money import amount_in_words, format_yuan, round_fen
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.uow import Actor

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Flowable

log = logging.getLogger(__name__)

COMPANY_SETTING = "company_profile"
MANAGER_ROLES = ("manager", "admin")
FONT_PATH = Path(__file__).resolve().parents[2] / "resources" / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "WenQuanYiMicroHei"

# The profile's text fields and their longest values; name is the one that must be there.
PROFILE_TEXT_FIELDS = {"name": 100, "address": 200, "phone": 40, "tax_id": 18, "bank_name": 100,
                       "bank_account": 40}
LOGO_MAX_BYTES = 1024 * 1024

MM = 72 / 25.4  # points per millimetre
PAGE_MARGIN = 16 * MM
TOP_MARGIN = 14 * MM
BOTTOM_MARGIN = 20 * MM  # the footer sits in it
LOGO_BOX = (38 * MM, 20 * MM)
INK = "#1f2933"
MUTED = "#5f6b7a"
RULE = "#9aa5b1"
SHADE = "#eef1f4"
# Every table sets its cells' font: reportlab's default for a cell is Helvetica, even around a paragraph.
_BASE_CELL = (("FONTNAME", (0, 0), (-1, -1), FONT_NAME),)
GAP = "&#160;" * 4  # between facts on one printed line (a paragraph folds plain spaces into one)


# ---------------------------------------------------------------------------------------------------
# The company profile (team setting "company_profile")


def default_company_profile() -> CompanyProfile:
    """What prints before anyone set the profile up: a name that says so, in the current language."""
    return CompanyProfile(name=_("Company name not set up: fill in the company profile in the settings"))


def check_company_profile(value: Any) -> dict[str, str]:
    """The stored form of a profile (every text field, logo as base64 or ""), or ValidationError
    naming each bad field. `value` is a mapping with the keys of PROFILE_TEXT_FIELDS and "logo"."""
    if not isinstance(value, Mapping):
        raise ValidationError({"profile": _("The company profile must be an object of fields.")})
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key in value:
        if key not in PROFILE_TEXT_FIELDS and key != "logo":
            errors[str(key)] = _("Unknown field.")
    for key, longest in PROFILE_TEXT_FIELDS.items():
        raw = value.get(key)
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            errors[key] = _("Must be text.")
            continue
        text = raw.strip()
        if len(text) > longest:
            errors[key] = _("At most {count} characters.", count=longest)
        cleaned[key] = text
    if not cleaned.get("name") and "name" not in errors:
        errors["name"] = _("Enter the company name.")
    if cleaned.get("tax_id"):
        cleaned["tax_id"] = cleaned["tax_id"].upper()
        if "tax_id" not in errors and not uscc.is_valid(cleaned["tax_id"]):
            errors["tax_id"] = _("Not a valid unified social credit code.")
    account = cleaned.get("bank_account", "")
    if account and "bank_account" not in errors and (
            any(not (ch.isdigit() or ch in " -") for ch in account) or sum(ch.isdigit() for ch in account) < 6):
        errors["bank_account"] = _("A bank account number is digits (spaces and hyphens allowed).")
    logo = value.get("logo") or ""
    if not isinstance(logo, str):
        errors["logo"] = _("The logo must be a PNG or JPEG image.")
    elif logo:
        try:
            image = base64.b64decode(logo, validate=True)
        except (binascii.Error, ValueError):
            errors["logo"] = _("The logo must be a PNG or JPEG image.")
        else:
            problem = _logo_problem(image)
            if problem:
                errors["logo"] = problem
            else:
                logo = base64.b64encode(image).decode("ascii")
    if errors:
        raise ValidationError(errors)
    cleaned["logo"] = logo if isinstance(logo, str) else ""
    return cleaned


def _logo_problem(image: bytes) -> str | None:
    if len(image) > LOGO_MAX_BYTES:
        return _("The logo may be at most 1 MB.")
    if not (image.startswith(b"\x89PNG\r\n\x1a\n") or image.startswith(b"\xff\xd8\xff")):
        return _("The logo must be a PNG or JPEG image.")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as opened:
            opened.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return _("The logo file is damaged or not an image.")
    return None


def _profile_from_stored(stored: Mapping[str, str]) -> CompanyProfile:
    logo = base64.b64decode(stored["logo"]) if stored.get("logo") else None
    return CompanyProfile(name=stored["name"], address=stored["address"], phone=stored["phone"],
                          tax_id=stored["tax_id"], bank_name=stored["bank_name"],
                          bank_account=stored["bank_account"], logo_png=logo)


def load_company_profile(db: Database) -> CompanyProfile:
    """The letterhead the team set up, or default_company_profile() when none (or a broken one) is stored."""
    stored = load_setting(db, COMPANY_SETTING, None)
    if stored is None:
        return default_company_profile()
    try:
        return _profile_from_stored(check_company_profile(stored))
    except ValidationError as error:  # written by a newer or broken desk: print the default, not crash
        log.warning("the stored company profile is not valid (%s); the default applies", error)
        return default_company_profile()


def save_company_profile(db: Database, actor: Actor, profile_dict: Mapping[str, Any]) -> CompanyProfile:
    """Check and store the team's company profile (name, address, phone, tax_id, bank_name, bank_account,
    logo as base64 of a PNG or JPEG, "" for none). Managers and administrators only."""
    if actor.role not in MANAGER_ROLES:
        raise UserError(_("Only a manager can change the company profile."))
    stored: dict[str, str] = save_setting(db, actor, COMPANY_SETTING, profile_dict, check_company_profile)
    return _profile_from_stored(stored)


# ---------------------------------------------------------------------------------------------------
# The font and the styles, made on the first render


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    company: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    words: ParagraphStyle
    paragraph: ParagraphStyle


_lock = threading.Lock()
_styles: _Styles | None = None


def _ensure_styles() -> _Styles:
    """Register the bundled font with reportlab (once per process) and build the paragraph styles."""
    global _styles
    with _lock:
        if _styles is not None:
            return _styles
        from reportlab.lib.enums import TA_CENTER
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            # A TrueType font is embedded as a subset of the glyphs used; never a built-in CID font,
            # which a reader without Chinese fonts would show as boxes.
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))
            # The face has no bold or italic: <b> in a paragraph maps to the same face.
            pdfmetrics.registerFontFamily(FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME,
                                          boldItalic=FONT_NAME)
        base = ParagraphStyle("crmdesk-body", fontName=FONT_NAME, fontSize=9.5, leading=14, wordWrap="CJK",
                              textColor=INK)
        _styles = _Styles(
            body=base,
            small=ParagraphStyle("crmdesk-small", parent=base, fontSize=8.5, leading=12),
            company=ParagraphStyle("crmdesk-company", parent=base, fontSize=15, leading=19),
            title=ParagraphStyle("crmdesk-title", parent=base, fontSize=20, leading=26, alignment=TA_CENTER,
                                 spaceBefore=4, spaceAfter=8),
            heading=ParagraphStyle("crmdesk-heading", parent=base, fontSize=11, leading=15, spaceBefore=8,
                                   spaceAfter=4),
            cell=ParagraphStyle("crmdesk-cell", parent=base, fontSize=8.5, leading=11),
            cell_center=ParagraphStyle("crmdesk-cell-center", parent=base, fontSize=8.5, leading=11,
                                       alignment=TA_CENTER),
            # Column headers break between words ("Tax / rate"), not inside one; Chinese ones are short.
            cell_head=ParagraphStyle("crmdesk-cell-head", parent=base, fontSize=8.5, leading=11,
                                     alignment=TA_CENTER, wordWrap=None),
            words=ParagraphStyle("crmdesk-words", parent=base, fontSize=10, leading=15),
            paragraph=ParagraphStyle("crmdesk-paragraph", parent=base, spaceAfter=5),
        )
        return _styles


# ---------------------------------------------------------------------------------------------------
# Small formatting helpers


def _text(value: str) -> str:
    """User text as paragraph markup: escaped, line breaks kept."""
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def _date(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _number(value: Decimal) -> str:
    """A money figure in a table: 12,345.67 (the column says it is yuan)."""
    return f"{round_fen(value):,.2f}"


def _quantity(value: Decimal) -> str:
    """2, 1.5, 0.125: no trailing zeros, never in exponent form."""
    if value == value.to_integral_value():
        return f"{value.to_integral_value():,}"
    return f"{value:,f}".rstrip("0").rstrip(".")


def _tax_rate(basis_points: int) -> str:
    percent = Decimal(basis_points) / 100
    return f"{percent.normalize():f}%" if percent != percent.to_integral_value() else f"{int(percent)}%"


def _version(version: int | None) -> str:
    return f"V{version}" if version is not None else ""


# ---------------------------------------------------------------------------------------------------
# The parts of a page


def _numbered_canvas(footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that keeps every page until the end, so the footer can say 第 x 页 / 共 N 页."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _footer(number: str, version: int | None, company: str) -> Callable[[Canvas, int, int], None]:
    from reportlab.lib.pagesizes import A4

    width, _height = A4

    def draw(canvas: Canvas, page: int, pages: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, 14 * MM, width - PAGE_MARGIN, 14 * MM)
        canvas.setFont(FONT_NAME, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(PAGE_MARGIN, 10 * MM, f"{number}  {_version(version)}".strip())
        canvas.drawCentredString(width / 2, 10 * MM, _("Page {page} of {pages}", page=page, pages=pages))
        canvas.drawRightString(width - PAGE_MARGIN, 10 * MM, company[:40])
        canvas.restoreState()

    return draw


def _letterhead(company: CompanyProfile, styles: _Styles, frame_width: float) -> list[Flowable]:
    from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle

    details = []
    if company.address:
        details.append(_text(company.address))
    contact = []
    if company.phone:
        contact.append(_("Phone: {phone}", phone=company.phone))
    if company.tax_id:
        contact.append(_("Unified social credit code: {code}", code=company.tax_id))
    if contact:
        details.append(GAP.join(_text(part) for part in contact))
    bank = []
    if company.bank_name:
        bank.append(_("Bank: {bank}", bank=company.bank_name))
    if company.bank_account:
        bank.append(_("Account: {account}", account=company.bank_account))
    if bank:
        details.append(GAP.join(_text(part) for part in bank))
    block: list[Flowable] = [Paragraph(_text(company.name), styles.company)]
    if details:
        block.append(Paragraph("<br/>".join(details), styles.small))
    logo = _logo(company.logo_png, Image)
    if logo is not None:
        table = Table([[logo, block]], colWidths=[LOGO_BOX[0] + 4 * MM, frame_width - LOGO_BOX[0] - 4 * MM])
    else:
        table = Table([[block]], colWidths=[frame_width])
    table.setStyle(TableStyle([*_BASE_CELL, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6), ("LINEBELOW", (0, 0), (-1, -1), 1.2, INK)]))
    return [table, Spacer(1, 2 * MM)]


def _logo(data: bytes | None, image_class: Any) -> Any:
    if not data:
        return None
    from reportlab.lib.utils import ImageReader

    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
    except Exception:  # a logo reportlab cannot read prints no logo rather than no document
        log.warning("the company logo cannot be read; printing without it", exc_info=True)
        return None
    scale = min(LOGO_BOX[0] / width, LOGO_BOX[1] / height)
    return image_class(io.BytesIO(data), width=width * scale, height=height * scale, hAlign="LEFT")


def _party_lines(party: PartyBlock) -> list[str]:
    lines = [f'<font size="11">{_text(party.name)}</font>']
    if party.contact:
        lines.append(_text(_("Contact: {name}", name=party.contact)))
    if party.phone:
        lines.append(_text(_("Phone: {phone}", phone=party.phone)))
    if party.address:
        lines.append(_text(_("Address: {address}", address=party.address)))
    if party.tax_id:
        lines.append(_text(_("Unified social credit code: {code}", code=party.tax_id)))
    return lines


def _boxed_pair(left_title: str, left: list[str], right_title: str, right: list[str], styles: _Styles,
                frame_width: float) -> Flowable:
    """Two framed blocks side by side: the customer and the document's facts, or both parties."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    def cell(title: str, lines: list[str]) -> Paragraph:
        return Paragraph(f'<font color="{MUTED}">{escape(title)}</font><br/>' + "<br/>".join(lines), styles.small)

    half = frame_width / 2
    table = Table([[cell(left_title, left), cell(right_title, right)]], colWidths=[half, half])
    table.setStyle(TableStyle([
        *_BASE_CELL,
        ("BOX", (0, 0), (0, 0), 0.6, RULE), ("BOX", (1, 0), (1, 0), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def _facts(pairs: Sequence[tuple[str, str]]) -> list[str]:
    return [_labelled(label, _text(value)) for label, value in pairs if value]


def _labelled(label: str, markup: str) -> str:
    """"标签：值" in Chinese, "Label: value" in English; `markup` is already paragraph markup."""
    return _("{label}: {value}", label=escape(label), value=markup)


def _facts_box(facts: list[str], styles: _Styles, frame_width: float) -> Flowable:
    """The document's facts (number, version, dates, ...) in two columns inside one frame."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    half = (len(facts) + 1) // 2
    columns = [facts[:half], facts[half:]]
    cells = [Paragraph("<br/>".join(column), styles.small) for column in columns]
    table = Table([cells], colWidths=[frame_width / 2] * 2)
    table.setStyle(TableStyle([*_BASE_CELL, ("BOX", (0, 0), (-1, -1), 0.6, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _line_table(lines: Sequence[DocumentLine], styles: _Styles, frame_width: float) -> Flowable:
    """序号 编码 名称 数量 单位 单价 折扣 税率 金额, the header row repeated on every page."""
    from reportlab.platypus import Paragraph, Table, TableStyle

    fixed = {"position": 9 * MM, "code": 20 * MM, "quantity": 13 * MM, "unit": 10 * MM,
             "unit_price": 22 * MM, "discount": 18 * MM, "tax": 11 * MM, "total": 25 * MM}
    description_width = frame_width - sum(fixed.values())
    widths = [fixed["position"], fixed["code"], description_width, fixed["quantity"], fixed["unit"],
              fixed["unit_price"], fixed["discount"], fixed["tax"], fixed["total"]]
    header = [_("#"), _("Code"), _("Description"), _("Qty"), _("Unit"), _("Unit price"), _("Discount"),
              _("Tax rate"), _("Amount")]
    rows: list[list[Any]] = [[Paragraph(escape(text), styles.cell_head) for text in header]]
    for line in lines:
        rows.append([
            str(line.position),
            Paragraph(_text(line.code), styles.cell),
            Paragraph(_text(line.description), styles.cell),
            _quantity(line.quantity),
            Paragraph(_text(line.unit), styles.cell_center),
            _number(line.unit_price),
            _number(line.discount) if line.discount else "—",
            _tax_rate(line.tax_rate_bp),
            _number(line.line_total),
        ])
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)  # a line taller than a page splits
    table.setStyle(TableStyle([
        *_BASE_CELL,
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        # Top: a line split over two pages keeps its figures with its first part.
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (3, -1), "RIGHT"),
        ("ALIGN", (5, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def _totals(rows: Sequence[tuple[str, Decimal]], total: Decimal, styles: _Styles,
            frame_width: float) -> list[Flowable]:
    """The figures right-aligned under the lines, then the total in words across the page."""
    from reportlab.platypus import Spacer, Table, TableStyle

    label_width, value_width = 30 * MM, 36 * MM
    data = [[label, format_yuan(value)] for label, value in rows]
    figures = Table(data, colWidths=[label_width, value_width], hAlign="RIGHT")
    last = len(data) - 1
    figures.setStyle(TableStyle([
        *_BASE_CELL,
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("FONTSIZE", (0, last), (-1, last), 11.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
        ("LINEABOVE", (0, last), (-1, last), 0.8, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    words = (_labelled(_("Total in words"), f'<font size="11.5">{escape(amount_in_words(total))}</font>')
             + f'{GAP}<font color="{MUTED}">{escape(format_yuan(total))}</font>')
    words_box = _shaded_box(words, styles, frame_width)
    return [Spacer(1, 3 * MM), figures, Spacer(1, 2 * MM), words_box]


def _shaded_box(markup: str, styles: _Styles, frame_width: float) -> Flowable:
    from reportlab.platypus import Paragraph, Table, TableStyle

    box = Table([[Paragraph(markup, styles.words)]], colWidths=[frame_width])
    box.setStyle(TableStyle([*_BASE_CELL, ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                             ("BACKGROUND", (0, 0), (-1, -1), SHADE), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                             ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return box


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Text as printed paragraphs: a blank line starts a new one, a single line break is kept."""
    from reportlab.platypus import Paragraph

    normalized = text.replace("\r\n", "\n").strip("\n")
    blocks = [block for block in normalized.split("\n\n") if block.strip()]
    return [Paragraph(_text(block.strip("\n")), style) for block in blocks]


def _signatures(parties: Sequence[tuple[str, str]], styles: _Styles, frame_width: float) -> Flowable:
    """A box per party with room to sign and to seal, and the date: 签字 / 盖章 / 日期."""
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    cells = []
    for role, name in parties:
        cells.append([
            Paragraph(f'<font color="{MUTED}">{escape(role)}</font><br/>{_text(name)}', styles.small),
            Spacer(1, 5 * MM),
            Paragraph(_labelled(_("Signature"), ""), styles.body),
            Spacer(1, 10 * MM),
            Paragraph(_labelled(_("Seal"), ""), styles.body),
            Spacer(1, 34 * MM),  # a company seal is 40-42 mm across; it may overlap the label
            Paragraph(_labelled(_("Date"), ""), styles.body),
        ])
    width = frame_width / len(parties)
    table = Table([cells], colWidths=[width] * len(parties))
    table.setStyle(TableStyle([
        *_BASE_CELL,
        *[("BOX", (column, 0), (column, 0), 0.6, RULE) for column in range(len(parties))],
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
    ]))
    return KeepTogether([Spacer(1, 6 * MM), table])


def _build(story: list[Flowable], *, title: str, number: str, version: int | None,
           company: CompanyProfile) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=PAGE_MARGIN, rightMargin=PAGE_MARGIN, topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN, title=f"{title} {number} {_version(version)}".strip(),
        author=company.name, subject=title, creator="crmdesk",
        # Else every page, and every table cell, starts in Helvetica: a font named but not embedded.
        initialFontName=FONT_NAME)
    template.build(story, canvasmaker=_numbered_canvas(_footer(number, version, company.name)))
    return buffer.getvalue()


def _frame_width() -> float:
    from reportlab.lib.pagesizes import A4

    return A4[0] - 2 * PAGE_MARGIN


# ---------------------------------------------------------------------------------------------------
# The documents


def render_quote_pdf(doc: QuoteDocument) -> bytes:
    """The quote as an A4 PDF: letterhead, 报价单 with number and version, the customer, the lines (their
    header on every page), the totals with 金额大写, the terms, and signature and seal boxes."""
    from reportlab.platypus import Paragraph

    styles = _ensure_styles()
    width = _frame_width()
    title = _("Quotation")
    story: list[Flowable] = [*_letterhead(doc.company, styles, width), Paragraph(escape(title), styles.title)]
    facts = _facts([
        (_("Quote No."), doc.number),
        (_("Version"), _version(doc.version)),
        (_("Issued on"), _date(doc.issued_on)),
        (_("Valid until"), _date(doc.valid_until)),
        (_("Sales consultant"), doc.owner_name),
    ])
    story.append(_boxed_pair(_("Customer"), _party_lines(doc.customer), _("Quotation details"), facts,
                             styles, width))
    from reportlab.platypus import Spacer

    story.append(Spacer(1, 4 * MM))
    story.append(_line_table(doc.lines, styles, width))
    story.extend(_totals([(_("Subtotal"), doc.subtotal), (_("Discount"), -abs(doc.discount_total)),
                          (_("Tax"), doc.tax_total), (_("Total"), doc.total)], doc.total, styles, width))
    if doc.terms.strip():
        story.append(Paragraph(escape(_("Terms")), styles.heading))
        story.extend(_paragraphs(doc.terms, styles.body))
    story.append(_signatures([(_("Quoted by"), doc.company.name), (_("Accepted by the customer"), doc.customer.name)],
                             styles, width))
    return _build(story, title=title, number=doc.number, version=doc.version, company=doc.company)


def _installment_table(installments: Sequence[InstallmentLine], amount: Decimal, styles: _Styles,
                       frame_width: float) -> Flowable:
    from reportlab.platypus import Paragraph, Table, TableStyle

    widths = [20 * MM, 28 * MM, 34 * MM, 20 * MM]
    widths.append(frame_width - sum(widths))
    header = [_("Installment"), _("Due date"), _("Amount"), _("Share"), _("Note")]
    rows: list[list[Any]] = [[Paragraph(escape(text), styles.cell_head) for text in header]]
    for item in installments:
        share = f"{(item.amount / amount * 100).quantize(Decimal('0.01'))}%" if amount else ""
        rows.append([str(item.sequence), _date(item.due_date), format_yuan(item.amount), share,
                     Paragraph(_text(item.note), styles.cell)])
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)  # a line taller than a page splits
    table.setStyle(TableStyle([
        *_BASE_CELL,
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (1, -1), "CENTER"), ("ALIGN", (2, 1), (3, -1), "RIGHT"),
    ]))
    return table


def render_contract_pdf(doc: ContractDocument) -> bytes:
    """The contract as an A4 PDF: letterhead, its title, number and version, both parties, the body text,
    the lines if any, the amount with 金额大写, the payment plan, and both parties' signature and seal."""
    from reportlab.platypus import Paragraph, Spacer

    styles = _ensure_styles()
    width = _frame_width()
    title = doc.title.strip() or _("Contract")
    story: list[Flowable] = [*_letterhead(doc.company, styles, width), Paragraph(escape(title), styles.title)]
    term = ""
    if doc.starts_on or doc.ends_on:
        term = _("{start} to {end}", start=_date(doc.starts_on), end=_date(doc.ends_on))
    quote = f"{doc.quote_number} {_version(doc.quote_version)}".strip()
    facts = _facts([
        (_("Contract No."), doc.number),
        (_("Version"), _version(doc.version)),
        (_("Signed on"), _date(doc.signed_on)),
        (_("Term"), term),
        (_("Quote"), quote),
        (_("Template version"), _version(doc.template_version)),
    ])
    story.append(_facts_box(facts, styles, width))
    story.append(Spacer(1, 3 * MM))
    seller = PartyBlock(name=doc.company.name, phone=doc.company.phone, address=doc.company.address,
                        tax_id=doc.company.tax_id)
    story.append(_boxed_pair(_("Seller (Party A)"), _party_lines(seller), _("Buyer (Party B)"),
                             _party_lines(doc.customer), styles, width))
    story.append(Spacer(1, 4 * MM))
    story.extend(_paragraphs(doc.body, styles.paragraph))
    if doc.lines:
        story.append(Paragraph(escape(_("Items")), styles.heading))
        story.append(_line_table(doc.lines, styles, width))
    story.append(Spacer(1, 3 * MM))
    story.append(_shaded_box(
        _labelled(_("Contract amount"), f'<font size="11.5">{escape(format_yuan(doc.amount))}</font>') + GAP
        + _labelled(_("In words"), f'<font size="11.5">{escape(amount_in_words(doc.amount))}</font>'),
        styles, width))
    if doc.installments:
        story.append(Paragraph(escape(_("Payment plan")), styles.heading))
        story.append(_installment_table(doc.installments, doc.amount, styles, width))
    story.append(_signatures([(_("Seller (Party A)"), doc.company.name), (_("Buyer (Party B)"), doc.customer.name)],
                             styles, width))
    return _build(story, title=title, number=doc.number, version=doc.version, company=doc.company)
