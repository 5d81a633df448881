"""`spectrum-desktop resend (--failed | ID...) [--env NAME] [--yes]`: send history rows again."""

from __future__ import annotations

import argparse
import sys

from spectrum_desktop.cli.output import print_records
from spectrum_desktop.cli.targeting import EXIT_CODES_HELP, confirm_production, exit_code_for


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("resend", help="send history rows again", epilog=EXIT_CODES_HELP)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--failed", action="store_true", help="every failed, partial, unknown or queued row")
    which.add_argument("ids", nargs="*", type=int, default=[], metavar="ID")
    parser.add_argument("--env", help="only rows of this environment")
    parser.add_argument("--yes", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_NOT_ALL_SUCCEEDED, EXIT_OK
    from spectrum_desktop.cli.errors import message
    from spectrum_desktop.services.context import AD_HOC, AppContext

    if not args.failed and not args.ids:
        print("error: give --failed or one or more history IDs.", file=sys.stderr)
        return EXIT_BAD_INPUT
    context = AppContext()
    try:
        service = context.submissions
        environment_id = None
        if args.env:
            environment_id = AD_HOC if args.env == AD_HOC else context.environment(args.env).id
        rows = service.needs_attention(environment_id) if args.failed else [service.record(i) for i in args.ids]
        if not rows:
            print("Nothing needs resending.")
            return EXIT_OK
        targets = {}
        for row in rows:
            if row.environment_id not in targets:
                try:
                    targets[row.environment_id] = context.target_for_record(row)
                except Exception as error:  # noqa: BLE001 - reported per row below, the others still go
                    targets[row.environment_id] = error
        for target in targets.values():
            if not isinstance(target, Exception) and not confirm_production(target, args.yes, len(rows)):
                return EXIT_BAD_INPUT
        sendable = [r.id for r in rows if not isinstance(targets[r.environment_id], Exception)]
        problems = [(r.id, targets[r.environment_id]) for r in rows if isinstance(targets[r.environment_id], Exception)]
        report = service.resend(sendable, only_latest=args.failed)
        names = context.environment_names()
    finally:
        context.close()
    for submission_id, error in problems:
        print(f"error: submission {submission_id}: {message(error)}", file=sys.stderr)
    for error in report.problems:
        print(f"error: {message(error)}", file=sys.stderr)
    if report.skipped_busy:
        print(f"skipped {', '.join(report.skipped_busy)}: another window or run is sending "
              f"{'it' if len(report.skipped_busy) == 1 else 'them'} right now or has sent "
              f"{'it' if len(report.skipped_busy) == 1 else 'them'} again already.", file=sys.stderr)
    print_records(report.records, args.json, names=names)
    records = report.records
    if problems or report.problems:
        return EXIT_BAD_INPUT if not records else max(exit_code_for(records), EXIT_NOT_ALL_SUCCEEDED)
    if report.queued_ids:
        return max(exit_code_for(records) if records else EXIT_OK, EXIT_NOT_ALL_SUCCEEDED)
    return exit_code_for(records) if records else EXIT_OK
