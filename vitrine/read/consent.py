"""A person's consent (contract v1.2): the day they agreed to publication, and the day it lapses.

Without a consent, before it starts and from the day it lapses the person is held: left out with their
testimonies, a notice that never fails a build; a consent that is not a date is an error.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from vitrine.core.errors import error, hold, msg
from vitrine.read.document import Document
from vitrine.read.schema import NoSuchDay, parse_date

if TYPE_CHECKING:  # pragma: no cover
    from vitrine.read.reader import _Reader


def consent(reader: _Reader, doc: Document, slug: str) -> date | None:
    """The consent date, or None: then the person is left out. Without consent, before the day they
    agreed and from the day it lapses (``consent_until``) that is a hold, which never fails a build; a
    consent that is not a date is an error (contract v1.2)."""
    dates: dict[str, date | None] = {}
    for key in ("consent", "consent_until"):
        if key not in doc.meta or doc.meta[key] is None:
            dates[key] = None
            continue
        try:
            dates[key] = parse_date(doc.meta[key])
        except NoSuchDay as exc:
            reader.problems.append(error(doc.path, doc.line(key), "{key}: {reason}", key=key, reason=exc.message))
            return None
        except ValueError:
            reader.problems.append(
                error(
                    doc.path,
                    doc.line(key),
                    "{key} must be a date written YYYY-MM-DD, e.g. "
                    "2026-03-14 (to take this person off the site, delete the line)",
                    key=key,
                )
            )
            return None
    consent, until = dates["consent"], dates["consent_until"]
    if consent is None or consent > reader.today or (until is not None and until <= reader.today):
        reader.held[slug] = consent.isoformat() if consent and consent > reader.today else None
    if consent is not None and consent > reader.today:
        reader.changes.append((consent, msg("the consent of {path} starts", path=doc.path)))
    elif consent is not None and until is not None and until > reader.today:
        reader.changes.append((until, msg("the consent of {path} lapses", path=doc.path)))
    if consent is None:
        reader.problems.append(hold(doc.path, 1, "held: no consent written yet: this person and their testimonies "
                                  "are left out until a consent date is added"))  # fmt: skip
    elif consent > reader.today:
        reader.problems.append(
            hold(
                doc.path,
                doc.line("consent"),
                "held: consent starts on {day}: this person and their testimonies are left out (until {day})",
                day=consent.isoformat(),
            )
        )
    elif until is not None and until <= reader.today:
        reader.problems.append(hold(doc.path, doc.line("consent_until"), "held: consent lapsed on {day} "
                                  "(consent_until): this person and their testimonies are left out",
                                  day=until.isoformat()))  # fmt: skip
    else:
        return consent
    return None
