"""Angular X-ray cross-correlation analysis (XCCA) of 2D patterns :cite:`altarelli2010`.

Works on plain arrays: a detector image with the :math:`|q|` [Å^-1] and azimuth φ [rad] of each
pixel (and optionally a boolean mask of valid pixels), NumPy or CuPy (the array module follows
the data, :mod:`hoomd_rigidfield.backend`).

* :func:`polar_resample` bins the image onto rings :math:`(q_j, \\varphi_k)`;
* :class:`AngularCorrelation` computes the mask-corrected cross-correlation

  .. math:: C(q_1, q_2, \\Delta) = \\frac{\\langle I(q_1,\\varphi) W(q_1,\\varphi)\\,
            I(q_2,\\varphi+\\Delta) W(q_2,\\varphi+\\Delta)\\rangle_\\varphi}
            {\\langle W(q_1,\\varphi) W(q_2,\\varphi+\\Delta)\\rangle_\\varphi}

  by the correlation theorem (FFT along φ), averaged over patterns, optionally normalised to
  [0, 1] or to :math:`(C - \\langle I_1\\rangle\\langle I_2\\rangle)/
  (\\langle I_1\\rangle\\langle I_2\\rangle)`, and its Fourier components
  :math:`C_n(q_1, q_2) = I_n^*(q_1) I_n(q_2)` (:func:`angular_fourier`,
  :func:`fourier_correlation`);
* :func:`fit_ring_peaks` fits periodic Gaussians :math:`\\sum_i A_i
  \\exp[-(\\varphi-\\varphi_i)^2/2\\sigma^2] + B` to a ring, and
  :func:`orientational_disorder` turns azimuthal and radial widths into the angular spread ΔΦ
  of :cite:`zaluzhnyy2017`;
* :func:`conf1_rotation`, :func:`conf2_rotation`, :func:`zone_reflections`,
  :func:`detector_azimuths`, :func:`peak_offsets` and :func:`classify_orientation` read the
  superlattice (SL) / atomic lattice (AL) orientation relation of :cite:`zaluzhnyy2017` from
  the azimuths of SL and AL peaks of one pattern.

Conventions: φ is measured counter-clockwise from the detector's first axis and binned into
``n_phi`` bins :math:`[k, k+1)\\cdot 2\\pi/n_\\varphi` (centres at :math:`k + 1/2`); Δ takes
the values :math:`2\\pi k/n_\\varphi`, ``k = 0 .. n_phi - 1`` (Δ = −δ is stored at 2π − δ). A
peak of ring 1 at φ₁ and of ring 2 at φ₂ gives a maximum of :math:`C(q_1, q_2, \\Delta)` at
:math:`\\Delta = \\varphi_2 - \\varphi_1`. :math:`C(q, q, \\Delta) = C(q, q, -\\Delta)` holds for
any pattern (an autocorrelation is even); a centrosymmetric pattern (Friedel's law,
:math:`I(\\mathbf q) = I(-\\mathbf q)`) also has :math:`C(\\Delta + \\pi) = C(\\Delta)` for
every pair of rings, so only even orders n are non-zero.

Example:
    >>> import numpy as np
    >>> phi = (np.arange(360) + 0.5) * 2 * np.pi / 360
    >>> ring = sum(np.exp(-((phi - p) ** 2) / (2 * 0.05**2)) for p in np.arange(4) * np.pi / 2 + 0.3)
    >>> xc = AngularCorrelation().compute(ring[None, :])
    >>> n = np.abs(xc.fourier[0, 0, 1:13])
    >>> (np.flatnonzero(n > 1e-6 * n.max()) + 1).tolist()  # a 4-fold ring: orders 4, 8, 12
    [4, 8, 12]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import permutations, product
from typing import Any

import numpy as np
from scipy.optimize import curve_fit, linear_sum_assignment
from scipy.signal import find_peaks, peak_widths

from hoomd_rigidfield.backend import fft_module, get_array_module, to_numpy
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Normalisations of :class:`AngularCorrelation`.
NORMALIZATIONS = (None, "minmax", "mean")
#: Smallest number of azimuthal bins.
MIN_N_PHI = 8
#: PbS (rock salt, a = 5.936 Å) atomic-lattice rings [Å^-1] used by :cite:`zaluzhnyy2017`.
PBS_Q111 = 1.84
PBS_Q200 = 2.12
#: Default zone-axis tolerance of :func:`zone_reflections` [rad]: reflections whose direction
#: makes at most this angle with the detector plane.
ZONE_TOLERANCE = math.radians(2.0)


def _rfft(x: Any) -> Any:
    return fft_module(get_array_module(x)).rfft(x, axis=-1)


def _irfft(x: Any, n: int) -> Any:
    return fft_module(get_array_module(x)).irfft(x, n=n, axis=-1)


# --------------------------------------------------------------------------------------------
# Resampling onto rings
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolarRings:
    """A pattern resampled onto (q, φ) rings (arrays on the image's backend).

    Attributes:
        q ((n_q,) array): Ring centres [Å^-1].
        phi ((n_phi,) array): Azimuthal bin centres [rad].
        intensity ((n_q, n_phi) array): Mean intensity of the valid pixels in each bin (0 in
            bins without valid pixels).
        weight ((n_q, n_phi) array): 1 where a bin holds valid pixels, else 0 (the mask W).
        counts ((n_q, n_phi) array): Number of valid pixels in each bin.
        ring_width (float): Full radial width of each ring [Å^-1].
    """

    q: Any
    phi: Any
    intensity: Any
    weight: Any
    counts: Any
    ring_width: float

    @property
    def n_phi(self) -> int:
        """int: Number of azimuthal bins."""
        return int(self.phi.shape[0])


def azimuth_bins(n_phi: int) -> np.ndarray:
    """Centres of the azimuthal bins, :math:`(k + 1/2)\\,2\\pi/n_\\varphi` [rad].

    Args:
        n_phi (int): Number of bins, >= 8.

    Returns:
        numpy.ndarray: (n_phi,) bin centres [rad].
    """
    n_phi = check_int("n_phi", n_phi, MIN_N_PHI)
    return (np.arange(n_phi) + 0.5) * (2 * np.pi / n_phi)


def polar_resample(
    image: Any,
    q_map: Any,
    phi_map: Any,
    q_values: Any,
    ring_width: float,
    *,
    n_phi: int = 360,
    mask: Any | None = None,
) -> PolarRings:
    """Bin a detector image onto rings of constant :math:`|q|` and azimuthal bins.

    Pixel p belongs to ring j if :math:`q_j - w/2 \\le q_p \\le q_j + w/2` and to azimuthal bin
    :math:`\\lfloor (\\varphi_p \\bmod 2\\pi)\\, n_\\varphi / 2\\pi \\rfloor`; each bin holds the
    mean of its valid pixels. Bins without valid pixels (mask, gaps, beamstop, detector edge,
    too few pixels on small rings) get weight 0, which :class:`AngularCorrelation` corrects for.
    Rings may overlap (a pixel then counts in both).

    Args:
        image ((H, W) array): Intensities; must be finite where ``mask`` is True.
        q_map ((H, W) array): :math:`|q|` of each pixel [Å^-1], >= 0.
        phi_map ((H, W) array): Azimuth of each pixel [rad] (any branch; taken modulo 2π).
        q_values ((n_q,) array): Ring centres [Å^-1], > 0.
        ring_width (float): Full radial width w of each ring [Å^-1] (about one pixel or the
            radial peak width).
        n_phi (int): Number of azimuthal bins, >= 8 (≈ 360).
        mask ((H, W) bool array): True for valid pixels; default all valid.

    Returns:
        PolarRings: The rings, on the image's array backend.

    Raises:
        ValueError: On wrong shapes, non-finite values or out-of-range parameters.

    Example:
        >>> y, x = np.mgrid[-50:51, -50:51] * 0.02
        >>> rings = polar_resample(np.ones(x.shape), np.hypot(x, y), np.arctan2(y, x), [0.5, 0.8], 0.02, n_phi=36)
        >>> rings.intensity.shape, bool(rings.weight.all())
        ((2, 36), True)
    """
    xp = get_array_module(image, q_map, phi_map, mask)
    n_phi = check_int("n_phi", n_phi, MIN_N_PHI)
    ring_width = check_positive("ring_width", ring_width, unit="A^-1")
    img = xp.asarray(image)
    if img.ndim != 2:
        raise ValueError(f"image must be a 2D array, got shape {img.shape}")
    shape = tuple(img.shape)
    qm = check_finite_array("q_map", xp.asarray(q_map), shape)
    pm = check_finite_array("phi_map", xp.asarray(phi_map), shape)
    if bool(xp.any(qm < 0)):
        raise ValueError("q_map must be >= 0 A^-1 everywhere")
    qv = xp.asarray(check_finite_array("q_values", q_values, (None,)), dtype=float)
    if qv.shape[0] == 0 or bool(xp.any(qv <= 0)):
        raise ValueError("q_values must hold at least one ring centre, all > 0 A^-1")
    if mask is None:
        valid = xp.ones(shape, dtype=bool)
    else:
        valid = xp.asarray(mask)
        if valid.dtype != bool or tuple(valid.shape) != shape:
            raise ValueError(
                f"mask must be a boolean array of the image's shape {shape}, "
                f"got {valid.dtype} array of shape {tuple(valid.shape)}"
            )
    try:
        img = img.astype(float)
    except (TypeError, ValueError) as err:
        raise ValueError("image must be an array of numbers") from err
    bad = int(xp.count_nonzero(valid & ~xp.isfinite(img)))
    if bad:
        raise ValueError(
            f"image must be finite where mask is True: {bad} valid pixels are NaN or inf"
        )
    order = xp.argsort(qm[valid])
    q_pix = qm[valid][order]
    i_pix = img[valid][order]
    k_pix = xp.floor(xp.mod(pm[valid][order], 2 * np.pi) * (n_phi / (2 * np.pi))).astype(xp.int64)
    k_pix = xp.clip(k_pix, 0, n_phi - 1)
    n_q = int(qv.shape[0])
    # Pixels sorted by |q|: each ring is one contiguous slice.
    lo = to_numpy(xp.searchsorted(q_pix, qv - 0.5 * ring_width, side="left"))
    hi = to_numpy(xp.searchsorted(q_pix, qv + 0.5 * ring_width, side="right"))
    sums = xp.zeros((n_q, n_phi))
    counts = xp.zeros((n_q, n_phi))
    for j in range(n_q):
        kk = k_pix[int(lo[j]) : int(hi[j])]
        counts[j] = xp.bincount(kk, minlength=n_phi)[:n_phi]
        sums[j] = xp.bincount(kk, weights=i_pix[int(lo[j]) : int(hi[j])], minlength=n_phi)[:n_phi]
    weight = (counts > 0).astype(float)
    intensity = xp.where(counts > 0, sums / xp.maximum(counts, 1), 0.0)
    return PolarRings(
        q=qv,
        phi=xp.asarray(azimuth_bins(n_phi)),
        intensity=intensity,
        weight=weight,
        counts=counts,
        ring_width=ring_width,
    )


# --------------------------------------------------------------------------------------------
# Cross-correlation
# --------------------------------------------------------------------------------------------


def _rings_and_weight(intensity: Any, weight: Any | None) -> tuple[Any, Any, Any]:
    """Validate rings: (P, n_q, n_phi) intensity and weight; NaN allowed where weight is 0."""
    if isinstance(intensity, PolarRings):
        if weight is not None:
            raise ValueError("weight must be None when intensity is a PolarRings (it has its own)")
        intensity, weight = intensity.intensity, intensity.weight
    xp = get_array_module(intensity, weight)
    try:
        a = xp.asarray(intensity, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError("intensity must be an array of numbers") from err
    if a.ndim == 2:
        a = a[None]
    if a.ndim != 3:
        raise ValueError(
            f"intensity must have shape (n_q, n_phi) or (n_patterns, n_q, n_phi), got {a.shape}"
        )
    if a.shape[-1] < MIN_N_PHI:
        raise ValueError(
            f"n_phi (last axis of intensity) must be >= {MIN_N_PHI}, got {a.shape[-1]}"
        )
    if weight is None:
        w = xp.ones(a.shape[1:])
    else:
        w = check_finite_array("weight", xp.asarray(weight))
        if w.ndim == 2:
            w = w[None]
        if w.ndim != 3 or w.shape[1:] != a.shape[1:] or w.shape[0] not in (1, a.shape[0]):
            raise ValueError(
                f"weight must have shape {a.shape[1:]} or {a.shape}, got {tuple(xp.asarray(weight).shape)}"
            )
        if bool(xp.any(w < 0)):
            raise ValueError("weight must be >= 0 everywhere (1 valid, 0 masked)")
    w = xp.broadcast_to(w, a.shape) if w.ndim == 3 else xp.broadcast_to(w[None], a.shape)
    bad = int(xp.count_nonzero((w > 0) & ~xp.isfinite(a)))
    if bad:
        raise ValueError(f"intensity must be finite where weight > 0: {bad} entries are NaN or inf")
    a = xp.where(w > 0, a, 0.0)
    return xp, a, w


def _correlate(a: Any, b: Any, n: int) -> Any:
    """All-pairs circular correlation sum_phi a_i(phi) b_j(phi + Delta): (n_q, n_q, n)."""
    fa, fb = _rfft(a), _rfft(b)
    return _irfft(fa.conj()[:, None, :] * fb[None, :, :], n)


def _normalize(xp: Any, c: Any, mean: Any, normalization: str | None) -> Any:
    if normalization is None:
        return c
    if normalization == "mean":
        mm = mean[:, None] * mean[None, :]
        mm = xp.where(mm != 0, mm, np.nan)[:, :, None]
        return (c - mm) / mm
    lo = xp.nanmin(c, axis=-1, keepdims=True)
    hi = xp.nanmax(c, axis=-1, keepdims=True)
    span = hi - lo
    return xp.where(span > 0, (c - lo) / xp.where(span > 0, span, 1.0), 0.0)


class AngularCorrelation:
    """Mask-corrected angular cross-correlation :math:`C(q_1, q_2, \\Delta)` :cite:`altarelli2010`.

    For each pattern, :math:`C = \\mathrm{corr}(IW, IW)/\\mathrm{corr}(W, W)` with
    :math:`\\mathrm{corr}(a, b)(\\Delta) = \\sum_\\varphi a(\\varphi) b(\\varphi+\\Delta) =
    \\mathrm{IFFT}[\\mathrm{FFT}(a)^* \\mathrm{FFT}(b)]` along φ (unmasked: the plain average
    over φ). Δ without any overlap of valid bins gives NaN. Patterns passed to one or several
    :meth:`compute` calls (``reset=False``) are averaged with equal weight, element by element
    over the patterns where C is defined; the ring means :math:`\\langle I(q)\\rangle_\\varphi`
    (over valid bins) are averaged too.

    Normalisations: ``None``; ``"mean"``: :math:`(C - \\langle I_1\\rangle\\langle I_2\\rangle)/
    (\\langle I_1\\rangle\\langle I_2\\rangle)`; ``"minmax"``: :math:`(C - \\min_\\Delta C)/
    (\\max_\\Delta C - \\min_\\Delta C)` per ring pair (0 for a flat C). With
    ``per_pattern=False`` (default) the normalisation is applied to the pattern-averaged C with
    the pattern-averaged ring means — for one pattern this is the definition above, and the
    mask correction then stays unbiased over orientations; ``per_pattern=True`` normalises each
    pattern before averaging (removes shot-to-shot intensity changes).

    Memory: the result holds :math:`n_q^2 n_\\varphi` numbers.

    Args:
        normalization (str): ``None``, ``"minmax"`` or ``"mean"``.
        per_pattern (bool): Normalise each pattern before averaging.

    Example:
        >>> phi = azimuth_bins(72)
        >>> rings = np.stack([np.exp(-((phi - 0.5) ** 2) / 0.02), np.exp(-((phi - 1.5) ** 2) / 0.02)])
        >>> xc = AngularCorrelation().compute(rings)
        >>> round(float(xc.delta[np.argmax(xc.correlation[0, 1])]), 3)  # phi_2 - phi_1 ~ 1 rad
        0.96
    """

    def __init__(self, normalization: str | None = None, per_pattern: bool = False):
        self._normalization = check_choice("normalization", normalization, NORMALIZATIONS)
        if not isinstance(per_pattern, bool):
            raise ValueError(f"per_pattern must be True or False, got {per_pattern!r}")
        self._per_pattern = per_pattern
        self._reset()

    def _reset(self) -> None:
        self._sum = None
        self._count = None
        self._mean_sum = None
        self._n_patterns = 0
        self._n_phi = None

    @property
    def normalization(self) -> str | None:
        """str: The normalisation (``None``, ``"minmax"`` or ``"mean"``)."""
        return self._normalization

    def compute(
        self, intensity: Any, weight: Any | None = None, *, reset: bool = True
    ) -> AngularCorrelation:
        """Add patterns to the average.

        Args:
            intensity: A :class:`PolarRings`, or ring intensities of shape (n_q, n_phi) (one
                pattern) or (n_patterns, n_q, n_phi); NaN allowed where ``weight`` is 0.
            weight: Mask W of the same shape, or (n_q, n_phi) for all patterns (1 valid,
                0 masked; fractional weights allowed); default all valid. Must be ``None``
                for a :class:`PolarRings`.
            reset (bool): Start a new average (default) or add to the previous patterns.

        Returns:
            AngularCorrelation: ``self``.

        Raises:
            ValueError: On wrong shapes, n_phi < 8, negative weights, non-finite valid values,
                or patterns whose shape differs from the accumulated ones.
        """
        xp, a, w = _rings_and_weight(intensity, weight)
        n_p, n_q, n_phi = a.shape
        if reset:
            self._reset()
        if self._sum is not None and self._sum.shape != (n_q, n_q, n_phi):
            raise ValueError(
                f"intensity has {n_q} rings of {n_phi} bins but the accumulated patterns have "
                f"shape {self._sum.shape[1:]}; use reset=True"
            )
        if self._sum is None:
            self._sum = xp.zeros((n_q, n_q, n_phi))
            self._count = xp.zeros((n_q, n_q, n_phi))
            self._mean_sum = xp.zeros(n_q)
            self._n_phi = n_phi
        den_cache = None
        for p in range(n_p):
            ap, wp = a[p] * w[p], w[p]
            if den_cache is None or not (w.strides[0] == 0):
                den = _correlate(wp, wp, n_phi)
                scale = xp.max(den, axis=-1, keepdims=True)
                defined = den > 1e-8 * xp.where(scale > 0, scale, 1.0)
                den_cache = (den, defined)
            den, defined = den_cache
            num = _correlate(ap, ap, n_phi)
            c = xp.where(defined, num / xp.where(defined, den, 1.0), np.nan)
            wsum = xp.sum(wp, axis=-1)
            mean = xp.where(wsum > 0, xp.sum(ap, axis=-1) / xp.where(wsum > 0, wsum, 1.0), np.nan)
            if self._per_pattern:
                c = _normalize(xp, c, mean, self._normalization)
            ok = xp.isfinite(c)
            self._sum += xp.where(ok, c, 0.0)
            self._count += ok
            self._mean_sum += mean
            self._n_patterns += 1
        return self

    def _check(self) -> None:
        if self._n_patterns == 0:
            raise AttributeError("no patterns yet: call compute() first")

    @property
    def num_patterns(self) -> int:
        """int: Number of patterns averaged."""
        self._check()
        return self._n_patterns

    @property
    def delta(self) -> Any:
        """(n_phi,) array: Angular separations :math:`\\Delta_k = 2\\pi k/n_\\varphi` [rad]."""
        self._check()
        xp = get_array_module(self._sum)
        return xp.arange(self._n_phi) * (2 * np.pi / self._n_phi)

    @property
    def mean_intensity(self) -> Any:
        """(n_q,) array: Pattern-averaged ring means :math:`\\langle I(q)\\rangle_\\varphi`."""
        self._check()
        return self._mean_sum / self._n_patterns

    @property
    def correlation(self) -> Any:
        """(n_q, n_q, n_phi) array: :math:`C(q_1, q_2, \\Delta)`, normalised as requested.

        NaN where no pattern has overlapping valid bins at that Δ.
        """
        self._check()
        xp = get_array_module(self._sum)
        c = xp.where(self._count > 0, self._sum / xp.maximum(self._count, 1), np.nan)
        if not self._per_pattern:
            c = _normalize(xp, c, self.mean_intensity, self._normalization)
        return c

    @property
    def fourier(self) -> Any:
        """(n_q, n_q, n_phi // 2 + 1) complex array: :math:`C_n(q_1, q_2)`, n = 0, 1, ...

        The angular Fourier components of :attr:`correlation`,
        :math:`C(\\Delta) = \\sum_n C_n e^{in\\Delta}` (so ``rfft(C)/n_phi``); without mask
        and normalisation :math:`C_n = I_n^*(q_1) I_n(q_2)` (:func:`fourier_correlation`).
        Components with n < 0 are the complex conjugates. NaN if C is NaN anywhere.
        """
        return _rfft(self.correlation) / self._n_phi


def angular_fourier(intensity: Any, weight: Any | None = None) -> Any:
    """Angular Fourier components of rings, :math:`I_n(q) = n_\\varphi^{-1}\\sum_\\varphi I W e^{-in\\varphi}`.

    Args:
        intensity: A :class:`PolarRings` or rings of shape (n_q, n_phi) or (P, n_q, n_phi).
        weight: Mask of the rings (see :meth:`AngularCorrelation.compute`); masked bins count
            as zero (no correction).

    Returns:
        Complex array (..., n_phi // 2 + 1), same leading shape as the input rings.

    Example:
        >>> phi = azimuth_bins(64)
        >>> i_n = angular_fourier(np.cos(6 * phi)[None])
        >>> round(float(abs(i_n[0, 6])), 6)  # cos(6 phi) = (e^{6i phi} + e^{-6i phi})/2
        0.5
    """
    squeeze = not isinstance(intensity, PolarRings) and np.ndim(intensity) == 2
    _, a, w = _rings_and_weight(intensity, weight)
    out = _rfft(a * w) / a.shape[-1]
    return out[0] if squeeze else out


def fourier_correlation(intensity: Any, weight: Any | None = None) -> Any:
    """:math:`C_n(q_1, q_2) = I_n^*(q_1) I_n(q_2)`, averaged over patterns.

    Args:
        intensity: A :class:`PolarRings` or rings (n_q, n_phi) or (P, n_q, n_phi).
        weight: Mask (masked bins count as zero, no correction).

    Returns:
        Complex array (n_q, n_q, n_phi // 2 + 1).
    """
    i_n = angular_fourier(intensity, weight)
    if i_n.ndim == 2:
        i_n = i_n[None]
    return (i_n.conj()[:, :, None, :] * i_n[:, None, :, :]).mean(axis=0)


# --------------------------------------------------------------------------------------------
# Peaks on a ring, orientational disorder
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RingPeaks:
    """Gaussian peaks fitted on one ring (errors: one standard deviation from the covariance).

    Attributes:
        positions ((n,) numpy.ndarray): Peak azimuths :math:`\\varphi_i` in [0, 2π) [rad],
            increasing.
        positions_err ((n,) numpy.ndarray): Their standard errors [rad].
        sigma ((n,) numpy.ndarray): Gaussian standard deviations :math:`\\sigma_\\varphi`
            [rad] (all equal for ``common_width=True``).
        sigma_err ((n,) numpy.ndarray): Their standard errors [rad].
        amplitudes ((n,) numpy.ndarray): Peak heights :math:`A_i` above the background.
        amplitudes_err ((n,) numpy.ndarray): Their standard errors.
        background (float): Constant background B.
        background_err (float): Its standard error.
    """

    positions: np.ndarray
    positions_err: np.ndarray
    sigma: np.ndarray
    sigma_err: np.ndarray
    amplitudes: np.ndarray
    amplitudes_err: np.ndarray
    background: float
    background_err: float

    def evaluate(self, phi: Any) -> np.ndarray:
        """The fitted model on ``phi`` [rad].

        Args:
            phi (numpy.ndarray): Azimuths [rad].

        Returns:
            numpy.ndarray: Model intensity.
        """
        phi = np.asarray(phi, dtype=float)
        out = np.full(phi.shape, self.background)
        for a, p, s in zip(self.amplitudes, self.positions, self.sigma):
            out += a * _periodic_gaussian(phi, p, s)
        return out


def _periodic_gaussian(phi: np.ndarray, center: float, sigma: float) -> np.ndarray:
    x = np.mod(phi - center + np.pi, 2 * np.pi) - np.pi
    return sum(np.exp(-((x + 2 * np.pi * m) ** 2) / (2 * sigma**2)) for m in (-1, 0, 1))


def _wrap(x: Any) -> np.ndarray:
    """Angles wrapped to (-pi, pi]."""
    return -(np.mod(-np.asarray(x, dtype=float) + np.pi, 2 * np.pi) - np.pi)


def fit_ring_peaks(
    phi: Any,
    intensity: Any,
    *,
    weight: Any | None = None,
    n_peaks: int | None = None,
    prominence: float = 0.1,
    common_width: bool = True,
) -> RingPeaks:
    """Fit :math:`I(\\varphi) = \\sum_i A_i \\exp[-(\\varphi-\\varphi_i)^2/2\\sigma^2] + B` on a ring.

    The Gaussians are periodic (summed over the images at ±2π), so peaks may straddle φ = 0.
    Starting values come from :func:`scipy.signal.find_peaks` on the ring rolled so that its
    minimum comes first (no peak is cut in two) and :func:`scipy.signal.peak_widths`; the fit
    is :func:`scipy.optimize.curve_fit` on the valid bins.

    Args:
        phi ((n_phi,) array): Bin centres [rad], e.g. :attr:`PolarRings.phi`, uniformly spaced.
        intensity ((n_phi,) array): Ring intensity (NaN allowed where ``weight`` is 0).
        weight ((n_phi,) array): 1 for valid bins, 0 for masked ones; default all valid.
        n_peaks (int): Fit the ``n_peaks`` most prominent maxima; default all maxima with at
            least ``prominence``.
        prominence (float): Minimum prominence as a fraction of ``max - min``, in (0, 1].
        common_width (bool): One σ for all peaks (the model above) or one per peak.

    Returns:
        RingPeaks: The fitted peaks, ordered by azimuth.

    Raises:
        ValueError: On bad inputs, or fewer maxima than ``n_peaks``.
        RuntimeError: If the fit does not converge.

    Example:
        >>> phi = azimuth_bins(360)
        >>> y = 1 + 3 * _periodic_gaussian(phi, 0.05, 0.1) + 3 * _periodic_gaussian(phi, np.pi + 0.05, 0.1)
        >>> fit = fit_ring_peaks(phi, y)
        >>> fit.positions.round(4).tolist(), fit.sigma.round(4).tolist(), round(fit.background, 4)
        ([0.05, 3.1916], [0.1, 0.1], 1.0)
    """
    p = np.asarray(to_numpy(check_finite_array("phi", phi, (None,))), dtype=float)
    n = len(p)
    if n < MIN_N_PHI:
        raise ValueError(f"phi must hold at least {MIN_N_PHI} bins (n_phi), got {n}")
    y = np.asarray(to_numpy(intensity), dtype=float)
    if y.shape != (n,):
        raise ValueError(f"intensity must have shape ({n},) like phi, got {y.shape}")
    if weight is None:
        w = np.ones(n)
    else:
        w = np.asarray(to_numpy(check_finite_array("weight", weight, (n,))), dtype=float)
    valid = w > 0
    if not np.all(np.isfinite(y[valid])):
        raise ValueError("intensity must be finite where weight > 0")
    prominence = check_real("prominence", prominence, 0.0, 1.0)
    if not isinstance(common_width, bool):
        raise ValueError(f"common_width must be True or False, got {common_width!r}")
    if np.count_nonzero(valid) < 4:
        raise ValueError(f"weight leaves {np.count_nonzero(valid)} valid bins; at least 4 needed")
    dphi = 2 * np.pi / n
    # Peak finding on the rolled ring, masked bins set to the valid minimum.
    filled = np.where(valid, y, np.min(y[valid]))
    shift = int(np.argmin(filled))
    rolled = np.roll(filled, -shift)
    span = float(rolled.max() - rolled.min())
    idx, props = find_peaks(rolled, prominence=prominence * span if span > 0 else None)
    if span == 0 or len(idx) == 0:
        raise ValueError("no peaks on the ring: the intensity is flat")
    order = np.argsort(props["prominences"])[::-1]
    if n_peaks is not None:
        n_peaks = check_int("n_peaks", n_peaks, 1)
        if len(idx) < n_peaks:
            raise ValueError(
                f"n_peaks={n_peaks} but only {len(idx)} maxima have prominence >= "
                f"{prominence:g} of the intensity range"
            )
        order = order[:n_peaks]
    idx = idx[order]
    widths = peak_widths(rolled, idx, rel_height=0.5)[0]
    centers0 = p[(idx + shift) % n]
    sigma0 = np.clip(widths * dphi / 2.3548, dphi / 2, np.pi / 4)
    amp0 = props["prominences"][order]
    base0 = float(np.min(y[valid]))
    k = len(idx)
    x_fit, y_fit = p[valid], y[valid]

    def model(xx, *par):
        amps, cens = par[:k], par[k : 2 * k]
        sig = par[2 * k :] if not common_width else [par[2 * k]] * k
        out = np.full(xx.shape, par[-1])
        for a, c, s in zip(amps, cens, sig):
            out = out + a * _periodic_gaussian(xx, c, s)
        return out

    sig_start = [float(np.mean(sigma0))] if common_width else list(sigma0)
    p0 = [*amp0, *centers0, *sig_start, base0]
    lower = [0.0] * k + list(centers0 - np.pi) + [dphi / 20] * len(sig_start) + [-np.inf]
    upper = [np.inf] * k + list(centers0 + np.pi) + [np.pi] * len(sig_start) + [np.inf]
    par, cov = curve_fit(model, x_fit, y_fit, p0=p0, bounds=(lower, upper), maxfev=20000)
    err = np.sqrt(np.clip(np.diag(cov), 0, None))
    amps, cens = par[:k], np.mod(par[k : 2 * k], 2 * np.pi)
    amps_e, cens_e = err[:k], err[k : 2 * k]
    if common_width:
        sig, sig_e = np.full(k, par[2 * k]), np.full(k, err[2 * k])
    else:
        sig, sig_e = par[2 * k : 3 * k], err[2 * k : 3 * k]
    o = np.argsort(cens)
    return RingPeaks(
        positions=cens[o],
        positions_err=cens_e[o],
        sigma=np.abs(sig[o]),
        sigma_err=sig_e[o],
        amplitudes=amps[o],
        amplitudes_err=amps_e[o],
        background=float(par[-1]),
        background_err=float(err[-1]),
    )


def orientational_disorder(sigma_phi: Any, q: Any, sigma_radial: Any) -> Any:
    """Orientational spread ΔΦ of a domain from azimuthal and radial peak widths.

    A Bragg peak at :math:`|q|` whose domain has a (Gaussian, standard deviation ΔΦ) spread of
    orientations about the beam is the finite-size spot (radial standard deviation
    :math:`\\sigma_{rad}` [Å^-1], isotropic) smeared along the arc. Converting the azimuthal
    width to q units, :math:`\\sigma_{az,q} = q\\,\\sigma_\\varphi` (arc length), the widths add
    in quadrature :cite:`zaluzhnyy2017`,

    .. math:: \\sigma_{az,q}^2 = \\sigma_{rad}^2 + (q\\,\\Delta\\Phi)^2, \\qquad
              \\Delta\\Phi = \\sqrt{\\sigma_\\varphi^2 - (\\sigma_{rad}/q)^2}.

    (The relation σ_az² = σ_rad² + ΔΦ² of the paper holds with ΔΦ in q units, :math:`q\\Delta\\Phi`.)
    Widths may equally be FWHMs, as long as both are. An azimuthal width no larger than the
    radial one (:math:`q\\sigma_\\varphi \\le \\sigma_{rad}`) means no resolvable disorder: 0.

    Args:
        sigma_phi: Azimuthal width σ_φ [rad], > 0 (e.g. :attr:`RingPeaks.sigma`).
        q: Ring radius [Å^-1], > 0.
        sigma_radial: Radial width σ_rad [Å^-1], >= 0 (e.g. :attr:`peaks.PeakFit.sigma` of a
            radial cut through the peak).

    Returns:
        float or numpy.ndarray: ΔΦ [rad] (multiply by q for Å^-1).

    Raises:
        ValueError: On non-finite or out-of-range widths.

    Example:
        >>> round(float(orientational_disorder(0.05, 1.0, 0.03)), 6)  # sqrt(0.05^2 - 0.03^2)
        0.04
    """
    s_phi = np.asarray(check_finite_array("sigma_phi", sigma_phi), dtype=float)
    qq = np.asarray(check_finite_array("q", q), dtype=float)
    s_rad = np.asarray(check_finite_array("sigma_radial", sigma_radial), dtype=float)
    if np.any(s_phi <= 0):
        raise ValueError(f"sigma_phi must be > 0 rad, got {sigma_phi!r}")
    if np.any(qq <= 0):
        raise ValueError(f"q must be > 0 A^-1, got {q!r}")
    if np.any(s_rad < 0):
        raise ValueError(f"sigma_radial must be >= 0 A^-1, got {sigma_radial!r}")
    out = np.sqrt(np.clip((qq * s_phi) ** 2 - s_rad**2, 0.0, None)) / qq
    return float(out) if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------
# Superlattice / atomic lattice orientation relation
# --------------------------------------------------------------------------------------------


def axis_angle_matrix(axis: Any, angle: float) -> np.ndarray:
    """Rotation matrix of a right-handed rotation by ``angle`` about ``axis`` (Rodrigues).

    Args:
        axis ((3,) array): Rotation axis (any length > 0).
        angle (float): Angle [rad].

    Returns:
        numpy.ndarray: (3, 3) rotation matrix R (acts on column vectors, ``R @ v``).

    Example:
        >>> (axis_angle_matrix([0, 0, 1], np.pi / 2) @ [1, 0, 0]).round(12).tolist()
        [0.0, 1.0, 0.0]
    """
    u = np.asarray(check_finite_array("axis", axis, (3,)), dtype=float)
    norm = float(np.linalg.norm(u))
    if norm == 0:
        raise ValueError("axis must be a non-zero vector")
    u = u / norm
    angle = check_real("angle", angle, unit="rad")
    k = np.array([[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]])
    return np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * (k @ k)


def conf1_rotation() -> np.ndarray:
    """Conf1 of :cite:`zaluzhnyy2017`: [110]_SL ∥ [100]_AL and [001]_SL ∥ [001]_AL.

    Returns:
        numpy.ndarray: (3, 3) matrix whose columns are the AL axes [100], [010], [001]
        expressed in the SL frame (so ``R @ v_AL = v_SL``): a 45° rotation about [001].

    Example:
        >>> (conf1_rotation() @ [1, 0, 0] * np.sqrt(2)).round(12).tolist()
        [1.0, 1.0, 0.0]
    """
    s = 1 / math.sqrt(2)
    return np.array([[s, -s, 0.0], [s, s, 0.0], [0.0, 0.0, 1.0]])


def conf2_rotation() -> np.ndarray:
    """Conf2 of :cite:`zaluzhnyy2017`: [110]_SL ∥ [100]_AL and [001]_SL ∥ [011]_AL.

    Conf1 turned by 45° about [100]_AL: ``conf1_rotation() @ R_x(45°)`` (rotation in the AL
    frame), equal to ``R_[110]_SL(45°) @ conf1_rotation()`` (rotation in the SL frame).

    Returns:
        numpy.ndarray: (3, 3) matrix whose columns are the AL axes in the SL frame.

    Example:
        >>> (conf2_rotation() @ [0, 1, 1] / np.sqrt(2)).round(12) + 0.0
        array([0., 0., 1.])
    """
    return conf1_rotation() @ axis_angle_matrix([1, 0, 0], math.pi / 4)


#: The orientation relations :func:`classify_orientation` tells apart (AL axes in SL frame).
ORIENTATION_RELATIONS = {"Conf1": conf1_rotation, "Conf2": conf2_rotation}


def family_members(hkl: Sequence[int]) -> np.ndarray:
    """All distinct signed permutations of (hkl): the members of the cubic family {hkl}.

    Args:
        hkl (Sequence[int]): Three Miller indices, not all zero.

    Returns:
        numpy.ndarray: (M, 3) integer array (M = 8 for {111}, 6 for {200}, 12 for {220}).

    Example:
        >>> len(family_members((1, 1, 1))), len(family_members((2, 0, 0))), len(family_members((2, 2, 0)))
        (8, 6, 12)
    """
    h = np.asarray(check_finite_array("hkl", hkl, (3,)))
    if np.any(h != np.round(h)) or not np.any(h):
        raise ValueError(f"hkl must be three integers, not all zero, got {hkl!r}")
    h = [int(v) for v in h]
    out = {
        tuple(s * v for s, v in zip(signs, perm))
        for perm in permutations(h)
        for signs in product((1, -1), repeat=3)
    }
    return np.array(sorted(out), dtype=int)


def _unit(name: str, v: Any) -> np.ndarray:
    u = np.asarray(check_finite_array(name, v, (3,)), dtype=float)
    norm = float(np.linalg.norm(u))
    if norm == 0:
        raise ValueError(f"{name} must be a non-zero vector, got {v!r}")
    return u / norm


def _rotation(name: str, r: Any) -> np.ndarray:
    m = np.asarray(check_finite_array(name, r, (3, 3)), dtype=float)
    if not np.allclose(m @ m.T, np.eye(3), atol=1e-8) or np.linalg.det(m) < 0:
        raise ValueError(f"{name} must be a proper rotation matrix (orthonormal, det +1)")
    return m


def zone_reflections(
    family: Sequence[int],
    beam: Any,
    rotation: Any | None = None,
    *,
    zone_tolerance: float = ZONE_TOLERANCE,
) -> np.ndarray:
    """Members of {hkl} in the zone of ``beam`` (flat-Ewald / zone-axis approximation).

    A reflection g is observed on the detector plane perpendicular to the beam when
    :math:`\\mathbf g \\cdot \\hat{\\mathbf b} \\approx 0` — the Ewald sphere is flat at small
    q, as for SAXS and for WAXS of a zone axis. Kept: members whose direction makes at most
    ``zone_tolerance`` with the detector plane.

    Args:
        family (Sequence[int]): (hkl) of the family, in the crystal's own cubic axes.
        beam ((3,) array): Beam direction in the reference (SL) frame.
        rotation ((3, 3) array): Crystal axes in the reference frame (``R @ hkl``); default
            identity (the reference lattice itself, e.g. the SL).
        zone_tolerance (float): Largest angle between g and the detector plane [rad], in
            [0, π/2).

    Returns:
        numpy.ndarray: (M', 3) reflection directions ``R @ hkl`` in the reference frame (same
        length units as hkl; multiply by 2π/a for Å^-1).

    Example:
        >>> zone_reflections((2, 0, 0), [0, 0, 1]).astype(int).tolist()
        [[-2, 0, 0], [0, -2, 0], [0, 2, 0], [2, 0, 0]]
    """
    b = _unit("beam", beam)
    r = np.eye(3) if rotation is None else _rotation("rotation", rotation)
    tol = check_real(
        "zone_tolerance",
        zone_tolerance,
        0.0,
        math.pi / 2,
        low_open=False,
        high_open=True,
        unit="rad",
    )
    g = family_members(family) @ r.T
    sin_elev = np.abs(g @ b) / np.linalg.norm(g, axis=1)
    return g[sin_elev <= math.sin(tol) + 1e-12]


def detector_axes(beam: Any, reference: Any | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Orthonormal detector axes :math:`(\\hat e_1, \\hat e_2)` perpendicular to the beam.

    :math:`\\hat e_1` is ``reference`` projected onto the detector plane and
    :math:`\\hat e_2 = \\hat b \\times \\hat e_1` (φ grows counter-clockwise seen looking along
    −b̂, towards the source).

    Args:
        beam ((3,) array): Beam direction.
        reference ((3,) array): Direction defining φ = 0; default the coordinate axis most
            perpendicular to the beam.

    Returns:
        tuple[numpy.ndarray, numpy.ndarray]: ``(e1, e2)``.
    """
    b = _unit("beam", beam)
    if reference is None:
        reference = np.eye(3)[int(np.argmin(np.abs(b)))]
    ref = np.asarray(check_finite_array("reference", reference, (3,)), dtype=float)
    e1 = ref - (ref @ b) * b
    if np.linalg.norm(e1) < 1e-9 * max(1.0, float(np.linalg.norm(ref))):
        raise ValueError("reference must not be parallel to beam")
    e1 /= np.linalg.norm(e1)
    return e1, np.cross(b, e1)


def detector_azimuths(vectors: Any, beam: Any, reference: Any | None = None) -> np.ndarray:
    """Azimuths φ ∈ [0, 2π) of vectors projected onto the detector plane.

    Args:
        vectors ((M, 3) array): Reciprocal-lattice vectors in the reference frame.
        beam ((3,) array): Beam direction.
        reference ((3,) array): φ = 0 direction (see :func:`detector_axes`).

    Returns:
        numpy.ndarray: (M,) azimuths [rad].

    Example:
        >>> np.degrees(detector_azimuths([[1, 1, 0], [0, -1, 0]], [0, 0, 1], [1, 0, 0])).round(6).tolist()
        [45.0, 270.0]
    """
    v = np.asarray(check_finite_array("vectors", vectors, (None, 3)), dtype=float)
    e1, e2 = detector_axes(beam, reference)
    return np.mod(np.arctan2(v @ e2, v @ e1), 2 * np.pi)


def peak_offsets(sl_phi: Any, al_phi: Any) -> np.ndarray:
    """Signed azimuthal offset of each AL peak from its nearest SL peak.

    Invariant under a rotation of the pattern about the beam.

    Args:
        sl_phi ((n_SL,) array): SL peak azimuths on one ring [rad] (at least one).
        al_phi ((n_AL,) array): AL peak azimuths on one ring [rad].

    Returns:
        numpy.ndarray: (n_AL,) offsets :math:`\\varphi_{AL} - \\varphi_{SL,nearest}` in (−π, π].

    Example:
        >>> np.degrees(peak_offsets(np.radians([45, 135, 225, 315]), np.radians([100, 350]))).round(6).tolist()
        [-35.0, 35.0]
    """
    s = np.asarray(check_finite_array("sl_phi", sl_phi, (None,)), dtype=float)
    a = np.asarray(check_finite_array("al_phi", al_phi, (None,)), dtype=float)
    if len(s) == 0:
        raise ValueError("sl_phi must hold at least one SL peak azimuth")
    d = _wrap(a[:, None] - s[None, :])
    return d[np.arange(len(a)), np.argmin(np.abs(d), axis=1)] if len(a) else np.empty(0)


def _ring_cost(measured: np.ndarray, predicted: np.ndarray, penalty: float) -> tuple[float, int]:
    """Sum of squared circular distances of a one-to-one matching, unmatched peaks penalised."""
    n_m, n_p = len(measured), len(predicted)
    if n_m == 0 or n_p == 0:
        return penalty**2 * max(n_m, n_p), max(n_m, n_p)
    d = np.abs(_wrap(measured[:, None] - predicted[None, :]))
    rows, cols = linear_sum_assignment(d**2)
    cost = float(np.sum(d[rows, cols] ** 2)) + penalty**2 * abs(n_m - n_p)
    return cost, max(n_m, n_p)


@dataclass(frozen=True)
class OrientationMatch:
    """Result of :func:`classify_orientation`.

    Attributes:
        label (str): ``"Conf1"``, ``"Conf2"`` (or another name of ``relations``) or ``"other"``.
        residual (float): RMS azimuthal misfit of the best relation [rad].
        residuals (dict[str, float]): RMS misfit of every relation [rad].
        rotation (dict[str, float]): Best rotation of the prediction about the beam [rad].
        mirrored (dict[str, bool]): Whether the mirrored prediction fitted better.
        offsets (list[numpy.ndarray]): Measured :func:`peak_offsets` of each AL ring [rad].
        predicted_offsets (dict[str, list[numpy.ndarray]]): Predicted offsets per relation.
    """

    label: str
    residual: float
    residuals: dict[str, float]
    rotation: dict[str, float]
    mirrored: dict[str, bool]
    offsets: list[np.ndarray]
    predicted_offsets: dict[str, list[np.ndarray]] = field(default_factory=dict)


def predicted_azimuths(
    rotation: Any,
    *,
    beam: Any,
    sl_family: Sequence[int],
    al_families: Sequence[Sequence[int]],
    zone_tolerance: float = ZONE_TOLERANCE,
    reference: Any | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Azimuths of the SL ring and AL rings predicted for an orientation relation.

    Args:
        rotation ((3, 3) array): AL axes in the SL frame (e.g. :func:`conf1_rotation`).
        beam ((3,) array): Beam direction in the SL frame.
        sl_family (Sequence[int]): SL reflection family of the SL ring, e.g. (2, 2, 0).
        al_families (Sequence[Sequence[int]]): AL families of the AL rings, e.g.
            ``[(1, 1, 1), (2, 0, 0)]``.
        zone_tolerance (float): See :func:`zone_reflections` [rad].
        reference ((3,) array): φ = 0 direction (see :func:`detector_axes`).

    Returns:
        tuple: ``(sl_phi, [al_phi, ...])`` sorted azimuths [rad].
    """
    sl = zone_reflections(sl_family, beam, zone_tolerance=zone_tolerance)
    sl_phi = np.sort(detector_azimuths(sl, beam, reference)) if len(sl) else np.empty(0)
    al_phi = []
    for fam in al_families:
        g = zone_reflections(fam, beam, rotation, zone_tolerance=zone_tolerance)
        al_phi.append(np.sort(detector_azimuths(g, beam, reference)) if len(g) else np.empty(0))
    return sl_phi, al_phi


def classify_orientation(
    sl_phi: Any,
    al_phi: Sequence[Any],
    *,
    beam: Any,
    sl_family: Sequence[int],
    al_families: Sequence[Sequence[int]] = ((1, 1, 1), (2, 0, 0)),
    relations: Mapping[str, Any] | None = None,
    zone_tolerance: float = ZONE_TOLERANCE,
    tolerance: float = math.radians(5.0),
    missing_penalty: float = math.pi / 4,
) -> OrientationMatch:
    """Read the SL/AL orientation relation from the peak azimuths of one pattern.

    For each relation, the SL-ring and AL-ring azimuths are predicted in the zone-axis
    approximation (:func:`predicted_azimuths`). The unknown rotation of the sample about the
    beam (and the detector handedness: the mirrored prediction is tried too) is found by
    aligning a predicted SL peak to each measured SL peak in turn; for each trial, measured and
    predicted peaks of every ring (SL and AL) are matched one-to-one
    (:func:`scipy.optimize.linear_sum_assignment` on circular distances), a peak without
    partner (a peak where the relation predicts none, or a predicted one that is missing)
    costs ``missing_penalty``. The residual is the RMS distance over all peaks of the best
    trial; the best relation is returned if its residual is at most ``tolerance``, else
    ``"other"``. E.g. along [001]_SL, Conf1 puts four AL {200} peaks on the SL {220}
    directions and none on AL {111}; Conf2 two {200} peaks and four {111} peaks 54.7° from
    them.

    Args:
        sl_phi ((n,) array): Measured SL peak azimuths on the SL ring [rad].
        al_phi (Sequence[array]): Measured AL peak azimuths [rad], one array per AL ring, in the
            order of ``al_families`` (an empty array: no peaks on that ring).
        beam ((3,) array): Beam direction in the SL frame (e.g. [0, 0, 1] for [001]_SL).
        sl_family (Sequence[int]): Family of the SL ring, e.g. (2, 2, 0) or (1, 1, 1).
        al_families (Sequence[Sequence[int]]): Families of the AL rings; default PbS {111}
            (:data:`PBS_Q111`) and {200} (:data:`PBS_Q200`).
        relations (Mapping[str, array]): Name → rotation matrix (AL axes in the SL frame);
            default Conf1 and Conf2.
        zone_tolerance (float): See :func:`zone_reflections` [rad].
        tolerance (float): Largest residual of an accepted relation [rad], > 0.
        missing_penalty (float): Cost of an unmatched peak [rad], > 0.

    Returns:
        OrientationMatch: Label, residuals and offsets.

    Raises:
        ValueError: On bad inputs (e.g. ``al_phi`` not matching ``al_families``, no SL peaks).

    Example:
        >>> beam = [0, 0, 1]
        >>> sl, al = predicted_azimuths(conf2_rotation(), beam=beam, sl_family=(2, 2, 0), al_families=[(1, 1, 1), (2, 0, 0)])
        >>> classify_orientation(sl + 0.3, [a + 0.3 for a in al], beam=beam, sl_family=(2, 2, 0)).label
        'Conf2'
    """
    s = np.asarray(check_finite_array("sl_phi", sl_phi, (None,)), dtype=float)
    if len(s) == 0:
        raise ValueError("sl_phi must hold at least one SL peak azimuth")
    al_families = [tuple(f) for f in al_families]
    if len(al_phi) != len(al_families):
        raise ValueError(
            f"al_phi must hold one array per AL ring of al_families ({len(al_families)}), "
            f"got {len(al_phi)}"
        )
    a = [
        np.asarray(check_finite_array(f"al_phi[{i}]", v, (None,)), dtype=float)
        for i, v in enumerate(al_phi)
    ]
    tolerance = check_positive("tolerance", tolerance, unit="rad")
    missing_penalty = check_positive("missing_penalty", missing_penalty, unit="rad")
    if relations is None:
        relations = {name: f() for name, f in ORIENTATION_RELATIONS.items()}
    if len(relations) == 0:
        raise ValueError("relations must name at least one orientation relation")
    offsets = [peak_offsets(s, v) for v in a]
    residuals, rotations, mirrored, predicted_off = {}, {}, {}, {}
    for name, r in relations.items():
        r = _rotation(f"relations[{name!r}]", r)
        sl_p, al_p = predicted_azimuths(
            r,
            beam=beam,
            sl_family=sl_family,
            al_families=al_families,
            zone_tolerance=zone_tolerance,
        )
        if len(sl_p) == 0:
            raise ValueError(
                f"sl_family {tuple(sl_family)} has no reflection in the zone of beam {list(beam)}"
            )
        predicted_off[name] = [peak_offsets(sl_p, v) for v in al_p]
        best = (math.inf, 0.0, False)
        for mirror in (False, True):
            sgn = -1.0 if mirror else 1.0
            for psi in {round(float(_wrap(m - sgn * p)), 12) for m in s for p in sl_p}:
                total, count = 0.0, 0
                for meas, pred in zip([s, *a], [sl_p, *al_p]):
                    c, n = _ring_cost(meas, sgn * pred + psi, missing_penalty)
                    total += c
                    count += n
                rms = math.sqrt(total / max(count, 1))
                if rms < best[0] - 1e-12:
                    best = (rms, psi, mirror)
        residuals[name], rotations[name], mirrored[name] = best
    name = min(residuals, key=residuals.get)
    label = name if residuals[name] <= tolerance else "other"
    return OrientationMatch(
        label=label,
        residual=residuals[name],
        residuals=residuals,
        rotation=rotations,
        mirrored=mirrored,
        offsets=offsets,
        predicted_offsets=predicted_off,
    )
