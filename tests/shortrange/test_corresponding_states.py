import functools
import math

import numpy as np
import pytest

from hoomd_rigidfield.shortrange import corresponding_states as cs

#: ASSEMBLY_MODELS §4 closed-form B2* of the square well: (lambda', beta u0) -> B2*.
SW_TABLE = {(1.5, 1): -3.0809, (1.25, 1): -0.6377, (1.18, 1): -0.1049, (1.18, 2): -3.1084,
            (1.18, 3): -11.273, (1.18, 4): -33.465}  # fmt: skip
#: ASSEMBLY_MODELS §1.2: critical depth (B2* = -1.5) by width.
CRITICAL = {0.03: 3.33, 0.05: 2.83, 0.10: 2.15, 0.15: 1.76, 0.18: 1.59, 0.25: 1.29}


def sw(depth, lam):
    return functools.partial(cs.square_well_energy, depth=depth, lam=lam)


@pytest.mark.parametrize("key", sorted(SW_TABLE))
def test_square_well_closed_form_against_the_notes(key):
    lam_prime, depth = key
    assert cs.square_well_reduced_b2(depth, lam_prime - 1) == pytest.approx(SW_TABLE[key], abs=1e-3)


@pytest.mark.parametrize("depth, lam", [(0.5, 0.05), (1.0, 0.18), (3.0, 0.1), (4.0, 0.5)])
def test_quadrature_equals_closed_form_to_1e6(depth, lam):
    b2 = cs.second_virial(sw(depth, lam), 1 + lam, breakpoints=[1.0, 1 + lam])
    assert b2 / cs.hard_sphere_b2(1.0) == pytest.approx(
        float(cs.square_well_reduced_b2(depth, lam)), rel=1e-6, abs=1e-9
    )


@pytest.mark.parametrize("diameter", cs.DIAMETERS)
@pytest.mark.parametrize("depth, lam", [(0.7, 0.03), (2.0, 0.18), (5.0, 0.4)])
def test_mapping_is_the_identity_on_a_square_well(depth, lam, diameter):
    eq = cs.equivalent_square_well(sw(depth, lam), 1.0, r_max=2.0, breakpoints=[1 + lam],
                                   diameter=diameter)  # fmt: skip
    assert eq.depth == pytest.approx(depth, rel=1e-12)
    assert eq.sigma_eff == pytest.approx(1.0, rel=1e-10)
    assert eq.lam == pytest.approx(lam, rel=1e-6)
    assert eq.reduced_b2 == pytest.approx(float(cs.square_well_reduced_b2(depth, lam)), rel=1e-6)
    assert eq.diameter == diameter


def test_mapping_in_other_length_units_scales():
    sigma = 4.8
    energy = functools.partial(cs.square_well_energy, depth=2.0, lam=0.1, sigma=sigma)
    eq = cs.equivalent_square_well(energy, sigma, r_max=2 * sigma, breakpoints=[1.1 * sigma])
    assert eq.sigma_eff == pytest.approx(sigma) and eq.lam == pytest.approx(0.1, rel=1e-6)


@pytest.mark.parametrize("lam", sorted(CRITICAL))
def test_critical_depths(lam):
    u0 = float(cs.critical_depth(lam))
    assert u0 == pytest.approx(CRITICAL[lam], abs=0.01)
    assert float(cs.square_well_reduced_b2(u0, lam)) == pytest.approx(cs.CRITICAL_REDUCED_B2)


def test_square_well_width_inverts_the_closed_form():
    for depth, lam in ((1.0, 0.05), (3.0, 0.3)):
        b2 = float(cs.square_well_reduced_b2(depth, lam))
        assert cs.square_well_width(depth, b2) == pytest.approx(lam, rel=1e-12)
    # a barrier that outweighs the well: B2* > 1 has no square well (negative width)
    assert cs.square_well_width(5.0, 10.0) < 0


def test_barker_henderson_and_noro_frenkel_diameters_of_a_soft_core():
    # u = (1/r)^12 (no well): d_BH = Gamma(11/12) at beta = 1, the known closed form
    def soft(r):
        return np.asarray(r, float) ** -12.0

    d = cs.barker_henderson_diameter(soft, 50.0, breakpoints=[0.5, 1.0, 2.0])
    assert d == pytest.approx(math.gamma(11 / 12), rel=1e-8)

    # NF diameter of the same core with a constant well of 2 kT added below r_min = 1.2
    def wca(r):
        return soft(r) - 2.0

    nf = cs.noro_frenkel_diameter(wca, 1.2, 2.0, breakpoints=[0.5, 1.0])
    expected = cs.barker_henderson_diameter(soft, 1.2, breakpoints=[0.5, 1.0])
    assert nf == pytest.approx(expected, rel=1e-10)


def test_hard_sphere_b2_and_second_virial_of_hard_spheres():
    assert cs.hard_sphere_b2(2.0) == pytest.approx(2 * math.pi * 8 / 3)

    def hs(r):
        return np.where(np.asarray(r) < 2.0, np.inf, 0.0)

    assert cs.second_virial(hs, 3.0, breakpoints=[2.0]) == pytest.approx(cs.hard_sphere_b2(2.0))


def test_below_critical():
    eq = cs.equivalent_square_well(sw(3.0, 0.1), 1.0, r_max=1.1)
    assert eq.below_critical
    assert not cs.equivalent_square_well(sw(1.0, 0.1), 1.0, r_max=1.1).below_critical


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: cs.square_well_reduced_b2(-1.0, 0.1), r"depth must be finite and in \[0, inf\)"),
        (lambda: cs.square_well_reduced_b2(1.0, np.nan), "lam must be finite"),
        (lambda: cs.square_well_energy(1.0, 1.0, 0.0), r"lam must be a finite number in \(0, inf\)"),
        (lambda: cs.critical_depth(0.1, reduced_b2=2.0), "reduced_b2"),
        (lambda: cs.critical_depth(-0.1), "lam must be finite"),
        (lambda: cs.equivalent_square_well(sw(1, 0.1), 1.0, r_max=0.5), "r_max"),
        (lambda: cs.equivalent_square_well(sw(1, 0.1), 1.0, r_max=2, diameter="x"), "diameter"),
        (lambda: cs.equivalent_square_well(sw(0, 0.1), 1.0, r_max=2), r"depth must .* \(0, inf\)"),
        (lambda: cs.hard_sphere_b2(float("nan")), "diameter must be a finite number"),
        (lambda: cs.second_virial(sw(1, 0.1), -1.0), "r_max"),
        (lambda: cs.square_well_width(0.0, 0.5), "depth"),
    ],
)  # fmt: skip
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.fixture(scope="module")
def aphi():
    return pytest.importorskip("analphipy", reason="analphipy is not installed")


class TestAgainstAnalphipy:
    """analphipy (NIST) computes the same B2 and Noro-Frenkel mapping independently."""

    def test_square_well_b2(self, aphi):
        from analphipy.measures import secondvirial_sw

        for (lam_prime, depth), _ in SW_TABLE.items():
            b2 = secondvirial_sw(beta=1.0, sig=1.0, eps=-depth, lam=lam_prime)
            ours = cs.second_virial(sw(depth, lam_prime - 1), lam_prime, breakpoints=[1.0])
            assert ours == pytest.approx(b2, rel=1e-8)

    def test_noro_frenkel_of_the_continuous_well(self, aphi):
        from analphipy.norofrenkel import NoroFrenkelPair

        from hoomd_rigidfield.shortrange.squarewell import ContinuousSquareWell, core_cutoff

        well = ContinuousSquareWell(depth=3.0, lam=0.15)
        segments = [0.0, 0.5, 0.9, well.zero, well.minimum, core_cutoff(), well.step, well.r_cut]
        nf = NoroFrenkelPair(phi=well.energy, segments=sorted(segments),
                                  r_min=well.minimum, phi_min=None)  # fmt: skip
        ref = nf.sw_dict(beta=1.0)
        eq = well.equivalent()
        assert eq.sigma_eff == pytest.approx(ref["sig"], rel=1e-6)
        assert 1 + eq.lam == pytest.approx(ref["lam"], rel=1e-6)
        assert -eq.depth == pytest.approx(ref["eps"], rel=1e-9)
        b2_ref = nf.secondvirial(beta=1.0) / cs.hard_sphere_b2(ref["sig"])
        assert eq.reduced_b2 == pytest.approx(b2_ref, rel=1e-6)
