"""Make HOOMD-blue unimportable in every Python started with this directory on PYTHONPATH.

``tests.conftest.env_without_hoomd()`` puts this directory first on PYTHONPATH. Python's ``site``
module then imports this file as ``sitecustomize`` at start-up, and it puts a finder first on
``sys.meta_path`` that refuses ``hoomd`` and ``hoomd.*``. ``import hoomd`` then raises
ModuleNotFoundError, wherever HOOMD-blue is installed: in site-packages (conda, pip), on
PYTHONPATH (a source build), or behind a ``.pth`` file. (``python -S`` and ``-I`` skip it.)

Why ``sitecustomize`` on PYTHONPATH and not another hook:

- it is an environment setting, so it also holds in grandchildren (signac-flow operations,
  console scripts) and needs no change to the command line;
- ``usercustomize`` is never imported in a virtual environment (``site.ENABLE_USER_SITE`` is
  False there), and ``.pth`` files are only read from site directories, not from PYTHONPATH;
- a ``python -c`` bootstrap covers only the process that it starts.

A ``sitecustomize`` that the environment already has (Debian's system Python ships one) is
shadowed by this file, so this file runs it afterwards (``_run_shadowed_sitecustomize``).

pytest does not collect this directory (``collect_ignore`` in ``tests/conftest.py``): imported
by ``--doctest-modules`` it would hide HOOMD-blue from the test process itself.
"""

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

#: The message of the ModuleNotFoundError that ``import hoomd`` raises here.
MESSAGE = (
    "No module named {name!r}: HOOMD-blue is hidden in this process on purpose, by "
    "{file} (first on PYTHONPATH; see tests.conftest.env_without_hoomd)"
)


class HideHoomd(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` finder that refuses ``hoomd`` and its submodules."""

    def find_spec(self, fullname: str, path=None, target=None):
        """Raise ModuleNotFoundError for ``hoomd`` and ``hoomd.*``; defer on other modules.

        Args:
            fullname (str): The module's full name.
            path: The parent package's ``__path__`` (unused).
            target: The module being reloaded (unused).

        Returns:
            None: For modules other than HOOMD-blue (the next finder decides).

        Raises:
            ModuleNotFoundError: For ``hoomd`` and ``hoomd.*``.
        """
        if fullname == "hoomd" or fullname.startswith("hoomd."):
            raise ModuleNotFoundError(MESSAGE.format(name=fullname, file=__file__), name=fullname)
        return None


def hide_hoomd() -> None:
    """Put a :class:`HideHoomd` first on ``sys.meta_path`` (once) and forget imported HOOMD."""
    for name in [n for n in sys.modules if n == "hoomd" or n.startswith("hoomd.")]:
        del sys.modules[name]
    if not any(isinstance(finder, HideHoomd) for finder in sys.meta_path):
        sys.meta_path.insert(0, HideHoomd())


def _run_shadowed_sitecustomize() -> None:
    """Run the ``sitecustomize`` that this file shadows, if the environment has one."""
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module  # as ``site`` would have left it
    spec.loader.exec_module(module)


if __name__ == "sitecustomize":
    hide_hoomd()
    _run_shadowed_sitecustomize()
