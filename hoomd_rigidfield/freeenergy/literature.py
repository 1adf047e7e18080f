"""The Lennard-Jones fcc solid of the literature, and the cut-off correction to reach it.

Source: the fit of van der Hoef :cite:`vanderhoef2000` (its Eq. 21, with the equation of state
of its Eq. 20 and the static lattice energy) to the free energy of the **full** (untruncated)
Lennard-Jones potential :math:`u(r) = 4\\varepsilon[(\\sigma/r)^{12} - (\\sigma/r)^6]` in the
defect-free fcc crystal, :math:`N \\to \\infty`. It is here to check the Einstein-molecule MD
route (:mod:`.md`) against a literature number. LJ units: :math:`T = kT/\\varepsilon`,
:math:`\\rho = \\rho\\sigma^3`; free energies per particle.

.. math::

    \\frac{a_\\mathrm{ex}}{\\varepsilon} = U_\\mathrm{stat}(\\rho) - \\tfrac32 T\\ln T
        + T\\,U_\\mathrm{ah}(T, \\rho)
        + T \\sum_{n=0}^{3} \\frac{b_n}{n+1}\\rho^{n+1} + T\\,C_A ,\\qquad
    U_\\mathrm{ah} = -\\sum_{n=0}^{2}\\sum_{m=2}^{5} \\frac{a_{nm}}{m-1}\\rho^n T^{m-1},

:math:`U_\\mathrm{stat} = \\rho^2(C_0 + C_1\\rho^2)` (the exact static lattice sum, checked by
the tests against a direct sum), :math:`C_A = -23.3450759`, and the total
:math:`\\beta A/N = a_\\mathrm{ex}/T + \\ln(\\rho\\Lambda^3) - 1`: the convention of
:mod:`.einstein` (particle 0 fixed, whose :math:`\\beta A/N = a + b/N - \\tfrac32\\ln N/N`,
:func:`~.study.extrapolate`, tends to it). The potential energy (:func:`lj_fcc_energy`) is
derived here as :math:`\\partial(\\beta a_\\mathrm{ex})/\\partial\\beta`.

Validity: the fit is to the fcc solid; densities are restricted to :data:`FIT_DENSITIES`
(the range recalled for the paper's data, **not verified** against the paper), temperatures are
only required to be positive (its temperature range is not verified either). The paper's own
accuracy is not verified here; against exact limits (:mod:`.harmonic`, docs/free_energy.md) its
:math:`T \\to 0` limit lies 0.025-0.035 kT above harmonic lattice dynamics for
:math:`\\rho \\le 1.2` and its low-temperature anharmonic slope is 1.4-2.3 times too steep for
:math:`\\rho \\ge 1.25`. Checked in the tests: :math:`U_\\mathrm{stat}` against a lattice
sum; :math:`Z` and :math:`\\langle U\\rangle` against derivatives of :math:`a_\\mathrm{ex}`;
the :math:`T \\to 0` limit against harmonic lattice dynamics (within 0.04 kT: the fit is not
built on it); :math:`Z`, :math:`\\langle U\\rangle` and (slow) :math:`\\beta A/N` at
:math:`T = 2,\\ \\rho = 1.28` against HOOMD MD.

Cut-off: HOOMD MD with a pair force truncated at :math:`r_c` samples the *shifted* potential
:math:`u(r) - u(r_c)` (the force is the same; the step of an unshifted cut is never felt as an
impulse), so the suite's LJ runs use ``mode="shift"`` and a shifted NumPy twin.
:func:`lj_fcc_cutoff_correction` is the static-lattice difference full minus shifted. It is
continuous in the configuration (a pair crossing :math:`r_c` contributes :math:`u(r_c)` on both
sides), so with :math:`r_c` between two neighbour shells its thermal average differs from the
static value only by the smearing of the smooth tail, :math:`O(\\langle\\delta r^2\\rangle
\\nabla^2 u)`.

Example:
    >>> from hoomd_rigidfield.freeenergy.literature import lj_fcc_free_energy
    >>> round(lj_fcc_free_energy(2.0, 1.28), 4)
    2.6233
"""

from __future__ import annotations

import math

import numpy as np

from hoomd_rigidfield.validation import check_positive, check_real

#: :math:`C_0, C_1` of :math:`U_\\mathrm{stat} = \\rho^2(C_0 + C_1\\rho^2)` [ε]
#: :cite:`vanderhoef2000`: :math:`-A_6` and :math:`A_{12}/2` of the fcc lattice sums.
STATIC_COEFFICIENTS = (-14.45392093, 6.065940096)
#: :math:`a_{nm}` of :math:`U_\\mathrm{ah}`, rows :math:`n = 0, 1, 2`, columns
#: :math:`m = 2, \\dots, 5` :cite:`vanderhoef2000`.
ANHARMONIC_COEFFICIENTS = (
    (-8.2151768, 12.070686, -6.6594615, 1.3211582),
    (13.404069, -20.632066, 11.564825, -2.3064801),
    (-5.5481261, 8.8465978, -5.0258631, 1.0070066),
)
#: :math:`b_n`, :math:`n = 0, \\dots, 3` :cite:`vanderhoef2000`.
DENSITY_COEFFICIENTS = (69.833875, -132.86963, 97.438593, -25.848057)
#: :math:`C_A`, the constant of :math:`\\beta a_\\mathrm{ex}` :cite:`vanderhoef2000`.
FREE_ENERGY_CONSTANT = -23.3450759
#: Densities [σ⁻³] the fit functions accept (recalled fit range, not verified).
FIT_DENSITIES = (0.94, 1.30)


def _check_state(kT: float, density: float) -> tuple[float, float]:
    t = check_positive("kT", kT, "epsilon")
    lo, hi = FIT_DENSITIES
    return t, check_real("density", density, lo, hi, low_open=False, unit="sigma^-3")


def _anharmonic(t: float, rho: float) -> float:
    """:math:`U_\\mathrm{ah}(T, \\rho)` [dimensionless]."""
    return -sum(
        a / (m - 1) * rho**n * t ** (m - 1)
        for n, row in enumerate(ANHARMONIC_COEFFICIENTS)
        for m, a in enumerate(row, start=2)
    )


def lj_fcc_lattice_energy(density: float) -> float:
    """Static energy per particle of the full-LJ fcc lattice, :math:`U_\\mathrm{stat}(\\rho)`.

    Exact for any density (the lattice sums :math:`A_{12}, A_6`, not a fit).

    Args:
        density (float): Number density [σ⁻³] (> 0).

    Returns:
        float: :math:`\\rho^2(C_0 + C_1\\rho^2)` [ε].

    Example:
        >>> round(lj_fcc_lattice_energy(1.28), 6)
        -7.39817
    """
    rho = check_positive("density", density, "sigma^-3")
    c0, c1 = STATIC_COEFFICIENTS
    return rho * rho * (c0 + c1 * rho * rho)


def lj_fcc_excess_free_energy(kT: float, density: float) -> float:
    """Excess Helmholtz free energy per particle of the full-LJ fcc solid :cite:`vanderhoef2000`.

    Args:
        kT (float): Temperature :math:`T = kT/\\varepsilon` (> 0).
        density (float): Number density [σ⁻³], in :data:`FIT_DENSITIES`.

    Returns:
        float: :math:`a_\\mathrm{ex}` [ε] (Eq. 21; module docstring).

    Example:
        >>> round(lj_fcc_excess_free_energy(2.0, 1.28) / 2.0, 4)  # in kT
        3.3764
    """
    t, rho = _check_state(kT, density)
    lattice = sum(b / (n + 1) * rho ** (n + 1) for n, b in enumerate(DENSITY_COEFFICIENTS))
    return (
        lj_fcc_lattice_energy(rho)
        - 1.5 * t * math.log(t)
        + t * _anharmonic(t, rho)
        + t * lattice
        + t * FREE_ENERGY_CONSTANT
    )


def lj_fcc_free_energy(kT: float, density: float, wavelength: float = 1.0) -> float:
    """:math:`\\beta A/N` of the full-LJ fcc solid, :math:`N \\to \\infty` :cite:`vanderhoef2000`.

    Args:
        kT (float): Temperature :math:`T = kT/\\varepsilon` (> 0).
        density (float): Number density [σ⁻³], in :data:`FIT_DENSITIES`.
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ] (> 0).

    Returns:
        float: :math:`a_\\mathrm{ex}/T + \\ln(\\rho\\Lambda^3) - 1` [kT].
    """
    wl = check_positive("wavelength", wavelength, "sigma")
    a = lj_fcc_excess_free_energy(kT, density)
    return a / kT + math.log(density * wl**3) - 1.0


def lj_fcc_compressibility(kT: float, density: float) -> float:
    """:math:`Z = \\beta p/\\rho` of the full-LJ fcc solid :cite:`vanderhoef2000` (its Eq. 20).

    :math:`Z = \\rho\\,\\partial(\\beta A/N)/\\partial\\rho = 1 + \\rho^2[(2C_0 + 4C_1\\rho^2)/T
    + \\partial U_\\mathrm{ah}/\\partial\\rho] + \\sum_n b_n\\rho^{n+1}`.

    Args:
        kT (float): Temperature :math:`T = kT/\\varepsilon` (> 0).
        density (float): Number density [σ⁻³], in :data:`FIT_DENSITIES`.

    Returns:
        float: :math:`Z` (dimensionless).

    Example:
        >>> round(lj_fcc_compressibility(2.0, 1.28), 3)
        16.476
    """
    t, rho = _check_state(kT, density)
    c0, c1 = STATIC_COEFFICIENTS
    d_anharmonic = -sum(
        n * a / (m - 1) * rho ** (n - 1) * t ** (m - 1)
        for n, row in enumerate(ANHARMONIC_COEFFICIENTS)
        if n > 0
        for m, a in enumerate(row, start=2)
    )
    lattice = sum(b * rho**n for n, b in enumerate(DENSITY_COEFFICIENTS))
    return rho * (1.0 / rho + rho * (2.0 * c0 + 4.0 * c1 * rho * rho) / t + d_anharmonic + lattice)


def lj_fcc_energy(kT: float, density: float) -> float:
    """Mean potential energy per particle of the full-LJ fcc solid, from :cite:`vanderhoef2000`.

    :math:`\\langle U\\rangle/N = \\partial(\\beta a_\\mathrm{ex})/\\partial\\beta =
    U_\\mathrm{stat} + \\tfrac32 T + \\sum_{n,m} a_{nm}\\rho^n T^m` (derived here from Eq. 21).

    Args:
        kT (float): Temperature :math:`T = kT/\\varepsilon` (> 0).
        density (float): Number density [σ⁻³], in :data:`FIT_DENSITIES`.

    Returns:
        float: :math:`\\langle U\\rangle/N` [ε].

    Example:
        >>> round(lj_fcc_energy(2.0, 1.28), 3)
        -4.597
    """
    t, rho = _check_state(kT, density)
    anharmonic = sum(
        a * rho**n * t**m
        for n, row in enumerate(ANHARMONIC_COEFFICIENTS)
        for m, a in enumerate(row, start=2)
    )
    return lj_fcc_lattice_energy(rho) + 1.5 * t + anharmonic


def fcc_vectors(density: float, r_max: float) -> np.ndarray:
    """Lattice vectors of the infinite fcc lattice shorter than ``r_max`` (zero left out).

    Sites are :math:`(a/2)(i, j, k)` with :math:`i + j + k` even (cubic cell :math:`a`, four
    sites), so the shells lie at :math:`r_\\mathrm{nn}\\sqrt{s}`, :math:`s = (i^2+j^2+k^2)/2`.

    Args:
        density (float): Number density [σ⁻³] (> 0).
        r_max (float): Largest length, excluded [σ] (> 0).

    Returns:
        (M, 3) numpy.ndarray: The vectors [σ], along the cubic axes.

    Example:
        >>> len(fcc_vectors(1.0, 1.2))  # the 12 nearest neighbours at 2^(1/6)
        12
    """
    rho = check_positive("density", density, "sigma^-3")
    r_max = check_positive("r_max", r_max, "sigma")
    half = 0.5 * (4.0 / rho) ** (1.0 / 3.0)
    m = int(r_max / half) + 1
    g = np.arange(-m, m + 1)
    ijk = np.stack(np.meshgrid(g, g, g, indexing="ij"), axis=-1).reshape(-1, 3)
    ijk = ijk[ijk.sum(axis=1) % 2 == 0]
    s = np.sum(ijk * ijk, axis=1)
    return half * ijk[(s > 0) & (half * np.sqrt(s) < r_max)].astype(np.float64)


def fcc_shells(density: float, r_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour shells of the fcc lattice closer than ``r_max``: radii and coordination numbers.

    Args:
        density (float): Number density [σ⁻³] (> 0).
        r_max (float): Largest distance, excluded [σ] (> 0).

    Returns:
        tuple[numpy.ndarray, numpy.ndarray]: Radii [σ] (ascending) and the number of sites on
        each shell (:func:`fcc_vectors` grouped by length).

    Example:
        >>> radii, counts = fcc_shells(1.0, 2.3)
        >>> counts.tolist()
        [12, 6, 24, 12]
    """
    v = fcc_vectors(density, r_max)
    half = 0.5 * (4.0 / density) ** (1.0 / 3.0)
    s = np.rint(np.sum(v * v, axis=1) / half**2).astype(np.int64)  # exact integers
    squared, counts = np.unique(s, return_counts=True)
    return half * np.sqrt(squared.astype(np.float64)), counts


def _lj(r: np.ndarray) -> np.ndarray:
    s6 = r**-6.0
    return 4.0 * (s6 * s6 - s6)


def lj_fcc_shifted_lattice_energy(density: float, r_cut: float) -> float:
    """Static energy per particle of the fcc lattice with LJ cut and shifted at ``r_cut``.

    :math:`\\frac12\\sum_{r_s < r_c} n_s[u(r_s) - u(r_c)]` (HOOMD's ``mode="shift"``).

    Args:
        density (float): Number density [σ⁻³] (> 0).
        r_cut (float): Cut-off [σ] (> 0).

    Returns:
        float: Energy per particle [ε].
    """
    r_cut = check_positive("r_cut", r_cut, "sigma")
    radii, counts = fcc_shells(density, r_cut)
    u_cut = float(_lj(np.float64(r_cut)))
    return 0.5 * float(np.dot(counts, _lj(radii) - u_cut))


def lj_fcc_cutoff_correction(density: float, r_cut: float) -> float:
    """From LJ shifted at ``r_cut`` to the full LJ, on the static fcc lattice, per particle.

    :math:`U_\\mathrm{stat}(\\rho) - \\frac12\\sum_{r_s<r_c} n_s[u(r_s) - u(r_c)]`: every shell
    beyond :math:`r_c`, plus :math:`u(r_c)` for each pair inside. Added to :math:`\\beta A/N`
    (divided by :math:`kT`) of the shifted crystal, it is the first-order perturbation
    estimate of the full potential's, with the thermal smearing left out (module docstring;
    keep ``r_cut`` between two shells, see :func:`fcc_shells`): -0.006 kT at :math:`T = 2`,
    :math:`\\rho = 1.28`, :math:`r_c = 1.92` (measured, ``tests/freeenergy/test_md.py``). For
    :math:`\\langle U\\rangle` it is exact at harmonic order. The same for any periodic box with
    :math:`r_c` below half its period.

    Args:
        density (float): Number density [σ⁻³] (> 0).
        r_cut (float): Cut-off [σ] (> 0).

    Returns:
        float: :math:`\\Delta U/N` [ε].

    Example:
        >>> round(lj_fcc_cutoff_correction(1.28, 1.92), 4)
        -2.9717
    """
    return lj_fcc_lattice_energy(density) - lj_fcc_shifted_lattice_energy(density, r_cut)
