"""The one cache (``vitrine/core/cache.py``): a version that invalidates its namespace, stamps that change with a
file's content, atomic writes that leave no half file when a writer dies or two writers race, entries kept as
JSON (no pickle anywhere in ``vitrine/``), and a sweep that knows every file the cache holds.

Real processes killed with SIGKILL, real concurrent writers, the real loader on the good fixture."""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import FIXTURES

from vitrine.build.engine import CACHE
from vitrine.build.sweep import Lease
from vitrine.core.cache import PART, STORIES, Codec, Namespace, atomic, stamp, write_atomic
from vitrine.core.errors import Msg, Problem, Severity, error, msg
from vitrine.read import load as load_module
from vitrine.read.document import Document, read_document
from vitrine.read.load import Memo, load

VITRINE = Path(__file__).resolve().parent.parent / "vitrine"
GOOD = FIXTURES / "good"


def test_a_new_version_finds_nothing_of_the_old_one(tmp_path: Path) -> None:
    old, new = Namespace(tmp_path / "kind", 1), Namespace(tmp_path / "kind", 2)
    assert old.key("a", data=b"x") == Namespace(tmp_path / "other", 1).key("a", data=b"x")  # the folder is no input
    assert old.key("a", data=b"x") != new.key("a", data=b"x")
    assert old.key("a", data=b"x") != old.key("a", data=b"y") != old.key("b", data=b"y")
    old.save("index.json", {"photo.jpg": [1, 2, 3, "key"]})
    assert old.load("index.json") == {"photo.jpg": [1, 2, 3, "key"]}
    assert new.load("index.json") is None  # another version: as if the cache were empty
    (tmp_path / "kind" / "index.json").write_bytes(b'{"version": 1, "data": {"cut')  # torn by hand
    assert old.load("index.json") is None


def test_a_new_memo_version_reads_every_story_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(GOOD, project)
    file = project / CACHE / STORIES
    memo = Memo(file, "x")
    load(project, "stories", memo=memo)
    memo.save()
    assert Memo(file, "x").documents and not Memo(file, "other setup").documents
    monkeypatch.setattr(load_module, "MEMO_VERSION", load_module.MEMO_VERSION + 1)
    assert not Memo(file, "x").documents


def test_a_stamp_changes_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_bytes(b"one")
    first = stamp(path)
    assert first == stamp(os.stat(path)) and stamp(tmp_path / "missing") is None
    path.write_bytes(b"two")  # the same size, written in place
    os.utime(path, ns=(first[1] + 1_000_000_000, first[1] + 1_000_000_000))
    assert stamp(path) != first
    later = stamp(path)
    write_atomic(path, b"owt")  # replaced: another inode even when the time is put back
    os.utime(path, ns=(later[1], later[1]))
    assert stamp(path) != later and stamp(path)[:2] == later[:2]


def test_a_writer_that_fails_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    path = tmp_path / "entry.json"
    write_atomic(path, b"old")
    with pytest.raises(RuntimeError), atomic(path) as part:
        part.write_bytes(b"half")
        raise RuntimeError("disk gone")
    assert path.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["entry.json"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"  # cache files are linked into the site: readable by all


WRITER = """
import sys, time
from pathlib import Path
from vitrine.core.cache import atomic
path, size = Path(sys.argv[1]), int(sys.argv[2])
with atomic(path) as part, part.open("wb") as out:
    out.write(b"n" * (size // 2))
    out.flush()
    print("half", flush=True)
    time.sleep(60)
    out.write(b"n" * (size - size // 2))
"""


def test_a_killed_writer_leaves_no_file_under_the_name_and_the_sweep_removes_its_part(tmp_path: Path) -> None:
    cache = tmp_path / ".cache/vitrine"
    for name in ("images/ab/abcd-480.webp", "cards/fr/people/amina-k.jpg", "ics/fr/events.ics",
                 "compress/ab/abcd.gz9", "pdf/abcd.pdf", STORIES):  # fmt: skip
        path = cache / name
        write_atomic(path, b"old")
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), "1000000"], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "half"
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert path.read_bytes() == b"old"  # never half a file under the entry's name
        assert [p.name for p in path.parent.iterdir() if p.name.endswith(PART)]  # what the dead writer left
    (cache / "stories.pickle").write_bytes(b"\x80\x05old")  # an older Vitrine's memo: no longer the cache's
    (cache / "build.log").write_text("log\n")
    (cache / "jinja").mkdir()
    lease = Lease(cache)
    assert lease.sweep(used={cache / "images/ab/abcd-480.webp", cache / "cards/fr/people/amina-k.jpg"}) is not None
    left = sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file())
    assert left == ["build.log", "cards/fr/people/amina-k.jpg", "images/ab/abcd-480.webp", "lock", STORIES]


RACER = """
import sys
from pathlib import Path
from vitrine.core.cache import write_atomic
path, mark = Path(sys.argv[1]), sys.argv[2].encode()
for _ in range(200):
    write_atomic(path, mark * 200_000)
"""


def test_two_writers_racing_each_write_whole_files(tmp_path: Path) -> None:
    path = tmp_path / "images/ab/entry-960.jpg"
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(path), mark]) for mark in "AB"]
    seen = set()
    while any(racer.poll() is None for racer in racers):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            continue
        assert len(data) == 200_000 and len(set(data)) == 1, "a reader saw half a file"
        seen.add(data[:1])
    assert all(racer.returncode == 0 for racer in racers)
    assert path.read_bytes() in (b"A" * 200_000, b"B" * 200_000)
    assert [p.name for p in path.parent.iterdir()] == ["entry-960.jpg"]  # no .part left by either
    assert seen  # the reader did read while they wrote


def test_no_pickle_anywhere_in_vitrine() -> None:
    unsafe = {"pickle", "cPickle", "_pickle", "shelve", "marshal", "dill", "joblib", "cloudpickle"}
    for path in sorted(VITRINE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not {n.split(".")[0] for n in names} & unsafe, f"{path.name} imports {names}"


def test_the_memo_is_json_and_rebuilds_what_the_loader_read(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(GOOD, project)
    (project / "stories/people/amina-k/cassé.md").write_bytes(b"---\nrating: [1\n---\n\xff not UTF-8\n")
    plain = load(project, "stories")
    memo = Memo(project / CACHE / STORIES, "x")
    load(project, "stories", memo=memo)
    memo.save()
    record = json.loads((project / CACHE / STORIES).read_bytes())  # plain JSON, nothing else
    assert record["version"] == f"{load_module.MEMO_VERSION}:x" and record["data"]["documents"]
    again = load(project, "stories", memo=Memo(project / CACHE / STORIES, "x"))
    assert again.campaign == plain.campaign and again.problems == plain.problems
    for key, entry in record["data"]["documents"].items():
        label, path = key.split("\0")
        assert load_module._decoded(entry) == read_document(Path(path), label)


def test_the_codec_keeps_every_value_exactly_and_builds_only_its_types() -> None:
    codec = Codec(Document, Problem, Msg, Severity)
    values = [
        {"name": "Amina", "n": 3, "x": 1.5, "ok": True, "none": None, "list": [1, "a"], 1: "int key", "\0": "tag"},
        (1, ("a", 2)), {1, 2}, frozenset({"a"}), b"\x00\xff", date(2026, 12, 1),
        datetime(2026, 12, 1, 10, 30, tzinfo=timezone(timedelta(hours=1))),
        Document("a.md", {"k": [1]}, "body", 4, {("k", 0): 2}),
        error("a.md", 2, "{key} must be {what}", key="rating", what=msg("a whole number")),
    ]  # fmt: skip
    for value in values:
        text = json.dumps(codec.encode(value))
        assert codec.decode(json.loads(text)) == value and type(codec.decode(json.loads(text))) is type(value)
    with pytest.raises(TypeError):
        codec.encode(Path("a"))  # not a type the cache keeps
    with pytest.raises(KeyError):  # a file naming another type builds nothing
        codec.decode({"\0": "Popen", "v": [["rm", "-rf", "/"]]})


def test_a_memo_naming_a_type_it_does_not_build_is_read_afresh(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(GOOD, project)
    memo = Memo(project / CACHE / STORIES, "x")
    load(project, "stories", memo=memo)
    memo.save()
    record = json.loads((project / CACHE / STORIES).read_bytes())
    for entry in record["data"]["documents"].values():
        entry[2] = [{"\0": "Popen", "v": [["touch", str(tmp_path / "ran")]]}]
    (project / CACHE / STORIES).write_text(json.dumps(record), encoding="utf-8")
    again = load(project, "stories", memo=Memo(project / CACHE / STORIES, "x"))
    assert again.campaign == load(project, "stories").campaign and not (tmp_path / "ran").exists()


def test_a_build_leaves_the_cache_in_its_namespaces_only(tmp_path: Path) -> None:
    from conftest import make_project, mkdocs

    project = make_project(tmp_path / "p")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    cache = project / ".cache/vitrine"
    top = {p.name for p in cache.iterdir()}
    assert top <= {"lock", "build.log", "jinja", "images", "docs", "cards", "ics", "compress", "pdf", "stories", "kit"}
    assert (cache / STORIES).is_file() and not list(cache.rglob(f"*{PART}"))
    for path in cache.rglob("*.json"):
        json.loads(path.read_bytes())  # every structured entry is JSON
