"""Sync through a real PostgreSQL hub: desks (each its own SQLite file) edit offline, sync in any order and
end equal; pushes and pulls cut off and rerun lose and double nothing; deletes travel; conflicts are kept
with both values; the hub gives each user only their part of the book and refuses the rest; a clock far
ahead is refused."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.models import Team, User
from crmdesk.models.database import Database, open_database
from crmdesk.models.sync_capture import LOCAL_COLUMNS
from crmdesk.services import hub, sync
from crmdesk.services.entities import ListQuery
from crmdesk.services.hub import HubError
from crmdesk.services.pg_cluster import TemporaryCluster
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work
from crmdesk.services.users import ensure_local_user


@dataclass
class Desk:
    """One copy of the app: its own book file, signed in as one user, syncing as that user's hub login."""

    name: str
    db: Database
    services: Services
    actor: Actor
    url: str

    def sync(self, **options: Any) -> sync.SyncResult:
        return sync.sync(self.db, self.url, **options)

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        """Every row of `table` with its synced columns, as stored."""
        connection = sqlite3.connect(self.db.path)
        try:
            cursor = connection.execute(f'SELECT * FROM "{table}" ORDER BY id')
            names = [column[0] for column in cursor.description]
            local = LOCAL_COLUMNS.get(table, frozenset())
            key = names.index("id")
            return {row[key]: {n: v for n, v in zip(names, row, strict=True) if n not in local} for row in cursor}
        finally:
            connection.close()

    def pending(self) -> int:
        return sync.sync_status(self.db).pending


def _login_url(hub_url: str, login: str) -> str:
    return hub.libpq_url(hub_url).replace("crmdesk_admin@", f"{login}@", 1)


@pytest.fixture
def team(hub_url: str, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    """The hub made, the administrator's desk with the team's users (teams A and B, consultants a1, a2 in A,
    b1 in B, A's manager, finance), and a maker of more desks for those users."""
    hub.init_hub(hub_url)
    opened: list[Database] = []

    admin_db = open_database(tmp_path / "admin.sqlite3")
    opened.append(admin_db)
    admin = ensure_local_user(admin_db)
    people: dict[str, Actor] = {"admin": admin}
    with unit_of_work(admin_db, admin) as session:
        team_a, team_b = Team(name="A组"), Team(name="B组")
        session.add_all([team_a, team_b])
        session.flush()
        teams = {"A": team_a.id, "B": team_b.id}
        for login, name, role, team_key in (("a1", "孟浩", "consultant", "A"), ("a2", "李白", "consultant", "A"),
                                            ("b1", "孙悦", "consultant", "B"), ("ma", "赵敏", "manager", "A"),
                                            ("fin", "钱多多", "finance", None)):
            team_id = teams[team_key] if team_key else None
            user = User(username=login, display_name=name, role=role, team_id=team_id)
            session.add(user)
            session.flush()
            people[login] = Actor(user.id, name, role, team_id)
    for login, person in people.items():
        hub.add_hub_user(hub_url, login if login != "admin" else "boss", None, user_id=person.user_id,
                         role=person.role, team_id=person.team_id, scope=person.scope)
    admin_desk = Desk("admin", admin_db, Services(admin_db), admin, _login_url(hub_url, "boss"))
    admin_desk.sync()

    def desk(login: str, name: str | None = None) -> Desk:
        if login == "admin" and name is None:
            return admin_desk
        db = open_database(tmp_path / f"{name or login}.sqlite3")
        opened.append(db)
        made = Desk(name or login, db, Services(db), people[login],
                    _login_url(hub_url, "boss" if login == "admin" else login))
        made.sync()  # the first sync brings the users, teams and reference tables
        return made

    desk.people = people  # type: ignore[attr-defined]
    desk.teams = teams  # type: ignore[attr-defined]
    yield desk
    for db in opened:
        db.close()


def _stage(desk: Desk) -> str:
    from crmdesk.services.opportunities import list_stages

    return str(list_stages(desk.db, desk.actor, "vehicle")[0].id)


def _customer(desk: Desk, name: str, **values: Any) -> str:
    return desk.services.customers.create(desk.actor, {"name": name, **values}).id


def test_two_desks_editing_different_and_the_same_fields_converge_with_the_conflict_listed(team: Any) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    customer = _customer(one, "苏州群英电子有限公司", phone="051262345678", city="苏州市")
    one.sync()
    two.sync()
    assert two.services.customers.get(two.actor, customer)["name"] == "苏州群英电子有限公司"

    one.services.customers.update(one.actor, customer, {"city": "无锡市", "name": "群英电子（一）"})
    two.services.customers.update(two.actor, customer, {"tier": "A", "name": "群英电子（二）"})
    assert one.pending() and two.pending()
    one.sync()
    two.sync()
    one.sync()
    first, second = one.services.customers.get(one.actor, customer), two.services.customers.get(two.actor, customer)
    assert (first["city"], first["tier"]) == ("无锡市", "A")  # different fields: both kept
    assert first["name"] == second["name"] == "群英电子（二）"  # the same field: the later edit
    assert one.rows("customers") == two.rows("customers")
    for desk in (one, two):
        conflicts = [c for c in sync.list_conflicts(desk.db, desk.actor) if c.table_name == "customers"]
        assert [(c.field, c.kept_value, c.other_value) for c in conflicts] == [
            ("name", "群英电子（二）", "群英电子（一）")]
    assert one.pending() == two.pending() == 0


def test_keeping_the_other_value_of_a_conflict_syncs_it_to_everyone(team: Any) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    customer = _customer(one, "陈静")
    one.sync()
    two.sync()
    one.services.customers.update(one.actor, customer, {"city": "宁波市"})
    two.services.customers.update(two.actor, customer, {"city": "绍兴市"})
    one.sync()
    two.sync()
    one.sync()
    conflict = next(c for c in sync.list_conflicts(one.db, one.actor) if c.field == "city")
    assert (conflict.kept_value, conflict.other_value) == ("绍兴市", "宁波市")
    sync.keep_other_value(one.db, one.actor, conflict.id)
    assert one.services.customers.get(one.actor, customer)["city"] == "宁波市"
    assert all(c.id != conflict.id for c in sync.list_conflicts(one.db, one.actor))
    one.sync()
    two.sync()
    assert two.services.customers.get(two.actor, customer)["city"] == "宁波市"


def test_a_push_cut_off_and_rerun_sends_nothing_twice(team: Any, pg_cluster: TemporaryCluster, hub_url: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    ids = [_customer(one, f"客户{number}", phone=f"1380000{number:04d}") for number in range(30)]
    # 1. The connection dies after the first batch was committed by the hub.
    calls = {"n": 0}

    def cut(phase: str, done: int, total: int) -> None:
        calls["n"] += 1
        if phase == "push" and calls["n"] == 1:
            pg_cluster.terminate_connections(hub_url.rsplit("/", 1)[1])

    with pytest.raises(HubError, match=r"connection to the hub was lost|cannot be reached"), \
            hub.connect(one.url) as connection:
        sync.push(one.db, connection, batch=10, progress=cut)
    assert 0 < one.pending() < 30 * 2
    # 2. The hub commits a batch but the desk dies before taking it off its outbox.
    real = sync._writing
    state = {"armed": True}

    def dying(db: Database, *, applying: bool = False) -> Any:
        if applying and state["armed"]:
            state["armed"] = False
            raise KeyboardInterrupt("the desk was switched off")
        return real(db, applying=applying)

    monkeypatch.setattr(sync, "_writing", dying)
    with pytest.raises(KeyboardInterrupt), hub.connect(one.url) as connection:
        sync.push(one.db, connection, batch=10)
    monkeypatch.setattr(sync, "_writing", real)
    result = one.sync()
    assert result.skipped >= 1  # the batch the hub had was not applied again
    assert one.pending() == 0
    two.sync()
    assert set(ids) <= set(two.rows("customers"))
    with hub.connect(hub_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(DISTINCT change_id) FROM hub_changes")
        total, distinct = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM hub_rows WHERE table_name = 'customers'")
        assert cursor.fetchone()[0] == 30
    assert total == distinct


def test_a_pull_cut_off_resumes_from_its_last_batch(team: Any, pg_cluster: TemporaryCluster, hub_url: str) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    for number in range(25):
        _customer(one, f"客户{number}")
    one.sync()
    seen: list[int] = []

    def cut(phase: str, done: int, total: int) -> None:
        seen.append(done)
        if phase == "pull" and len(seen) == 2:
            pg_cluster.terminate_connections(hub_url.rsplit("/", 1)[1])

    with pytest.raises(HubError), hub.connect(two.url) as connection:
        sync.pull(two.db, connection, batch=5, progress=cut)
    cursor = sync.sync_status(two.db).cursor
    assert cursor > 0  # the batches applied before the cut stay applied, with their cursor
    result = two.sync()
    assert result.pulled < 25 + 10  # not from the start again
    assert one.rows("customers") == two.rows("customers")


def test_deletes_travel_and_a_delete_against_an_edit_is_a_conflict(team: Any) -> None:
    one, two = team("admin", "laptop1"), team("admin", "laptop2")
    gone, edited = _customer(one, "要删除的客户"), _customer(one, "被同时修改的客户")
    one.sync()
    two.sync()
    one.services.customers.delete(one.actor, gone)
    one.sync()
    two.sync()
    assert two.rows("customers")[gone]["deleted_at"] is not None
    two.services.customers.update(two.actor, edited, {"city": "杭州市"})
    one.services.customers.delete(one.actor, edited)
    two.sync()
    one.sync()
    two.sync()
    assert one.rows("customers")[edited]["deleted_at"] is not None
    assert one.rows("customers") == two.rows("customers")
    conflicts = [c for c in sync.list_conflicts(one.db, one.actor) if c.row_id == edited]
    assert [c.field for c in conflicts] == ["deleted_at"] and conflicts[0].other_value is None
    sync.keep_other_value(one.db, one.actor, conflicts[0].id)  # restore it
    one.sync()
    two.sync()
    assert two.rows("customers")[edited]["deleted_at"] is None and two.rows("customers")[edited]["city"] == "杭州市"


def test_each_user_pulls_only_their_part_and_the_hub_refuses_the_rest(team: Any, hub_url: str) -> None:
    admin = team("admin")
    people = team.people
    mine = admin.services.customers.create(admin.actor, {"name": "孟浩的客户", "owner_id": people["a1"].user_id}).id
    theirs = admin.services.customers.create(admin.actor, {"name": "孙悦的客户", "owner_id": people["b1"].user_id}).id
    colleague = admin.services.customers.create(admin.actor, {"name": "李白的客户", "owner_id": people["a2"].user_id}).id
    pool = admin.services.customers.create(admin.actor, {"name": "公海客户"}).id
    unowned_lead = "01a23700-0000-7000-8000-00000000cafe"
    connection = sqlite3.connect(admin.db.path)  # a lead nobody owns, as an import without assignment leaves it
    with connection:
        connection.execute("INSERT INTO leads (id, name, source, status, score, name_pinyin, name_initials, "
                           "search_body, created_at, updated_at) VALUES (?, '无人负责的线索', 'web', 'new', 0, '', '', "
                           "'', '2026-12-01 08:00:00.000000', '2026-12-01 08:00:00.000000')", (unowned_lead,))
    connection.close()
    deal = admin.services.opportunities.create(admin.actor, {
        "name": "孙悦的商机", "customer_id": theirs, "stage_id": _stage(admin), "amount": Decimal("100000"), "owner_id": people["b1"].user_id,
        "expected_close_date": date(2026, 12, 31)}).id
    admin.sync()
    a1, ma, fin = team("a1"), team("ma"), team("fin")
    assert set(a1.rows("customers")) == {mine, pool}
    assert set(ma.rows("customers")) == {mine, colleague, pool}
    assert {mine, theirs, colleague, pool} <= set(fin.rows("customers"))
    assert deal not in a1.rows("opportunities") and deal not in ma.rows("opportunities")
    # A lead nobody owns is not a consultant's (on the desks too: their scope is their own leads).
    assert unowned_lead not in a1.rows("leads") and unowned_lead in fin.rows("leads")
    assert deal in fin.rows("opportunities")
    assert set(a1.rows("stages")) == set(admin.rows("stages"))  # reference tables are everyone's
    # a1's desk sends an edit of b1's customer (which it never received): the hub refuses it, and does not
    # give the row when asked for it.
    forged = [{"id": "01a23700-0000-7000-8000-000000000001", "t": "customers", "r": theirs, "u": people["a1"].user_id,
               "f": {"name": "被篡改"}, "h": {"name": "0000000000001.00000"}}]
    with hub.connect(a1.url) as hub_connection:
        answer = sync._hub_call(hub_connection, "crmdesk_push", sync.device_id(a1.db), 0, json.dumps(forged))
        assert [(item["t"], item["r"], item["owner"]) for item in answer["refused"]] == [
            ("customers", theirs, people["b1"].user_id)]
        assert sync._hub_call(hub_connection, "crmdesk_rows", "customers", [theirs, mine])[0]["r"] == mine
    fin.sync()
    assert fin.rows("customers")[theirs]["name"] == "孙悦的客户"
    # The desks' logins reach the hub's tables only through its functions.
    import psycopg

    with hub.connect(a1.url) as hub_connection, hub_connection.cursor() as cursor:
        for table in ("hub_rows", "hub_changes", "hub_users", "hub_conflicts"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                cursor.execute(f"SELECT * FROM {table}")
            hub_connection.rollback()
    # A customer handed to a1 reaches a1's desk whole at the next sync, with its deals' children.
    admin.services.customers.update(admin.actor, theirs, {"owner_id": people["a1"].user_id})
    admin.sync()
    a1.sync()
    assert a1.rows("customers")[theirs]["name"] == "孙悦的客户"


def test_a_desk_whose_clock_is_far_ahead_is_refused_and_keeps_its_changes(team: Any) -> None:
    one = team("fin", "laptop1")
    connection = sqlite3.connect(one.db.path)
    with connection:  # the clock of this desk jumps 20 minutes ahead
        connection.execute("UPDATE sync_clock SET physical = physical + 20 * 60 * 1000")
    connection.close()
    _customer(one, "时钟超前的客户")
    with pytest.raises(HubError, match="minutes ahead"):
        one.sync()
    assert one.pending() == 1


def test_two_reps_claiming_one_pool_customer_offline_one_keeps_it_the_other_is_told(team: Any) -> None:
    admin = team("admin")
    pool_customer = admin.services.customers.create(admin.actor, {"name": "公海里的客户"}).id
    admin.sync()
    a1, a2 = team("a1"), team("a2")
    from crmdesk.services import pool

    pool.claim_from_public_pool(a1.db, a1.actor, [pool_customer])
    pool.claim_from_public_pool(a2.db, a2.actor, [pool_customer])
    a1.sync()
    a2.sync()
    a1.sync()
    # The first claim to reach the hub keeps the customer; the other rep's claim is refused there (the
    # customer is no longer in the pool, nor theirs), their desk hands it over and they are told.
    assert a1.rows("customers")[pool_customer]["owner_id"] == a1.actor.user_id
    assert a2.rows("customers")[pool_customer]["owner_id"] == a1.actor.user_id
    assert pool_customer not in [row[0] for row in a2.services.customers.page(a2.actor, ListQuery(), 0, 50)]
    told = [c for c in sync.list_conflicts(a2.db, a2.actor) if c.field == "owner_id"]
    assert told and (told[0].kept_value, told[0].other_value) == (a1.actor.user_id, a2.actor.user_id)
    a2.sync()
    assert a2.pending() == 0  # the hand-over is not sent back as a2's edit


def test_a_customer_handed_to_another_rep_reaches_them_and_leaves_the_first(team: Any) -> None:
    admin = team("admin")
    customer = admin.services.customers.create(admin.actor, {"name": "转交的客户",
                                                             "owner_id": team.people["a1"].user_id}).id
    admin.sync()
    a1, b1 = team("a1"), team("b1")
    assert customer in a1.rows("customers") and customer not in b1.rows("customers")
    admin.services.customers.update(admin.actor, customer, {"owner_id": team.people["b1"].user_id})
    admin.sync()
    a1.sync()
    b1.sync()
    assert b1.rows("customers")[customer]["name"] == "转交的客户"
    assert a1.rows("customers")[customer]["owner_id"] == team.people["b1"].user_id  # a1's desk learnt it moved
    assert customer not in [row[0] for row in a1.services.customers.page(a1.actor, ListQuery(), 0, 50)]


def test_quotes_made_offline_on_two_desks_never_share_a_number(team: Any) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    numbers = set()
    from crmdesk.services.quotes import create_quote

    for desk in (one, two):
        customer = _customer(desk, f"{desk.name}的客户")
        deal = desk.services.opportunities.create(desk.actor, {"name": "购车", "customer_id": customer,
                                                               "stage_id": _stage(desk), "amount": Decimal("1000")}).id
        numbers.add(create_quote(desk.db, desk.actor, {"opportunity_id": deal}).number)
    one.sync()
    two.sync()
    one.sync()
    assert len(numbers) == 2
    with read_session(one.db) as session:
        from crmdesk.models import Quote

        assert set(session.scalars(select(Quote.number))) == numbers


def test_the_same_walk_in_on_two_desks_shows_as_duplicates_after_sync(team: Any) -> None:
    one, two = team("fin", "laptop1"), team("fin", "laptop2")
    _customer(one, "张伟", phone="13812345678")
    _customer(two, "张伟", phone="13812345678")
    one.sync()
    two.sync()
    one.sync()
    from crmdesk.services import duplicates

    groups = duplicates.find_groups(one.db, one.actor, entity="customer")
    assert any(len(group.members) == 2 and {m.name for m in group.members} == {"张伟"} for group in groups)


def test_a_users_password_hash_reaches_only_that_users_desks(team: Any) -> None:
    from crmdesk.services import auth

    admin = team("admin")
    admin_actor = auth.create_first_admin(admin.db, admin.actor.display_name, "chief-of-desk-1")
    auth.reset_password(admin.db, admin_actor, team.people["a1"].user_id, "first-pass-a1")
    auth.reset_password(admin.db, admin_actor, team.people["b1"].user_id, "first-pass-b1")
    admin.sync()
    a1 = team("a1")
    users = a1.rows("users")
    assert users[team.people["a1"].user_id]["password_hash"].startswith("$argon2id$")
    assert users[team.people["b1"].user_id]["password_hash"] is None
    assert users[admin.actor.user_id]["password_hash"] is None
    assert auth.sign_in(a1.db, "a1", "first-pass-a1").user_id == team.people["a1"].user_id


def test_the_hubs_table_lists_match_the_models() -> None:
    """The hub decides scope by table (h0001's OWNED, EVERYONES, PARENTS): a new owner column or shared
    table in the models must be told to the hub too, in a new hub revision."""
    from crmdesk.hub_migrations.versions import h0001_hub
    from crmdesk.models import Base
    from crmdesk.models.sync_capture import SYNCED_TABLES
    from crmdesk.services import entities

    tables = {mapper.class_.__table__.name: mapper.class_.__table__ for mapper in Base.registry.mappers}
    owned = {name for name in SYNCED_TABLES if "owner_id" in tables[name].columns} - set(entities._EVERYONES)
    assert set(h0001_hub.OWNED) == owned
    assert set(h0001_hub.EVERYONES) == set(entities._EVERYONES)
    assert [column for column, _table in h0001_hub.PARENTS] == [column for column, _model in entities._PARENTS]
    synced = {name for name, table in tables.items() if {"id", "created_at", "updated_at", "deleted_at"}
              <= set(table.columns.keys())}
    assert synced == set(SYNCED_TABLES)
