"""The walk-throughs in ``analysis/`` run as Jupyter notebooks on small inputs and draw figures.

Every ``analysis/*.py`` with ``# %%`` cells (jupytext percent format) is found automatically,
converted with jupytext and executed cell by cell by nbclient in an IPython kernel of this
Python, in ``analysis/`` (where Jupyter opens it), with ``HOOMD_RIGIDFIELD_SMALL=1``: each
walk-through then makes its own small inputs (in a temporary directory). A walk-through that
contains the comment ``# needs HOOMD-blue`` is skipped with the install hint where HOOMD-blue
does not import. jupytext, nbclient, nbformat and ipykernel come with the test extra.
"""

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import HOOMD_SKIP_REASON

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ROOT / "analysis"
WALKTHROUGHS = sorted(p for p in ANALYSIS.glob("*.py") if "# %%" in p.read_text())
MARKER = "# needs HOOMD-blue"
#: Seconds a walk-through may take on a shared machine (each takes < 20 s on one free core).
BUDGET = 90


def test_walkthroughs_are_found():
    assert {p.name for p in WALKTHROUGHS} >= {
        "binary_mie_crystallisation.py",
        "orientation_mc_vs_map.py",
    }


@pytest.mark.parametrize("path", WALKTHROUGHS, ids=[p.stem for p in WALKTHROUGHS])
def test_walkthrough_runs_as_a_notebook(path, tmp_path, monkeypatch):
    import jupytext
    from nbclient import NotebookClient

    if MARKER in path.read_text():
        done = subprocess.run([sys.executable, "-c", "import hoomd"], capture_output=True)
        if importlib.util.find_spec("hoomd") is None or done.returncode != 0:
            pytest.skip(HOOMD_SKIP_REASON)
    # what the kernel inherits: small inputs, temporary files here, inline figures
    monkeypatch.setenv("HOOMD_RIGIDFIELD_SMALL", "1")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mpl"))
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    for name in ("MPLBACKEND", "DISPLAY", "BINARY_MIE_TRAJECTORY", "BINARY_MIE_OUTPUT"):
        monkeypatch.delenv(name, raising=False)

    notebook = jupytext.read(path, fmt="py:percent")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert len(code) >= 3 and any(c.cell_type == "markdown" for c in notebook.cells)
    client = NotebookClient(
        notebook,
        kernel_name="python3",  # ipykernel's own spec: this Python (sys.executable)
        timeout=BUDGET,
        resources={"metadata": {"path": str(ANALYSIS)}},
    )
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError with the cell's traceback if a cell fails
    elapsed = time.perf_counter() - start

    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    images = [o for c in code for o in c.outputs if "image/png" in o.get("data", {})]
    saved = sum(c.source.count(".savefig(") for c in code)
    assert saved >= 1 and len(images) >= saved, (
        f"{path.name}: {len(images)} figures drawn for {saved} saved"
    )
    for image in images:
        assert len(image["data"]["image/png"]) > 5000  # base64 of a real figure, not a blank
    assert elapsed < BUDGET, f"{path.name} took {elapsed:.0f} s"
