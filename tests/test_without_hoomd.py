"""The shim behind ``env_without_hoomd()`` hides HOOMD-blue however it is installed."""

import os
import subprocess
import sys

from tests.conftest import WITHOUT_HOOMD, env_without_hoomd

CHECK = """
import importlib, sys
for name in ("hoomd", "hoomd.md"):
    try:
        importlib.import_module(name)
    except ImportError as err:
        assert isinstance(err, ModuleNotFoundError) and err.name == "hoomd", repr(err)
        assert "hidden in this process on purpose" in str(err), str(err)
    else:
        sys.exit(f"import {name} worked")
import hoomd_rigidfield
from hoomd_rigidfield.errors import HOOMD_INSTALL_HINT
try:
    import hoomd_rigidfield.mie.md
except ImportError as err:
    assert HOOMD_INSTALL_HINT in str(err), str(err)
else:
    sys.exit("hoomd_rigidfield.mie.md imported without HOOMD-blue")
print("hidden")
"""


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def _prepend(env: dict, *paths) -> dict:
    """``env`` with ``paths`` put on PYTHONPATH after the shim (as an installed HOOMD would be)."""
    rest = [p for p in env["PYTHONPATH"].split(os.pathsep) if p != str(WITHOUT_HOOMD)]
    return {**env, "PYTHONPATH": os.pathsep.join([str(WITHOUT_HOOMD), *map(str, paths), *rest])}


def test_hides_the_installed_hoomd(hoomd):
    # HOOMD-blue is importable here (site-packages, .pth or PYTHONPATH); not in the subprocess
    assert _python("import hoomd", dict(os.environ)).returncode == 0
    done = _python(CHECK, env_without_hoomd())
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "hidden"


def test_hides_a_hoomd_package_on_pythonpath(tmp_path):
    (tmp_path / "hoomd").mkdir()
    (tmp_path / "hoomd" / "__init__.py").write_text("")
    (tmp_path / "hoomd" / "md.py").write_text("")
    assert _python("import hoomd.md", {**os.environ, "PYTHONPATH": str(tmp_path)}).returncode == 0
    done = _python(CHECK, _prepend(env_without_hoomd(), tmp_path))
    assert done.returncode == 0, done.stderr


def test_runs_the_sitecustomize_it_shadows(tmp_path):
    (tmp_path / "sitecustomize.py").write_text("import os\nos.environ['SHADOWED_RAN'] = '1'\n")
    code = "import os, sys; print(os.environ.get('SHADOWED_RAN'), 'hoomd' in sys.modules)"
    done = _python(code, _prepend(env_without_hoomd(), tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "False"]


def test_this_process_is_not_affected():
    # pytest must not import the shim (collect_ignore in conftest.py)
    assert not any(type(f).__name__ == "HideHoomd" for f in sys.meta_path)
    assert env_without_hoomd()["PYTHONPATH"].split(os.pathsep)[0] == str(WITHOUT_HOOMD)
