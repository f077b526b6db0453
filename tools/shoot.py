"""Screenshots of built pages, to look at them: shoot.py SITE_DIR OUT_DIR PATH [PATH...]"""

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


def main() -> None:
    site, out, paths = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1366, "height": 900})):
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            for path in paths:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                # Scroll through so lazy images load before the full-page shot.
                page.evaluate(
                    "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
                    " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 60)); } }"
                )
                page.wait_for_load_state("networkidle")
                file = out / f"{name}-{path.strip('/').replace('/', '_') or 'home'}.png"
                page.screenshot(path=str(file), full_page=True)
                print(file)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
