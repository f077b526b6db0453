"""The package's data folders, in one place: they stay at the package's root, whichever layer reads them."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # vitrine/
FONTS = PACKAGE / "fonts"  # Vitrine's own fonts: share cards, the press-kit PDF, example pictures
LOCALES = PACKAGE / "locales"  # Vitrine's message catalogs
THEME = PACKAGE / "theme"  # Vitrine's Material templates and assets, searched after a campaign's custom_dir
TEMPLATES = PACKAGE / "templates"  # the press-kit PDF's kit.html and kit.css: not the site's theme
SCAFFOLD = PACKAGE / "scaffold"  # what `vitrine new` writes
DATA = PACKAGE / "data"  # the map of France's departments
