"""HTML to PDF with WeasyPrint, confined to local files, and its messages sorted.

WeasyPrint needs the system's Pango, loaded when it is imported: it is imported here, on first use, so a
machine without Pango gets one clear line naming the packages to install (``PdfUnavailable``), checked
before anything is written. WeasyPrint's messages are of two kinds: about the document (a refused or
missing image, a CSS rule it rejects: a real problem) and about the machine (a library it falls back
from, such as HarfBuzz-Subset: a hint, never a content problem, never cached with a PDF).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import logging
import re
import shutil
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlsplit

from vitrine.core.cache import Namespace, atomic, write_atomic
from vitrine.core.errors import Msg, msg

VARIANT = "pdf/ua-1"  # the accessible PDF: WeasyPrint's tagged variant
# What a Debian (or Ubuntu) machine needs for the PDF; libharfbuzz-subset0 only makes it faster.
PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
# Messages about the machine, not the document: (pattern, the hint logged once instead).
MACHINE = (
    (re.compile(r"HarfBuzz-Subset"), msg("this machine has no libharfbuzz-subset0: WeasyPrint subsets the PDF's "
                                         "fonts with fontTools instead (slower, same result); `apt-get install "
                                         "libharfbuzz-subset0` speeds it up")),
)  # fmt: skip


def _no_pango(failure: OSError) -> Msg:
    return msg("the press-kit PDF needs the Pango library, which this machine lacks ({reason}): install it with "
               "`apt-get install {packages}` (Debian, Ubuntu) or your system's Pango package", reason=str(failure),
               packages=PACKAGES)  # fmt: skip


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine (no Pango): the message says what to install."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


@cache
def weasyprint() -> ModuleType:
    """WeasyPrint, imported once; its import-time notices about the machine are kept out of the log."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*HarfBuzz-Subset.*")
            import weasyprint as module
    except OSError as exc:  # cffi could not open libpango, libgobject…
        raise PdfUnavailable(_no_pango(exc)) from None
    return module


# The system libraries WeasyPrint opens when imported, by the names it tries (weasyprint/text/ffi.py).
LIBRARIES = (("libgobject-2.0-0", "gobject-2.0-0", "gobject-2.0", "libgobject-2.0.so.0", "libgobject-2.0.0.dylib"),
             ("libpango-1.0-0", "pango-1.0-0", "pango-1.0", "libpango-1.0.so.0", "libpango-1.0.dylib"),
             ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib"),
             ("libfontconfig-1", "fontconfig-1", "fontconfig", "libfontconfig.so.1", "libfontconfig.1.dylib"),
             ("libpangoft2-1.0-0", "pangoft2-1.0-0", "pangoft2-1.0", "libpangoft2-1.0.so.0",
              "libpangoft2-1.0.dylib"))  # fmt: skip


def check_available() -> Msg | None:
    """None when WeasyPrint can run here, else the line that says what to install.

    Opens the libraries as WeasyPrint would, without importing it: the import takes 1-4 s, which a warm
    build, whose PDF comes from the cache, never needs."""
    if importlib.util.find_spec("weasyprint") is None:
        return msg("the press-kit PDF needs WeasyPrint: install Vitrine with its dependencies (pip install -e .)")
    import cffi

    ffi = cffi.FFI()
    for names in LIBRARIES:
        for name in names:
            try:
                ffi.dlopen(name)
                break
            except OSError as exc:
                failure = exc
        else:
            return _no_pango(failure)
    return None


# Messages that say again, glyph by glyph, what ``vitrine.media.glyphs`` said once before the build: a character no
# font of this machine draws (a hint about the machine, never a document problem, never cached with a PDF).
SAID = (re.compile(r"\.notdef glyph rendered for Unicode string unsupported by fonts"),)


def machine_hint(message: str) -> Msg | None:
    """The hint for a message about the machine, or None for a message about the document."""
    return next((hint for pattern, hint in MACHINE if pattern.search(message)), None)


class Messages(logging.Handler):
    """WeasyPrint's warnings and errors while it renders one document, sorted by kind."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.document: list[str] = []  # real problems: reported, and cached with the PDF
        self.machine: list[Msg] = []  # hints about this machine: logged once, never cached

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if any(pattern.search(message) for pattern in SAID):
            return
        hint = machine_hint(message)
        if not hint:
            self.document.append(message)
        elif hint not in self.machine:
            self.machine.append(hint)


def local_fetcher(roots: Iterable[Path]) -> Any:
    """WeasyPrint's fetcher, confined: ``file:`` inside ``roots`` and ``data:``; no network, ever."""
    allowed = tuple(Path(r).resolve() for r in roots)

    fetcher: Any = weasyprint().urls.URLFetcher  # WeasyPrint has no types: a base class of unknown type

    class LocalFetcher(fetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if not any(path.is_relative_to(root) for root in allowed):
                    raise ValueError(f"refused: {path} is outside the project's folders")
            elif scheme != "data":
                raise ValueError(f"refused: the press kit reads local files only, not {url[:80]}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols={"file", "data"}, timeout=1)


def write_pdf(html: str, base_url: str, roots: Iterable[Path], out: str | Path) -> Messages:
    """Lay out ``html`` and write the PDF to ``out``; return WeasyPrint's messages, sorted."""
    module = weasyprint()
    document = module.HTML(string=html, base_url=base_url, url_fetcher=local_fetcher(roots))
    messages, logger = Messages(), logging.getLogger("weasyprint")
    logger.addHandler(messages)
    try:
        # Tagged for screen readers (structure, reading order, each image's alt text, language, title): PDF/UA-1.
        # pdf_tags given too: a variant fills in only the options left at None, and pdf_tags defaults to False.
        document.render().write_pdf(out, pdf_variant=VARIANT, pdf_tags=True)
    finally:
        logger.removeHandler(messages)
    return messages


def version() -> str:
    return importlib.metadata.version("weasyprint")  # without importing it (see check_available)


VERSION = 2  # of the cache's pdf namespace: bump when the same HTML, stylesheets and fonts make another PDF


class Kept:
    """A PDF laid out before, in the cache's ``pdf`` folder by the key of what it shows (``<key>.pdf``), with its
    messages about the document (``<key>.json``, written first: a PDF there always has its messages)."""

    def __init__(self, folder: Path, digest: str) -> None:
        namespace = Namespace(folder, VERSION)
        self.pdf = folder / f"{namespace.key(digest)}.pdf"

    def copy(self, out: Path) -> list[str] | None:
        """The PDF copied to ``out`` and its messages, or None when the cache does not hold it whole."""
        try:
            messages = json.loads(self.pdf.with_suffix(".json").read_text(encoding="utf-8"))
            if not self.pdf.is_file() or not isinstance(messages, list):
                return None
            shutil.copyfile(self.pdf, out)
        except (OSError, ValueError):
            return None
        return [str(message) for message in messages]

    def keep(self, out: Path, messages: list[str]) -> None:
        """``out``, just laid out, and its messages, for the next build (two builds at once share the cache)."""
        write_atomic(self.pdf.with_suffix(".json"), json.dumps(messages).encode())
        with atomic(self.pdf) as part:  # an interrupted copy must never become a cache hit
            shutil.copyfile(out, part)
