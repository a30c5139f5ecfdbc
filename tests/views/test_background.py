"""Background calls: the outcome comes back on the GUI thread, and one whose caller was deleted (its
window closed meanwhile) ends quietly, a failure still logged."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.views.background import BackgroundCaller


def test_the_result_arrives_with_its_ticket(qapp: QApplication, qtbot: QtBot) -> None:
    caller = BackgroundCaller()
    with qtbot.waitSignal(caller.finished) as blocker:
        ticket = caller.start(lambda: 6 * 7)
    assert blocker.args == [ticket, 42, None]


def test_a_call_outliving_its_caller_ends_without_an_error_and_logs_a_failure(
        qapp: QApplication, caplog: pytest.LogCaptureFixture) -> None:
    for work_fails in (False, True):
        release = threading.Event()

        def work(fails: bool = work_fails, release: threading.Event = release) -> int:
            release.wait(5)
            if fails:
                raise ValueError("the file went away")
            return 1

        caller = BackgroundCaller()
        caller.start(work)
        shiboken6.delete(caller)  # what closing the window that owned it does
        with caplog.at_level(logging.ERROR, logger="crmdesk.views.background"):
            release.set()
            assert QThreadPool.globalInstance().waitForDone(5000)
        assert [r.message for r in caplog.records] == (
            ["a background call failed after its window closed"] if work_fails else [])
        caplog.clear()
