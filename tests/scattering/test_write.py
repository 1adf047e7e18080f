"""The in-situ S(q, t) writer inside a HOOMD simulation."""

import csv

import numpy as np
import pytest

from hoomd_rigidfield.analysis import lattices


def test_writer_fits_the_fcc_peak_of_the_running_state(hoomd, tmp_path):
    from hoomd_rigidfield.scattering.write import StructureFactorWriter

    a = 1.6
    lattice = lattices.fcc(6, d_ll=a / np.sqrt(2))  # 864 particles, cubic a = 1.6
    frame = lattice.to_gsd_frame()
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=1)
    sim.create_state_from_snapshot(hoomd.Snapshot.from_gsd_frame(frame, sim.device.communicator))
    writer = StructureFactorWriter(
        hoomd.trigger.Periodic(2), tmp_path / "sq.csv", q_max=12.0, types=["L"], lattice="fcc",
        structure_factor_filename=tmp_path / "sq_t.csv",
    )  # fmt: skip
    sim.operations.writers.append(writer)
    sim.run(4)  # analyses at steps 2 and 4 (the state does not move: no integrator)
    result = writer.result
    np.testing.assert_array_equal(result.timestep, [2, 4])
    assert result.lattice_parameter == pytest.approx([a, a], rel=0.01)
    assert result.q_peak == pytest.approx(2 * np.pi * np.sqrt(3) / a, rel=0.01)
    with open(tmp_path / "sq.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [int(r["timestep"]) for r in rows] == [2, 4]
    assert (tmp_path / "sq_t.csv").read_text().count("\n") == 3  # header + 2 frames


def test_writer_refuses_a_bad_analysis(hoomd, tmp_path):
    from hoomd_rigidfield.scattering.write import StructureFactorAction

    with pytest.raises(ValueError, match="history must be a StructureFactorHistory"):
        StructureFactorAction(tmp_path / "x.csv", history="debye")
