"""Read one Markdown file with YAML front matter, keeping line numbers.

python-frontmatter splits the file; PyYAML's node tree gives every key and
list item its line, so a validation error can point at ``path:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import Problem, error

MAX_BYTES = 1_000_000  # a story is a few kB; anything larger is a mistake


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a date that does not exist
    (2026-02-30) becomes a validation message, not a crash in the parser."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    path: str  # as shown in messages
    meta: dict[str, Any]
    body: str
    body_line: int
    lines: dict[tuple, int] = field(default_factory=dict)  # key path -> line

    def line(self, *loc: Any) -> int:
        """Line of the deepest known part of ``loc`` (key, then list index…)."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1


_SPLIT = YAMLHandler()


def read_document(file: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Parse ``file``; on failure return no document and the problems."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [error(label, None, f"cannot be read ({exc.strerror})")]
    if len(raw) > MAX_BYTES:
        return None, [error(label, None, f"is {len(raw):,} bytes: a story must stay under {MAX_BYTES:,}")]
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark from a Windows editor is harmless
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(label, line, "is not UTF-8 text: save it with the UTF-8 encoding")]
    if not text.strip():
        return None, [error(label, None, "is empty")]
    text = text.replace("\r\n", "\n")
    if not re.match(r"-{3,}[ \t]*\n", text):
        return None, [error(label, 1, "must start with front matter: a --- line, the keys, then another --- line")]
    try:
        head, body = _SPLIT.split(text)
    except ValueError:
        return None, [error(label, 1, "front matter is not closed: add a --- line after the keys")]
    loader = _Loader(head)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = getattr(exc, "problem", None) or "is not valid YAML"
        return None, [error(label, mark.line + 1 if mark else 1, f"front matter: {reason}")]
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        return None, [error(label, 2, "front matter must be a list of `key: value` lines")]
    lines: dict[tuple, int] = {}
    problems = _index(node, (), lines, label) if node is not None else []
    body_line = head.count("\n") + 2
    return Document(label, meta, body.lstrip("\n"), body_line, lines), problems


def _index(node: yaml.Node, loc: tuple, lines: dict[tuple, int], label: str) -> list[Problem]:
    """Record each key's and item's line; report keys given twice."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = (*loc, key.value)
            if k in lines:
                problems.append(error(label, key.start_mark.line + 1, f"{key.value} is given twice"))
            lines[k] = key.start_mark.line + 1
            problems += _index(value, k, lines, label)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            problems += _index(item, (*loc, i), lines, label)
    return problems
