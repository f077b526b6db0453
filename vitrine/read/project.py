"""A campaign's folder as the engine needs it, read from ``mkdocs.yml`` without MkDocs.

``vitrine check`` and ``vitrine new`` work from here, so they run where MkDocs is not installed and
never start a build. Tags that only MkDocs understands (``!ENV``, ``!!python/name:``) read as absent:
the settings Vitrine checks are plain YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vitrine.core import assets
from vitrine.core.errors import Problem, error, msg, verbatim

CONFIG = "mkdocs.yml"
THEME = assets.THEME
DEFAULT_EXTENSIONS = ["toc", "tables", "fenced_code"]  # what MkDocs always adds to Markdown


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads any tag as absent instead of refusing the file."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    config: dict[str, Any]
    docs_dir: Path
    language: str  # theme.language: the site's main language
    campaign: object  # extra.campaign, as written
    extensions: list[str] = field(default_factory=list)  # Markdown extensions, as MkDocs would load them
    extension_configs: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.config_file.relative_to(self.root).as_posix()

    @property
    def folders(self) -> list[Path]:
        """The campaign's own folders, which no build may replace: docs, stories and overrides."""
        return own_folders(self.root, self.docs_dir, self.campaign, self.config.get("theme"))


def own_folders(root: Path, docs_dir: Path, campaign: object, theme: object) -> list[Path]:
    """docs_dir, the stories folder (``extra.campaign.stories``) and the theme's ``custom_dir``, as written."""
    stories = campaign.get("stories") if isinstance(campaign, dict) else None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    return [docs_dir, root / str(stories or "stories"), root / str(custom or "overrides")]


def _read_yaml(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ConfigLoader)  # a SafeLoader: tags read as None
    return data if isinstance(data, dict) else {}


def _inherit(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The config with its ``INHERIT`` parent merged under it, as MkDocs does (mappings merged deeply)."""
    data = _read_yaml(path)
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str) and (base := (path.parent / parent).resolve()) not in seen and base.is_file():
        return _merge(_inherit(base, (*seen, path.resolve())), data)
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merge(merged[key], value) if both else value
    return merged


def read_project(root: Path, config: str = CONFIG) -> tuple[Project | None, list[Problem]]:
    """Read ``root/config``; no Project, and the reason, when it cannot be read."""
    config_file = root / config
    if not config_file.is_file():
        return None, [error(config, None, "not found in {folder}: is this a campaign's folder?", folder=str(root))]
    try:
        data = _inherit(config_file)
    except (OSError, ValueError, yaml.YAMLError) as exc:  # ValueError: undecodable, or a number too long
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None)
        reason = verbatim(problem) if problem else msg("cannot be read ({reason})", reason=str(exc))
        return None, [error(config, mark.line + 1 if mark else None, reason)]
    theme = data["theme"] if isinstance(data.get("theme"), dict) else {}
    extensions: list[str] = list(DEFAULT_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    for item in data.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) and item else (item, None)
        if isinstance(name, str) and name not in extensions:
            extensions.append(name)
        if isinstance(name, str) and isinstance(options, dict):
            configs[name] = options
    extra = data["extra"] if isinstance(data.get("extra"), dict) else {}
    project = Project(
        root=root, config_file=config_file, config=data, docs_dir=root / str(data.get("docs_dir") or "docs"),
        language=str(theme.get("language") or "en"), campaign=extra.get("campaign", {}),
        extensions=extensions, extension_configs=configs,
    )  # fmt: skip
    return project, []
