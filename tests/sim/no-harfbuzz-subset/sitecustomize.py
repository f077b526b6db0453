"""Simulates a fresh Debian 12 machine with Pango but not libharfbuzz-subset0 (copied from shared/sim).

Put this folder on PYTHONPATH for one command, e.g.
    PYTHONPATH=../shared/sim/no-harfbuzz-subset .venv/bin/mkdocs build --strict
and cffi cannot open the library, exactly as on such a machine.
"""

import cffi.api

_dlopen = cffi.api.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load library '{name}' (simulated: libharfbuzz-subset0 not installed)")
    return _dlopen(self, name, *args, **kwargs)


cffi.api.FFI.dlopen = dlopen
