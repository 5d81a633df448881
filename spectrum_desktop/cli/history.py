"""`spectrum-desktop history [--env NAME] [--status ...] [--sent-by NAME] [--json]`: list journaled submissions,
newest first. `history --export-to URL` copies this computer's own history into a shared one."""

from __future__ import annotations

import argparse
import sys

from spectrum_desktop.cli.output import print_records
from spectrum_desktop.domain.states import SubmissionState


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("history", help="list sent orders, newest first")
    parser.add_argument("--env", help="environment name or id (or ad-hoc)")
    parser.add_argument("--status", action="append", choices=[s.value for s in SubmissionState])
    parser.add_argument("--sent-by", metavar="NAME", help="only orders this person sent (shared history)")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--export-to", metavar="URL",
                        help="copy this computer's own history into the shared history at "
                             "postgresql://user@host:port/dbname (rows already there are not copied again)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from spectrum_desktop.cli import EXIT_OK
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.cli.shared import show_new_team_key
    from spectrum_desktop.services import history
    from spectrum_desktop.services.context import AD_HOC, AppContext

    if args.export_to:
        return export(args)
    context = AppContext()
    context.may_make_team_key = True  # shown below, once
    try:
        environment_id = None
        if args.env:
            environment_id = AD_HOC if args.env == AD_HOC else context.environment(args.env).id
        states = frozenset(SubmissionState(s) for s in args.status or ())
        service = context.submissions
        page = history.page(service, environment_id, states, page_size=args.limit, sender=args.sent_by)
        rows = [service.record(r.id) for r in page.rows]
        names = context.environment_names()
        show_new_team_key(context.new_team_key, context.new_team_key_saved)
        problem = service.team_key_problem()
        if problem is not None and problem.state != problem.NOT_ENTERED:  # no key could be made, or a wrong one
            print(f"note: {message(problem)}", file=sys.stderr)
    finally:
        context.close()
    print_records(rows, args.json, names=names)
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    from spectrum_desktop.cli import EXIT_OK
    from spectrum_desktop.cli.shared import show_new_team_key
    from spectrum_desktop.services import team
    from spectrum_desktop.services.context import AppContext

    context = AppContext()
    try:
        result = team.export_to(args.export_to, context, on_new_key=show_new_team_key)
    finally:
        context.close()
    def rows(n: int) -> str:
        return f"{n} row" if n == 1 else f"{n} rows"

    there = "was" if result.already_there == 1 else "were"
    print(f"Copied {rows(result.copied)} into the shared history; {rows(result.already_there)} {there} there "
          "already.")
    if result.bodies_left_out:
        print(f"The order contents of {rows(result.bodies_left_out)} could not be copied (kept only for the session "
              "that sent them, or this computer does not have the team key); their states and results were.")
    return EXIT_OK
