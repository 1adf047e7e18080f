import math

import numpy as np
import pytest

from hoomd_rigidfield import FieldSolver, TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.pair import PairFreeEnergy
from hoomd_rigidfield.orientation import rotation_about


def _minima(r, f):
    """Separations of the local minima, refined by a parabola through three points."""
    out = []
    for i in range(1, len(f) - 1):
        if f[i] < f[i - 1] and f[i] < f[i + 1]:
            a, b, c = f[i - 1], f[i], f[i + 1]
            out.append(r[i] + 0.5 * (r[1] - r[0]) * (a - c) / (a - 2 * b + c))
    return np.array(out)


class TestPairFreeEnergy:
    def test_damped_oscillation(self, electrolyte):
        """FIELD_THEORY.md (g)12 on small NCs: minima ~2 pi alpha/gamma apart, decaying tail."""
        nc = TruncatedOctahedron.from_size(14.0)
        solver = FieldSolver(electrolyte, 80.0, 50)  # h = 1.6 A
        step = math.sqrt(2) * solver.spacing / 2
        r = 20.0 + step * np.arange(20)
        pair = PairFreeEnergy(solver, nc).compute(r, progress=False)
        minima = _minima(r, pair.interaction)
        assert len(minima) >= 2
        assert minima[1] - minima[0] == pytest.approx(electrolyte.wavelength, rel=0.05)
        tail = np.abs(pair.interaction[r > minima[0]])
        first = abs(pair.interaction[np.argmin(np.abs(r - minima[0]))])
        assert tail[-4:].max() < 0.2 * first  # decays ~ e^{-r/alpha}
        assert pair.interaction[0] > 0  # steep repulsion near contact
        # commensurate steps: one single-NC solve for A, two grid offsets for B
        assert pair.n_single_solves == 3
        np.testing.assert_allclose(pair.interaction, pair.free_energy - pair.single_free_energies)

    def test_positions(self, electrolyte):
        solver = FieldSolver(electrolyte, 80.0, 50)
        pair = PairFreeEnergy(solver, TruncatedOctahedron.from_size(14.0), [1, 0, 0])
        pos = pair.positions(30.0)
        assert np.linalg.norm(pos[1] - pos[0]) == pytest.approx(30.0)
        np.testing.assert_allclose(pos[0] / solver.spacing, np.round(pos[0] / solver.spacing))
        np.testing.assert_allclose(pos.mean(axis=0), 40.0, atol=solver.spacing)

    def test_orientation_changes_short_range(self, electrolyte):
        nc = TruncatedOctahedron.from_size(14.0)
        solver = FieldSolver(electrolyte, 80.0, 50)
        r = np.array([17.0, 19.0])
        aligned = PairFreeEnergy(solver, nc).compute(r, progress=False)
        tilt = rotation_about([0, 0, 1], math.pi / 4)
        tilted = PairFreeEnergy(solver, nc).compute(r, None, tilt, progress=False).interaction
        # far above the discretisation floor (2e-5 |F_pair|, see test_field) at short range
        floor = 2e-5 * np.abs(aligned.free_energy).max()
        assert np.min(np.abs(aligned.interaction - tilted)) > 20 * floor

    def test_errors(self, electrolyte):
        solver = FieldSolver(electrolyte, 80.0, 50)
        nc = TruncatedOctahedron.from_size(14.0)
        with pytest.raises(ValueError, match="direction"):
            PairFreeEnergy(solver, nc, [0, 0, 0])
        with pytest.raises(TypeError, match="FieldSolver"):
            PairFreeEnergy(None, nc)
        with pytest.raises(TypeError, match="ConvexPolyhedron"):
            PairFreeEnergy(solver, "cube")
        pair = PairFreeEnergy(solver, nc)
        with pytest.raises(AttributeError, match="compute"):
            pair.interaction
        with pytest.raises(ValueError, match="separations"):
            pair.compute([-1.0])


@pytest.mark.slow
def test_paper_pair_curve_minima(electrolyte):
    """Half-size NCs (2 h100 = 28.5 A) at h = 1.6 A: aligned minima near 44.4 and 53.3 A (ref)."""
    nc = TruncatedOctahedron.from_size(28.5)
    solver = FieldSolver(electrolyte, 116.0, 72)
    step = math.sqrt(2) * solver.spacing / 2
    r = 40.0 + step * np.arange(14)
    pair = PairFreeEnergy(solver, nc).compute(r, progress=False)
    minima = _minima(r, pair.interaction)
    np.testing.assert_allclose(minima[:2], [44.42, 53.28], rtol=0.03)
