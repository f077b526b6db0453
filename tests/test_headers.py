"""The `_headers` file a static host sends with every page: the pages still work under it."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


def test_pages_work_under_the_static_host_headers(browser, fixture_site: Path) -> None:
    rules = dict(
        line.strip().split(": ", 1) for line in (fixture_site / "_headers").read_text().splitlines()[1:] if line.strip()
    )
    assert "frame-ancestors 'none'" in rules["Content-Security-Policy"]

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            for name, value in rules.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(fixture_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(f"http://127.0.0.1:{server.server_port}/products/savon/")
        page.wait_for_load_state("networkidle")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        assert page.evaluate("() => typeof __md_get") == "function"  # the theme's inline script ran
        page.close()
    finally:
        server.shutdown()
