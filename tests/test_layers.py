"""The code's shape, as issue 18 set it: one orchestrator, no module state, the host driven through its public
API only, and the layers' allowed imports (import-linter's contracts in pyproject.toml, run by `make test`)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vitrine"
MUTATORS = {"append", "extend", "insert", "update", "add", "discard", "remove", "pop", "popitem", "clear",
            "setdefault", "__setitem__", "set"}  # fmt: skip


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def changed_module_state(tree: ast.Module) -> list[str]:
    """Module-level names that a function changes: rebinding them (``global``), item or slice assignments, or a
    mutating method; and context variables (state by another name)."""
    names = {target.id for node in tree.body if isinstance(node, ast.Assign | ast.AnnAssign)
             for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
             if isinstance(target, ast.Name)}  # fmt: skip
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += [f"global {name}" for name in node.names]
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "ContextVar":
            found.append(f"ContextVar at line {node.lineno}")
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        local = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
        local |= {n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for node in ast.walk(function):
            target = None
            if isinstance(node, ast.Assign | ast.AugAssign):
                for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name):
                        target = t.value.id
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
                target = node.func.value.id if isinstance(node.func.value, ast.Name) else None
            if target in names and target not in local:
                found.append(f"{target} changed at line {node.lineno}")
    return found


def test_no_module_keeps_state() -> None:
    found = {str(p.relative_to(ROOT)): f for p in modules() if (f := changed_module_state(ast.parse(p.read_text())))}
    assert found == {}


def test_the_state_finder_finds_state() -> None:
    """The check above, on the kinds of module state it must catch."""
    source = (
        "import contextvars\n_C = ['build']\n_D = {}\n_V = contextvars.ContextVar('v')\nN = 0\n"
        "def a(c): _C[:] = [c]\ndef b(k): _D.setdefault(k, 1)\ndef c():\n    global N\n    N += 1\n"
        "def fine(_C): _C.append(1)\n"
    )
    assert sorted(changed_module_state(ast.parse(source))) == ["ContextVar at line 4", "_C changed at line 6",
                                                               "_D changed at line 7", "global N"]  # fmt: skip


def test_the_host_is_driven_through_its_public_api() -> None:
    """No private attribute of the host's objects (its server, config, theme), no attribute set on them, and
    one event in a campaign's hooks.py: every other event goes to the plugin the adapter adds to each build."""
    from vitrine import mkdocs_hooks

    assert mkdocs_hooks.__all__ == ["on_config"]
    for path in (PACKAGE / "hosts").rglob("*.py") if (PACKAGE / "hosts").is_dir() else PACKAGE.glob("mkdocs_*.py"):
        text = path.read_text(encoding="utf-8")
        private = [m.group(0) for m in re.finditer(r"(?<![\w.])(?!self\b|cls\b)\w+\.(_[a-z]\w*)", text)]
        assert private == [], path
        assert "setattr(" not in text, path


LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="no import-linter (make test installs it)")
def test_the_layers_import_only_what_their_contracts_allow(tmp_path: Path) -> None:
    """import-linter's contracts (pyproject.toml): the layers' order, reading without media or planning, the
    host imported by hosts/ only, no cycle. Kept by the code as it is, and broken by a copy of it where reading
    imports media, where planning imports MkDocs, or where two modules import each other."""
    kept = subprocess.run([str(LINT_IMPORTS)], cwd=ROOT, capture_output=True, text=True)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    for module, line, contract in (
        ("read/model.py", "import vitrine.media.images", "Reading never imports media"),
        ("plan/where.py", "import mkdocs.config", "Only hosts/ imports a host"),
        ("core/today.py", "import vitrine.core.slugs", "No cycle"),
    ):
        copy = tmp_path / module.replace("/", "-")
        shutil.copytree(PACKAGE, copy / "vitrine", ignore=shutil.ignore_patterns("fonts", "theme", "scaffold"))
        shutil.copy(ROOT / "pyproject.toml", copy)
        target = copy / "vitrine" / module
        target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
        if contract == "No cycle":
            slugs = copy / "vitrine/core/slugs.py"
            slugs.write_text(slugs.read_text(encoding="utf-8") + "\nimport vitrine.core.today\n", encoding="utf-8")
        broken = subprocess.run([str(LINT_IMPORTS)], cwd=copy, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(copy)})  # fmt: skip
        assert broken.returncode != 0 and f"{contract}" in broken.stdout, (module, broken.stdout[-2000:])
        assert re.search(rf"{re.escape(contract)}[^\n]* BROKEN", broken.stdout), broken.stdout[-2000:]
