"""The crash hook: a bug is logged with its traceback and reported; open forms stay as they were."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.crash import CrashHook, install_crash_hook
from crmdesk.views.field_editors import TextEditor
from crmdesk.views.record_form import RecordDialog


def _boom() -> None:
    raise RuntimeError("a bug in a slot")


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_is_logged_and_reported_and_the_form_survives(
    app: QApplication, qtbot: QtBot, services: Services, actor: Actor, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = tmp_path / "logs" / "crmdesk.log"
    hook = CrashHook(log)
    monkeypatch.setattr(sys, "excepthook", hook)
    form = RecordDialog(services, actor, "lead")
    qtbot.addWidget(form)
    form.show()
    name = form.editors["name"]
    assert isinstance(name, TextEditor)
    name.line.setText("张伟")

    QTimer.singleShot(0, _boom)  # raised inside Qt's event loop, as a bug in any slot would be
    qtbot.waitUntil(lambda: hook.crashes == 1)

    text = log.read_text(encoding="utf-8")
    assert "RuntimeError: a bug in a slot" in text and "Traceback" in text and "_boom" in text
    dialog = hook.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "意外错误"
    assert str(log) in dialog.informativeText() and "RuntimeError" in dialog.detailedText()
    assert form.isVisible() and name.line.text() == "张伟"  # nothing typed is lost

    hook(ValueError, ValueError("another"), None)  # a second bug while the report is open: logged only
    assert hook.crashes == 2 and hook.dialog is dialog
    assert "ValueError: another" in log.read_text(encoding="utf-8")
    dialog.close()
    qtbot.waitUntil(lambda: hook.dialog is None)


def test_install_sets_the_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.__excepthook__)
    hook = install_crash_hook(tmp_path / "crash.log")
    assert sys.excepthook is hook and hook.log_path == tmp_path / "crash.log"


def test_a_log_that_cannot_be_written_does_not_crash_the_report(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    hook = CrashHook(blocker / "crmdesk.log")  # its folder is a file
    hook._write("Traceback: something")
    assert "cannot write" in capsys.readouterr().err
