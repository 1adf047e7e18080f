"""The square-well crystal by the Einstein molecule, its virial gas and the solubility line.

Exact checks: B2 against the shortrange suite's closed form and quadrature, B3 against a
numerical triple integral (bipolar coordinates) and the hard-sphere 5 b0^2 / 8, the perturbation
step against the hard-sphere one at zero depth (same samples) and the lattice energy -6 u0 per
particle of fcc with all 12 neighbours in the well, Gibbs-Duhem for the gas, and coexistence on
a closed-form solid. HOOMD: the depth -> 0 limit is the hard-sphere crystal, the stiff node is
the ideal molecule, and two spring settings give one free energy.
"""

import math

import numpy as np
import pytest
from scipy import integrate

from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd, hard_sphere_perturbation
from hoomd_rigidfield.freeenergy.squarewell import (
    SolidFit,
    SquareWell,
    VirialGas,
    critical_depth,
    solubility,
    square_well_perturbation,
    widom_weight,
)
from hoomd_rigidfield.freeenergy.study import build_lattice
from hoomd_rigidfield.shortrange.corresponding_states import (
    second_virial,
    square_well_reduced_b2,
)

WIDTH = 0.18
B0 = 2 * math.pi / 3


def _fcc(a_nn, n_cells=2):
    return build_lattice("fcc", n_cells, math.sqrt(2) / a_nn**3)


@pytest.mark.parametrize("depth", [0.0, 1.0, 2.5])
def test_b2_is_the_closed_form_and_the_quadrature(depth):
    well = SquareWell(depth, WIDTH)
    assert well.reduced_b2 == pytest.approx(float(square_well_reduced_b2(depth, WIDTH)), rel=1e-12)
    quad = second_virial(well.energy, 1.5, breakpoints=[1.0, 1.0 + WIDTH])
    assert well.b2 == pytest.approx(quad, rel=1e-8, abs=1e-10)


def _b3_numerical(depth, lam):
    # B3 = -(8 pi^2 / 3) int r f(r) int s f(s) int_{|r-s|}^{r+s} t f(t) dt ds dr
    x = math.expm1(depth)

    def f(r):
        return -1.0 if r < 1 else (x if r < lam else 0.0)

    def t_f(t):  # int_0^t t' f(t') dt'
        t = min(t, lam)
        return -0.5 * t * t if t < 1 else -0.5 + 0.5 * x * (t * t - 1)

    total = 0.0
    edges = [(0.0, 1.0), (1.0, lam)]
    for a, b in edges:
        for c, d in edges:
            total += integrate.dblquad(
                lambda s, r: r * f(r) * s * f(s) * (t_f(r + s) - t_f(abs(r - s))),
                a,
                b,
                c,
                d,
                epsabs=1e-10,
                epsrel=1e-8,
            )[0]
    return -8 * math.pi**2 / 3 * total


def test_b3_is_the_hard_sphere_one_at_zero_depth():
    assert SquareWell(0.0, WIDTH).b3 == pytest.approx(5 * B0**2 / 8, rel=1e-14)


@pytest.mark.parametrize(("depth", "width"), [(2.0, 0.18), (1.5, 0.5)])
def test_b3_is_the_numerical_triple_integral(depth, width):
    assert SquareWell(depth, width).b3 == pytest.approx(_b3_numerical(depth, 1 + width), rel=1e-6)


def test_critical_depth_is_where_b2_star_is_minus_1_5():
    depth = critical_depth(WIDTH)
    assert float(square_well_reduced_b2(depth, WIDTH)) == pytest.approx(-1.5, abs=1e-12)
    assert 1.5 < depth < 1.7  # the ~1.59 quoted for the seed's width


def test_zero_depth_perturbation_is_the_hard_sphere_one():
    # the same random stream draws the same ideal-molecule samples: the same overlap count
    lat = _fcc(1.11)
    sw = square_well_perturbation(lat.box, lat.positions, 500.0, SquareWell(0.0, WIDTH), rng=7)
    hs = hard_sphere_perturbation(lat.box, lat.positions, 500.0, rng=7)
    assert hs.value > 10 * hs.error  # overlaps do happen at this spring
    assert sw.value == pytest.approx(hs.value, rel=1e-12)
    assert sw.lattice_energy == 0.0


@pytest.mark.parametrize(("a_nn", "bonds"), [(1.09, 6), (1.2, 0)])
def test_perturbation_is_the_lattice_energy_at_a_stiff_spring(a_nn, bonds):
    # fcc: 12 neighbours at a_nn (6 bonds per particle), the next shell at 1.41 a_nn > 1.18
    depth = 2.5
    lat = _fcc(a_nn)
    out = square_well_perturbation(
        lat.box, lat.positions, 1e5, SquareWell(depth, WIDTH), n_samples=2000, rng=1
    )
    assert out.lattice_energy == pytest.approx(-bonds * depth, rel=1e-14)
    assert out.value == pytest.approx(-bonds * depth, abs=1e-9)


def test_perturbation_refuses_an_overlapping_lattice_and_a_soft_spring():
    lat = _fcc(0.98)
    with pytest.raises(ValueError, match="lattice sites overlap"):
        square_well_perturbation(lat.box, lat.positions, 2000.0, SquareWell(1.0, WIDTH))
    lat = _fcc(1.0)
    with pytest.raises(ValueError, match="no overlap-free configuration"):
        square_well_perturbation(
            lat.box, lat.positions, 700.0, SquareWell(1.0, WIDTH), n_samples=50, rng=1
        )
    with pytest.raises(ValueError, match="well must be a SquareWell"):
        square_well_perturbation(lat.box, lat.positions, 2000.0, 1.0)


@pytest.mark.parametrize("order", [2, 3])
def test_virial_gas_obeys_gibbs_duhem(order):
    gas = VirialGas(SquareWell(2.0, WIDTH), order=order)
    rho, h = 0.05, 1e-6
    dp = (gas.pressure(rho + h) - gas.pressure(rho - h)) / (2 * h)
    dmu = (gas.chemical_potential(rho + h) - gas.chemical_potential(rho - h)) / (2 * h)
    assert dp == pytest.approx(rho * dmu, rel=1e-7)
    assert float(gas.pressure(1e-9)) == pytest.approx(1e-9, rel=1e-6)


def test_solubility_solves_equal_pressure_and_chemical_potential():
    # a closed-form "solid" beta A/N = 40 (rho - 1.1)^2 - 4 and the B2 + B3 gas at depth 1
    gas = VirialGas(SquareWell(1.0, WIDTH))
    rho = np.linspace(1.0, 1.2, 5)
    out = solubility(gas, rho, 40 * (rho - 1.1) ** 2 - 4.0, np.full(5, 1e-3), n_bootstrap=50, rng=3)
    rho_s = out.solid_density
    p_s = rho_s**2 * 80 * (rho_s - 1.1)
    mu_s = 40 * (rho_s - 1.1) ** 2 - 4.0 + p_s / rho_s
    assert out.pressure == pytest.approx(p_s, rel=1e-8)
    assert float(gas.pressure(out.gas_density)) == pytest.approx(p_s, rel=1e-8)
    assert float(gas.chemical_potential(out.gas_density)) == pytest.approx(mu_s, abs=1e-9)
    assert out.chemical_potential == pytest.approx(mu_s, abs=1e-9)
    # d ln rho_gas ~ d beta mu: the gas error follows the 1e-3 kT free-energy errors
    assert 1e-4 < out.gas_density_error / out.gas_density < 3e-3


def test_solid_fit_refuses_a_zero_pressure_outside_the_data():
    rho = np.array([1.0, 1.05, 1.1])
    fit = SolidFit(rho, (rho - 1.3) ** 2, np.full(3, 0.01))
    with pytest.raises(ValueError, match="no stable zero in"):
        fit.zero_pressure_density()


def test_solid_fit_density_at_pressure_is_the_closed_form():
    # beta A/N = c (rho - rho0)^2: beta p = 2 c rho^2 (rho - rho0)
    rho = np.linspace(1.0, 1.2, 5)
    fit = SolidFit(rho, 30 * (rho - 1.08) ** 2, np.full(5, 0.01))
    assert fit.zero_pressure_density() == pytest.approx(1.08, rel=1e-10)
    r = fit.density_at_pressure(0.5)
    assert 2 * 30 * r**2 * (r - 1.08) == pytest.approx(0.5, rel=1e-9)
    with pytest.raises(ValueError, match="above the fit's"):
        fit.density_at_pressure(100.0)


def test_virial_gas_density_inverts_the_chemical_potential():
    gas = VirialGas(SquareWell(1.5, WIDTH))
    for rho in (1e-8, 1e-3, 0.1):
        assert gas.density(float(gas.chemical_potential(rho))) == pytest.approx(rho, rel=1e-10)
    assert gas.density(-3.0) < gas.spinodal  # the dilute root, not a denser one
    top = float(gas.chemical_potential(gas.dilute_limit))
    with pytest.raises(ValueError, match="the gas is not dilute"):
        gas.density(top + 0.1)


def test_widom_weight_of_one_particle_is_its_core_and_well_volumes():
    # one particle in V: <w> = 1 - v_core / V + (e^u0 - 1) v_well / V
    depth, side, m = 1.0, 6.0, 200_000
    v_core = 4 * math.pi / 3
    v_well = v_core * ((1 + WIDTH) ** 3 - 1)
    exact = 1 - v_core / side**3 + math.expm1(depth) * v_well / side**3
    w = widom_weight([side] * 3, [[0.5, -1.0, 2.0]], SquareWell(depth, WIDTH), m, rng=5)
    spread = math.sqrt((v_core + math.expm1(depth) ** 2 * v_well) / side**3 / m)
    assert w == pytest.approx(exact, abs=4 * spread)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: SquareWell(-1.0, WIDTH), r"depth must be a finite number in \[0, inf\) kT"),
        (lambda: SquareWell(1.0, 0.0), "width must be"),
        (lambda: SquareWell(1.0, 1.5).b3, "b3 needs width <= 1 sigma"),
        (lambda: VirialGas(SquareWell(1.0, WIDTH), order=4), "order must be"),
        (lambda: VirialGas(1.0), "well must be a SquareWell"),
        (lambda: critical_depth(WIDTH, 1.0), "reduced_b2 must be"),
        (lambda: SolidFit(np.ones(2), np.ones(2), np.ones(2)), "more than degree = 2"),
        (lambda: SolidFit(np.ones(3), np.ones(3), np.zeros(3)), "errors must be > 0"),
        (lambda: widom_weight([5.0] * 3, [[0.0] * 3], SquareWell(1.0, WIDTH), 0), "n_insertions"),
        (lambda: widom_weight([5.0] * 3, [[0.0] * 3], 1.0, 10), "well must be a SquareWell"),
    ],
)
def test_bad_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# HOOMD-blue: the crystal by HPMC with hpmc.pair.Step


def _crystal(hoomd, lattice, well, **kwargs):
    from hoomd_rigidfield.freeenergy.hpmc import hard_sphere_free_energy

    return hard_sphere_free_energy(
        lattice,
        square_well=well,
        progress=False,
        device=hoomd.device.CPU(notice_level=0),
        **kwargs,
    )


@pytest.mark.hoomd
def test_zero_depth_is_the_hard_sphere_crystal(hoomd):
    lattice = build_lattice("fcc", 2, 1.04086)
    hs = _crystal(hoomd, lattice, None, sweeps=2000, seed=1)
    sw = _crystal(hoomd, lattice, SquareWell(0.0, WIDTH), sweeps=2000, seed=2)
    assert sw.free_energy == pytest.approx(hs.free_energy, abs=3 * math.hypot(sw.error, hs.error))


@pytest.mark.hoomd
def test_square_well_crystal_is_independent_of_the_springs(hoomd):
    # all 12 neighbours in the well; the reference moves by 3 (N-1)/(2N) ln 4 between the two
    depth, lattice = 2.0, _fcc(1.09)
    soft = _crystal(hoomd, lattice, SquareWell(depth, WIDTH), spring_max=1000.0, seed=3)
    stiff = _crystal(hoomd, lattice, SquareWell(depth, WIDTH), spring_max=4000.0, seed=4)
    for run in (soft, stiff):
        assert run.perturbation.lattice_energy == pytest.approx(-6 * depth, rel=1e-14)
        # only broken bonds raise U above the lattice's (the next shell is beyond the well)
        assert 0 <= run.perturbation.value + 6 * depth < 0.05
        assert all(0.2 < nd.acceptance < 0.45 for nd in run.nodes)
    node = stiff.nodes[0]  # at Lambda_E ~ 1000 the cage (0.09 sigma each way) already cuts 5 %
    assert node.msd == pytest.approx(einstein_molecule_msd(32, node.spring), rel=0.03)
    assert stiff.reference - soft.reference == pytest.approx(1.5 * 31 / 32 * math.log(4), rel=1e-6)
    combined = math.hypot(soft.error, stiff.error)
    assert stiff.free_energy == pytest.approx(soft.free_energy, abs=3 * combined + 0.005)


@pytest.fixture(scope="module")
def hpmc(hoomd):
    from hoomd_rigidfield.freeenergy import hpmc

    return hpmc


@pytest.mark.hoomd
@pytest.mark.parametrize(
    ("shape", "well", "match"),
    [
        ("sphere", 2.0, "square_well must be a SquareWell"),
        ("sphere", SquareWell(1.0, WIDTH, sigma=1.1), "diameter square_well.sigma = 1.1"),
        ("cube", SquareWell(1.0, WIDTH), "needs spheres"),
    ],
)
def test_bad_square_well_inputs_are_refused(hpmc, shape, well, match):
    from hoomd_rigidfield.freeenergy.shapes import HardShape

    kwargs = {"spring_ratio": 1.0} if shape == "cube" else {}
    with pytest.raises(ValueError, match=match):
        hpmc.hard_particle_free_energy(
            _fcc(1.5),
            getattr(HardShape, shape)(),
            square_well=well,
            progress=False,
            sweeps=32,
            **kwargs,
        )
