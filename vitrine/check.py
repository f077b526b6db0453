"""``vitrine check``: every problem of a campaign, as a build would report it, without building.

Reads the settings, the stories and the press kit's files with the same readers as a build; images are
found and named but not encoded, no page is rendered and nothing is written, so it answers in well under
a second: fit for an editor's save, a pre-commit hook or a CI step before the real build.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from . import glyphs
from .docs import Setup, scan
from .errors import Problem
from .load import load
from .markup import renderer
from .placeholders import find as find_placeholders
from .presskit import Kit, read_kit
from .project import Project, read_project
from .settings import Press, check_config, read_settings


def host_readable(root: Path, config: str = "mkdocs.yml") -> list[Problem]:
    """What the host's own YAML reading of the config, and of each config in ``translations``, would crash on
    (a date not in the calendar, a number of thousands of digits): ``vitrine build`` says it before starting it."""
    config_file = root / config
    if not config_file.is_file():
        return []
    problems = check_config(config_file, root)
    project, _ = read_project(root, config) if not problems else (None, [])
    translations = project.campaign.get("translations", {}) if project and isinstance(project.campaign, dict) else {}
    for file in translations.values() if isinstance(translations, dict) else ():
        other = (root / str(file)).resolve()
        if other.is_file() and other.is_relative_to(root.resolve()) and other != config_file.resolve():
            problems += check_config(other, root.resolve())
    return problems


def check(root: Path, config: str = "mkdocs.yml", publish: bool = False) -> list[Problem]:
    """Every problem of the campaign in ``root``, sorted by file and line; with ``publish``, each placeholder
    of the example campaign is a warning, as in a deploy build (else one notice counts them)."""
    problems = host_readable(root, config)
    if problems:  # MkDocs itself would stop on these, with a traceback: say them first, and only them
        return problems
    project, problems = read_project(root, config)
    if project is None:
        return problems
    settings, found = read_settings(project.config_file, project.campaign, project.docs_dir, project.language)
    problems += found
    render = renderer(project.extensions, project.extension_configs)
    kind = settings.kind if settings else "charity"
    stories = settings.stories if settings else "stories"
    loaded = load(root, stories, render, kind)
    problems += loaded.problems
    translations = [root / str(file) for file in (settings.translations.values() if settings else ())]
    configs = [project.config_file, *(c for c in translations if c.is_file() and c != project.config_file)]
    translated = _translations(root, configs[1:])
    docs = [project.docs_dir, *(other.docs_dir for other in translated)]
    problems += find_placeholders(root, configs, docs, loaded.campaign, stories, publish)
    docs_label = Path(os.path.relpath(project.docs_dir, root)).as_posix()
    name = settings.name if settings else str(project.config.get("site_name", ""))
    press = settings.press if settings else Press()
    problems += read_kit(project.docs_dir, docs_label, press, name, project.language, render)[1]
    kits = _kits(root, [project, *translated], press, name, render)
    for other, kit in kits:  # what each language's docs/ would publish, checked as a build checks it
        markdown, setup = (other.extensions, other.extension_configs), Setup.of(other.config)
        problems += scan(root, other.docs_dir, other.config_file, setup, markdown, kit.sources).problems
    labels = [(kit, Path(os.path.relpath(other.docs_dir, root)).as_posix()) for other, kit in kits]
    problems += glyphs.check(root, glyphs.texts(loaded, settings, labels, project.label))
    return sorted(set(problems), key=lambda p: p.sort_key)


def _kits(
    root: Path, projects: list[Project], press: Press, name: str, render: Callable[[str], str]
) -> list[tuple[Project, Kit]]:
    """Each language's docs/ (once) and its press kit, whose release and coverage are the kit's to read: what
    ``vitrine.docs`` checks as a build does, encoding nothing, and what the PDF shows."""
    kits: dict[Path, tuple[Project, Kit]] = {}
    for project in projects:
        if project.docs_dir not in kits:  # a translation that keeps the main docs/
            label = Path(os.path.relpath(project.docs_dir, root)).as_posix()
            kits[project.docs_dir] = project, read_kit(project.docs_dir, label, press, name, project.language,
                                                       render)[0]  # fmt: skip
    return list(kits.values())


def _translations(root: Path, configs: list[Path]) -> list[Project]:
    """Each translation's config (mkdocs.en.yml) read as MkDocs would, its docs_dir (docs/en/) resolved."""
    projects = [read_project(root, os.path.relpath(config, root))[0] for config in configs]
    return [project for project in projects if project is not None]
