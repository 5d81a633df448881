"""`spectrum-desktop history [--env NAME] [--status ...] [--json]`: list journaled submissions, newest first."""

from __future__ import annotations

import argparse

from spectrum_desktop.cli.output import print_records
from spectrum_desktop.domain.states import SubmissionState


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("history", help="list sent orders, newest first")
    parser.add_argument("--env", help="environment name or id (or ad-hoc)")
    parser.add_argument("--status", action="append", choices=[s.value for s in SubmissionState])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from spectrum_desktop.cli import EXIT_OK
    from spectrum_desktop.services import history
    from spectrum_desktop.services.context import AD_HOC, AppContext

    context = AppContext()
    try:
        environment_id = None
        if args.env:
            environment_id = AD_HOC if args.env == AD_HOC else context.environment(args.env).id
        states = frozenset(SubmissionState(s) for s in args.status or ())
        service = context.submissions
        page = history.page(service, environment_id, states, page_size=args.limit)
        rows = [service.record(r.id) for r in page.rows]
    finally:
        context.close()
    print_records(rows, args.json)
    return EXIT_OK
