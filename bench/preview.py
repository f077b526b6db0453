"""Preview latency: from saving a testimony to `vitrine serve` serving the page that shows it.

    .venv/bin/python bench/preview.py [--runs 9] [--port 8765]

Copies the demo (and its image cache) to a temporary folder, starts `vitrine serve` there as `make serve`
does (with `PYTHONPATH=<another checkout>`, that checkout's Vitrine: a before and after in one sitting),
then edits one testimony `--runs` times: each time a new sentence is appended and the product page is
polled every 10 ms until it holds that sentence. Then a broken edit (a rating of 9): the time until the
page shows the problems banner. Prints the median, the fastest and the slowest.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PERSON, PRODUCT = "amanuel-g", "tente"  # a testimony of the demo, shown on /products/tente/


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, server: subprocess.Popen[bytes], timeout: float = 60) -> float:
    """Seconds until ``url`` holds ``text`` (polled every 10 ms)."""
    start = time.perf_counter()
    while text not in fetch(url):
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{url} never showed {text!r}")
        if server.poll() is not None:  # it stopped (the port taken by another server?): see serve.log
            raise RuntimeError(f"vitrine serve exited with {server.returncode}")
        time.sleep(0.01)
    return time.perf_counter() - start


def copy_demo(folder: Path) -> Path:
    for name in ("mkdocs.yml", "mkdocs.en.yml", "hooks.py"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("overrides", "docs", "stories"):
        shutil.copytree(ROOT / name, folder / name)
    if (ROOT / ".cache").is_dir():
        shutil.copytree(ROOT / ".cache", folder / ".cache")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_demo(Path(tmp))
        testimony = project / "stories" / "people" / PERSON / f"{PRODUCT}.md"
        original = testimony.read_text(encoding="utf-8")
        url = f"http://127.0.0.1:{args.port}/products/{PRODUCT}/"
        log = open(project / "serve.log", "w")  # noqa: SIM115 (closed below, after the server)
        command = [sys.executable, "-m", "vitrine", "serve", str(project), "--dev-addr", f"127.0.0.1:{args.port}"]
        server = subprocess.Popen(command, cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT)
        try:
            first = wait_for(url, "<html", server, timeout=600)
            times = []
            for run in range(args.runs):
                marker = f"Phrase de mesure numéro {run} ajoutée"
                time.sleep(1.0)  # let the previous rebuild settle, as an editor would between saves
                testimony.write_text(f"{original.rstrip()}\n\n{marker}.\n", encoding="utf-8")
                times.append(wait_for(url, marker, server))
            time.sleep(1.0)
            testimony.write_text(original.replace("rating:", "rating: 9\nx_rating:", 1), encoding="utf-8")
            # the banner's line for this file (the demo's banner already holds notices, so not the banner alone)
            broken = wait_for(url, f"stories/people/{PERSON}/{PRODUCT}.md:", server)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
            said = (project / ".cache/vitrine/build.log").read_text(encoding="utf-8")  # the preview's whole log
            builds = len(
                re.findall(
                    r"Detected file changes|Vitrine preview: a file was saved|Vitrine, aperçu : un "
                    r"fichier a été enregistré",
                    said,
                )
            )  # the host's loop's, or Vitrine's own
            if os.environ.get("PREVIEW_LOG"):
                print((project / "serve.log").read_text(encoding="utf-8"))
        print(f"first build served      {first:6.2f} s")
        print(f"edit -> page (n={len(times)})   median {statistics.median(times):5.2f} s   "
              f"min {min(times):5.2f} s   max {max(times):5.2f} s")  # fmt: skip
        print(f"broken edit -> banner   {broken:6.2f} s")
        print(f"rebuilds                {builds:6d}     for {len(times) + 1} edits")


if __name__ == "__main__":
    main()
