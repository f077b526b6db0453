"""The house style of front matter, as the demo's stories are written: one way to write each value.

Strings are double-quoted, except dates and slug-like words (file names, person slugs), which are bare, and
text of several lines, which is a literal block (``|-``); numbers and booleans are bare; lists and mappings
are blocks. Every bare or literal form is read back by Vitrine's own reader before it is used, so a value
that the reader would take for something else (``"1.5"``, ``"true"``) is quoted instead.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from vitrine.read.document import YamlProblem, load_yaml

INDENT = 2

_BARE = re.compile(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|[a-z0-9]+([._-][a-z0-9]+)*")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P"}  # fmt: skip


def clean(value: Any) -> Any:
    """``value`` as the editor means it: in a mapping, None, "" and [] are no key; dates are their text."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items() if v is not None and v != "" and v != []}
    if isinstance(value, list | tuple):
        return [clean(item) for item in value]
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}" if not value.second else f"{value:%Y-%m-%d %H:%M:%S}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values: 1, 1.0 and true differ; a mapping's key order does not matter."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _reads_back(lines: list[str], value: Any) -> bool:
    try:
        _, read = load_yaml("\n".join(["k: " + lines[0], *lines[1:]]) + "\n")
    except YamlProblem:
        return False
    return isinstance(read, dict) and same(read.get("k"), value)


def quoted(text: str) -> str:
    """YAML's double-quoted form, escaping what would break the line or cannot be written as is."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif 0xD800 <= code <= 0xDFFF or code in (0xFEFF, 0xFFFE, 0xFFFF):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _literal(text: str) -> list[str] | None:
    """A literal block (header, then the lines unindented), or None when the text cannot be one."""
    lines = (text[:-1] if text.endswith("\n") else text).split("\n")
    if any(line != line.strip(" \t") and not line.strip() for line in lines) or lines[0][:1] in (" ", "\t"):
        return None  # a blank line of spaces or a first indented line needs indicators: quote it instead
    header = "|-" if not text.endswith("\n") else "|+" if text.endswith("\n\n") else "|"
    return (
        [header, *lines]
        if _reads_back([header, *(" " * INDENT + line if line else "" for line in lines)], text)
        else None
    )


def scalar(value: Any) -> list[str]:
    """A scalar's text: one line, or a literal block's header and its (unindented) lines."""
    if value is None:
        return ["null"]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, int):
        return [str(value)]
    if isinstance(value, float):
        if math.isnan(value):
            return [".nan"]
        return [repr(value) if math.isfinite(value) else ("-.inf" if value < 0 else ".inf")]
    text = str(value)
    if _BARE.fullmatch(text) and _reads_back([text], text):
        return [text]
    if "\n" in text and (block := _literal(text)):
        return block
    return [quoted(text)]


def key_text(key: str) -> str:
    return key if _KEY.fullmatch(key) else quoted(key)


def pair_lines(key: str, value: Any, indent: int) -> list[str]:
    """``key: value`` at column ``indent``, with the lines of a block value below it; ``key`` as written."""
    pad = " " * indent
    if isinstance(value, dict | list) and value:
        return [f"{pad}{key}:", *node_lines(value, indent + INDENT)]
    if isinstance(value, dict | list):
        return [f"{pad}{key}: {'{}' if isinstance(value, dict) else '[]'}"]
    first, *rest = scalar(value)
    return [f"{pad}{key}: {first}", *(pad + " " * INDENT + line if line else "" for line in rest)]


def node_lines(value: Any, indent: int) -> list[str]:
    """A value standing on its own at column ``indent`` (a list item's, once its first indent becomes "- ")."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        return [line for key, item in value.items() for line in pair_lines(key_text(key), item, indent)]
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            first, *rest = node_lines(item, indent + INDENT)
            lines += [pad + "- " + first[indent + INDENT :], *rest]
        return lines
    if isinstance(value, dict | list):
        return [pad + ("{}" if isinstance(value, dict) else "[]")]
    first, *rest = scalar(value)
    return [pad + first, *(pad + " " * INDENT + line if line else "" for line in rest)]


def ordered(keys: list[str], order: Sequence[str]) -> list[str]:
    """``keys`` in the contract's order, unknown keys after it, sorted."""
    rank = {key: i for i, key in enumerate(order)}
    return sorted(keys, key=lambda key: (rank.get(key, len(rank)), "" if key in rank else key))
