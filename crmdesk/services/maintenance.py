"""The book's hourly housekeeping, run off the GUI thread shortly after start and then every hour: the
public pool's warn-and-reclaim run and the expiry of sent quotes past their validity."""

from __future__ import annotations

import logging

from crmdesk.models.database import Database
from crmdesk.services import pool, quotes
from crmdesk.services.uow import Actor

log = logging.getLogger(__name__)


def run_hourly_maintenance(db: Database, actor: Actor) -> pool.MaintenanceResult:
    """Both runs, each in its own transaction; returns the pool's result (what the window refreshes for)."""
    result = pool.run_pool_maintenance(db, actor)
    expired = quotes.expire_quotes(db, actor=actor)
    if expired:
        log.info("%d sent quotes expired", expired)
    return result
