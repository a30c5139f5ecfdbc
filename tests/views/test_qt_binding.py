"""The Qt binding in use keeps Python's reference counts: PySide6 6.12.0 on Python 3.11 did not
(each void call or signal emit dropped a reference to None/True/False, and the process aborted with
"deallocating None" after tens of thousands of calls). pyproject pins it out; this catches a return.
"""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    fired = Signal()


def test_void_calls_and_signal_emits_keep_reference_counts() -> None:
    probe = _Probe()
    before = [sys.getrefcount(value) for value in (None, True, False)]
    for _ in range(1_000):
        probe.setObjectName("probe")
        probe.fired.emit()
    after = [sys.getrefcount(value) for value in (None, True, False)]
    assert all(now >= then - 100 for then, now in zip(before, after, strict=True)), (before, after)


def test_a_process_using_qt_heavily_exits_cleanly() -> None:
    script = (
        "from PySide6.QtCore import QObject, Signal\n"
        "class P(QObject):\n"
        "    fired = Signal()\n"
        "p = P()\n"
        "for _ in range(100_000):\n"
        "    p.setObjectName('x'); p.fired.emit()\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
