import numpy as np
import pytest

from hoomd_rigidfield.errors import GridResolutionError
from hoomd_rigidfield.fieldtheory.study import fcc_chain_statepoint, from_statepoint


def test_from_statepoint_flags_under_resolved_points():
    sp = {"b": 100.0, "lam": 500.0, "lattice_constant": 90.0, "n_cells": 1, "n_grid": 64}
    sp["rtol"] = 1e-6
    study = from_statepoint(sp | {"alpha": 3.0, "gamma": 2.1})
    assert study.resolved and study.solver.box_length == 90.0 and study.solver.spacing == 90.0 / 64
    assert study.solver is study.solver  # built once
    assert study.shape is None and study.sites.shape == (4, 3)
    # 2 pi alpha / gamma = 3.2 A is 2.3 grid spacings: allowed, but flagged.
    assert not from_statepoint(sp | {"alpha": 1.8, "gamma": 3.5}).resolved
    with pytest.raises(GridResolutionError, match="Nyquist"):
        from_statepoint(sp | {"alpha": 1.0, "gamma": 4.0}).solver


def test_from_statepoint_builds_the_fcc_chain_of_the_paper():
    sp = fcc_chain_statepoint(3.0, 2.1, n_cells=1, n_grid=64, steps=10, window=5)
    study = from_statepoint(sp)
    assert study.box_length == 90.0 and len(study.sites) == 4
    np.testing.assert_allclose(study.shape.circumradius, from_statepoint(sp).shape.circumradius)
    mc = study.monte_carlo()
    assert mc.step == 0 and mc.kT == 50.0


def test_from_statepoint_names_missing_keys():
    with pytest.raises(KeyError, match="box_length or lattice_constant"):
        from_statepoint(
            {"alpha": 3.0, "gamma": 2.1, "b": 100.0, "lam": 500.0, "n_grid": 64, "rtol": 1e-6}
        )
    with pytest.raises(KeyError, match="n_grid"):
        from_statepoint(
            {"alpha": 3.0, "gamma": 2.1, "b": 100.0, "lam": 500.0, "rtol": 1e-6, "box_length": 90.0}
        )
