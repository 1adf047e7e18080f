"""Lennard-Jones fcc by the Einstein molecule in MD: two spring constants agree.

No literature value is asserted: the truncated (r_cut = 1.8 sigma, unshifted) LJ used to fit
N = 108 in its box is not the full LJ of the tables.
"""

import numpy as np
import pytest

from hoomd_rigidfield.freeenergy.study import build_lattice

pytestmark = pytest.mark.hoomd
R_CUT = 1.8


def _lj(r, ti, tj):
    s6 = r**-6.0
    return 4.0 * (s6 * s6 - s6)


def _run(hoomd, spring_max, seed):
    from hoomd_rigidfield.freeenergy.md import solid_free_energy

    lj = hoomd.md.pair.LJ(nlist=hoomd.md.nlist.Cell(buffer=0.3), mode="none")
    lj.params[("L", "L")] = dict(epsilon=1.0, sigma=1.0)
    lj.r_cut[("L", "L")] = R_CUT
    return solid_free_energy(
        build_lattice("fcc", 3, 1.28),
        lj,
        _lj,
        R_CUT,
        kT=2.0,
        spring_max=spring_max,
        steps=4000,
        equilibration=3000,
        seed=seed,
        progress=False,
        device=hoomd.device.CPU(notice_level=0),
    )


@pytest.mark.slow
def test_lj_fcc_free_energy_does_not_depend_on_the_spring(hoomd):
    soft, stiff = _run(hoomd, 1000.0, 1), _run(hoomd, 3000.0, 2)
    assert np.mean([nd.acceptance for nd in stiff.nodes]) == pytest.approx(1.0, abs=0.03)
    combined = (soft.error**2 + stiff.error**2) ** 0.5
    assert stiff.free_energy == pytest.approx(soft.free_energy, abs=3 * combined)
