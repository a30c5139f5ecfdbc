"""The benchmark suite behind `crmdesk bench`: the real window and services on a given database.

Each figure is the median of several runs, in milliseconds, one key per figure.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TABS = ("lead", "customer", "opportunity", "order")
# Queries of the kinds the floors name: a 2-character Chinese name, pinyin initials, a phone suffix.
SEARCHES = {"search_cjk2_ms": "张伟", "search_initials_ms": "zw", "search_phone4_ms": "5678"}
# Floors from the product targets, by figure-name prefix.
FLOORS_MS = {"tab_open_": 150, "scroll_end_": 100, "sort_": 300, "search_": 50, "cold_start_": 1500,
             "dedupe_first_page_": 1000, "dedupe_after_changes_": 1000, "dedupe_find_one_": 50,
             "report_": 300, "timeline_": 50, "pdf_": 300, "sync_": 3000}
# Figures reported for information, with no floor (floor_for gives infinity).
INFORMATIONAL = ("dedupe_full_scan_ms", "pool_maintenance_ms")
# Customers and follow-ups (issue 5): the Today and public-pool tabs opened (the busiest consultant's day;
# the pool as a list), the manager's Today over everyone, the rules report over the whole book, the
# first page of the busiest customer's 360° timeline, and the pool's hourly maintenance once the book is
# as it leaves it (it runs off the GUI thread: no floor).
FOLLOWUP_FIGURES = ("tab_open_today_ms", "tab_open_pool_ms", "report_today_all_ms", "report_rules_ms",
                    "timeline_first_page_ms", "pool_maintenance_ms")
# Analytics (issue 6): the funnel, forecast, KPIs and conversion by source over the whole book (no period:
# every opportunity, the heaviest case), and the funnel (with the previous year beside it) and KPIs of the
# current year, as the 分析 tab's 今年 computes them; as the administrator, who sees every deal.
ANALYTICS_FIGURES = ("report_funnel_ms", "report_forecast_ms", "report_kpi_ms", "report_source_ms",
                     "report_funnel_year_ms", "report_kpi_year_ms")
# Receivables (issue 7): due, overdue and collected with the aging buckets over every installment, and
# the 50 customers owing most, as the 回款 page and `crmdesk report receivables` show them first.
BILLING_FIGURES = ("report_receivables_ms",)
# Duplicates: a full rebuild of the stored duplicate index (the scan, as with no index or after a rule
# change); the first page of the duplicates view with the index current, read by a new Database object
# with nothing in memory, as after a restart; the first page right after DEDUPE_CHANGED leads changed (the
# index refreshed record by record first); and the check for one record (by id and by typed values, as
# walk-in entry asks it).
DEDUPE_FIGURES = ("dedupe_full_scan_ms", "dedupe_first_page_ms", "dedupe_after_changes_ms", "dedupe_find_one_ms")
DEDUPE_PAGE = 100
DEDUPE_CHANGED = 100
# Figures that must reach at least their floor (ratios measured in the same run): the import of
# 100,000 leads with validation and duplicate checks at >= 0.5 x a raw executemany of the same rows.
FLOORS_MIN = {"import_ratio": 0.5}
IMPORT_ROWS = 100_000
IMPORT_FIGURES = ("import_rows_per_s", "raw_executemany_rows_per_s", "import_ratio", "import_peak_mb")
# Sync (issue 8): one desk pushes SYNC_CHANGES changes (new customers, as a week offline makes them) to a
# PostgreSQL hub on this machine, and another desk pulls them, each through the real engine and hub functions.
SYNC_CHANGES = 10_000
SYNC_FIGURES = ("sync_push_10k_ms", "sync_pull_10k_ms")


def floor_for(figure: str) -> float:
    """The floor of a figure: a time in ms it must stay under, or (FLOORS_MIN) a value it must reach."""
    if figure in FLOORS_MIN:
        return FLOORS_MIN[figure]
    if figure in INFORMATIONAL:
        return math.inf
    return next(floor for prefix, floor in FLOORS_MS.items() if figure.startswith(prefix))


def meets_floor(figure: str, value: float) -> bool:
    return value >= floor_for(figure) if figure in FLOORS_MIN else value < floor_for(figure)


def measure_import(rows: int = IMPORT_ROWS) -> dict[str, Any]:
    """The import floor, in a scratch folder (it needs no demo database): our rate importing a generated
    CSV of `rows` leads against a raw executemany of the same rows into the same table (same indexes and
    FTS triggers, one transaction), and the Python heap's peak while importing."""
    from crmdesk.services.importer import benchmark_import

    with tempfile.TemporaryDirectory(prefix="crmdesk-import-bench-") as folder:
        result = benchmark_import(Path(folder), rows)
    return {"import_rows": result["rows"], "import_rows_per_s": result["import_rows_per_s"],
            "raw_executemany_rows_per_s": result["executemany_rows_per_s"], "import_ratio": result["ratio"],
            "import_peak_mb": result["peak_mb"]}


def measure_dedupe(db: Any, actor: Any, repeats: int) -> dict[str, Any]:
    """The duplicate figures on `db`. It writes the derived duplicate index (as the app does) and leaves
    every business row as it found it: the "after changes" figure re-stamps leads' updated_at (what an
    edit does to the index: it recomputes those leads) with plain SQL, outside the audit log, and puts
    each value back after measuring; the full rebuild comes last, so the stored index matches the rows
    as they are again."""
    from crmdesk.models.database import open_database
    from crmdesk.services.duplicates import find_duplicates_of, list_groups, rebuild_index

    list_groups(db, actor, limit=DEDUPE_PAGE)  # the index current: built (or refreshed) if it was not
    page_samples = []
    page = None
    for _ in range(repeats):
        reopened = open_database(db.path)  # as in a new process: the stored index, nothing in memory
        try:
            started = time.perf_counter()
            page = list_groups(reopened, actor, limit=DEDUPE_PAGE)
            page_samples.append(time.perf_counter() - started)
        finally:
            reopened.close()
    assert page is not None
    members = [group.members[0] for group in page.groups[:repeats]]
    if not members:
        raise RuntimeError("the duplicates benchmark found no duplicate groups")
    one_samples = []
    for member in members:
        values = {"name": member.name, "phone": member.phone, "city": member.city, "company": member.company}
        for probe in (member.id, values):
            started = time.perf_counter()
            find_duplicates_of(db, actor, member.entity, probe)
            one_samples.append(time.perf_counter() - started)
    changed = _changed_leads(page, DEDUPE_CHANGED)
    change_samples = []
    for _ in range(repeats):
        with _restamped(db, changed):
            started = time.perf_counter()
            after = list_groups(db, actor, limit=DEDUPE_PAGE)
            change_samples.append(time.perf_counter() - started)
        assert after.seconds > 0, "the changes were not picked up"
    full = rebuild_index(db, actor)
    return {"dedupe_full_scan_ms": round(full * 1000, 1), "dedupe_first_page_ms": _median_ms(page_samples),
            "dedupe_after_changes_ms": _median_ms(change_samples), "dedupe_find_one_ms": _median_ms(one_samples),
            "dedupe_groups": page.total, "dedupe_changed_leads": len(changed)}


def measure_followups(db: Any, services: Any, actor: Any, repeats: int, settle: Callable[[], None]) -> dict[str, Any]:
    """The issue-5 figures (FOLLOWUP_FIGURES). The Today tab is opened as the consultant with the most
    planned follow-ups, in a window of their own, as their click on 今日 does; it writes nothing."""
    from PySide6.QtCore import QThreadPool
    from sqlalchemy import func, select

    from crmdesk.models import Activity, User
    from crmdesk.services.customer360 import customer_timeline
    from crmdesk.services.followups import ALL_OWNERS, today_list
    from crmdesk.services.pool import run_pool_maintenance
    from crmdesk.services.rules_report import rules_report
    from crmdesk.services.uow import read_session
    from crmdesk.services.users import actor_for
    from crmdesk.settings import Settings
    from crmdesk.views.main_window import MainWindow

    with read_session(db) as session:
        owner_id = session.scalar(select(Activity.owner_id).where(Activity.status == "planned")
                                  .group_by(Activity.owner_id).order_by(func.count().desc()).limit(1))
        busiest = session.scalar(select(Activity.customer_id).where(Activity.customer_id.is_not(None))
                                 .group_by(Activity.customer_id).order_by(func.count().desc()).limit(1))
        consultant = actor_for(session.get_one(User, owner_id)) if owner_id else actor
    samples: dict[str, list[float]] = {key: [] for key in FOLLOWUP_FIGURES}
    run_pool_maintenance(db, actor)  # the book as the window's first run leaves it
    for _ in range(repeats):
        for key, who in (("today", consultant), ("pool", actor)):
            settings = Settings(Path(os.devnull))
            settings.last_tab = "lead"
            window = MainWindow(services, who, settings, persist_settings=False)
            window.resize(1280, 800)
            window.show()
            settle()
            started = time.perf_counter()
            page = window.show_tab(key)
            page.repaint()
            settle()
            samples[f"tab_open_{key}_ms"].append(time.perf_counter() - started)
            window.close()
            window.deleteLater()
            settle()
            QThreadPool.globalInstance().waitForDone()  # its pool maintenance, if it started one
        for figure, measured in (
                ("report_today_all_ms", lambda: today_list(db, actor, ALL_OWNERS)),
                ("report_rules_ms", lambda: rules_report(db, actor)),
                ("timeline_first_page_ms", lambda: customer_timeline(db, actor, busiest or "", None, 50)),
                ("pool_maintenance_ms", lambda: run_pool_maintenance(db, actor))):
            started = time.perf_counter()
            measured()
            samples[figure].append(time.perf_counter() - started)
    return {figure: _median_ms(values) for figure, values in samples.items()}


def _changed_leads(page: Any, count: int) -> list[str]:
    """Leads of the first page's groups (their groups are on screen), up to `count`."""
    found: list[str] = []
    for group in page.groups:
        found += [m.id for m in group.members if m.entity == "lead" and m.id not in found]
    return found[:count]


@contextmanager
def _restamped(db: Any, ids: list[str]) -> Iterator[None]:
    """Leads given a new updated_at (as an edit stamps them) for the block, their own stamps back after."""
    from sqlalchemy import bindparam, text

    from crmdesk.models.base import utcnow

    with db.engine.begin() as connection:
        saved = [{"id": record_id, "stamp": stamp} for record_id, stamp in connection.execute(
            text("SELECT id, updated_at FROM leads WHERE id IN :ids").bindparams(bindparam("ids", expanding=True)),
            {"ids": ids})]
        connection.execute(text("UPDATE leads SET updated_at = :stamp WHERE id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"stamp": utcnow().strftime("%Y-%m-%d %H:%M:%S.%f"), "ids": ids})
    try:
        yield
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE leads SET updated_at = :stamp WHERE id = :id"), saved)


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def measure_analytics(db: Any, actor: Any, repeats: int) -> dict[str, Any]:
    """ANALYTICS_FIGURES and BILLING_FIGURES (median of `repeats` calls each, after one call that warms the
    page cache), and the number of live opportunities they ran over."""
    from datetime import date

    from sqlalchemy import func, select

    from crmdesk.models import Opportunity
    from crmdesk.services import analytics
    from crmdesk.services.uow import read_session

    whole = analytics.AnalyticsFilter()
    year = analytics.AnalyticsFilter(date(date.today().year, 1, 1), date(date.today().year, 12, 31))
    calls: dict[str, Callable[[], Any]] = {
        "report_funnel_ms": lambda: analytics.funnel(db, actor, whole),
        "report_forecast_ms": lambda: analytics.forecast(db, actor, whole),
        "report_kpi_ms": lambda: analytics.kpis(db, actor, whole),
        "report_source_ms": lambda: analytics.conversion_by_source(db, actor, whole),
        "report_funnel_year_ms": lambda: analytics.funnel(db, actor, year),
        "report_kpi_year_ms": lambda: analytics.kpis(db, actor, year),
    }
    figures: dict[str, Any] = {}
    for figure, call in calls.items():
        call()
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        figures[figure] = _median_ms(samples)
    from crmdesk.services import payments

    payments.receivables(db, actor, customer_limit=50)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        payments.receivables(db, actor, customer_limit=50)
        samples.append(time.perf_counter() - started)
    figures["report_receivables_ms"] = _median_ms(samples)
    with read_session(db) as session:
        figures["analytics_opportunities"] = session.scalar(
            select(func.count()).select_from(Opportunity).where(Opportunity.deleted_at.is_(None)))
    return figures


def measure_pdf(repeats: int) -> dict[str, Any]:
    """A 50-line quote (Chinese names and descriptions, some long enough to wrap) rendered to PDF bytes,
    after one render that registers the bundled font (once per process, as the first print does)."""
    from datetime import date
    from decimal import Decimal

    from crmdesk.services.document_data import CompanyProfile, DocumentLine, PartyBlock, QuoteDocument
    from crmdesk.services.documents import render_quote_pdf

    lines = tuple(
        DocumentLine(position=index, code=f"HC-S5-{index:04d}",
                     description="华驰 S5 2026 款 1.5T 豪华型 星空蓝" if index % 3
                     else "延保服务套餐（三年或十万公里，含道路救援、代步车、保养工时费八五折及全车玻璃险）",
                     quantity=Decimal(index % 4 + 1), unit="台", unit_price=Decimal("158800.00"),
                     discount=Decimal("3000.00"), tax_rate_bp=1300,
                     line_total=Decimal("155800.00") * (index % 4 + 1))
        for index in range(1, 51))
    total = sum((line.line_total for line in lines), Decimal(0))
    quote = QuoteDocument(
        number="QT-BENCH-20261123-0001", version=2, issued_on=date(2026, 11, 23), valid_until=date(2026, 12, 23),
        company=CompanyProfile(name="杭州华驰汽车销售服务有限公司", address="浙江省杭州市西湖区文三路 398 号",
                               phone="0571-88886666", bank_name="中国工商银行杭州文三路支行",
                               bank_account="1202021209900123456"),
        customer=PartyBlock(name="苏州群英电子有限公司", contact="陈静", phone="13600003333"),
        lines=lines, subtotal=total + Decimal(150000), discount_total=Decimal(150000),
        tax_total=(total * 13 / 113).quantize(Decimal("0.01")), total=total, terms="本报价有效期 30 天。",
        owner_name="王磊")
    render_quote_pdf(quote)
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        render_quote_pdf(quote)
        samples.append(time.perf_counter() - started)
    return {"pdf_quote_50_lines_ms": _median_ms(samples)}


def measure_sync(changes: int = SYNC_CHANGES) -> dict[str, Any]:
    """Push and pull of `changes` new customers through a throwaway PostgreSQL hub (crmdesk.services.pg_cluster):
    the push from the desk that made them, the pull into a second desk that has none of them."""
    import shutil
    import sqlite3

    from crmdesk.models.base import new_id
    from crmdesk.models.database import open_database
    from crmdesk.services import hub, sync
    from crmdesk.services.pg_cluster import TemporaryCluster
    from crmdesk.services.users import ensure_local_user

    with tempfile.TemporaryDirectory(prefix="crmdesk-sync-bench-") as folder, TemporaryCluster() as cluster:
        url = cluster.create_database("sync_bench")
        hub.init_hub(url)
        first_path, second_path = Path(folder) / "first.sqlite3", Path(folder) / "second.sqlite3"
        db = open_database(first_path)
        admin = ensure_local_user(db)
        db.close()
        shutil.copyfile(first_path, second_path)
        hub.add_hub_user(url, "bench", None, user_id=admin.user_id, role="admin", team_id=None, scope="all")
        desk_url = hub.libpq_url(url).replace(f"{cluster.superuser}@", "bench@", 1)
        first, second = open_database(first_path), open_database(second_path)
        try:
            for database in (first, second):  # both desks known to the hub before the clock starts
                sync.sync(database, desk_url)
            connection = sqlite3.connect(first_path)
            with connection:  # written as any program writes the file: the capture triggers fill the outbox
                connection.executemany(
                    "INSERT INTO customers (id, kind, name, phone, city, status, tier_overridden, name_pinyin, "
                    "name_initials, search_body, created_at, updated_at, created_by, updated_by) VALUES (?, 'person', "
                    "?, ?, '杭州市', 'active', 0, 'kehu', 'kh', '', '2026-12-01 08:00:00.000000', "
                    "'2026-12-01 08:00:00.000000', ?, ?)",
                    [(new_id(), f"客户{number:05d}", f"138{number:08d}", admin.user_id, admin.user_id)
                     for number in range(changes)])
            connection.close()
            with hub.connect(desk_url) as hub_connection:
                started = time.perf_counter()
                pushed = sync.push(first, hub_connection)
                push_seconds = time.perf_counter() - started
            with hub.connect(desk_url) as hub_connection:
                started = time.perf_counter()
                pulled = sync.pull(second, hub_connection)
                pull_seconds = time.perf_counter() - started
        finally:
            first.close()
            second.close()
    if pushed.pushed < changes or pulled.pulled < changes:
        raise RuntimeError(f"sync benchmark: pushed {pushed.pushed}, pulled {pulled.pulled} of {changes}")
    return {"sync_changes": changes, "sync_push_10k_ms": round(push_seconds * 1000, 1),
            "sync_pull_10k_ms": round(pull_seconds * 1000, 1)}


def measure_cold_start(db_path: Path, repeats: int) -> float:
    """A new process until the main window has shown its first page: `run --screenshot` writes the PNG of
    the shown window, and the time is taken when that file appears (the process then still closes the
    database and tears Qt down, about 0.3 s that a user who goes on working never waits for)."""
    samples = []
    # As an installed app starts: with its modules' bytecode cached (pip and the installer compile it). A
    # shell with PYTHONDONTWRITEBYTECODE would compile every module at every start; the first, uncounted run
    # writes the cache.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "crmdesk", "run", "--db", str(db_path), "--screenshot",
                        str(Path(folder) / "warm.png")], env=env, stdout=subprocess.DEVNULL, check=True)
        for index in range(repeats):
            target = Path(folder) / f"shot{index}.png"
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "crmdesk", "run", "--db", str(db_path), "--screenshot", str(target)],
                env=env, stdout=subprocess.DEVNULL,
            )
            shown: float | None = None
            while shown is None and process.poll() is None:
                if target.exists():
                    shown = time.perf_counter()
                else:
                    time.sleep(0.002)
            if process.wait() != 0 or not target.exists():
                raise RuntimeError("run --screenshot failed or made no PNG")
            samples.append((shown or time.perf_counter()) - started)
    return _median_ms(samples)


def run_benchmarks(db_path: Path, repeats: int = 5, import_rows: int = IMPORT_ROWS,
                   sync_changes: int = SYNC_CHANGES) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt

    from crmdesk.app import create_application
    from crmdesk.models.database import open_database
    from crmdesk.services.registry import Services
    from crmdesk.services.search import search
    from crmdesk.services.users import ensure_local_user
    from crmdesk.settings import Settings
    from crmdesk.views.main_window import MainWindow

    db = open_database(db_path)
    services = Services(db)
    actor = ensure_local_user(db)
    app = create_application([])
    figures: dict[str, Any] = {"database": str(db_path)}
    from crmdesk.services.entities import ListQuery

    figures["leads"] = services.leads.count(actor, ListQuery())

    def settle() -> None:
        app.processEvents()

    def timed(action: Callable[[], None]) -> float:
        started = time.perf_counter()
        action()
        return time.perf_counter() - started

    filter_samples: dict[str, list[float]] = {}
    for key in TABS:
        open_samples, scroll_samples, name_samples, date_samples = [], [], [], []
        for _ in range(repeats):
            # The window opens on another tab, so this one is built when shown, as a user's click does.
            settings = Settings(Path(os.devnull))
            settings.last_tab = "order" if key == "lead" else "lead"
            window = MainWindow(services, actor, settings, persist_settings=False)
            window.resize(1280, 800)
            window.show()
            settle()
            tab = window.tabs[key]

            def open_tab(window: Any = window, key: str = key) -> None:
                window.show_tab(key)
                window.tabs[key].view.viewport().repaint()
                settle()

            open_samples.append(timed(open_tab))
            assert tab.model.rowCount() > 0, f"{key} tab shows no rows"

            def scroll_end(tab: Any = tab) -> None:
                tab.view.scrollToBottom()
                tab.view.viewport().repaint()
                settle()

            scroll_samples.append(timed(scroll_end))
            last = tab.model.index(tab.model.rowCount() - 1, 0)
            assert tab.model.data(last) is not None

            def sort_by(column_key: str, tab: Any = tab) -> None:
                column = tab.model.column_keys.index(column_key)
                tab.view.scrollToTop()
                tab.model.sort(column, Qt.SortOrder.AscendingOrder)
                tab.view.viewport().repaint()
                settle()

            if key == "lead":
                # The list's own search box (count + first page of the matches), no floor of its own.
                for figure, query in SEARCHES.items():
                    def filter_list(tab: Any = tab, query: str = query) -> None:
                        tab.model.set_search(query)  # read on a pool thread: wait until it lands
                        while tab.model.is_loading():
                            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
                        tab.view.viewport().repaint()
                        settle()

                    filter_samples.setdefault(figure.replace("search_", "filter_lead_"), []).append(
                        timed(filter_list))
                tab.model.set_search("")
                while tab.model.is_loading():
                    app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
            name_key = "number" if key == "order" else "name"
            date_key = "order_date" if key == "order" else "created_at"
            name_samples.append(timed(lambda key=name_key: sort_by(key)))  # type: ignore[misc]
            date_samples.append(timed(lambda key=date_key: sort_by(key)))  # type: ignore[misc]
            window.close()
            window.deleteLater()
            settle()
        figures[f"tab_open_{key}_ms"] = _median_ms(open_samples)
        figures[f"scroll_end_{key}_ms"] = _median_ms(scroll_samples)
        figures[f"sort_name_{key}_ms"] = _median_ms(name_samples)
        figures[f"sort_date_{key}_ms"] = _median_ms(date_samples)

    figures.update({figure: _median_ms(samples) for figure, samples in filter_samples.items()})
    for figure, query in SEARCHES.items():
        samples = []
        search(db, actor, query)  # first call pays for statement compilation once
        for _ in range(repeats):
            started = time.perf_counter()
            hits = search(db, actor, query)
            samples.append(time.perf_counter() - started)
        figures[figure] = _median_ms(samples)
        figures[figure.replace("_ms", "_hits")] = len(hits)
    figures.update(measure_dedupe(db, actor, repeats))
    figures.update(measure_followups(db, services, actor, repeats, settle))
    figures.update(measure_analytics(db, actor, repeats))
    db.close()
    figures["cold_start_ms"] = measure_cold_start(db_path, max(3, repeats // 2))
    figures.update(measure_import(import_rows))
    figures.update(measure_pdf(repeats))
    figures.update(measure_sync(sync_changes))
    figures["floors_ms"] = FLOORS_MS
    figures["floors_min"] = FLOORS_MIN
    return figures
