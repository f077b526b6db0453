"""A story's text to its fields and body, and back, changing only what the editor changed.

Files stay the editors' own: writing a story back over its old text replaces only the lines of the keys whose
value changed (found from the YAML nodes' marks, not guessed), so comments, quoting, key order, blank lines,
line endings and a byte-order mark survive; a new key goes at the end of the front matter. A new story is
written in the house style (``vitrine.edit.style``). The front matter is read by Vitrine's own reader
(``vitrine.read.document``), so the editor sees exactly the values the build sees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, cast

from vitrine.edit import style
from vitrine.read.document import YamlProblem, compose, construct

_FENCE = re.compile(r"-{3,}[ \t]*")  # the reader's own --- lines (read_document)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BOM = "\ufeff"


class _Mark(Protocol):
    @property
    def line(self) -> int: ...  # from 0

    @property
    def column(self) -> int: ...  # from 0


class Node(Protocol):
    """A node of either tree the reader composes (ruamel's or libyaml's): both mark where it starts and ends."""

    @property
    def id(self) -> str: ...

    @property
    def value(self) -> Any: ...

    @property
    def style(self) -> str | None: ...

    @property
    def start_mark(self) -> _Mark: ...

    @property
    def end_mark(self) -> _Mark: ...


@dataclass(frozen=True, kw_only=True)
class Story:
    fields: dict[str, Any]  # the front matter as JSON values; dates as their text
    body: str  # the Markdown after the front matter and its blank lines, with \n line ends


@dataclass(frozen=True)
class _Parsed:
    """A story's text cut into lines (each with its own line end), and its front matter's node tree."""

    bom: str
    lines: list[str]
    close: int  # the index of the closing --- line
    node: Node | None  # a node's mark line is its index in ``lines``
    story: Story

    @property
    def newline(self) -> str:
        return self.lines[0][len(_content(self.lines[0])) :] or "\n"


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _parse(text: str) -> _Parsed:
    bom = _BOM if text.startswith(_BOM) else ""  # as the reader's utf-8-sig decoding drops it
    lines = _LINE.findall(text[len(bom) :])
    if not lines or not _FENCE.fullmatch(_content(lines[0])) or lines[0] == _content(lines[0]):
        raise ValueError("a story must start with a --- line")
    close = next((i for i in range(1, len(lines)) if _FENCE.fullmatch(_content(lines[i]))), 0)
    if not close:
        raise ValueError("the front matter is not closed: add a --- line after the keys")
    # the leading newline stands for the opening --- line, so a node's mark line is its line's index
    try:
        node = cast("Node | None", compose("".join(["\n", *(_content(line) + "\n" for line in lines[1:close])])))
        fields = construct(node) if node is not None else {}
    except YamlProblem as exc:
        raise ValueError(f"front matter, line {exc.line}: {exc.reason}") from None
    if not isinstance(fields, dict):
        raise ValueError("the front matter must be `key: value` lines")
    body = "".join(_content(line) + "\n" if line != _content(line) else line for line in lines[close + 1 :])
    return _Parsed(bom, lines, close, node, Story(fields=fields, body=body.lstrip("\n")))


def load(text: str) -> Story:
    """A story's text as its fields and body; ValueError when its front matter cannot be read."""
    return _parse(text).story


def _body(body: str) -> str:
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body + "\n" if body and not body.endswith("\n") else body


def dump(fields: Mapping[str, Any], body: str, *, old: str | None = None, order: Sequence[str] = ()) -> str:
    """The text to write: a new story in the house style, or ``old`` with only what changed rewritten.

    A value of None, "" or [] is no key. New keys come in ``order`` (the contract's), unknown ones after."""
    new = style.clean(dict(fields))
    if old is None:
        keys = style.ordered(list(new), order)
        head = [line for key in keys for line in style.pair_lines(style.key_text(key), new[key], 0)]
        text = "\n".join(["---", *head, "---", ""])
        return text + ("\n" + _body(body) if body else "")
    parsed = _parse(old)
    same_fields = style.same(style.clean(parsed.story.fields), new)
    same_body = body.replace("\r\n", "\n").replace("\r", "\n") == parsed.story.body
    if same_fields and same_body:
        return old
    lines = list(parsed.lines)
    if not same_body:
        lines = _with_body(lines, parsed.close, _body(body), parsed.newline)
    if not same_fields:
        lines = _with_fields(parsed, lines, new, order)
    text = parsed.bom + "".join(lines)
    check = _parse(text).story
    if style.same(style.clean(check.fields), new) and check.body == (
        _body(body).lstrip("\n") if not same_body else parsed.story.body
    ):
        return text
    # an edit the line-level rewrite cannot express (say a |+ block before blank lines): the whole front matter
    keys = style.ordered(list(new), order)
    head = [line + parsed.newline for key in keys for line in style.pair_lines(style.key_text(key), new[key], 0)]
    return parsed.bom + "".join([lines[0], *head, *lines[parsed.close :]])


def _with_body(lines: list[str], close: int, body: str, newline: str) -> list[str]:
    """``lines`` with the body replaced, keeping the blank lines that part it from the front matter."""
    start = close + 1
    while start < len(lines) and not _content(lines[start]):
        start += 1
    head = lines[:start]
    if head[-1] == _content(head[-1]):  # the file ended on the closing --- line
        head[-1] += newline
    if body and start == close + 1:
        head.append(newline)  # the house style's blank line after ---
    return head + [line + newline for line in body[:-1].split("\n")] if body else head


@dataclass(frozen=True)
class _Edit:
    first: int  # the first line replaced
    last: int  # the last line replaced (first - 1: an insertion before ``first``)
    lines: list[str]  # without line ends


def _with_fields(parsed: _Parsed, lines: list[str], new: dict[str, Any], order: Sequence[str]) -> list[str]:
    """``lines`` with the front matter's changed keys rewritten, their line ends the file's own."""
    node = parsed.node
    if node is None:  # no key yet (maybe comments): all go before the closing ---
        keys = style.ordered(list(new), order)
        added = [line for key in keys for line in style.pair_lines(style.key_text(key), new[key], 0)]
        edits = [_Edit(parsed.close, parsed.close - 1, added)]
    elif node.id != "mapping" or getattr(node, "flow_style", False):
        edits = [_Edit(1, parsed.close - 1, [ln for k in new for ln in style.pair_lines(style.key_text(k), new[k], 0)])]
    else:
        edits = _edit_mapping(node, new, lines, order)
    for edit in sorted(edits, key=lambda e: e.first, reverse=True):
        lines[edit.first : edit.last + 1] = [line + parsed.newline for line in edit.lines]
    return lines


def _last(node: Node, lines: list[str]) -> int:
    """The last line of ``node``'s value: a block's ends where its last item does, not at the next key."""
    if node.id in ("mapping", "sequence") and node.value and not getattr(node, "flow_style", False):
        child = node.value[-1][1] if node.id == "mapping" else node.value[-1]
        return max(child.start_mark.line, _last(child, lines))
    end = node.end_mark.line
    if node.end_mark.column or end == node.start_mark.line:
        return end
    end -= 1  # a block scalar ends at the start of the next line, after its blank lines
    while end > node.start_mark.line and not _content(lines[end]).strip():
        end -= 1
    return end


def _edit_mapping(node: Node, new: dict[str, Any], lines: list[str], order: Sequence[str]) -> list[_Edit]:
    """The edits that turn a block mapping's lines into ``new``'s: changed keys, removed keys, new keys."""
    edits: list[_Edit] = []
    old = style.clean(construct(node))
    end = node.start_mark.line
    for key, value in node.value:
        last = max(key.start_mark.line, _last(value, lines))
        end = max(end, last)
        name = key.value
        if name not in new:
            if name in old:
                edits.append(_Edit(key.start_mark.line, last, []))
        elif not (name in old and style.same(old[name], new[name])):
            edits += _edit_value(key, value, new[name], lines)
    added = [name for name in style.ordered([k for k in new if k not in old], order) if not _has(node, name)]
    if added:
        indent = node.start_mark.column
        added_lines = [ln for name in added for ln in style.pair_lines(style.key_text(name), new[name], indent)]
        edits.append(_Edit(end + 1, end, added_lines))
    return edits


def _has(node: Node, name: str) -> bool:
    return any(key.value == name for key, _ in node.value)


def _edit_value(key: Node, value: Node, new: Any, lines: list[str]) -> list[_Edit]:
    """A changed key's edits: its value in place on its line, its block's changed parts, or all its lines."""
    inner = _edit_node(value, new, lines)
    if inner is not None:
        return inner
    line = _content(lines[key.start_mark.line])
    text = line[key.start_mark.column : key.end_mark.column]
    indent = key.start_mark.column
    rewritten = style.pair_lines(text, new, indent)
    rewritten[0] = line[:indent] + rewritten[0][indent:]  # keep what stands before the key: a list's "- "
    return [_Edit(key.start_mark.line, max(key.start_mark.line, _last(value, lines)), rewritten)]


def _edit_node(node: Node, new: Any, lines: list[str]) -> list[_Edit] | None:
    """Edits inside ``node`` that make it ``new``, or None when it must be written anew."""
    block = not getattr(node, "flow_style", False)
    if node.id == "mapping" and block and isinstance(new, dict) and node.value:
        return _edit_mapping(node, new, lines, ())
    if node.id == "sequence" and block and isinstance(new, list) and len(new) == len(node.value) and new:
        edits: list[_Edit] = []
        for item, value in zip(node.value, new, strict=True):
            if not style.same(style.clean(construct(item)), value):
                edits += _edit_item(item, value, lines)
        return edits
    written = node.id == "scalar" and (node.value or node.style)
    one_line = node.start_mark.line == node.end_mark.line
    if written and one_line and not isinstance(new, dict | list) and len(text := style.scalar(new)) == 1:
        line = _content(lines[node.start_mark.line])
        start, end = node.start_mark.column, node.end_mark.column
        return [_Edit(node.start_mark.line, node.start_mark.line, [line[:start] + text[0] + line[end:]])]
    return None


def _edit_item(item: Node, new: Any, lines: list[str]) -> list[_Edit]:
    """A changed list item's edits: inside it, or its lines written anew after the same "- "."""
    inner = _edit_node(item, new, lines)
    if inner is not None:
        return inner
    line = _content(lines[item.start_mark.line])
    indent = item.start_mark.column
    rewritten = style.node_lines(new, indent)
    rewritten[0] = line[:indent] + rewritten[0][indent:]
    return [_Edit(item.start_mark.line, _last(item, lines), rewritten)]
