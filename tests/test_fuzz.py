"""Property-based: whatever an editor (or an attacker) writes in a story, the
loader either loads it or reports problems as ``path:line: message``; it
never raises, and what it renders holds no live markup."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vitrine.core.errors import Problem
from vitrine.read.load import load
from vitrine.read.markup import renderer, sanitize

TARGETS = [
    "stories/people/yusuf-d/index.md",
    "stories/people/yusuf-d/savon.md",
    "stories/people/yusuf-d/savon.en.md",
    "stories/products/cafe/index.md",
]
KEYS = ["name", "consent", "photo", "photo_alt", "origin", "lang", "title", "images", "src", "alt", "category",
        "needed", "collected", "price", "donate", "priority", "rating", "date", "featured"]  # fmt: skip
RENDER = renderer(["attr_list", "md_in_html", "admonition", "toc"])
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**30), 10**30), st.floats(allow_nan=True), st.text(max_size=40),
    st.sampled_from(["2026-02-30", "2026-03-14", "https://example.org/", "http://x", "javascript:alert(1)",
                     "cafe.jpg", "../cafe.jpg", "/etc/passwd", "<script>alert(1)</script>", "", "fr", "12 €"]),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
front_dicts = st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), values, max_size=8)
yamlish = st.text(alphabet=st.sampled_from(list("abc:-[]{}&*!|>'\"#%@` \t\n\r\\,?.0123456789~\x00\ufeffé<>/=")),
                  max_size=120)  # fmt: skip
bodies = st.text(max_size=200) | st.sampled_from(
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "<img src=x onerror=alert(1)>",
        "para\n{: onclick=alert(1) }",
    ]
)


@pytest.fixture(scope="module")
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(FIXTURES / "good" / "stories", root / "stories")
        yield root


def check(root: Path, target: str, content: bytes) -> None:
    """Write ``content`` to ``target`` and load: problems, never an exception."""
    file = root / target
    original = file.read_bytes() if file.exists() else None
    file.write_bytes(content)
    try:
        loaded = load(root, render=RENDER)
    finally:
        if original is None:
            file.unlink()
        else:
            file.write_bytes(original)
    for problem in loaded.problems:
        assert isinstance(problem, Problem)
        assert problem.path.startswith("stories/")
        assert re.fullmatch(r"stories/[^:]+(:\d+)?: .+", str(problem), re.S), str(problem)
    for story in [*loaded.campaign.people.values(), *loaded.campaign.products.values(), *loaded.campaign.testimonies]:
        assert "<script" not in story.html and "javascript:" not in story.html


@FAST
@given(target=st.sampled_from(TARGETS), front=yamlish, body=bodies)
def test_random_yamlish_front_matter(project: Path, target: str, front: str, body: str) -> None:
    check(project, target, f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))


@FAST
@given(target=st.sampled_from(TARGETS), front=front_dicts, body=bodies)
def test_random_dicts_as_front_matter(project: Path, target: str, front: dict, body: str) -> None:
    text = yaml.safe_dump(front, allow_unicode=True)
    check(project, target, f"---\n{text}---\n{body}".encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(target=st.sampled_from(TARGETS), content=st.binary(max_size=300))
def test_random_bytes(project: Path, target: str, content: bytes) -> None:
    check(project, target, content)


tags = st.sampled_from(["script", "img", "svg", "a", "iframe", "p", "div", "style", "math", "object", "details"])
attrs = st.sampled_from(["onerror", "onload", "href", "src", "style", "onclick", "xlink:href", "formaction", "srcdoc"])
urls = st.sampled_from(["javascript:alert(1)", "jav&#x09;ascript:alert(1)", " JAVASCRIPT:alert(1)",
                        "data:text/html,<script>alert(1)</script>", "vbscript:x", "alert(1)"])  # fmt: skip
fragments = st.lists(st.tuples(tags, attrs, urls, st.booleans()), max_size=6).map(
    lambda parts: "".join(f'<{t} {a}="{u}">{"x" if c else ""}</{t}>' if c else f"<{t} {a}={u}>" for t, a, u, c in parts)
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def live_markup(html: str) -> list[str]:
    """What in ``html`` (as a browser parses it) could run or fetch something."""
    parser = _Tags()
    parser.feed(html)
    bad = []
    for tag, attrs in parser.found:
        if tag in ("script", "iframe", "img", "svg", "math", "object", "embed", "style", "link", "meta", "base",
                   "form", "input", "video", "audio", "details", "template", "textarea", "noscript"):  # fmt: skip
            bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "src", "srcdoc", "formaction", "xlink:href", "action"):
                bad.append(f"{tag} {name}")
            squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name == "href" and re.match(r"(javascript|data|vbscript):", squeezed):
                bad.append(f"{tag} href={value}")
    return bad


@FAST
@given(html=fragments, noise=st.text(max_size=40))
def test_sanitize_never_keeps_live_markup(html: str, noise: str) -> None:
    assert live_markup(sanitize(noise + html + noise)) == []
