""""Today", wherever the site depends on it: consent that starts or lapses, the press kit's date and embargo.

It is the build's date, or the date of ``SOURCE_DATE_EPOCH`` (UTC) when that variable is set, so a build can be
reproduced later, or previewed as it will be on a given day.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def today() -> date:
    """The build's "today"; a ``SOURCE_DATE_EPOCH`` that is not a whole number of seconds is ignored."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) < 12:  # past year 5000 is no build date
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    return date.today()
