"""Work off the GUI thread: a call runs on Qt's thread pool and its outcome comes back as a signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Call(QRunnable):
    def __init__(self, caller: BackgroundCaller, ticket: int, work: Callable[[], Any]) -> None:
        super().__init__()
        # The runnable holds the caller, so a result can always be delivered; a receiver deleted
        # meanwhile has been disconnected by Qt, and the result then goes nowhere.
        self.caller, self.ticket, self.work = caller, ticket, work

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # handed to the GUI thread, which decides (user message or crash hook)
            self._deliver(None, error)
        else:
            self._deliver(result, None)

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        try:
            self.caller.finished.emit(self.ticket, result, error)
        except RuntimeError:
            # The caller went with the widget that owned it (a window closed while this ran): nobody is
            # left to tell. The work itself is done (or rolled back); a failure is still logged.
            if error is not None:
                log.error("a background call failed after its window closed", exc_info=error)


class BackgroundCaller(QObject):
    """Starts calls on the pool; `finished(ticket, result, error)` arrives on the GUI thread.

    Connect `finished` to a method of a QObject (so Qt queues it to that object's thread). Each
    `start` returns a ticket, so a receiver can drop the results of calls it no longer wants.
    """

    finished = Signal(int, object, object)

    def __init__(self) -> None:
        super().__init__()  # unparented: a running call keeps it alive through its runnable
        self._tickets = 0

    def start(self, work: Callable[[], Any]) -> int:
        self._tickets += 1
        QThreadPool.globalInstance().start(_Call(self, self._tickets, work))
        return self._tickets
