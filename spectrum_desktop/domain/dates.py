"""Order dates: valid ISO 8601 is kept exactly as typed; common other spellings become ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)

_OTHER_FORMATS = (
    "%m/%d/%Y %I:%M%p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S%p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y",
)

DATE_HELP = "an ISO 8601 date such as 2022-01-31T13:15:05-05:00, or month/day/year such as 8/6/2019 4:05PM"


def is_iso_date(text: str) -> bool:
    """True when `text` is an ISO 8601 date or date-time naming a real calendar moment."""
    match = _ISO.match(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = match.groups()
    try:
        datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return False
    return True


def normalise_date(text: str) -> tuple[str, bool]:
    """Return (ISO 8601 text, converted?). Valid ISO is returned unchanged; raises ValueError otherwise."""
    stripped = text.strip()
    if is_iso_date(stripped):
        return stripped, stripped != text
    compact = " ".join(stripped.upper().split())
    for fmt in _OTHER_FORMATS:
        try:
            parsed = datetime.strptime(compact, fmt)
        except ValueError:
            continue
        return parsed.astimezone().isoformat(), True
    raise ValueError(f"{text!r} is not a date; use {DATE_HELP}")


def readable_moment(text: str) -> str:
    """A server's ISO 8601 timestamp as a person reads it: "2026-12-06 08:43 UTC" (the offset kept as given,
    seconds and fractions dropped); anything else unchanged."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return text
    offset = moment.utcoffset()
    if offset is None:
        zone = ""
    elif not offset:
        zone = " UTC"
    else:
        zone = " " + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:]
    return moment.strftime("%Y-%m-%d %H:%M") + zone
