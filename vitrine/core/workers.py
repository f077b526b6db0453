"""Worker processes for the CPU-bound stages: photos, share cards, a cold build's stories.

Forked, so they inherit the modules and fonts already loaded (MkDocs puts the hooks' folder on ``sys.path``
only briefly: a spawned worker could not import them), and tied to the process that
made them: on Linux a worker ends when its parent does, even one killed outright (a CI timeout, ``kill``),
instead of waiting forever for work that will never come.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # linux/prctl.h: the signal a process gets when its parent ends


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_tie_to, initargs=(os.getpid(),)
    )


def _tie_to(parent: int) -> None:
    name = ctypes.util.find_library("c")
    prctl = getattr(ctypes.CDLL(name), "prctl", None) if name else None
    if prctl is not None:  # elsewhere than Linux: the worker lives on until the pool's pipe closes
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(0)
