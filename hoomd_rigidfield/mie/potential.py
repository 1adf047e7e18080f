"""Mie pair potentials and binary/polydisperse Mie mixtures of nanocrystals :cite:`marino2024`.

.. math::

    U_{ij}(r) = C\\,\\varepsilon_{ij}\\left[\\left(\\frac{\\sigma_{ij}}{r}\\right)^n
                 - \\left(\\frac{\\sigma_{ij}}{r}\\right)^m\\right],\\qquad
    C = \\frac{n}{n-m}\\left(\\frac{n}{m}\\right)^{m/(n-m)}

which is HOOMD-blue's ``md.pair.Mie``. ``m = 0`` is the inverse-power-law (purely repulsive)
limit :math:`U = \\varepsilon(\\sigma/r)^n` up to a constant that the energy shift removes
(HOOMD evaluates :math:`C = 1` there, so the same parameters drive both codes).

Everything here is plain NumPy/SciPy; :mod:`hoomd_rigidfield.mie.md` builds the HOOMD force
from the same :class:`MieMixture`. Units: lengths in :math:`\\sigma_{LL}`, energies in
:math:`\\varepsilon`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special, stats

from hoomd_rigidfield.validation import check_finite_array, check_int

#: Repulsive exponent of :cite:`marino2024`.
REPULSIVE_EXPONENT = 50.0
#: Attractive exponents: the narrow and the wide well; 0 is the inverse power law.
NARROW_WELL, WIDE_WELL, INVERSE_POWER_LAW = 25.0, 6.0, 0.0
#: Cut-off radii in units of sigma_ij (docs/binary_mie.md): the narrow well and the IPL are
#: cut where U < 2e-4 eps, the wide well at 3 sigma where it is still -2.1e-3 eps.
DEFAULT_CUTOFF = {NARROW_WELL: 1.5, WIDE_WELL: 3.0, INVERSE_POWER_LAW: 1.5}
#: Seed diameters: sigma_LL = 1, sigma_SS = 0.55 (sigma_LS = 0.775 by additivity).
SIGMA_LARGE, SIGMA_SMALL = 1.0, 0.55
#: Seed polydispersity: standard deviations of the large and small diameters, relative.
POLYDISPERSITY = {"L": 0.047, "S": 0.063}


def mie_prefactor(n: float, m: float) -> float:
    """Prefactor :math:`C(n, m)` that makes the well depth :math:`\\varepsilon`.

    Args:
        n (float): Repulsive exponent.
        m (float): Attractive exponent (0 for the inverse power law, where C = 1).

    Returns:
        float: :math:`C`; 4 for (50, 25), 1.51734 for (50, 6).
    """
    _check_exponents(n, m)
    if m == 0:
        return 1.0
    return (n / (n - m)) * (n / m) ** (m / (n - m))


def _check_exponents(n: float, m: float) -> None:
    if not (np.isfinite(n) and np.isfinite(m)) or not 0 <= m < n:
        raise ValueError(f"Mie exponents need 0 <= m < n, got n = {n!r}, m = {m!r}")


@dataclass(frozen=True)
class MiePair:
    """Mie interaction of one pair of particle types, truncated and energy-shifted at ``r_cut``.

    Args:
        epsilon (float): Well depth :math:`[\\varepsilon]` (>= 0); for ``m = 0`` the IPL amplitude.
        sigma (float): Zero of the unshifted potential :math:`[\\sigma_{LL}]` (> 0).
        n (float): Repulsive exponent.
        m (float): Attractive exponent (0: inverse power law).
        r_cut (float): Cut-off radius :math:`[\\sigma_{LL}]`; must lie beyond the minimum
            for ``m > 0`` so that the well is kept.
        shift (bool): Shift the energy to zero at ``r_cut`` (HOOMD ``mode="shift"``).
    """

    epsilon: float
    sigma: float
    n: float = REPULSIVE_EXPONENT
    m: float = NARROW_WELL
    r_cut: float = 1.5
    shift: bool = True

    def __post_init__(self) -> None:
        _check_exponents(self.n, self.m)
        if not (np.isfinite(self.epsilon) and self.epsilon >= 0):
            raise ValueError(f"epsilon must be finite and >= 0, got {self.epsilon!r}")
        if not (np.isfinite(self.sigma) and self.sigma > 0):
            raise ValueError(f"sigma must be positive, got {self.sigma!r}")
        if not (np.isfinite(self.r_cut) and self.r_cut > self.r_min):
            raise ValueError(
                f"r_cut = {self.r_cut!r} must exceed the potential minimum at r_min = "
                f"{self.r_min:.5g} (for m = 0, at sigma) so that the well is kept"
            )

    @property
    def r_min(self) -> float:
        """float: Position of the minimum, :math:`\\sigma (n/m)^{1/(n-m)}` (sigma for the IPL)."""
        if self.m == 0:
            return self.sigma
        return self.sigma * (self.n / self.m) ** (1.0 / (self.n - self.m))

    def unshifted_energy(self, r: np.ndarray | float) -> np.ndarray:
        """Untruncated Mie energy (IPL: without HOOMD's constant) :math:`[\\varepsilon]`.

        Args:
            r (float | numpy.ndarray): Centre-centre distances :math:`[\\sigma_{LL}]` (> 0).

        Returns:
            numpy.ndarray: :math:`U(r)` :math:`[\\varepsilon]`, neither truncated nor shifted.
        """
        x = self.sigma / np.asarray(r, dtype=float)
        attraction = x**self.m if self.m > 0 else 0.0
        return mie_prefactor(self.n, self.m) * self.epsilon * (x**self.n - attraction)

    def energy(self, r: np.ndarray | float) -> np.ndarray:
        """Pair energy as HOOMD evaluates it: zero beyond ``r_cut``, shifted if ``shift``.

        Args:
            r: Centre-centre distances :math:`[\\sigma_{LL}]` (> 0).

        Returns:
            numpy.ndarray: :math:`U(r)` :math:`[\\varepsilon]`.
        """
        r = np.asarray(r, dtype=float)
        u = self.unshifted_energy(r)
        if self.shift:
            u = u - self.unshifted_energy(self.r_cut)
        return np.where(r < self.r_cut, u, 0.0)

    def force(self, r: np.ndarray | float) -> np.ndarray:
        """Radial force :math:`-\\mathrm{d}U/\\mathrm{d}r` (positive: repulsive).

        Args:
            r: Centre-centre distances :math:`[\\sigma_{LL}]` (> 0).

        Returns:
            numpy.ndarray: Force magnitude :math:`[\\varepsilon/\\sigma_{LL}]`, zero beyond ``r_cut``.
        """
        r = np.asarray(r, dtype=float)
        x = self.sigma / r
        attraction = self.m * x**self.m if self.m > 0 else 0.0
        f = mie_prefactor(self.n, self.m) * self.epsilon * (self.n * x**self.n - attraction) / r
        return np.where(r < self.r_cut, f, 0.0)

    @property
    def truncation_error(self) -> float:
        """float: :math:`|U(r_{cut})|/\\varepsilon` of the untruncated potential.

        The part of the attraction dropped by the cut (for the IPL: its value at the cut).
        """
        if self.epsilon == 0:
            return 0.0
        return float(abs(self.unshifted_energy(self.r_cut)) / self.epsilon)

    def barker_henderson_diameter(self, kT: float) -> float:
        """Barker-Henderson effective diameter of the untruncated potential.

        .. math::

            d_{BH} = \\int_0^{r_0} \\left[1 - e^{-U(r)/kT}\\right] \\mathrm{d}r

        with :math:`r_0 = \\sigma` the zero of :math:`U` for ``m > 0`` and :math:`r_0 = \\infty`
        for the inverse power law, where :math:`d_{BH} = \\sigma\\,(\\varepsilon/kT)^{1/n}
        \\Gamma(1 - 1/n)`.

        Args:
            kT (float): Thermal energy :math:`[\\varepsilon]` (> 0).

        Returns:
            float: :math:`d_{BH}` :math:`[\\sigma_{LL}]`.
        """
        if not (np.isfinite(kT) and kT > 0):
            raise ValueError(f"kT must be positive, got {kT!r}")
        if self.epsilon == 0:
            raise ValueError("the Barker-Henderson diameter needs epsilon > 0")
        if self.m == 0:
            return float(
                self.sigma * (self.epsilon / kT) ** (1 / self.n) * special.gamma(1 - 1 / self.n)
            )

        # Substitute r = sigma x; the integrand is 1 up to x ~ 0.8 and falls steeply to 0 at x = 1.
        def integrand(x: float) -> float:
            return -np.expm1(-self.unshifted_energy(self.sigma * x) / kT)

        value, _ = integrate.quad(integrand, 0.0, 1.0, points=[0.8, 0.95], epsabs=1e-12)
        return float(self.sigma * value)


@dataclass(frozen=True)
class MieMixture:
    """A Mie mixture: one diameter per particle type, additive sigma, per-pair well depths.

    Args:
        diameters (Mapping[str, float]): Type name to :math:`\\sigma_{ii}` :math:`[\\sigma_{LL}]`.
            Type names start with ``"L"`` (large) or ``"S"`` (small).
        m (float): Attractive exponent: :data:`NARROW_WELL`, :data:`WIDE_WELL` or
            :data:`INVERSE_POWER_LAW`.
        n (float): Repulsive exponent.
        epsilon (float | Mapping): Well depth :math:`[\\varepsilon]` for every pair, or a
            mapping from size-class pair ``("L","L")``, ``("L","S")``, ``("S","S")`` to depth.
        cutoff (float): Cut-off radius in units of :math:`\\sigma_{ij}`; default from
            :data:`DEFAULT_CUTOFF`.
    """

    diameters: Mapping[str, float]
    m: float = NARROW_WELL
    n: float = REPULSIVE_EXPONENT
    epsilon: float | Mapping[tuple[str, str], float] = 1.0
    cutoff: float | None = None
    _pairs: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_exponents(self.n, self.m)
        if not self.diameters:
            raise ValueError("a mixture needs at least one particle type")
        for name, d in self.diameters.items():
            if not name or name[0] not in "LS":
                raise ValueError(f"type names must start with 'L' or 'S', got {name!r}")
            if not (np.isfinite(d) and d > 0):
                raise ValueError(f"diameter of type {name!r} must be positive, got {d!r}")
        cutoff = self.cutoff if self.cutoff is not None else DEFAULT_CUTOFF.get(self.m)
        if cutoff is None:
            raise ValueError(f"no default cut-off for m = {self.m}: pass cutoff= (in sigma_ij)")
        object.__setattr__(self, "cutoff", float(cutoff))
        object.__setattr__(self, "diameters", {k: float(v) for k, v in self.diameters.items()})
        pairs = {}
        for a, b in itertools.combinations_with_replacement(self.types, 2):
            sigma = 0.5 * (self.diameters[a] + self.diameters[b])
            pairs[a, b] = MiePair(
                self._epsilon(a, b), sigma, self.n, self.m, self.cutoff * sigma, shift=True
            )
        object.__setattr__(self, "_pairs", pairs)

    def _epsilon(self, a: str, b: str) -> float:
        if not isinstance(self.epsilon, Mapping):
            return float(self.epsilon)
        key = tuple(sorted((a[0], b[0])))
        if key not in self.epsilon:
            raise ValueError(f"epsilon has no entry for the size classes {key}")
        return float(self.epsilon[key])

    @classmethod
    def binary(
        cls,
        m: float = NARROW_WELL,
        *,
        sigma_small: float = SIGMA_SMALL,
        epsilon: float | Mapping[tuple[str, str], float] = 1.0,
        cutoff: float | None = None,
    ) -> MieMixture:
        """The seed's binary mixture: types ``"L"`` (sigma 1) and ``"S"`` (``sigma_small``).

        Args:
            m (float): Attractive exponent (25 narrow, 6 wide, 0 IPL).
            sigma_small (float): :math:`\\sigma_{SS}/\\sigma_{LL}` (0 < q <= 1).
            epsilon: Well depth for all pairs, or per size-class pair (for example
                :math:`\\varepsilon_{LL} > \\varepsilon_{LS} > \\varepsilon_{SS}`).
            cutoff (float): Cut-off in units of :math:`\\sigma_{ij}`.

        Returns:
            MieMixture: The mixture.
        """
        if not 0 < sigma_small <= 1:
            raise ValueError(f"sigma_small must be in (0, 1] (sigma_LL = 1), got {sigma_small!r}")
        return cls({"L": SIGMA_LARGE, "S": float(sigma_small)}, m=m, epsilon=epsilon, cutoff=cutoff)

    @classmethod
    def polydisperse(
        cls,
        m: float = NARROW_WELL,
        *,
        n_bins: int = 13,
        sigma_small: float = SIGMA_SMALL,
        polydispersity: Mapping[str, float] = POLYDISPERSITY,
        epsilon: float | Mapping[tuple[str, str], float] = 1.0,
        cutoff: float | None = None,
    ) -> tuple[MieMixture, dict[str, float]]:
        """Two normal size distributions, each discretised into ``n_bins`` types.

        Types ``L0 .. L{n_bins-1}`` and ``S0 ..``; see :func:`normal_bins`.

        Args:
            m (float): Attractive exponent.
            n_bins (int): Bins per size class (odd, so the mean is a bin centre).
            sigma_small (float): Mean small diameter :math:`[\\sigma_{LL}]`.
            polydispersity (Mapping): Relative standard deviation per class ``"L"``, ``"S"``.
            epsilon: As in :meth:`binary`.
            cutoff (float): Cut-off in units of :math:`\\sigma_{ij}`.

        Returns:
            tuple: The mixture and the number fraction of each type within its size class.
        """
        diameters, fractions = {}, {}
        for cls_name, mean in (("L", SIGMA_LARGE), ("S", float(sigma_small))):
            d, w = normal_bins(mean, polydispersity[cls_name] * mean, n_bins)
            for k, (dk, wk) in enumerate(zip(d, w)):
                diameters[f"{cls_name}{k}"] = float(dk)
                fractions[f"{cls_name}{k}"] = float(wk)
        mixture = cls(diameters, m=m, epsilon=epsilon, cutoff=cutoff)
        return mixture, fractions

    @property
    def types(self) -> tuple[str, ...]:
        """tuple[str, ...]: Type names, large first, in insertion order within a class."""
        return tuple(sorted(self.diameters, key=lambda t: t[0] != "L"))

    def pair(self, a: str, b: str) -> MiePair:
        """The :class:`MiePair` of types ``a`` and ``b`` (order does not matter).

        Args:
            a (str): Type name.
            b (str): Type name.

        Returns:
            MiePair: Their interaction.
        """
        key = (a, b) if (a, b) in self._pairs else (b, a)
        if key not in self._pairs:
            raise KeyError(f"unknown type pair {(a, b)}; types are {self.types}")
        return self._pairs[key]

    def pairs(self) -> dict[tuple[str, str], MiePair]:
        """dict: Every unordered type pair and its :class:`MiePair` (what HOOMD needs)."""
        return dict(self._pairs)

    @property
    def max_truncation_error(self) -> float:
        """float: Largest :attr:`MiePair.truncation_error` over the pairs."""
        return max(p.truncation_error for p in self._pairs.values())

    def barker_henderson_diameters(self, kT: float) -> dict[str, float]:
        """Effective diameter of each type, from its like pair :math:`[\\sigma_{LL}]`.

        For ``epsilon = 0`` pairs (no interaction) the bare diameter is returned.

        Args:
            kT (float): Thermal energy :math:`[\\varepsilon]` (> 0).

        Returns:
            dict[str, float]: :math:`d_{BH}` of each type :math:`[\\sigma_{LL}]`.
        """
        out = {}
        for t in self.types:
            pair = self.pair(t, t)
            out[t] = pair.sigma if pair.epsilon == 0 else pair.barker_henderson_diameter(kT)
        return out

    def effective_volume_fraction(
        self, counts: Mapping[str, int], volume: float | np.ndarray, kT: float
    ) -> float | np.ndarray:
        """Barker-Henderson packing fraction :math:`\\phi_{eff} = (\\pi/6)\\sum_i d_{BH,i}^3/V`.

        Args:
            counts (Mapping[str, int]): Number of particles of each type.
            volume: Volume :math:`[\\sigma_{LL}^3]` (scalar or array).
            kT (float): Thermal energy :math:`[\\varepsilon]`.

        Returns:
            :math:`\\phi_{eff}` (same shape as ``volume``).

        Raises:
            ValueError: If a volume is not finite and positive, or a count is negative.
        """
        v = check_finite_array("volume", volume)
        if np.any(v <= 0):
            raise ValueError(f"volume must be positive, got {volume!r:.80}")
        return self.effective_particle_volume(counts, kT) / v

    def effective_particle_volume(self, counts: Mapping[str, int], kT: float) -> float:
        """Sum of the Barker-Henderson sphere volumes :math:`[\\sigma_{LL}^3]`.

        Args:
            counts (Mapping[str, int]): Number of particles of each type.
            kT (float): Thermal energy :math:`[\\varepsilon]`.

        Returns:
            float: :math:`(\\pi/6)\\sum_i N_i d_{BH,i}^3` :math:`[\\sigma_{LL}^3]`.
        """
        unknown = set(counts) - set(self.diameters)
        if unknown:
            raise ValueError(f"counts name unknown types {sorted(unknown)}; types are {self.types}")
        counts = {t: check_int(f"counts[{t!r}]", c, 0) for t, c in counts.items()}
        d = self.barker_henderson_diameters(kT)
        return float(np.pi / 6 * sum(c * d[t] ** 3 for t, c in counts.items()))


def normal_bins(mean: float, std: float, n_bins: int = 13, span: float = 3.0):
    """Discretise a normal distribution into equal-width bins spanning ``mean +- span*std``.

    Args:
        mean (float): Mean diameter :math:`[\\sigma_{LL}]`.
        std (float): Standard deviation :math:`[\\sigma_{LL}]` (> 0).
        n_bins (int): Number of bins (odd, >= 1).
        span (float): Half-width of the binned range in standard deviations.

    Returns:
        tuple[numpy.ndarray, numpy.ndarray]: Bin centres and the probability of each bin
        (normal integral over the bin, renormalised to 1).
    """
    if int(n_bins) != n_bins or n_bins < 1 or n_bins % 2 == 0:
        raise ValueError(f"n_bins must be an odd positive integer, got {n_bins!r}")
    if not (std > 0 and span > 0 and mean - span * std > 0):
        raise ValueError(
            f"need std > 0, span > 0 and mean - span*std > 0, got mean={mean}, std={std}, "
            f"span={span}"
        )
    edges = np.linspace(mean - span * std, mean + span * std, int(n_bins) + 1)
    weights = np.diff(stats.norm.cdf(edges, loc=mean, scale=std))
    return 0.5 * (edges[1:] + edges[:-1]), weights / weights.sum()


def largest_remainder_counts(fractions: Sequence[float] | np.ndarray, total: int) -> np.ndarray:
    """Integer counts that sum to ``total`` and follow ``fractions`` (largest-remainder method).

    Args:
        fractions: Non-negative weights (normalised internally).
        total (int): Number of items to share out (>= 0).

    Returns:
        numpy.ndarray: Integer counts, one per fraction.
    """
    w = np.asarray(fractions, dtype=float)
    if w.ndim != 1 or np.any(w < 0) or not w.sum() > 0:
        raise ValueError("fractions must be a 1D array of non-negative numbers with a positive sum")
    if int(total) != total or total < 0:
        raise ValueError(f"total must be a non-negative integer, got {total!r}")
    exact = w / w.sum() * int(total)
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: int(total) - counts.sum()]] += 1
    return counts
