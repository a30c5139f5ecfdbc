"""`crmdesk pdf quote|contract NUMBER -o FILE`: the printed documents, the same PDFs as the window's 预览/打印."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from crmdesk.i18n import _


def cmd_pdf(args: argparse.Namespace) -> int:
    from crmdesk.cli import _fail, _open, _print_json
    from crmdesk.cli_auth import cli_actor
    from crmdesk.services import contracts, quotes
    from crmdesk.services.documents import render_contract_pdf, render_quote_pdf

    db = _open(args)
    try:
        actor = cli_actor(db, args)
        if args.kind == "quote":
            quote = quotes.get_quote_by_number(db, actor, args.number, args.version)
            data = render_quote_pdf(quotes.quote_document(db, actor, quote.id))
            facts: dict[str, Any] = {"number": quote.number, "version": quote.version}
        else:
            if args.version is not None:
                _fail(_("A contract has no versions to choose; leave out --version."))
            document = contracts.contract_document(db, actor, contracts.resolve_contract(db, actor, args.number))
            data = render_contract_pdf(document)
            facts = {"number": document.number, "version": document.version}
    finally:
        db.close()
    output = Path(args.output)
    try:
        output.write_bytes(data)
    except OSError as error:
        _fail(_("Cannot write {path}: {detail}", path=output, detail=error.strerror or error))
    if args.json:
        _print_json({"kind": args.kind, **facts, "file": str(output), "bytes": len(data)})
    else:
        print(_("{number} written to {path}", number=facts["number"], path=output))
    return 0


def add_parsers(sub: Any, common: argparse.ArgumentParser, reporting: argparse.ArgumentParser) -> None:
    pdf = sub.add_parser("pdf", parents=[common, reporting],
                         help=_("write a quote or a contract as the PDF the customer signs"))
    pdf.add_argument("kind", choices=("quote", "contract"), metavar="KIND", help=_("quote or contract"))
    pdf.add_argument("number", metavar="NUMBER", help=_("the document's number (QT-…, CT-…)"))
    pdf.add_argument("--version", type=int, help=_("a quote's version (default: the current one)"))
    pdf.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    pdf.add_argument("--as", dest="acting_as", metavar="USERNAME", help=_("act as this user (default: the local user)"))
    pdf.set_defaults(func=cmd_pdf)
