"""Read one Markdown file with YAML front matter, keeping line numbers.

The split between front matter and body is two regular expressions (python-
frontmatter's shifted every line after a blank first line); PyYAML's node tree
gives every key and list item its line, so a validation error points at
``path:line``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, error

MAX_BYTES = 1_000_000  # a story is a few kB; anything larger is a mistake


class YamlLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so a date that does not exist
    (2026-02-30) becomes a validation message, not a crash in the parser.

    Hostile or broken front matter must end in a message, never a traceback or
    a hang: aliases are refused (``&a`` / ``*a`` can nest a list into billions
    of items, or into itself), keys are kept as the text written (``1:`` is the
    key "1"), and an over-long number is a message."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (& and *) are not supported", mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        mapping = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a key must be a word, e.g. name"
                raise yaml.constructor.ConstructorError(None, None, message, key_node.start_mark)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: Any) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise yaml.constructor.ConstructorError(None, None, "number is too long", node.start_mark) from None


YamlLoader.add_constructor("tag:yaml.org,2002:int", YamlLoader.construct_yaml_int)


# Booleans as YAML 1.2 has them: only true and false. YAML 1.1 also read yes/no/on/off, so an
# editor's `origin: NO` (Norway) would have become False.
_BOOL = "tag:yaml.org,2002:bool"
YamlLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL)]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


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


_CLOSE = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


def read_document(file: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Parse ``file``; on failure return no document and the problems."""
    if file.is_symlink():  # a link could publish any file of the machine building the site
        return None, [error(label, None, "is a symbolic link: copy the file here instead")]
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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = re.match(r"-{3,}[ \t]*\n", text)
    if not start:
        return None, [error(label, 1, "must start with front matter: a --- line, the keys, then another --- line")]
    close = _CLOSE.search(text, start.end())
    if not close:
        return None, [error(label, 1, "front matter is not closed: add a --- line after the keys")]
    # head starts with the first line's newline, so a YAML mark's line + 1 is the file's line
    head, body = "\n" + text[start.end() : close.start()], text[close.end() :]
    try:
        loader = YamlLoader(head)
    except yaml.reader.ReaderError as exc:  # a control character; the reader checks the whole text at once
        line = head[: exc.position].count("\n") + 1
        return None, [error(label, line, f"front matter: remove the invisible character #x{exc.character:04x}")]
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as exc:
        line, reason = _yaml_problem(exc)
        return None, [error(label, line, f"front matter: {reason}")]
    except RecursionError:
        return None, [error(label, 2, "front matter is nested too deeply")]
    finally:
        loader.dispose()
    if not isinstance(meta, dict):
        return None, [error(label, 2, "front matter must be a list of `key: value` lines")]
    lines: dict[tuple, int] = {}
    problems = index_lines(node, (), lines, label) if node is not None else []
    body_line = head.count("\n") + 2
    return Document(label, meta, body.lstrip("\n"), body_line, lines), problems


def _yaml_problem(exc: yaml.YAMLError) -> tuple[int, str]:
    """PyYAML's line and reason, said in an editor's words where we know them."""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    reason = getattr(exc, "problem", None) or "is not valid YAML"
    context = getattr(exc, "context", None) or ""
    if tag := re.match(r"could not determine a constructor for the tag '(?:tag:yaml\.org,2002:)?(.*)'", reason):
        reason = f"the tag !!{tag[1]} is not supported: write plain text"
    elif reason == "mapping values are not allowed here":
        reason = 'a value holds ": ": put it in quotes, e.g. name: "A: B"'
    elif "'\\t'" in reason:
        reason = "indent with spaces, not tabs"
    elif "quoted scalar" in context and context_mark:
        mark, reason = context_mark, "a quote is not closed"
    elif "flow sequence" in context and context_mark:
        mark, reason = context_mark, "a [ is not closed by ]"
    elif "flow mapping" in context and context_mark:
        mark, reason = context_mark, "a { is not closed by }"
    return (mark.line + 1 if mark else 1), reason


def dotted(loc: tuple) -> str:
    """``images[2].alt``: list items counted from 1, as an editor counts."""
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def index_lines(node: yaml.Node, loc: tuple, lines: dict[tuple, int], label: str) -> list[Problem]:
    """Record each key's and item's line; report keys given twice."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            k = (*loc, key.value)
            if k in lines:
                problems.append(error(label, key.start_mark.line + 1, f"{dotted(k)} is given twice"))
            lines[k] = key.start_mark.line + 1
            problems += index_lines(value, k, lines, label)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            problems += index_lines(item, (*loc, i), lines, label)
    return problems
