"""The code's shape (issue 18, item 4): no module of vitrine/ over 400 lines, no function over 60 (nested ones
and methods included), so each one can be read at once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "vitrine"
MAX_MODULE = 400
MAX_FUNCTION = 60


def oversized() -> list[str]:
    """Each module over MAX_MODULE lines and each function over MAX_FUNCTION, as ``path:line: what``."""
    found = []
    for file in sorted(PACKAGE.rglob("*.py")):
        label = file.relative_to(PACKAGE.parent).as_posix()
        text = file.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > MAX_MODULE:
            found.append(f"{label}: module of {lines} lines")
        for node in ast.walk(ast.parse(text, label)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    found.append(f"{label}:{node.lineno}: function {node.name} of {length} lines")
    return found


def test_no_module_or_function_is_too_long() -> None:
    found = oversized()
    assert not found, "\n".join(found)


def test_the_measure_finds_what_is_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The measure above, on a module it must refuse twice."""
    (tmp_path / "vitrine").mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(60))
    (tmp_path / "vitrine/long.py").write_text(f"def f():\n{body}\n" + "\n" * 400, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "vitrine")
    assert oversized() == ["vitrine/long.py: module of 461 lines", "vitrine/long.py:1: function f of 61 lines"]
