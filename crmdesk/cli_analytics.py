"""`crmdesk report funnel|forecast|kpi` and `crmdesk targets set|list`: the analytics figures on the command
line, from the same services as the analytics tab (amounts as strings in yuan, rates as fractions)."""

from __future__ import annotations

import argparse
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from crmdesk.i18n import _

ANALYTICS_KINDS = ("funnel", "forecast", "kpi")


def add_report_arguments(report: argparse.ArgumentParser) -> None:
    """The analytics filters on `report` (`rules` ignores them)."""
    report.add_argument("--from", dest="date_from", metavar="DATE", help=_("period start (YYYY-MM-DD)"))
    report.add_argument("--to", dest="date_to", metavar="DATE", help=_("period end, included (YYYY-MM-DD)"))
    report.add_argument("--team", metavar="TEAM", help=_("only this team's deals (team name)"))
    report.add_argument("--pipeline", metavar="CODE", help=_("only this pipeline (vehicle, project)"))
    report.add_argument("--source", metavar="SOURCE", help=_("only deals from leads of this source"))
    report.add_argument("--product", metavar="TEXT", help=_("only deals whose product interest contains this"))
    report.add_argument("--no-project", action="store_true", help=_("leave project-type deals out"))


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    targets = sub.add_parser("targets", parents=[common, reporting], help=_("set or list sales targets"))
    actions = targets.add_subparsers(dest="targets_action", required=True, metavar="ACTION")
    setting = actions.add_parser("set", parents=[common, reporting], help=_("set a month's or quarter's target"))
    who = setting.add_mutually_exclusive_group()
    who.add_argument("--owner", metavar="USERNAME", help=_("the consultant (neither: the whole company)"))
    who.add_argument("--team", metavar="TEAM", help=_("the team (its name)"))
    period = setting.add_mutually_exclusive_group(required=True)
    period.add_argument("--month", metavar="YYYY-MM", help=_("the month, e.g. 2026-12"))
    period.add_argument("--quarter", metavar="YYYYQN", help=_("the quarter, e.g. 2026Q4"))
    setting.add_argument("--amount", required=True, help=_("the target amount in yuan"))
    setting.add_argument("--count", type=int, default=0, help=_("the target number of deals"))
    setting.set_defaults(func=cmd_targets)
    listing = actions.add_parser("list", parents=[common, reporting], help=_("list a year's targets"))
    listing.add_argument("--year", type=int, default=date.today().year, help=_("the year (default: this year)"))
    listing.set_defaults(func=cmd_targets)


def _date(text: str | None, option: str) -> date | None:
    from crmdesk.cli import _fail

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return _fail(_("{option} takes a date as YYYY-MM-DD, not {value}.", option=option, value=text))


def _team_id(db: Any, name: str | None) -> str | None:
    from sqlalchemy import select

    from crmdesk.cli import _fail
    from crmdesk.models import Team
    from crmdesk.services.uow import read_session

    if not name:
        return None
    with read_session(db) as session:
        team_id = session.scalar(select(Team.id).where(Team.name == name, Team.deleted_at.is_(None)))
    return team_id if team_id is not None else _fail(_("No team named {name}.", name=name))


def _filter(db: Any, actor: Any, args: argparse.Namespace) -> Any:
    from crmdesk.cli import _fail
    from crmdesk.cli_report import _owner_id
    from crmdesk.services.analytics import AnalyticsFilter

    start, end = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if start and end and end < start:
        _fail(_("--to must not be before --from."))
    return AnalyticsFilter(start, end, _owner_id(db, actor, args.owner), _team_id(db, args.team), args.pipeline,
                           args.source, args.product, not args.no_project)


def cmd_analytics(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import analytics

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        flt = _filter(db, actor, args)
        data: dict[str, Any]
        if args.kind == "funnel":
            data = analytics.funnel(db, actor, flt).as_json()
            data["sources"] = [row.as_json() for row in analytics.conversion_by_source(db, actor, flt)]
        elif args.kind == "forecast":
            data = analytics.forecast(db, actor, flt).as_json()
        else:
            data = analytics.kpis(db, actor, flt).as_json()
    finally:
        db.close()
    if args.json:
        _print_json({"kind": args.kind, **data})
        return 0
    _print_table(args.kind, data)
    return 0


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def _print_table(kind: str, data: dict[str, Any]) -> None:
    if kind == "funnel":
        print(" | ".join([_("Stage"), _("Deals"), _("Amount"), _("Reached"), _("Conversion")]))
        for stage in data["stages"]:
            print(" | ".join([stage["name_zh"], str(stage["count"]), stage["amount"], str(stage["reached"]),
                              _pct(stage["conversion_to_next"])]))
    elif kind == "forecast":
        print(" | ".join([_("Month"), _("Weighted"), _("Commit"), _("Best case"), _("Pipeline"), _("Won"),
                          _("Target"), _("Gap")]))
        for row in data["months"]:
            print(" | ".join([row["period_start"][:7], row["weighted"], row["commit"], row["best_case"],
                              row["pipeline"], row["won"], row["target"], row["gap"]]))
    else:
        print(f"{_('Win rate')}: {_pct(data['win_rate'])}")
        print(f"{_('Won')}: {data['won_count']} / {data['won_amount']}")
        print(f"{_('Average sales cycle (days)')}: {data['avg_cycle_days']}  "
              f"{_('median')}: {data['median_cycle_days']}")
        print(f"{_('Average deal size')}: {data['avg_deal_size']}")
        print(f"{_('Target achievement')}: {_pct(data['target_achievement'])}")
        for row in data["leaderboard"]:
            print(f"{row['owner']} | {row['won_amount']} | {row['won_count']} | {_pct(row['win_rate'])}")


def _period(args: argparse.Namespace) -> tuple[str, date]:
    from crmdesk.cli import _fail

    if args.month:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", args.month)
        if not match or not 1 <= int(match[2]) <= 12:
            _fail(_("--month takes YYYY-MM, not {value}.", value=args.month))
        assert match is not None
        return "month", date(int(match[1]), int(match[2]), 1)
    match = re.fullmatch(r"(\d{4})[Qq]([1-4])", args.quarter or "")
    if not match:
        _fail(_("--quarter takes YYYYQN (e.g. 2026Q4), not {value}.", value=args.quarter))
    assert match is not None
    return "quarter", date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)


def _target_json(record: Any, names: dict[str, str], teams: dict[str, str]) -> dict[str, Any]:
    return {"id": record.id, "owner": names.get(record["owner_id"] or ""), "team": teams.get(record["team_id"] or ""),
            "period_kind": record["period_kind"], "period_start": record["period_start"].isoformat(),
            "amount": str(record["amount"]), "deal_count": record["deal_count"]}


def cmd_targets(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.cli_report import _owner_id
    from crmdesk.models import Team, User
    from crmdesk.services import analytics
    from crmdesk.services.errors import UserError
    from crmdesk.services.uow import read_session

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.targets_action == "set":
            kind, start = _period(args)
            try:
                amount = Decimal(args.amount)
            except InvalidOperation:
                amount = Decimal("-1")
            owner_id, team_id = _owner_id(db, actor, args.owner), _team_id(db, args.team)
            try:
                records = [analytics.set_target(db, actor, owner_id=owner_id, team_id=team_id, period_kind=kind,
                                                period_start=start, amount=amount, deal_count=args.count)]
            except UserError as error:
                return _fail(str(error))
        else:
            records = analytics.list_targets(db, actor, args.year)
        with read_session(db) as session:
            names = {uid: username for uid, username in session.execute(select(User.id, User.username))}
            teams = {tid: name for tid, name in session.execute(select(Team.id, Team.name))}
    finally:
        db.close()
    rows = [_target_json(record, names, teams) for record in records]
    if args.json:
        _print_json({"targets": rows})
        return 0
    for row in rows:
        print(f"{row['period_kind']:<8} {row['period_start']}  {row['owner'] or row['team'] or _('(company)'):<12} "
              f"{row['amount']:>14}  {row['deal_count']}")
    return 0
