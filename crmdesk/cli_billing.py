"""`crmdesk contract|order|plan|payment ...` and `crmdesk report receivables`: contracts, orders with VINs,
payment plans and reconciliation from the command line, enough to drive the chain from an accepted quote
to the money collected. Amounts print as strings in yuan.

Added to the parser by crmdesk.cli.build_parser; user errors exit 2 like every command.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import asdict, is_dataclass
from datetime import date
from pathlib import Path
from typing import Any

from crmdesk.i18n import _


def _plain(value: Any) -> Any:
    """A record, a dataclass or a value as JSON-ready data (Decimals and dates as strings)."""
    from crmdesk.services.entities import Record

    if isinstance(value, Record):
        return {"id": value.id, **{key: _plain(item) for key, item in value.values.items()}}
    if is_dataclass(value) and not isinstance(value, type):
        return {key: _plain(item) for key, item in asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return None
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _date(text: str | None, option: str) -> date | None:
    from crmdesk.cli_analytics import _date as parse

    return parse(text, option)


def _session(args: argparse.Namespace) -> tuple[Any, Any]:
    from crmdesk.cli import _open
    from crmdesk.cli_auth import cli_actor

    db = _open(args)
    return db, cli_actor(db, args)


def _emit(args: argparse.Namespace, data: Any, text: str) -> int:
    from crmdesk.cli import _print_json

    if args.json:
        _print_json(_plain(data))
    else:
        print(text)
    return 0


# ---- contracts -----------------------------------------------------------------------------------
def _contract_values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in ("title", "terms", "template", "amount"):
        if getattr(args, key, None) is not None:
            values[key] = getattr(args, key)
    for key in ("starts_on", "ends_on"):
        if getattr(args, key, None):
            values[key] = getattr(args, key)
    return values


def _contract_line(record: Any) -> str:
    return (f"{record['number']}  {record.get('customer_name', '')}  {record['status']}  {record['amount']}  "
            f"{record['title']}  {record.id}")


def cmd_contract(args: argparse.Namespace) -> int:
    from crmdesk.services import contracts

    template_body = _read_text(args.file) if args.action == "template-save" else None
    attachment = _read_bytes(args.file) if args.action == "attach" else None
    db, actor = _session(args)
    try:
        action = args.action
        if action == "list":
            rows = contracts.list_contracts(db, actor, status=args.status, customer_id=args.customer,
                                            offset=args.offset, limit=args.limit)
            return _emit(args, rows, "\n".join(_contract_line(row) for row in rows))
        if action == "templates":
            templates = contracts.list_templates(db)
            return _emit(args, templates, "\n".join(f"{t.code}  V{t.version}  {t.name}" for t in templates))
        if action == "placeholders":
            pairs = contracts.placeholders()
            return _emit(args, dict(pairs), "\n".join(f"{name}  {text}" for name, text in pairs))
        if action == "template-save":
            saved = contracts.save_template(db, actor, args.code, args.name, template_body or "")
            return _emit(args, saved, _("Template {code} saved as version {version}.", code=saved.code,
                                        version=saved.version))
        if action == "from-quote":
            quote_id = contracts.resolve_quote(db, actor, args.quote)
            record = contracts.create_contract_from_quote(db, actor, quote_id, _contract_values(args))
            return _emit(args, record, _("Contract {number} made (draft).", number=record["number"]))
        if action == "from-opportunity":
            record = contracts.create_contract_from_opportunity(db, actor, args.opportunity, _contract_values(args))
            return _emit(args, record, _("Contract {number} made (draft).", number=record["number"]))
        contract_id = contracts.resolve_contract(db, actor, args.ref)
        if action == "show":
            record = contracts.get_contract(db, actor, contract_id)
            data = {**_plain(record), "attachments": _plain(contracts.list_attachments(db, actor, contract_id))}
            if args.json:
                return _emit(args, data, "")
            print(_contract_line(record))
            print(record["body"] or "")
            return 0
        if action == "update":
            record = contracts.update_contract(db, actor, contract_id, _contract_values(args))
        elif action == "sign":
            record = contracts.sign_contract(db, actor, contract_id, _date(args.on, "--on"))
        elif action == "in-force":
            record = contracts.put_contract_in_force(db, actor, contract_id, _date(args.on, "--on"))
        elif action == "finish":
            record = contracts.finish_contract(db, actor, contract_id, _date(args.on, "--on"))
        elif action == "terminate":
            record = contracts.terminate_contract(db, actor, contract_id, args.reason, _date(args.on, "--on"))
        elif action == "attach":
            info = contracts.add_attachment(db, actor, contract_id, Path(args.file).name, attachment or b"", args.note)
            return _emit(args, info, _("{name} attached ({size} bytes).", name=info.filename, size=info.size))
        elif action == "attachments":
            items = contracts.list_attachments(db, actor, contract_id)
            return _emit(args, items, "\n".join(f"{i.filename}  {i.content_type}  {i.size}  {i.id}" for i in items))
        else:  # detach
            contracts.remove_attachment(db, actor, args.attachment)
            return _emit(args, {"removed": args.attachment}, _("Attachment removed."))
        return _emit(args, record, _contract_line(record))
    finally:
        db.close()


def _read_text(path: str) -> str:
    from crmdesk.cli import _fail

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return _fail(_("Cannot read {path}: {detail}", path=path, detail=error))


def _read_bytes(path: str) -> bytes:
    from crmdesk.cli import _fail

    try:
        return Path(path).read_bytes()
    except OSError as error:
        return _fail(_("Cannot read {path}: {detail}", path=path, detail=error.strerror or error))


# ---- orders --------------------------------------------------------------------------------------
def _order_text(result: Any) -> str:
    order = result.order
    lines = [f"{order['number']}  {order['customer_name']}  {order['status']}  {order['total']}  {order.id}"]
    lines += [f"  {line['position']}. {line['description']}  {line['quantity']}  {line['line_total']}  "
              f"{line['vin'] or ''}  {line.id}" for line in result.lines]
    lines += [_("Warning: {text}", text=warning) for warning in result.warnings]
    return "\n".join(lines)


def cmd_order(args: argparse.Namespace) -> int:
    from crmdesk.services import contracts
    from crmdesk.services.orders import OrderResult, OrderService, resolve_order

    db, actor = _session(args)
    try:
        orders = OrderService(db)
        action = args.action
        if action in ("from-contract", "from-quote"):
            options: dict[str, Any] = {"vins": tuple(args.vin), "order_date": _date(args.order_date, "--order-date"),
                       "delivery_date": _date(args.delivery_date, "--delivery-date")}
            if action == "from-contract":
                result = orders.create_from_contract(actor, contracts.resolve_contract(db, actor, args.ref), **options)
            else:
                result = orders.create_from_quote(actor, contracts.resolve_quote(db, actor, args.ref), **options)
            return _emit(args, {"order": result.order, "lines": result.lines, "warnings": result.warnings},
                         _order_text(result))
        if action == "set-vin":
            line = orders.set_vin(actor, args.line, args.vin)
            return _emit(args, {"line": line.line, "warnings": line.warnings},
                         "\n".join([f"{line.line['description']}  {line.line['vin'] or ''}",
                                    *(_("Warning: {text}", text=w) for w in line.warnings)]))
        order_id = resolve_order(db, actor, args.ref)
        if action == "confirm":
            orders.confirm(actor, order_id)
        elif action == "deliver":
            orders.deliver(actor, order_id, _date(args.on, "--on"))
        elif action == "close":
            orders.close(actor, order_id)
        elif action == "cancel":
            orders.cancel(actor, order_id, args.reason)
        result = OrderResult(orders.get(actor, order_id), tuple(orders.lines(actor, order_id)))
        return _emit(args, {"order": result.order, "lines": result.lines}, _order_text(result))
    finally:
        db.close()


# ---- plans and payments --------------------------------------------------------------------------
def _installment_arguments(texts: list[str]) -> list[dict[str, str]]:
    """DATE=AMOUNT or DATE=PERCENT% [:NOTE] -> the service's installment mappings."""
    from crmdesk.cli import _fail

    installments = []
    for text in texts:
        due, separator, rest = text.partition("=")
        if not separator or not rest:
            _fail(_("Write an installment as DATE=AMOUNT or DATE=PERCENT%, e.g. 2026-12-01=30%, not {value}.",
                    value=text))
        value, _colon, note = rest.partition(":")
        item = {"due_date": due.strip(), "note": note.strip()}
        if value.strip().endswith(("%", "％")):
            item["percent"] = value.strip()
        else:
            item["amount"] = value.strip()
        installments.append(item)
    return installments


def _plan_text(plan: Any) -> str:
    lines = [_("Plan {id}: total {total}, paid {paid}, outstanding {outstanding}", id=plan.id, total=plan.total,
               paid=plan.paid, outstanding=plan.outstanding)]
    lines += [f"  {item.sequence}. {item.due_date}  {item.amount}  {item.paid}  {item.status}  {item.note or ''}  "
              f"{item.id}" for item in plan.installments]
    return "\n".join(lines)


def cmd_plan(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail
    from crmdesk.services import contracts, payments
    from crmdesk.services.orders import resolve_order

    db, actor = _session(args)
    try:
        contract_id = contracts.resolve_contract(db, actor, args.contract) if args.contract else None
        order_id = resolve_order(db, actor, args.order) if args.order else None
        if args.action == "create":
            plan = payments.create_payment_plan(db, actor, order_id=order_id, contract_id=contract_id,
                                                installments=_installment_arguments(args.installment),
                                                total=args.total)
        elif args.action == "delete":
            found = payments.plan_for(db, actor, order_id=order_id, contract_id=contract_id)
            if found is None:
                return int(_fail(_("There is no payment plan for it.")))
            payments.delete_payment_plan(db, actor, found.id)
            return _emit(args, {"deleted": found.id}, _("Payment plan deleted."))
        else:
            today = _date(args.as_of, "--as-of")
            found = payments.plan_for(db, actor, order_id=order_id, contract_id=contract_id, today=today)
            if found is None:
                return int(_fail(_("There is no payment plan for it.")))
            plan = found
        return _emit(args, plan, _plan_text(plan))
    finally:
        db.close()


def _allocations_text(allocations: Any) -> str:
    return "\n".join(f"  {a.amount} -> {a.installment_id}  ({a.id})" for a in allocations)


def cmd_payment(args: argparse.Namespace) -> int:
    from crmdesk.services import contracts, payments
    from crmdesk.services.orders import resolve_order

    db, actor = _session(args)
    try:
        action = args.action
        if action == "add":
            values = {"customer_id": args.customer, "received_on": args.on, "amount": args.amount,
                      "method": args.method, "payer": args.payer, "reference": args.reference, "notes": args.notes,
                      "order_id": resolve_order(db, actor, args.order) if args.order else None,
                      "contract_id": contracts.resolve_contract(db, actor, args.contract) if args.contract else None}
            result = payments.record_payment(db, actor, values, allocate=not args.no_allocate)
            text = "\n".join([_("Payment {id}: {amount}, allocated {allocated}, customer's credit {credit}",
                                id=result.payment.id, amount=result.payment.amount,
                                allocated=result.payment.allocated, credit=result.customer_credit),
                              _allocations_text(result.allocations)])
            return _emit(args, result, text)
        if action == "allocate":
            if args.installment:
                made: Any = (payments.allocate_payment(db, actor, args.payment, args.installment, args.amount),)
            else:
                made = payments.auto_allocate(db, actor, args.payment)
            return _emit(args, {"allocations": made}, _allocations_text(made) or _("Nothing allocated."))
        if action == "unallocate":
            undone: Any = (payments.unallocate_payment(db, actor, args.payment) if args.payment
                           else (payments.unallocate(db, actor, args.allocation),))
            return _emit(args, {"unallocated": undone}, _allocations_text(undone) or _("Nothing unallocated."))
        if action == "credit":
            applied = payments.allocate_credit(db, actor, args.customer) if args.apply else ()
            credit = payments.customer_credit(db, args.customer, actor)
            return _emit(args, {"customer_id": args.customer, "credit": credit, "allocations": applied},
                         "\n".join([_("Credit: {credit}", credit=credit), _allocations_text(applied)]).strip())
        listed = payments.payments_for(db, actor, args.customer)  # list
        return _emit(args, listed, "\n".join(f"{p.received_on}  {p.amount}  {p.method or ''}  {p.unallocated}  {p.id}"
                                             for p in listed))
    finally:
        db.close()


# ---- the receivables report ------------------------------------------------------------------------
def cmd_receivables(args: argparse.Namespace) -> int:
    """`crmdesk report receivables [--as-of D] [--limit N]`: dispatched from crmdesk.cli_report."""
    from crmdesk.cli import _fail, _print_json
    from crmdesk.services import payments

    as_of = _date(getattr(args, "as_of", None), "--as-of")
    if args.limit < 1:
        _fail(_("--limit must be at least 1."))
    db, actor = _session(args)
    try:
        report = payments.receivables(db, actor, as_of, customer_limit=args.limit)
    finally:
        db.close()
    if args.json:
        _print_json({"kind": "receivables", **report.as_json()})
        return 0
    header = [_("Customer"), _("Scheduled"), _("Due"), _("Collected"), _("Outstanding"), _("Overdue"),
              *payments.AGING_BUCKETS]
    print(_("Receivables as of {day}", day=report.as_of.isoformat()))
    print(" | ".join(header))
    for row in (*report.by_customer, report.totals):
        print(" | ".join([row.label, str(row.scheduled), str(row.due), str(row.collected), str(row.outstanding),
                          str(row.overdue), *(str(row.aging[bucket]) for bucket in payments.AGING_BUCKETS)]))
    print(_("Credit (received, not allocated): {credit}", credit=report.credit))
    return 0


# ---- the parsers ---------------------------------------------------------------------------------
def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    from crmdesk.services.payments import PAYMENT_METHODS

    parents = [common, reporting]
    report = sub.choices.get("report")  # `report receivables` takes the day it is computed for
    if report is not None:
        report.add_argument("--as-of", dest="as_of", metavar="DATE",
                            help=_("receivables: as of this day (YYYY-MM-DD, default today)"))

    contract = sub.add_parser("contract", help=_("contracts: make from a quote, sign, attach the scan, templates"))
    actions = contract.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", parents=parents, help=_("contracts, newest first"))
    listing.add_argument("--status", help=_("only contracts with this status"))
    listing.add_argument("--customer", metavar="ID", help=_("only this customer's contracts"))
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--limit", type=int, default=50)
    actions.add_parser("show", parents=parents, help=_("a contract with its text")).add_argument(
        "ref", metavar="ID|NUMBER")

    def contract_fields(parser: argparse.ArgumentParser, amount: bool) -> None:
        parser.add_argument("--title")
        parser.add_argument("--terms", help=_("the contract's own terms ({terms} in the template)", terms="{terms}"))
        parser.add_argument("--template", metavar="CODE", help=_("template code (vehicle_sale, project_sale, ...)"))
        parser.add_argument("--starts-on", dest="starts_on", metavar="DATE")
        parser.add_argument("--ends-on", dest="ends_on", metavar="DATE")
        if amount:
            parser.add_argument("--amount", help=_("the amount in yuan"))

    from_quote = actions.add_parser("from-quote", parents=parents, help=_("a draft contract from an accepted quote"))
    from_quote.add_argument("quote", metavar="QUOTE", help=_("the quote's id or number"))
    contract_fields(from_quote, amount=False)
    from_deal = actions.add_parser("from-opportunity", parents=parents, help=_("a draft contract from a deal"))
    from_deal.add_argument("opportunity", metavar="OPPORTUNITY_ID")
    contract_fields(from_deal, amount=True)
    updating = actions.add_parser("update", parents=parents, help=_("edit a draft contract (its text follows)"))
    updating.add_argument("ref", metavar="ID|NUMBER")
    contract_fields(updating, amount=True)
    for name, text in (("sign", _("draft -> signed (on a day, default today)")),
                       ("in-force", _("signed -> in force")), ("finish", _("in force -> finished"))):
        step = actions.add_parser(name, parents=parents, help=text)
        step.add_argument("ref", metavar="ID|NUMBER")
        step.add_argument("--on", metavar="DATE")
    terminate = actions.add_parser("terminate", parents=parents, help=_("end a contract early, with the reason"))
    terminate.add_argument("ref", metavar="ID|NUMBER")
    terminate.add_argument("--reason", required=True)
    terminate.add_argument("--on", metavar="DATE")
    attach = actions.add_parser("attach", parents=parents, help=_("keep a file (the signed scan) with a contract"))
    attach.add_argument("ref", metavar="ID|NUMBER")
    attach.add_argument("file", metavar="FILE", help=_("a PDF, JPEG, PNG or TIFF file"))
    attach.add_argument("--note")
    actions.add_parser("attachments", parents=parents, help=_("a contract's attachments")).add_argument(
        "ref", metavar="ID|NUMBER")
    detach = actions.add_parser("detach", parents=parents, help=_("take an attachment off its contract"))
    detach.add_argument("ref", metavar="ID|NUMBER")
    detach.add_argument("attachment", metavar="ATTACHMENT_ID")
    actions.add_parser("templates", parents=parents, help=_("the contract templates, current versions"))
    actions.add_parser("placeholders", parents=parents, help=_("the placeholders a template may use"))
    template = actions.add_parser("template-save", parents=parents,
                                  help=_("store a new version of a template from a text file"))
    template.add_argument("code", metavar="CODE")
    template.add_argument("file", metavar="FILE.txt", help=_("the template's text (UTF-8), its placeholders in braces"))
    template.add_argument("--name", required=True, help=_("the template's name"))
    contract.set_defaults(func=cmd_contract)

    order = sub.add_parser("order", help=_("orders: make from a contract or a quote, VINs, confirm, deliver, cancel"))
    order_actions = order.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (("from-contract", _("a draft order from a signed contract")),
                       ("from-quote", _("a draft order from an accepted quote"))):
        making = order_actions.add_parser(name, parents=parents, help=text)
        making.add_argument("ref", metavar="ID|NUMBER")
        making.add_argument("--vin", action="append", default=[],
                            help=_("the VIN of the next car line; repeatable, in line order"))
        making.add_argument("--order-date", dest="order_date", metavar="DATE")
        making.add_argument("--delivery-date", dest="delivery_date", metavar="DATE")
    vin = order_actions.add_parser("set-vin", parents=parents, help=_("the VIN of one car line"))
    vin.add_argument("line", metavar="LINE_ID")
    vin.add_argument("vin", metavar="VIN", help=_("17 characters; empty to clear"))
    for name, text in (("show", _("an order with its lines")), ("confirm", _("draft -> confirmed")),
                       ("close", _("delivered -> closed"))):
        order_actions.add_parser(name, parents=parents, help=text).add_argument("ref", metavar="ID|NUMBER")
    deliver = order_actions.add_parser("deliver", parents=parents,
                                       help=_("-> delivered: a purchasing customer, the follow-ups planned"))
    deliver.add_argument("ref", metavar="ID|NUMBER")
    deliver.add_argument("--on", metavar="DATE", help=_("the delivery day (default today)"))
    cancel = order_actions.add_parser("cancel", parents=parents, help=_("cancel an order, with the reason"))
    cancel.add_argument("ref", metavar="ID|NUMBER")
    cancel.add_argument("--reason", required=True)
    order.set_defaults(func=cmd_order)

    plan = sub.add_parser("plan", help=_("payment plans of contracts and orders"))
    plan_actions = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (("create", _("a payment plan of installments")), ("show", _("a plan with its installments")),
                       ("delete", _("remove a plan nothing was paid on"))):
        step = plan_actions.add_parser(name, parents=parents, help=text)
        target = step.add_mutually_exclusive_group(required=True)
        target.add_argument("--contract", metavar="ID|NUMBER")
        target.add_argument("--order", metavar="ID|NUMBER")
        if name == "create":
            step.add_argument("--installment", action="append", required=True, metavar="DATE=AMOUNT|DATE=PCT%[:NOTE]",
                              help=_("one installment, e.g. 2026-12-01=30%%:deposit or 2027-01-15=50000; repeatable"))
            step.add_argument("--total", help=_("the plan's total (default: the contract's amount or order's total)"))
        if name == "show":
            step.add_argument("--as-of", dest="as_of", metavar="DATE", help=_("statuses as of this day"))
    plan.set_defaults(func=cmd_plan)

    payment = sub.add_parser("payment", help=_("payments received, allocation to installments, credit"))
    payment_actions = payment.add_subparsers(dest="action", required=True, metavar="ACTION")
    adding = payment_actions.add_parser("add", parents=parents, help=_("a payment received (allocated oldest due first)"))
    adding.add_argument("--customer", required=True, metavar="CUSTOMER_ID")
    adding.add_argument("--amount", required=True, help=_("the amount in yuan"))
    adding.add_argument("--on", required=True, metavar="DATE", help=_("the day it was received"))
    adding.add_argument("--method", choices=PAYMENT_METHODS)
    adding.add_argument("--payer")
    adding.add_argument("--reference", help=_("the bank's or the receipt's reference"))
    adding.add_argument("--notes")
    adding.add_argument("--order", metavar="ID|NUMBER", help=_("the order it pays for (its installments only)"))
    adding.add_argument("--contract", metavar="ID|NUMBER", help=_("the contract it pays for"))
    adding.add_argument("--no-allocate", action="store_true", help=_("keep it all as credit for now"))
    allocate = payment_actions.add_parser("allocate", parents=parents,
                                          help=_("allocate a payment: to one installment, or oldest due first"))
    allocate.add_argument("payment", metavar="PAYMENT_ID")
    allocate.add_argument("installment", nargs="?", metavar="INSTALLMENT_ID")
    allocate.add_argument("--amount", help=_("how much (default: all it can)"))
    unallocate = payment_actions.add_parser("unallocate", parents=parents, help=_("take allocations back"))
    which = unallocate.add_mutually_exclusive_group(required=True)
    which.add_argument("--allocation", metavar="ALLOCATION_ID")
    which.add_argument("--payment", metavar="PAYMENT_ID", help=_("every allocation of this payment"))
    credit = payment_actions.add_parser("credit", parents=parents, help=_("a customer's credit (and --apply it)"))
    credit.add_argument("customer", metavar="CUSTOMER_ID")
    credit.add_argument("--apply", action="store_true", help=_("allocate the credit to installments owed"))
    payment_actions.add_parser("list", parents=parents, help=_("a customer's payments")).add_argument(
        "customer", metavar="CUSTOMER_ID")
    payment.set_defaults(func=cmd_payment)
