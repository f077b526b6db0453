"""Every user-visible string, per language, and locale-aware formatting.

The strings live in message catalogs, one YAML file per language (``vitrine/locales/<lang>.yml``): ``pages``,
the words of the site by key, and ``messages``, what editors read (problems, the command line, the
preview's banner), each under the English text the code writes (``vitrine.core.errors.msg``). A campaign extends
them without editing Vitrine: ``locales/<lang>.yml`` beside its ``mkdocs.yml``, in the same form, adds a
language or changes any string. Missing strings fall back to English. Plural forms follow CLDR rules through
Babel, so Arabic's six forms work like French's two.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time
from babel.numbers import format_currency, format_decimal

from vitrine.core import assets
from vitrine.core.errors import Msg, Problem

FALLBACK = "en"
LOCALES = assets.LOCALES
CAMPAIGN_LOCALES = "locales"  # a campaign's own catalogs, in the folder of its mkdocs.yml
LANGUAGE_VARIABLE = "VITRINE_LANGUAGE"  # the messages' language, for a team that reads another than the site's


def catalog_files(lang: str, folders: Iterable[Path] = ()) -> list[Path]:
    """The catalogs that make ``lang``, later ones winning: English, the base language (``pt`` of ``pt-BR``),
    the language itself; Vitrine's first, then each of ``folders`` (a campaign's ``locales/``)."""
    names = list(dict.fromkeys((FALLBACK, lang.split("-")[0], lang)))
    return [folder / f"{name}.yml" for folder in (LOCALES, *folders) for name in names]


def read_catalog(file: Path) -> dict[str, Any]:
    """One catalog file's sections; an unreadable one counts as empty here (``vitrine check`` says why)."""
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def editor_language(site_language: str) -> str:
    """The language of the messages an editor reads: the site's own, unless ``VITRINE_LANGUAGE`` says."""
    return os.environ.get(LANGUAGE_VARIABLE, "").strip() or site_language or FALLBACK


class Translator:
    """``t("key", n=3, name=...)`` in templates and code, and ``t.say(message)`` for editors, in one language.

    ``folders``: a campaign's own catalogs (``<root>/locales``), laid over Vitrine's."""

    def __init__(self, lang: str, folders: Iterable[Path] = ()) -> None:
        self.lang = lang
        try:
            self.locale = Locale.parse(lang.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            self.locale = Locale.parse(FALLBACK)
        self.strings: dict[str, Any] = {}
        self.messages: dict[str, Any] = {}
        for file in catalog_files(lang, folders):
            data = read_catalog(file) if file.is_file() else {}
            for section, into in (("pages", self.strings), ("messages", self.messages)):
                if isinstance(data.get(section), Mapping):
                    into.update({str(k): v for k, v in data[section].items() if isinstance(v, (str, Mapping))})

    def say(self, message: Msg | str) -> str:
        """A message to an editor in this language (its English text where no catalog has it)."""
        if isinstance(message, str):
            message = Msg(message)
        try:
            return message.said(self._template)
        except (KeyError, IndexError, ValueError):  # a catalog's translation names a value the message lacks
            return str(message)

    def problem(self, problem: Problem) -> str:
        return problem.said(self.say)

    def _template(self, message: Msg) -> str:
        entry = self.messages.get(message.text, message.text)
        if isinstance(entry, Mapping):
            count = message.value("n", 0)
            entry = entry.get(self.locale.plural_form(count if isinstance(count, (int, float)) else 0),
                              entry.get("other", message.text))  # fmt: skip
        return str(entry)

    @property
    def dir(self) -> str:
        return (self.locale.character_order == "right-to-left" and "rtl") or "ltr"

    def __call__(self, key: str, n: Decimal | int | None = None, **values: object) -> str:
        entry = self.strings.get(key, key)
        if isinstance(entry, Mapping):
            entry = entry.get(self.locale.plural_form(n or 0), entry.get("other", key))
        try:
            return str(entry).format(n=self.number(n) if n is not None else "", **values)
        except (KeyError, IndexError, ValueError):  # a campaign's string names a value this one lacks
            return key

    def money(self, amount: Decimal | int | float) -> str:
        return format_money(amount, self.locale)  # the parsed locale: an unknown language fell back to English

    def number(self, value: Decimal | int | float) -> str:
        return format_number(value, self.locale)

    def date(self, day: date) -> str:
        return format_date(day, format="long", locale=self.locale)

    def when(self, start: dt.date | datetime, end: dt.date | datetime | None = None) -> str:  # dt: date is a method
        """An event's date (and times), in this language, every day in one form (weekday, day, month, year):
        "samedi 12 décembre 2026, 10:00–19:00", "du samedi 18 septembre 2027 au dimanche 19 septembre 2027",
        "Saturday, December 12, 2026, 10:00 AM to Sunday, December 13, 2026, 7:00 PM"."""
        first = start.date() if isinstance(start, datetime) else start
        last = (end.date() if isinstance(end, datetime) else end) if end is not None else first
        if last != first:  # each end with its day, and its time when it has one
            return self("date_range", start=self._moment(start), end=self._moment(end if end is not None else last))
        day = self.day(first)
        if not isinstance(start, datetime):
            return day
        if isinstance(end, datetime) and end != start:
            return self("time_span", day=day, start=format_time(start, "short", locale=self.locale),
                        end=format_time(end, "short", locale=self.locale))  # fmt: skip
        return self._moment(start)

    def day(self, day: dt.date) -> str:
        """A day as events show it: "samedi 12 décembre 2026", "Saturday, December 12, 2026"."""
        return format_date(day, format="full", locale=self.locale)

    def _moment(self, when: dt.date | datetime) -> str:
        if not isinstance(when, datetime):
            return self.day(when)
        return self("time_at", day=self.day(when.date()), start=format_time(when, "short", locale=self.locale))


def _locale(lang: str | Locale) -> Locale:
    if isinstance(lang, Locale):
        return lang
    return Locale.parse(lang.replace("-", "_"))  # BCP 47 "fr-BE" as the site writes it


def format_money(amount: Decimal | float, lang: str | Locale) -> str:
    """Euros in the reader's language: "1 234,50 €" / "€1,234.50"; whole amounts without decimals: "50 €" / "€50"."""
    locale = _locale(lang)
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    if value == value.to_integral_value():
        # Same locale layout (symbol side, spacing) minus the fraction: ".00" on round gifts is noise.
        pattern = locale.currency_formats["standard"].pattern.replace(".00", "")
        return format_currency(value, "EUR", format=pattern, locale=locale, currency_digits=False)
    return format_currency(value, "EUR", locale=locale)


def format_number(n: Decimal | float, lang: str | Locale) -> str:
    """Grouped number in the reader's language, e.g. "1 234" (narrow no-break space) in French."""
    return format_decimal(n, locale=_locale(lang))


def language_name(lang: str, reader: str) -> str:
    """The name of ``lang`` in the reader's language ("French", "français"), lower-cased where the reader's
    language writes it so inside a sentence; the code itself when Babel has no name for it."""
    try:
        code = _locale(lang).language
        return _locale(reader).languages.get(code) or lang
    except (ValueError, UnknownLocaleError):
        return lang
