"""Shared fixtures: the paper's electrolyte and small nanocrystals for fast grids."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hoomd_rigidfield import Electrolyte, TruncatedOctahedron
from hoomd_rigidfield.backend import cupy_available


@pytest.fixture
def electrolyte():
    """Paper Fig. 4A electrolyte: alpha = 3.0 A, gamma = 2.1, b/a = 100 A, lambda/a = 500."""
    return Electrolyte.from_alpha_gamma(3.0, 2.1)


@pytest.fixture
def small_nc():
    """Archimedean truncated octahedron with 2 h100 = 20 A (fits 48 A boxes at h = 1 A)."""
    return TruncatedOctahedron.from_size(20.0)


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)


requires_gpu = pytest.mark.skipif(
    not cupy_available(), reason="CuPy with a CUDA device is not available on this machine"
)


PROJECTS = Path(__file__).resolve().parents[1] / "projects"


def load_project_module(study: str, module: str = "project"):
    """Import ``projects/<study>/<module>.py`` under a unique name (projects are not packages)."""
    name = f"_study_{study}_{module}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECTS / study / f"{module}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


HOOMD_SKIP_REASON = (
    "HOOMD-blue is not installed (conda install -c conda-forge 'hoomd=4.8', or build it from "
    "source and put it on PYTHONPATH)"
)


@pytest.fixture(scope="module")
def hoomd():
    """The HOOMD-blue package; the test is skipped with the install command where it is missing."""
    return pytest.importorskip("hoomd", reason=HOOMD_SKIP_REASON)


#: A directory whose ``sitecustomize.py`` makes ``import hoomd`` fail (see its docstring).
WITHOUT_HOOMD = Path(__file__).resolve().parent / "without_hoomd"

# Imported by --doctest-modules, the shim would hide HOOMD-blue from this test process too.
collect_ignore = ["without_hoomd"]


def env_without_hoomd() -> dict:
    """This process's environment, for subprocesses in which HOOMD-blue is not importable.

    ``tests/without_hoomd`` goes first on PYTHONPATH; its ``sitecustomize`` refuses ``hoomd``
    however HOOMD-blue is installed (site-packages, PYTHONPATH, ``.pth``). The rest of the
    environment, HOOMD's own PYTHONPATH entry included, is kept.
    """
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(WITHOUT_HOOMD), *paths])
    return env


def run_study_without_hoomd(study: str, cwd, *args: str) -> subprocess.CompletedProcess:
    """``python projects/<study>/project.py <args>`` in ``cwd`` with HOOMD-blue unimportable."""
    return subprocess.run(
        [sys.executable, str(PROJECTS / study / "project.py"), *args],
        cwd=cwd,
        env=env_without_hoomd(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fig():
    """A matplotlib figure, closed after the test."""
    import matplotlib.pyplot as plt

    figure = plt.figure()
    yield figure
    plt.close(figure)


def single_face_colour(collection) -> np.ndarray:
    """The one face colour (RGB) of a matplotlib collection; fails if it has several."""
    colours = np.unique(np.round(collection.get_facecolor()[:, :3], 6), axis=0)
    assert len(colours) == 1
    return colours[0]


def legend_texts(ax) -> list[str]:
    """The texts of an axes' legend."""
    return [t.get_text() for t in ax.get_legend().get_texts()]
