"""Issue 12's data layer: the makers kind, events, their iCalendar files, where things are made, "today".

Real files only: the makers demo in examples/makers/, the good fixture, and small campaigns written here.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from conftest import FIXTURES, ROOT

from vitrine.cli import scaffold
from vitrine.core.today import today
from vitrine.plan import calendar, where
from vitrine.read.load import load
from vitrine.read.model import Event
from vitrine.read.project import read_project
from vitrine.read.settings import read_settings

MAKERS = ROOT / "examples" / "makers"
WINTER, LATE_2027 = date(2026, 12, 1), date(2027, 12, 1)


def settings_of(folder: Path, config: str = "mkdocs.yml"):
    project, problems = read_project(folder, config)
    assert project is not None and not problems
    settings, problems = read_settings(project.config_file, project.campaign, project.docs_dir, project.language)
    assert settings is not None and not problems, problems
    return settings


def demo():
    return load(MAKERS, kind=settings_of(MAKERS).kind)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the makers demo


def test_the_makers_demo_loads_without_a_single_problem_and_is_large_enough() -> None:
    assert settings_of(MAKERS).kind == "makers"
    english = settings_of(MAKERS, "mkdocs.en.yml")
    assert english.kind == "makers" and english.name == "Made close to home"
    result = demo()
    assert [str(p) for p in result.problems] == []  # --strict: not even a warning
    campaign = result.campaign
    assert campaign.kind == "makers"
    assert len(campaign.people) >= 8 and len(campaign.products) >= 20
    assert len(campaign.testimonies) >= 30 and len(campaign.events) >= 6
    figures = campaign.makers_figures
    assert figures["makers"] == len(campaign.people) and figures["products"] == len(campaign.products)
    assert figures["regions"] >= 5 and figures["accounts"] == len(campaign.testimonies)


def test_the_makers_demo_speaks_french_and_english_everywhere() -> None:
    result = demo()
    campaign = result.campaign
    stories = [*campaign.people.values(), *campaign.products.values(), *campaign.testimonies, *campaign.events]
    missing = [s.path for s in stories if (s.path, "en") not in result.translations]
    assert missing == []


def test_makers_products_and_accounts_carry_the_makers_keys() -> None:
    campaign = demo().campaign
    for person in campaign.people.values():
        assert person.craft and person.workshop and person.place and person.region
        assert isinstance(person.since, int) and person.website.startswith("https://")
        assert person.photo and person.photo.alt
    for product in campaign.products.values():
        assert product.made_in and product.region and product.labels and product.buy
        assert all(url.startswith("https://") for _, url in product.buy)
        assert product.needed is None and product.donate == ""
        assert campaign.by_product[product.slug], f"{product.slug} has no maker's account"
    assert all(t.rating is None for t in campaign.testimonies)
    assert campaign.rating_of("couteau-de-poche") is None  # no stars anywhere


def test_events_of_the_demo_are_upcoming_and_past_around_the_winter_of_2026() -> None:
    campaign = demo().campaign
    upcoming, past = campaign.upcoming(WINTER), campaign.past(WINTER)
    assert upcoming and past and len(upcoming) + len(past) == len(campaign.events)
    assert [e.first_day for e in upcoming] == sorted(e.first_day for e in upcoming)  # soonest first
    assert [e.first_day for e in past] == sorted((e.first_day for e in past), reverse=True)  # newest first
    assert campaign.upcoming(LATE_2027) and len(campaign.past(LATE_2027)) > len(past)  # time passes
    assert any(not e.all_day for e in campaign.events) and any(e.all_day for e in campaign.events)
    for slug in campaign.people:
        assert all(slug in e.people and e.is_upcoming(WINTER) for e in campaign.events_of(slug, WINTER))
    assert campaign.events_of("maelle-r", WINTER)


# ---------------------------------------------------------------- charity unchanged


def test_charity_loading_is_unchanged_and_has_no_events() -> None:
    default, explicit = load(FIXTURES / "good"), load(FIXTURES / "good", kind="charity")
    assert default.campaign == explicit.campaign and default.problems == explicit.problems
    assert default.campaign.kind == "charity" and default.campaign.events == ()
    assert all(isinstance(t.rating, int) for t in default.campaign.testimonies)
    root = load(ROOT)
    assert root.campaign.events == () and not root.errors
    assert settings_of(ROOT).kind == "charity" and settings_of(ROOT).timezone == "Europe/Paris"


def test_events_also_belong_to_a_charity_campaign(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good" / "stories", tmp_path / "stories")
    write(tmp_path / "stories/events/collecte.md", "---\ntitle: Collecte\nstart: 2027-01-09 10:00\n"
          "place: Local, Calais\npeople: [amina-k]\n---\n\nApportez des *chaussettes*.\n")  # fmt: skip
    result = load(tmp_path)
    assert [str(p) for p in result.problems] == [
        "stories/people/sans-accord/index.md:1: held: no consent written yet: this person and their testimonies are "
        "left out until a consent date is added"
    ]
    (event,) = result.campaign.events
    assert event.start == datetime(2027, 1, 9, 10, 0) and event.people == ("amina-k",)
    assert "<em>chaussettes</em>" in event.html
    assert result.campaign.events_of("amina-k", WINTER) == (event,)


def test_one_wrong_setting_is_the_only_problem_vitrine_check_says(tmp_path: Path) -> None:
    """Issue 17: timezone: europe/paris made the makers demo a charity campaign, with 23 more problems."""
    from vitrine.build.check import check

    shutil.copytree(MAKERS, tmp_path / "m", ignore=shutil.ignore_patterns("site", ".cache", "screenshots"))
    config = tmp_path / "m/mkdocs.yml"
    config.write_text(re.sub(r"timezone: \S+", "timezone: europe/paris", config.read_text(encoding="utf-8")),
                      encoding="utf-8")  # fmt: skip
    failing = [str(p) for p in check(tmp_path / "m") if p.fails]
    assert len(failing) == 1 and "unknown time zone 'europe/paris' (did you mean Europe/Paris?)" in failing[0]


def test_a_person_listed_twice_takes_part_once(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "good" / "stories", tmp_path / "stories")
    write(tmp_path / "stories/events/collecte.md", "---\ntitle: Collecte\nstart: 2027-01-09\nplace: Calais\n"
          "people: [amina-k, yusuf-d, amina-k]\n---\n")  # fmt: skip
    (event,) = load(tmp_path).campaign.events
    assert event.people == ("amina-k", "yusuf-d")


@pytest.mark.parametrize("zone", ["localtime", "posixrules", "Factory", "posix/Europe/Paris", "right/Europe/Paris"])
def test_a_zone_of_no_place_is_refused(tmp_path: Path, zone: str) -> None:
    """Issue 17: the zone database answers to these, but a build would tell its own machine's hours."""
    _, problems = read_settings(tmp_path / "mkdocs.yml", {"name": "C", "organisation": "A", "timezone": zone})
    assert [p.message.value("reason").text for p in problems] == [
        "{zone!r} is not a place's time zone: the build machine's or the zone database's own setting; write one "
        "such as Europe/Paris"]  # fmt: skip


@pytest.mark.parametrize("zone", ["Europe/Paris", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"])
def test_a_place_s_zone_is_taken(tmp_path: Path, zone: str) -> None:
    settings, problems = read_settings(tmp_path / "mkdocs.yml", {"name": "C", "organisation": "A", "timezone": zone})
    assert settings is not None and settings.timezone == zone and not problems


def test_event_years_are_bounded_so_every_next_day_and_zone_year_exists() -> None:
    from vitrine.read.events import FIRST_YEAR, LAST_YEAR

    for start, end in ((date(LAST_YEAR, 12, 31), None), (datetime(FIRST_YEAR, 1, 1, 10), date(LAST_YEAR, 12, 31)),
                       (datetime(LAST_YEAR, 12, 31, 23, 59), None)):  # fmt: skip
        event = Event(slug="bord", title="Bord", start=start, end=end, place="Ici", path="stories/events/bord.md",
                      html="")  # fmt: skip
        parsed = icalendar.Calendar.from_ical(calendar.calendar_ics([event], "C", WINTER, "Europe/Paris"))
        assert parsed.walk("VEVENT")[0]["DTSTART"].dt.year in (FIRST_YEAR, LAST_YEAR)
        assert event.over_on == event.last_day + timedelta(days=1)


def test_the_event_schema_takes_what_the_checker_takes() -> None:
    """JSON Schema's date-time refused ``2027-03-14 10:00`` (it needs a T, seconds and a zone)."""
    import jsonschema

    from vitrine.read import json_schemas

    validator = jsonschema.Draft202012Validator(
        json_schemas.schema("event"), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for start in ("2027-03-14", "2027-03-14 10:00", "2027-03-14T09:05", "2999-12-31"):
        assert validator.is_valid({"title": "T", "start": start, "end": start, "place": "P"}), start
    for start in ("14 mars 2027", "9999-12-31", "2027-03-14 10:00:00+01:00"):
        assert not validator.is_valid({"title": "T", "start": start, "place": "P"}), start


# ---------------------------------------------------------------- the makers kind's problems


def test_charity_keys_and_ratings_are_unknown_keys_in_a_makers_campaign(tmp_path: Path) -> None:
    write(tmp_path / "stories/products/bol/index.md", "---\ntitle: Bol\nimages:\n  - src: bol.jpg\n    alt: Un bol\n"
          "needed: 10\ndonate: https://example.org/don\nregion: Bretagne\nlabels: [Fait main]\n"
          "buy:\n  - label: Boutique\n    url: http://example.org/bol\n---\n")  # fmt: skip
    shutil.copy(MAKERS / "stories/products/bol-en-gres/bol-en-gres.jpg", tmp_path / "stories/products/bol/bol.jpg")
    write(tmp_path / "stories/people/ines-b/index.md", "---\nname: Inès B.\nconsent: 2026-01-01\ncraft: céramiste\n"
          "since: depuis 2016\nwebsite: http://example.org\n---\n")  # fmt: skip
    write(tmp_path / "stories/people/lea-v/index.md", "---\nname: Léa V.\nconsent: 2026-01-01\nsince: 2013\n---\n")
    write(tmp_path / "stories/people/lea-v/bol.md", "---\nrating: 5\ntitle: Mon bol\ndate: 2026-02-01\n---\n\nTexte.\n")
    problems = [str(p) for p in load(tmp_path, kind="makers").problems]
    assert problems == [
        "stories/people/ines-b/index.md:5: since must be a year, e.g. 1998",
        "stories/people/ines-b/index.md:6: website must be an https:// link",
        "stories/people/lea-v/bol.md:2: unknown key rating (a maker's account has no rating: ignored)",
        "stories/products/bol/index.md:6: unknown key needed (a key of charity campaigns: this one's kind is makers)",
        "stories/products/bol/index.md:7: unknown key donate (a key of charity campaigns: this one's kind is makers)",
        "stories/products/bol/index.md:12: buy[1].url must be an https:// link",
    ]
    # the same files in a charity campaign: the makers' keys are unknown there, and a testimony needs its rating
    charity = [str(p) for p in load(tmp_path).problems]
    assert any(p.startswith("stories/people/lea-v/index.md:4: unknown key since") for p in charity)
    assert "stories/products/bol/index.md:8: unknown key region (known keys: " in "".join(charity)[:10_000] or any(
        p.startswith("stories/products/bol/index.md:8: unknown key region") for p in charity
    )


# ---------------------------------------------------------------- today


def test_today_is_source_date_epoch_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01 00:00 UTC
    assert today() == date(2026, 12, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796169599")  # 2026-12-01 23:59:59 UTC
    assert today() == date(2026, 12, 1)
    for unusable in ("", "demain", "-5", "9" * 30):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", unusable)
        assert abs(today() - date.today()) <= timedelta(days=1)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert abs(today() - date.today()) <= timedelta(days=1)


# ---------------------------------------------------------------- iCalendar


def vevents(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_one_ics_per_event_round_trips_with_every_field() -> None:
    campaign = demo().campaign
    timed = next(e for e in campaign.events if e.slug == "marche-de-noel-des-createurs")
    data = calendar.event_ics(timed, "Fait près d'ici", WINTER, "Europe/Paris")
    assert data == calendar.event_ics(timed, "Fait près d'ici", WINTER, "Europe/Paris")  # reproducible
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0" and cal["PRODID"]
    (vevent,) = vevents(data)
    assert str(vevent["SUMMARY"]) == timed.title
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (timed.start, timed.end)
    assert vevent["DTSTART"].params["TZID"] == "Europe/Paris" and start.utcoffset() == timedelta(hours=1)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    # the venue and the town once each, though place and address both name them
    assert str(vevent["LOCATION"]) == "Halle aux Toiles, 5 rue des Filatures, 59000 Lille"
    assert str(vevent["URL"]) == timed.url
    assert str(vevent["UID"]) == "marche-de-noel-des-createurs@fait-pres-d-ici.vitrine"
    stamp = vevent.decoded("DTSTAMP")
    assert stamp.date() == WINTER and stamp.utcoffset() == timedelta(0)
    description = str(vevent["DESCRIPTION"])
    assert "Hugo" in description and "<" not in description


def test_all_day_events_are_dates_with_an_exclusive_end() -> None:
    campaign = demo().campaign
    fair = next(e for e in campaign.events if e.slug == "salon-fait-pres-d-ici-2027")
    (vevent,) = vevents(calendar.event_ics(fair, "Fait près d'ici", WINTER))
    assert vevent.decoded("DTSTART") == date(2027, 3, 19) and not isinstance(vevent.decoded("DTSTART"), datetime)
    assert vevent.decoded("DTEND") == date(2027, 3, 22)  # the day after the last
    one_day = next(e for e in campaign.events if e.end is None)
    (vevent,) = vevents(calendar.event_ics(one_day, "Fait près d'ici", WINTER))
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(days=1)
    assert b"VTIMEZONE" not in calendar.event_ics(fair, "Fait près d'ici", WINTER)


def test_one_calendar_holds_every_event_in_another_time_zone() -> None:
    campaign = demo().campaign
    data = calendar.calendar_ics(campaign.events, "Fait près d'ici", WINTER, "America/Montreal")
    assert sorted(str(v["UID"]).split("@")[0] for v in vevents(data)) == sorted(e.slug for e in campaign.events)
    assert len({str(v["UID"]) for v in vevents(data)}) == len(campaign.events)
    timed = [v for v in vevents(data) if isinstance(v.decoded("DTSTART"), datetime)]
    assert timed and all(v["DTSTART"].params["TZID"] == "America/Montreal" for v in timed)
    assert str(icalendar.Calendar.from_ical(data)["X-WR-CALNAME"]) == "Fait près d'ici"


def test_calendar_text_is_escaped_and_plain() -> None:
    event = Event(slug="atelier", title="Atelier; « bols », etc.", start=datetime(2027, 1, 23, 14), place="Terre, Gard",
                  path="x.md", html="<p>Un <strong>bol</strong> &amp; sa tasse.</p><ul><li>huit places</li></ul>",
                  address="3 rue des Potiers\n30700 Saint-Quentin")  # fmt: skip
    (vevent,) = vevents(calendar.event_ics(event, "Campagne", WINTER))
    assert str(vevent["SUMMARY"]) == "Atelier; « bols », etc."
    assert str(vevent["LOCATION"]) == "Terre, Gard, 3 rue des Potiers, 30700 Saint-Quentin"
    assert str(vevent["DESCRIPTION"]) == "Un bol & sa tasse.\n\n- huit places"
    assert "DTEND" not in vevent and "URL" not in vevent


# ---------------------------------------------------------------- where things are made


def test_where_lists_every_region_with_its_makers_and_products() -> None:
    campaign = demo().campaign
    regions = where.by_region(campaign)
    assert len(regions) == campaign.makers_figures["regions"] >= 5
    assert sum(len(r.products) for r in regions) == len(campaign.products)
    assert sum(len(r.makers) for r in regions) == len(campaign.people)
    assert all(r.departments for r in regions)  # every region of the demo is on the map
    brittany = next(r for r in regions if r.name == "Bretagne")
    assert [m.slug for m in brittany.makers] == ["yann-l"] and brittany.departments == ("22", "29", "35", "56")


def test_the_map_is_inline_svg_with_titles_and_no_outside_request() -> None:
    regions = where.by_region(demo().campaign)
    svg = where.map_svg(regions, "Où c'est <fabriqué>", describe=where.describe_en)
    root = ET.fromstring(svg)  # well-formed, every text escaped
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "group" and root.get("aria-label") == "Où c'est <fabriqué>"  # it holds links
    assert ET.fromstring(where.map_svg(regions, "Carte", link="")).get("role") == "img"  # without: an image
    assert root.find(f"{ns}title").text == "Où c'est <fabriqué>"
    assert len(root.findall(f".//{ns}path")) == 96
    titles = [t.text for t in root.iter(f"{ns}title")][1:]
    assert "Provence-Alpes-Côte d'Azur: 1 maker, 3 products" in titles
    assert len(titles) == len(regions)
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg)  # no request anywhere
    assert "<script" not in svg and " on" not in svg.replace(" one", "")


def test_regions_match_whatever_the_case_accents_and_other_names() -> None:
    assert where.known("ILE DE FRANCE") == where.known("île-de-france") == "Île-de-France"
    assert where.known("Provence-Alpes-Côte d’Azur") == where.known("PACA") == "Provence-Alpes-Côte d'Azur"
    assert where.known("brittany") == "Bretagne" and where.known("Martinique") is None
    assert sorted(d for ds in where.REGIONS.values() for d in ds) == sorted(where._outlines()["departments"])


def test_a_region_off_the_map_is_still_listed(tmp_path: Path) -> None:
    write(
        tmp_path / "stories/people/ana-m/index.md", "---\nname: Ana M.\nconsent: 2026-01-01\nregion: Martinique\n---\n"
    )
    write(tmp_path / "stories/people/bo-k/index.md", "---\nname: Bo K.\nconsent: 2026-01-01\nregion: normandie\n---\n")
    campaign = load(tmp_path, kind="makers").campaign
    regions = where.by_region(campaign)
    assert [(r.name, bool(r.departments)) for r in regions] == [("Martinique", False), ("Normandie", True)]
    svg = where.map_svg(regions, "Carte", link="")
    assert "Martinique" not in svg and "Normandie : 1 artisan, 0 produit" in svg and "<a " not in svg


def test_regions_in_any_script_each_have_their_own_anchor(tmp_path: Path) -> None:
    """Issue 17: 广东, 四川 and الجزائر all came out as region-region, one anchor for three regions."""
    for slug, region in (("li-w", "广东"), ("wu-z", "四川"), ("amal-b", "الجزائر"), ("ana-m", "Île-de-France"),
                         ("bo-k", "ile de france"), ("cy-d", "서울")):  # fmt: skip
        text = f"---\nname: {slug}\nconsent: 2026-01-01\nregion: {region}\n---\n"
        write(tmp_path / f"stories/people/{slug}/index.md", text)
    regions = where.by_region(load(tmp_path, kind="makers").campaign)
    anchors = [where.anchor(r.name) for r in regions]
    assert len(regions) == 5 and len(set(anchors)) == 5  # the two spellings of Île-de-France are one region
    assert {"region-广东", "region-四川", "region-ile-de-france", "region-서울"} < set(anchors)  # Hangul recomposed
    assert "region-region" not in anchors
    svg = where.map_svg(regions, "Carte")
    assert 'href="#region-ile-de-france"' in svg  # the map's links reach the list's ids, percent-encoded if need be


# ---------------------------------------------------------------- vitrine new --kind makers


def test_new_makers_campaign_loads_without_a_problem(tmp_path: Path) -> None:
    assert "makers" in scaffold.KINDS
    scaffold.new(tmp_path / "atelier", kind="makers")
    settings = settings_of(tmp_path / "atelier")
    assert settings.kind == "makers"
    result = load(tmp_path / "atelier", kind=settings.kind)
    assert [str(p) for p in result.problems] == []
    campaign = result.campaign
    assert len(campaign.people) == 2 and len(campaign.products) == 2 and len(campaign.events) == 1
    assert (tmp_path / "atelier/schemas/event.schema.json").is_file()


def test_the_english_demo_translates_crafts_titles_and_events() -> None:
    from vitrine.plan.localize import localize

    result = demo()
    english = localize(result.campaign, result.translations, "en", "fr")
    assert english.kind == "makers" and len(english.events) == len(result.campaign.events)
    assert english.people["maelle-r"].craft == "cutler"
    assert english.products["carafe"].title == "Mouth-blown carafe"
    assert {e.title for e in english.events} >= {"Spring of the workshops", "Knife festival"}
    assert all(e.lang == "" for e in english.events)  # every event is translated
