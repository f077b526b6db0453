""" "Today", wherever the site depends on it: the build's date, or the date of ``SOURCE_DATE_EPOCH``
when that variable is set, so a build can be reproduced (https://reproducible-builds.org/specs/source-date-epoch/)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    """The day of ``SOURCE_DATE_EPOCH`` (seconds since 1970, read in UTC) when it is a whole number, else the
    build machine's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return datetime.fromtimestamp(int(epoch), UTC).date()
        except (OverflowError, OSError, ValueError):  # a number past year 9999: the build's date
            pass
    return date.today()
