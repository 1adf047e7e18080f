"""Hard-sphere fcc by the Einstein molecule in HPMC against Vega & Noya / Polson et al.

Reference: beta A/N = 4.9590(2) (total, Lambda = sigma, N -> infinity) at rho sigma^3 = 1.04086
(Vega & Noya 2007), i.e. the excess 5.91889(4) of Polson et al. 2000 plus ln(rho) - 1. The
finite-size form of the Einstein molecule is a + b/N (see docs/free_energy.md).
"""

import pytest

from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd
from hoomd_rigidfield.freeenergy.study import build_lattice, extrapolate

pytestmark = pytest.mark.hoomd
RHO = 1.04086
VEGA_NOYA = 4.9590


def _run(hoomd, n_cells, sweeps, spring_max=2000.0, seed=1):
    from hoomd_rigidfield.freeenergy.hpmc import hard_sphere_free_energy

    return hard_sphere_free_energy(
        build_lattice("fcc", n_cells, RHO),
        spring_max=spring_max,
        sweeps=sweeps,
        seed=seed,
        progress=False,
        device=hoomd.device.CPU(notice_level=0),
    )


def test_stiff_node_is_the_ideal_molecule_and_springs_agree(hoomd):
    small = _run(hoomd, 2, 2000, spring_max=1000.0)
    stiff = _run(hoomd, 2, 2000, spring_max=4000.0, seed=2)
    node = stiff.nodes[0]
    assert node.msd == pytest.approx(einstein_molecule_msd(32, node.spring), rel=0.03)
    assert all(0.2 < nd.acceptance < 0.45 for nd in stiff.nodes)
    # the reference moves by 3 (N-1)/(2N) ln 4 = 2.01 kT per particle; the sum must not
    combined = (small.error**2 + stiff.error**2) ** 0.5
    assert stiff.reference - small.reference == pytest.approx(1.5 * 31 / 32 * 1.3862944, rel=1e-6)
    assert stiff.free_energy == pytest.approx(small.free_energy, abs=3 * combined + 0.005)


def test_hard_sphere_fcc_extrapolates_to_vega_noya(hoomd):
    runs = [_run(hoomd, k, 3000) for k in (2, 3)]
    a, da, _ = extrapolate(
        [r.n for r in runs], [r.free_energy for r in runs], [r.error for r in runs]
    )
    # 32 and 108 only: 3 sigma plus 0.01 kT for the 1/N form at N = 32
    assert a == pytest.approx(VEGA_NOYA, abs=3 * da + 0.01)


@pytest.mark.slow
def test_hard_sphere_fcc_extrapolates_to_vega_noya_accurately(hoomd):
    runs = [_run(hoomd, k, 20000) for k in (3, 4, 5)]
    a, da, _ = extrapolate(
        [r.n for r in runs], [r.free_energy for r in runs], [r.error for r in runs]
    )
    assert da < 0.01
    assert a == pytest.approx(VEGA_NOYA, abs=3 * da)
