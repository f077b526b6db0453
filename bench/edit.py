"""The editor's save to the preview showing it, against the same edit written straight into the file.

    .venv/bin/python bench/edit.py [--runs 7] [--port 8770]

Copies the demo (and its image cache) to a temporary folder and runs `vitrine edit` there (its preview beside
it, on the next port). Each run appends a sentence to one testimony: through the editor's API (read the story,
save it with the new body) or, as the baseline in the same sitting, by writing the file itself; then polls the
product page of the preview every 10 ms until it holds the sentence. Prints both medians and their ratio: what
the editor adds to the preview's own rebuild (its check of the campaign after the save included).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from preview import ENV, PERSON, PRODUCT, copy_demo, fetch

STORY = f"stories/people/{PERSON}/{PRODUCT}.md"


def api(base: str, path: str, data: dict | None = None) -> dict:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body, headers={"Origin": base.rstrip("/")})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def until(url: str, text: str, start: float, timeout: float = 60) -> float:
    while text not in fetch(url):
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"{url} never showed {text!r}")
        time.sleep(0.01)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--port", type=int, default=8770)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_demo(Path(tmp))
        editor, preview = f"http://127.0.0.1:{args.port}/", f"http://127.0.0.1:{args.port + 1}/"
        command = [sys.executable, "-m", "vitrine", "edit", str(root), "--port", str(args.port),
                   "--preview-port", str(args.port + 1)]  # fmt: skip
        server = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            page = preview + f"products/{PRODUCT}/"
            until(page, "<html", time.perf_counter(), timeout=180)  # the first build
            times: dict[str, list[float]] = {"editor": [], "file": []}
            for run in range(args.runs):
                for way in ("editor", "file"):
                    sentence = f"Ligne {way} {run} {time.time_ns()}."
                    start = time.perf_counter()
                    if way == "editor":
                        entry = api(editor, f"api/entry?path={STORY}")
                        body = entry["body"].rstrip("\n") + f"\n\n{sentence}\n"
                        api(editor, "api/entry", {"path": STORY, "fields": entry["fields"], "body": body})
                    else:
                        file = root / STORY
                        file.write_text(file.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n")
                    times[way].append(until(page, sentence, start))
        finally:
            server.terminate()
            server.wait(timeout=20)
    editor_s, file_s = statistics.median(times["editor"]), statistics.median(times["file"])
    print(f"save in the editor -> preview shows it: median {editor_s:.2f} s "
          f"(fastest {min(times['editor']):.2f}, slowest {max(times['editor']):.2f})")  # fmt: skip
    print(f"the file written directly -> preview shows it: median {file_s:.2f} s")
    print(f"ratio editor / file: {editor_s / file_s:.2f}")


if __name__ == "__main__":
    main()
