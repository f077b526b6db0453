"""Before/after screenshots of both demos, kept in the repository: screens.py CHARITY_SITE MAKERS_SITE OUT

For each demo's home, a product, a person, the wish list (charity) and the events (makers), at 360×800 and
1280×800: the first screen as a visitor sees it, and the whole page scaled down, both as WebP (small enough to
commit). Used for issue 19's screens/issue-19/{before,after}/.
"""

import functools
import http.server
import io
import sys
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
PAGES = {
    "charity": ["", "products/brosse-a-dents/", "people/riaz-a/", "wishlist/", "products/", "en/"],
    "makers": ["", "products/bonnet/", "people/claire-d/", "events/", "products/"],
}
SIZES = {"phone": (360, 800), "desktop": (1280, 800)}
FULL_WIDTH = 360  # the whole page, scaled to this width: enough to see its shape and length


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def save(png: bytes, file: Path, width: int | None = None) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if width and image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    image.save(file, "WEBP", quality=80, method=6)
    print(file, image.size)


def shoot(browser, base: str, kind: str, out: Path) -> None:
    for size, (width, height) in SIZES.items():
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        for path in PAGES[kind]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            name = f"{kind}-{path.strip('/').replace('/', '_') or 'home'}-{size}"
            save(page.screenshot(), out / f"{name}.webp")
            # Scroll through so lazy images load before the full-page shot.
            page.evaluate(
                "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 40)); } window.scrollTo(0, 0); }"
            )
            page.wait_for_load_state("networkidle")
            save(page.screenshot(full_page=True), out / f"{name}-full.webp", FULL_WIDTH)
        page.close()


def main() -> None:
    charity, makers, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for kind, site in (("charity", charity), ("makers", makers)):
            server, base = serve(site)
            shoot(browser, base, kind, out)
            server.shutdown()
        browser.close()


if __name__ == "__main__":
    main()
