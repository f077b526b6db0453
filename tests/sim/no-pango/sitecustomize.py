"""Simulates a machine without Pango (a minimal container): cffi cannot open the library, as there.

Put this folder on PYTHONPATH for one command, like ../shared/sim/no-harfbuzz-subset.
"""

import cffi.api

_dlopen = cffi.api.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if "pango" in str(name):
        raise OSError(f"cannot load library '{name}' (simulated: Pango not installed)")
    return _dlopen(self, name, *args, **kwargs)


cffi.api.FFI.dlopen = dlopen
