"""`spectrum-desktop sandbox`: run the local Spectrum emulator until Ctrl+C."""

from __future__ import annotations

import argparse
import signal
import sys

from spectrum_desktop.cli import EXIT_BAD_INPUT, EXIT_OK

DEFAULT_PORT = 8765


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run the local Spectrum sandbox (a test server on this computer)",
        description="Run a local emulator of the Spectrum order API for training and testing. "
                    "It prints its address and token; stop it with Ctrl+C. See 'Local sandbox' in the README "
                    "for the magic values that make it answer a chosen way.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this computer only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--token", help="API token the sandbox accepts (default: a new random one, printed)")
    parser.add_argument("--rate-limit", default="100/60",
                        help="N/SECONDS requests per endpoint, as the vendor enforces (default 100/60); 'off' for none")
    parser.add_argument("--slow-delay", type=float, default=35.0,
                        help="seconds a SLOW... order waits before its answer (default 35, past the 30 s read timeout)")
    parser.set_defaults(handler=run)


def parse_rate_limit(text: str) -> tuple[int, float] | None:
    """'N/SECONDS' -> (N, SECONDS); 'off' -> None. Raises ValueError with a message for the user."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    try:
        count, seconds = text.split("/")
        limit = (int(count), float(seconds))
    except ValueError:
        raise ValueError(f"--rate-limit takes N/SECONDS, for example 100/60 (or 'off'), not '{text}'.") from None
    if limit[0] < 1 or limit[1] <= 0:
        raise ValueError("--rate-limit needs at least 1 request per a positive number of seconds, e.g. 100/60.")
    return limit


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from spectrum_desktop.sandbox import SandboxServer

    try:
        rate_limit = parse_rate_limit(args.rate_limit)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not 0 <= args.port <= 65535:
        print("error: --port must be between 0 and 65535.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.slow_delay < 0:
        print("error: --slow-delay must be 0 or more seconds.", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        server = SandboxServer(host=args.host, port=args.port, token=args.token, rate_limit=rate_limit,
                               slow_delay=args.slow_delay)
    except OSError as error:
        print(f"error: could not listen on {args.host}:{args.port} ({error.strerror or error}). "
              "Choose another port with --port, or --port 0 for any free one.", file=sys.stderr)
        return EXIT_BAD_INPUT
    # Installed explicitly, and before the banner that tells anyone it is running: a process started in
    # the background may inherit SIGINT as ignored.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        limit_text = f"{rate_limit[0]} requests per {rate_limit[1]:g} s per endpoint" if rate_limit else "off"
        print(f"Spectrum sandbox running at {server.url}")
        print(f"Token: {server.token}")
        print(f"Rate limit: {limit_text}")
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print("Warning: the sandbox is reachable from other computers on this network.")
        print("Press Ctrl+C to stop.", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    print("Sandbox stopped.", flush=True)
    return EXIT_OK
