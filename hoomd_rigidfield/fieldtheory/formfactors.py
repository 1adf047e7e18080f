r"""Analytic Fourier form factors of convex polyhedra.

With :math:`\hat f(\mathbf k) = \int e^{-i\mathbf k\cdot\mathbf r} f(\mathbf r)\,d^3r`:

* the surface form factor of a planar polygonal face with outward normal :math:`\hat n` and
  in-plane wavevector :math:`\mathbf q = \mathbf k - (\mathbf k\cdot\hat n)\hat n` follows from the
  2D divergence theorem,

  .. math::

      S_f(\mathbf k) = \frac{i}{q^2}\sum_{e}(\mathbf k\cdot\hat\nu_e)\,|\mathbf e|\,
      e^{-i\mathbf k\cdot\mathbf m_e}\,\mathrm{sinc}(\mathbf k\cdot\mathbf e/2),

  (edge vectors :math:`\mathbf e`, midpoints :math:`\mathbf m_e`, outward in-plane normals
  :math:`\hat\nu_e`); for :math:`qR_f < 0.5` it loses accuracy as :math:`\epsilon/(qR_f)^2` and is
  replaced by the exact power series over a triangle fan (see :func:`simplex_series`);
* the volume form factor follows from the 3D divergence theorem,
  :math:`V(\mathbf k) = (i/k^2)\sum_f(\mathbf k\cdot\hat n_f)S_f(\mathbf k)`, with the series over
  tetrahedra (centre, face centroid, edge) for :math:`kR_\mathrm{circ} < 0.5`.

This is the approach of Wuttke, J. Appl. Cryst. 50 (2017) and 54 (2021). Wavevectors are given as
three mutually broadcastable component arrays ``(kx, ky, kz)``: plain ``(N,)`` arrays for a list of
points, or ``(n, 1, 1)``, ``(1, n, 1)``, ``(1, 1, m)`` axes for an FFT grid. Plane-wave phases are
then evaluated separably, :math:`e^{-i\mathbf k\cdot\mathbf m} = e^{-ik_xm_x}e^{-ik_ym_y}e^{-ik_zm_z}`,
so on a grid a phase costs one complex multiplication per point instead of an exponential.
NumPy or CuPy arrays are accepted (the array module follows ``kx``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module
from hoomd_rigidfield.fieldtheory.shapes import ConvexPolyhedron, Face

#: Switch to the series where :math:`|q|R_\mathrm{face}` (or :math:`|k|R_\mathrm{circ}`) is below this.
SERIES_THRESHOLD = 0.5
#: Number of series terms used below :data:`SERIES_THRESHOLD` (reaches 1e-16 there).
SERIES_TERMS = 20

K = tuple[Any, Any, Any]


def as_k_components(k: Any) -> K:
    """Split wavevectors into component arrays.

    Args:
        k: ``(N, 3)`` array of wavevectors :math:`[\\mathrm{\\AA}^{-1}]`, or a tuple
            ``(kx, ky, kz)`` of broadcastable arrays (returned unchanged).

    Returns:
        tuple: ``(kx, ky, kz)``.
    """
    if isinstance(k, tuple):
        if len(k) != 3:
            raise ValueError("k as a tuple must be (kx, ky, kz)")
        return k
    xp = get_array_module(k)
    k = xp.asarray(k, dtype=float)
    if k.shape[-1] != 3:
        raise ValueError(f"k must have shape (..., 3), got {k.shape}")
    return k[..., 0], k[..., 1], k[..., 2]


def _dot(k: K, v: np.ndarray) -> Any:
    return k[0] * float(v[0]) + k[1] * float(v[1]) + k[2] * float(v[2])


def _phase(k: K, x: np.ndarray) -> Any:
    """:math:`e^{-i\\mathbf k\\cdot\\mathbf x}` evaluated separably (cheap on grids)."""
    xp = get_array_module(k[0])
    return (
        xp.exp(-1j * float(x[0]) * k[0])
        * xp.exp(-1j * float(x[1]) * k[1])
        * xp.exp(-1j * float(x[2]) * k[2])
    )


def _shape(k: K) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*(c.shape for c in k)))


def simplex_series(xs: list[Any], n_terms: int) -> Any:
    r"""Normalised Fourier integral of a simplex as a power series.

    For a :math:`d`-simplex with vertices :math:`\mathbf p_j` and :math:`x_j = \mathbf k\cdot\mathbf p_j`,

    .. math::

        \frac{1}{|\Delta|}\int_\Delta e^{-i\mathbf k\cdot\mathbf r}\,d^dr
        = d!\sum_{n\ge0}\frac{(-i)^n h_n(x_0,\dots,x_d)}{(n+d)!},

    where :math:`h_n` is the complete homogeneous symmetric polynomial, built by the recurrence
    :math:`h_n(x_0..x_j) = h_n(x_0..x_{j-1}) + x_j h_{n-1}(x_0..x_j)`.

    Args:
        xs (list): The :math:`d+1` arrays :math:`x_j` (broadcastable).
        n_terms (int): Number of terms :math:`n = 0..n_\mathrm{terms}-1`.

    Returns:
        Complex array: the normalised integral (1 at :math:`\mathbf k = 0`).
    """
    xp = get_array_module(xs[0])
    d = len(xs) - 1
    shape = np.broadcast_shapes(*(np.shape(x) for x in xs))
    # h[n] for the variables seen so far; start with x_0 alone: h_n = x_0^n.
    h = [xp.ones(shape)]
    for _ in range(1, n_terms):
        h.append(h[-1] * xs[0])
    for x in xs[1:]:
        for n in range(1, n_terms):
            h[n] = h[n] + x * h[n - 1]
    total = xp.zeros(shape, dtype=complex)
    for n in range(n_terms):
        total = total + ((-1j) ** n / math.factorial(n + d)) * h[n]
    return math.factorial(d) * total


def _face_series(face: Face, k: K, n_terms: int) -> Any:
    """:math:`S_f` from the triangle-fan series (any k; exact to truncation)."""
    c = face.centroid
    v = face.vertices
    vn = np.roll(v, -1, axis=0)
    total = 0
    for a, b in zip(v, vn):
        area = 0.5 * float(np.cross(a - c, b - c) @ face.normal)
        total = total + area * simplex_series([0.0 * k[0], _dot(k, a - c), _dot(k, b - c)], n_terms)
    return _phase(k, c) * total


def _sinc(t: Any) -> Any:
    """:math:`\\sin t/t` with the value 1 at :math:`t = 0` (fewer passes than ``xp.sinc``)."""
    xp = get_array_module(t)
    zero = t == 0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = xp.sin(t)
        out /= t
    out[zero] = 1.0
    return out


def _face_edge_sum(face: Face, k: K) -> Any:
    """:math:`\\sum_e (\\mathbf k\\cdot\\hat\\nu_e)|e|e^{-i\\mathbf k\\cdot\\mathbf m_e}\\mathrm{sinc}(\\mathbf k\\cdot\\mathbf e/2)`."""
    total = 0
    for e, m, nu in zip(face.edges, face.edge_midpoints, face.edge_normals):
        # scalars folded into the separable dot products: one full-size pass each
        weight = _dot(k, float(np.linalg.norm(e)) * nu) * _sinc(_dot(k, 0.5 * e))
        total = total + weight * _phase(k, m)
    return total


def face_form_factor(
    face: Face, k: Any, *, method: str = "auto", n_terms: int = SERIES_TERMS, k2: Any = None
) -> Any:
    r"""Surface form factor :math:`\int_f e^{-i\mathbf k\cdot\mathbf r}\,dS` of one planar face.

    Args:
        face (Face): The face (lab frame).
        k: Wavevectors, see :func:`as_k_components` :math:`[\mathrm{\AA}^{-1}]`.
        method (str): ``"auto"`` (edge formula, series where :math:`qR_f` <
            :data:`SERIES_THRESHOLD`), ``"edge"`` (edge formula only; undefined at :math:`q = 0`)
            or ``"series"`` (series only; choose ``n_terms`` for the largest :math:`kR_f`).
        n_terms (int): Series terms.
        k2: :math:`|\mathbf k|^2` if already computed (saves a full pass per face on grids).

    Returns:
        Complex array of the broadcast shape of ``k`` (area at :math:`\mathbf k = 0`).
    """
    k = as_k_components(k)
    if method == "series":
        return _face_series(face, k, n_terms)
    if method not in ("auto", "edge"):
        raise ValueError(f"method must be 'auto', 'edge' or 'series', got {method!r}")
    xp = get_array_module(k[0])
    kn = _dot(k, face.normal)
    if k2 is None:
        k2 = k[0] ** 2 + k[1] ** 2 + k[2] ** 2
    q2 = k2 - kn**2
    if method == "edge":
        return 1j * _face_edge_sum(face, k) / q2
    small = q2 < (SERIES_THRESHOLD / face.radius) ** 2
    out = 1j * _face_edge_sum(face, k) / xp.where(small, 1.0, q2)
    return _patch_small(out, small, k, lambda ks: _face_series(face, ks, n_terms))


def _patch_small(out: Any, small: Any, k: K, series: Any) -> Any:
    """Replace ``out[small]`` by ``series`` evaluated on the masked wavevectors only."""
    xp = get_array_module(k[0])
    if not bool(xp.any(small)):
        return out
    shape = out.shape
    ks = tuple(xp.broadcast_to(c, shape)[small] for c in k)
    out[small] = series(ks)
    return out


def form_factors(
    shape: ConvexPolyhedron, k: Any, *, method: str = "auto", n_terms: int = SERIES_TERMS
) -> tuple[Any, Any]:
    r"""Surface and volume form factors of a placed convex polyhedron.

    Args:
        shape (ConvexPolyhedron): The body, placed in the lab frame.
        k: Wavevectors, see :func:`as_k_components` :math:`[\mathrm{\AA}^{-1}]`.
        method (str): ``"auto"``: divergence forms with the series below :data:`SERIES_THRESHOLD`;
            ``"edge"``: divergence forms only (faces still switch to the series where
            :math:`q\to0`, the volume does not); ``"series"``: series for faces and volume.
        n_terms (int): Series terms.

    Returns:
        tuple: ``(S, V)`` complex arrays, :math:`S(0)` = surface area, :math:`V(0)` = volume.
    """
    k = as_k_components(k)
    if method not in ("auto", "edge", "series"):
        raise ValueError(f"method must be 'auto', 'edge' or 'series', got {method!r}")
    xp = get_array_module(k[0])
    face_method = "series" if method == "series" else "auto"
    k2 = k[0] ** 2 + k[1] ** 2 + k[2] ** 2
    surface = xp.zeros(_shape(k), dtype=complex)
    flux = xp.zeros(_shape(k), dtype=complex)
    for face in shape.faces:
        s = face_form_factor(face, k, method=face_method, n_terms=n_terms, k2=k2)
        surface += s
        if method != "series":
            flux += _dot(k, face.normal) * s
    if method == "series":
        return surface, _volume_series(shape, k, n_terms)
    if method == "edge":
        return surface, 1j * flux / k2
    small = k2 < (SERIES_THRESHOLD / shape.circumradius) ** 2
    volume = 1j * flux / xp.where(small, 1.0, k2)
    return surface, _patch_small(volume, small, k, lambda ks: _volume_series(shape, ks, n_terms))


def _volume_series(shape: ConvexPolyhedron, k: K, n_terms: int) -> Any:
    """Volume form factor from the series over tetrahedra (centre, face centroid, edge)."""
    c0 = shape.center
    total = 0
    for face in shape.faces:
        c = face.centroid
        xc = _dot(k, c - c0)
        v = face.vertices
        for a, b in zip(v, np.roll(v, -1, axis=0)):
            vol = abs(float(np.linalg.det(np.array([c - c0, a - c0, b - c0])))) / 6.0
            total = total + vol * simplex_series(
                [0.0 * k[0], xc, _dot(k, a - c0), _dot(k, b - c0)], n_terms
            )
    return _phase(k, c0) * total
