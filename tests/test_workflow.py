import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from hoomd_rigidfield.backend import cupy_available
from hoomd_rigidfield.plotting import PHASE_COLOURS, plot_phase_map
from hoomd_rigidfield.workflow import array_backend, directives, versions


def test_directives():
    assert directives() == {"np": 1}
    assert directives(gpu=True, walltime=2, cores=4) == {"np": 4, "ngpu": 1, "walltime": 2.0}
    with pytest.raises(ValueError, match="cores"):
        directives(cores=0)
    with pytest.raises(ValueError, match="walltime"):
        directives(walltime=-1.0)


def test_backend_and_versions():
    assert array_backend() == ("cupy" if cupy_available() else "numpy")
    v = versions()
    assert {"hoomd-rigidfield", "numpy", "scipy", "gsd", "signac-flow"} <= set(v)
    assert v["numpy"] == np.__version__


def test_phase_map_colours_each_cell_by_its_phase():
    fig, ax = plt.subplots()
    phase = np.array([[0, 1], [2, -1]])
    resolved = np.array([[True, True], [True, False]])
    plot_phase_map(
        ax, [1.8, 4.0], [1.1, 4.0], phase, resolved, np.array([[1.0, 2.0], [3.0, np.nan]])
    )
    mesh = ax.collections[0]
    values = mesh.get_array().ravel()
    assert values.mask.tolist() == [False, False, False, True]
    colours = mesh.to_rgba(values.filled(0))
    expected = [matplotlib.colors.to_rgba(PHASE_COLOURS[i]) for i in (0, 1, 2)]
    for got, want in zip(colours[:3], expected):
        np.testing.assert_allclose(got[:3], want[:3])
    assert len(ax.collections) == 2  # the under-resolved cell is marked
    assert [t.get_text() for t in ax.texts if t.get_text() in {"1", "2", "3"}] == ["1", "2", "3"]
    plt.close(fig)


def test_field_solver_flags_under_resolved_points():
    from hoomd_rigidfield.errors import GridResolutionError
    from hoomd_rigidfield.workflow import field_solver

    sp = {"b": 100.0, "lam": 500.0, "lattice_constant": 90.0, "n_cells": 1, "n_grid": 64}
    sp["rtol"] = 1e-6
    solver, resolved = field_solver(sp | {"alpha": 3.0, "gamma": 2.1})
    assert resolved and solver.box_length == 90.0 and solver.spacing == 90.0 / 64
    # 2 pi alpha / gamma = 3.2 A is 2.3 grid spacings: allowed, but flagged.
    assert not field_solver(sp | {"alpha": 1.8, "gamma": 3.5})[1]
    with pytest.raises(GridResolutionError, match="Nyquist"):
        field_solver(sp | {"alpha": 1.0, "gamma": 4.0})


def test_init_jobs_is_idempotent(tmp_path, capsys):
    from hoomd_rigidfield.workflow import init_jobs

    sps = [{"alpha": 3.0}, {"alpha": 4.0}]
    init_jobs(str(tmp_path), sps)
    project = init_jobs(str(tmp_path), sps)
    assert len(project) == 2 and "2 jobs" in capsys.readouterr().out
