"""Property test: three desks make random edits offline (create, edit the same and different fields, delete,
restore) and sync in random orders; after everyone has synced twice in a row, every desk holds exactly what
the hub holds. The example count is bounded for the test command (CRMDESK_SYNC_EXAMPLES raises it)."""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmdesk.models.database import open_database
from crmdesk.models.sync_capture import LOCAL_COLUMNS
from crmdesk.services import hub, sync
from crmdesk.services.pg_cluster import TemporaryCluster
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import ensure_local_user

EXAMPLES = int(os.environ.get("CRMDESK_SYNC_EXAMPLES", "8"))
DESKS = 3
_numbers = itertools.count(1)

NAMES = ["张伟", "李娜", "王芳", "Zhao Lei", "欧阳建国"]
CITIES = [None, "杭州市", "上海市", "成都市"]
TIERS = ["A", "B", "C"]

operation = st.one_of(
    st.tuples(st.just("create"), st.integers(0, DESKS - 1), st.sampled_from(NAMES)),
    st.tuples(st.just("edit"), st.integers(0, DESKS - 1), st.integers(0, 20),
              st.sampled_from(["city", "tier", "notes", "name"]), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, DESKS - 1), st.integers(0, 20)),
    st.tuples(st.just("sync"), st.integers(0, DESKS - 1)),
)


def _value(field: str, pick: int) -> Any:
    return {"city": CITIES[pick % len(CITIES)], "tier": TIERS[pick % len(TIERS)], "notes": f"备注{pick}",
            "name": NAMES[pick % len(NAMES)]}[field]


def _customers(path: Path) -> dict[str, dict[str, Any]]:
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute("SELECT * FROM customers ORDER BY id")
        names = [column[0] for column in cursor.description]
        local = LOCAL_COLUMNS.get("customers", frozenset())
        return {row[names.index("id")]: {n: v for n, v in zip(names, row, strict=True) if n not in local}
                for row in cursor}
    finally:
        connection.close()


def _hub_customers(url: str) -> dict[str, dict[str, Any]]:
    with hub.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT row_id, data FROM hub_rows WHERE table_name = 'customers'")
        return {row_id: data for row_id, data in cursor.fetchall()}


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=4, max_size=30))
def test_random_offline_edits_and_sync_orders_converge(pg_cluster: TemporaryCluster, tmp_path_factory: Any,
                                                       operations: list[tuple[Any, ...]]) -> None:
    folder = tmp_path_factory.mktemp("converge")
    url = pg_cluster.create_database(f"converge_{next(_numbers)}")
    hub.init_hub(url)
    template = folder / "template.sqlite3"
    db = open_database(template)
    admin: Actor = ensure_local_user(db)
    db.close()
    hub.add_hub_user(url, "boss", None, user_id=admin.user_id, role="admin", team_id=None, scope="all")
    desk_url = hub.libpq_url(url).replace("crmdesk_admin@", "boss@")
    desks = []
    for number in range(DESKS):
        path = folder / f"desk{number}.sqlite3"
        shutil.copyfile(template, path)  # one user on three laptops; each desk gets its own device id
        desks.append(open_database(path))
    services = [Services(db) for db in desks]
    made: list[str] = []
    try:
        for step in operations:
            kind, desk = step[0], step[1]
            known = [cid for cid in made if cid in _customers(desks[desk].path)]
            if kind == "create":
                made.append(services[desk].customers.create(admin, {"name": step[2]}).id)
            elif kind == "edit" and known:
                customer = known[step[2] % len(known)]
                row = _customers(desks[desk].path)[customer]
                if row["deleted_at"] is None:
                    services[desk].customers.update(admin, customer, {step[3]: _value(step[3], step[4])})
            elif kind == "delete" and known:
                customer = known[step[2] % len(known)]
                if _customers(desks[desk].path)[customer]["deleted_at"] is None:
                    services[desk].customers.delete(admin, customer)
            elif kind == "sync":
                sync.sync(desks[desk], desk_url)
        for _round in range(2):
            for db in desks:
                sync.sync(db, desk_url)
        replicas = [_customers(db.path) for db in desks]
        assert replicas[0] == replicas[1] == replicas[2]
        on_hub = _hub_customers(url)
        assert set(on_hub) == set(replicas[0])
        for row_id, row in replicas[0].items():
            assert {name: value for name, value in row.items() if name != "id"} == {
                name: on_hub[row_id].get(name) for name in row if name != "id"}, row_id
        assert all(sync.sync_status(db).pending == 0 for db in desks)
    finally:
        for db in desks:
            db.close()
