"""The reading of ``stories/``: every bundle checked against the others, every problem collected.

``vitrine.read.load`` runs it (``load``), with the stories' memo (``load.Memo``) when it has one: a file the
memo holds is neither parsed nor rendered again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vitrine.core.errors import Msg, Problem, error, msg, warning
from vitrine.core.slugs import SLUG, TRANSLATION, slugify
from vitrine.read import events as event_files
from vitrine.read.consent import consent as consent_of
from vitrine.read.document import Document, kind_of, read_document
from vitrine.read.makers import (
    CHARITY_ONLY,
    AccountMeta,
    MakerMeta,
    MakerProductMeta,
    MakerTranslationMeta,
    charity_keys,
    rating_key,
)
from vitrine.read.markup import MarkupProblem
from vitrine.read.model import PORTRAIT_WIDTH, Campaign, Image, Person, Product, Testimony
from vitrine.read.schema import LANG, PersonMeta, ProductMeta, TestimonyMeta, TranslationMeta, focus_point, validate

if TYPE_CHECKING:  # pragma: no cover
    from vitrine.read.load import Memo

RESERVED = {"index"}  # a bundle of that name would take the place of its section's page
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp"}


@dataclass(frozen=True)
class Translation:
    """A translated body (and name or title) of a person, product or testimony."""

    html: str
    name: str = ""  # person's name, or product or testimony title
    photo_alt: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # origin, occupation, category: where translated


@dataclass
class Loaded:
    campaign: Campaign
    problems: list[Problem]
    translations: dict[tuple[str, str], Translation] = field(default_factory=dict)  # (path, lang) -> body
    changes: list[tuple[date, Msg]] = field(default_factory=list)  # days the stories change the site by themselves

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class _Reader:
    def __init__(self, root: Path, stories: Path, render: Callable[[str], str], kind: str, today: date) -> None:
        self.root, self.stories, self.render, self.today = root, stories, render, today
        self.kind = kind
        self.memo: Memo | None = None
        self.render_unkept = render  # a held person's texts: checked, never kept in the memo (vitrine.build.sweep)
        self.listings: dict[Path, list[str]] = {}  # a folder's file names, listed once (not once per testimony)
        self.translated: dict[tuple[Path, str], list[str]] = {}  # (folder, stem) -> its <stem>.<lang>.md names
        self.problems: list[Problem] = []
        self.suggested: set[Path] = set()  # files offered as "did you mean"
        self.translations: dict[tuple[str, str], Translation] = {}
        self.outputs: dict[Path, dict[str, str]] = {}  # bundle -> file name -> its output name
        self.held: dict[str, str | None] = {}  # people held (consent): slug -> the day it ends, if known
        self.changes: list[tuple[date, Msg]] = []  # a consent that starts or lapses later: the site changes then

    def names(self, folder: Path) -> list[str]:
        """The folder's file names, sorted, listed once per build (a person's folder holds their testimonies)."""
        if folder not in self.listings:
            self.listings[folder] = sorted(p.name for p in folder.iterdir())
        return self.listings[folder]

    def label(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def read(self) -> Loaded:
        if not self.stories.is_dir():
            self.problems.append(
                error(self.label(self.stories), None, "folder not found: it holds people/ and products/")
            )
            return Loaded(Campaign({}, {}, ()), self.problems)
        for path in sorted(self.stories.iterdir()):
            if path.name not in ("people", "products", event_files.FOLDER) and not path.name.startswith("."):
                self.problems.append(
                    warning(self.label(path), None, "unknown file: stories/ holds people/ and products/")
                )
        products = {p.slug: p for p in map(self.product, self.bundles("products")) if p}
        people: dict[str, Person] = {}
        testimonies: list[Testimony] = []
        for folder in self.bundles("people"):
            person, theirs = self.person(folder, products)
            if person:
                people[person.slug] = person
                testimonies += theirs
        events = event_files.read(self, people)
        self.problems.sort(key=lambda p: (p.path, p.line or 0))
        campaign = Campaign(people, products, tuple(testimonies), events, self.kind)
        return Loaded(campaign, self.problems, self.translations, self.changes)

    def bundles(self, kind: str) -> list[Path]:
        """The bundle folders of ``stories/<kind>``, with bad names reported."""
        base = self.stories / kind
        if not self.folder(base):
            return []
        folders, names = [], {p.name for p in base.iterdir()}
        for path in sorted(base.iterdir()):
            if path.name.startswith("."):
                continue
            if path.is_symlink():
                self.folder(path)  # said, as a linked story file is
            elif not path.is_dir():
                self.problems.append(
                    warning(self.label(path), None, "unknown file: {kind}/ holds one folder each", kind=kind)
                )
            elif path.name in RESERVED:
                self.problems.append(
                    error(
                        self.label(path),
                        None,
                        "folder name {name!r} is reserved: {kind}/index is the "
                        "page listing all {kind}; rename the folder",
                        name=path.name,
                        kind=kind,
                    )
                )
            elif not SLUG.fullmatch(path.name):
                twin = path.name.lower() if path.name.lower() in names else None
                hint = msg("; it differs from {twin} only by case", twin=twin) if twin else ""
                self.problems.append(error(self.label(path), None, "folder name {name!r} is not a slug: use lowercase "
                                           "letters, digits and hyphens, e.g. {slug}{hint}", name=path.name,
                                           slug=slugify(path.name), hint=hint))  # fmt: skip
            else:
                folders.append(path)
        return folders

    def folder(self, path: Path) -> bool:
        """Whether ``path`` is a folder to read (absent: nothing there). A symbolic link in its place is an error,
        as a linked story file is (a link could publish any folder of the machine building the site), and so is
        a file: what it should hold is never dropped without a word."""
        if path.is_symlink():
            self.problems.append(error(self.label(path), None, "is a symbolic link: copy the folder here instead"))
            return False
        if path.exists() and not path.is_dir():
            self.problems.append(error(self.label(path), None, "is {kind}, not a folder", kind=kind_of(path)))
            return False
        return path.is_dir()

    def body(self, doc: Document, kept: bool = True) -> str | None:
        """The body as safe HTML, or None with an error when Markdown cannot render it within bounds; not
        ``kept`` in the memo for a held person's (their rendered text leaves the cache with their pictures)."""
        try:
            return (self.render if kept else self.render_unkept)(doc.body)
        except MarkupProblem as exc:
            self.problems.append(error(doc.path, doc.body_line + exc.line - 1, exc.reason))
            return None

    def document(self, path: Path) -> Document | None:
        label = self.label(path)
        doc, problems = self.memo.document(path, label) if self.memo else read_document(path, label)
        self.problems += problems
        return doc

    def image(
        self, doc: Document, folder: Path, src: str, alt: str, key: tuple, focus: str | None, credit: str = ""
    ) -> Image | None:
        """An image named in front matter: a file of this very bundle (``focus``: its checked focus point,
        ``credit``: who took it)."""
        plain = src not in (".", "..") and len(src.encode()) <= 255 and not re.search(r"[/\\\x00-\x1f\x7f]", src)
        path = folder / src
        if plain and path.is_symlink():  # a link could publish any picture of the machine building the site
            self.problems.append(error(doc.path, doc.line(*key), "{key} {src!r} is a symbolic link: copy the picture "
                                       "here instead", key=key[0], src=src))  # fmt: skip
        elif not plain or path.resolve().parent != folder.resolve():
            where = doc.line(*key)
            self.problems.append(
                error(doc.path, where, "{key} {src!r} must be a file in this folder", key=key[0], src=src)
            )
        elif path.exists() and not path.is_file():  # a folder named cafe.jpg, a FIFO: say what it is
            self.problems.append(error(doc.path, doc.line(*key), "{key} {src!r} is {kind}, not an image", key=key[0],
                                       src=src, kind=kind_of(path)))  # fmt: skip
        elif not path.is_file():
            known = [p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES]
            close = difflib.get_close_matches(src, known, n=1)
            hint = msg(" (did you mean {name}?)", name=close[0]) if close else ""
            self.suggested.update(folder / name for name in close)  # not "unknown" too: one message is enough
            self.problems.append(error(doc.path, doc.line(*key), "{key} {src!r} not found{hint}", key=key[0], src=src,
                                       hint=hint))  # fmt: skip
        else:
            kind = folder.parent.name
            name = f"{kind}/{folder.name}/{self.output_name(folder, path.name)}"
            webp_max = PORTRAIT_WIDTH if kind == "people" else None
            return Image(path, self.label(path), name, alt, webp_max, focus_point(focus), credit.strip())
        return None

    def output_name(self, folder: Path, name: str) -> str:
        """A URL-safe output stem for a picture, unique in its bundle: cafe.jpg and cafe.gif stay two pictures
        (cafe, cafe-gif), and a name with spaces or commas cannot break a srcset."""
        taken = self.outputs.setdefault(folder, {})
        if name in taken:  # the same file named twice: one picture
            return taken[name]
        stem, _, ext = name.rpartition(".") if "." in name.lstrip(".") else (name, "", "")
        candidates = [slugify(stem, "image"), slugify(f"{stem}-{ext}", "image")]
        candidates += [f"{candidates[-1]}-{n}" for n in range(2, len(taken) + 3)]
        out = next(c for c in candidates if c not in taken.values())
        taken[name] = out
        return out

    def unknown_files(self, folder: Path, known: set[str], images: bool = True) -> None:
        """Warn about files nobody names; ``images=False`` when the front matter that
        names them has errors: those are reported, and its images are not unknown."""
        for path in map(folder.joinpath, self.names(folder)):
            if path.name in known or path.name.startswith(".") or path in self.suggested:
                continue
            if images or path.suffix.lower() not in IMAGE_SUFFIXES:
                self.problems.append(warning(self.label(path), None, "unknown file: not named by any front matter"))

    def translation_files(self, folder: Path, stem: str, known: set[str], kept: bool = True) -> None:
        """Read ``<stem>.<lang>.md`` files next to a story (``kept``: see ``body``)."""
        # what glob("<stem>.*.md") finds, narrowed to names whose first part is the stem: a stem with a dot
        # has no translation (TRANSLATION's stem has none), so nothing is missed
        if (folder, "") not in self.translated:
            self.translated[(folder, "")] = []
            for name in self.names(folder):
                if name.endswith(".md") and name.count(".") >= 2:
                    self.translated.setdefault((folder, name.split(".", 1)[0]), []).append(name)
        for name in self.translated.get((folder, stem), []):
            path = folder / name
            match = TRANSLATION.fullmatch(path.name)
            if not match or match["stem"] != stem or not re.fullmatch(LANG, match["lang"]):
                continue
            known.add(path.name)
            doc = self.document(path)
            schema = MakerTranslationMeta if self.kind == "makers" else TranslationMeta
            meta, problems = validate(schema, doc) if doc else (None, [])
            self.problems += problems
            if doc and meta and (html := self.body(doc, kept)) is not None:
                original = self.label(folder / f"{stem}.md")
                keys = ("origin", "occupation", "category", "craft")
                fields = {k: getattr(meta, k) for k in keys if getattr(meta, k, "")}
                self.translations[(original, match["lang"])] = Translation(
                    html, meta.name or meta.title, meta.photo_alt, fields
                )

    def product(self, folder: Path) -> Product | None:
        known = {"index.md"}
        index = folder / "index.md"
        if not index.is_file():
            self.problems.append(error(self.label(folder), None, "product folder has no index.md"))
            return None
        doc = self.document(index)
        if self.kind == "makers":
            meta, problems = validate(MakerProductMeta, doc, exclude=CHARITY_ONLY) if doc else (None, [])
            problems += charity_keys(doc) if doc else []
        else:
            meta, problems = validate(ProductMeta, doc) if doc else (None, [])
        self.problems += problems
        images: list[Image] = []
        if doc and meta:  # meta comes from doc
            for i, item in enumerate(meta.images):
                known.add(item.src)
                image = self.image(doc, folder, item.src, item.alt, ("images", i, "src"), item.focus, item.credit)
                images += [image] if image else []
        self.translation_files(folder, "index", known)
        self.unknown_files(folder, known, images=meta is not None)
        if not (doc and meta) or len(images) != len(meta.images) or (html := self.body(doc)) is None:
            return None
        return Product(
            slug=folder.name, title=meta.title, images=tuple(images), path=doc.path, html=html,
            category=meta.category, needed=meta.needed, collected=meta.collected, price=meta.price,
            donate=meta.donate, priority=meta.priority, **self.maker_fields(meta, ("made_in", "region")),
            labels=tuple(getattr(meta, "labels", ())), buy=tuple((b.label, b.url) for b in getattr(meta, "buy", ())),
        )  # fmt: skip

    @staticmethod
    def maker_fields(meta: object, keys: tuple[str, ...]) -> dict[str, Any]:  # each key's own type
        """The makers kind's keys that ``meta`` has (none in a charity campaign)."""
        return {k: getattr(meta, k) for k in keys if hasattr(meta, k)}

    def person(self, folder: Path, products: dict[str, Product]) -> tuple[Person | None, list[Testimony]]:
        known = {"index.md"}
        index = folder / "index.md"
        doc = self.document(index) if index.is_file() else None
        if not index.is_file():
            self.problems.append(error(self.label(folder), None, "person folder has no index.md"))
        schema = MakerMeta if self.kind == "makers" else PersonMeta
        meta, problems = validate(schema, doc, exclude=("consent", "consent_until")) if doc else (None, [])
        self.problems += problems
        photo = None
        if doc and meta and meta.photo:
            known.add(meta.photo)
            photo = self.image(
                doc, folder, meta.photo, meta.photo_alt or "", ("photo",), meta.photo_focus, meta.photo_credit
            )
            if meta.photo_alt is None:
                self.problems.append(error(doc.path, doc.line("photo"), "photo_alt is required with a photo"))
        consent = consent_of(self, doc, folder.name) if doc else None
        kept = consent is not None  # a held person's texts are checked, not kept in the memo
        self.translation_files(folder, "index", known, kept)
        testimonies = []
        for path in [folder / name for name in self.names(folder) if name.endswith(".md")]:  # glob("*.md")
            if path.name in known or (TRANSLATION.fullmatch(path.name) and path.name.count(".") > 1):
                continue
            known.add(path.name)
            testimony = self.testimony(path, folder.name, products, kept)
            testimonies += [testimony] if testimony else []
            self.translation_files(folder, path.stem, known, kept)
        self.unknown_files(folder, known, images=meta is not None)
        if not (doc and meta and consent) or (meta.photo and not photo) or (meta.photo and meta.photo_alt is None):
            return None, []
        if (html := self.body(doc)) is None:
            return None, []
        person = Person(
            slug=folder.name, name=meta.name, consent=consent, path=doc.path, html=html,
            photo=photo, origin=meta.origin, occupation=meta.occupation, lang=meta.lang,
            **self.maker_fields(meta, ("craft", "workshop", "place", "region", "since", "website")),
        )  # fmt: skip
        return person, testimonies

    def testimony(self, path: Path, person: str, products: dict[str, Product], kept: bool = True) -> Testimony | None:
        doc = self.document(path)
        if not doc:
            return None
        if self.kind == "makers":
            meta, problems = validate(AccountMeta, doc, exclude=("rating",))
            problems += rating_key(doc)
        else:
            meta, problems = validate(TestimonyMeta, doc)
        self.problems += problems
        product = path.stem
        if not SLUG.fullmatch(product):
            twin = path.with_name(f"{product.lower()}.md")
            differs = product != product.lower() and twin.exists()
            hint = msg("; it differs from {twin} only by case", twin=twin.name) if differs else ""
            self.problems.append(
                error(
                    doc.path,
                    None,
                    "file name {name!r} must be a product's slug, e.g. {slug}.md{hint}",
                    name=path.name,
                    slug=slugify(product),
                    hint=hint,
                )
            )
            return None
        if product not in products:
            bundle = self.stories / "products" / product
            if not bundle.is_dir():
                close = difflib.get_close_matches(product, list(products), n=1)
                hint = msg(" (did you mean {name}?)", name=close[0]) if close else ""
                self.problems.append(
                    error(
                        doc.path,
                        1,
                        "unknown product {product!r}: no folder stories/products/{product}/{hint}",
                        product=product,
                        hint=hint,
                    )
                )
            return None  # a product with errors of its own: those are reported there
        if not meta or (html := self.body(doc, kept)) is None:
            return None
        return Testimony(
            person=person, product=product, rating=getattr(meta, "rating", None), path=doc.path, html=html,
            title=meta.title, date=meta.date, featured=meta.featured, lang=meta.lang,
        )  # fmt: skip
