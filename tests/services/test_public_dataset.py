"""The analytics against a public sales dataset imported with `crmdesk import` (issue 6's done-means).

The dataset: "Salesforce Test Data" (tests/fixtures/public/salesforce_test_data/SOURCE.md): 100 leads and
40 opportunities with a B2B pipeline, published with a README of its own figures. Every figure the app
computes is checked against a recount of the CSV files made here with the csv module alone, and against the
README where the README agrees with its own files. Where it does not (its stage counts, win rate, average
deal size and source shares describe another draw of the data), the test pins the README's figure too, so
the disagreement stays documented rather than silently "fixed".
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from crmdesk.cli import main
from crmdesk.models.database import Database, open_database
from crmdesk.services import analytics
from crmdesk.services.analytics import AnalyticsFilter
from crmdesk.services.users import ensure_local_user

DATA = Path(__file__).resolve().parent.parent / "fixtures" / "public" / "salesforce_test_data"
# The dataset's stages and sources in the app's codes (the project pipeline: it has a proposal stage).
STAGES = {"Prospecting": "qualify", "Qualification": "needs_analysis", "Proposal": "proposal",
          "Negotiation": "negotiation", "Closed Won": "won", "Closed Lost": "lost"}
SOURCES = {"Web": "web", "Referral": "referral", "Partner": "other", "Conference": "trade_show",
           "Webinar": "campaign"}
# What the dataset's README publishes (its "Data Characteristics" section).
README = {"leads": 100, "opportunities": 40, "lead_to_opportunity": 0.40, "win_rate": 0.75,
          "avg_deal_size": Decimal("235000"), "stage_counts": {"Prospecting": 8, "Qualification": 8, "Proposal": 8,
                                                            "Negotiation": 8, "Closed Won": 6, "Closed Lost": 2}}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The two files imported with the CLI, as a user would: a name column made of first and last name (the
    importer maps one column to a field), the opportunities' customers created from their leads' companies,
    closed deals dated by their close date; then each deal linked to its lead (LeadId), as a conversion does."""
    folder = tmp_path_factory.mktemp("public")
    path = folder / "book.sqlite3"
    leads = _rows("leads.csv")
    company = {lead["Id"]: lead["Company"] for lead in leads}
    _write(folder / "leads.csv", [{"Id": lead["Id"], "Name": f'{lead["FirstName"]} {lead["LastName"]}',
                                   "Email": lead["Email"], "Company": lead["Company"], "Source": lead["Source"],
                                   "CreatedDate": lead["CreatedDate"]} for lead in leads])
    deals = []
    for deal in _rows("opportunities.csv"):
        closed = deal["StageName"].startswith("Closed")
        deals.append({"Id": deal["Id"], "Name": deal["Name"], "Amount": deal["Amount"], "Stage": deal["StageName"],
                      "Customer": company[deal["LeadId"]], "Pipeline": "project", "CreatedDate": deal["CreatedDate"],
                      "ExpectedClose": "" if closed else deal["CloseDate"],
                      "ClosedOn": deal["CloseDate"] if closed else "",
                      "LostReason": "Closed Lost" if deal["StageName"] == "Closed Lost" else ""})
    _write(folder / "opportunities.csv", deals)
    common = ["--db", str(path), "--json", "--duplicates", "new"]
    assert main(["import", "leads", str(folder / "leads.csv"), *common, "--map", "Id=external_id",
                 "--map", "Name=name", "--map", "Email=email", "--map", "Company=company", "--map", "Source=source",
                 "--map", "CreatedDate=created_at",
                 *[arg for src, code in SOURCES.items() for arg in ("--value-map", f"source:{src}={code}")]]) == 0
    assert main(["import", "opportunities", str(folder / "opportunities.csv"), *common, "--create-customers",
                 "--map", "Id=external_id", "--map", "Name=name", "--map", "Amount=amount", "--map", "Stage=stage",
                 "--map", "Customer=customer", "--map", "Pipeline=pipeline", "--map", "CreatedDate=created_at",
                 "--map", "ExpectedClose=expected_close_date", "--map", "ClosedOn=stage_changed_at",
                 "--map", "LostReason=lost_reason",
                 *[arg for name, code in STAGES.items() for arg in ("--value-map", f"stage:{name}={code}")]]) == 0
    db = open_database(path)
    with db.engine.begin() as connection:
        for deal in _rows("opportunities.csv"):
            connection.exec_driver_sql(
                "UPDATE leads SET opportunity_id = (SELECT id FROM opportunities WHERE external_id = ?),"
                " status = 'converted' WHERE external_id = ?", (deal["Id"], deal["LeadId"]))
            connection.exec_driver_sql(
                "UPDATE opportunities SET source_type = 'lead', source_id = (SELECT id FROM leads"
                " WHERE external_id = ?) WHERE external_id = ?", (deal["LeadId"], deal["Id"]))
    return db


def test_the_import_took_every_row(imported: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with imported.engine.connect() as connection:
        counts = connection.exec_driver_sql(
            "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM opportunities),"
            " (SELECT count(*) FROM leads WHERE opportunity_status IS NOT NULL)").one()
    assert tuple(counts) == (README["leads"], README["opportunities"], 40)


def test_funnel_and_kpis_agree_with_a_recount_of_the_files(imported: Database) -> None:
    deals = _rows("opportunities.csv")
    recount = Counter(deal["StageName"] for deal in deals)
    amounts = [Decimal(deal["Amount"]) for deal in deals]
    won = [Decimal(deal["Amount"]) for deal in deals if deal["StageName"] == "Closed Won"]
    actor = ensure_local_user(imported)
    everything = AnalyticsFilter(pipeline_code="project")  # no period: the whole dataset (all in one pipeline)

    funnel = analytics.funnel(imported, actor, everything)
    now_at = {stage.code: stage.count for stage in funnel.stages}
    assert {name: now_at.get(code, 0) for name, code in STAGES.items() if code != "lost"} == {
        name: count for name, count in recount.items() if name != "Closed Lost"}
    assert funnel.lost_count == recount["Closed Lost"] == 3
    assert (funnel.total_count, funnel.total_amount) == (40, sum(amounts)) == (40, Decimal("10217000.00"))

    kpis = analytics.kpis(imported, actor, everything)
    assert (kpis.won_count, kpis.lost_count) == (recount["Closed Won"], recount["Closed Lost"]) == (7, 3)
    assert kpis.win_rate == pytest.approx(0.7)
    assert kpis.won_amount == sum(won) == Decimal("1627000.00")
    assert kpis.avg_deal_size == (sum(won) / len(won)).quantize(Decimal("0.01")) == Decimal("232428.57")

    # The README's own figures: the counts agree; its stage counts, win rate (6 of 8) and average deal size
    # do not match its files (7 won, 3 lost: 70 %), and the app follows the files.
    assert README["opportunities"] == funnel.total_count
    assert README["stage_counts"] != dict(recount) and README["win_rate"] != kpis.win_rate
    assert abs(kpis.avg_deal_size - README["avg_deal_size"]) / README["avg_deal_size"] < Decimal("0.02")


def test_conversion_by_source_agrees_with_a_recount_and_the_readmes_forty_percent(imported: Database) -> None:
    leads = _rows("leads.csv")
    deals = _rows("opportunities.csv")
    source_of = {lead["Id"]: SOURCES[lead["Source"]] for lead in leads}
    expected = {code: (sum(1 for lead in leads if source_of[lead["Id"]] == code),
                       sum(1 for deal in deals if source_of[deal["LeadId"]] == code),
                       sum(1 for deal in deals if source_of[deal["LeadId"]] == code and deal["StageName"] == "Closed Won"))
                for code in SOURCES.values()}
    actor = ensure_local_user(imported)
    rows = analytics.conversion_by_source(imported, actor, AnalyticsFilter())
    assert {row.source: (row.leads, row.opportunities, row.won) for row in rows} == expected
    assert sum(row.opportunities for row in rows) / sum(row.leads for row in rows) == README["lead_to_opportunity"]
    assert expected["campaign"] == (17, 10, 3)  # Webinar: 17 leads, 10 deals, 3 won (the recount, by hand too)


def test_the_cli_report_prints_the_same_figures(imported: Database, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["report", "kpi", "--db", str(imported.path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["won_count"], figures["lost_count"], figures["won_amount"]) == (7, 3, "1627000.00")
    assert figures["win_rate"] == pytest.approx(0.7)
