"""The PDF preview: the pages shown, zoom, saving the same bytes, and printing through QPrinter."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.services.document_data import (
    CompanyProfile,
    ContractDocument,
    DocumentLine,
    PartyBlock,
    QuoteDocument,
)
from crmdesk.services.documents import render_contract_pdf, render_quote_pdf
from crmdesk.views import pdf_preview
from crmdesk.views.pdf_preview import PdfPreviewDialog

COMPANY = CompanyProfile(name="杭州华驰汽车销售服务有限公司", address="浙江省杭州市西湖区文三路 398 号")
CUSTOMER = PartyBlock(name="苏州群英电子有限公司", contact="陈静")


@pytest.fixture
def long_quote() -> bytes:
    """A 50-line quote: three A4 pages."""
    lines = tuple(DocumentLine(position=index, code=f"HC-S5-{index:04d}", description="华驰 S5 2026 款 豪华型",
                               quantity=Decimal(1), unit="台", unit_price=Decimal("158800.00"),
                               discount=Decimal(0), tax_rate_bp=1300, line_total=Decimal("158800.00"))
                  for index in range(1, 51))
    total = Decimal("158800.00") * 50
    return render_quote_pdf(QuoteDocument(
        number="QT-A1B2-20261123-0001", version=2, issued_on=date(2026, 11, 23), valid_until=None,
        company=COMPANY, customer=CUSTOMER, lines=lines, subtotal=total, discount_total=Decimal(0),
        tax_total=Decimal("913451.33"), total=total))


def contract_pdf() -> bytes:
    return render_contract_pdf(ContractDocument(number="CT-A1B2-20261125-0001", title="汽车销售合同",
                                                company=COMPANY, customer=CUSTOMER, body="第一条 标的",
                                                amount=Decimal("1050000.70")))


def open_preview(qtbot: QtBot, pdf: bytes, title: str = "报价单 QT-A1B2-20261123-0001 V2") -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, title)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def pages_of(pdf: bytes | Path) -> int:
    return len(pypdf.PdfReader(pdf if isinstance(pdf, Path) else io.BytesIO(pdf)).pages)


def test_the_dialog_shows_every_page(qtbot: QtBot, app: QApplication, long_quote: bytes) -> None:
    expected = pages_of(long_quote)
    assert expected >= 2
    dialog = open_preview(qtbot, long_quote)
    assert dialog.page_count == expected
    assert len(dialog.page_labels) == expected
    for label in dialog.page_labels:
        pixmap = label.pixmap()
        assert not pixmap.isNull()
        assert abs(pixmap.height() / pixmap.width() - 297 / 210) < 0.01  # A4 upright
    assert str(expected) in dialog.pages_label.text()


def test_fit_width_fills_the_view_and_zoom_changes_the_rendered_size(qtbot: QtBot, app: QApplication,
                                                                      long_quote: bytes) -> None:
    dialog = open_preview(qtbot, long_quote)
    fitted = dialog.page_labels[0].width()
    viewport = dialog.scroll_area.viewport().width()
    assert viewport * 0.85 < fitted <= viewport
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.page_labels[0].width() == pytest.approx(fitted * 1.25, abs=2)
    dialog.set_zoom(1.0)
    width_at_100 = dialog.page_labels[0].width()
    assert width_at_100 == pytest.approx(210 / 25.4 * 96, abs=2)  # A4's width at 96 pixels an inch
    assert dialog.zoom_label.text() == "100 %"
    dialog.zoom_out()
    assert dialog.page_labels[0].width() == pytest.approx(width_at_100 / 1.25, abs=2)
    for _ in range(20):
        dialog.zoom_out()
    assert dialog.zoom == pytest.approx(0.25) and not dialog.zoom_out_button.isEnabled()
    dialog.fit_width()
    assert dialog.page_labels[0].width() == pytest.approx(fitted, abs=2)
    dialog.resize(dialog.width() + 200, dialog.height())
    qtbot.waitUntil(lambda: dialog.page_labels[0].width() > fitted + 150)


def test_save_writes_the_same_bytes(qtbot: QtBot, app: QApplication, long_quote: bytes, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_preview(qtbot, long_quote)
    target = tmp_path / "报价单"
    asked: list[str] = []

    def pick(parent: object, caption: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", pick)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "报价单.pdf"  # .pdf added when the name has none
    assert saved.read_bytes() == long_quote
    assert asked == ["报价单 QT-A1B2-20261123-0001 V2.pdf"]


def test_a_cancelled_save_writes_nothing(qtbot: QtBot, app: QApplication, long_quote: bytes, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_preview(qtbot, long_quote)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    assert dialog.save_as() is None
    assert list(tmp_path.iterdir()) == []


def test_a_save_that_fails_says_so(qtbot: QtBot, app: QApplication, long_quote: bytes, tmp_path: Path) -> None:
    dialog = open_preview(qtbot, long_quote)
    assert dialog.save_as(str(tmp_path / "missing-folder" / "x.pdf")) is None
    boxes = [box for box in dialog.findChildren(QMessageBox) if box.isVisible()]
    assert boxes and "missing-folder" in boxes[0].text()


def test_printing_to_a_pdf_printer_prints_every_page(qtbot: QtBot, app: QApplication, long_quote: bytes,
                                                     tmp_path: Path) -> None:
    dialog = open_preview(qtbot, long_quote)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog._match_paper(printer)  # what print_document does before the dialog
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    output = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(output))
    assert dialog.print_to(printer)
    printed = pypdf.PdfReader(output)
    assert len(printed.pages) == dialog.page_count
    box = printed.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.3, abs=1.5) and float(box.height) == pytest.approx(841.9, abs=1.5)
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert len(printed.pages[-1].images) == 1  # the page, as the rendered image


def test_the_print_button_opens_the_dialog_and_prints_what_it_set_up(qtbot: QtBot, app: QApplication,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = contract_pdf()
    dialog = open_preview(qtbot, pdf, "汽车销售合同")
    output = tmp_path / "via-dialog.pdf"

    class AcceptingPrintDialog:
        def __init__(self, printer: QPrinter, parent: object) -> None:
            self.printer = printer

        def setWindowTitle(self, title: str) -> None:
            self.title = title

        def exec(self) -> int:
            self.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            self.printer.setOutputFileName(str(output))
            return pdf_preview.QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(pdf_preview, "QPrintDialog", AcceptingPrintDialog)
    assert dialog.print_document()
    assert pages_of(output) == dialog.page_count == pages_of(pdf)

    class CancellingPrintDialog(AcceptingPrintDialog):
        def exec(self) -> int:
            return pdf_preview.QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(pdf_preview, "QPrintDialog", CancellingPrintDialog)
    assert not dialog.print_document()


def test_the_dialog_renders_to_a_png(qtbot: QtBot, app: QApplication, long_quote: bytes, tmp_path: Path) -> None:
    dialog = open_preview(qtbot, long_quote)
    dialog.resize(900, 700)
    qtbot.wait(150)
    target = tmp_path / "pdf-preview.png"
    assert dialog.grab().save(str(target))
    assert target.stat().st_size > 10_000
