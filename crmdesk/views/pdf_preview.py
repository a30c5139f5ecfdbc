"""The PDF preview: a printed quote or contract shown page by page (rendered with pypdfium2, since
PySide6-Essentials has no QtPdf), zoomed, printed through Qt's print dialog, or saved as a file."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QTimer
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services.errors import UserError
from crmdesk.views.errors import show_user_error

POINTS_PER_INCH = 72.0
SCREEN_DPI = 96.0  # 100 %: the page at its paper size on a screen of 96 logical pixels per inch
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0
PRINT_DPI_MAX = 300  # a page rendered at a printer's 1200 dpi would be a 550 MB bitmap
PAGE_GAP = 12


def render_page_image(page: Any, scale: float, *, for_print: bool = False) -> QImage:
    """One pypdfium2 page as a QImage, `scale` pixels per PDF point (white paper, RGBX)."""
    bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True,
                         optimize_mode="print" if for_print else None)
    try:
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888)
        return image.copy()  # the bitmap's memory goes with it
    finally:
        bitmap.close()


class PdfPreviewDialog(QDialog):
    """Shows `pdf_bytes` page by page; 打印… and 另存为… act on those very bytes."""

    def __init__(self, pdf_bytes: bytes, title: str, parent: QWidget | None = None, *,
                 file_name: str | None = None) -> None:
        super().__init__(parent)
        import pypdfium2  # on first preview: start-up does not pay for it

        self.setObjectName("pdfPreviewDialog")
        self.setWindowTitle(title)
        self.pdf_bytes = bytes(pdf_bytes)
        self.file_name = file_name or _safe_file_name(title)
        self._document = pypdfium2.PdfDocument(self.pdf_bytes)
        self.page_count = len(self._document)
        self.zoom = 1.0
        self._fit_width = True

        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.zoom_out_button = self._button("zoomOutButton", self.tr("Zoom out"), self.zoom_out)
        self.zoom_in_button = self._button("zoomInButton", self.tr("Zoom in"), self.zoom_in)
        self.fit_button = self._button("fitWidthButton", self.tr("Fit width"), self.fit_width)
        self.zoom_out_button.setShortcut("Ctrl+-")
        self.zoom_in_button.setShortcut("Ctrl++")
        self.zoom_label = QLabel(self)
        self.zoom_label.setObjectName("zoomLabel")
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance("400 %") + 8)
        self.pages_label = QLabel(self.tr("Pages: {count}").format(count=self.page_count), self)
        self.pages_label.setObjectName("pagesLabel")
        self.print_button = self._button("printButton", self.tr("Print…"), self.print_document)
        self.save_button = self._button("saveButton", self.tr("Save as…"), self.save_as)
        self.close_button = self._button("closeButton", self.tr("Close"), self.reject)
        self.print_button.setShortcut("Ctrl+P")
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.zoom_label,
                       self.pages_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(widget)
        layout.addLayout(bar)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("pagesScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area.setStyleSheet("QScrollArea, #pagesHost { background: #8a8f96; }")
        host = QWidget()
        host.setObjectName("pagesHost")
        self._pages_layout = QVBoxLayout(host)
        self._pages_layout.setSpacing(PAGE_GAP)
        self._pages_layout.setContentsMargins(PAGE_GAP, PAGE_GAP, PAGE_GAP, PAGE_GAP)
        self.page_labels: list[QLabel] = []
        for number in range(self.page_count):
            label = QLabel(host)
            label.setObjectName(f"page{number + 1}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(self.tr("Page {page} of {pages}").format(page=number + 1,
                                                                              pages=self.page_count))
            self._pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self._pages_layout.addStretch(1)
        self.scroll_area.setWidget(host)
        layout.addWidget(self.scroll_area, 1)
        self._rendered = False
        self._closed = False
        self._refit_timer = QTimer(self)  # a window being dragged larger re-renders once, at the end
        self._refit_timer.setSingleShot(True)
        self._refit_timer.setInterval(60)
        self._refit_timer.timeout.connect(self._refit)
        self.resize(900, 1000)

    def _button(self, name: str, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())  # clicked(bool) must not reach save_as(path)
        return button

    # --- showing -------------------------------------------------------------------------------

    def page_size_points(self, index: int) -> tuple[float, float]:
        width, height = self._document[index].get_size()
        return float(width), float(height)

    def _fit_zoom(self) -> float:
        if not self.page_count:
            return 1.0
        widest = max(self.page_size_points(index)[0] for index in range(self.page_count))
        room = self.scroll_area.viewport().width() - 2 * PAGE_GAP - self.scroll_area.verticalScrollBar().sizeHint().width()
        return max(ZOOM_MIN, min(ZOOM_MAX, room / (widest * SCREEN_DPI / POINTS_PER_INCH)))

    def _render_pages(self) -> None:
        if self._closed:
            return
        self._rendered = True
        if self._fit_width:
            self.zoom = self._fit_zoom()
        ratio = self.devicePixelRatioF()
        scale = self.zoom * SCREEN_DPI / POINTS_PER_INCH * ratio
        for index, label in enumerate(self.page_labels):
            image = render_page_image(self._document[index], scale)
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setFixedSize(round(image.width() / ratio), round(image.height() / ratio))
        self.zoom_label.setText(f"{round(self.zoom * 100)} %")
        self.zoom_out_button.setEnabled(self.zoom > ZOOM_MIN + 1e-9)
        self.zoom_in_button.setEnabled(self.zoom < ZOOM_MAX - 1e-9)

    def set_zoom(self, zoom: float) -> None:
        self._fit_width = False
        self.zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
        self._render_pages()

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def fit_width(self) -> None:
        self._fit_width = True
        self._render_pages()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._rendered:  # the first render waits for the real width, which fit width needs
            self._render_pages()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fit_width and self._rendered:
            self._refit_timer.start()

    def _refit(self) -> None:
        if self._fit_width and not self._closed and abs(self._fit_zoom() - self.zoom) > 0.005:
            self._render_pages()

    # --- printing and saving -------------------------------------------------------------------

    def print_document(self) -> bool:
        """Qt's print dialog, then the pages to the chosen printer. False when cancelled or failed."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        self._match_paper(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print {title}").format(title=self.windowTitle()))
        if dialog.exec() != QDialog.DialogCode.Accepted.value:
            return False
        return self.print_to(printer)

    def _match_paper(self, printer: QPrinter) -> None:
        if not self.page_count:
            return
        width, height = self.page_size_points(0)
        size = QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
        orientation = QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)  # the PDF has its own margins: print it at its size, not shrunk again

    def print_to(self, printer: QPrinter) -> bool:
        """Draw every page onto `printer` (already set up, e.g. by the print dialog), each rendered at
        the printer's resolution (up to PRINT_DPI_MAX) and fitted to its paper. False if it failed."""
        if self._closed or (printer.outputFormat() == QPrinter.OutputFormat.PdfFormat
                            and not printer.outputFileName()):
            return False
        dpi = min(printer.resolution(), PRINT_DPI_MAX)
        painter = QPainter()
        if not painter.begin(printer):
            show_user_error(self, UserError(self.tr("The printer could not be started.")))
            return False
        try:
            for index in range(self.page_count):
                if index and not printer.newPage():
                    show_user_error(self, UserError(self.tr("The printer refused page {page}.").format(
                        page=index + 1)))
                    return False
                image = render_page_image(self._document[index], dpi / POINTS_PER_INCH, for_print=True)
                paper = printer.pageLayout().fullRectPixels(printer.resolution()) if printer.fullPage() \
                    else printer.pageLayout().paintRectPixels(printer.resolution())
                target = _fitted(QRectF(0, 0, paper.width(), paper.height()), image.width(), image.height())
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True

    def save_as(self, path: str | None = None) -> str | None:
        """Write the PDF's bytes to a file the user picks; the path written, or None."""
        if path is None:
            path, _chosen = QFileDialog.getSaveFileName(self, self.tr("Save PDF"), self.file_name,
                                                        self.tr("PDF files (*.pdf)"))
            if not path:
                return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            with open(path, "wb") as file:
                file.write(self.pdf_bytes)
        except OSError as error:
            show_user_error(self, UserError(self.tr("Cannot write {path}: {detail}").format(
                path=path, detail=error.strerror or error)))
            return None
        return path

    def done(self, result: int) -> None:
        super().done(result)
        if not self._closed:
            self._closed = True
            self._refit_timer.stop()
            self._document.close()


def _fitted(area: QRectF, width: int, height: int) -> QRectF:
    """The largest rectangle of the image's proportions inside `area`, centred."""
    scale = min(area.width() / width, area.height() / height)
    fitted = QSizeF(width * scale, height * scale)
    return QRectF(area.x() + (area.width() - fitted.width()) / 2, area.y() + (area.height() - fitted.height()) / 2,
                  fitted.width(), fitted.height())


def _safe_file_name(title: str) -> str:
    """A file name from the title: characters no file system takes replaced by _."""
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", title).strip(" ._") or "document"
    return f"{stem}.pdf"
