"""The ideal Einstein molecule: its exact free energy, its exact sampling, the perturbation step.

The reference of the solid branch :cite:`vega2007`: particle 0 (the *fixed* particle) never
moves; every other particle is tethered to its lattice site by

.. math::

    U_E = \\Lambda_E \\sum_{i \\ge 1} |\\vec r_i - \\vec r_{i,0}|^2 ,

**the one spring convention of this suite**: :math:`\\Lambda_E` [kT/σ²] multiplies the squared
displacement (no factor 1/2). HOOMD writes springs as :math:`(k/2) r^2`, so HOOMD's spring
constant is :math:`k = 2\\Lambda_E` (:func:`hoomd_spring_constant`, the only place the two
meet). Each Cartesian component of a tethered displacement is Gaussian with variance
:math:`kT / (2\\Lambda_E)`.

With particle 0 fixed, the crystal cannot drift, the translational integral over particle 0 gives
:math:`V`, and the :math:`N!` of the labelled crystal cancels its :math:`N!` equivalent site
permutations :cite:`vega2007`, so

.. math::

    \\frac{\\beta A_0}{N} = \\frac{1}{N} \\ln\\frac{\\Lambda^3}{V}
        + \\frac{3}{2}\\Bigl(1 - \\frac{1}{N}\\Bigr) \\ln\\frac{\\beta \\Lambda_E \\Lambda^2}{\\pi}

(:func:`einstein_molecule_free_energy`; :math:`\\Lambda` is the thermal wavelength, σ by
default). The step from the ideal molecule to the interacting one with the same springs is

.. math::

    \\Delta A_1 = -kT \\ln \\langle e^{-\\beta U} \\rangle_{E}
               = U_\\mathrm{lattice} - kT \\ln\\langle e^{-\\beta (U - U_\\mathrm{lattice})}\\rangle_E ,

an average over the ideal molecule, which is sampled exactly here (independent Gaussian
displacements, :func:`soft_perturbation`); for hard particles it is :math:`-kT\\ln P`, with
:math:`P` the probability of no overlap (:func:`hard_sphere_perturbation`).

Orientational springs (hard anisotropic particles in HPMC, :cite:`noya2008`): every particle,
particle 0 included, is also tethered to its reference orientation :math:`q_{i,0}` by

.. math::

    U_R = \\Lambda_R \\sum_{i \\ge 0} d_i , \\qquad
    d_i = \\min_j |q_{i,0} - q_i s_j|^2 ,

with :math:`s_j` the symmetry quaternions of the shape (identity included), the form of HOOMD's
``hpmc.external.field.Harmonic`` written without its 1/2, so HOOMD's
:math:`k_\\mathrm{rot} = 2\\Lambda_R` (:func:`hoomd_rotational_spring_constant`); :math:`\\Lambda_R`
is in kT (:math:`d` has no unit). HOOMD measures :math:`d` on the unit sphere :math:`S^3` of
quaternions (:math:`q` and :math:`-q` are different points) and HPMC moves quaternions
continuously, so the orientations are sampled on :math:`S^3` with its uniform measure, which is
normalised to 1: free energies are relative to the free rotor. One well, :math:`q = q_0 \\delta`
with :math:`\\delta = (\\cos w, \\sin w\\,\\hat n)`, has :math:`d = |1 - \\delta|^2 = 2 - 2\\cos w`,
and the normalised measure is :math:`(2/\\pi)\\sin^2 w\\,dw\\,d\\Omega/4\\pi`, so

.. math::

    z_1(x) = \\frac{2}{\\pi} \\int_0^\\pi \\sin^2 w\\, e^{-x(2 - 2\\cos w)}\\,dw
           = \\frac{e^{-2x} I_1(2x)}{x}, \\qquad x = \\beta\\Lambda_R

(:func:`rotor_partition_function`; :math:`\\int_0^\\pi e^{z\\cos w}\\sin^2 w\\,dw = \\pi I_1(z)/z`),
which tends to :math:`(4\\pi)^{-1/2} x^{-3/2}` for a stiff spring (three Gaussian angles
:math:`w\\hat n` of variance :math:`1/2x`). The density :math:`\\propto e^{2x\\,q_0\\cdot q}` is the
von Mises-Fisher distribution on :math:`S^3` with concentration :math:`\\kappa = 2x`, sampled
exactly by scipy (:func:`rotor_orientations`); its mean :math:`\\langle q_0 \\cdot q\\rangle =
I_2(2x)/I_1(2x)` gives :math:`\\langle d\\rangle = 2 - 2 I_2(2x)/I_1(2x) \\to 3/(2x)`
(:func:`rotor_mean_distance`). With :math:`M` symmetry quaternions the wells are centred on the
:math:`M` points :math:`q_0 s_j^{*}`; if they are far apart at the spring used, the minimum
splits :math:`S^3` into :math:`M` cells that each hold one whole well, so :math:`z = M z_1` and the
reference gains :math:`-\\ln(M z_1)` per particle (:func:`rotor_free_energy`, which refuses
springs at which the lowest barrier between two wells, :func:`symmetry_barrier` times
:math:`x`, is below :data:`ROTOR_BARRIER`). Which sign convention the symmetries use (both
:math:`\\pm s_j`, or one of each pair) changes :math:`M` and the wells together and not the
result; :func:`hoomd_rigidfield.freeenergy.shapes.octahedral_symmetries` gives both signs (48),
so the field, like the shape, is even in :math:`q`. For hard particles the symmetric wells are
physically the same orientation, so the perturbation step samples one well,
:math:`q_i = q_{i,0}\\delta_i` (:func:`rotor_orientations`).

Pairs are listed once on the lattice (every pair whose lattice distance is within the cut-off
plus :data:`SKIN_SIGMAS` standard deviations of the relative displacement); a displaced pair
vector is its lattice minimum image plus the difference of the two displacements, so no
wrapping is needed and any triclinic box works.

Example:
    >>> from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd
    >>> einstein_molecule_msd(4, 10.0)  # 3 (N - 1) kT / (2 Lambda_E)
    0.45
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import rowan
from scipy.special import ive, logsumexp
from scipy.stats import vonmises_fisher

from hoomd_rigidfield.validation import check_finite_array, check_int, check_positive

#: Pairs are kept if their lattice distance is below the cut-off plus this many standard
#: deviations of a relative displacement component (a pair further out comes that close with
#: probability below :math:`10^{-9}` per sample).
SKIN_SIGMAS = 6.0
#: Index of the particle that the Einstein molecule keeps fixed.
FIXED = 0
#: Lowest energy barrier between two symmetry wells of the orientational spring that
#: :func:`rotor_free_energy` accepts [kT]: the weight a well loses to its neighbours' cells is
#: of order :math:`e^{-40}`, so :math:`z = M z_1` holds to double precision.
ROTOR_BARRIER = 40.0
#: Tolerance on :math:`|q| - 1` of symmetry and reference quaternions, and on the distance
#: below which two symmetry quaternions count as the same point of :math:`S^3`.
QUATERNION_TOL = 1e-8
#: The identity quaternion :math:`(w, x, y, z)`, scalar first as in HOOMD and rowan.
IDENTITY = (1.0, 0.0, 0.0, 0.0)


def hoomd_spring_constant(spring: float) -> float:
    """HOOMD's :math:`k` for this suite's :math:`\\Lambda_E`: :math:`(k/2) r^2 = \\Lambda_E r^2`.

    Args:
        spring (float): :math:`\\Lambda_E` [kT/σ²] (>= 0).

    Returns:
        float: :math:`k = 2\\Lambda_E` [kT/σ²].

    Example:
        >>> hoomd_spring_constant(500.0)
        1000.0
    """
    if spring != 0:
        check_positive("spring", spring, "kT/sigma^2")
    return 2.0 * float(spring)


def hoomd_rotational_spring_constant(spring: float) -> float:
    """HOOMD's :math:`k_\\mathrm{rot}` for this suite's :math:`\\Lambda_R`: :math:`(k/2) d = \\Lambda_R d`.

    Args:
        spring (float): :math:`\\Lambda_R` [kT] (>= 0).

    Returns:
        float: :math:`k_\\mathrm{rot} = 2\\Lambda_R` [kT].

    Example:
        >>> hoomd_rotational_spring_constant(3000.0)
        6000.0
    """
    if spring != 0:
        check_positive("spring", spring, "kT")
    return 2.0 * float(spring)


def einstein_molecule_free_energy(
    n: int,
    volume: float,
    spring: float,
    *,
    kT: float = 1.0,
    wavelength: float = 1.0,
    rotational_spring: float = 0.0,
    symmetries: Any = None,
) -> float:
    """:math:`\\beta A_0/N` of the ideal Einstein molecule (particle 0 fixed) :cite:`vega2007`.

    With ``rotational_spring`` :math:`\\Lambda_R > 0` every particle also carries the
    orientational spring of the module docstring, which adds :func:`rotor_free_energy`
    :math:`-\\ln(M z_1)` per particle (all :math:`N` rotate; relative to the free rotor)
    :cite:`noya2008`.

    Args:
        n (int): Number of particles :math:`N` (>= 2).
        volume (float): Box volume :math:`V` [σ³].
        spring (float): :math:`\\Lambda_E` [kT/σ², energy unit of ``kT``] (> 0).
        kT (float): Thermal energy, in the energy unit of ``spring``.
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
        rotational_spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (>= 0; 0: no
            orientational term, spheres or free rotors).
        symmetries ((M, 4) array): Symmetry quaternions of the wells (:func:`check_symmetries`;
            ``None``: the identity only). Only with ``rotational_spring > 0``.

    Returns:
        float: Free energy per particle [kT].

    Raises:
        ValueError: On a bad input, or symmetry wells that overlap at ``rotational_spring``.

    Example:
        >>> round(einstein_molecule_free_energy(108, 108 / 1.04086, 2000.0), 6)
        9.551608
        >>> rotors = einstein_molecule_free_energy(108, 108 / 1.04086, 2000.0,
        ...                                        rotational_spring=2000.0)
        >>> round(rotors - 9.551608, 3)  # ln(sqrt(4 pi) x^1.5) at x = 2000, one well
        12.667
    """
    n = check_int("n", n, 2)
    v = check_positive("volume", volume, "sigma^3")
    lam = check_positive("spring", spring, "kT/sigma^2")
    beta = 1.0 / check_positive("kT", kT)
    wl = check_positive("wavelength", wavelength, "sigma")
    a0 = math.log(wl**3 / v) / n + 1.5 * (1.0 - 1.0 / n) * math.log(beta * lam * wl**2 / math.pi)
    if rotational_spring != 0:
        return a0 + rotor_free_energy(
            rotational_spring, symmetries, kT=kT, name="rotational_spring"
        )
    if symmetries is not None:
        raise ValueError("symmetries needs rotational_spring > 0 (without it there are no wells)")
    return a0


def check_quaternions(name: str, value: Any) -> np.ndarray:
    """Unit quaternions (scalar first) within :data:`QUATERNION_TOL`, renormalised.

    Args:
        name (str): Parameter name, for messages.
        value ((M, 4) array): Quaternions (M >= 1).

    Returns:
        (M, 4) numpy.ndarray: The quaternions divided by their norms.

    Raises:
        ValueError: On a wrong shape, NaN or inf, no rows, or a norm off 1 by more than
            :data:`QUATERNION_TOL` (the message names the first such row).

    Example:
        >>> check_quaternions("q", [[0.0, 0.0, 0.0, 1.0]]).tolist()
        [[0.0, 0.0, 0.0, 1.0]]
    """
    q = np.asarray(check_finite_array(name, value, (None, 4)), dtype=np.float64)
    if len(q) == 0:
        raise ValueError(f"{name} must hold at least one quaternion, got none")
    norms = np.linalg.norm(q, axis=1)
    bad = np.flatnonzero(np.abs(norms - 1.0) > QUATERNION_TOL)
    if len(bad):
        raise ValueError(
            f"{name} must be unit quaternions (|q| - 1 within {QUATERNION_TOL:g}): "
            f"{name}[{bad[0]}] has norm {float(norms[bad[0]])!r} ({len(bad)} such rows)"
        )
    return q / norms[:, None]


def check_symmetries(symmetries: Any) -> np.ndarray:
    """Symmetry quaternions of HOOMD's harmonic field: unit, distinct, the identity included.

    Args:
        symmetries ((M, 4) array): Quaternions :math:`s_j` (scalar first); ``None``: the
            identity only.

    Returns:
        (M, 4) numpy.ndarray: The quaternions, renormalised.

    Raises:
        ValueError: On NaN or a wrong shape, a non-unit quaternion, a missing identity
            :math:`(1, 0, 0, 0)`, or two rows at the same point of :math:`S^3` (a well would be
            counted twice). :math:`s` and :math:`-s` are different points.

    Example:
        >>> check_symmetries([[1.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0]]).shape
        (2, 4)
    """
    if symmetries is None:
        return np.array([IDENTITY])
    s = check_quaternions("symmetries", symmetries)
    if not np.any(np.linalg.norm(s - np.array(IDENTITY), axis=1) < QUATERNION_TOL):
        raise ValueError(
            f"symmetries must include the identity {IDENTITY} (HOOMD's harmonic field needs it), "
            f"got {len(s)} quaternions without it"
        )
    gap = np.linalg.norm(s[:, None] - s[None], axis=-1) + 3.0 * np.eye(len(s))
    i, j = np.unravel_index(np.argmin(gap), gap.shape)
    if gap[i, j] < QUATERNION_TOL:
        raise ValueError(f"symmetries {i} and {j} are the same quaternion {s[i].tolist()}")
    return s


def symmetry_barrier(symmetries: Any) -> float:
    """Lowest :math:`d` on the boundary between two symmetry wells (the saddle), no unit.

    Wells :math:`a` and :math:`b` at an angle :math:`\\phi` on :math:`S^3`
    (:math:`\\cos\\phi = s_a \\cdot s_b`) meet at the great-circle midpoint, where
    :math:`d = 2 - 2\\cos(\\phi/2)`; the energy barrier is :math:`\\beta\\Lambda_R` times this.

    Args:
        symmetries ((M, 4) array): Symmetry quaternions (:func:`check_symmetries`).

    Returns:
        float: The lowest saddle :math:`d` over all pairs (``inf`` for one well).

    Example:
        >>> round(symmetry_barrier([[1.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0]]), 12)  # q, -q
        2.0
    """
    s = check_symmetries(symmetries)
    if len(s) == 1:
        return math.inf
    dots = s @ s.T - 3.0 * np.eye(len(s))
    phi = math.acos(min(1.0, float(dots.max())))
    return 2.0 - 2.0 * math.cos(0.5 * phi)


def rotor_partition_function(spring: float, *, kT: float = 1.0) -> float:
    """:math:`z_1 = e^{-2x} I_1(2x)/x`: one orientational well over all of :math:`S^3`.

    Normalised to the free rotor (:math:`z_1 \\to 1` as :math:`x \\to 0`); :math:`x =
    \\beta\\Lambda_R` (module docstring).

    Args:
        spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (> 0).
        kT (float): Thermal energy.

    Returns:
        float: :math:`z_1` (no unit).

    Example:
        >>> round(rotor_partition_function(1e-6), 5)
        1.0
    """
    x = check_positive("spring", spring, "kT") / check_positive("kT", kT)
    return float(ive(1, 2.0 * x) / x)


def rotor_mean_distance(spring: float, *, kT: float = 1.0) -> float:
    """:math:`\\langle d\\rangle = 2 - 2 I_2(2x)/I_1(2x)` of one well, :math:`= -d\\ln z_1/dx`.

    Per particle: the rotational part of the switching integrand tends to :math:`N` times this,
    :math:`3N kT/(2\\Lambda_R)`, for a stiff spring.

    Args:
        spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (> 0).
        kT (float): Thermal energy.

    Returns:
        float: :math:`\\langle d\\rangle` (no unit; 2 for a free rotor).

    Example:
        >>> round(rotor_mean_distance(1e4) * 1e4, 3)  # 3/(2x) + O(x^-2)
        1.5
    """
    x = check_positive("spring", spring, "kT") / check_positive("kT", kT)
    return float(2.0 - 2.0 * ive(2, 2.0 * x) / ive(1, 2.0 * x))


def check_rotor_wells(
    symmetries: Any, spring: float, *, kT: float = 1.0, name: str = "spring"
) -> np.ndarray:
    """Refuse a spring at which two symmetry wells overlap (barrier below :data:`ROTOR_BARRIER`).

    Args:
        symmetries ((M, 4) array): Symmetry quaternions (``None``: the identity).
        spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (> 0).
        kT (float): Thermal energy.
        name (str): How the caller calls the spring, for the message.

    Returns:
        (M, 4) numpy.ndarray: The checked symmetries.

    Raises:
        ValueError: If :math:`\\beta\\Lambda_R` times :func:`symmetry_barrier` is below
            :data:`ROTOR_BARRIER`: then :math:`z \\ne M z_1`.
    """
    s = check_symmetries(symmetries)
    x = check_positive(name, spring, "kT") / check_positive("kT", kT)
    barrier = x * symmetry_barrier(s)
    if barrier < ROTOR_BARRIER:
        raise ValueError(
            f"{name} = {spring!r} kT puts the closest of the {len(s)} symmetry wells only "
            f"{barrier:.3g} kT apart (saddle d = {symmetry_barrier(s):.4g}); it must exceed "
            f"{ROTOR_BARRIER:g} kT for z = M z_1: raise {name} to at least "
            f"{ROTOR_BARRIER / symmetry_barrier(s) * kT:.4g} kT, or check the symmetries"
        )
    return s


def rotor_free_energy(
    spring: float, symmetries: Any = None, *, kT: float = 1.0, name: str = "spring"
) -> float:
    """:math:`-\\ln(M z_1)`: the orientational part of :math:`\\beta A_0/N`, per particle.

    Args:
        spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (> 0).
        symmetries ((M, 4) array): Symmetry quaternions (``None``: the identity only, M = 1).
        kT (float): Thermal energy.
        name (str): How the caller calls the spring, for messages.

    Returns:
        float: Free energy per particle [kT], relative to the free rotor.

    Raises:
        ValueError: On a bad input or overlapping wells (:func:`check_rotor_wells`).

    Example:
        >>> from hoomd_rigidfield.freeenergy.shapes import octahedral_symmetries
        >>> round(rotor_free_energy(6000.0, octahedral_symmetries()), 3)  # ln(sqrt(4 pi) x^1.5 / 48)
        10.444
    """
    s = check_rotor_wells(symmetries, spring, kT=kT, name=name)
    x = float(spring) / float(kT)
    return -math.log(len(s)) - math.log(ive(1, 2.0 * x)) + math.log(x)


def rotor_orientations(
    reference: Any, spring: float, n_samples: int, rng: Any = None, *, kT: float = 1.0
) -> np.ndarray:
    """Exact samples of the ideal molecule's orientations in the identity well.

    :math:`q_i = q_{i,0}\\delta_i`, :math:`\\delta_i` independent von Mises-Fisher draws on
    :math:`S^3` about the identity with :math:`\\kappa = 2\\beta\\Lambda_R`
    (:class:`scipy.stats.vonmises_fisher`), so :math:`d_i = |1 - \\delta_i|^2`.

    Args:
        reference ((N, 4) array): Reference orientations :math:`q_{i,0}` (unit quaternions).
        spring (float): :math:`\\Lambda_R` [energy unit of ``kT``] (> 0).
        n_samples (int): Number of independent configurations (>= 1).
        rng: :class:`numpy.random.Generator` or a seed.
        kT (float): Thermal energy.

    Returns:
        (n_samples, N, 4) numpy.ndarray: Unit quaternions.
    """
    q0 = check_quaternions("reference", reference)
    m = check_int("n_samples", n_samples, 1)
    kappa = 2.0 * check_positive("spring", spring, "kT") / check_positive("kT", kT)
    delta = vonmises_fisher(np.array(IDENTITY), kappa).rvs(
        m * len(q0), random_state=np.random.default_rng(rng)
    )
    q = rowan.multiply(np.broadcast_to(q0, (m, len(q0), 4)), delta.reshape(m, len(q0), 4))
    return q / np.linalg.norm(q, axis=-1, keepdims=True)


def einstein_molecule_msd(n: int, spring: float, *, kT: float = 1.0) -> float:
    """:math:`\\langle\\sum_{i\\ge1}|\\vec r_i-\\vec r_{i,0}|^2\\rangle` of the ideal molecule.

    The integrand of the switching step tends to this as :math:`\\lambda \\to \\infty`.

    Args:
        n (int): Number of particles (>= 2).
        spring (float): :math:`\\Lambda_E` [kT/σ²].
        kT (float): Thermal energy.

    Returns:
        float: :math:`3(N-1)kT/(2\\Lambda_E)` [σ²].
    """
    n = check_int("n", n, 2)
    return 3.0 * (n - 1) * check_positive("kT", kT) / (2.0 * check_positive("spring", spring))


def einstein_displacements(
    n: int, spring: float, n_samples: int, rng: Any = None, *, kT: float = 1.0
) -> np.ndarray:
    """Exact samples of the ideal Einstein molecule's displacements (row 0 is zero: fixed).

    Args:
        n (int): Number of particles (>= 2).
        spring (float): :math:`\\Lambda_E` [kT/σ²].
        n_samples (int): Number of independent configurations (>= 1).
        rng: :class:`numpy.random.Generator` or a seed.
        kT (float): Thermal energy.

    Returns:
        (n_samples, N, 3) numpy.ndarray: :math:`\\vec r_i - \\vec r_{i,0}` [σ].
    """
    n = check_int("n", n, 2)
    m = check_int("n_samples", n_samples, 1)
    width = math.sqrt(check_positive("kT", kT) / (2.0 * check_positive("spring", spring)))
    u = np.random.default_rng(rng).normal(0.0, width, size=(m, n, 3))
    u[:, FIXED] = 0.0
    return u


@dataclass(frozen=True)
class LatticePairs:
    """Pairs of lattice sites that can interact: indices and minimum-image lattice vectors.

    Args:
        i ((P,) numpy.ndarray): First site of each pair.
        j ((P,) numpy.ndarray): Second site (``i < j``).
        vectors ((P, 3) numpy.ndarray): :math:`\\vec r_{j,0} - \\vec r_{i,0}`, minimum image [σ].
    """

    i: np.ndarray
    j: np.ndarray
    vectors: np.ndarray

    @classmethod
    def build(cls, box: Any, positions: Any, r_max: float) -> LatticePairs:
        """Every pair of sites closer than ``r_max`` (freud's AABB query, minimum image).

        Args:
            box: :class:`freud.box.Box` or anything :meth:`freud.box.Box.from_box` reads.
            positions ((N, 3) array): Lattice sites [σ].
            r_max (float): Largest lattice distance kept [σ] (below half the shortest box
                period, or a pair would be listed once for several images).

        Returns:
            LatticePairs: The pairs.
        """
        import freud

        box = freud.box.Box.from_box(box)
        pts = check_finite_array("positions", positions, (None, 3))
        r = check_positive("r_max", r_max, "sigma")
        half = 0.5 * min(_periods(box))
        if r >= half:
            raise ValueError(
                f"r_max must be below half the shortest box period {half:.6g} sigma, got {r!r}: "
                "use more unit cells"
            )
        nl = (
            freud.locality.AABBQuery(box, pts)
            .query(pts, {"r_max": r, "exclude_ii": True})
            .toNeighborList()
        )
        i, j = np.asarray(nl.query_point_indices), np.asarray(nl.point_indices)
        keep = i < j
        i, j = i[keep].astype(np.int64), j[keep].astype(np.int64)
        vec = np.asarray(box.wrap(pts[j] - pts[i]), dtype=np.float64)
        return cls(i, j, vec)

    def distances(self, displacements: np.ndarray) -> np.ndarray:
        """Pair distances for a batch of displaced configurations.

        Args:
            displacements ((M, N, 3) numpy.ndarray): Displacements from the sites [σ].

        Returns:
            (M, P) numpy.ndarray: Distances [σ].
        """
        d = self.vectors[None] + displacements[:, self.j] - displacements[:, self.i]
        return np.sqrt(np.einsum("mpk,mpk->mp", d, d))


def _periods(box: Any) -> list[float]:
    """Perpendicular widths of a freud box (the distances between opposite faces) [σ]."""
    m = np.asarray(box.to_matrix(), dtype=float)
    a, b, c = m[:, 0], m[:, 1], m[:, 2]
    vol = abs(float(np.dot(a, np.cross(b, c))))
    return [
        vol / float(np.linalg.norm(np.cross(b, c))),
        vol / float(np.linalg.norm(np.cross(c, a))),
        vol / float(np.linalg.norm(np.cross(a, b))),
    ]


@dataclass(frozen=True)
class Perturbation:
    """The step from the ideal Einstein molecule to the interacting one (same springs).

    Args:
        value (float): :math:`\\beta\\Delta A_1/N` [kT].
        error (float): Its standard error [kT] (independent samples).
        n_samples (int): Configurations drawn.
        lattice_energy (float): :math:`\\beta U_\\mathrm{lattice}/N` [kT] (0 for hard spheres).
    """

    value: float
    error: float
    n_samples: int
    lattice_energy: float = 0.0

    @classmethod
    def from_overlap_counts(cls, n_free: int, n_samples: int, n: int) -> Perturbation:
        """:math:`-\\ln P/N` with its binomial error, :math:`P` = ``n_free / n_samples``.

        Args:
            n_free (int): Sampled configurations without an overlap (>= 0).
            n_samples (int): Configurations drawn (>= 1).
            n (int): Particles :math:`N` (>= 1).

        Returns:
            Perturbation: :math:`\\beta\\Delta A_1/N` of hard particles.

        Raises:
            ValueError: If no configuration was free of overlaps (use a stiffer spring).

        Example:
            >>> Perturbation.from_overlap_counts(1000, 1000, 32).value
            0.0
        """
        m = check_int("n_samples", n_samples, 1)
        free = check_int("n_free", n_free, 0, m)
        n = check_int("n", n, 1)
        if free == 0:
            raise ValueError(
                f"no overlap-free configuration in {m} samples of the ideal molecule: "
                "use a stiffer spring"
            )
        p = free / m
        error = math.sqrt(max(p * (1 - p), 1.0 / m) / m) / p / n
        return cls(math.log(m / free) / n, error, m)


def _batches(n_samples: int, n: int, batch: int | None) -> list[int]:
    size = batch or max(1, 2_000_000 // max(n, 1))
    full, rest = divmod(n_samples, size)
    return [size] * full + ([rest] if rest else [])


def hard_sphere_perturbation(
    box: Any,
    positions: Any,
    spring: float,
    *,
    diameters: Any = 1.0,
    n_samples: int = 20_000,
    rng: Any = None,
    batch: int | None = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N = -\\ln P(\\text{no overlap})/N` for hard spheres.

    Additive diameters :math:`\\sigma_{ij} = (\\sigma_i + \\sigma_j)/2`.

    Args:
        box: Periodic box (freud or anything :meth:`freud.box.Box.from_box` reads).
        positions ((N, 3) array): Lattice sites [σ]; site 0 is the fixed particle.
        spring (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        diameters (float or (N,) array): Sphere diameters [σ].
        n_samples (int): Independent configurations of the ideal molecule.
        rng: :class:`numpy.random.Generator` or a seed.
        batch (int): Configurations per vectorised batch (``None``: about 2e6 site rows).

    Returns:
        Perturbation: With the binomial standard error.

    Raises:
        ValueError: If the lattice itself overlaps, or no sampled configuration is free of
            overlaps (use a stiffer spring).
    """
    pts = check_finite_array("positions", positions, (None, 3))
    n = len(pts)
    m = check_int("n_samples", n_samples, 1)
    width = math.sqrt(1.0 / (2.0 * check_positive("spring", spring, "kT/sigma^2")))
    diam = np.broadcast_to(np.asarray(check_finite_array("diameters", diameters), float), (n,))
    if np.any(diam <= 0):
        raise ValueError(f"diameters must be > 0 sigma, got minimum {diam.min()!r}")
    pairs = LatticePairs.build(box, pts, float(diam.max()) + SKIN_SIGMAS * math.sqrt(2) * width)
    contact = 0.5 * (diam[pairs.i] + diam[pairs.j])
    if np.any(np.linalg.norm(pairs.vectors, axis=1) < contact):
        raise ValueError("the lattice sites overlap: the crystal is denser than close packing")
    rng = np.random.default_rng(rng)
    free = 0
    for size in _batches(m, n, batch):
        u = einstein_displacements(n, spring, size, rng)
        free += int(np.count_nonzero(np.all(pairs.distances(u) >= contact, axis=1)))
    return Perturbation.from_overlap_counts(free, m, n)


def soft_perturbation(
    box: Any,
    positions: Any,
    spring: float,
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    r_cut: float,
    *,
    typeid: Any = None,
    kT: float = 1.0,
    n_samples: int = 20_000,
    rng: Any = None,
    batch: int | None = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N` for a pair potential, from exact samples of the ideal molecule.

    Args:
        box: Periodic box.
        positions ((N, 3) array): Lattice sites [σ]; site 0 is fixed.
        spring (float): :math:`\\Lambda_E` [energy/σ²].
        pair_energy: ``pair_energy(r, type_i, type_j)``: energies [energy] of pairs at
            distances ``r`` (array) with type ids ``type_i``, ``type_j`` (arrays of the same
            shape); it is only called for ``r < r_cut`` (truncation is done here, shifting is
            the caller's).
        r_cut (float): Cut-off [σ].
        typeid ((N,) array): Type id of each site (``None``: all 0).
        kT (float): Thermal energy [energy].
        n_samples (int): Independent configurations.
        rng: :class:`numpy.random.Generator` or a seed.
        batch (int): Configurations per vectorised batch.

    Returns:
        Perturbation: :math:`\\beta\\Delta A_1/N` with its standard error (delta method on
        :math:`\\langle e^{-\\beta(U-U_\\mathrm{lat})}\\rangle`) and :math:`\\beta U_\\mathrm{lat}/N`.
    """
    pts = check_finite_array("positions", positions, (None, 3))
    n = len(pts)
    m = check_int("n_samples", n_samples, 2)
    beta = 1.0 / check_positive("kT", kT)
    lam = check_positive("spring", spring)
    rc = check_positive("r_cut", r_cut, "sigma")
    width = math.sqrt(1.0 / (2.0 * beta * lam))
    types = np.zeros(n, np.int64) if typeid is None else np.asarray(typeid, dtype=np.int64)
    if types.shape != (n,):
        raise ValueError(f"typeid must have shape ({n},), got {types.shape}")
    pairs = LatticePairs.build(box, pts, rc + SKIN_SIGMAS * math.sqrt(2) * width)
    ti, tj = types[pairs.i], types[pairs.j]

    def energy(r: np.ndarray) -> np.ndarray:
        e = np.zeros_like(r)
        inside = r < rc
        e[inside] = pair_energy(
            r[inside], np.broadcast_to(ti, r.shape)[inside], np.broadcast_to(tj, r.shape)[inside]
        )
        return e.sum(axis=-1)

    u_lat = float(energy(np.linalg.norm(pairs.vectors, axis=1)[None])[0])
    rng = np.random.default_rng(rng)
    logw = []
    for size in _batches(m, n, batch):
        du = energy(pairs.distances(einstein_displacements(n, lam, size, rng, kT=kT))) - u_lat
        logw.append(-beta * du)
    logw = np.concatenate(logw)
    log_mean = float(logsumexp(logw) - math.log(m))
    w = np.exp(logw - log_mean)  # w / <w>
    error = float(np.std(w, ddof=1) / math.sqrt(m)) / n
    return Perturbation(beta * u_lat / n - log_mean / n, error, m, beta * u_lat / n)
