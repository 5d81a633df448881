"""`spectrum-desktop validate FILE...`: check orders in JSON or CSV files without sending them."""

from __future__ import annotations

import argparse
import sys

from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_OK
from spectrum_desktop.domain.importing import OrderImportError, csv_template, load_orders
from spectrum_desktop.domain.states import OrderKind
from spectrum_desktop.domain.validation import validate_many


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check orders in JSON or CSV files (- for standard input) without sending them",
        description="Check every order and print its errors and warnings. Exit 0 when all are valid, 2 otherwise.",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="JSON or .csv file; - reads standard input")
    parser.add_argument("--kind", choices=[k.value for k in OrderKind],
                        help="request kind (default: inferred from each order)")
    parser.add_argument("--csv-template", action="store_true", help="print a CSV template with every column and exit")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.csv_template:
        sys.stdout.write(csv_template())
        return EXIT_OK
    if not args.files:
        print("validate: name at least one file, or - for standard input", file=sys.stderr)
        return EXIT_BAD_INPUT
    kind = OrderKind(args.kind) if args.kind else None
    all_valid = True
    for path in args.files:
        shown = "standard input" if path == "-" else path
        try:
            orders = load_orders(path, recipe_sets=kind is OrderKind.ACK_RECIPESET)
        except OrderImportError as exc:
            print(f"{shown}: cannot read: {exc}" if exc.source is None else f"cannot read {exc}")
            all_valid = False
            continue
        for index, result in enumerate(validate_many(orders, kind), start=1):
            number = _one_line(orders[index - 1].get("purchaseOrderNumber", "?"))
            status = "valid" if result.ok else "INVALID"
            print(f"{shown}: order {index} ({number}, {result.kind.value}): {status}")
            for problem in result.problems:
                print(f"  {problem}")
            for conversion in result.conversions:
                print(f"  note: {conversion.label} ({conversion.path}): {conversion.original!r} will be sent as {conversion.converted!r}")
            all_valid = all_valid and result.ok
    return EXIT_OK if all_valid else EXIT_BAD_INPUT


def _one_line(value: object) -> str:
    """A purchase order number as the order's heading shows it: trimmed, and quoted with its line breaks, tabs
    or other control characters written out, so a bad number cannot break the heading over lines."""
    text = str(value).strip()
    return text if text.isprintable() else repr(text)
