"""Markdown bodies are rendered, then cleaned by nh3; front-matter values are
escaped by the templates. Checked on payloads one by one, then on a whole
site built from the hostile-payloads fixture (every text field poisoned)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import mkdocs
from test_bad_inputs import case_project
from test_fuzz import live_markup

from vitrine.read.markup import renderer, sanitize, text

# The site's own Markdown setup (mkdocs.yml): attr_list and md_in_html are the risky ones.
RENDER = renderer(["attr_list", "md_in_html", "admonition", "toc"], {"toc": {"permalink": False}})

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "onerror": "<img src=x onerror=alert(1)>",
    "javascript href": '<a href="javascript:alert(1)">x</a>',
    "tab in scheme": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "newline in scheme": '<a href="java\nscript:alert(1)">x</a>',
    "upper case, spaces": '<a href="  JaVaScRiPt:alert(1)">x</a>',
    "entity-encoded scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "svg onload": "<svg onload=alert(1)><circle r=1 /></svg>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style expression": '<div style="width: expression(alert(1)); background: url(javascript:alert(1))">x</div>',
    "style element": "<style>@import 'https://evil.example/x.css';</style>",
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "form action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "formaction": '<button formaction="javascript:alert(1)">go</button>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base": '<base href="https://evil.example/">',
    "details ontoggle": "<details open ontoggle=alert(1)><summary>s</summary></details>",
    "math xlink": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "noscript mXSS": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>',
    "svg style mXSS": "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "markdown link": "[x](javascript:alert(1))",
    "markdown link, entity": "[x](jav&#x61;script:alert(1))",
    "markdown image": "![x](javascript:alert(1))",
    "markdown data link": "[x](data:text/html,<script>alert(1)</script>)",
    "markdown reference": "[x][a]\n\n[a]: javascript:alert(1)",
    "autolink": "<javascript:alert(1)>",
    "attr_list on paragraph": 'para\n{: onclick="alert(1)" style="color:red" }',
    "attr_list on link": '[x](https://example.org/){: onmouseover="alert(1)" }',
    "attr_list href": '[x](https://example.org/){: href="javascript:alert(1)" }',
    "md_in_html": '<div markdown="1">*a* <img src=x onerror=alert(1)></div>',
    "comment": "<!--<script>alert(1)</script>-->",
    "template": "<template><script>alert(1)</script></template>",
    "event on allowed tag": '<p onmouseover="alert(1)">x</p><a href="https://example.org/" onclick="alert(1)">x</a>',
}


@pytest.mark.parametrize("name", PAYLOADS)
def test_payload_is_neutralised(name: str) -> None:
    html = RENDER(PAYLOADS[name])
    assert live_markup(html) == [], html
    assert "<script" not in html.lower()


def test_harmless_markup_survives() -> None:
    html = RENDER("**fort** [lien](https://example.org/a?b=1&c=2) <abbr title='x'>X</abbr>\n\n> cité")
    assert "<strong>fort</strong>" in html
    assert 'href="https://example.org/a?b=1&amp;c=2"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<blockquote>" in html and "<abbr" in html


def test_text_drops_every_tag() -> None:
    assert text("<p>a <script>alert(1)</script><b>b</b></p>") == "a b"
    assert "<" not in text(sanitize("<img src=x onerror=alert(1)>x"))


class _Scan(HTMLParser):
    """Raw markup of a built page: what a browser would run."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []
        self.script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
            if name.startswith("on") or name == "srcdoc":
                self.bad.append(f"<{tag} {name}>")
            if name in ("href", "src", "action", "formaction", "data") and re.match(r"(javascript|vbscript|data):",
                                                                                     squeezed):  # fmt: skip
                self.bad.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.bad.append(f"<{tag}>")
        self.script = [] if tag == "script" else None

    def handle_endtag(self, tag: str) -> None:
        self.script = None

    def handle_data(self, data: str) -> None:
        if self.script is not None and "alert" in data:
            self.bad.append(f"<script>{data[:60]}")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = case_project("hostile-payloads", tmp_path_factory.mktemp("hostile-static"))
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_no_live_markup_in_any_built_page(hostile_site: Path) -> None:
    bad = {}
    for file in sorted(hostile_site.rglob("*.html")):
        scan = _Scan()
        scan.feed(file.read_text(encoding="utf-8"))
        if scan.bad:
            bad[file.relative_to(hostile_site).as_posix()] = scan.bad
    assert bad == {}


def test_front_matter_is_escaped_in_title_and_meta(hostile_site: Path) -> None:
    html = (hostile_site / "products" / "savon" / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)[1]
    assert title.startswith("Savon &lt;img src=x onerror=alert(") and "<" not in title
    for content in re.findall(r'<meta [^>]*content="([^"]*)"', html):
        assert "<" not in content
    assert "<h1>Savon &lt;img src=x onerror=alert(&#39;t2&#39;)&gt;</h1>" in html
    # Inside attributes a payload cannot break out: its quote is escaped.
    assert 'alt="&#34;&gt;&lt;svg onload=alert(&#39;t3&#39;)&gt;"' in html
