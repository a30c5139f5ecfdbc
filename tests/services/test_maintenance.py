"""The hourly housekeeping: the pool's run and the expiry of sent quotes past their validity."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import event

from crmdesk.services import quotes
from crmdesk.services.maintenance import run_hourly_maintenance
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor


def test_a_sent_quote_past_its_validity_expires_in_the_hourly_run(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "周杰", "phone": "13900001111"})
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "needs_analysis")
    deal = services.opportunities.create(actor, {"name": "汉 EV", "customer_id": customer.id, "stage_id": stage,
                                                 "amount": Decimal("200000")})
    quote = quotes.create_quote(services.db, actor, {"opportunity_id": deal.id,
                                                     "valid_until": date.today() + timedelta(days=7)},
                                [{"description": "汉 EV 旗舰版", "unit_price": "200000"}])
    quotes.submit_quote(services.db, actor, quote.id)
    quotes.send_quote(services.db, actor, quote.id)
    result = run_hourly_maintenance(services.db, actor)
    assert result is not None and quotes.get_quote(services.db, actor, quote.id).status == "sent"  # still valid
    with services.db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE quotes SET valid_until = ? WHERE id = ?",
                                   ((date.today() - timedelta(days=1)).isoformat(), quote.id))
    run_hourly_maintenance(services.db, actor)
    assert quotes.get_quote(services.db, actor, quote.id).status == "expired"


def test_a_busy_file_puts_the_run_off_instead_of_failing(services: Services, actor: Actor) -> None:
    """Another writer holding the file past the busy timeout: the run returns None, writes nothing, and the
    next hour tries again."""
    holder = sqlite3.connect(services.db.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        services.db.engine.dispose()  # new connections wait 50 ms, not the app's 5 s, for the lock

        @event.listens_for(services.db.engine, "connect")
        def _short(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA busy_timeout=50")

        assert run_hourly_maintenance(services.db, actor) is None
    finally:
        holder.rollback()
        holder.close()
    assert run_hourly_maintenance(services.db, actor) is not None
