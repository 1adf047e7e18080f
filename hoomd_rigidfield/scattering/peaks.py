"""Peaks of 1D scattering curves I(q): fits, cubic indexing and Scherrer grain sizes.

Works on plain arrays: ``q`` in :math:`\\mathrm{\\AA^{-1}}` (:math:`q = 4\\pi\\sin\\theta/\\lambda`,
the ``k`` of :mod:`freud.diffraction`) and an intensity or structure factor on that grid.

* :func:`locate_peaks` finds maxima (:func:`scipy.signal.find_peaks`, by prominence);
* :func:`fit_peak` fits one Gaussian or pseudo-Voigt peak plus a linear background in a window
  and returns position, FWHM and area with their standard errors (:class:`PeakFit`);
* :func:`index_cubic` assigns Miller indices of a simple cubic (``"sc"``), body-centred
  (``"bcc"``) or face-centred (``"fcc"``) lattice to a set of peak positions,
  :math:`q_{hkl} = 2\\pi\\sqrt{h^2+k^2+l^2}/a`, and :func:`lattice_parameter` fits ``a`` to
  indexed peaks by least squares;
* :func:`scherrer_size` is the Scherrer equation :cite:`patterson1939` written in q.

Example:
    >>> import numpy as np
    >>> q = np.linspace(0.5, 1.5, 401)
    >>> fit = fit_peak(q, gaussian(q, 2.0, 1.0, 0.05) + 0.1, 1.0)
    >>> round(fit.position, 6), round(fit.fwhm, 6), round(fit.area, 6)
    (1.0, 0.05, 2.0)
    >>> round(scherrer_size(fit.fwhm), 1)  # 2*pi*0.9/0.05 A
    113.1
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import curve_fit
from scipy.signal import find_peaks, peak_widths

from hoomd_rigidfield.backend import to_numpy
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Cubic lattices :func:`index_cubic` knows.
LATTICES = ("sc", "bcc", "fcc")
#: Peak profiles :func:`fit_peak` fits.
PROFILES = ("gaussian", "pseudo_voigt")
#: Default Scherrer constant K (spherical crystallites, FWHM-based; :cite:`patterson1939`).
SCHERRER_K = 0.9
#: FWHM of a Gaussian in units of its standard deviation, :math:`2\\sqrt{2\\ln 2}`.
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))


def gaussian(q: Any, area: float, center: float, fwhm: float) -> np.ndarray:
    """Area-normalised Gaussian peak.

    Args:
        q (numpy.ndarray): Scattering vector magnitudes [Å^-1].
        area (float): Integrated intensity [intensity · Å^-1].
        center (float): Peak position [Å^-1].
        fwhm (float): Full width at half maximum [Å^-1].

    Returns:
        numpy.ndarray: :math:`A\\,\\frac{2}{\\Gamma}\\sqrt{\\ln 2/\\pi}\\,
        \\exp[-4\\ln 2\\,(q-q_0)^2/\\Gamma^2]`.

    Example:
        >>> round(float(gaussian(1.0, 1.0, 1.0, 0.1)), 4)  # peak height 0.9394/FWHM
        9.3944
    """
    q = np.asarray(q, dtype=float)
    return (
        area
        * (2.0 / fwhm)
        * math.sqrt(math.log(2.0) / math.pi)
        * np.exp(-4.0 * math.log(2.0) * (q - center) ** 2 / fwhm**2)
    )


def lorentzian(q: Any, area: float, center: float, fwhm: float) -> np.ndarray:
    """Area-normalised Lorentzian (Cauchy) peak.

    Args:
        q (numpy.ndarray): Scattering vector magnitudes [Å^-1].
        area (float): Integrated intensity [intensity · Å^-1].
        center (float): Peak position [Å^-1].
        fwhm (float): Full width at half maximum [Å^-1].

    Returns:
        numpy.ndarray: :math:`A\\,\\frac{\\Gamma/2\\pi}{(q-q_0)^2 + \\Gamma^2/4}`.
    """
    q = np.asarray(q, dtype=float)
    half = 0.5 * fwhm
    return area * (half / math.pi) / ((q - center) ** 2 + half**2)


def pseudo_voigt(q: Any, area: float, center: float, fwhm: float, eta: float) -> np.ndarray:
    """Area-normalised pseudo-Voigt peak: ``eta`` Lorentzian + ``1 - eta`` Gaussian, same FWHM.

    Args:
        q (numpy.ndarray): Scattering vector magnitudes [Å^-1].
        area (float): Integrated intensity [intensity · Å^-1].
        center (float): Peak position [Å^-1].
        fwhm (float): Full width at half maximum of both components [Å^-1].
        eta (float): Lorentzian fraction in [0, 1].

    Returns:
        numpy.ndarray: The profile on ``q``.
    """
    return eta * lorentzian(q, area, center, fwhm) + (1.0 - eta) * gaussian(q, area, center, fwhm)


@dataclass(frozen=True)
class PeakFit:
    """One fitted peak (all errors are one standard deviation from the fit covariance).

    Attributes:
        position (float): Peak centre :math:`q_0` [Å^-1].
        position_err (float): Its standard error [Å^-1].
        fwhm (float): Full width at half maximum Γ [Å^-1].
        fwhm_err (float): Its standard error [Å^-1].
        area (float): Integrated peak intensity above the background [intensity · Å^-1].
        area_err (float): Its standard error.
        height (float): Peak maximum above the background [intensity].
        eta (float): Lorentzian fraction (0 for ``"gaussian"``).
        eta_err (float): Its standard error (0 for ``"gaussian"``).
        background (tuple[float, float]): Linear background ``(offset, slope)`` about
            ``position``: :math:`b_0 + b_1 (q - q_0)` [intensity, intensity · Å].
        profile (str): ``"gaussian"`` or ``"pseudo_voigt"``.
        window (tuple[float, float]): q range of the fitted points [Å^-1].
        rms_residual (float): Root-mean-square fit residual [intensity].
    """

    position: float
    position_err: float
    fwhm: float
    fwhm_err: float
    area: float
    area_err: float
    height: float
    eta: float
    eta_err: float
    background: tuple[float, float]
    profile: str
    window: tuple[float, float]
    rms_residual: float

    @property
    def sigma(self) -> float:
        """float: Gaussian standard deviation equivalent to the FWHM, Γ/2.3548 [Å^-1]."""
        return self.fwhm / FWHM_PER_SIGMA

    def evaluate(self, q: Any) -> np.ndarray:
        """The fitted profile plus background on ``q``.

        Args:
            q (numpy.ndarray): Scattering vector magnitudes [Å^-1].

        Returns:
            numpy.ndarray: Model intensity.
        """
        q = np.asarray(q, dtype=float)
        b0, b1 = self.background
        return (
            pseudo_voigt(q, self.area, self.position, self.fwhm, self.eta)
            + b0
            + b1 * (q - self.position)
        )


def _curve(q: Any, intensity: Any) -> tuple[np.ndarray, np.ndarray]:
    q = np.asarray(to_numpy(check_finite_array("q", q, (None,))), dtype=float)
    y = np.asarray(to_numpy(check_finite_array("intensity", intensity, (len(q),))), dtype=float)
    if len(q) < 3:
        raise ValueError(f"q must hold at least 3 points, got {len(q)}")
    if np.any(np.diff(q) <= 0):
        raise ValueError("q must be strictly increasing")
    return q, y


def locate_peaks(
    q: Any,
    intensity: Any,
    *,
    prominence: float = 0.05,
    q_range: tuple[float, float] | None = None,
    max_peaks: int | None = None,
) -> np.ndarray:
    """Positions of the maxima of I(q), by prominence (:func:`scipy.signal.find_peaks`).

    Args:
        q ((K,) numpy.ndarray): Strictly increasing scattering vector magnitudes [Å^-1].
        intensity ((K,) numpy.ndarray): Intensity or S(q) on ``q``.
        prominence (float): Minimum prominence as a fraction of ``max - min`` of the
            intensity in ``q_range``, in (0, 1].
        q_range (tuple[float, float]): Only maxima with ``q_lo <= q <= q_hi`` [Å^-1];
            default all.
        max_peaks (int): Keep only the this many most prominent ones; default all.

    Returns:
        numpy.ndarray: Peak positions [Å^-1] (grid points), in increasing q.

    Raises:
        ValueError: On bad arrays or parameters.

    Example:
        >>> q = np.linspace(0, 3, 301)
        >>> y = gaussian(q, 1, 1.0, 0.1) + gaussian(q, 0.5, 2.0, 0.1)
        >>> locate_peaks(q, y).round(3).tolist()
        [1.0, 2.0]
    """
    q, y = _curve(q, intensity)
    prominence = check_real("prominence", prominence, 0.0, 1.0)
    lo, hi = _q_range(q_range, q)
    inside = (q >= lo) & (q <= hi)
    if np.count_nonzero(inside) < 3:
        raise ValueError(f"q_range {q_range!r} holds fewer than 3 points of q")
    sub = y[inside]
    span = float(sub.max() - sub.min())
    if span == 0.0:
        return np.empty(0)
    idx, props = find_peaks(sub, prominence=prominence * span)
    if max_peaks is not None:
        max_peaks = check_int("max_peaks", max_peaks, 1)
        keep = np.argsort(props["prominences"])[::-1][:max_peaks]
        idx = np.sort(idx[keep])
    return q[inside][idx]


def _q_range(q_range: tuple[float, float] | None, q: np.ndarray) -> tuple[float, float]:
    if q_range is None:
        return float(q[0]), float(q[-1])
    try:
        lo, hi = q_range
    except (TypeError, ValueError) as err:
        raise ValueError(f"q_range must be a pair (q_lo, q_hi) in A^-1, got {q_range!r}") from err
    lo = check_real("q_range[0]", lo, 0.0, low_open=False, unit="A^-1")
    hi = check_real("q_range[1]", hi, lo, unit="A^-1")
    return lo, hi


def estimate_fwhm(q: Any, intensity: Any, center: float) -> float:
    """Rough FWHM of the maximum nearest ``center`` (width at half prominence).

    Climbs from the grid point nearest ``center`` to the local maximum and measures its width
    at half its prominence (:func:`scipy.signal.peak_widths`), interpolated in q.

    Args:
        q ((K,) numpy.ndarray): Strictly increasing scattering vector magnitudes [Å^-1].
        intensity ((K,) numpy.ndarray): Intensity on ``q``.
        center (float): Approximate peak position [Å^-1], inside the q range.

    Returns:
        float: The estimated FWHM [Å^-1].

    Raises:
        ValueError: If ``center`` is outside ``q`` or no maximum is found there.
    """
    q, y = _curve(q, intensity)
    i = _climb(q, y, center)
    widths = peak_widths(y, [i], rel_height=0.5)
    left, right = np.interp([widths[2][0], widths[3][0]], np.arange(len(q)), q)
    if not right > left:
        raise ValueError(f"no resolvable peak near center={center!r} A^-1")
    return float(right - left)


def _climb(q: np.ndarray, y: np.ndarray, center: float) -> int:
    center = check_real("center", center, q[0], q[-1], low_open=False, unit="A^-1")
    i = int(np.argmin(np.abs(q - center)))
    while True:
        if i + 1 < len(y) and y[i + 1] > y[i]:
            i += 1
        elif i > 0 and y[i - 1] > y[i]:
            i -= 1
        else:
            break
    if i in (0, len(y) - 1):
        raise ValueError(
            f"no maximum near center={center!r} A^-1 inside q: the intensity rises to the edge "
            f"of the q range at q={q[i]:.4g} A^-1"
        )
    return i


def fit_peak(
    q: Any,
    intensity: Any,
    center: float,
    *,
    half_width: float | None = None,
    profile: str = "gaussian",
    sigma: Any | None = None,
) -> PeakFit:
    """Fit one peak plus a linear background in a window about ``center``.

    The model is ``gaussian`` or ``pseudo_voigt`` (area, centre, FWHM, Lorentzian fraction
    in [0, 1]) plus :math:`b_0 + b_1 (q - q_c)`, fitted with :func:`scipy.optimize.curve_fit`.
    Starting values: the local maximum nearest ``center``, its width at half prominence, and a
    straight line through the window's end points. Uncertainties are the square roots of the
    covariance diagonal — scaled by the residual variance unless ``sigma`` is given (then
    ``absolute_sigma=True``).

    Args:
        q ((K,) numpy.ndarray): Strictly increasing scattering vector magnitudes [Å^-1].
        intensity ((K,) numpy.ndarray): Intensity or S(q) on ``q``.
        center (float): Approximate peak position [Å^-1].
        half_width (float): The window is ``center ± half_width`` [Å^-1] (about the local
            maximum); default 1.5 times the estimated FWHM (:func:`estimate_fwhm`).
        profile (str): ``"gaussian"`` or ``"pseudo_voigt"``.
        sigma ((K,) numpy.ndarray): Standard errors of ``intensity`` (> 0); default unknown.

    Returns:
        PeakFit: The fit.

    Raises:
        ValueError: On bad inputs, or a window with too few points for the model.
        RuntimeError: If the least-squares fit does not converge.
    """
    q, y = _curve(q, intensity)
    profile = check_choice("profile", profile, PROFILES)
    i = _climb(q, y, center)
    if half_width is None:
        half_width = 1.5 * estimate_fwhm(q, y, q[i])
    half_width = check_positive("half_width", half_width, unit="A^-1")
    err = None
    if sigma is not None:
        err = np.asarray(to_numpy(check_finite_array("sigma", sigma, (len(q),))), dtype=float)
        if np.any(err <= 0):
            raise ValueError("sigma must be > 0 everywhere")
    window = np.abs(q - q[i]) <= half_width
    n_par = 5 if profile == "gaussian" else 6
    if np.count_nonzero(window) < n_par + 2:
        raise ValueError(
            f"half_width={half_width:.4g} A^-1 holds {np.count_nonzero(window)} points of q about "
            f"{q[i]:.4g} A^-1; the {profile} fit needs at least {n_par + 2}"
        )
    x, yy = q[window], y[window]
    ee = None if err is None else err[window]
    qc = float(q[i])
    slope0 = (yy[-1] - yy[0]) / (x[-1] - x[0])
    base0 = yy[0] + slope0 * (qc - x[0])
    height0 = max(float(y[i] - base0), 1e-12 * max(1.0, abs(float(y[i]))))
    fwhm0 = min(max(estimate_fwhm(q, y, qc), 2.0 * float(np.min(np.diff(x)))), 2 * half_width)
    area0 = height0 * fwhm0 / 0.9394
    span = float(x[-1] - x[0])

    if profile == "gaussian":

        def model(xx, area, c, w, b0, b1):
            return gaussian(xx, area, c, w) + b0 + b1 * (xx - qc)

        p0 = [area0, qc, fwhm0, base0, slope0]
        lower = [-np.inf, x[0], 1e-6 * span, -np.inf, -np.inf]
        upper = [np.inf, x[-1], 4 * span, np.inf, np.inf]
    else:

        def model(xx, area, c, w, eta, b0, b1):
            return pseudo_voigt(xx, area, c, w, eta) + b0 + b1 * (xx - qc)

        p0 = [area0, qc, fwhm0, 0.5, base0, slope0]
        lower = [-np.inf, x[0], 1e-6 * span, 0.0, -np.inf, -np.inf]
        upper = [np.inf, x[-1], 4 * span, 1.0, np.inf, np.inf]
    p, cov = curve_fit(
        model,
        x,
        yy,
        p0=p0,
        sigma=ee,
        absolute_sigma=ee is not None,
        bounds=(lower, upper),
        maxfev=20000,
    )
    perr = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    area, c, w = (float(v) for v in p[:3])
    eta, eta_err = (float(p[3]), float(perr[3])) if profile == "pseudo_voigt" else (0.0, 0.0)
    b0, b1 = float(p[-2]), float(p[-1])
    # Re-express the background about the fitted centre.
    b0 = b0 + b1 * (c - qc)
    height = float(pseudo_voigt(c, area, c, w, eta))
    residual = yy - model(x, *p)
    return PeakFit(
        position=c,
        position_err=float(perr[1]),
        fwhm=w,
        fwhm_err=float(perr[2]),
        area=area,
        area_err=float(perr[0]),
        height=height,
        eta=eta,
        eta_err=eta_err,
        background=(b0, b1),
        profile=profile,
        window=(float(x[0]), float(x[-1])),
        rms_residual=float(np.sqrt(np.mean(residual**2))),
    )


def fit_peaks(
    q: Any,
    intensity: Any,
    centers: Any | None = None,
    *,
    half_width: float | None = None,
    profile: str = "gaussian",
    prominence: float = 0.05,
    q_range: tuple[float, float] | None = None,
) -> list[PeakFit]:
    """Fit several peaks one by one (each in its own window).

    Args:
        q ((K,) numpy.ndarray): Strictly increasing scattering vector magnitudes [Å^-1].
        intensity ((K,) numpy.ndarray): Intensity on ``q``.
        centers (numpy.ndarray): Approximate positions [Å^-1]; default the maxima found by
            :func:`locate_peaks` with ``prominence`` and ``q_range``.
        half_width (float): Window half-width [Å^-1]; default per peak (see :func:`fit_peak`).
        profile (str): ``"gaussian"`` or ``"pseudo_voigt"``.
        prominence (float): Passed to :func:`locate_peaks`.
        q_range (tuple[float, float]): Passed to :func:`locate_peaks` [Å^-1].

    Returns:
        list[PeakFit]: One fit per peak, in the order of ``centers``.
    """
    if centers is None:
        centers = locate_peaks(q, intensity, prominence=prominence, q_range=q_range)
    centers = np.asarray(check_finite_array("centers", centers, (None,)), dtype=float)
    return [
        fit_peak(q, intensity, float(c), half_width=half_width, profile=profile) for c in centers
    ]


def is_allowed(h: int, k: int, l: int, lattice: str) -> bool:  # noqa: E741
    """Whether reflection (hkl) of the conventional cubic cell is allowed.

    Args:
        h (int): Miller index.
        k (int): Miller index.
        l (int): Miller index.
        lattice (str): ``"sc"`` (all), ``"bcc"`` (:math:`h+k+l` even) or ``"fcc"`` (all even
            or all odd).

    Returns:
        bool: ``True`` for an allowed, non-zero reflection.

    Example:
        >>> is_allowed(1, 1, 1, "fcc"), is_allowed(1, 0, 0, "fcc"), is_allowed(1, 1, 0, "bcc")
        (True, False, True)
    """
    lattice = check_choice("lattice", lattice, LATTICES)
    if h == k == l == 0:
        return False
    if lattice == "sc":
        return True
    if lattice == "bcc":
        return (h + k + l) % 2 == 0
    parities = {h % 2, k % 2, l % 2}
    return len(parities) == 1


def allowed_reflections(lattice: str, m_max: int) -> list[tuple[int, tuple[int, int, int]]]:
    """Allowed :math:`m = h^2+k^2+l^2` of a cubic lattice up to ``m_max``.

    Args:
        lattice (str): ``"sc"``, ``"bcc"`` or ``"fcc"``.
        m_max (int): Largest :math:`h^2+k^2+l^2`, >= 1.

    Returns:
        list[tuple[int, tuple[int, int, int]]]: ``(m, (h, k, l))`` in increasing m, with one
        representative :math:`h \\ge k \\ge l \\ge 0` each (the one with largest h).

    Example:
        >>> [m for m, _ in allowed_reflections("fcc", 20)]
        [3, 4, 8, 11, 12, 16, 19, 20]
        >>> [hkl for _, hkl in allowed_reflections("bcc", 6)]
        [(1, 1, 0), (2, 0, 0), (2, 1, 1)]
    """
    lattice = check_choice("lattice", lattice, LATTICES)
    m_max = check_int("m_max", m_max, 1)
    top = math.isqrt(m_max)
    found: dict[int, tuple[int, int, int]] = {}
    for h in range(top, -1, -1):
        for k in range(h, -1, -1):
            for l in range(k, -1, -1):  # noqa: E741
                m = h * h + k * k + l * l
                if 0 < m <= m_max and m not in found and is_allowed(h, k, l, lattice):
                    found[m] = (h, k, l)
    return sorted(found.items())


def reflection_positions(a: float, lattice: str, q_max: float) -> tuple[np.ndarray, np.ndarray]:
    """Peak positions :math:`q_{hkl} = 2\\pi\\sqrt{h^2+k^2+l^2}/a` of a cubic lattice.

    Args:
        a (float): Cubic lattice parameter [Å].
        lattice (str): ``"sc"``, ``"bcc"`` or ``"fcc"``.
        q_max (float): Largest q [Å^-1].

    Returns:
        tuple[numpy.ndarray, numpy.ndarray]: ``(hkl, q)``: (M, 3) representative Miller
        indices and their (M,) positions [Å^-1], in increasing q.

    Example:
        >>> hkl, q = reflection_positions(2 * np.pi, "fcc", 2.1)
        >>> hkl.tolist(), q.round(4).tolist()
        ([[1, 1, 1], [2, 0, 0]], [1.7321, 2.0])
    """
    a = check_positive("a", a, unit="A")
    q_max = check_positive("q_max", q_max, unit="A^-1")
    m_max = math.floor((q_max * a / (2 * math.pi)) ** 2 + 1e-9)
    if m_max < 1:
        return np.empty((0, 3), dtype=int), np.empty(0)
    refl = allowed_reflections(lattice, m_max)
    hkl = np.array([r[1] for r in refl], dtype=int).reshape(-1, 3)
    q = 2 * np.pi * np.sqrt([r[0] for r in refl]) / a
    return hkl, q


def lattice_parameter(positions: Any, hkl: Any, errors: Any | None = None) -> tuple[float, float]:
    """Cubic lattice parameter from indexed peaks by least squares.

    Fits :math:`q_i = s_i / a` with :math:`s_i = 2\\pi\\sqrt{m_i}`, linear in :math:`u = 1/a`:
    :math:`u = \\sum w_i s_i q_i / \\sum w_i s_i^2`. With ``errors`` the weights are
    :math:`w_i = 1/\\sigma_i^2` and :math:`\\sigma_u^2 = 1/\\sum w_i s_i^2`; without, the
    residual variance (n - 1 degrees of freedom) is used (NaN error for one peak).

    Args:
        positions ((n,) numpy.ndarray): Peak positions [Å^-1].
        hkl ((n, 3) numpy.ndarray): Miller indices of each peak (or (n,) values of
            :math:`m = h^2+k^2+l^2`).
        errors ((n,) numpy.ndarray): Standard errors of the positions [Å^-1] (> 0).

    Returns:
        tuple[float, float]: ``(a, a_err)`` [Å].

    Example:
        >>> a, err = lattice_parameter([1.0 * np.sqrt(3), 2.0], [[1, 1, 1], [2, 0, 0]])
        >>> round(a, 6), round(a / (2 * np.pi), 6)
        (6.283185, 1.0)
    """
    qs = np.asarray(check_finite_array("positions", positions, (None,)), dtype=float)
    h = np.asarray(check_finite_array("hkl", hkl), dtype=float)
    if h.ndim == 2 and h.shape == (len(qs), 3):
        m = np.sum(h * h, axis=1)
    elif h.shape == (len(qs),):
        m = h
    else:
        raise ValueError(f"hkl must have shape ({len(qs)}, 3) or ({len(qs)},), got {h.shape}")
    if len(qs) == 0 or np.any(m <= 0) or np.any(qs <= 0):
        raise ValueError("positions and h^2+k^2+l^2 must be > 0 (at least one peak)")
    s = 2 * np.pi * np.sqrt(m)
    if errors is not None:
        e = np.asarray(check_finite_array("errors", errors, (len(qs),)), dtype=float)
        if np.any(e <= 0):
            raise ValueError("errors must be > 0")
        w = 1.0 / e**2
        u = float(np.sum(w * s * qs) / np.sum(w * s * s))
        u_err = float(1.0 / np.sqrt(np.sum(w * s * s)))
    else:
        u = float(np.sum(s * qs) / np.sum(s * s))
        dof = len(qs) - 1
        u_err = float(np.sqrt(np.sum((qs - s * u) ** 2) / dof / np.sum(s * s))) if dof else math.nan
    return 1.0 / u, u_err / u**2


@dataclass(frozen=True)
class CubicIndexing:
    """Result of :func:`index_cubic`.

    Attributes:
        lattice (str): ``"sc"``, ``"bcc"`` or ``"fcc"``.
        a (float): Least-squares lattice parameter [Å].
        a_err (float): Its standard error [Å] (NaN for one peak without errors).
        hkl (numpy.ndarray): (n, 3) representative Miller indices of the peaks.
        positions (numpy.ndarray): (n,) measured positions [Å^-1].
        predicted (numpy.ndarray): (n,) :math:`2\\pi\\sqrt{m}/a` [Å^-1].
        max_relative_error (float): Largest :math:`|q - q_{hkl}|/q_{hkl}`.
        n_missing (int): Allowed reflections between the lowest and highest peak that have no
            peak (0 for a complete, correctly indexed sequence).
    """

    lattice: str
    a: float
    a_err: float
    hkl: np.ndarray
    positions: np.ndarray
    predicted: np.ndarray
    max_relative_error: float
    n_missing: int


def index_cubic(
    positions: Any,
    lattice: str,
    *,
    tolerance: float = 0.02,
    errors: Any | None = None,
    max_first: int = 6,
) -> CubicIndexing:
    """Index peak positions with a cubic lattice and fit its lattice parameter.

    The lowest peak is tried as each of the first ``max_first`` allowed reflections; each try
    gives a trial :math:`a`, every peak is assigned the allowed :math:`m` nearest to
    :math:`(q a/2\\pi)^2`, and the smallest :math:`a` that indexes all peaks within
    ``tolerance`` and predicts the fewest reflections without a peak in the measured range
    wins (ties: the smallest cell; a cell twice as large indexes the same peaks and predicts
    peaks that are not there). ``a`` is then refined by :func:`lattice_parameter`. Indexing
    alone cannot tell the lattice type: every cubic sequence is also indexed by ``"sc"``, and
    fcc's all-even reflections form an sc lattice of a/2, so compare
    :attr:`CubicIndexing.n_missing` between lattice types.

    Args:
        positions ((n,) numpy.ndarray): Peak positions [Å^-1], > 0.
        lattice (str): ``"sc"``, ``"bcc"`` or ``"fcc"``.
        tolerance (float): Largest relative misfit :math:`|q-q_{hkl}|/q_{hkl}`, in (0, 0.5).
        errors ((n,) numpy.ndarray): Standard errors of the positions [Å^-1].
        max_first (int): How many reflections the lowest peak may be, >= 1.

    Returns:
        CubicIndexing: Indices and the fitted lattice parameter.

    Raises:
        ValueError: On bad inputs, or if no trial indexes every peak within ``tolerance``.

    Example:
        >>> a = 2 * np.pi
        >>> res = index_cubic(np.sqrt([3, 4, 8, 11]) * 2 * np.pi / a, "fcc")
        >>> res.hkl.tolist(), round(res.a, 9)
        ([[1, 1, 1], [2, 0, 0], [2, 2, 0], [3, 1, 1]], 6.283185307)
    """
    lattice = check_choice("lattice", lattice, LATTICES)
    qs = np.asarray(check_finite_array("positions", positions, (None,)), dtype=float)
    if len(qs) == 0 or np.any(qs <= 0):
        raise ValueError("positions must hold at least one peak position > 0 A^-1")
    tolerance = check_real("tolerance", tolerance, 0.0, 0.5, high_open=True)
    max_first = check_int("max_first", max_first, 1)
    q_low = float(qs.min())
    ratio_max = float((qs.max() / q_low) ** 2)
    first = allowed_reflections(lattice, 400)[:max_first]
    best = None
    for m1, _ in first:
        a_trial = 2 * np.pi * math.sqrt(m1) / q_low
        table = allowed_reflections(lattice, math.ceil(m1 * ratio_max * 1.5) + 4)
        ms = np.array([t[0] for t in table], dtype=float)
        predicted_all = 2 * np.pi * np.sqrt(ms) / a_trial
        nearest = np.argmin(np.abs(qs[:, None] - predicted_all[None, :]), axis=1)
        rel = np.abs(qs - predicted_all[nearest]) / predicted_all[nearest]
        if not np.all(rel <= tolerance):
            continue
        in_range = (predicted_all >= q_low * (1 - tolerance)) & (
            predicted_all <= qs.max() * (1 + tolerance)
        )
        n_missing = int(np.count_nonzero(in_range)) - len(set(nearest.tolist()))
        if best is None or n_missing < best[0]:
            best = (n_missing, table, ms, nearest)
    if best is not None:
        n_missing, table, ms, nearest = best
        hkl = np.array([table[j][1] for j in nearest], dtype=int)
        a, a_err = lattice_parameter(qs, hkl, errors)
        pred = 2 * np.pi * np.sqrt(ms[nearest]) / a
        return CubicIndexing(
            lattice=lattice,
            a=a,
            a_err=a_err,
            hkl=hkl,
            positions=qs,
            predicted=pred,
            max_relative_error=float(np.max(np.abs(qs - pred) / pred)),
            n_missing=n_missing,
        )
    raise ValueError(
        f"positions {np.round(qs, 4).tolist()} A^-1 cannot be indexed as {lattice} within "
        f"tolerance={tolerance:g} (first peak tried as the first {max_first} reflections)"
    )


def scherrer_size(
    fwhm: float, *, shape_factor: float = SCHERRER_K, instrument_fwhm: float = 0.0
) -> float:
    """Crystallite size from a peak width by the Scherrer equation in q :cite:`patterson1939`.

    In angles the Scherrer equation reads :math:`D = K\\lambda/(\\beta\\cos\\theta)` with β the
    FWHM in :math:`2\\theta` (radians). Since :math:`q = 4\\pi\\sin\\theta/\\lambda`,
    :math:`\\Delta q = (2\\pi/\\lambda)\\cos\\theta\\,\\beta`, so

    .. math:: D = \\frac{2\\pi K}{\\Delta q},

    with Δq the FWHM in q, independent of wavelength and angle. The instrumental width is
    removed in quadrature (Gaussian profiles):
    :math:`\\Delta q = \\sqrt{\\Delta q_{meas}^2 - \\Delta q_{inst}^2}`. K ≈ 0.9 for
    near-spherical crystallites (0.83–0.94 for cubes, depending on the reflection, with D the
    cube edge); D is a volume-weighted column length, not a diameter.

    Args:
        fwhm (float): Measured FWHM Δq [Å^-1].
        shape_factor (float): Scherrer constant K, > 0 (default 0.9).
        instrument_fwhm (float): Instrumental FWHM [Å^-1], >= 0 and < ``fwhm``.

    Returns:
        float: The crystallite size D [Å].

    Raises:
        ValueError: On non-positive widths or an instrumental width >= the measured one.

    Example:
        >>> round(scherrer_size(0.01, instrument_fwhm=0.006), 1)  # sqrt(0.01^2-0.006^2)=0.008
        706.9
    """
    fwhm = check_positive("fwhm", fwhm, unit="A^-1")
    k = check_positive("shape_factor", shape_factor)
    inst = check_real(
        "instrument_fwhm", instrument_fwhm, 0.0, fwhm, low_open=False, high_open=True, unit="A^-1"
    )
    return 2 * math.pi * k / math.sqrt(fwhm**2 - inst**2)
