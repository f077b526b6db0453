"""Names in URLs and files: what a story's folder and file may be called, and a slug made from any name."""

from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # a person's, product's or event's folder or file name
TRANSLATION = re.compile(r"(?P<stem>[^.]+)\.(?P<lang>[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*)\.md")  # savon.en.md


def slugify(name: str, default: str = "my-slug") -> str:
    """A slug for a name: a suggestion for a bad folder or file name, a file name for the press kit."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower())) or default
