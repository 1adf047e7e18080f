"""Harmonic lattice dynamics of a pair-potential crystal and its leading anharmonic correction.

A periodic crystal of :math:`N` point particles with a pair potential :math:`u(r)` cut at
:math:`r_c` (and shifted, as HOOMD's ``mode="shift"``, so the static energy is that of the MD
model). Expanding the energy about the lattice, :math:`U = U_0 + \\tfrac12 u^\\top K u + V_3 +
V_4 + \\dots`, gives two things no simulation is needed for:

* the **exact classical harmonic free energy** of the finite crystal in the Einstein-molecule
  convention of :mod:`.einstein` (particle 0 fixed, so the Jacobian is 1 and :math:`K'` is
  :math:`K` without particle 0's rows and columns):

  .. math::

      \\frac{\\beta A_h}{N} = \\frac{\\beta U_0}{N} - \\frac{\\ln V}{N} + 3\\ln\\Lambda
          - \\frac{3(N-1)}{2N}\\ln(2\\pi kT) + \\frac{1}{2N}\\ln\\det K'

  (:meth:`HarmonicCrystal.free_energy`), the reference that the low-temperature Einstein molecule
  must reproduce and that can be taken off a measured :math:`\\beta A/N` before extrapolating in
  :math:`N` (its own finite-size law, :math:`a + b/N - \\tfrac32\\ln N/N`, is then removed
  exactly: ``docs/free_energy.md``);
* the **leading anharmonic free energy**, :math:`A_\\mathrm{ah}/N = c_2 (kT)^2`, from classical
  perturbation theory: :math:`\\beta A_\\mathrm{ah} = \\beta\\langle V_4\\rangle_h -
  \\tfrac{\\beta^2}{2}\\langle V_3^2\\rangle_h`, with the harmonic covariance
  :math:`\\langle u u^\\top\\rangle = kT\\,K^{+}`:

  .. math::

      c_2 N = \\tfrac18\\sum_p \\Phi^{(4)}_p{:}D_p D_p
          - \\tfrac1{12}\\sum_{p,q}\\Phi^{(3)}_p\\,\\Phi^{(3)}_q\\,C_{pq}C_{pq}C_{pq}
          - \\tfrac18 F^\\top K^{+} F ,

  :math:`\\Phi^{(n)}_p` the :math:`n`-th derivative tensor of :math:`u` at pair :math:`p`'s
  lattice vector, :math:`C_{pq} = \\langle\\Delta_p\\Delta_q^\\top\\rangle/kT` the covariance of
  the pairs' relative displacements, :math:`D_p = C_{pp}`, and :math:`F_i =
  \\sum_p \\pm\\Phi^{(3)}_p{:}D_p` the mean cubic force, a vector of the site, which vanishes
  wherever the site symmetry is not polar (fcc, bcc, hcp, the AlB2 sites). The potential energy is then
  :math:`\\langle U\\rangle/N = U_0/N + \\tfrac{3(N-1)}{2N}kT - c_2 (kT)^2 + O(kT^3)`
  (:meth:`HarmonicCrystal.energy`).

Why here and not phonopy or a similar package: those take force constants from a calculator
of their own (DFT or ASE) and give quantum free energies; what is needed is the classical
configurational integral of the *same* truncated pair model HOOMD samples, at finite :math:`N`,
with the Einstein molecule's fixed particle, which is a few lines of NumPy on a dense Hessian.

Units: lengths σ, energies in the potential's unit (ε or kT), ``kT`` in that unit.

Example:
    >>> from hoomd_rigidfield.freeenergy.harmonic import HarmonicCrystal, PowerLawPair
    >>> from hoomd_rigidfield.freeenergy.study import build_lattice
    >>> crystal = HarmonicCrystal(build_lattice("fcc", 3, 1.28), PowerLawPair.lennard_jones(), 1.92)
    >>> round(crystal.anharmonic_coefficient(), 4)  # A_ah / N = c2 (kT)^2 [1/epsilon]
    0.0802
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.freeenergy.literature import fcc_vectors
from hoomd_rigidfield.validation import check_finite_array, check_int, check_positive, check_real

#: Largest number of particles for the dense 3N x 3N Hessian (memory ~ 72 N^2 bytes).
MAX_PARTICLES = 2048
#: Pairs per block in the double pair sum of the cubic term (memory ~ 72 P x block bytes).
_BLOCK = 32


@dataclass(frozen=True)
class PowerLawPair:
    """A pair potential :math:`u(r) = \\sum_k c_k (\\sigma/r)^{p_k}` (Lennard-Jones, Mie, r⁻ⁿ).

    Args:
        coefficients (tuple[float, ...]): :math:`c_k` [energy].
        exponents (tuple[float, ...]): :math:`p_k` (> 0).
        sigma (float): :math:`\\sigma` [σ].
    """

    coefficients: tuple[float, ...]
    exponents: tuple[float, ...]
    sigma: float = 1.0

    def __post_init__(self):
        c = check_finite_array("coefficients", self.coefficients, (None,))
        p = check_finite_array("exponents", self.exponents, (len(c),))
        if len(c) == 0 or np.any(p <= 0):
            raise ValueError(
                f"exponents must be one or more positive numbers, got {tuple(p.tolist())}"
            )
        object.__setattr__(self, "coefficients", tuple(float(x) for x in c))
        object.__setattr__(self, "exponents", tuple(float(x) for x in p))
        object.__setattr__(self, "sigma", check_positive("sigma", self.sigma, "sigma"))

    @classmethod
    def lennard_jones(cls, epsilon: float = 1.0, sigma: float = 1.0) -> PowerLawPair:
        """:math:`4\\varepsilon[(\\sigma/r)^{12} - (\\sigma/r)^6]`."""
        eps = check_positive("epsilon", epsilon, "energy")
        return cls((4.0 * eps, -4.0 * eps), (12.0, 6.0), sigma)

    @classmethod
    def mie(cls, n: float, m: float, epsilon: float = 1.0, sigma: float = 1.0) -> PowerLawPair:
        """Mie :math:`C\\varepsilon[(\\sigma/r)^n - (\\sigma/r)^m]` of well depth ε.

        :math:`C = \\frac{n}{n-m}(n/m)^{m/(n-m)}`.
        """
        n_, m_ = check_positive("n", n), check_positive("m", m)
        if n_ <= m_:
            raise ValueError(f"n must exceed m for a Mie potential, got n={n_!r}, m={m_!r}")
        eps = check_positive("epsilon", epsilon, "energy")
        c = n_ / (n_ - m_) * (n_ / m_) ** (m_ / (n_ - m_)) * eps
        return cls((c, -c), (n_, m_), sigma)

    def energy(self, r: Any) -> np.ndarray:
        """:math:`u(r)` [energy] for distances ``r`` [σ]."""
        x = np.asarray(r, dtype=np.float64) / self.sigma
        return sum(c * x**-p for c, p in zip(self.coefficients, self.exponents, strict=True))

    def s_derivative(self, s: np.ndarray, order: int) -> np.ndarray:
        """:math:`d^k u/ds^k` with :math:`s = r^2/2` [energy/σ^{2k}] (``order`` k ≥ 1)."""
        out = np.zeros_like(s)
        for c, p in zip(self.coefficients, self.exponents, strict=True):
            q = p / 2  # u = c sigma^p (2 s)^(-p/2)
            coef = c * self.sigma**p * 2.0**-q
            for j in range(order):
                coef *= -(q + j)
            out += coef * s ** (-(q + order))
        return out


def pair_tensors(pair: PowerLawPair, vectors: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Second, third and fourth derivative tensors of :math:`u(|x|)` at pair vectors ``x``.

    With :math:`s = |x|^2/2`, :math:`\\partial_a u = u' x_a` and so on (primes in s): the
    tensors are sums of products of :math:`x` and Kronecker deltas.

    Args:
        pair (PowerLawPair): The potential.
        vectors ((P, 3) array): Pair vectors [σ] (nonzero).

    Returns:
        tuple: ``(P, 3, 3)``, ``(P, 3, 3, 3)`` and ``(P, 3, 3, 3, 3)`` arrays [energy/σ^n].
    """
    x = check_finite_array("vectors", vectors, (None, 3))
    s = 0.5 * np.einsum("pa,pa->p", x, x)
    f1, f2, f3, f4 = (pair.s_derivative(s, k) for k in (1, 2, 3, 4))
    eye = np.eye(3)
    xx = np.einsum("pa,pb->pab", x, x)
    hess = f2[:, None, None] * xx + f1[:, None, None] * eye
    dx = np.einsum("ab,pc->pabc", eye, x)
    sym3 = dx + np.einsum("pabc->pacb", dx) + np.einsum("pabc->pcab", dx)
    t3 = f3[:, None, None, None] * np.einsum("pab,pc->pabc", xx, x) + f2[:, None, None, None] * sym3

    def dxx(sub: str) -> np.ndarray:
        return np.einsum(sub, eye, x, x)

    sym4 = (
        dxx("ab,pc,pd->pabcd")
        + dxx("ac,pb,pd->pabcd")
        + dxx("ad,pb,pc->pabcd")
        + dxx("bc,pa,pd->pabcd")
        + dxx("bd,pa,pc->pabcd")
        + dxx("cd,pa,pb->pabcd")
    )
    dd = (
        np.einsum("ab,cd->abcd", eye, eye)
        + np.einsum("ac,bd->abcd", eye, eye)
        + np.einsum("ad,bc->abcd", eye, eye)
    )
    t4 = (
        f4[:, None, None, None, None] * np.einsum("pab,pcd->pabcd", xx, xx)
        + f3[:, None, None, None, None] * sym4
        + f2[:, None, None, None, None] * dd
    )
    return hess, t3, t4


class HarmonicCrystal:
    """The harmonic expansion of a periodic pair-potential crystal about its lattice sites.

    Args:
        lattice (LatticeSystem): Sites (a mechanical equilibrium: every site a force-free
            position, as for any Bravais lattice or a crystal at its relaxed shape), box, types.
        pair (PowerLawPair or Mapping[tuple[str, str], PowerLawPair]): The potential, or one per
            pair of type names (either order).
        r_cut (float or Mapping[tuple[str, str], float]): Cut-off [σ] (below half the shortest
            box period), or one per pair of type names. Pairs at :math:`r < r_c` interact;
            ``shift`` sets whether :math:`u(r_c)` is subtracted.
        shift (bool): Static energy of the shifted potential (HOOMD ``mode="shift"``).
        relaxation_tolerance (float): Largest energy per particle [energy] the sites may gain
            by relaxing harmonically, :math:`\\tfrac12 F^\\top K^+ F/N` with :math:`F` the net
            static forces, for them to count as a mechanical equilibrium (no linear term; the
            float32 sites of the lattice builders give ~1e-12); ``math.inf`` skips the check
            (then only the Gaussian moment identities hold).

    Attributes:
        num_particles (int): :math:`N`.
        static_energy (float): :math:`U_0/N` [energy].

    Raises:
        ValueError: On bad input, more than :data:`MAX_PARTICLES` sites, or a lattice that is not
            mechanically stable (a negative or extra zero eigenvalue of :math:`K`).
    """

    def __init__(
        self,
        lattice: LatticeSystem,
        pair: PowerLawPair | Mapping[tuple[str, str], PowerLawPair],
        r_cut: float | Mapping[tuple[str, str], float],
        *,
        shift: bool = True,
        relaxation_tolerance: float = 1e-8,
    ):
        from hoomd_rigidfield.freeenergy.einstein import LatticePairs

        n = check_int("num_particles", lattice.num_particles, 2, MAX_PARTICLES)
        potentials = self._pair_table(lattice, pair)
        cutoffs = self._cutoff_table(lattice, r_cut)
        pairs = LatticePairs.build(lattice.box, lattice.positions, max(cutoffs.values()))
        # the pair list is freud's (float32); the vectors are redone in float64 (minimum image)
        matrix = np.asarray(lattice.box.to_matrix(), dtype=np.float64)
        pts = np.asarray(lattice.positions, dtype=np.float64)
        frac = np.linalg.solve(matrix, (pts[pairs.j] - pts[pairs.i]).T)
        x = (matrix @ (frac - np.round(frac))).T
        r = np.linalg.norm(x, axis=1)
        ti, tj = lattice.typeid[pairs.i], lattice.typeid[pairs.j]
        lo, hi = np.minimum(ti, tj), np.maximum(ti, tj)
        rc_of_pair = np.array([cutoffs[(a, b)] for a, b in zip(lo.tolist(), hi.tolist())])
        keep = r < rc_of_pair if len(r) else np.zeros(0, bool)
        self._i, self._j = pairs.i[keep], pairs.j[keep]
        x, r, lo, hi = x[keep], r[keep], lo[keep], hi[keep]
        hess = np.empty((len(x), 3, 3))
        t3 = np.empty((len(x), 3, 3, 3))
        t4 = np.empty((len(x), 3, 3, 3, 3))
        gradient = np.empty((len(x), 3))
        u0 = 0.0
        for (a, b), pot in potentials.items():
            sel = (lo == a) & (hi == b)
            if np.any(sel):
                hess[sel], t3[sel], t4[sel] = pair_tensors(pot, x[sel])
                gradient[sel] = pot.s_derivative(0.5 * r[sel] ** 2, 1)[:, None] * x[sel]
                e = pot.energy(r[sel])
                u0 += float(np.sum(e - pot.energy(cutoffs[(a, b)]) if shift else e))
        self._t3, self._t4 = t3, t4
        self.num_particles = n
        self.static_energy = u0 / n
        self._volume = float(lattice.box.volume)
        self._box = lattice.box
        self._positions = np.asarray(lattice.positions, dtype=np.float64)
        self._typeid = np.asarray(lattice.typeid)
        k = np.zeros((n, 3, n, 3))
        np.add.at(k, (self._i, slice(None), self._j), -hess)
        np.add.at(k, (self._j, slice(None), self._i), -hess)
        np.add.at(k, (self._i, slice(None), self._i), hess)
        np.add.at(k, (self._j, slice(None), self._j), hess)
        self.hessian = k.reshape(3 * n, 3 * n)
        w, v = np.linalg.eigh(self.hessian)
        scale = float(np.max(np.abs(w)))
        if np.sum(np.abs(w[:3])) > 1e-8 * scale or w[3] <= 1e-8 * scale:
            raise ValueError(
                "lattice must be mechanically stable under this potential: the Hessian's "
                f"lowest eigenvalues are {w[:4].tolist()} (three translations must be the only "
                "zero modes)"
            )
        self._eigenvalues, self._modes = w[3:], v[:, 3:]
        tol = (
            math.inf
            if relaxation_tolerance == math.inf
            else check_real("relaxation_tolerance", relaxation_tolerance, 0.0)
        )
        net = np.zeros((n, 3))  # dU/dr_i at the sites
        np.add.at(net, self._j, gradient)
        np.add.at(net, self._i, -gradient)
        f = net.reshape(-1)
        relaxation = 0.5 * float(f @ self.covariance @ f) / n
        if relaxation > tol:
            raise ValueError(
                "lattice must be a mechanical equilibrium: relaxing the sites harmonically "
                f"would lower the energy by {relaxation:.3g} per particle (relaxation_tolerance "
                f"{tol:g}); relax the sites or the box shape first"
            )

    @staticmethod
    def _pair_table(lattice: LatticeSystem, pair: Any) -> dict[tuple[int, int], PowerLawPair]:
        types = list(lattice.types)
        if isinstance(pair, PowerLawPair):
            return {(a, b): pair for a in range(len(types)) for b in range(a, len(types))}
        if not isinstance(pair, Mapping):
            raise TypeError(f"pair must be a PowerLawPair or a mapping of them, got {pair!r}")
        table = {}
        for a in range(len(types)):
            for b in range(a, len(types)):
                key = (types[a], types[b])
                pot = pair.get(key, pair.get(key[::-1]))
                if not isinstance(pot, PowerLawPair):
                    raise ValueError(
                        f"pair must give a PowerLawPair for the type pair {key}, got {pot!r}"
                    )
                table[(a, b)] = pot
        return table

    @staticmethod
    def _cutoff_table(lattice: LatticeSystem, r_cut: Any) -> dict[tuple[int, int], float]:
        types = list(lattice.types)
        keys = [(a, b) for a in range(len(types)) for b in range(a, len(types))]
        if not isinstance(r_cut, Mapping):
            rc = check_positive("r_cut", r_cut, "sigma")
            return dict.fromkeys(keys, rc)
        table = {}
        for a, b in keys:
            name = (types[a], types[b])
            value = r_cut.get(name, r_cut.get(name[::-1]))
            if value is None:
                raise ValueError(f"r_cut must give a cut-off for the type pair {name}, got none")
            table[(a, b)] = check_positive(f"r_cut[{name}]", value, "sigma")
        return table

    @cached_property
    def log_det_reduced(self) -> float:
        """:math:`\\ln\\det K'` (particle 0's rows and columns removed) [ln(energy/σ²)]."""
        return float(np.linalg.slogdet(self.hessian[3:, 3:])[1])

    @cached_property
    def covariance(self) -> np.ndarray:
        """:math:`K^{+}`: the displacement covariance per kT, translations projected out [σ²/energy]."""
        return (self._modes / self._eigenvalues) @ self._modes.T

    @cached_property
    def _orbit_representatives(self) -> np.ndarray:
        """One site per orbit of the lattice's translation group (the box's periodic images).

        A translation is a vector from site 0 to a site of its type that maps every site onto a
        site of the same type (freud's periodic nearest-neighbour query, tolerance 1e-3 of the
        nearest-neighbour distance).
        """
        import freud

        box, pts, types = self._box, self._positions, self._typeid
        query = freud.locality.AABBQuery(box, pts)
        nearest = float(np.min(np.linalg.norm(box.wrap(pts[1:] - pts[0]), axis=1)))
        tol = 1e-3 * nearest
        orbit = -np.ones(len(pts), np.int64)
        images = []
        for k in np.flatnonzero(types == types[0]):
            shifted = box.wrap(pts + (pts[k] - pts[0]))
            nl = query.query(shifted, {"num_neighbors": 1}).toNeighborList()
            target = np.empty(len(pts), np.int64)
            target[nl.query_point_indices] = nl.point_indices
            if np.all(nl.distances < tol) and np.array_equal(types[target], types):
                images.append(target)
        for site in range(len(pts)):
            if orbit[site] < 0:
                orbit[[t[site] for t in images]] = site
        return np.unique(orbit)

    def free_energy(self, kT: float, wavelength: float = 1.0) -> float:
        """Exact classical :math:`\\beta A_h/N` of the harmonic crystal (module docstring) [kT].

        Args:
            kT (float): Thermal energy [energy] (> 0).
            wavelength (float): Thermal wavelength :math:`\\Lambda` [σ] (> 0).
        """
        t = check_positive("kT", kT, "energy")
        wl = check_positive("wavelength", wavelength, "sigma")
        n = self.num_particles
        return (
            self.static_energy / t
            - math.log(self._volume) / n
            + 3.0 * math.log(wl)
            - 1.5 * (n - 1) / n * math.log(2.0 * math.pi * t)
            + 0.5 * self.log_det_reduced / n
        )

    def anharmonic_terms(self) -> tuple[float, float, float]:
        """The three terms of :math:`c_2 N`: quartic, cubic cross and cubic self [1/energy].

        Returns:
            tuple[float, float, float]: :math:`\\tfrac18\\sum\\Phi^{(4)}DD`,
            :math:`\\tfrac1{12}\\sum\\Phi^{(3)}\\Phi^{(3)}CCC` and :math:`\\tfrac18F^\\top K^+F`,
            so that :math:`c_2 = (Q - C - S)/N`.
        """
        g = self.covariance.reshape(self.num_particles, 3, self.num_particles, 3)
        i, j = self._i, self._j

        def block(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            return g[a[:, None], :, b[None, :], :]  # (len a, len b, 3, 3)

        d = (
            g[j, :, j, :] + g[i, :, i, :] - g[i, :, j, :] - g[j, :, i, :]
        )  # <Delta Delta^T>/kT, Delta = u_j - u_i
        quartic = float(np.einsum("pabcd,pab,pcd->", self._t4, d, d)) / 8.0
        # Sum_pq F(p) over pairs p with an end on one site per translation orbit, times the
        # orbit size / 2 (F is even in the pair's orientation and a pair is never its own image)
        reps = np.zeros(self.num_particles, bool)
        reps[self._orbit_representatives] = True
        chosen = np.concatenate([np.flatnonzero(reps[i]), np.flatnonzero(reps[j])])
        cubic = 0.0
        for start in range(0, len(chosen), _BLOCK):
            s = chosen[start : start + _BLOCK]
            c = block(j[s], j) - block(j[s], i) - block(i[s], j) + block(i[s], i)
            cubic += float(
                np.einsum(
                    "pabc,pqad,pqbe,pqcf,qdef->", self._t3[s], c, c, c, self._t3, optimize=True
                )
            )
        cubic *= 0.5 * self.num_particles / len(self._orbit_representatives)
        w = np.einsum("pabc,pbc->pa", self._t3, d)
        force = np.zeros((self.num_particles, 3))
        np.add.at(force, j, w)
        np.add.at(force, i, -w)
        f = force.reshape(-1)
        self_term = float(f @ self.covariance @ f) / 8.0
        return quartic, cubic / 12.0, self_term

    def anharmonic_coefficient(self) -> float:
        """:math:`c_2`: :math:`A_\\mathrm{ah}/N = c_2 (kT)^2 + O(kT^3)` [1/energy]."""
        q, c, s = self.anharmonic_terms()
        return (q - c - s) / self.num_particles

    def energy(self, kT: float) -> float:
        """:math:`\\langle U\\rangle/N` to second order in kT (all particles free) [energy].

        Args:
            kT (float): Thermal energy [energy] (> 0).
        """
        t = check_positive("kT", kT, "energy")
        n = self.num_particles
        return self.static_energy + 1.5 * (n - 1) / n * t - self.anharmonic_coefficient() * t * t


def fcc_harmonic_free_energy(
    pair: PowerLawPair, density: float, kT: float, r_cut: float, *, grid: int = 16
) -> float:
    """:math:`\\beta A_h/N` of the infinite fcc crystal (Λ = σ, the potential shifted at r_c).

    The dynamical matrix :math:`D(k) = \\sum_R \\Phi(R)(1 - \\cos k\\cdot R)` on a shifted
    ``grid``³ grid of the primitive reciprocal cell (no :math:`k = 0`; converged to ~1e-4 kT at
    16 for Lennard-Jones), :math:`\\beta A_h/N = \\beta U_0/N + \\tfrac12\\langle\\ln\\det D
    \\rangle_k - \\tfrac32\\ln(2\\pi kT)`: the :math:`N \\to \\infty` limit of
    :meth:`HarmonicCrystal.free_energy`.

    Args:
        pair (PowerLawPair): The potential.
        density (float): Number density [σ⁻³].
        kT (float): Thermal energy [energy].
        r_cut (float): Cut-off [σ]; pairs at :math:`r < r_c` interact, shifted by :math:`u(r_c)`.
        grid (int): k points per reciprocal axis (>= 2).

    Returns:
        float: :math:`\\beta A_h/N` [kT].
    """
    rho = check_positive("density", density, "sigma^-3")
    t = check_positive("kT", kT, "energy")
    rc = check_positive("r_cut", r_cut, "sigma")
    g = check_int("grid", grid, 2)
    cube = (4.0 / rho) ** (1.0 / 3.0)
    primitive = 0.5 * cube * np.array([[0.0, 1, 1], [1, 0, 1], [1, 1, 0]])
    vectors = fcc_vectors(rho, rc)
    r = np.linalg.norm(vectors, axis=1)
    hess = pair_tensors(pair, vectors)[0]
    reciprocal = 2.0 * np.pi * np.linalg.inv(primitive).T
    f = (np.arange(g) + 0.5) / g
    k = np.stack(np.meshgrid(f, f, f, indexing="ij"), -1).reshape(-1, 3) @ reciprocal
    d = np.einsum("kp,pab->kab", 1.0 - np.cos(k @ vectors.T), hess)
    log_det = float(np.mean(np.linalg.slogdet(d)[1]))
    u0 = 0.5 * float(np.sum(pair.energy(r) - pair.energy(rc)))
    return u0 / t + 0.5 * log_det - 1.5 * math.log(2.0 * math.pi * t)


@dataclass(frozen=True)
class HarmonicSizeLimit:
    """Exact harmonic :math:`\\beta A_h/N` at several sizes and its :math:`N \\to \\infty` limit.

    Args:
        sizes (tuple[int, ...]): :math:`N` of each crystal.
        free_energies (tuple[float, ...]): :math:`\\beta A_h/N` [kT].
        limit (float): :math:`a` of :math:`a + b/N + c\\ln N/N` [kT].
        slope (float): :math:`b` [kT].
        max_residual (float): Largest :math:`|`fit :math:`-` value:math:`|` [kT] (the law's
            higher orders; ~1e-4 for fcc from N = 108).
    """

    sizes: tuple[int, ...]
    free_energies: tuple[float, ...]
    limit: float
    slope: float
    max_residual: float

    def shift(self, n: int) -> float:
        """:math:`a - \\beta A_h/N` at one of :attr:`sizes`: the harmonic finite-size correction.

        Args:
            n (int): A size in :attr:`sizes`.

        Returns:
            float: What to add to a :math:`\\beta A/N` measured at :math:`N = n` [kT], if its
            anharmonic part does not depend on :math:`N`.
        """
        if n not in self.sizes:
            raise ValueError(f"n must be one of the sizes {self.sizes}, got {n!r}")
        return self.limit - self.free_energies[self.sizes.index(n)]


def harmonic_size_limit(
    lattices: Any,
    pair: PowerLawPair | Mapping[tuple[str, str], PowerLawPair],
    r_cut: float | Mapping[tuple[str, str], float],
    kT: float,
) -> HarmonicSizeLimit:
    """:math:`\\beta A_h/N` of the same crystal at several sizes, extrapolated by the exact law.

    The finite-size law of :func:`~.study.extrapolate` (default :math:`c = -\\tfrac32`) is exact
    for the harmonic crystal up to higher orders in :math:`1/N`; any lattice (AlB2, NaZn13) at
    any shape. Taking this correction off a measured free energy leaves only the anharmonic
    part's size dependence (for the Lennard-Jones crystal at T = 2, ρ = 1.28: 0.131(9),
    0.122(5), 0.126(4) kT at N = 108, 256, 500; docs/free_energy.md).

    Args:
        lattices (Sequence[LatticeSystem]): The crystal at >= 3 distinct sizes (the same
            structure and density).
        pair: As for :class:`HarmonicCrystal`.
        r_cut: As for :class:`HarmonicCrystal`.
        kT (float): Thermal energy [energy].

    Returns:
        HarmonicSizeLimit: The values, the limit and the fit's largest residual.
    """
    from hoomd_rigidfield.freeenergy.study import LOG_COEFFICIENT, extrapolate

    crystals = list(lattices)
    if len(crystals) < 3:
        raise ValueError(f"lattices must hold >= 3 sizes, got {len(crystals)}")
    t = check_positive("kT", kT, "energy")
    sizes = [int(c.num_particles) for c in crystals]
    if len(set(sizes)) != len(sizes):
        raise ValueError(f"lattices must have distinct sizes, got {sizes}")
    values = [HarmonicCrystal(c, pair, r_cut).free_energy(t) for c in crystals]
    a, _, b = extrapolate(sizes, values, [1.0] * len(sizes))
    n = np.asarray(sizes, dtype=np.float64)
    fit = a + b / n + LOG_COEFFICIENT * np.log(n) / n
    residual = float(np.max(np.abs(fit - np.asarray(values))))
    return HarmonicSizeLimit(tuple(sizes), tuple(values), float(a), float(b), residual)
