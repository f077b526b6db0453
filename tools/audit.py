"""`make audit`: Lighthouse, the Nu HTML Checker and page weight over the built site/.

Installs its own tools on first use: Lighthouse 12 and vnu-jar from npm into
.cache/audit/, Java (Debian's default-jre-headless) through apt-get when `java` is
missing. Serves site/ as a static host does, with the precompressed .gz copies
(vitrine/build/compress.py) when the browser accepts gzip, then prints one table:

- Lighthouse (mobile, its default) on home, product, person, wish list, donate and
  press, French and English: the four scores and the bytes it saw transferred;
- the Nu HTML Checker's errors on every page;
- every page's weight in Chromium: the HTML and every stylesheet, script, image and
  font it loads (until the network is idle), text counted gzip-compressed.

Exits 1 when a page has a checker error, a Lighthouse score under 100, or weighs
more than 200 KiB. Not part of `make test`: it takes a few minutes.

    python tools/audit.py [--site site] [--skip-lighthouse] [--pages N]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "audit"
LIGHTHOUSE = "12.8.2"  # 13.x needs Node 22
VNU = "26.9.27"
BUDGET = 200 * 1024  # bytes a page may weigh, gzip-compressed
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
TEXT_TYPES = ("text/", "javascript", "json", "xml", "svg")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


class Precompressed(http.server.SimpleHTTPRequestHandler):
    """A static host: serves `x.gz` for `x` with `Content-Encoding: gzip` when the
    client accepts gzip and the copy exists (as nginx's gzip_static does)."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not packed.is_file():
            return super().send_head()
        body = packed.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(packed.stat().st_size))
        self.end_headers()
        return body

    def log_message(self, *args: object) -> None:
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # type: ignore[override]
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser that left mid-response: normal
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 (a free port), with its precompressed copies."""
    handler = functools.partial(Precompressed, directory=str(site))
    server = Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def weigh(page, url: str) -> tuple[int, list[tuple[int, str]]]:
    """Bytes a page costs in Chromium (a Playwright page), as Lighthouse counts them: every response until the
    network is idle, then again once the window is as tall as the page (Lighthouse's full-page screenshot
    makes Chromium load every lazy image so), text gzip-compressed at level 9 (as a host sends it), the rest
    as it is. Returns the total and (bytes, url) for each response."""
    responses = []

    def seen(response) -> None:
        responses.append(response)

    page.on("response", seen)
    page.goto(url, wait_until="networkidle")
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": page.evaluate("document.body.scrollHeight")})
    page.wait_for_timeout(300)  # the lazy images' requests start
    page.wait_for_load_state("networkidle")
    page.set_viewport_size(viewport)
    page.remove_listener("response", seen)
    found = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # a redirect has no body
            continue
        size = len(body)
        if any(kind in response.headers.get("content-type", "") for kind in TEXT_TYPES):
            size = min(size, len(gzip.compress(body, compresslevel=9)))
        found.append((size, response.url))
    return sum(size for size, _ in found), found


def pages_to_audit(site: Path) -> dict[str, str]:
    """Home, a product, a person, wish list, donate and press, in each language built."""
    product = sorted(p.parent.name for p in (site / "products").glob("*/index.html"))[0]
    person = sorted(p.parent.name for p in (site / "people").glob("*/index.html"))[0]
    sections = {"home": "", "product": f"products/{product}/", "person": f"people/{person}/",
                "wishlist": "wishlist/", "donate": "donate/", "press": "press/"}  # fmt: skip
    found = {}
    for prefix in ["", *sorted(f"{d.name}/" for d in site.iterdir() if (d / "404.html").is_file())]:  # languages
        for name, path in sections.items():
            if (site / prefix / path / "index.html").is_file():
                found[f"{prefix}{name}"] = prefix + path
    return found


def install() -> tuple[Path, Path]:
    """Lighthouse and vnu-jar (npm, into .cache/audit/), and Java (apt-get) if missing."""
    lighthouse = TOOLS / "node_modules" / "lighthouse" / "cli" / "index.js"
    vnu = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not (lighthouse.is_file() and vnu.is_file()):
        TOOLS.mkdir(parents=True, exist_ok=True)
        print(f"Installing lighthouse@{LIGHTHOUSE} and vnu-jar@{VNU} into {TOOLS.relative_to(ROOT)}/ …", flush=True)
        command = ["npm", "install", "--prefix", str(TOOLS), "--no-audit", "--no-fund", "--no-save",
                   f"lighthouse@{LIGHTHOUSE}", f"vnu-jar@{VNU}"]  # fmt: skip
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    if not shutil.which("java"):
        if os.geteuid() != 0:
            sys.exit("The Nu HTML Checker needs Java: sudo apt-get install -y default-jre-headless")
        print("Installing Java (default-jre-headless) …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "default-jre-headless"], check=True, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    if not Path(CHROMIUM).exists():
        sys.exit(f"Lighthouse and the weights need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium")
    return lighthouse, vnu


def nu_errors(vnu: Path, site: Path) -> dict[str, list[str]]:
    """The checker's errors on every HTML page, by path under `site`."""
    result = subprocess.run(["java", "-jar", str(vnu), "--skip-non-html", "--errors-only", "--format", "json",
                             str(site)], capture_output=True, text=True)  # fmt: skip
    errors: dict[str, list[str]] = {p.relative_to(site).as_posix(): [] for p in site.rglob("*.html")}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] in ("error", "non-document-error"):
            path = Path(urllib.parse.unquote(urllib.parse.urlparse(message.get("url", "")).path))
            key = path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path)
            errors.setdefault(key, []).append(message["message"])
    return errors


def lighthouse_run(lighthouse: Path, url: str, out: Path) -> dict:
    flags = "--headless " + " ".join(a for a in CHROMIUM_ARGS if a != "--disable-quic")
    subprocess.run(["node", str(lighthouse), url, f"--chrome-flags={flags}", "--output=json",
                    f"--output-path={out}", "--quiet"], check=True, env={**os.environ, "CHROME_PATH": CHROMIUM},
                   timeout=300)  # fmt: skip
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {c: round((report["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failed = [a["id"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"] if ref["weight"] > 0
              and (a := report["audits"][ref["id"]])["score"] is not None and a["score"] < 1]  # fmt: skip
    return {"scores": scores, "bytes": report["audits"]["total-byte-weight"]["numericValue"], "failed": failed}


def weigh_all(base: str, paths: list[str]) -> dict[str, int]:
    """Every page's weight (see `weigh`) at Lighthouse's mobile size (412×823, 1.75 dppx)."""
    from playwright.sync_api import sync_playwright

    weights = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 412, "height": 823}, device_scale_factor=1.75)
        for path in paths:
            page = context.new_page()
            weights[path], _ = weigh(page, base + path)
            page.close()
        browser.close()
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only the checker and the weights")
    args = parser.parse_args()
    site = args.site.resolve()
    if not (site / "index.html").is_file():
        sys.exit(f"No built site in {site}: run `make site` first")
    if not (site / "index.html.gz").is_file():
        print("Note: no precompressed copies (index.html.gz): text is counted uncompressed by Lighthouse")
    lighthouse, vnu = install()

    print("Nu HTML Checker …", flush=True)
    errors = nu_errors(vnu, site)
    pages = sorted(p for p in errors if p.endswith("index.html"))
    print(f"Weighing {len(pages)} pages in Chromium …", flush=True)
    audited = pages_to_audit(site)
    scores: dict[str, dict] = {}
    with serve(site) as base:
        weights = weigh_all(base, [p.removesuffix("index.html") for p in pages])
        if not args.skip_lighthouse:
            for name, path in audited.items():
                print(f"Lighthouse: {name} …", flush=True)
                out = TOOLS / f"lighthouse-{name.replace('/', '-')}.json"
                scores[name] = lighthouse_run(lighthouse, base + path, out)

    problems = 0
    columns = ("perf", "a11y", "bp", "seo")
    header = f"{'page':<14} {'path':<34} {' '.join(f'{c:>4}' for c in columns)} {'LH KiB':>7} {'KiB gz':>7} {'Nu':>3}"
    print("\n" + header + "\n" + "-" * len(header))
    for name, path in audited.items():
        row = scores.get(name)
        cells = [f"{row['scores'][c]:>4}" for c in CATEGORIES] if row else ["   -"] * 4
        lh = f"{row['bytes'] / 1024:7.1f}" if row else "      -"
        nu = len(errors.get(path + "index.html", []))
        print(f"{name:<14} {'/' + path:<34} {' '.join(cells)} {lh} {weights[path] / 1024:7.1f} {nu:>3}")
        if row and (low := [c for c in CATEGORIES if row["scores"][c] < 100]):
            problems += 1
            print(f"    under 100: {', '.join(low)}; failing audits: {', '.join(row['failed'])}")
    heaviest = max(weights, key=weights.get)
    over = {p: w for p, w in weights.items() if w > BUDGET}
    total_errors = sum(len(e) for e in errors.values())
    print(f"\nNu HTML Checker: {total_errors} errors over {len(errors)} pages")
    for path, messages in sorted(errors.items()):
        for message in sorted(set(messages)):
            print(f"    {path}: {message} (×{messages.count(message)})")
    print(f"Weight (gzip): {len(weights)} pages, heaviest /{heaviest} {weights[heaviest] / 1024:.1f} KiB, "
          f"{len(over)} over {BUDGET // 1024} KiB")  # fmt: skip
    for path, weight in sorted(over.items()):
        print(f"    /{path}: {weight / 1024:.1f} KiB")
    return 1 if problems or total_errors or over else 0


if __name__ == "__main__":
    sys.exit(main())
