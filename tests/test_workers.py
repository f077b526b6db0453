"""Worker processes end with the process that made them, even one killed outright."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT = """
import os, sys, time
from vitrine.core.workers import pool
with open(sys.argv[1], "w") as out:
    executor = pool(2)
    futures = [executor.submit(time.sleep, 600) for _ in range(2)]
    time.sleep(1)
    out.write(" ".join(str(p) for p in executor._processes))
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone but for its exit status
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    pids_file = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pids_file)])
    try:
        for _ in range(100):
            if pids_file.is_file() and pids_file.read_text():
                break
            time.sleep(0.1)
        workers = [int(pid) for pid in pids_file.read_text().split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)  # no handler, no clean-up: only the kernel can tell the workers
        parent.wait()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    finally:
        parent.kill()
