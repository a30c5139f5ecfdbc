"""`crmdesk product list|add|import` and `crmdesk quote list|show|create|edit|add-line|set-line|remove-line|submit|
approve|reject|send|accept|decline|revise|compare|expire|pdf|policy`: the catalog and the whole quote flow from
the command line.

Added to the parser by crmdesk.cli.build_parser; user errors exit 2 like every command. Quotes are named by
their number (QT-...); an action applies to the number's current version.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from crmdesk.cli_auth import cli_actor
from crmdesk.i18n import _


def _product_json(hit: Any) -> dict[str, Any]:
    return {**asdict(hit), "label": hit.label}


def _product_record_json(record: Any) -> dict[str, Any]:
    return {"id": record.id, **{key: record.values[key] for key in (
        "code", "name_zh", "name_en", "unit", "list_price", "tax_rate_bp", "category", "is_vehicle", "model", "trim",
        "colour", "active")}}


def _tax_rate(text: str | None) -> int | None:
    """"13%", "13", "0.13" or "1300" -> 1300 basis points."""
    from crmdesk.cli import _fail
    from crmdesk.services.catalog import parse_tax_rate

    if text is None:
        return None
    try:
        return parse_tax_rate(text)
    except ValueError:
        return _fail(_("--tax-rate takes a rate such as 13% or 1300 (basis points), not {value}.", value=text))


def cmd_product(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.services import catalog
    from crmdesk.services.entities import ListQuery

    content = None
    if args.action == "import":
        try:
            content = Path(args.file).read_bytes()
        except OSError as error:
            _fail(_("Cannot read {path}: {detail}", path=args.file, detail=error.strerror or error))
    db = _open(args)
    try:
        actor = cli_actor(db, args)
        service = catalog.ProductService(db)
        if args.action == "list":
            filters: dict[str, Any] = {}
            if not args.all:
                filters["active"] = True
            if args.vehicles:
                filters["is_vehicle"] = True
            if args.category:
                filters["category"] = args.category
            query = ListQuery(search=args.search or "", filters=filters)
            total = service.count(actor, query)
            rows = service.page(actor, query, args.offset, args.limit, total)
            keys = [column.key for column in service.columns]
            products = [{"id": row[0], **dict(zip(keys, row[1:], strict=True))} for row in rows]
            if args.json:
                _print_json({"total": total, "products": products})
            else:
                print(_("{count} products", count=total))
                for product in products:
                    print(f"{product['code']:<16} {product['name_zh']:<24} {product['unit'] or '':<4} "
                          f"{product['list_price']:>12}  {product['tax_rate_bp'] / 100:g}%")
        elif args.action == "add":
            values = {"code": args.code, "name_zh": args.name, "name_en": args.name_en, "unit": args.unit,
                      "list_price": args.price, "tax_rate_bp": _tax_rate(args.tax_rate), "category": args.category,
                      "is_vehicle": args.vehicle, "model": args.model, "trim": args.trim, "colour": args.colour}
            record = service.create(actor, {key: value for key, value in values.items() if value is not None})
            if args.json:
                _print_json(_product_record_json(record))
            else:
                print(_("Product {code} added: {id}", code=record["code"], id=record.id))
        else:  # import
            assert content is not None
            result = catalog.import_products(db, actor, catalog.read_product_file(content))
            if args.json:
                _print_json(asdict(result))
            else:
                print(_("{created} products added, {updated} updated", created=result.created,
                        updated=result.updated))
    finally:
        db.close()
    return 0


# ---- quotes ------------------------------------------------------------------------------------------
def _quote_json(view: Any) -> dict[str, Any]:
    from crmdesk.services.quotes import action_label, status_label

    data = asdict(view)
    data["read_only"] = view.read_only
    data["status_label"] = status_label(view.status)
    for event in data["events"]:
        event["action_label"] = action_label(event["action"])
    return data


def _print_quote(view: Any) -> None:
    from crmdesk.services.quotes import action_label, format_bp, status_label

    print(f"{view.number} V{view.version}  {status_label(view.status)}  {view.customer_name}  "
          f"{view.opportunity_name}  {view.owner_name}")
    print(_("Valid until {day}", day=view.valid_until.isoformat() if view.valid_until else "-"))
    for line in view.lines:
        discount = format_bp(line.discount_bp) if line.discount_bp else str(line.discount_amount)
        print(f"  {line.position:>3}. {line.code:<14} {line.description:<24} {line.quantity:>9} {line.unit:<3} "
              f"{line.unit_price:>12} -{discount:<10} {line.line_total:>13}")
    print(_("Subtotal {subtotal}, discount {discount}, total {total} (VAT included: {tax}); largest discount {bp}",
            subtotal=view.subtotal, discount=view.discount_total, total=view.total, tax=view.tax_total,
            bp=format_bp(view.max_discount_bp)))
    for event in view.events:
        print(f"  V{event.version} {event.at.astimezone():%Y-%m-%d %H:%M}  {action_label(event.action)}  "
              f"{event.user_name}  {event.comment or ''}")


def _line_values(db: Any, actor: Any, args: argparse.Namespace) -> dict[str, Any]:
    from crmdesk.cli import _fail
    from crmdesk.services.catalog import product_by_code

    line: dict[str, Any] = {}
    if args.product:
        product = product_by_code(db, actor, args.product)
        if product is None:
            _fail(_("No product has the code {code}.", code=args.product))
        assert product is not None
        line["product_id"] = product.id
    for key, value in (("description", args.description), ("quantity", args.qty), ("unit_price", args.price),
                       ("discount_percent", args.discount), ("discount_amount", args.discount_amount),
                       ("unit", args.unit)):
        if value is not None:
            line[key] = value
    rate = _tax_rate(args.tax_rate)
    if rate is not None:
        line["tax_rate_bp"] = rate
    return line


def _show(view: Any, as_json: bool) -> None:
    from crmdesk.cli import _print_json

    if as_json:
        _print_json(_quote_json(view))
    else:
        _print_quote(view)


def _price_list_id(db: Any, actor: Any, name: str | None) -> str | None:
    from crmdesk.cli import _fail
    from crmdesk.services.catalog import price_lists

    if not name:
        return None
    found = next((item.id for item in price_lists(db, actor) if item.name == name or item.id == name), None)
    return found if found is not None else _fail(_("No price list is called {name}.", name=name))


def cmd_quote(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _print_json, read_json_file
    from crmdesk.services import quotes

    policy_value = read_json_file(args.file) if args.action == "policy" and args.file else None
    db = _open_db(args)
    try:
        actor = cli_actor(db, args)
        action = args.action
        if action == "list":
            query = quotes.QuoteFilter(status=args.status, search=args.search or "", current_only=not args.all_versions)
            total = quotes.count_quotes(db, actor, query)
            rows = quotes.list_quotes(db, actor, query, args.offset, args.limit)
            if args.json:
                _print_json({"total": total, "quotes": [asdict(row) for row in rows]})
            else:
                print(_("{count} quotes", count=total))
                for row in rows:
                    print(f"{row.number} V{row.version}  {quotes.status_label(row.status):<8} {row.customer_name:<16} "
                          f"{row.total:>13}  {row.valid_until or ''}  {row.owner_name}")
        elif action == "show":
            _show(quotes.get_quote_by_number(db, actor, args.number, args.version), args.json)
        elif action == "create":
            values: dict[str, Any] = {"opportunity_id": args.opportunity}
            for key, value in (("valid_until", args.valid_until), ("terms", args.terms), ("contact_id", args.contact),
                               ("price_list_id", _price_list_id(db, actor, args.price_list))):
                if value is not None:
                    values[key] = value
            _show(quotes.create_quote(db, actor, values), args.json)
        elif action == "add-line":
            if not args.product and not args.description:
                _fail(_("Name the product (--product CODE) or describe the line (--description)."))
            quote = quotes.get_quote_by_number(db, actor, args.number)
            _show(quotes.add_line(db, actor, quote.id, _line_values(db, actor, args)), args.json)
        elif action in ("set-line", "remove-line"):
            quote = quotes.get_quote_by_number(db, actor, args.number)
            line_id = next((line.id for line in quote.lines if line.position == args.position), None)
            if line_id is None:
                _fail(_("{number} has no line {position}.", number=quote.number, position=args.position))
            assert line_id is not None
            if action == "remove-line":
                _show(quotes.remove_line(db, actor, quote.id, line_id), args.json)
            else:
                _show(quotes.update_line(db, actor, quote.id, line_id, _line_values(db, actor, args)), args.json)
        elif action == "edit":
            quote = quotes.get_quote_by_number(db, actor, args.number)
            changes: dict[str, Any] = {}
            for key, value in (("valid_until", args.valid_until), ("terms", args.terms), ("contact_id", args.contact)):
                if value is not None:
                    changes[key] = value
            if args.price_list is not None:
                changes["price_list_id"] = _price_list_id(db, actor, args.price_list) if args.price_list else None
            _show(quotes.update_quote(db, actor, quote.id, changes), args.json)
        elif action in ("submit", "approve", "reject", "send", "accept", "decline", "revise"):
            quote = quotes.get_quote_by_number(db, actor, args.number)
            comment = getattr(args, "comment", None)
            steps: dict[str, Any] = {
                "submit": lambda: quotes.submit_quote(db, actor, quote.id, comment),
                "approve": lambda: quotes.approve_quote(db, actor, quote.id, comment),
                "reject": lambda: quotes.reject_quote(db, actor, quote.id, comment or ""),
                "send": lambda: quotes.send_quote(db, actor, quote.id, comment),
                "accept": lambda: quotes.accept_quote(db, actor, quote.id, comment),
                "decline": lambda: quotes.decline_quote(db, actor, quote.id, comment),
                "revise": lambda: quotes.revise_quote(db, actor, quote.id),
            }
            _show(steps[action](), args.json)
        elif action == "compare":
            comparison = quotes.compare_versions(db, actor, args.number, args.a, args.b)
            if args.json:
                _print_json({**asdict(comparison), "identical": comparison.identical})
            else:
                _print_comparison(comparison)
        elif action == "expire":
            today = _day(args.today, "--today") or date.today()
            count = quotes.expire_quotes(db, today, actor)
            if args.json:
                _print_json({"expired": count})
            else:
                print(_("{count} quotes expired", count=count))
        elif action == "pdf":
            quote = quotes.get_quote_by_number(db, actor, args.number, args.version)
            size = write_quote_pdf(db, actor, quote.id, Path(args.output))
            if args.json:
                _print_json({"file": args.output, "bytes": size, "number": quote.number, "version": quote.version})
            else:
                print(_("{number} V{version} written to {path}", number=quote.number, version=quote.version,
                        path=args.output))
        else:  # policy
            if policy_value is not None:
                quotes.save_discount_policy(db, actor, policy_value)
            _print_json(quotes.load_discount_policy(db))
    finally:
        db.close()
    return 0


def write_quote_pdf(db: Any, actor: Any, quote_id: str, output: Path) -> int:
    """The quote's PDF written to `output`; returns its size. For `crmdesk quote pdf` (and `crmdesk pdf quote`)."""
    from crmdesk.cli import _fail
    from crmdesk.services.documents import render_quote_pdf
    from crmdesk.services.quotes import quote_document

    data = render_quote_pdf(quote_document(db, actor, quote_id))
    try:
        output.write_bytes(data)
    except OSError as error:
        _fail(_("Cannot write {path}: {detail}", path=output, detail=error.strerror or error))
    return len(data)


def _print_comparison(comparison: Any) -> None:
    print(_("{number}: V{a} against V{b}", number=comparison.number, a=comparison.version_a, b=comparison.version_b))
    marks = {"added": "+", "removed": "-", "changed": "~", "unchanged": " "}
    for line in comparison.lines:
        print(f" {marks[line.change]} {line.description}")
        for change in line.fields:
            print(f"      {change.field}: {change.old} -> {change.new}")
    for change in (*comparison.header, *comparison.totals):
        print(f"   {change.field}: {change.old} -> {change.new}")


def _day(text: str | None, option: str) -> date | None:
    from crmdesk.cli import _fail

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return _fail(_("{option} takes a date as YYYY-MM-DD, not {value}.", option=option, value=text))


def _open_db(args: argparse.Namespace) -> Any:
    from crmdesk.cli import _open

    return _open(args)


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    acting = argparse.ArgumentParser(add_help=False)
    acting.add_argument("--as", dest="acting_as", metavar="USERNAME",
                        help=_("act as this user (default: the local user)"))
    parents = [common, reporting, acting]

    product = sub.add_parser("product", help=_("the catalog: list, add and import products"))
    products = product.add_subparsers(dest="action", required=True)
    listing = products.add_parser("list", parents=parents, help=_("products, by code"))
    listing.add_argument("--search", help=_("code, name, model or pinyin"))
    listing.add_argument("--category", help=_("only this category"))
    listing.add_argument("--vehicles", action="store_true", help=_("only vehicles"))
    listing.add_argument("--all", action="store_true", help=_("inactive products too"))
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--limit", type=int, default=100)
    adding = products.add_parser("add", parents=parents, help=_("add a product (managers)"))
    adding.add_argument("--code", required=True)
    adding.add_argument("--name", required=True, help=_("the Chinese name"))
    adding.add_argument("--name-en", help=_("the English name"))
    adding.add_argument("--price", required=True, help=_("the list price in yuan, VAT included"))
    adding.add_argument("--unit", help=_("the unit of sale (default: one vehicle)"))
    adding.add_argument("--tax-rate", help=_("the VAT rate in percent, e.g. 13 (the default) or 6"))
    adding.add_argument("--category")
    adding.add_argument("--vehicle", action="store_true", default=None, help=_("a vehicle (needs --model)"))
    adding.add_argument("--model", help=_("the vehicle model"))
    adding.add_argument("--trim", help=_("the trim level"))
    adding.add_argument("--colour", help=_("the colour"))
    importing = products.add_parser("import", parents=parents,
                                    help=_("add or update products from a CSV file (Chinese or English headers)"))
    importing.add_argument("file", metavar="FILE.csv")
    product.set_defaults(func=cmd_product)

    quote = sub.add_parser("quote", help=_("quotes: create, price, approve, send, accept, revise and compare"))
    actions = quote.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", parents=parents, help=_("quotes, newest first (current versions)"))
    listing.add_argument("--status", choices=("draft", "pending_approval", "approved", "sent", "accepted", "rejected",
                                              "expired"))
    listing.add_argument("--search", help=_("the number or the customer's name"))
    listing.add_argument("--all-versions", action="store_true", help=_("old versions too"))
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--limit", type=int, default=100)
    showing = actions.add_parser("show", parents=parents, help=_("a quote with its lines and history"))
    showing.add_argument("number", metavar="NUMBER")
    showing.add_argument("--version", type=int, help=_("this version (default: the current one)"))
    creating = actions.add_parser("create", parents=parents, help=_("a new draft quote for an opportunity"))
    creating.add_argument("--opportunity", required=True, metavar="ID")
    creating.add_argument("--contact", metavar="ID")
    creating.add_argument("--valid-until", metavar="DATE", help=_("default: in 15 days"))
    creating.add_argument("--terms")
    creating.add_argument("--price-list", metavar="NAME", help=_("the price list the lines are priced from"))
    editing = actions.add_parser("edit", parents=parents, help=_("change a quote's validity, terms, contact or list"))
    editing.add_argument("number", metavar="NUMBER")
    editing.add_argument("--contact", metavar="ID")
    editing.add_argument("--valid-until", metavar="DATE")
    editing.add_argument("--terms")
    editing.add_argument("--price-list", metavar="NAME", help=_("the price list new lines are priced from"))
    for name, text in (("add-line", _("add a line to a quote")),
                       ("set-line", _("change a line of a quote (by its position)"))):
        line = actions.add_parser(name, parents=parents, help=text)
        line.add_argument("number", metavar="NUMBER")
        if name == "set-line":
            line.add_argument("position", type=int, metavar="POSITION")
        line.add_argument("--product", metavar="CODE")
        line.add_argument("--description")
        line.add_argument("--qty", help=_("the quantity (default 1)"))
        line.add_argument("--price", help=_("the unit price, VAT included (default: the catalog price)"))
        line.add_argument("--discount", metavar="PERCENT", help=_("a discount in percent, e.g. 5 or 4.5"))
        line.add_argument("--discount-amount", metavar="YUAN", help=_("a discount in yuan"))
        line.add_argument("--tax-rate", help=_("the VAT rate (default: the product's)"))
        line.add_argument("--unit")
    removing = actions.add_parser("remove-line", parents=parents, help=_("remove a line of a quote (by its position)"))
    removing.add_argument("number", metavar="NUMBER")
    removing.add_argument("position", type=int, metavar="POSITION")
    for name, text in (("submit", _("submit for approval (approved at once within your limit)")),
                       ("approve", _("a manager approves the discount")),
                       ("reject", _("a manager rejects the discount (back to draft), with --comment")),
                       ("send", _("mark the approved quote sent to the customer")),
                       ("accept", _("the customer accepted the sent quote")),
                       ("decline", _("the customer declined the sent quote")),
                       ("revise", _("make the next version of a sent, declined or expired quote"))):
        step = actions.add_parser(name, parents=parents, help=text)
        step.add_argument("number", metavar="NUMBER")
        if name != "revise":
            step.add_argument("--comment", required=name == "reject")
    comparing = actions.add_parser("compare", parents=parents, help=_("two versions line by line"))
    comparing.add_argument("number", metavar="NUMBER")
    comparing.add_argument("a", type=int, metavar="VERSION_A")
    comparing.add_argument("b", type=int, metavar="VERSION_B")
    expiring = actions.add_parser("expire", parents=parents, help=_("sent quotes past their date become expired"))
    expiring.add_argument("--today", metavar="DATE")
    pdf = actions.add_parser("pdf", parents=parents, help=_("write the quote as a PDF"))
    pdf.add_argument("number", metavar="NUMBER")
    pdf.add_argument("--version", type=int, help=_("this version (default: the current one)"))
    pdf.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    policy = actions.add_parser("policy", parents=parents,
                                help=_("show the discount policy, or set it from a JSON file (administrators)"))
    policy.add_argument("file", nargs="?", metavar="FILE.json", help=_('e.g. {"consultant": 300, "manager": 1500}'))
    quote.set_defaults(func=cmd_quote)
