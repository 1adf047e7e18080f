import numpy as np
import pytest
from scipy.spatial.distance import pdist

from hoomd_rigidfield import Electrolyte, FieldSolver, TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.superlattice import (
    PHASES,
    classify_alignment,
    fcc_sites,
    phase_of,
    representative_free_energies,
    representative_orientation,
)
from hoomd_rigidfield.orientation import alignment_order_parameter


class TestFccSites:
    def test_nearest_neighbour_shell(self):
        a = 90.0
        sites = fcc_sites(a, 2)
        assert sites.shape == (32, 3)
        L = 2 * a
        d = sites[:, None] - sites[None]
        d -= L * np.round(d / L)
        r = np.sort(np.linalg.norm(d, axis=-1), axis=1)[:, 1:]
        np.testing.assert_allclose(r[:, :12], a / np.sqrt(2))  # 12 nearest neighbours
        # Second shell at a (3 distinct sites: +a and -a are one image when L = 2a).
        np.testing.assert_allclose(r[:, 12:15], a)
        assert pdist(fcc_sites(a)).min() == pytest.approx(a / np.sqrt(2))

    @pytest.mark.parametrize("args", [(0.0, 1), (90.0, 0), (90.0, 1.5)])
    def test_rejects_bad_input(self, args):
        with pytest.raises(ValueError):
            fcc_sites(*args)


class TestPhases:
    def test_representative_configurations_classify_as_themselves(self):
        expected_s = {"face-to-face": np.sqrt(2) - 1, "diagonal": 0.6330, "edge-to-edge": 1.0}
        for phase in PHASES:
            r = representative_orientation(phase)
            np.testing.assert_allclose(r.T @ r, np.eye(3), atol=1e-14)
            assert alignment_order_parameter(r[None])[0] == pytest.approx(
                expected_s[phase], abs=1e-4
            )
            assert phase_of(np.repeat(r[None], 4, axis=0)) == phase

    def test_diagonal_puts_a_hexagon_on_the_nearest_neighbour_axis(self):
        r = representative_orientation("diagonal")
        np.testing.assert_allclose(
            r @ (np.ones(3) / np.sqrt(3)), [1 / np.sqrt(2)] * 2 + [0], atol=1e-14
        )

    def test_thresholds(self):
        s = np.array([0.0, 0.6, 0.61, 0.85, 0.851, 1.0])
        assert classify_alignment(s).tolist() == [
            "face-to-face",
            "face-to-face",
            "diagonal",
            "diagonal",
            "edge-to-edge",
            "edge-to-edge",
        ]
        with pytest.raises(ValueError, match=r"\[0, 1\]"):
            classify_alignment(1.5)
        with pytest.raises(ValueError, match="phase must be one of"):
            representative_orientation("square")


def test_representative_free_energies_follow_symmetry():
    """Body [111] -> [110] and its cube-equivalent images give the same free energy, and the
    alignments differ from one another by far more than the discretisation noise."""
    nc = TruncatedOctahedron.from_size(20.0)
    solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 32.0, 24)
    f = representative_free_energies(solver, nc, 32.0)
    assert set(f) == set(PHASES)
    # Rotating every NC by a cube symmetry of the lattice (90 deg about z) changes nothing.
    r = representative_orientation("diagonal")
    rz = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    solver.compute(nc, (fcc_sites(32.0) @ rz.T) % 32.0, rz @ r)
    assert solver.free_energy == pytest.approx(f["diagonal"], rel=1e-6)
    assert abs(f["face-to-face"] - f["edge-to-edge"]) > 1e-4 * abs(f["edge-to-edge"])
    with pytest.raises(ValueError, match="n_cells"):
        representative_free_energies(solver, nc, 30.0)
