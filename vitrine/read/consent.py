"""A person's consent (contract v1.2): the day they agreed to publication, the day it lapses, and its scope.

Without a consent, before it starts and from the day it lapses the person is held: left out with their
testimonies, a notice that never fails a build; a consent that is not a date is an error. A consented person
may withhold parts of what they gave (``withhold``: photo, origin, occupation, story): the reader drops those
when it builds the model, so no page, card, PDF or index downstream can show them. In a charity campaign a
name with more than an initial after the first name is a warning, unless it is one the person chose
(``full_name: true``): the people who testify are often exiled, and a surname can find them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vitrine.core.errors import Problem, error, hold, msg, warning
from vitrine.read.document import Document
from vitrine.read.schema import NoSuchDay, parse_date

if TYPE_CHECKING:  # pragma: no cover
    from vitrine.read.model import Person
    from vitrine.read.reader import _Reader

# Where ``vitrine withdraw`` moves a person's bundle: beside stories/, never read by a build, never published,
# and ignored by git in a new campaign (a withdrawn person's data must not reach a public repository either).
WITHDRAWN = "withdrawn"


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


# A word that reads as a surname: letters only, two or more (Khalil, Al-Hassan, N'Diaye); an initial (K., J.-P.)
# or a remark in brackets ("(exemple)") is none
_SURNAME = re.compile(r"[^\W\d_]+([-'’][^\W\d_]+)*")


def full_name(doc: Document, meta: Any) -> list[Problem]:
    """A warning when ``name`` has more than an initial after the first name and the person did not choose to
    publish their full name (``full_name: true``). The name itself is not in the message: build logs are kept."""
    later = meta.name.split()[1:]
    if meta.full_name or not any(_SURNAME.fullmatch(word) and sum(map(str.isalpha, word)) > 1 for word in later):
        return []
    return [warning(doc.path, doc.line("name"), "name looks like a full name: publish the first name and an "
                    "initial (e.g. Amina K.), or write full_name: true if the person chose to publish it")]  # fmt: skip


def keep_only_published(reader: _Reader, folder: Path, person: Person | None) -> None:
    """Drop a left-out person's translations, and the parts a published one withheld from theirs; the memo
    forgets the files that hold what is not published (their text, their withheld facts), so a deployed cache
    keeps nothing of theirs: those few files are read again at each build."""
    index = reader.label(folder / "index.md")
    inside = reader.label(folder) + "/"
    withheld = person.withheld if person else frozenset()
    for key in [k for k in reader.translations if k[0].startswith(inside)]:
        if person is None:
            del reader.translations[key]
        elif key[0] == index and withheld:
            found = reader.translations[key]
            reader.translations[key] = replace(
                found, html="" if "story" in withheld else found.html,
                photo_alt="" if "photo" in withheld else found.photo_alt,
                fields={k: v for k, v in found.fields.items() if k not in withheld},
            )  # fmt: skip

    def own(label: str) -> bool:  # all their files when left out, else their profile and its translations
        return label.startswith(inside) and (person is None or label[len(inside) :].startswith("index."))

    if reader.memo is not None and (person is None or withheld):
        reader.memo.forget(own)
