"""One campaign, read in another language.

Translations sit next to the stories (``index.en.md``, ``<product>.en.md``).
A page in English shows the English body where one exists, else the original
marked with its own language, so screen readers pronounce it right.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from vitrine.read.model import Campaign


def localize(campaign: Campaign, translations: dict[tuple[str, str], Any], lang: str, source: str) -> Campaign:
    """``campaign`` as seen by a reader of ``lang``; ``source`` is the stories' language."""
    if lang.split("-")[0] == source.split("-")[0]:
        return campaign

    def find(path: str) -> Any:
        return translations.get((path, lang)) or translations.get((path, lang.split("-")[0]))

    def swap(item: Any, name_field: str) -> Any:
        found = find(item.path)
        if not found:
            return replace(item, lang=item.lang or source)
        changes = {"html": found.html, "lang": "", **{k: v for k, v in found.fields.items() if hasattr(item, k)}}
        if found.name:
            changes[name_field] = found.name
        return replace(item, **changes)

    people = {slug: swap(p, "name") for slug, p in campaign.people.items()}
    for slug, person in people.items():
        found = find(person.path)
        if found and found.photo_alt and person.photo:
            people[slug] = replace(person, photo=replace(person.photo, alt=found.photo_alt))
    return Campaign(
        people=people,
        products={slug: swap(p, "title") for slug, p in campaign.products.items()},
        testimonies=tuple(swap(t, "title") for t in campaign.testimonies),
        events=tuple(swap(e, "title") for e in campaign.events),
        kind=campaign.kind,
    )
