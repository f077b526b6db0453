"""Events, for both kinds: ``stories/events/<event>.md``, read and checked into ``model.Event``.

An event has a ``title``, a ``start`` (a day, or a day and a local time), maybe an ``end`` (same form, not
before the start), a ``place``, an ``address``, an https ``url``, the ``people`` taking part (slugs of
published people) and a Markdown body. Every problem is ``path:line: message``; an event with an error is
left out (the build fails anyway), a person left out for want of consent is only dropped from it.
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from vitrine.core.errors import error, hold, msg, warning
from vitrine.core.slugs import SLUG, TRANSLATION, slugify
from vitrine.read.consent import WITHDRAWN
from vitrine.read.model import Event, Person
from vitrine.read.schema import Address, HttpsUrl, Lang, Limit, NoSuchDay, Schema, Text, validate

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from vitrine.read.load import _Reader

FOLDER = "events"
WHEN = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")
# An event's years: far from the calendar's edge (9999-12-31 has no next day to end an all-day event on, nor
# a next year for its time zone's rules) and from each other (a time zone's rules over 8,000 years are 270 kB
# in every .ics file). A real event is well inside; a year outside is a typo.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def parse_when(value: Any) -> date | datetime:
    """``2027-03-14`` (a day) or ``2027-03-14 10:00`` (a day and a local time, no time zone)."""
    match = WHEN.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValueError("not a date")
    try:
        day = date.fromisoformat(match[1])
    except ValueError:
        raise NoSuchDay(msg("{day} is not a day of the calendar", day=match[1])) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Limit(msg("is {day}, outside the years {first} to {last}: write the event's real date", day=match[1],
                        first=str(FIRST_YEAR), last=str(LAST_YEAR)))  # fmt: skip
    if match[2] is None:
        return day
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        raise NoSuchDay(msg("{time} is not a time of day (00:00 to 23:59)", time=f"{match[2]}:{match[3]}"))
    return datetime(day.year, day.month, day.day, hour, minute)


# For editors' YAML tooling: JSON Schema's date-time needs a T, seconds and a zone, which a local time has not.
WHEN_SCHEMA = {"type": "string", "pattern": r"^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}([ T][0-9]{1,2}:[0-9]{2})?$"}
When = Annotated[date | datetime, BeforeValidator(parse_when), WithJsonSchema(WHEN_SCHEMA)]


class EventMeta(Schema):
    title: Text
    start: When
    end: When | None = None
    place: Text
    address: Address = ""  # several lines allowed
    url: HttpsUrl = ""
    people: list[Text] = []
    lang: Lang = ""


def before(end: date | datetime, start: date | datetime) -> bool:
    """Whether ``end`` is before ``start``; a day alone covers the whole day."""
    if isinstance(end, datetime) and isinstance(start, datetime):
        return end < start
    return Event.day(end) < Event.day(start)


def read(reader: _Reader, people: dict[str, Person]) -> tuple[Event, ...]:
    """Every event of ``stories/events/``, with its problems added to the reader's."""

    folder = reader.stories / FOLDER
    if not reader.folder(folder):
        return ()
    events, known = [], set()
    for path in sorted(folder.iterdir()):
        if path.name in known or path.name.startswith(".") or path.suffix != ".md":
            continue
        if not path.is_file() and not path.is_symlink():  # a link, even to nothing, is said: read_document
            continue
        if TRANSLATION.fullmatch(path.name) and path.name.count(".") > 1:
            continue  # <event>.<lang>.md: read with its event
        known.add(path.name)
        reader.translation_files(folder, path.stem, known)
        if not SLUG.fullmatch(path.stem):
            reader.problems.append(error(reader.label(path), None, "file name {name!r} is not a slug: use lowercase "
                                         "letters, digits and hyphens, e.g. {slug}.md", name=path.name,
                                         slug=slugify(path.stem)))  # fmt: skip
            continue
        event = _event(reader, path, people)
        events += [event] if event else []
    for path in sorted(folder.iterdir()):
        if path.name not in known and not path.name.startswith("."):
            reader.problems.append(warning(reader.label(path), None, "unknown file: events/ holds one <event>.md each"))
    return tuple(events)


def _event(reader: _Reader, path: Path, people: dict[str, Person]) -> Event | None:
    doc = reader.document(path)
    if not doc:
        return None
    meta, problems = validate(EventMeta, doc)
    reader.problems.extend(problems)
    if not meta:
        return None
    ok = True
    if meta.end is not None and before(meta.end, meta.start):
        reader.problems.append(
            error(doc.path, doc.line("end"), "end is before start ({start})", start=doc.meta["start"])
        )
        ok = False
    taking_part: list[str] = []
    listed: set[str] = set()
    for i, slug in enumerate(meta.people):
        if slug in listed:  # shown once
            reader.problems.append(warning(doc.path, doc.line("people", i), "person {slug!r} is listed twice: "
                                           "shown once", slug=slug))  # fmt: skip
            continue
        listed.add(slug)
        if slug in people:
            taking_part.append(slug)
        elif slug in reader.held:  # no consent yet, or not any more: held here too
            until = reader.held[slug]
            reader.problems.append(hold(doc.path, doc.line("people", i), "held: person {slug!r} is left out of this "
                                        "event with the rest of their story (see their index.md){until}", slug=slug,
                                        until=msg(" (until {day})", day=until) if until else ""))  # fmt: skip
        elif (reader.root / WITHDRAWN / slug).is_dir():  # `vitrine withdraw`: never published again
            reader.problems.append(hold(doc.path, doc.line("people", i), "held: person {slug!r} was withdrawn "
                                        "({folder}/{slug}/): left out of this event; remove the line", slug=slug,
                                        folder=WITHDRAWN))  # fmt: skip
        elif (reader.stories / "people" / slug / "index.md").is_file():  # left out for errors, reported there
            reader.problems.append(warning(doc.path, doc.line("people", i), "person {slug!r} is not published (see "
                                           "their index.md): left out of this event", slug=slug))  # fmt: skip
        else:
            close = difflib.get_close_matches(slug, list(people), n=1)
            hint = msg(" (did you mean {name}?)", name=close[0]) if close else ""
            reader.problems.append(error(doc.path, doc.line("people", i), "unknown person {slug!r}: no folder "
                                         "stories/people/{slug}/{hint}", slug=slug, hint=hint))  # fmt: skip
            ok = False
    if not ok or (html := reader.body(doc)) is None:  # a body Markdown cannot render within bounds: reported
        return None
    return Event(
        slug=path.stem, title=meta.title, start=meta.start, end=meta.end, place=meta.place, path=doc.path,
        html=html, address=meta.address, url=meta.url, people=tuple(taking_part), lang=meta.lang,
    )  # fmt: skip
