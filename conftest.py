"""Collection of the package's doctests (``--doctest-modules`` over ``hoomd_rigidfield/``).

The HOOMD-facing modules import HOOMD-blue at import time, so their doctests are collected only
where HOOMD-blue is installed; the deprecated ``hoomd_rigidfield.hoomd`` aliases never are.
"""

import importlib.util

collect_ignore_glob = ["hoomd_rigidfield/hoomd/*"]
if importlib.util.find_spec("hoomd") is None:
    collect_ignore_glob += [
        "hoomd_rigidfield/*/md.py",
        "hoomd_rigidfield/*/hpmc.py",
        "hoomd_rigidfield/*/update.py",
        "hoomd_rigidfield/*/write.py",
        "hoomd_rigidfield/runs.py",
    ]
