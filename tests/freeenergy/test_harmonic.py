"""Harmonic lattice dynamics and the leading anharmonic term (freeenergy.harmonic), no HOOMD.

Independent references: the dynamical matrix summed on the commensurate k grid (the Hessian's
spectrum, and the matrix-tree identity det K' = prod(lambda != 0) / N^3 behind the fixed
particle); Monte Carlo moments of the cubic and quartic energies, evaluated from pair energies of
displaced configurations only, over exact samples of the harmonic crystal; the inversion symmetry
that removes the mean cubic force in fcc but not in hcp; thermodynamic consistency
<U> = d(beta A)/d beta.
"""

import itertools
import math

import numpy as np
import pytest

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.freeenergy.harmonic import (
    HarmonicCrystal,
    PowerLawPair,
    fcc_harmonic_free_energy,
    pair_tensors,
)
from hoomd_rigidfield.freeenergy.study import build_lattice

LJ = PowerLawPair.lennard_jones()


def _fcc(n_cells, rho=1.28):
    return build_lattice("fcc", n_cells, rho)


def _lattice_vectors(rho, r_cut):
    """fcc lattice vectors shorter than r_cut (units a/2: integer triples with an even sum)."""
    a = (4 / rho) ** (1 / 3)
    v = [
        0.5 * a * np.array(t, float)
        for t in itertools.product(range(-8, 9), repeat=3)
        if sum(t) % 2 == 0 and any(t)
    ]
    return np.array([x for x in v if np.linalg.norm(x) < r_cut])


def _log_eigen_sum(x, k):
    """Sum over k points of ln(eigenvalues) of D(k) = sum_R Phi(R) (1 - cos k.R)."""
    hess = pair_tensors(LJ, x)[0]
    d = np.einsum("kp,pab->kab", 1 - np.cos(k @ x.T), hess)
    return float(np.sum(np.log(np.linalg.eigvalsh(d))))


def _commensurate_k(rho, n_cells):
    """The supercell's k points modulo the bcc reciprocal lattice, k = 0 left out.

    2 pi / (n a) (h, k, l) on [0, 2n)^3 covers each class twice; k = 0 is (0,0,0) and (n,n,n).
    """
    a = (4 / rho) ** (1 / 3)
    hkl = [t for t in itertools.product(range(2 * n_cells), repeat=3)]
    hkl = [t for t in hkl if t not in ((0, 0, 0), (n_cells,) * 3)]
    return 2 * np.pi / (n_cells * a) * np.array(hkl, float), 0.5


def _offset_k(rho, grid):
    """A shifted grid of the primitive reciprocal cell (no k = 0): the N -> infinity average."""
    cube = (4 / rho) ** (1 / 3)
    primitive = 0.5 * cube * np.array([[0.0, 1, 1], [1, 0, 1], [1, 1, 0]])
    reciprocal = 2 * np.pi * np.linalg.inv(primitive).T
    f = (np.arange(grid) + 0.5) / grid
    return np.array(list(itertools.product(f, f, f))) @ reciprocal


def test_hessian_spectrum_is_the_dynamical_matrix_and_the_fixed_particle_takes_n_cubed():
    crystal = HarmonicCrystal(_fcc(2), LJ, 1.4)
    n = crystal.num_particles
    k, weight = _commensurate_k(1.28, 2)
    log_prod = weight * _log_eigen_sum(_lattice_vectors(1.28, 1.4), k)
    # to freud's float32 box and sites (1e-7); a wrong assembly is off by O(1)
    assert np.sum(np.log(crystal._eigenvalues)) == pytest.approx(log_prod, rel=1e-6)
    # matrix-tree theorem: removing particle 0 leaves prod(lambda) / N^3 (3 ln N = 10.4)
    assert crystal.log_det_reduced == pytest.approx(log_prod - 3 * math.log(n), rel=1e-6)


def test_free_energy_has_the_harmonic_finite_size_law():
    # beta A/N = a + b/N - (3/2) ln N / N: -ln V/N (fixed particle), -(3/2) ln N/N (det K'),
    # +ln N/N (the missing k = 0 phonons); a from the dynamical matrix on a shifted k grid
    kT, rc, grid = 2.0, 1.92, 16
    crystals = [HarmonicCrystal(_fcc(cells), LJ, rc) for cells in (3, 4, 5)]
    a_inf = (
        crystals[-1].static_energy / kT
        + 0.5 * _log_eigen_sum(_lattice_vectors(1.28, rc), _offset_k(1.28, grid)) / grid**3
        - 1.5 * math.log(2 * math.pi * kT)
    )
    n = np.array([c.num_particles for c in crystals])
    slopes = (np.array([c.free_energy(kT) for c in crystals]) - a_inf) * n
    # with the ln term b is the same at every N; a plain a + b/N would leave 1.5 ln N
    # (spread 2.3 over N = 108-500)
    assert np.ptp(slopes + 1.5 * np.log(n)) < 0.1
    assert np.ptp(slopes) > 1.5
    # the module's N -> infinity limit (its static energy from exact vectors; the lattice
    # builders' sites are float32)
    assert fcc_harmonic_free_energy(LJ, 1.28, kT, rc) == pytest.approx(a_inf, abs=1e-6)


def _moments(crystal, lattice, rc, n_samples, rng):
    """<V4> and <V3^2>/2 at kT = 1 over exact harmonic samples, from pair energies only."""
    from hoomd_rigidfield.freeenergy.einstein import LatticePairs

    pairs = LatticePairs.build(lattice.box, lattice.positions, rc)
    keep = np.linalg.norm(pairs.vectors, axis=1) < rc
    i, j, x = pairs.i[keep], pairs.j[keep], pairs.vectors[keep]
    n = crystal.num_particles

    def energy(u):
        d = x + u[j] - u[i]
        return np.sum(LJ.energy(np.linalg.norm(d, axis=1)))

    u0 = energy(np.zeros((n, 3)))
    modes = crystal._modes / np.sqrt(crystal._eigenvalues)
    v3, v4 = [], []
    for _ in range(n_samples):
        u = (modes @ rng.standard_normal(modes.shape[1])).reshape(n, 3)
        e = {h: energy(h * u) - u0 for h in (0.5, -0.5, 0.25, -0.25, 1e-4, -1e-4, 2e-4, -2e-4)}
        harmonic = 0.5 * u.reshape(-1) @ crystal.hessian @ u.reshape(-1)
        # E(h) = h F.u + h^2 H + h^3 V3 + h^4 V4 + h^5 V5 + ... (F = 0 at an equilibrium);
        # Richardson on the odd and even parts, the linear term from tiny h
        linear = (8 * (e[1e-4] - e[-1e-4]) - (e[2e-4] - e[-2e-4])) / 12e-4
        odd = {h: ((e[h] - e[-h]) / 2 - h * linear) / h**3 for h in (0.5, 0.25)}
        even = {h: ((e[h] + e[-h]) / 2 - h * h * harmonic) / h**4 for h in (0.5, 0.25)}
        v3.append((4 * odd[0.25] - odd[0.5]) / 3)
        v4.append((4 * even[0.25] - even[0.5]) / 3)
    v3, v4 = np.array(v3), np.array(v4)
    return (
        (v4.mean(), v4.std(ddof=1) / math.sqrt(n_samples)),
        ((v3**2).mean() / 2, (v3**2).std(ddof=1) / 2 / math.sqrt(n_samples)),
    )


def _jittered_fcc():
    """fcc N = 32 with sites moved by 0.02 sigma: no site symmetry, so the mean cubic force is on."""
    from hoomd_rigidfield.analysis.lattices import LatticeSystem

    base = _fcc(2)
    pos = base.positions + 0.02 * np.random.default_rng(3).standard_normal(base.positions.shape)
    return LatticeSystem(base.box, pos, base.typeid, base.types)


@pytest.mark.parametrize(
    ("lattice", "rc", "symmetric"),
    [
        (_fcc(2), 1.4, True),
        (lattices.hcp(3, (math.sqrt(2) / 1.28) ** (1 / 3)), 1.3, True),
        (_jittered_fcc(), 1.4, False),
    ],
    ids=["fcc", "hcp", "no-symmetry"],
)
def test_perturbation_terms_match_monte_carlo_moments(lattice, rc, symmetric):
    # the moments are Gaussian identities, true for any positive Hessian: the jittered crystal
    # (not an equilibrium, so the check is switched off) exercises the mean-force term
    crystal = HarmonicCrystal(lattice, LJ, rc, relaxation_tolerance=math.inf)
    quartic, cubic, self_term = crystal.anharmonic_terms()
    (v4, v4_err), (v3sq, v3sq_err) = _moments(crystal, lattice, rc, 4000, np.random.default_rng(5))
    assert quartic == pytest.approx(v4, abs=5 * v4_err)
    assert cubic + self_term == pytest.approx(v3sq, abs=5 * v3sq_err)
    if symmetric:  # fcc (inversion) and hcp (-6m2) sites are not polar: no mean cubic force
        assert self_term == pytest.approx(0.0, abs=1e-8 * cubic)
    else:
        assert self_term > 0.01 * cubic


def test_off_equilibrium_sites_are_refused():
    with pytest.raises(ValueError, match=r"^lattice must be a mechanical equilibrium"):
        HarmonicCrystal(_jittered_fcc(), LJ, 1.4)


def test_energy_is_the_temperature_derivative_of_the_free_energy():
    crystal = HarmonicCrystal(_fcc(2), LJ, 1.4)
    c2 = crystal.anharmonic_coefficient()

    def beta_a(beta):  # N beta A / N to second order: harmonic + c2 kT
        return crystal.free_energy(1 / beta) + c2 / beta

    beta, h = 4.0, 1e-4
    derivative = (beta_a(beta + h) - beta_a(beta - h)) / (2 * h)
    assert crystal.energy(1 / beta) == pytest.approx(derivative, rel=1e-7)


def test_lennard_jones_coefficient_is_converged_in_n_and_the_cutoff():
    # the leading anharmonic free energy per particle is intensive: c2 at N = 108 and 256 agree
    # to 0.5 % (measured 0.0802, 0.0798), and the fourth shell (2.07 sigma) adds less than that
    small = HarmonicCrystal(_fcc(3), LJ, 1.92).anharmonic_coefficient()
    large = HarmonicCrystal(_fcc(4), LJ, 1.92).anharmonic_coefficient()
    longer = HarmonicCrystal(_fcc(3), LJ, 2.15).anharmonic_coefficient()
    assert small == pytest.approx(large, rel=0.005)
    assert longer == pytest.approx(small, rel=0.005)


def test_mie_prefactor_gives_a_well_of_depth_epsilon():
    pair = PowerLawPair.mie(25.0, 6.0, epsilon=2.5)
    r_min = (25.0 / 6.0) ** (1 / 19)
    assert float(pair.energy(r_min)) == pytest.approx(-2.5, rel=1e-12)
    assert float(PowerLawPair.mie(12.0, 6.0).energy(1.3)) == pytest.approx(
        float(LJ.energy(1.3)), rel=1e-12
    )


def test_s_derivatives_match_finite_differences():
    s = np.array([0.55, 0.8, 1.6])
    for order in (1, 2, 3, 4):
        h = 1e-3
        lower = LJ.s_derivative(s - h, order - 1) if order > 1 else LJ.energy(np.sqrt(2 * (s - h)))
        upper = LJ.s_derivative(s + h, order - 1) if order > 1 else LJ.energy(np.sqrt(2 * (s + h)))
        assert LJ.s_derivative(s, order) == pytest.approx((upper - lower) / (2 * h), rel=1e-4)


def test_type_pairs_select_the_potential():
    lattice = lattices.alb2(1, 1.0)  # types L and S
    a = PowerLawPair.lennard_jones()
    mapping = HarmonicCrystal._pair_table(lattice, {("L", "L"): a, ("S", "L"): a, ("S", "S"): a})
    assert set(mapping) == {(0, 0), (0, 1), (1, 1)}
    with pytest.raises(ValueError, match=r"^pair must give a PowerLawPair for the type pair"):
        HarmonicCrystal._pair_table(lattice, {("L", "L"): a})


def test_unstable_lattice_is_refused():
    # simple cubic with nearest-neighbour central forces only has zero-frequency shear modes
    with pytest.raises(ValueError, match=r"^lattice must be mechanically stable"):
        HarmonicCrystal(lattices.simple_cubic(4, 1.1), LJ, 1.2)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: PowerLawPair((1.0,), (-12.0,)), "exponents"),
        (lambda: PowerLawPair((float("nan"),), (12.0,)), "coefficients"),
        (lambda: PowerLawPair((1.0, 2.0), (12.0,)), "exponents"),
        (lambda: PowerLawPair.mie(6.0, 12.0), "n"),
        (lambda: PowerLawPair.lennard_jones(epsilon=0.0), "epsilon"),
        (lambda: PowerLawPair.lennard_jones(sigma=float("inf")), "sigma"),
        (lambda: HarmonicCrystal(_fcc(2), LJ, 0.0), "r_cut"),
        (lambda: HarmonicCrystal(_fcc(2), LJ, 2.0), "r_max"),  # beyond half the box
        (lambda: HarmonicCrystal(_fcc(2), LJ, 1.4).free_energy(-1.0), "kT"),
        (lambda: HarmonicCrystal(_fcc(2), LJ, 1.4).free_energy(1.0, float("nan")), "wavelength"),
        (lambda: HarmonicCrystal(_fcc(9), LJ, 1.4), "num_particles"),  # 2916 > MAX_PARTICLES
        (
            lambda: HarmonicCrystal(_fcc(2), LJ, 1.4, relaxation_tolerance=-1.0),
            "relaxation_tolerance",
        ),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        call()


def test_pair_of_wrong_kind_is_refused():
    with pytest.raises(TypeError, match=r"^pair must be a PowerLawPair"):
        HarmonicCrystal(_fcc(2), "lj", 1.4)


def test_extrapolation_with_the_log_term_recovers_the_harmonic_limit():
    from hoomd_rigidfield.freeenergy.study import extrapolate

    crystals = [HarmonicCrystal(_fcc(cells), LJ, 1.92) for cells in (3, 4, 5)]
    n = [c.num_particles for c in crystals]
    values = [c.free_energy(2.0) for c in crystals]
    exact = fcc_harmonic_free_energy(LJ, 1.28, 2.0, 1.92)
    with_log = extrapolate(n, values, [1e-3] * 3)[0]  # the default c = -3/2
    plain = extrapolate(n, values, [1e-3] * 3, log_coefficient=0.0)[0]
    assert with_log == pytest.approx(exact, abs=1e-3)
    assert plain < exact - 0.005  # measured 0.0067 low: the form matters at this precision


def test_size_limit_reaches_the_infinite_crystal():
    from hoomd_rigidfield.freeenergy.harmonic import harmonic_size_limit

    lim = harmonic_size_limit([_fcc(k) for k in (3, 4, 5)], LJ, 1.92, 2.0)
    assert lim.sizes == (108, 256, 500)
    assert lim.limit == pytest.approx(fcc_harmonic_free_energy(LJ, 1.28, 2.0, 1.92), abs=2e-4)
    assert lim.max_residual < 1e-4  # the law's higher orders (measured 3e-5)
    assert lim.shift(256) == pytest.approx(lim.limit - lim.free_energies[1], abs=0)
    with pytest.raises(ValueError, match=r"^n must be one of the sizes"):
        lim.shift(32)
    with pytest.raises(ValueError, match=r"^lattices must hold >= 3 sizes"):
        harmonic_size_limit([_fcc(3), _fcc(4)], LJ, 1.92, 2.0)
    with pytest.raises(ValueError, match=r"^lattices must have distinct sizes"):
        harmonic_size_limit([_fcc(3), _fcc(3), _fcc(4)], LJ, 1.92, 2.0)


def _binary_pairs(m):
    from hoomd_rigidfield.mie.potential import MieMixture

    mix = MieMixture.binary(m=m, epsilon=2.5, cutoff=1.5)
    pots = {
        k: PowerLawPair.mie(p.n, p.m, epsilon=p.epsilon, sigma=p.sigma)
        for k, p in mix.pairs().items()
    }
    return mix, pots, {k: p.r_cut for k, p in mix.pairs().items()}


def test_per_pair_potentials_and_cutoffs_are_the_mie_mixture():
    mix, pots, cuts = _binary_pairs(25.0)
    for key, pair in mix.pairs().items():
        r = np.array([0.95, 1.1, 1.3]) * pair.sigma
        assert pots[key].energy(r) == pytest.approx(pair.unshifted_energy(r), rel=1e-12)
    # fcc with half the sites relabelled S: per-pair cut-offs that are all equal give the
    # scalar's crystal; a longer L-L cut adds the 2nd shell's L-L pairs only
    from hoomd_rigidfield.analysis.lattices import LatticeSystem

    base = _fcc(3)
    two = LatticeSystem(base.box, base.positions, np.arange(base.num_particles) % 2, ("L", "S"))
    same = {k: 1.4 for k in cuts}
    a = HarmonicCrystal(two, LJ, same)
    b = HarmonicCrystal(two, LJ, 1.4)
    assert a.static_energy == pytest.approx(b.static_energy, rel=1e-12)
    assert a.log_det_reduced == pytest.approx(b.log_det_reduced, rel=1e-12)
    # (the labelling breaks the symmetry, so this crystal is not an equilibrium: check off)
    longer = HarmonicCrystal(two, LJ, {**same, ("L", "L"): 1.6}, relaxation_tolerance=math.inf)
    d = base.box.wrap((base.positions[None] - base.positions[:, None]).reshape(-1, 3))
    r = np.linalg.norm(d, axis=1).reshape(base.num_particles, -1)
    is_l = two.typeid == 0
    second_ll = np.sum(np.triu((r > 1.4) & (r < 1.6) & is_l[:, None] & is_l[None], 1))
    assert second_ll > 0
    assert len(longer._i) - len(a._i) == second_ll  # the second shell (1.46 sigma), L-L only
    with pytest.raises(ValueError, match=r"^r_cut must give a cut-off for the type pair"):
        HarmonicCrystal(two, LJ, {("L", "L"): 1.4})


def test_narrow_well_alb2_of_the_phase_diagram_is_not_a_static_minimum():
    # the CPU diagram's solid (beta eps = 2.5, rho = 3.05, c/a = 1.043): S-S bonds at 0.594
    # against r_min = 0.565 sit on the concave side of the 50-25 well, so the static lattice
    # has unstable modes; the crystal is held at T > 0 (docs/free_energy.md)
    _, pots, cuts = _binary_pairs(25.0)
    lattice = build_lattice("alb2", 4, 3.05, c_over_a=1.043)
    with pytest.raises(ValueError, match=r"^lattice must be mechanically stable"):
        HarmonicCrystal(lattice, pots, cuts)
