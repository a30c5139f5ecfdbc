"""The crash hook: a bug is logged with its traceback and reported in a dialog; open forms stay open."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger(__name__)


def default_log_path() -> Path:
    from platformdirs import user_log_path

    return user_log_path("crmdesk", appauthor=False) / "crmdesk.log"


class CrashHook:
    """sys.excepthook for the GUI. PySide6 hands exceptions raised in slots to sys.excepthook and
    carries on with the event loop, so showing a non-blocking dialog keeps every open window as it was.
    """

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.dialog: QMessageBox | None = None
        self.crashes = 0

    def __call__(self, kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        self.crashes += 1
        text = "".join(traceback.format_exception(kind, error, trace))
        self._write(text)
        log.error("unexpected error:\n%s", text)
        app = QApplication.instance()
        if isinstance(app, QApplication) and self.dialog is None:
            self._show(text)

    def _write(self, text: str) -> None:
        try:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            with self.log_path.open("a", encoding="utf-8") as stream:
                stream.write(f"==== {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        except OSError as problem:  # the report must not itself crash
            print(f"crmdesk: cannot write {self.log_path}: {problem}\n{text}", file=sys.stderr)

    def _show(self, text: str) -> None:
        translate = QCoreApplication.translate
        box = QMessageBox(QApplication.activeWindow())
        box.setObjectName("crashDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(translate("crash", "Unexpected error"))
        box.setText(translate("crash", "crmdesk ran into an error it did not expect. The action you took "
                                       "may not have finished; your open forms are still open."))
        box.setInformativeText(translate("crash", "The details were written to {path}. Please send that file "
                                                  "to support.").format(path=self.log_path))
        box.setDetailedText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        self.dialog = box
        box.show()

    def _closed(self, _result: int) -> None:
        self.dialog = None


def install_crash_hook(log_path: Path | None = None) -> CrashHook:
    hook = CrashHook(log_path or default_log_path())
    sys.excepthook = hook
    return hook
