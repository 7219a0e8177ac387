"""When temporary credentials expire: the timestamps credential sources answer, as epoch seconds."""

from __future__ import annotations

import datetime as dt
import re

from ..errors import CredentialsError

# 2026-12-02T13:00:00Z, with optional fractions, a "Z", "UTC" or a +HH:MM offset.
_ISO = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?\s*(Z|UTC|[+-]\d\d:?\d\d)?",
    re.IGNORECASE,
)


def parse_timestamp(value: object, source: str, name: str = "Expiration") -> float:
    """An ISO 8601 time (no zone means UTC) as seconds since the epoch; CredentialsError naming
    the source and the field when it is not one."""
    match = _ISO.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise CredentialsError(source, f"its {name} is not an ISO 8601 time")
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=dt.timezone.utc,
        )
    except ValueError:
        raise CredentialsError(source, f"its {name} is not a real date and time") from None
    offset = 0
    if zone and zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * 60 * (-1 if zone[0] == "-" else 1)
    return moment.timestamp() - offset + (float(f"0.{fraction}") if fraction else 0.0)
