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
from datetime import UTC, date, datetime, time
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit
from zoneinfo import ZoneInfo

import icalendar

from vitrine.core.slugs import slugify
from vitrine.read.model import Event

PRODID = "-//Vitrine//Campaign events//EN"
GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = {  # the same form for personal (Outlook.com) and work (Microsoft 365) accounts
    "outlook": "https://outlook.live.com/calendar/0/deeplink/compose",
    "office": "https://outlook.office.com/calendar/0/deeplink/compose",
}
OSM = "https://www.openstreetmap.org/search"
DETAILS = 600  # characters of the description a web calendar's link carries: its URL stays well under 8 KB
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


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def location(event: Event) -> str:
    """Where it is, each part once: the address's lines, after the parts of ``place`` the address does not
    already say. ``place`` is "venue, town" as shown, and an address most often starts with that venue and ends
    with that town ("Halle aux Toiles, Lille" + "Halle aux Toiles / 5 rue des Filatures / 59000 Lille"): a part
    whose words the address holds, but for a number ("Paris 11e" beside "75011 Paris"), is left out."""
    lines = list(dict.fromkeys(line.strip() for line in event.address.splitlines() if line.strip()))
    said = set().union(*(_words(line) for line in lines))
    parts = [part.strip() for part in event.place.split(",") if part.strip()]
    kept = [part for part in parts if any(not re.search(r"\d", w) for w in _words(part) - said)]
    return ", ".join(dict.fromkeys([*kept, *lines]))


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


# --- links for a phone: web calendars, subscription, map ----------------------------------------------------


def _utc(event: Event, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A timed event's start and end in UTC, as the web calendars' links want them; no end: the start."""
    assert isinstance(event.start, datetime)
    start = event.start.replace(tzinfo=tz)
    if isinstance(event.end, datetime):
        end = event.end.replace(tzinfo=tz)
    elif isinstance(event.end, date):  # a start time and a last day: until the end of that day, as in the file
        end = datetime.combine(event.over_on, time(), tz)
    else:
        end = start
    return start.astimezone(UTC), end.astimezone(UTC)


def details(event: Event, page: str = "") -> str:
    """The description a web calendar's link carries: its text (cut at a word), the event's page on the site
    and its own site."""
    text = plain_text(event.html)
    if len(text) > DETAILS:
        text = text[:DETAILS].rsplit(" ", 1)[0] + "…"
    return "\n\n".join(part for part in (text, page, event.url) if part)


def _query(params: dict[str, str]) -> str:
    return urlencode({key: value for key, value in params.items() if value}, quote_via=quote)


def google_url(event: Event, timezone: str, about: str = "") -> str:
    """Google Calendar's "add an event" form, filled: days as ``YYYYMMDD/YYYYMMDD`` (the end exclusive, as in
    the file), times in UTC (``...Z``), shown in the event's zone (``ctz``)."""
    if event.all_day:
        dates = f"{event.first_day:%Y%m%d}/{event.over_on:%Y%m%d}"
    else:
        start, end = _utc(event, ZoneInfo(timezone))
        dates = f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}"
    params = {"action": "TEMPLATE", "text": event.title, "dates": dates, "details": about,
              "location": location(event), "ctz": timezone}  # fmt: skip
    return f"{GOOGLE}?{_query(params)}"


def outlook_url(event: Event, timezone: str, about: str = "", host: str = "outlook") -> str:
    """Outlook's "new event" form (``host``: ``outlook`` for Outlook.com, ``office`` for Microsoft 365): days
    as ``YYYY-MM-DD`` with ``allday=true`` (the end exclusive), times in UTC."""
    if event.all_day:
        start, end = event.first_day.isoformat(), event.over_on.isoformat()
    else:
        first, last = _utc(event, ZoneInfo(timezone))
        start, end = f"{first:%Y-%m-%dT%H:%M:%SZ}", f"{last:%Y-%m-%dT%H:%M:%SZ}"
    params = {"path": "/calendar/action/compose", "rru": "addevent", "subject": event.title, "startdt": start,
              "enddt": end, "allday": str(event.all_day).lower(), "body": about,
              "location": location(event)}  # fmt: skip
    return f"{OUTLOOK[host]}?{_query(params)}"


def web_calendars(event: Event, timezone: str, page: str = "") -> list[tuple[str, str]]:
    """(key, URL) of each web calendar's form for ``event``; the key names it (``calendar_<key>`` in locales)."""
    about = details(event, page)
    return [("google", google_url(event, timezone, about)), ("outlook", outlook_url(event, timezone, about)),
            ("office", outlook_url(event, timezone, about, "office"))]  # fmt: skip


def webcal(site_url: str, path: str) -> str:
    """The subscription to the calendar file at ``path`` (site-relative) of the site at ``site_url``:
    ``webcal://``, which calendar applications follow and refresh; "" without an http(s) ``site_url``, since a
    subscription needs the address the file will have."""
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    absolute = urljoin(site_url if site_url.endswith("/") else site_url + "/", path)
    return "webcal://" + absolute.split("://", 1)[1]


def map_query(event: Event) -> str:
    """What a map searches for: the address (less a first line that only repeats the venue, which a search
    of streets does not know), else the place."""
    lines = [line.strip() for line in event.address.splitlines() if line.strip()]
    venue = event.place.split(",")[0].strip().casefold()
    if len(lines) > 2 and lines[0].casefold() == venue:
        lines = lines[1:]
    return ", ".join(lines) or event.place


def map_url(event: Event) -> str:
    """OpenStreetMap's search for the event's address: one https link that every phone and computer opens (a
    ``geo:`` link works on Android alone, and does nothing elsewhere)."""
    return f"{OSM}?{urlencode({'query': map_query(event)}, quote_via=quote)}"
