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
    from spectrum_desktop.services.context import AD_HOC, AppContext
    from spectrum_desktop.services.errors import ServiceError
    from spectrum_desktop.services.resend import needs_attention, resend
    from spectrum_desktop.store.journal import SubmissionNotFound

    if not args.failed and not args.ids:
        print("error: give --failed or one or more history IDs.", file=sys.stderr)
        return EXIT_BAD_INPUT
    context = AppContext()

    def target_for(record):
        if record.environment_id == AD_HOC:
            return context.ad_hoc_target(record.base_url)
        return context.target(context.environment(record.environment_id))

    try:
        environment_id = None
        if args.env:
            environment_id = AD_HOC if args.env == AD_HOC else context.environment(args.env).id
        if args.failed:
            rows = needs_attention(context.journal, environment_id)
        else:
            rows = [context.journal.get(i) for i in args.ids]
        if not rows:
            print("Nothing needs resending.")
            return EXIT_OK
        for target in {r.environment_id: target_for(r) for r in rows}.values():
            if not confirm_production(target, args.yes, len(rows)):
                return EXIT_BAD_INPUT
        records, problems = [], 0
        for row in rows:
            try:
                records.append(resend(context.journal, row.id, target_for))
            except ServiceError as error:  # one row that cannot go must not hide the others' results
                problems += 1
                print(f"error: submission {row.id}: {error}", file=sys.stderr)
    except (ServiceError, SubmissionNotFound) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        context.close()
    print_records(records, args.json)
    if problems:
        return EXIT_BAD_INPUT if not records else max(exit_code_for(records), EXIT_NOT_ALL_SUCCEEDED)
    return exit_code_for(records)
