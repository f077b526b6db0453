"""iCalendar (RFC 5545) files of the events: one per event and one holding them all.

Each file is bytes, ready to write: ``event_ics`` for ``events/<slug>.ics`` (``Event.ics``) and
``calendar_ics`` for ``events.ics`` (``model.ALL_EVENTS_ICS``). An event given as days is an all-day event
(``DTSTART;VALUE=DATE``, ``DTEND`` the day after its last day, as the RFC counts); an event with times is in
the campaign's time zone (``extra.campaign.timezone``, Europe/Paris by default), which the file describes in a
``VTIMEZONE`` so any calendar application places it right. The ``UID`` comes from the campaign's name and the
event's slug, so importing the file again updates the event instead of adding a copy; ``DTSTAMP`` is "today"
(``vitrine.core.today``), so a build with ``SOURCE_DATE_EPOCH`` writes the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import icalendar

from vitrine.core.slugs import slugify
from vitrine.read.model import Event

PRODID = "-//Vitrine//Campaign events//EN"
BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "blockquote", "pre", "tr"}


class _Text(HTMLParser):
    """The text of sanitised HTML, one paragraph per block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """``html`` as plain text: blocks become paragraphs, runs of spaces one space."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def uid(campaign: str, event: Event) -> str:
    """Stable across builds: the same event of the same campaign keeps its UID."""
    return f"{event.slug}@{slugify(campaign, 'campagne')}.vitrine"


def location(event: Event) -> str:
    lines = [event.place, *(line.strip() for line in event.address.splitlines())]
    return ", ".join(line for line in lines if line)


def _vevent(event: Event, campaign: str, tz: ZoneInfo, stamp: datetime) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid(campaign, event))
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    if event.all_day:
        vevent.add("dtstart", event.first_day)
        vevent.add("dtend", event.over_on)  # exclusive: the day after the last
    else:
        assert isinstance(event.start, datetime)  # an event with a time: read so (vitrine.read.events)
        start = event.start.replace(tzinfo=tz)
        vevent.add("dtstart", start)
        if isinstance(event.end, datetime):
            vevent.add("dtend", event.end.replace(tzinfo=tz))
        elif isinstance(event.end, date):  # a start time and a last day: until the end of that day
            vevent.add("dtend", datetime.combine(event.over_on, datetime.min.time(), tz))
    vevent.add("location", location(event))
    if event.url:
        vevent.add("url", event.url)
    if description := plain_text(event.html):
        vevent.add("description", description)
    return vevent


def _calendar(events: Iterable[Event], campaign: str, timezone: str, today: date, name: str = "") -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    tz = ZoneInfo(timezone)
    stamp = datetime(today.year, today.month, today.day, tzinfo=UTC)
    events = list(events)
    for event in events:
        cal.add_component(_vevent(event, campaign, tz, stamp))
    if timed := [e for e in events if not e.all_day]:  # the zone's rules over the years its events need
        first = min(e.first_day for e in timed).replace(month=1, day=1)
        last = date(max(e.last_day for e in timed).year + 1, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def event_ics(event: Event, campaign: str, today: date, timezone: str = "Europe/Paris") -> bytes:
    """``events/<slug>.ics``: one VEVENT. ``campaign`` is its name (``extra.campaign.name``), for the UID."""
    return _calendar([event], campaign, timezone, today)


def calendar_ics(events: Iterable[Event], campaign: str, today: date, timezone: str = "Europe/Paris") -> bytes:
    """``events.ics``: every event of the campaign, in one calendar named after it."""
    return _calendar(events, campaign, timezone, today, name=campaign)
