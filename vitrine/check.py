"""``vitrine check``: every problem of a campaign, as a build would report it, without building.

Reads the settings, the stories and the press kit's files with the same readers as a build; images are
found and named but not encoded, no page is rendered and nothing is written, so it answers in well under
a second: fit for an editor's save, a pre-commit hook or a CI step before the real build.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem
from .load import load
from .markup import renderer
from .presskit import read_kit
from .project import read_project
from .settings import Press, read_settings


def check(root: Path, config: str = "mkdocs.yml") -> list[Problem]:
    """Every problem of the campaign in ``root``, sorted by file and line."""
    project, problems = read_project(root, config)
    if project is None:
        return problems
    settings, found = read_settings(project.config_file, project.campaign)
    problems += found
    render = renderer(project.extensions, project.extension_configs)
    kind = settings.kind if settings else "charity"
    problems += load(root, settings.stories if settings else "stories", render, kind).problems
    docs_label = Path(os.path.relpath(project.docs_dir, root)).as_posix()
    name = settings.name if settings else str(project.config.get("site_name", ""))
    press = settings.press if settings else Press()
    problems += read_kit(project.docs_dir, docs_label, press, name, project.language, render)[1]
    return sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message))
