import warnings

import pytest

from hoomd_rigidfield.shortrange import regimes
from hoomd_rigidfield.shortrange.corresponding_states import critical_depth
from hoomd_rigidfield.shortrange.potentials import DLVOPair, salt_ions


def _pair(c, **over):
    ions, z = salt_ions(c, 1, 3)
    kw = dict(radius=2.25e-9, hamaker=2e-19, surface_potential=-0.05, epsilon_r=182.0,
              temperature=298.15, check_derjaguin=False)  # fmt: skip
    return DLVOPair.from_salt(concentrations=ions, valencies=z, **{**kw, **over})


def test_landmarks_of_the_map():
    lam = 0.18
    u_c = float(critical_depth(lam))
    assert regimes.predicted_regime(u_c - 0.05, lam) == "fluid"
    assert regimes.predicted_regime(u_c + 0.05, lam) == "crystal"
    assert regimes.predicted_regime(3.5, 0.1) == "crystal"  # "3-4 kT, range < 20%"
    assert regimes.predicted_regime(6.0, 0.1) == "gel"
    assert regimes.predicted_regime(regimes.GEL_DEPTH, 0.5) == "gel"
    assert regimes.predicted_regime(2.0, 0.4) == "droplets"
    assert regimes.predicted_regime(0.0, 0.1) == "fluid"
    assert regimes.predicted_regime(3.0, -0.05) == "fluid"  # net repulsive
    assert set(regimes.REGIMES) == {"fluid", "crystal", "droplets", "gel"}
    with pytest.raises(ValueError, match="depth"):
        regimes.predicted_regime(float("nan"), 0.1)


def test_dlvo_mapping_against_the_notes():
    # ASSEMBLY_MODELS §1.1: 50 mM gives B2* = -47 and lam ~ 0.003, sigma_eff = 2R + h_c
    eq = regimes.dlvo_square_well(_pair(0.05))
    assert eq.sigma_eff == pytest.approx(1.0)  # in units of the contact distance, 4.8 nm
    assert eq.reduced_b2 == pytest.approx(-47, abs=1.0)
    assert eq.lam == pytest.approx(0.003, abs=5e-4)
    assert regimes.predicted_regime(eq.depth, eq.lam) == "gel"
    assert regimes.dlvo_square_well(_pair(0.05), diameter="bh").sigma_eff == pytest.approx(1.0)


def test_one_millimolar_is_stable_and_the_notes_cut_the_integral():
    # the notes' B2* = +86 at 1 mM is this integral cut at a gap of 20 nm; the converged value
    # (40 Debye lengths + 4 radii) is +153 (docs/shortrange.md)
    pair = _pair(0.001)
    eq = regimes.dlvo_square_well(pair)
    assert eq.reduced_b2 == pytest.approx(153.5, abs=1.0)
    assert eq.lam < 0 and regimes.predicted_regime(eq.depth, eq.lam) == "fluid"
    from hoomd_rigidfield.shortrange.corresponding_states import hard_sphere_b2, second_virial

    s = pair.contact
    cut = second_virial(lambda x: pair.energy(x * s), 1 + 20e-9 / s, breakpoints=[1.0])
    assert cut / hard_sphere_b2(1.0) == pytest.approx(86, abs=1.0)


def test_no_well_is_an_error():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pair = _pair(0.01, hamaker=0.0)
    with pytest.raises(ValueError, match="no attractive well"):
        regimes.dlvo_square_well(pair)
