"""DLVO pair potentials of charge-stabilised nanocrystals: SI units in, kT out.

The total pair energy of two spheres of radii :math:`R_1, R_2` at centre distance :math:`r`
(surface gap :math:`h = r - R_1 - R_2`) is

.. math::

    U(r) = U_\\mathrm{hard}(h) + U_\\mathrm{vdW}(r) + U_\\mathrm{el}(r) + U_\\mathrm{extra}(r)

with a hard contact at the ligand-shell gap :math:`h_c` (:math:`U = \\infty` for
:math:`h < h_c`), the exact sphere-sphere van der Waals energy of Hamaker :cite:`hamaker1937`,
one of three standard electrostatic approximations (:data:`ELECTROSTATICS`) and an optional
user term (e.g. the short-range repulsion of multivalent ions, :func:`exponential_repulsion`)
:cite:`coropceanu2022`. Inputs are SI (m, J, V, K, mol/L); every energy is returned in kT.

Example:
    >>> pair = DLVOPair.from_salt(
    ...     radius=2.25e-9, hamaker=2e-19, surface_potential=-0.05,
    ...     concentrations=(0.03, 0.01), valencies=(1, -3), epsilon_r=182.0,
    ...     temperature=298.15, check_derjaguin=False)
    >>> round(pair.debye_length * 1e9, 2)
    1.89
    >>> round(float(pair.energy(pair.contact)), 1)
    -7.3
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import constants, optimize

from hoomd_rigidfield.shortrange.validation import (
    check_choice,
    check_distances,
    check_real,
)

#: Electrostatic approximations: constant-potential Derjaguin (Hogg-Healy-Fuerstenau),
#: linear superposition, constant-charge Yukawa.
ELECTROSTATICS = ("hhf", "lsa", "yukawa")
#: Below this :math:`\\kappa R` the Derjaguin (``"hhf"``) form is flagged: it assumes
#: :math:`\\kappa R \\gg 1`; use ``"lsa"`` or ``"yukawa"`` there.
DERJAGUIN_MIN_KAPPA_R = 5.0
#: Default hard-contact gap: compact inorganic ligands keep the cores ~0.3 nm apart [m].
CONTACT_GAP = 0.3e-9
#: Beyond this multiple of the contact distance the van der Waals energy uses its series in
#: :math:`1/r^2` (the closed form cancels to :math:`r^{-6}` from :math:`r^{-2}` terms).
_SERIES_FROM = 5.0
_SERIES_TERMS = 16


class DerjaguinWarning(UserWarning):
    """The Derjaguin approximation is used where :math:`\\kappa R` < :data:`DERJAGUIN_MIN_KAPPA_R`."""


def thermal_energy(temperature: float) -> float:
    """:math:`kT` [J].

    Args:
        temperature (float): Temperature [K].

    Returns:
        float: :math:`k_B T` [J].

    Example:
        >>> f"{thermal_energy(298.15):.4e}"
        '4.1164e-21'
    """
    return constants.k * check_real("temperature", temperature, 0, unit="K")


def salt_ions(
    concentration: float, cation_valency: int, anion_valency: int
) -> tuple[tuple[float, float], tuple[int, int]]:
    """Ion concentrations and signed valencies of a dissolved :math:`z_+:z_-` salt.

    A "1:3 salt" (e.g. K\\ :sub:`3`\\ AsS\\ :sub:`4`) has monovalent cations and trivalent
    anions: one formula unit gives three cations and one anion.

    Args:
        concentration (float): Salt concentration [mol/L] (formula units).
        cation_valency (int): :math:`z_+` (positive integer).
        anion_valency (int): :math:`|z_-|` (positive integer).

    Returns:
        tuple: ``((c_plus, c_minus), (z_plus, -z_minus))`` [mol/L].

    Example:
        >>> salt_ions(0.01, 1, 3)
        ((0.03, 0.01), (1, -3))
    """
    c = check_real("concentration", concentration, 0, low_open=False, unit="mol/L")
    for name, z in (("cation_valency", cation_valency), ("anion_valency", anion_valency)):
        if isinstance(z, bool) or not isinstance(z, int | np.integer) or z < 1:
            raise ValueError(f"{name} must be a positive integer, got {z!r}")
    g = math.gcd(int(cation_valency), int(anion_valency))
    n_plus, n_minus = anion_valency // g, cation_valency // g
    return (round(c * n_plus, 15), round(c * n_minus, 15)), (
        int(cation_valency),
        -int(anion_valency),
    )


def _ions(
    concentrations: Sequence[float], valencies: Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    c = np.atleast_1d(np.asarray(concentrations, dtype=float))
    z = np.atleast_1d(np.asarray(valencies, dtype=float))
    if c.ndim != 1 or c.shape != z.shape or len(c) == 0:
        raise ValueError(
            f"concentrations and valencies must be equal-length 1D sequences, got "
            f"{concentrations!r} and {valencies!r}"
        )
    for i, (ci, zi) in enumerate(zip(c, z)):
        check_real(f"concentrations[{i}]", ci, 0, low_open=False, unit="mol/L")
        if not (np.isfinite(zi) and zi == round(zi) and zi != 0):
            raise ValueError(f"valencies[{i}] must be a nonzero integer, got {valencies[i]!r}")
    charge, scale = float(np.sum(c * z)), float(np.sum(c * np.abs(z)))
    if abs(charge) > 1e-9 * max(scale, 1e-300):
        raise ValueError(
            f"the ions must be electroneutral: sum(c_i z_i) = {charge:g} mol/L for "
            f"concentrations {c.tolist()} and valencies {z.tolist()}"
        )
    return c, z


def ionic_strength(concentrations: Sequence[float], valencies: Sequence[int]) -> float:
    """Ionic strength :math:`I = \\tfrac12\\sum_i c_i z_i^2` [mol/L].

    Args:
        concentrations (Sequence[float]): Ion concentrations [mol/L].
        valencies (Sequence[int]): Signed ion valencies (electroneutral with the concentrations).

    Returns:
        float: :math:`I` [mol/L]; 6 c for a 1:3 salt at concentration c.

    Example:
        >>> round(ionic_strength(*salt_ions(0.01, 1, 3)), 12)
        0.06
    """
    c, z = _ions(concentrations, valencies)
    return 0.5 * float(np.sum(c * z**2))


def bjerrum_length(epsilon_r: float, temperature: float) -> float:
    """Bjerrum length :math:`l_B = e^2/(4\\pi\\varepsilon_0\\varepsilon_r kT)` [m].

    Args:
        epsilon_r (float): Relative permittivity of the solvent (>= 1).
        temperature (float): Temperature [K].

    Returns:
        float: :math:`l_B` [m]; 0.308 nm in N-methylformamide (182) at 298.15 K.

    Example:
        >>> round(bjerrum_length(78.4, 298.15) * 1e9, 3)
        0.715
    """
    eps = check_real("epsilon_r", epsilon_r, 1, low_open=False)
    return constants.e**2 / (4 * math.pi * constants.epsilon_0 * eps * thermal_energy(temperature))


def debye_length(
    concentrations: Sequence[float],
    valencies: Sequence[int],
    epsilon_r: float,
    temperature: float,
) -> float:
    """Debye screening length :math:`\\kappa^{-1}` of any mixture of ions [m].

    .. math::

        \\kappa^2 = \\frac{e^2 \\sum_i n_i z_i^2}{\\varepsilon_0\\varepsilon_r kT},
        \\qquad n_i = 1000\\,N_A c_i

    Args:
        concentrations (Sequence[float]): Ion concentrations [mol/L] (not all zero).
        valencies (Sequence[int]): Signed valencies; the ions must be electroneutral.
        epsilon_r (float): Relative permittivity of the solvent.
        temperature (float): Temperature [K].

    Returns:
        float: :math:`\\kappa^{-1}` [m]; 0.304 nm/sqrt(I [mol/L]) in water at 25 C.

    Example:
        >>> round(debye_length([0.1, 0.1], [1, -1], 78.4, 298.15) * 1e9, 3)
        0.961
    """
    c, z = _ions(concentrations, valencies)
    number = 1000 * constants.N_A * float(np.sum(c * z**2))
    if number == 0:
        raise ValueError(f"concentrations must not all be zero (no screening), got {c.tolist()}")
    eps = check_real("epsilon_r", epsilon_r, 1, low_open=False)
    kappa2 = constants.e**2 * number / (constants.epsilon_0 * eps * thermal_energy(temperature))
    return 1.0 / math.sqrt(kappa2)


def _vdw_bracket(r: np.ndarray, r1: float, r2: float) -> np.ndarray:
    """The dimensionless bracket of the Hamaker energy, stable from contact to infinity."""
    s, p, q = r**2, (r1 + r2) ** 2, (r1 - r2) ** 2
    out = np.empty_like(r)
    near = s < (_SERIES_FROM**2) * p
    sn = s[near]
    a = 2 * r1 * r2
    out[near] = a / (sn - p) + a / (sn - q) + np.log((sn - p) / (sn - q))
    # far: with u = p/s, v = q/s the bracket is sum_k>=3 (u - v) [(u^(k-1) + v^(k-1))/2
    # - (u^(k-1) + u^(k-2) v + ... + v^(k-1))/k]; the k = 1, 2 terms vanish identically.
    u, v = p / s[~near], q / s[~near]
    far = np.zeros_like(u)
    for k in range(3, _SERIES_TERMS + 3):
        mixed = sum(u ** (k - 1 - j) * v**j for j in range(k))
        far += (u - v) * (0.5 * (u ** (k - 1) + v ** (k - 1)) - mixed / k)
    out[~near] = far
    return out


def hamaker_energy(
    r: np.ndarray | float,
    radius1: float,
    radius2: float,
    hamaker: float,
    temperature: float,
) -> np.ndarray:
    """Exact van der Waals energy of two spheres :cite:`hamaker1937` [kT].

    .. math::

        U_\\mathrm{vdW} = -\\frac{A}{6}\\left[\\frac{2R_1R_2}{r^2-(R_1+R_2)^2}
        + \\frac{2R_1R_2}{r^2-(R_1-R_2)^2}
        + \\ln\\frac{r^2-(R_1+R_2)^2}{r^2-(R_1-R_2)^2}\\right]

    Small gaps: :math:`-A R_1R_2/(6(R_1+R_2)h)` (:math:`-AR/12h` for equal spheres); far field:
    :math:`-\\tfrac{16}{9}A R_1^3R_2^3/r^6`. Beyond five contact distances the bracket is
    summed as its series, which keeps full precision where the closed form cancels.

    Args:
        r: Centre distances [m], all larger than ``radius1 + radius2``.
        radius1 (float): Radius of sphere 1 [m].
        radius2 (float): Radius of sphere 2 [m].
        hamaker (float): Hamaker constant :math:`A` [J] (>= 0).
        temperature (float): Temperature [K].

    Returns:
        numpy.ndarray: :math:`U_\\mathrm{vdW}/kT`, shaped like ``r``.
    """
    r1 = check_real("radius1", radius1, 0, unit="m")
    r2 = check_real("radius2", radius2, 0, unit="m")
    a = check_real("hamaker", hamaker, 0, low_open=False, unit="J")
    d = check_distances("r", r, "m")
    if np.any(d <= r1 + r2):
        raise ValueError(
            f"r must exceed radius1 + radius2 = {r1 + r2:g} m (overlapping spheres), got "
            f"{d[d <= r1 + r2].flat[0]!r}"
        )
    scale = r1 + r2
    return -a / 6 * _vdw_bracket(d / scale, r1 / scale, r2 / scale) / thermal_energy(temperature)


def linear_superposition_potential(
    surface_potential: float, temperature: float, valency: int = 1
) -> float:
    """Effective surface potential :math:`Y = (4kT/ze)\\tanh(ze\\psi_0/4kT)` of the LSA [V].

    Args:
        surface_potential (float): :math:`\\psi_0` [V].
        temperature (float): Temperature [K].
        valency (int): :math:`z` of the (counter-)ions of the symmetric-electrolyte formula.

    Returns:
        float: :math:`Y` [V] (:math:`\\to \\psi_0` for small potentials).

    Example:
        >>> round(linear_superposition_potential(-0.05, 298.15) * 1e3, 2)
        -46.4
    """
    psi = check_real("surface_potential", surface_potential, -10.0, 10.0, unit="V")
    if isinstance(valency, bool) or not isinstance(valency, int | np.integer) or valency < 1:
        raise ValueError(f"valency must be a positive integer, got {valency!r}")
    kt_e = thermal_energy(temperature) / (valency * constants.e)
    return 4 * kt_e * math.tanh(psi / (4 * kt_e))


def debye_huckel_charge(
    surface_potential: float, radius: float, debye_length: float, epsilon_r: float
) -> float:
    """Charge number of a sphere at a surface potential, linearised Poisson-Boltzmann.

    :math:`Z = 4\\pi\\varepsilon_0\\varepsilon_r R(1+\\kappa R)\\psi_0/e`, so that the
    ``"yukawa"`` form can be driven by a surface potential.

    Args:
        surface_potential (float): :math:`\\psi_0` [V].
        radius (float): Sphere radius [m].
        debye_length (float): :math:`\\kappa^{-1}` [m].
        epsilon_r (float): Relative permittivity.

    Returns:
        float: :math:`Z` [e] (signed like :math:`\\psi_0`).

    Example:
        >>> round(debye_huckel_charge(-0.05, 2.25e-9, 1.89e-9, 182.0), 1)
        -31.1
    """
    psi = check_real("surface_potential", surface_potential, -10.0, 10.0, unit="V")
    r = check_real("radius", radius, 0, unit="m")
    lam = check_real("debye_length", debye_length, 0, unit="m")
    eps = check_real("epsilon_r", epsilon_r, 1, low_open=False)
    return 4 * math.pi * constants.epsilon_0 * eps * r * (1 + r / lam) * psi / constants.e


def electrostatic_energy(
    r: np.ndarray | float,
    radius1: float,
    radius2: float,
    *,
    form: str,
    debye_length: float,
    epsilon_r: float,
    temperature: float,
    surface_potential: float | None = None,
    charge: float | None = None,
    valency: int = 1,
    check_derjaguin: bool = True,
) -> np.ndarray:
    """Double-layer repulsion of two like-charged spheres in one of :data:`ELECTROSTATICS` [kT].

    * ``"hhf"``: constant potential, Derjaguin approximation :cite:`hogg1966`,
      :math:`U = 4\\pi\\varepsilon_0\\varepsilon_r\\psi_0^2 \\frac{R_1R_2}{R_1+R_2}
      \\ln(1+e^{-\\kappa h})` (:math:`2\\pi\\varepsilon R\\psi_0^2\\ln(1+e^{-\\kappa h})` for
      equal spheres). Valid for :math:`\\kappa R \\gg 1` and small gaps.
    * ``"lsa"``: linear superposition :cite:`bell1970`,
      :math:`U = 4\\pi\\varepsilon_0\\varepsilon_r R_1R_2 Y^2 e^{-\\kappa h}/r` with
      :func:`linear_superposition_potential`; for gaps beyond ~one Debye length, any
      :math:`\\kappa R`.
    * ``"yukawa"``: constant charge, screened Coulomb (DLVO),
      :math:`\\beta U = Z^2 l_B \\frac{e^{\\kappa R_1}}{1+\\kappa R_1}
      \\frac{e^{\\kappa R_2}}{1+\\kappa R_2}\\frac{e^{-\\kappa r}}{r}`.

    Args:
        r: Centre distances [m] (beyond ``radius1 + radius2``).
        radius1 (float): Radius of sphere 1 [m].
        radius2 (float): Radius of sphere 2 [m].
        form (str): One of :data:`ELECTROSTATICS`.
        debye_length (float): :math:`\\kappa^{-1}` [m] (:func:`debye_length`).
        epsilon_r (float): Relative permittivity.
        temperature (float): Temperature [K].
        surface_potential (float): :math:`\\psi_0` [V] (``"hhf"``, ``"lsa"``).
        charge (float): :math:`Z` [e] (``"yukawa"``; :func:`debye_huckel_charge` converts).
        valency (int): :math:`z` of the LSA's :math:`Y`.
        check_derjaguin (bool): Warn (:class:`DerjaguinWarning`) when ``"hhf"`` is used at
            :math:`\\kappa R` < :data:`DERJAGUIN_MIN_KAPPA_R`.

    Returns:
        numpy.ndarray: :math:`U_\\mathrm{el}/kT`, shaped like ``r``.
    """
    form = check_choice("form", form, ELECTROSTATICS)
    r1 = check_real("radius1", radius1, 0, unit="m")
    r2 = check_real("radius2", radius2, 0, unit="m")
    lam = check_real("debye_length", debye_length, 0, unit="m")
    eps = check_real("epsilon_r", epsilon_r, 1, low_open=False)
    kt = thermal_energy(temperature)
    d = check_distances("r", r, "m")
    if np.any(d <= r1 + r2):
        raise ValueError(f"r must exceed radius1 + radius2 = {r1 + r2:g} m, got {d.min()!r}")
    h = d - r1 - r2
    four_pi_eps = 4 * math.pi * constants.epsilon_0 * eps
    if form == "yukawa":
        if charge is None:
            raise ValueError(
                "form 'yukawa' needs charge (debye_huckel_charge converts a potential)"
            )
        z = check_real("charge", charge, unit="e")
        lb = bjerrum_length(eps, temperature)
        g1, g2 = (math.exp(rr / lam) / (1 + rr / lam) for rr in (r1, r2))
        return z**2 * lb * g1 * g2 * np.exp(-d / lam) / d
    if surface_potential is None:
        raise ValueError(f"form {form!r} needs surface_potential (V)")
    psi = check_real("surface_potential", surface_potential, -10.0, 10.0, unit="V")
    if form == "hhf":
        kappa_r = min(r1, r2) / lam
        if check_derjaguin and kappa_r < DERJAGUIN_MIN_KAPPA_R:
            warnings.warn(
                f"Derjaguin (hhf) at kappa R = {kappa_r:.3g} < {DERJAGUIN_MIN_KAPPA_R:g}: it "
                "assumes thin double layers; prefer form='lsa' or 'yukawa' here",
                DerjaguinWarning,
                stacklevel=2,
            )
        return four_pi_eps * psi**2 * (r1 * r2 / (r1 + r2)) * np.log1p(np.exp(-h / lam)) / kt
    y = linear_superposition_potential(psi, temperature, valency)
    return four_pi_eps * r1 * r2 * y**2 * np.exp(-h / lam) / d / kt


def exponential_repulsion(
    amplitude: float, decay_length: float, contact: float
) -> Callable[[np.ndarray], np.ndarray]:
    """An extra short-range repulsion :math:`U = A\\,e^{-(r - r_c)/\\ell}` [kT].

    The seed (its Fig. 2E) attributes a short-range repulsion to multivalent ions adsorbed at
    the surfaces :cite:`coropceanu2022`; it does not give its form, so this exponential is a
    proposal. Any callable ``r [m] -> kT`` can be passed as ``extra_repulsion`` instead.

    Args:
        amplitude (float): :math:`A`, the energy at contact [kT] (>= 0).
        decay_length (float): :math:`\\ell` [m].
        contact (float): :math:`r_c`, the centre distance at contact [m].

    Returns:
        Callable: ``f(r)`` for distances in m, energies in kT.

    Example:
        >>> f = exponential_repulsion(3.0, 0.1e-9, 4.8e-9)
        >>> round(float(f(4.9e-9)), 4)
        1.1036
    """
    a = check_real("amplitude", amplitude, 0, low_open=False, unit="kT")
    ell = check_real("decay_length", decay_length, 0, unit="m")
    rc = check_real("contact", contact, 0, unit="m")

    def repulsion(r: np.ndarray) -> np.ndarray:
        return a * np.exp(-(np.asarray(r, dtype=float) - rc) / ell)

    return repulsion


@dataclass(frozen=True)
class WellProperties:
    """The attractive well of a pair potential (lengths in m, energies in kT).

    Args:
        contact (float): Centre distance of hard contact [m].
        position (float): Centre distance of the minimum [m].
        depth (float): :math:`-\\min U` [kT] (0 if the potential is never negative).
        width (float): Width of the region with :math:`U < -\\mathrm{depth}/2` [m].
        barrier (float): Height of the maximum beyond the well [kT] (0 if none is positive).
        barrier_position (float): Centre distance of that maximum [m] (``nan`` if none).
    """

    contact: float
    position: float
    depth: float
    width: float
    barrier: float
    barrier_position: float


@dataclass(frozen=True)
class DLVOPair:
    """DLVO pair of nanocrystals with a hard contact at a ligand-shell gap (SI in, kT out).

    Args:
        radius (float): Core radius :math:`R_1` [m].
        hamaker (float): Hamaker constant of the cores across the solvent [J].
        debye_length (float): :math:`\\kappa^{-1}` [m] (:func:`debye_length`).
        epsilon_r (float): Relative permittivity of the solvent.
        temperature (float): Temperature [K].
        surface_potential (float): :math:`\\psi_0` [V] (``"hhf"``, ``"lsa"``).
        charge (float): :math:`Z` [e] (``"yukawa"``; derived from ``surface_potential`` by
            :func:`debye_huckel_charge` when omitted).
        electrostatics (str): One of :data:`ELECTROSTATICS`.
        contact_gap (float): Hard-contact gap :math:`h_c` [m].
        radius2 (float): Radius of the second sphere [m] (``None``: equal to ``radius``).
        valency (int): :math:`z` of the LSA.
        extra_repulsion (Callable): Extra term ``f(r [m]) -> kT`` (e.g.
            :func:`exponential_repulsion`), or ``None``.
        check_derjaguin (bool): Warn when ``"hhf"`` is used at small :math:`\\kappa R`.
    """

    radius: float
    hamaker: float
    debye_length: float
    epsilon_r: float
    temperature: float
    surface_potential: float | None = None
    charge: float | None = None
    electrostatics: str = "hhf"
    contact_gap: float = CONTACT_GAP
    radius2: float | None = None
    valency: int = 1
    extra_repulsion: Callable[[np.ndarray], np.ndarray] | None = None
    check_derjaguin: bool = True

    def __post_init__(self) -> None:
        check_real("radius", self.radius, 0, unit="m")
        if self.radius2 is not None:
            check_real("radius2", self.radius2, 0, unit="m")
        check_real("hamaker", self.hamaker, 0, low_open=False, unit="J")
        check_real("debye_length", self.debye_length, 0, unit="m")
        check_real("epsilon_r", self.epsilon_r, 1, low_open=False)
        check_real("temperature", self.temperature, 0, unit="K")
        check_real("contact_gap", self.contact_gap, 0, unit="m")
        check_choice("electrostatics", self.electrostatics, ELECTROSTATICS)
        if self.electrostatics == "yukawa" and self.charge is None:
            if self.surface_potential is None:
                raise ValueError("electrostatics 'yukawa' needs charge or surface_potential")
        elif self.electrostatics != "yukawa" and self.surface_potential is None:
            raise ValueError(f"electrostatics {self.electrostatics!r} needs surface_potential (V)")
        if self.extra_repulsion is not None and not callable(self.extra_repulsion):
            raise ValueError(
                f"extra_repulsion must be callable r [m] -> kT, got {self.extra_repulsion!r}"
            )
        # check the electrostatic inputs (and warn about Derjaguin) once, here
        self._electrostatic(self.contact, check_derjaguin=self.check_derjaguin)

    @classmethod
    def from_salt(
        cls,
        *,
        concentrations: Sequence[float],
        valencies: Sequence[int],
        epsilon_r: float,
        temperature: float,
        **kwargs,
    ) -> DLVOPair:
        """The pair in a solution of ions, the Debye length computed from them.

        Args:
            concentrations (Sequence[float]): Ion concentrations [mol/L] (:func:`salt_ions`).
            valencies (Sequence[int]): Signed valencies.
            epsilon_r (float): Relative permittivity.
            temperature (float): Temperature [K].
            **kwargs: The other fields of :class:`DLVOPair`.

        Returns:
            DLVOPair: The pair.
        """
        lam = debye_length(concentrations, valencies, epsilon_r, temperature)
        return cls(debye_length=lam, epsilon_r=epsilon_r, temperature=temperature, **kwargs)

    @property
    def radii(self) -> tuple[float, float]:
        """tuple[float, float]: :math:`(R_1, R_2)` [m]."""
        return self.radius, self.radius if self.radius2 is None else self.radius2

    @property
    def contact(self) -> float:
        """float: Centre distance of hard contact :math:`R_1 + R_2 + h_c` [m]."""
        return sum(self.radii) + self.contact_gap

    @property
    def kappa_radius(self) -> float:
        """float: :math:`\\kappa R` of the smaller sphere."""
        return min(self.radii) / self.debye_length

    def van_der_waals(self, r: np.ndarray | float) -> np.ndarray:
        """:func:`hamaker_energy` of the pair [kT].

        Args:
            r: Centre distances [m] (beyond :math:`R_1 + R_2`).

        Returns:
            numpy.ndarray: Energies [kT].
        """
        return hamaker_energy(r, *self.radii, self.hamaker, self.temperature)

    def electrostatic(self, r: np.ndarray | float) -> np.ndarray:
        """:func:`electrostatic_energy` of the pair [kT].

        The Derjaguin check is made once, at construction.

        Args:
            r: Centre distances [m] (beyond :math:`R_1 + R_2`).

        Returns:
            numpy.ndarray: Energies [kT].
        """
        return self._electrostatic(r, check_derjaguin=False)

    def _electrostatic(self, r: np.ndarray | float, *, check_derjaguin: bool) -> np.ndarray:
        charge = self.charge
        if self.electrostatics == "yukawa" and charge is None:
            charge = debye_huckel_charge(
                self.surface_potential, min(self.radii), self.debye_length, self.epsilon_r
            )
        return electrostatic_energy(
            r,
            *self.radii,
            form=self.electrostatics,
            debye_length=self.debye_length,
            epsilon_r=self.epsilon_r,
            temperature=self.temperature,
            surface_potential=self.surface_potential,
            charge=charge,
            valency=self.valency,
            check_derjaguin=check_derjaguin,
        )

    def energy(self, r: np.ndarray | float) -> np.ndarray:
        """Total pair energy [kT]: ``inf`` inside hard contact.

        Args:
            r: Centre distances [m].

        Returns:
            numpy.ndarray: :math:`U/kT`, shaped like ``r``.
        """
        d = check_distances("r", r, "m")
        out = np.full(d.shape, np.inf)
        ok = d >= self.contact
        if np.any(ok):
            x = d[ok]
            u = self.van_der_waals(x) + self.electrostatic(x)
            if self.extra_repulsion is not None:
                u = u + np.asarray(self.extra_repulsion(x), dtype=float)
            out[ok] = u
        return out

    def well(self, *, reach: float | None = None, points: int = 4000) -> WellProperties:
        """Depth, half-depth width and barrier of the well (:class:`WellProperties`).

        The potential is scanned on a grid of gaps spaced geometrically from the contact gap
        out to ``reach``, and the minimum, the half-depth crossing and the barrier maximum are
        then refined (Brent root and bounded minimisation).

        Args:
            reach (float): Largest gap scanned [m] (default: 40 Debye lengths + 4 radii).
            points (int): Grid points of the scan.

        Returns:
            WellProperties: The well.
        """
        hc = self.contact_gap
        reach = 40 * self.debye_length + 4 * max(self.radii) if reach is None else reach
        check_real("reach", reach, hc, unit="m")
        base = sum(self.radii)
        r = base + np.geomspace(hc, reach, int(points))
        u = self.energy(r)
        i_min = int(np.argmin(u))
        depth = max(0.0, -float(u[i_min]))
        f = lambda x: float(self.energy(x)[()])  # noqa: E731
        position = float(r[i_min])
        if 0 < i_min < len(r) - 1:
            res = optimize.minimize_scalar(f, bounds=(r[i_min - 1], r[i_min + 1]), method="bounded")
            position, depth = float(res.x), max(0.0, -float(res.fun))
        width = 0.0
        if depth > 0:
            half = lambda x: f(x) + depth / 2  # noqa: E731
            outer = np.flatnonzero((u > -depth / 2) & (r > position))
            inner = np.flatnonzero((u > -depth / 2) & (r < position))
            r_out = optimize.brentq(half, r[outer[0] - 1], r[outer[0]]) if len(outer) else r[-1]
            r_in = optimize.brentq(half, r[inner[-1]], r[inner[-1] + 1]) if len(inner) else r[0]
            width = float(r_out - r_in)
            beyond = r > r_out
        else:
            beyond = np.ones(len(r), bool)
        barrier, barrier_position = 0.0, math.nan
        if np.any(beyond) and np.max(u[beyond]) > 0:
            j = int(np.flatnonzero(beyond)[np.argmax(u[beyond])])
            lo, hi = r[max(j - 1, 0)], r[min(j + 1, len(r) - 1)]
            res = optimize.minimize_scalar(lambda x: -f(x), bounds=(lo, hi), method="bounded")
            barrier, barrier_position = float(-res.fun), float(res.x)
        return WellProperties(self.contact, position, depth, width, barrier, barrier_position)
