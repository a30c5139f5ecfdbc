"""The book's hourly housekeeping, run off the GUI thread shortly after start and then every hour: the
public pool's warn-and-reclaim run and the expiry of sent quotes past their validity."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from crmdesk.models.database import Database
from crmdesk.services import pool, quotes
from crmdesk.services.uow import Actor

log = logging.getLogger(__name__)


def _busy(error: OperationalError) -> bool:
    return "locked" in str(error.orig) or "busy" in str(error.orig)


def run_hourly_maintenance(db: Database, actor: Actor) -> pool.MaintenanceResult | None:
    """Both runs, each in its own transaction; returns the pool's result (what the window refreshes for).

    When another writer holds the file longer than the busy timeout (an import, a duplicate-index rebuild)
    the run is put off to the next hour, logged, and None returned: housekeeping never interrupts the user."""
    try:
        result = pool.run_pool_maintenance(db, actor)
        expired = quotes.expire_quotes(db, actor=actor)
    except OperationalError as error:
        if not _busy(error):
            raise
        log.warning("hourly maintenance put off: the database is busy (%s)", error.orig)
        return None
    if expired:
        log.info("%d sent quotes expired", expired)
    return result
