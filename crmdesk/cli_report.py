"""`crmdesk report KIND`: the management reports on the command line (rules for now; funnel, forecast,
kpi and receivables join as their issues land), with the same services as the window."""

from __future__ import annotations

import argparse
from typing import Any

from crmdesk.i18n import _

REPORT_KINDS = ("rules", "funnel", "forecast", "kpi", "receivables")


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    from crmdesk.services.rules_report import DEFAULT_PERIOD_DAYS, RULES

    report = sub.add_parser("report", parents=[common, reporting],
                            help=_("print a management report (rules: the showroom rules per consultant)"))
    report.add_argument("kind", choices=REPORT_KINDS, metavar="KIND", help=_("the report: {kinds}",
                                                                            kinds=", ".join(REPORT_KINDS)))
    report.add_argument("--owner", metavar="USERNAME", help=_("only this consultant's records"))
    report.add_argument("--rule", choices=RULES, help=_("list the records that broke this rule instead"))
    report.add_argument("--limit", type=int, default=50, help=_("records to list with --rule"))
    report.add_argument("--offset", type=int, default=0, help=_("records to skip with --rule"))
    period = report.add_mutually_exclusive_group()
    period.add_argument("--days", type=int, default=DEFAULT_PERIOD_DAYS,
                        help=_("look back this many days for first revisits, won deals and deliveries "
                               "(default {days}; overdue follow-ups and past dates count as they stand)",
                               days=DEFAULT_PERIOD_DAYS))
    period.add_argument("--all", action="store_true", help=_("look back over the whole history"))
    report.set_defaults(func=cmd_report)
    from crmdesk import cli_analytics

    cli_analytics.add_report_arguments(report)  # funnel, forecast, kpi: --from --to --team --pipeline ...
    cli_analytics.add_parsers(sub, common, reporting)  # targets set / list


def _owner_id(db: Any, actor: Any, username: str | None) -> str | None:
    from crmdesk.cli import _fail
    from crmdesk.services.users import list_users

    if not username:
        return None
    for user in list_users(db, actor):
        if user["username"] == username:
            return user.id
    return _fail(_("No user named {username}.", username=username))


def cmd_report(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services.rules_report import rules_report, rules_report_rows

    if args.kind == "receivables":
        from crmdesk.cli_billing import cmd_receivables

        return cmd_receivables(args)
    if args.kind != "rules":
        from crmdesk.cli_analytics import cmd_analytics

        return cmd_analytics(args)
    if args.limit < 1:
        _fail(_("--limit must be at least 1."))
    if args.days < 1:
        _fail(_("--days must be at least 1."))
    days = None if args.all else args.days
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        owner_id = _owner_id(db, actor, args.owner)
        if args.rule:
            rows = rules_report_rows(db, actor, args.rule, owner_id, args.offset, args.limit, period_days=days)
            if args.json:
                _print_json({"rule": args.rule, "rows": [row.as_json() for row in rows]})
            else:
                for row in rows:
                    print(f"{row.days_late:5d}  {row.owner:<8} {row.name:<24} {row.customer_name:<16} {row.detail}")
            return 0
        report = rules_report(db, actor, owner_id=owner_id, period_days=days)
    finally:
        db.close()
    if args.json:
        _print_json(report.as_json())
        return 0
    titles = [report.titles[rule] for rule in report.rules]
    print(" | ".join([_("Consultant"), *titles, _("Total")]))
    for consultant in report.consultants:
        counts = [str(consultant.counts[rule]) for rule in report.rules]
        print(" | ".join([consultant.owner, *counts, str(consultant.total)]))
    totals = [str(report.totals[rule]) for rule in report.rules]
    print(" | ".join([_("Total"), *totals, str(sum(report.totals.values()))]))
    return 0
