"""`spectrum-desktop send FILE... (--env NAME | --base-url URL)`: validate, journal and send orders."""

from __future__ import annotations

import argparse
import sys

from spectrum_desktop.cli.errors import accepted_not_sent_again, delivered_not_sent_again, left_queued, orders_were
from spectrum_desktop.cli.output import print_records
from spectrum_desktop.cli.targeting import EXIT_CODES_HELP, confirm_production, exit_code_for
from spectrum_desktop.domain.states import OrderKind


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("send", help="send orders from JSON or CSV files", epilog=EXIT_CODES_HELP)
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON (one order or an array) or CSV; - for stdin")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--env", help="environment name or id")
    where.add_argument("--base-url", help="an ad-hoc target (recorded as such in history)")
    parser.add_argument("--kind", choices=[k.value for k in OrderKind])
    parser.add_argument("--batch-size", type=int, choices=range(1, 1001), metavar="N", help="override the environment's batch size for this run")
    parser.add_argument("--rate-limit", help="N/SECONDS, override the environment's rate limit for this run")
    parser.add_argument("--yes", action="store_true", help="do not ask before sending to production")
    parser.add_argument("--force", action="store_true",
                        help="also send orders that history shows delivered to that environment (succeeded or "
                             "already submitted there); without --force those are skipped and listed. Never sent, "
                             "even with --force: orders another window or run is sending right now, and recipe "
                             "sets already accepted there from a partly accepted order (the rest of such an order "
                             "is sent; a file holding only that order is refused)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from spectrum_desktop.cli import EXIT_BAD_INPUT
    from spectrum_desktop.services.context import AppContext

    try:
        rate = _rate(args.rate_limit) if args.rate_limit else None
    except ValueError:
        print("error: --rate-limit takes N/SECONDS, for example 100/60.", file=sys.stderr)
        return EXIT_BAD_INPUT
    context = AppContext()
    try:
        return _send(context, args, rate)
    finally:
        context.close()


def _send(context, args: argparse.Namespace, rate: tuple[int, float] | None) -> int:
    from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_NOT_ALL_SUCCEEDED, EXIT_OK
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.domain.environment import RequestFormat
    from spectrum_desktop.domain.importing import OrderImportError, load_orders
    from spectrum_desktop.services.errors import InvalidOrder
    from spectrum_desktop.services.submission import prepare

    environment = None if args.base_url else context.environment(args.env)
    kind = OrderKind(args.kind) if args.kind else None
    # CSV rows become deprecated recipeSets when asked, or when the environment is set to that format.
    recipe_sets = kind is OrderKind.ACK_RECIPESET or (
        kind is None and environment is not None and environment.request_format == RequestFormat.RECIPE_SET
    )
    raws: list[dict] = []
    try:
        for name in args.files:
            raws.extend(load_orders(name, recipe_sets=recipe_sets))
    except (OrderImportError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    orders, bad = [], 0
    for number, raw in enumerate(raws, 1):  # validated once, here; the service sends these
        try:
            orders.append(prepare(raw, kind, number))
        except InvalidOrder as error:
            bad += 1
            print(f"error: {message(error)}", file=sys.stderr)
    if bad or not raws:
        print("Nothing was sent." if raws else "error: no orders in the input.", file=sys.stderr)
        return EXIT_BAD_INPUT
    target = context.ad_hoc_target(args.base_url) if environment is None else context.target(environment)
    service = context.submissions
    checked = service.checked(orders, target)  # refused here, before the question, when it could not be sent
    if not confirm_production(target, args.yes, len(raws)):
        return EXIT_BAD_INPUT
    if not service.bodies_persistent and service.bodies_notice:
        print(f"note: {service.bodies_notice} A later resend will need the file again.", file=sys.stderr)
    batch_size = args.batch_size or (environment.batch_size if environment else 50)
    # --rate-limit: a tighter budget over the same machine-wide rows (everyone sending there then keeps to it).
    budget = context.budget(getattr(target.limits, "scope", target.environment_id), *rate) if rate else None
    report = service.send(checked, force=args.force, batch_size=batch_size, budget=budget)
    print_records(report.records, args.json, names=context.environment_names())
    code = exit_code_for(report.records) if report.records else EXIT_OK
    if report.skipped_delivered:
        print(delivered_not_sent_again(report.skipped_delivered, target.name, _list(report.skipped_delivered)),
              file=sys.stderr)
    for line in accepted_not_sent_again(report.accepted_left_out, report.skipped_accepted, target.name):
        print(line, file=sys.stderr)
    if report.skipped_busy:
        print(f"{_orders(report.skipped_busy)} being sent by another window or run right now and skipped "
              f"({_list(report.skipped_busy)}); see `spectrum-desktop history`.", file=sys.stderr)
        code = max(code, EXIT_NOT_ALL_SUCCEEDED)
    if report.queued_ids:
        print(left_queued(len(report.queued_ids)), file=sys.stderr)
        code = max(code, EXIT_NOT_ALL_SUCCEEDED)
    return code


def _orders(items: list) -> str:
    return orders_were(len(items))


def _list(pos: list[str], most: int = 10) -> str:
    from spectrum_desktop.domain.words import listed

    return listed(pos, most)


def _rate(text: str) -> tuple[int, float]:
    count, _, seconds = text.partition("/")
    requests, window = int(count), float(seconds)
    if requests < 1 or window <= 0:
        raise ValueError(text)
    return requests, window
