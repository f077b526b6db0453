"""Read one Markdown file with YAML front matter, keeping line numbers.

The split between front matter and body is two regular expressions (python-
frontmatter's shifted every line after a blank first line). The front matter
is YAML 1.2 (ruamel.yaml, core schema): its node tree gives every key and list
item its line, so a validation error points at ``path:line``, and the values
are built here from that tree, so what an editor can write stays small: text,
numbers, true/false, lists and mappings; no tags, no aliases, dates as text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import yaml as libyaml  # PyYAML (MkDocs' own), for its C parser only: see _compose_plain
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, ComposerError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.reader import Reader, ReaderError

from vitrine.core.errors import Msg, Problem, error, msg, verbatim

MAX_BYTES = 1_000_000  # a story is a few kB; anything larger is a mistake
MAX_DEPTH = 40  # front matter is a few levels deep: deeper is a mistake, or an attack on the parser
MAX_DIGITS = 30  # longer numbers are no quantity, price or rating an editor means

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1033-core-schema) for plain, untagged values.
# Dates are not in it: they stay text, so 2026-02-30 becomes a message, not a parser crash.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL = {
    f"{sign}{inf}": -math.inf if sign == "-" else math.inf
    for sign in ("", "+", "-")
    for inf in (".inf", ".Inf", ".INF")
} | {nan: math.nan for nan in (".nan", ".NaN", ".NAN")}


# What only the strict reader handles, with its messages: tags (!), anchors and aliases (& *), characters YAML
# forbids. Any nesting level opens with one of [ { - : ?, so fewer than PLAIN_LEVELS of them bound the depth
# far below where libyaml's recursive composer would crash (at about 100,000 levels).
_STRICT_ONLY = re.compile(r"[!&*]|" + Reader.NON_PRINTABLE.pattern)
_OPENERS = re.compile(r"[\[{:?-]")
PLAIN_LEVELS = 1000
NESTED = msg("nested too deeply")


class Mark(Protocol):
    @property
    def line(self) -> int: ...  # from 0


class Node(Protocol):
    """A node of ruamel's tree or of libyaml's (PyYAML's), read alike: by ``id``, not by class."""

    @property
    def id(self) -> str: ...  # "scalar", "sequence" or "mapping"

    @property
    def value(self) -> Any: ...  # the text, the items, or the (key, value) pairs

    @property
    def start_mark(self) -> Mark: ...

    @property
    def style(self) -> str | None: ...  # how a scalar is written: None or "" when plain


class YamlProblem(Exception):
    """Front matter (or another YAML file) that cannot be read: a line and an editor's reason."""

    def __init__(self, line: int, reason: Msg) -> None:
        super().__init__(str(reason))
        self.line, self.reason = line, reason


class _Composer(Composer):
    """ruamel's composer, refusing what front matter never needs and an attacker loves: aliases (``*a`` can
    nest a list into billions of items, or into itself) and explicit tags (``!!python/object``)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise ComposerError(None, None, "anchors and aliases (& and *) are not supported", event.start_mark)
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)) and event.tag not in (None, "!"):
            tag = event.tag.removeprefix("tag:yaml.org,2002:")
            shown = f"!!{tag}" if event.tag != tag else tag
            raise ComposerError(None, None, f"the tag {shown} is not supported: write plain text", event.start_mark)
        return super().compose_node(parent, index)


def _compose_plain(text: str) -> tuple[bool, Node | None]:
    """(True, node tree) by libyaml's C parser, ten times faster than the pure-Python one (10,000 stories:
    0.2 s instead of 2.5 s), for front matter that can hold no tag, alias or forbidden character and few
    levels; (False, None) to leave it to the strict reader, as every text that fails here is (for its message).

    libyaml reads YAML 1.1, but only the node tree is taken from it: values are read by ``scalar`` as 1.2."""
    if not libyaml.__with_libyaml__ or _STRICT_ONLY.search(text) or len(_OPENERS.findall(text)) >= PLAIN_LEVELS:
        return False, None
    try:
        # cast: each of libyaml's node classes has its id (the stubs' base class has none)
        node = cast("Node | None", libyaml.compose(text, Loader=libyaml.CSafeLoader))
    except Exception:  # the strict reader gives its own message, the same whichever parser saw it first
        return False, None
    stack = [(node, 0)]
    while stack:  # deeper than MAX_DEPTH: the strict reader says so
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False, None
        if item is not None and item.id != "scalar":
            children = [v for pair in item.value for v in pair] if item.id == "mapping" else item.value
            stack += [(child, depth + 1) for child in children]
    return True, node


def compose(text: str, strict: bool = True) -> Node | None:
    """The YAML 1.2 node tree of ``text`` (None when empty); ``strict`` refuses tags and aliases.

    Raises YamlProblem with the line (of ``text``, from 1) and an editor's reason."""
    if strict:
        done, node = _compose_plain(text)
        if done:
            return node
    yaml = YAML(typ="safe", pure=True)
    yaml.max_depth = MAX_DEPTH
    if strict:
        yaml.Composer = _Composer
    try:
        return yaml.compose(text)
    except ReaderError as exc:  # a control character; the reader checks the whole text at once
        line = text[: exc.position].count("\n") + 1
        raise YamlProblem(line, msg("remove the invisible character #x{code:04x}", code=exc.character)) from None
    except MarkedYAMLError as exc:
        if "maximum depth" in str(exc.problem):
            raise YamlProblem(exc.problem_mark.line + 1 if exc.problem_mark else 1, NESTED) from None
        raise YamlProblem(*_yaml_problem(exc)) from None
    except YAMLError as exc:
        raise YamlProblem(1, verbatim(str(exc)) if str(exc) else msg("is not valid YAML")) from None
    except RecursionError:
        raise YamlProblem(1, NESTED) from None


def construct(node: Node | None) -> Any:
    """Plain Python values from a node tree: dict (text keys), list, str, int, float, bool, None."""
    if node is None:
        return None
    if node.id == "mapping":  # by id, not class: the tree comes from ruamel or from libyaml
        mapping = {}
        for key, value in node.value:
            if key.id != "scalar":
                raise YamlProblem(key.start_mark.line + 1, msg("a key must be a word, e.g. name"))
            mapping[key.value] = construct(value)  # the text written: `1:` is the key "1"
        return mapping
    if node.id == "sequence":
        return [construct(item) for item in node.value]
    return scalar(node)


def scalar(node: Node) -> Any:
    """A scalar as YAML 1.2's core schema reads it; quoted values are always text."""
    text = node.value
    if node.style:  # quoted or a block (| >): text as written; plain is None (ruamel) or "" (libyaml)
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if text in _SPECIAL:
        return _SPECIAL[text]
    number = _INT.fullmatch(text) or _OCT.fullmatch(text) or _HEX.fullmatch(text) or _FLOAT.fullmatch(text)
    if not number:
        return text
    if len(text) > MAX_DIGITS:
        raise YamlProblem(node.start_mark.line + 1, msg("number is too long"))
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    return int(text) if _INT.fullmatch(text) else float(text)


def load_yaml(text: str) -> tuple[Node | None, Any]:
    """Node tree and values of ``text``; raises YamlProblem."""
    node = compose(text)
    try:
        return node, construct(node)
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops it first
        raise YamlProblem(1, NESTED) from None


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


def kind_of(path: Path) -> Msg:
    """What a path that is not a regular file is, in an editor's words."""
    if path.is_dir():
        return msg("a folder")
    if path.is_file():
        return msg("a file")
    if path.is_fifo():
        return msg("a named pipe (FIFO)")
    if path.is_socket():
        return msg("a socket")
    if path.is_block_device() or path.is_char_device():
        return msg("a device")
    return msg("missing") if not path.exists() else msg("not a regular file")


_CLOSE = re.compile(r"^-{3,}[ \t]*$", re.MULTILINE)


def read_document(file: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Parse ``file``; on failure return no document and the problems."""
    if file.is_symlink():  # a link could publish any file of the machine building the site
        return None, [error(label, None, "is a symbolic link: copy the file here instead")]
    if not file.is_file():  # a FIFO would block the build forever on read
        return None, [error(label, None, "is {kind}, not a text file", kind=kind_of(file))]
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [error(label, None, "cannot be read ({reason})", reason=exc.strerror)]
    if len(raw) > MAX_BYTES:
        return None, [
            error(label, None, "is {size:,} bytes: a story must stay under {limit:,}", size=len(raw), limit=MAX_BYTES)
        ]
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
        node, meta = load_yaml(head)
    except YamlProblem as exc:
        if exc.reason == NESTED:
            return None, [error(label, 2, "front matter is nested too deeply")]
        return None, [error(label, exc.line, "front matter: {reason}", reason=exc.reason)]
    meta = {} if node is None else meta
    if not isinstance(meta, dict):
        return None, [error(label, 2, "front matter must be a list of `key: value` lines")]
    lines: dict[tuple, int] = {}
    problems = index_lines(node, (), lines, label) if node is not None else []
    stripped = body.lstrip("\n")
    # the first newline ends the closing --- line; the others are blank lines before the body's first line
    body_line = head.count("\n") + 1 + body.count("\n", 0, len(body) - len(stripped))
    return Document(label, meta, stripped, body_line, lines), problems


def _yaml_problem(exc: MarkedYAMLError) -> tuple[int, Msg]:
    """The parser's line and reason, said in an editor's words where we know them (else the parser's own)."""
    problem_mark, context_mark = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    problem = getattr(exc, "problem", None) or ""
    context = getattr(exc, "context", None) or ""
    reason = verbatim(problem) if problem else msg("is not valid YAML")
    if problem == "mapping values are not allowed here":
        reason = msg('a value holds ": ": put it in quotes, e.g. name: "A: B"')
    elif "'\\t'" in problem:
        reason = msg("indent with spaces, not tabs")
    elif problem.startswith("the tag ") and problem.endswith(": write plain text"):  # _Composer's own
        reason = msg("the tag {tag} is not supported: write plain text", tag=problem.split()[2])
    elif problem.startswith("anchors and aliases"):
        reason = msg("anchors and aliases (& and *) are not supported")
    elif "quoted scalar" in context and context_mark:
        mark, reason = context_mark, msg("a quote is not closed")
    elif "flow sequence" in context and context_mark:
        mark, reason = context_mark, msg("a [ is not closed by ]")
    elif "flow mapping" in context and context_mark:
        mark, reason = context_mark, msg("a {{ is not closed by }}")
    return (mark.line + 1 if mark else 1), reason


def dotted(loc: tuple) -> str:
    """``images[2].alt``: list items counted from 1, as an editor counts."""
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


def index_lines(node: Node | None, loc: tuple, lines: dict[tuple, int], label: str) -> list[Problem]:
    """Record each key's and item's line; report keys given twice."""
    problems: list[Problem] = []
    if node is None:
        return problems
    if node.id == "mapping":
        for key, value in node.value:
            if key.id != "scalar":
                continue
            k = (*loc, key.value)
            if k in lines:
                problems.append(error(label, key.start_mark.line + 1, "{key} is given twice", key=dotted(k)))
            lines[k] = key.start_mark.line + 1
            problems += index_lines(value, k, lines, label)
    elif node.id == "sequence":
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            problems += index_lines(item, (*loc, i), lines, label)
    return problems
