"""Campaign-wide settings: ``extra.campaign`` in ``mkdocs.yml``.

Validated with the same schema machinery as the stories, so every mistake is
reported at once as ``mkdocs.yml:line: key ...`` and the schema moves with the
engine if the site is one day rendered by another host.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, Field, ValidationError, field_validator, model_validator

from vitrine.core.errors import Invalid, Msg, Problem, error, msg
from vitrine.giving.donate import (
    AID_CEILING,
    DEFAULT_AMOUNTS,
    TAX_RATES,
    check_link,
    epc_payload,
    normalize_iban,
    validate_bic,
    validate_iban,
)
from vitrine.read.admin import Admin
from vitrine.read.document import Document, YamlProblem, compose, dotted, index_lines, kind_of
from vitrine.read.schema import LANG, Address, HttpsUrl, IsoDate, Schema, Text, validate


def _iban(value: str) -> str:
    if message := validate_iban(value):
        raise Invalid(message)
    return normalize_iban(value)


def _bic(value: str) -> str:
    if value and (message := validate_bic(value)):
        raise Invalid(message)
    return value.replace(" ", "").upper()


class Link(Schema):
    label: Text
    url: HttpsUrl


class Bank(Schema):
    holder: Text  # account holder, as the bank knows it
    iban: Annotated[str, AfterValidator(_iban)]
    bic: Annotated[str, AfterValidator(_bic)] = ""
    purpose: Annotated[str, Field(max_length=140)] = ""  # remittance text put in the QR code

    @model_validator(mode="after")
    def _fits_the_qr_code(self) -> Bank:
        """The EPC QR code's own limits (name 70 characters, one line each, 331 bytes), checked here so the
        page that draws it cannot fail."""
        epc_payload(name=self.holder, iban=self.iban, bic=self.bic, purpose="CHAR", text=self.purpose)
        return self


class Parcel(Schema):
    address: Annotated[Address, Field(min_length=1)]  # several lines
    note: str = ""  # what to write on the parcel


class Tax(Schema):
    scheme: Literal[tuple(TAX_RATES)] = "none"  # type: ignore[valid-type]
    ceiling: Annotated[Decimal, Field(ge=0)] = AID_CEILING  # the 75 % band's ceiling, in euros
    amounts: list[Annotated[int, Field(gt=0)]] = [int(a) for a in DEFAULT_AMOUNTS]


class Donate(Schema):
    url: HttpsUrl = ""  # the main donation link: every donate button falls back to it
    links: list[Link] = []
    bank: Bank | None = None
    wishlist: Link | None = None  # a shop's list of essentials
    parcel: Parcel | None = None
    tax: Tax = Tax()
    utm: dict[Literal["source", "medium", "campaign", "term", "content"], str] = {}


class Contact(Schema):
    name: Text
    role: str = ""
    email: Annotated[str, Field(pattern=r"^$|^[^@\s<>\"'`]+@[^@\s<>\"'`]+\.[A-Za-z]{2,}$")] = ""
    phone: Annotated[str, Field(pattern=r"^[0-9 +().\-]*$")] = ""


def _video(value: str) -> str:
    """A file in docs/ (no scheme) or an https:// player: never http:, data: or javascript:."""
    if ":" in value.split("/", 1)[0]:
        if message := check_link(value):
            raise Invalid(message)
        return value
    return _in_docs(value)


def _relative(value: str) -> str:
    """A path that stays in its folder as written: relative, without .. (links out are checked on disk)."""
    parts = PurePosixPath(value.replace("\\", "/")).parts
    if _rooted(value) or ".." in parts:
        raise Invalid(msg("{path!r} must be a path inside its folder: relative, without .. or a leading /", path=value))
    return value


def _rooted(value: str) -> bool:
    return value.startswith(("/", "\\", "~")) or bool(re.match(r"[A-Za-z]:", value)) or "\x00" in value


def _in_docs(value: str) -> str:
    """A press file, relative to docs_dir; .. may reach docs/ from docs/en/ (checked on disk: read_settings)."""
    if _rooted(value):
        raise Invalid(msg("{path!r} must be a path in docs/, relative to docs_dir, without a leading /", path=value))
    return value


Inside = Annotated[str, AfterValidator(_relative)]
InDocs = Annotated[str, AfterValidator(_in_docs)]


def _language(value: str) -> str:
    """A language Babel knows (the stories' language marks untranslated text: lang="…")."""
    if value:
        try:
            Locale.parse(value.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise Invalid(msg("{code!r} is not a known language code, e.g. fr, en or pt-BR", code=value)) from None
    return value


class Press(Schema):
    release: InDocs = "press/release.md"  # in docs/; release.<lang>.md beside it adds that language's PDF
    coverage: InDocs = "press/coverage.yml"  # in docs/: the media coverage ("ils en parlent")
    embargo: IsoDate | None = None  # the release's embargo date: the build warns before it
    publish_before_embargo: Annotated[bool, Field(strict=True)] = True  # false: no PDF, ZIP, release until then
    contacts: list[Contact] = []
    video: Annotated[str, AfterValidator(_video)] = ""  # a file in docs/, or an https:// player loaded on click
    video_poster: InDocs = ""  # image file in docs/, shown before the video plays
    credits: str = ""  # image rights, shown on the press page, in the PDF and in the ZIP


# Names the zone database answers to that are no place's zone: the build machine's own setting (localtime, a
# link to /etc/localtime), the database's defaults (posixrules) and its "zone not set yet" (Factory). A site
# built with them would tell other hours on another machine.
NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_PLACES


def _timezone(value: str) -> str:
    if value in NOT_PLACES or value.startswith(("posix/", "right/")):
        raise Invalid(msg("{zone!r} is not a place's time zone: the build machine's or the zone database's own "
                          "setting; write one such as Europe/Paris", zone=value))  # fmt: skip
    try:
        ZoneInfo(value)
        known = value in _zones()
    except (ZoneInfoNotFoundError, ValueError):
        known = False
    if not known:
        close = [zone for zone in sorted(_zones()) if zone.casefold() == value.casefold()]  # europe/paris
        hint = msg(" (did you mean {name}?)", name=close[0]) if close else ""
        raise Invalid(msg("unknown time zone {zone!r}{hint}: write one such as Europe/Paris", zone=value, hint=hint))
    return value


class Settings(Schema):
    name: Text  # the campaign's name
    organisation: Text
    kind: Literal["charity", "makers"] = "charity"  # makers: products made close to home and who makes them
    timezone: Annotated[str, AfterValidator(_timezone)] = "Europe/Paris"  # of the events' local times
    tagline: str = ""
    badge: str = ""  # shown on every testimony, where a shop says "verified purchase"
    stories: Inside = "stories"  # in the project, outside docs/ (checked on disk by read_settings)
    language: Annotated[str, AfterValidator(_language)] = ""  # the stories' language, if not theme.language's
    translations: dict[str, Inside] = {}  # language -> its MkDocs config, built into site/<language>/
    about: str = ""  # the organisation's boilerplate, one paragraph
    urgent: Annotated[int, Field(strict=True, ge=0)] = 5  # a need of this priority or a lower one is urgent
    donate: Donate = Donate()
    press: Press = Press()
    admin: Admin | None = None  # the online editor at site/admin/: none unless set

    @field_validator("translations")
    @classmethod
    def _language_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for lang in value:
            if not re.fullmatch(LANG, lang):
                raise Invalid(msg("{code!r} is not a language code such as en or pt-BR", code=lang))
        return value


def kind_and_stories(raw: object, root: Path, problems: Iterable[Problem] = ()) -> tuple[str, str]:
    """The campaign's kind and stories folder when another setting is wrong (``read_settings`` gave no
    ``Settings``): each as written if it is valid on its own and none of ``problems`` names it, else its
    default. One wrong setting is then the only problem said, and a makers campaign's stories are read as a
    makers' (read as a charity's, every maker and account would add problems of their own)."""
    named = {str(p.message.value("key", "")) for p in problems}
    found = []
    for key in ("kind", "stories"):
        value = Settings.model_fields[key].default
        if isinstance(raw, dict) and raw.get(key) is not None and f"extra.campaign.{key}" not in named:
            with contextlib.suppress(ValidationError):  # validated by the very field, alone
                value = getattr(Settings.model_validate({"name": "-", "organisation": "-", key: raw[key]}), key)
        found.append(value)
    kind, stories = found
    if not (root / stories).resolve().is_relative_to(root.resolve()):  # a link out: never followed
        stories = Settings.model_fields["stories"].default
    return kind, stories


def read_settings(
    config_file: Path,
    raw: object,
    docs: Path | None = None,
    theme_language: str | None = None,
    theme_knows: Callable[[str], bool] | None = None,
) -> tuple[Settings | None, list[Problem]]:
    """Validate ``raw`` (the ``extra.campaign`` mapping of ``config_file``); with ``docs`` (the docs_dir),
    also where its paths lead on disk; with ``theme_language``, that the theme knows it (``theme_knows``)."""
    label = config_file.name
    lines: dict[tuple, int] = {}
    with contextlib.suppress(OSError, UnicodeDecodeError, YamlProblem):  # compose only, tags allowed: MkDocs
        index_lines(compose(config_file.read_text(encoding="utf-8"), strict=False), (), lines, label)  # !!python
    doc = Document(label, {}, "", 0, lines)
    problems: list[Problem] = []
    if theme_language is not None and theme_knows and not theme_knows(theme_language):
        problems.append(error(label, doc.line("theme", "language"),
                              "theme.language: {code!r} is not a language the theme knows, e.g. fr or en",
                              code=theme_language))  # fmt: skip
    if not isinstance(raw, dict):
        return None, [
            *problems,
            error(label, doc.line("extra", "campaign"), "extra.campaign must hold the campaign's settings"),
        ]
    settings, found = validate(Settings, doc, data=raw, at=("extra", "campaign"))
    problems += found
    if settings:
        problems += _on_disk(settings, config_file, docs, doc, theme_language)
    return (None if any(p.is_error for p in problems) else settings), problems


class _Report:
    """The problems of paths under ``extra.campaign``, each at its key's line."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def __call__(self, message: Msg, *key: str) -> None:
        where = ("extra", "campaign", *key)
        self.problems.append(
            error(self.doc.path, self.doc.line(*where), "{key}: {reason}", key=".".join(where), reason=message)
        )


def _on_disk(
    settings: Settings, config_file: Path, docs: Path | None, doc: Document, language: str | None
) -> list[Problem]:
    """Paths that are well written but lead out of their folder through a link, or to the wrong place."""
    root = config_file.parent.resolve()
    report = _Report(doc)
    _stories_on_disk(settings.stories, root, docs, report)
    if docs is not None:
        _press_on_disk(settings.press, root, docs, report)
    _translations_on_disk(settings.translations, config_file, root, language, report)
    return report.problems


def _stories_on_disk(folder: str, root: Path, docs: Path | None, report: _Report) -> None:
    """The stories: a folder of the project, outside docs/ (which is published as it is)."""
    stories = (root / folder).resolve()
    if not stories.is_relative_to(root):
        report(msg("{path} leads out of the project (a symbolic link): keep the stories in it", path=folder), "stories")
    elif docs is not None and stories.is_relative_to(docs.resolve()):
        report(
            msg(
                "{path} is inside docs_dir, which MkDocs publishes as it is (people without consent included): "
                "move it out of docs/",
                path=folder,
            ),
            "stories",
        )
    elif stories.exists() and not stories.is_dir():
        report(msg("{path} is {kind}, not a folder", path=folder, kind=kind_of(stories)), "stories")


def _press_on_disk(press: Press, root: Path, docs: Path, report: _Report) -> None:
    """The press kit's files: files in docs/."""
    # docs/ itself, also for a translation whose docs_dir is docs/en/ and shares docs/press/coverage.yml
    inner = Path(os.path.relpath(docs.resolve(), root))
    base = root / inner.parts[0] if inner.parts and inner.parts[0] != ".." else docs.resolve()
    video_file = press.video and check_link(press.video) is not None  # not an https:// player: a file
    for key, value in (
        ("release", press.release),
        ("coverage", press.coverage),
        ("video", press.video if video_file else ""),
        ("video_poster", press.video_poster),
    ):
        path = (docs / value).resolve()
        if value and not path.is_relative_to(base):
            report(
                msg("{path} leads out of {folder}/: keep the file in it", path=value, folder=base.name), "press", key
            )
        elif value and path.exists() and not path.is_file():
            report(msg("{path} is {kind}, not a file", path=value, kind=kind_of(path)), "press", key)


def _translations_on_disk(
    translations: dict[str, str], config_file: Path, root: Path, language: str | None, report: _Report
) -> None:
    """Each translation's config: another file of the project, which MkDocs' own loader can read."""
    for lang, file in translations.items():
        path = (config_file.parent / file).resolve()
        if path == config_file.resolve() and lang == language:  # a translated config inherits the list
            continue
        if path == config_file.resolve():
            report(msg("{path} is this very config: a translation is another config file, e.g. mkdocs.{lang}.yml",
                       path=file, lang=lang), "translations", lang)  # fmt: skip
        elif not path.is_relative_to(root):
            report(msg("{path} leads out of the project (a symbolic link)", path=file), "translations", lang)
        elif not path.is_file():
            report(msg("{path} not found", path=file), "translations", lang)
        else:
            report.problems += check_config(path, root)


def check_config(config_file: Path, root: Path | None = None) -> list[Problem]:
    """What MkDocs' own YAML loader (PyYAML, YAML 1.1) would crash on before Vitrine sees a value: a date
    that is not in the calendar (2026-02-30) or a number longer than Python reads (4,300 digits).

    Composes only (tags are not run) and constructs each plain number and date alone, as MkDocs would."""
    label = (
        config_file.relative_to(root).as_posix() if root and config_file.is_relative_to(root) else (config_file.name)
    )
    try:
        node = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return [error(label, None, "cannot be read ({reason})", reason=str(exc))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [
            error(
                label,
                mark.line + 1 if mark else None,
                "is not valid YAML: {reason}",
                reason=str(getattr(exc, "problem", exc)),
            )
        ]
    except RecursionError:
        return [error(label, None, "is nested too deeply")]
    problems: list[Problem] = []
    loader = yaml.SafeLoader("")
    stack: list[tuple[yaml.Node | None, tuple]] = [(node, ())]
    while stack:
        item, where = stack.pop()
        if isinstance(item, yaml.MappingNode):
            stack += [(v, (*where, k.value if isinstance(k, yaml.ScalarNode) else "?")) for k, v in item.value]
        elif isinstance(item, yaml.SequenceNode):
            stack += [(v, (*where, i)) for i, v in enumerate(item.value)]
        elif isinstance(item, yaml.ScalarNode) and item.tag.endswith((":int", ":float", ":timestamp")):
            try:
                loader.construct_object(item)
            except (ValueError, OverflowError):
                key = dotted(where) or "value"
                if item.tag.endswith(":timestamp"):
                    reason = msg("{day} is not a day of the calendar", day=item.value)
                else:
                    reason = msg(
                        "number of {length:,} characters is too long: put it in quotes if it is text",
                        length=len(item.value),
                    )
                problems.append(error(label, item.start_mark.line + 1, "{key}: {reason}", key=key, reason=reason))
    loader.dispose()
    return sorted(problems)
