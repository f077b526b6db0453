"""The go-live check: what a new campaign must replace before it is published.

``vitrine new`` writes a campaign that builds at once, with examples in it: a donation link on example.org,
a press contact called ``Prénom N.``, stories named ``exemple-…``. A local build shows them (one notice);
a deploy build (``vitrine build --publish``, or any build where ``CI`` is set, as GitHub and GitLab set it)
refuses each of them at its ``path:line``, so no site goes live with example.org as its donate link.

What counts as a placeholder: the values the scaffold lists in ``scaffold/placeholders.yml`` (its one list of
texts to replace), any link or e-mail address on a domain reserved for examples (RFC 2606: example.org,
.com, .net, and the .example, .invalid, .test top-level domains), and a story bundle or event named
``exemple-…`` or ``example-…``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from vitrine.core import assets
from vitrine.core.errors import Problem, Severity, msg
from vitrine.read.model import Campaign

LISTED = assets.SCAFFOLD / "placeholders.yml"
RESERVED = re.compile(r"(?i)(?<![\w.-])(?:[\w-]+\.)*(?:example\.(?:org|com|net)|[\w-]+\.(?:example|invalid|test))"
                      r"(?![\w-])")  # fmt: skip
EXAMPLE_SLUG = re.compile(r"(?:exemple|example)(?:-|$)")
PUBLISH_VARIABLE = "CI"  # set by GitHub Actions, GitLab CI and most other CI services


def publishing(flag: bool = False) -> bool:
    """A deploy build: ``--publish`` given, or ``CI`` set to anything but empty, 0 or false."""
    return flag or os.environ.get(PUBLISH_VARIABLE, "").strip().lower() not in ("", "0", "false", "no")


def listed(file: Path = LISTED) -> tuple[str, ...]:
    """Every text the scaffold lists as a placeholder (each entry's ``value``, in every language), longest first."""
    try:
        entries = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ()
    found: set[str] = set()
    for entry in entries if isinstance(entries, list) else ():
        value = entry.get("value") if isinstance(entry, dict) else None
        texts = value.values() if isinstance(value, dict) else [value]
        found.update(text.strip() for text in texts if isinstance(text, str) and len(text.strip()) >= 4)
    return tuple(sorted(found, key=lambda text: (-len(text), text)))


def in_text(path: Path, label: str, texts: tuple[str, ...], severity: Severity, yaml_file: bool) -> list[Problem]:
    """Each line of ``path`` holding a listed text or a reserved domain (in YAML, comments aside)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    problems = []
    for number, line in enumerate(lines, 1):
        if yaml_file:
            line = re.sub(r"(^|\s)#.*", "", line)  # a comment is the scaffold's help, not the campaign's text
        found = next((text for text in texts if text in line), None) or _reserved(line)
        if found:
            problems.append(Problem(label, number, msg("placeholder {text!r}: replace it with the campaign's own "
                                                       "before publishing", text=found), severity))  # fmt: skip
    return problems


def _reserved(line: str) -> str | None:
    """The link or address around a reserved domain in ``line``, as written."""
    match = RESERVED.search(line)
    if not match:
        return None
    start = max(line.rfind(c, 0, match.start()) for c in " \t\"'<>([") + 1
    ends = [i for c in " \t\"'<>)]" if (i := line.find(c, match.end())) >= 0]
    return line[start : min(ends, default=len(line))].rstrip(".,;:")


def find(
    root: Path, configs: Iterable[Path], docs: Iterable[Path], campaign: Campaign, stories: str, publish: bool
) -> list[Problem]:
    """Every placeholder left in the settings, the hand-written pages and the stories: warnings when
    ``publish`` (a strict build fails on them), else one notice that counts them."""
    severity = Severity.WARNING if publish else Severity.NOTICE
    texts = listed()
    problems: list[Problem] = []
    for config in dict.fromkeys(configs):
        problems += in_text(config, _label(config, root), texts, severity, yaml_file=True)
    for folder in dict.fromkeys(docs):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.suffix in (".md", ".yml", ".yaml") and path.is_file() and not path.is_symlink():
                problems += in_text(path, _label(path, root), texts, severity, yaml_file=path.suffix != ".md")
    problems += _stories(root, root / stories, campaign, severity)
    if publish or not problems:
        return problems
    first = min(problems)
    return [Problem(first.path, first.line, msg("{n} placeholders of the example campaign are still here, the first "
                                                "one here: a deploy build (CI set, or vitrine build --publish) refuses "
                                                "them; vitrine check --publish lists them", n=len(problems)),
                    Severity.NOTICE)]  # fmt: skip


def _stories(root: Path, folder: Path, campaign: Campaign, severity: Severity) -> list[Problem]:
    """Example bundles and events still there (by name), and links on reserved domains in what is published."""
    problems = []
    for kind in ("people", "products", "events"):
        base = folder / kind
        for path in sorted(base.iterdir()) if base.is_dir() else ():
            if EXAMPLE_SLUG.match(path.name):
                label = _label(path / "index.md" if path.is_dir() else path, root)
                problems.append(Problem(label, None, msg("an example of the new campaign: replace it with a story of "
                                                         "the campaign's own, or delete it"), severity))  # fmt: skip
    links = [(p.path, p.donate) for p in campaign.products.values()]
    links += [(p.path, url) for p in campaign.products.values() for _, url in p.buy]
    links += [(p.path, p.website) for p in campaign.people.values()]
    links += [(e.path, e.url) for e in campaign.events]
    for where, url in links:  # in an example bundle, said once above
        if url and _reserved(url) and not any(EXAMPLE_SLUG.match(part) for part in Path(where).parts):
            problems += in_text(root / where, where, (url,), severity, yaml_file=True)[:1]
    return problems


def _label(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()
