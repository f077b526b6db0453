"""``vitrine check``: every problem of a campaign, as a build would report it, without building.

It is the build's own reading: the engine (``engine.run(check=True)``) reads the settings of every language,
the stories, the press kit's files and the images as a build does, and the checks a build makes before it
starts (``preflight``) are these very ones; images the cache does not know yet are decoded, not encoded, no
page is rendered and nothing is written. Warm, it answers in well under a second: fit for an editor's save, a
pre-commit hook or a CI step before the real build.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path

from vitrine.build import publish
from vitrine.build.engine import Language, run
from vitrine.core.errors import Problem, error
from vitrine.media.docs import Setup
from vitrine.press import pdf
from vitrine.read.project import THEME, Project, read_project
from vitrine.read.settings import check_config


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
    languages = [_language(project, "")]
    translations = project.campaign.get("translations") if isinstance(project.campaign, dict) else None
    for lang, file in translations.items() if isinstance(translations, dict) else ():
        other, _ = read_project(root, str(file)) if (root / str(file)).is_file() else (None, [])
        if other is not None and lang != project.language:  # a missing one is said with the settings
            languages.append(_language(other, f"{lang}/"))
    site_dir = root / str(project.config.get("site_dir") or "site")
    problems += preflight(root, project.label, _theme(project).get("name"), site_dir, project.folders, True)
    plan = run(root, languages, (project.extensions, project.extension_configs), publish=publish, check=True)
    return sorted(set(problems + list(plan.problems)), key=lambda p: p.sort_key)


def preflight(
    root: Path, label: str, theme: object, site_dir: Path | None, folders: Iterable[Path], needs_pdf: bool
) -> list[Problem]:
    """What a build checks before it reads anything else: the theme Vitrine's templates extend, a site folder
    it may replace (``publish.unsafe_site``), a machine that can lay out the press-kit PDF."""
    problems = []
    if theme != "material":
        problems.append(error(label, None, "theme.name must be material (Vitrine's templates extend Material), "
                              "not {name}", name=str(theme)))  # fmt: skip
    if site_dir is not None and (unsafe := publish.unsafe_site(site_dir, root, folders)):
        problems.append(error(label, None, "site_dir: {reason}", reason=unsafe))
    if needs_pdf and (missing := pdf.check_available()):
        problems.append(error(label, None, missing))
    return problems


def _theme(project: Project) -> dict:
    theme = project.config.get("theme")
    return theme if isinstance(theme, dict) else {"name": theme}


def _language(project: Project, prefix: str) -> Language:
    """One language of the campaign as the engine takes it, with the theme's folders MkDocs would search (for
    the interface languages it has); without Material installed, none: theme.language is then not checked."""
    material = importlib.util.find_spec("material")
    custom = _theme(project).get("custom_dir")
    dirs = [project.root / str(custom)] if custom else []
    dirs += [THEME, Path(material.origin).parent / "templates"] if material and material.origin else []
    return Language(lang=project.language, config=project.config_file, campaign=project.campaign,
                    docs_dir=project.docs_dir, site_name=str(project.config.get("site_name") or ""), prefix=prefix,
                    theme_dirs=tuple(dirs), docs=Setup.of(project.config))  # fmt: skip
