"""The package layout: one subpackage per suite, no suite imports another, HOOMD and CuPy fenced.

Only modules named as HOOMD names its families (``md``, ``hpmc``, ``update``) and ``runs`` may
import HOOMD-blue; only ``backend`` may import CuPy; a suite imports the shared top level and
``analysis`` but never another suite. Checked twice: statically on every import statement
(function-local ones included) and at run time in fresh interpreters.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hoomd_rigidfield"
SUITES = ("fieldtheory", "freeenergy", "mie", "patchy", "scattering", "shortrange")
HOOMD_MODULES = {"md", "hpmc", "update", "write", "runs"}
#: The deprecated alias package re-exports the HOOMD-facing modules of every suite.
DEPRECATED = "hoomd_rigidfield.hoomd"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(path: Path, module: str) -> set[str]:
    """Absolute names of every module an import statement in ``path`` names."""
    names = set()
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _suite(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUITES else None


MODULES = _modules()


def test_every_suite_has_the_same_shape():
    for suite in SUITES:
        names = {m.rsplit(".", 1)[-1] for m in MODULES if _suite(m) == suite}
        assert {"study", "plotting"} <= names, suite
        assert names & {"md", "hpmc", "update", "write"}, f"{suite} has no HOOMD-facing module"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_respect_the_layout(module):
    imports = _imports(MODULES[module], module)
    leaf = module.rsplit(".", 1)[-1]
    if any(name == "hoomd" or name.startswith("hoomd.") for name in imports):
        assert leaf in HOOMD_MODULES, (
            f"{module} imports HOOMD-blue but is not md/hpmc/update/write/runs"
        )
    if any(name == "cupy" or name.startswith(("cupy.", "cupyx")) for name in imports):
        assert module == "hoomd_rigidfield.backend", f"{module} imports CuPy (use the backend)"
    if module.startswith(DEPRECATED):
        return
    own = _suite(module)
    for name in imports:
        other = _suite(name) if name.startswith("hoomd_rigidfield.") else None
        if other is not None:
            assert other == own, f"{module} imports {name}: a suite imports no other suite"


def test_the_rule_checker_sees_a_cross_suite_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from hoomd_rigidfield.mie.potential import MiePair\n")
    assert "hoomd_rigidfield.mie.potential" in _imports(bad, "hoomd_rigidfield.patchy.bad")
    assert _suite("hoomd_rigidfield.mie.potential") == "mie"


_PROBE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("hoomd", "cupy", "cupyx"))
suites = sorted({m.split(".")[1] for m in sys.modules
                 if m.startswith("hoomd_rigidfield.") and m.split(".")[1] in json.loads(sys.argv[2])})
print(json.dumps({"foreign": loaded, "suites": suites}))
"""


@pytest.mark.parametrize("group", [*SUITES, "shared"])
def test_importing_a_suite_loads_neither_hoomd_cupy_nor_another_suite(group):
    names = [
        m
        for m in MODULES
        if m.rsplit(".", 1)[-1] not in HOOMD_MODULES
        and not m.startswith(DEPRECATED)
        and (_suite(m) == group if group in SUITES else _suite(m) is None)
    ]
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(names), json.dumps(SUITES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(out.stdout)
    assert result["foreign"] == []
    assert result["suites"] == ([group] if group in SUITES else [])


def test_top_level_reexports_are_lazy():
    code = (
        "import sys, hoomd_rigidfield as hr; a = 'hoomd_rigidfield.fieldtheory' in sys.modules; "
        "hr.FieldSolver; print(a, 'hoomd_rigidfield.fieldtheory.solver' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_deprecated_hoomd_package_warns_and_hands_on_the_new_names():
    import importlib.util

    import hoomd_rigidfield.hoomd as old

    if importlib.util.find_spec("hoomd") is None:
        with pytest.warns(DeprecationWarning, match=r"fieldtheory\.update"):
            with pytest.raises(ImportError, match=r"HOOMD-blue|hoomd"):
                old.FieldRotation
    else:
        from hoomd_rigidfield.fieldtheory.update import FieldRotation

        with pytest.warns(DeprecationWarning, match=r"fieldtheory\.update"):
            assert old.FieldRotation is FieldRotation
    with pytest.raises(AttributeError, match="no attribute"):
        old.not_a_name
