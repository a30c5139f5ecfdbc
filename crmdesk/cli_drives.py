"""`crmdesk testdrive ...`, `crmdesk lost ...` and `crmdesk customers reactivate`: test drives and the
lost/dormant flow from the command line, acting as the local user (an administrator).

Added to the parser by crmdesk.cli.build_parser; user errors exit 2 like every command.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from crmdesk.i18n import _


def _drive_json(record: Any) -> dict[str, Any]:
    keys = ("status", "customer_id", "customer_name", "opportunity_id", "consultant_id", "product_id",
            "vehicle_name", "vehicle_plate", "vehicle_vin", "driver_name", "driver_phone", "driver_id_number",
            "licence_number", "booked_for", "started_at", "ended_at", "start_odometer_km", "end_odometer_km",
            "distance_km", "counts_as_done", "too_short", "notes")
    return {"id": record.id, **{key: _plain(record.get(key)) for key in keys}}


def _request_json(record: Any) -> dict[str, Any]:
    keys = ("status", "opportunity_id", "opportunity_name", "customer_id", "customer_name", "amount", "owner_name",
            "reason", "reason_label", "detail", "requested_by", "requested_at", "days_pending", "reviewed_by",
            "reviewed_at", "review_comment")
    return {"id": record.id, **{key: _plain(record.get(key)) for key in keys if key in record.values}}


def _plain(value: Any) -> Any:
    from datetime import datetime
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _drive_line(record: Any) -> str:
    from crmdesk.labels import code_label

    distance = "" if record["distance_km"] is None else f" {record['distance_km']} km"
    return (f"{code_label('test_drive', 'status', record['status'])}  {record['customer_name'] or ''}  "
            f"{record['vehicle_name'] or ''} {record['vehicle_plate'] or ''}{distance}  {record.id}")


def cmd_testdrive(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import test_drives

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "list":
            day = date.fromisoformat(args.day) if args.day else None
            records = test_drives.list_test_drives(db, actor, customer_id=args.customer, status=args.status, day=day)
            if args.json:
                _print_json([_drive_json(r) for r in records])
            else:
                for record in records:
                    print(_drive_line(record))
            return 0
        if args.action == "book":
            values = {key: value for key, value in {
                "customer_id": args.customer, "opportunity_id": args.opportunity, "consultant_id": args.consultant,
                "product_id": args.vehicle, "vehicle_plate": args.plate, "vehicle_vin": args.vin,
                "booked_for": args.at, "driver_name": args.driver_name, "driver_phone": args.driver_phone,
                "driver_id_number": args.driver_id, "licence_number": args.licence, "notes": args.notes,
            }.items() if value is not None}
            record = test_drives.book_test_drive(db, actor, values)
        elif args.action == "out":
            record = test_drives.check_out(db, actor, args.id, args.odometer)
        elif args.action == "return":
            record = test_drives.return_vehicle(db, actor, args.id, args.odometer)
        else:
            record = test_drives.cancel_test_drive(db, actor, args.id, args.reason)
    finally:
        db.close()
    if args.json:
        _print_json(_drive_json(record))
    else:
        print(_drive_line(record))
    return 0


def cmd_lost(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import lost

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.action == "pending":
            records = lost.pending_lost_requests(db, actor)
            if args.json:
                _print_json([_request_json(r) for r in records])
            else:
                for r in records:
                    print(f"{r['customer_name']}  {r['opportunity_name']}  {r['reason_label']}  "
                          f"{r['days_pending']}d  {r.id}")
            return 0
        if args.action == "reasons":
            reasons = lost.lost_reasons(db) if args.set is None else lost.save_lost_reasons(
                db, actor, _reason_list(args.set))
            _print_json([{"code": r.code, "zh": r.zh, "en": r.en, "needs_detail": r.needs_detail}
                         for r in reasons])
            return 0
        if args.action == "request":
            record = lost.request_lost(db, actor, args.opportunity_id, args.reason, args.detail)
        elif args.action == "approve":
            record = lost.approve_lost(db, actor, args.request_id, args.comment)
        else:
            record = lost.reject_lost(db, actor, args.request_id, args.comment)
    finally:
        db.close()
    if args.json:
        _print_json(_request_json(record))
    else:
        print(f"{record['status']}  {record['reason_label']}  {record.id}")
    return 0


def cmd_customers(args: argparse.Namespace) -> int:
    from crmdesk.cli import _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import lost

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        record = lost.reactivate_customer(db, actor, args.id, args.note)
    finally:
        db.close()
    summary = {"id": record.id, **{key: _plain(record.get(key))
                                   for key in ("name", "status", "owner_id", "dormant_at", "lost_reason")}}
    if args.json:
        _print_json(summary)
    else:
        print(_("Customer {name}: status {status}", name=summary["name"], status=summary["status"]))
    return 0


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    drive = sub.add_parser("testdrive", help=_("test drives: book, check out, return, cancel, list"))
    actions = drive.add_subparsers(dest="action", required=True)
    book = actions.add_parser("book", parents=[common, reporting], help=_("book a test drive"))
    book.add_argument("--customer", required=True, metavar="ID")
    book.add_argument("--opportunity", metavar="ID", help=_("default: the customer's one open opportunity"))
    book.add_argument("--consultant", metavar="USER_ID", help=_("default: you"))
    book.add_argument("--vehicle", metavar="PRODUCT_ID", help=_("a vehicle of the catalog"))
    book.add_argument("--plate")
    book.add_argument("--vin")
    book.add_argument("--at", metavar="'YYYY-MM-DD HH:MM'", help=_("booked for (local time; default now)"))
    book.add_argument("--driver-name", help=_("default: the customer's name"))
    book.add_argument("--driver-phone", help=_("default: the customer's phone"))
    book.add_argument("--driver-id", help=_("the driver's resident ID number (default: the customer's)"))
    book.add_argument("--licence", help=_("the driving licence number"))
    book.add_argument("--notes")
    out = actions.add_parser("out", parents=[common, reporting], help=_("check the car out (start odometer)"))
    out.add_argument("id")
    out.add_argument("--odometer", required=True, metavar="KM")
    back = actions.add_parser("return", parents=[common, reporting], help=_("the car is back (end odometer)"))
    back.add_argument("id")
    back.add_argument("--odometer", required=True, metavar="KM")
    cancel = actions.add_parser("cancel", parents=[common, reporting], help=_("cancel a booked test drive"))
    cancel.add_argument("id")
    cancel.add_argument("--reason", required=True)
    listing = actions.add_parser("list", parents=[common, reporting], help=_("list test drives"))
    listing.add_argument("--customer", metavar="ID")
    listing.add_argument("--status", choices=("booked", "out", "returned", "cancelled"))
    listing.add_argument("--day", metavar="YYYY-MM-DD", help=_("booked for this day"))
    drive.set_defaults(func=cmd_testdrive)

    lost = sub.add_parser("lost", help=_("lost requests: request, approve, reject, pending, reasons"))
    lost_actions = lost.add_subparsers(dest="action", required=True)
    request = lost_actions.add_parser("request", parents=[common, reporting],
                                      help=_("ask a manager to mark an opportunity lost"))
    request.add_argument("opportunity_id", metavar="OPPORTUNITY_ID")
    request.add_argument("--reason", required=True, metavar="CODE", help=_("a code of the team's lost reasons"))
    request.add_argument("--detail", help=_("your own words (required for other)"))
    approve = lost_actions.add_parser("approve", parents=[common, reporting], help=_("approve a lost request"))
    approve.add_argument("request_id", metavar="REQUEST_ID")
    approve.add_argument("--comment")
    reject = lost_actions.add_parser("reject", parents=[common, reporting], help=_("reject a lost request"))
    reject.add_argument("request_id", metavar="REQUEST_ID")
    reject.add_argument("--comment", required=True)
    lost_actions.add_parser("pending", parents=[common, reporting], help=_("the lost requests waiting"))
    reasons = lost_actions.add_parser("reasons", parents=[common, reporting],
                                      help=_("the team's lost reasons (--set FILE.json replaces them)"))
    reasons.add_argument("--set", metavar="FILE.json",
                         help=_("a JSON list of {code, zh, en, needs_detail} to store (managers)"))
    lost.set_defaults(func=cmd_lost)

    customers = sub.add_parser("customers", help=_("customer actions: reactivate a dormant customer"))
    customer_actions = customers.add_subparsers(dest="action", required=True)
    reactivate = customer_actions.add_parser("reactivate", parents=[common, reporting],
                                             help=_("a dormant customer back in work"))
    reactivate.add_argument("id")
    reactivate.add_argument("--note")
    customers.set_defaults(func=cmd_customers)


def _reason_list(path: str) -> Any:
    from crmdesk.cli import _fail, read_json_file

    value = read_json_file(path)
    if not isinstance(value, list):
        _fail(_("{path} must hold a JSON list of reasons.", path=path))
    return value
