r"""2D detector patterns on the Ewald sphere, and orientational (powder) averages.

A flat detector perpendicular to the beam at distance :math:`D`: pixel :math:`(i, j)` (row,
column) sits at :math:`\mathbf P = D\hat{\mathbf b} + (j - c_x)p\,\hat{\mathbf e}_1 +
(i - c_y)p\,\hat{\mathbf e}_2` (pixel size :math:`p`, beam centre :math:`(c_y, c_x)`). The
scattering vector is, with :math:`k = 2\pi/\lambda`,

* ``ewald="exact"`` (WAXS and SAXS): :math:`\mathbf q = k\,\mathbf P/|\mathbf P| - k\hat{\mathbf b}`
  on the Ewald sphere, :math:`|\mathbf q| = 4\pi\sin\theta/\lambda`;
* ``ewald="flat"`` (small-angle approximation): :math:`\mathbf q = k\,(\mathbf P -
  D\hat{\mathbf b})/D`, perpendicular to the beam.

The lab frame of the detector: for the default beam :math:`\hat{\mathbf b} = \hat z`,
:math:`\hat{\mathbf e}_1 = \hat x` (columns) and :math:`\hat{\mathbf e}_2 = \hat y` (rows); for
another beam :math:`\hat{\mathbf e}_1 \propto \hat{\mathbf u}\times\hat{\mathbf b}` with
:math:`\hat{\mathbf u} = \hat y` (or :math:`\hat x` when the beam is along :math:`y`) and
:math:`\hat{\mathbf e}_2 = \hat{\mathbf b}\times\hat{\mathbf e}_1`. The azimuth
:math:`\varphi = \mathrm{atan2}(\rho_2, \rho_1)` is measured in the detector plane from
:math:`\hat{\mathbf e}_1` towards :math:`\hat{\mathbf e}_2`.

One detector can hold both the superlattice (SAXS) and the atomic-lattice (WAXS) rings, as in
the XCCA studies of PbS NC superlattices :cite:`zaluzhnyy2017`: an fcc superlattice with
:math:`a = 150` :math:`\mathrm{\AA}` has its (111) ring at :math:`2\pi\sqrt3/a = 0.073`
:math:`\mathrm{\AA}^{-1}`, PbS (111) and (200) lie at 1.83 and 2.12 :math:`\mathrm{\AA}^{-1}`
(:meth:`Detector.from_q_max`).

Example:
    >>> det = Detector.from_q_max(64, q_max=2.5, wavelength=0.954)
    >>> det.q_vectors.shape, round(float(det.q_magnitude[32, 63]), 3)
    ((64, 64, 3), 2.5)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module, to_numpy
from hoomd_rigidfield.orientation import as_rotation_matrices
from hoomd_rigidfield.scattering.amplitudes import intensity, nc_amplitude, superlattice_amplitude
from hoomd_rigidfield.scattering.atoms import AtomisticNC, NCPlacement
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Ewald-sphere treatments.
EWALD = ("exact", "flat")

#: Direction sets for orientational averages.
DIRECTIONS = ("fibonacci", "random")


def _unit(name: str, v: Any) -> np.ndarray:
    a = np.asarray(check_finite_array(name, v, (3,)), dtype=float)
    n = float(np.linalg.norm(a))
    if n == 0:
        raise ValueError(f"{name} must be a non-zero 3-vector, got {v!r}")
    return a / n


def detector_axes(beam: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Orthonormal detector frame :math:`(\hat{\mathbf e}_1, \hat{\mathbf e}_2, \hat{\mathbf b})`.

    Args:
        beam ((3,) array): Beam direction (normalised here).

    Returns:
        tuple: ``(e1, e2, b)`` as (3,) arrays, right-handed.
    """
    b = _unit("beam_direction", beam)
    up = np.array([0.0, 1.0, 0.0]) if abs(b[1]) < 0.9 else np.array([1.0, 0.0, 0.0])
    e1 = np.cross(up, b)
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(b, e1), b


class Detector:
    r"""A flat pixel detector perpendicular to the beam.

    Args:
        shape (tuple[int, int]): ``(rows, columns)``.
        pixel_size (float): Pixel pitch :math:`[\mathrm{mm}]`.
        distance (float): Sample-to-detector distance :math:`[\mathrm{mm}]`.
        wavelength (float): X-ray wavelength :math:`\lambda` :math:`[\mathrm{\AA}]`
            (:math:`\lambda = 12.398/E[\mathrm{keV}]`).
        beam_center (tuple[float, float]): ``(row, column)`` of the direct beam [pixels];
            ``None``: the centre of the array.
        beam_direction ((3,) array): :math:`\hat{\mathbf b}` in the sample (lab) frame.
        ewald (str): ``"exact"`` or ``"flat"`` (see the module docstring).
        mask ((rows, columns) bool array): ``True`` where a pixel is valid (``None``: all);
            combine with :func:`beamstop_mask` and :func:`module_gap_mask`.

    Raises:
        ValueError: On bad sizes, a non-positive length or a mask of the wrong shape.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        pixel_size: float,
        distance: float,
        wavelength: float,
        beam_center: tuple[float, float] | None = None,
        beam_direction: Any = (0.0, 0.0, 1.0),
        ewald: str = "exact",
        mask: Any = None,
    ) -> None:
        if np.ndim(shape) != 1 or len(shape) != 2:
            raise ValueError(f"shape must be (rows, columns), got {shape!r}")
        self._shape = (check_int("shape[0]", shape[0], 1), check_int("shape[1]", shape[1], 1))
        self._pixel = check_positive("pixel_size", pixel_size, "mm")
        self._distance = check_positive("distance", distance, "mm")
        self._wavelength = check_positive("wavelength", wavelength, "A")
        if beam_center is None:
            beam_center = ((self._shape[0] - 1) / 2.0, (self._shape[1] - 1) / 2.0)
        if np.ndim(beam_center) != 1 or len(beam_center) != 2:
            raise ValueError(f"beam_center must be (row, column), got {beam_center!r}")
        self._center = (
            check_real("beam_center[0]", beam_center[0], unit="px"),
            check_real("beam_center[1]", beam_center[1], unit="px"),
        )
        self._axes = detector_axes(beam_direction)
        self._ewald = check_choice("ewald", ewald, EWALD)
        if mask is None:
            m = np.ones(self._shape, dtype=bool)
        else:
            m = np.asarray(to_numpy(mask))
            if m.shape != self._shape or m.dtype != bool:
                raise ValueError(
                    f"mask must be a bool array of shape {self._shape}, got {m.dtype} {m.shape}"
                )
        self._mask = m.copy()
        self._compute_geometry()

    @classmethod
    def from_q_max(
        cls,
        n_pixels: int,
        q_max: float,
        wavelength: float = 0.954,
        distance: float = 200.0,
        ewald: str = "exact",
        beam_direction: Any = (0.0, 0.0, 1.0),
    ) -> Detector:
        r"""A square detector, beam at the centre, whose edge midpoints reach ``q_max``.

        Args:
            n_pixels (int): Pixels per side.
            q_max (float): :math:`|q|` at the centre of an edge :math:`[\mathrm{\AA}^{-1}]`
                (:math:`2\theta < 90^\circ` needed).
            wavelength (float): :math:`\lambda` :math:`[\mathrm{\AA}]` (default 13 keV).
            distance (float): :math:`D` :math:`[\mathrm{mm}]`.
            ewald (str): ``"exact"`` or ``"flat"``.
            beam_direction ((3,) array): Beam direction.

        Returns:
            Detector: The detector (pixel size chosen to fit).
        """
        n = check_int("n_pixels", n_pixels, 2)
        lam = check_positive("wavelength", wavelength, "A")
        q_lim = 4.0 * math.pi / lam * math.sin(math.pi / 4.0)
        qm = check_real("q_max", q_max, 0.0, q_lim, high_open=True, unit="A^-1")
        d = check_positive("distance", distance, "mm")
        k = 2.0 * math.pi / lam
        if ewald == "flat":
            rho = d * qm / k
        else:
            rho = d * math.tan(2.0 * math.asin(qm / (2.0 * k)))
        # Edge pixel centre at (n - 1) / 2 pixels from the beam.
        return cls((n, n), rho / ((n - 1) / 2.0), d, lam, None, beam_direction, ewald)

    def _compute_geometry(self) -> None:
        e1, e2, b = self._axes
        rows = (np.arange(self._shape[0]) - self._center[0]) * self._pixel
        cols = (np.arange(self._shape[1]) - self._center[1]) * self._pixel
        rho = cols[None, :, None] * e1 + rows[:, None, None] * e2  # (ny, nx, 3) in-plane [mm]
        k = 2.0 * math.pi / self._wavelength
        if self._ewald == "exact":
            p = rho + self._distance * b
            q = k * p / np.linalg.norm(p, axis=-1, keepdims=True) - k * b
        else:
            q = k * rho / self._distance
        self._q = q
        self._phi = np.arctan2(rho @ e2, rho @ e1)

    @property
    def shape(self) -> tuple[int, int]:
        """tuple[int, int]: ``(rows, columns)``."""
        return self._shape

    @property
    def wavelength(self) -> float:
        r"""float: :math:`\lambda` :math:`[\mathrm{\AA}]`."""
        return self._wavelength

    @property
    def beam_direction(self) -> np.ndarray:
        """(3,) numpy.ndarray: Unit beam direction."""
        return self._axes[2].copy()

    @property
    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""tuple: :math:`(\hat{\mathbf e}_1, \hat{\mathbf e}_2, \hat{\mathbf b})`."""
        return tuple(a.copy() for a in self._axes)

    @property
    def q_vectors(self) -> np.ndarray:
        r"""(rows, cols, 3) numpy.ndarray: Lab-frame :math:`\mathbf q` per pixel :math:`[\mathrm{\AA}^{-1}]`."""
        return self._q.copy()

    @property
    def q_magnitude(self) -> np.ndarray:
        r"""(rows, cols) numpy.ndarray: :math:`|\mathbf q|` :math:`[\mathrm{\AA}^{-1}]`."""
        return np.linalg.norm(self._q, axis=-1)

    @property
    def azimuth(self) -> np.ndarray:
        r"""(rows, cols) numpy.ndarray: :math:`\varphi \in (-\pi, \pi]` [rad] from :math:`\hat{\mathbf e}_1`."""
        return self._phi.copy()

    @property
    def two_theta(self) -> np.ndarray:
        r"""(rows, cols) numpy.ndarray: Scattering angle :math:`2\theta` [rad] (exact geometry)."""
        return 2.0 * np.arcsin(np.clip(self.q_magnitude * self._wavelength / (4 * math.pi), 0, 1))

    @property
    def mask(self) -> np.ndarray:
        """(rows, cols) numpy.ndarray: ``True`` for valid pixels."""
        return self._mask.copy()

    def with_mask(self, mask: Any) -> Detector:
        """The same geometry with another mask (``self.mask & mask`` is a typical argument).

        Args:
            mask ((rows, cols) bool array): Valid pixels.

        Returns:
            Detector: A new detector.
        """
        return Detector(
            self._shape,
            self._pixel,
            self._distance,
            self._wavelength,
            self._center,
            self._axes[2],
            self._ewald,
            mask,
        )

    def pattern(
        self,
        source: AtomisticNC | Callable[[Any], Any],
        placement: NCPlacement | None = None,
        sample_rotation: Any = None,
        fill_value: float = math.nan,
        **kwargs: Any,
    ) -> np.ndarray:
        r"""Intensity :math:`|A(\mathbf q)|^2` on the valid pixels.

        Args:
            source: An :class:`AtomisticNC` (body frame when ``placement`` is given, lab frame
                otherwise) or a callable ``A(q)`` taking ``(M, 3)`` lab-frame vectors and
                returning ``(M,)`` complex amplitudes.
            placement (NCPlacement): Superlattice sites of ``source``.
            sample_rotation: Rotation of the whole sample (quaternion or matrix):
                :math:`I(\mathbf q) = |A(R^T\mathbf q)|^2`.
            fill_value (float): Value of masked pixels.
            **kwargs: Passed to :func:`nc_amplitude` / :func:`superlattice_amplitude`
                (``method``, ``tol``, ``form_factors``, ...).

        Returns:
            (rows, cols) numpy.ndarray: Intensity [electrons²].
        """
        q = self._q[self._mask]
        if sample_rotation is not None:
            q = q @ as_rotation_matrices(sample_rotation, 1)[0]
        amp = _amplitude(source, q, placement, kwargs)
        out = np.full(self._shape, float(fill_value))
        out[self._mask] = to_numpy(intensity(amp))
        return out

    def __repr__(self) -> str:
        return (
            f"Detector(shape={self._shape}, pixel_size={self._pixel:.6g} mm, "
            f"distance={self._distance:.6g} mm, wavelength={self._wavelength:.6g} A, "
            f"ewald={self._ewald!r})"
        )


def _amplitude(source: Any, q: Any, placement: NCPlacement | None, kwargs: dict) -> Any:
    if isinstance(source, AtomisticNC):
        if placement is None:
            return nc_amplitude(source, q, **kwargs)
        return superlattice_amplitude(source, q, placement, **kwargs)
    if callable(source):
        if placement is not None or kwargs:
            raise ValueError("placement and amplitude options need an AtomisticNC source")
        return source(q)
    raise ValueError(
        f"source must be an AtomisticNC or a callable A(q), got {type(source).__name__}"
    )


def beamstop_mask(detector: Detector, q_min: float) -> np.ndarray:
    r"""Pixels outside a beamstop of radius ``q_min``.

    Args:
        detector (Detector): The detector.
        q_min (float): Smallest valid :math:`|q|` :math:`[\mathrm{\AA}^{-1}]`.

    Returns:
        numpy.ndarray: ``True`` where :math:`|q| \ge q_\mathrm{min}`.
    """
    q = check_real("q_min", q_min, 0.0, low_open=False, unit="A^-1")
    return detector.q_magnitude >= q


def module_gap_mask(shape: tuple[int, int], module_shape: tuple[int, int], gap: int) -> np.ndarray:
    """Pixels outside the gaps between detector modules (tiles of ``module_shape`` pixels).

    Args:
        shape (tuple[int, int]): Detector ``(rows, cols)``.
        module_shape (tuple[int, int]): Module ``(rows, cols)``.
        gap (int): Gap width [pixels] after each module (rows and columns).

    Returns:
        numpy.ndarray: ``True`` on module pixels.

    Example:
        >>> int(module_gap_mask((5, 5), (2, 2), 1).sum())  # rows and columns 0, 1, 3, 4
        16
    """
    ny, nx = (check_int("shape[0]", shape[0], 1), check_int("shape[1]", shape[1], 1))
    my, mx = (
        check_int("module_shape[0]", module_shape[0], 1),
        check_int("module_shape[1]", module_shape[1], 1),
    )
    g = check_int("gap", gap, 0)
    rows = np.arange(ny) % (my + g) < my
    cols = np.arange(nx) % (mx + g) < mx
    return rows[:, None] & cols[None, :]


def sphere_directions(n: int, kind: str = "fibonacci", seed: int | None = None) -> np.ndarray:
    """Unit vectors covering the sphere uniformly.

    Args:
        n (int): Number of directions.
        kind (str): ``"fibonacci"`` (deterministic equal-area spiral) or ``"random"`` (uniform,
            from normalised Gaussian vectors with ``seed``).
        seed (int): Seed for ``"random"``.

    Returns:
        (n, 3) numpy.ndarray: Unit vectors.

    Example:
        >>> bool(abs(sphere_directions(1000).mean(axis=0)).max() < 1e-3)
        True
    """
    n = check_int("n_directions", n, 1)
    kind = check_choice("directions", kind, DIRECTIONS)
    if kind == "random":
        v = np.random.default_rng(seed).standard_normal((n, 3))
        return v / np.linalg.norm(v, axis=1, keepdims=True)
    k = np.arange(n) + 0.5
    z = 1.0 - 2.0 * k / n
    phi = k * math.pi * (3.0 - math.sqrt(5.0))
    s = np.sqrt(1.0 - z * z)
    return np.stack([s * np.cos(phi), s * np.sin(phi), z], axis=1)


def orientational_average(
    source: AtomisticNC | Callable[[Any], Any],
    q: Any,
    placement: NCPlacement | None = None,
    n_directions: int = 500,
    directions: str = "fibonacci",
    seed: int | None = None,
    **kwargs: Any,
) -> np.ndarray:
    r"""Powder intensity :math:`I(q) = \langle |A(q\hat{\mathbf u})|^2 \rangle_{\hat{\mathbf u}}`.

    Averaging over directions :math:`\hat{\mathbf u}` is averaging over uniform sample
    rotations. It converges like a quadrature on the sphere: fine for smooth curves of small
    objects; for sharp Bragg peaks of large crystals use the Debye equation
    (:mod:`~hoomd_rigidfield.scattering.powder`), which is exact.

    Args:
        source: :class:`AtomisticNC` or callable ``A(q)`` (as in :meth:`Detector.pattern`).
        q ((Nq,) array): Magnitudes :math:`[\mathrm{\AA}^{-1}]`.
        placement (NCPlacement): Superlattice sites of ``source``.
        n_directions (int): Directions per :math:`q`.
        directions (str): ``"fibonacci"`` or ``"random"``.
        seed (int): Seed for ``"random"``.
        **kwargs: Amplitude options (``method``, ``tol``, ``form_factors``, ...).

    Returns:
        (Nq,) numpy.ndarray: :math:`I(q)` [electrons²].
    """
    qa = np.asarray(to_numpy(check_finite_array("q", q)), dtype=float)
    if qa.ndim != 1 or (qa.size and qa.min() < 0):
        raise ValueError(f"q must be a 1D array of magnitudes >= 0 A^-1, got shape {qa.shape}")
    u = sphere_directions(n_directions, directions, seed)
    qv = qa[:, None, None] * u[None, :, :]
    amp = _amplitude(source, qv.reshape(-1, 3), placement, kwargs)
    xp = get_array_module(amp)
    return to_numpy(xp.mean(intensity(amp).reshape(len(qa), len(u)), axis=1))
