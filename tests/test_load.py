"""The loader on the good fixture: model, order, consent gating, links."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

from conftest import FIXTURES

from vitrine.read import load as load_module
from vitrine.read.load import Memo, load

GOOD = FIXTURES / "good"


def loaded():
    return load(GOOD, "stories")


def test_people_products_and_testimonies() -> None:
    result = loaded()
    campaign = result.campaign
    assert set(campaign.people) == {"amina-k", "yusuf-d"}
    assert set(campaign.products) == {"savon", "bache", "cafe"}
    assert len(campaign.testimonies) == 4
    amina = campaign.people["amina-k"]
    assert amina.name == "Amina K." and amina.consent == date(2026, 5, 2)
    assert amina.photo and amina.photo.alt == "Portrait illustré sur fond ocre"
    assert amina.photo.webp_max == 960 and campaign.products["savon"].images[0].webp_max is None  # portraits only
    assert "<strong>Elle</strong>" in amina.html


def test_consent_gating_is_one_hold_and_leaves_everything_out() -> None:
    result = loaded()
    assert [str(p) for p in result.problems] == [
        "stories/people/sans-accord/index.md:1: held: no consent written yet: this person and their testimonies are "
        "left out until a consent date is added"
    ]
    assert not result.errors
    assert all(t.person != "sans-accord" for t in result.campaign.testimonies)


def test_product_page_order_featured_then_newest_then_undated() -> None:
    campaign = loaded().campaign
    assert [t.person for t in campaign.by_product["savon"]] == ["amina-k", "yusuf-d"]
    assert campaign.by_product["savon"][0].featured
    assert [t.product for t in campaign.by_person["amina-k"]] == ["savon", "bache"]
    assert campaign.by_product["cafe"][0].date is None


def test_figures_are_computed_from_the_stories() -> None:
    campaign = loaded().campaign
    figures = campaign.figures
    assert figures["people"] == 2 and figures["testimonies"] == 4 and figures["products"] == 3
    assert figures["needed"] == 200 + 40 + 100
    assert figures["remaining"] == 150 + 0 + 0
    assert figures["cost_to_fulfil"] == Decimal("1.5") * 150
    assert campaign.products["bache"].fulfilled and campaign.products["cafe"].fulfilled
    assert not campaign.products["savon"].fulfilled


def test_wishlist_groups_by_category_uncategorised_last() -> None:
    groups = loaded().campaign.wishlist
    assert [category for category, _ in groups] == ["Hygiène", "Abri", ""]
    assert [p.slug for p in groups[-1][1]] == ["cafe"]


def test_translations_replace_bodies_and_fields_and_the_rest_says_its_language() -> None:
    from conftest import ROOT

    from vitrine.plan.localize import localize

    result = load(ROOT, "stories")
    english = localize(result.campaign, result.translations, "en", "fr")
    riaz = english.people["riaz-a"]
    assert riaz.occupation == "mathematics teacher" and riaz.lang == ""
    assert "taught mathematics" in riaz.html
    untranslated = next(p for slug, p in english.people.items() if (p.path, "en") not in result.translations)
    assert untranslated.lang == "fr" and untranslated.html == result.campaign.people[untranslated.slug].html
    assert localize(result.campaign, result.translations, "fr", "fr") is result.campaign


# --- the memo: read over all cores first, then in order ------------------------------------------------------


def test_prefetched_stories_read_the_same_and_are_kept(tmp_path, monkeypatch) -> None:
    """A cold build parses and renders every story in worker processes first; what the reading then finds
    must be what it would have read itself, problems of broken files included, and the memo is saved."""
    project = tmp_path / "p"
    shutil.copytree(GOOD, project)
    broken = project / "stories/people/amina-k/cassé.md"
    broken.write_bytes(b"---\nrating: [1\n---\n\xff\xfe not UTF-8\n")
    (project / "stories/people/yusuf-d/mauvais.md").write_text("---\nrating: 9\nproduct: savon\n---\nTexte.\n")
    markdown = (["toc"], {})
    plain = load(project, "stories", load_module.renderer(*markdown))

    memo = Memo(project / "memo.pickle", "x")
    memo.prefetch(project, project / "stories", markdown, workers=2, chunk=2)
    assert len(memo.documents) >= 10 and memo.html and memo.changed
    read = []
    original = load_module.read_document
    monkeypatch.setattr(load_module, "read_document", lambda *a: read.append(a) or original(*a))
    fetched = load(project, "stories", load_module.renderer(*markdown), memo=memo)
    assert read == []  # every story came from the workers
    assert fetched.campaign == plain.campaign and [str(p) for p in fetched.problems] == [str(p) for p in plain.problems]
    assert any("cassé.md" in str(p) for p in plain.problems) and any("mauvais.md" in str(p) for p in plain.problems)
    memo.save()
    again = Memo(project / "memo.pickle", "x")
    assert again.documents.keys() == memo.kept[0].keys() and again.html  # saved: the next build reads none
