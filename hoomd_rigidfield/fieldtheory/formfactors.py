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
#: Wavevectors per slab of the CPU evaluation (a few arrays of this size stay in a 2 MiB L2).
CHUNK_ELEMENTS = 32768
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


def _dot(k: K, v: np.ndarray, out: Any = None) -> Any:
    xp = get_array_module(k[0])
    return xp.add(k[0] * float(v[0]) + k[1] * float(v[1]), k[2] * float(v[2]), out=out)


def _phase(k: K, x: np.ndarray, out: Any = None) -> Any:
    """:math:`e^{-i\\mathbf k\\cdot\\mathbf x}` evaluated separably (cheap on grids), into ``out``."""
    xp = get_array_module(k[0])
    partial = xp.exp(-1j * float(x[0]) * k[0]) * xp.exp(-1j * float(x[1]) * k[1])
    return xp.multiply(partial, xp.exp(-1j * float(x[2]) * k[2]), out=out)


def _take(k: K, shape: tuple[int, ...], idx: Any) -> K:
    """The wavevectors at flat indices ``idx`` of the broadcast ``shape`` (no full-size pass)."""
    xp = get_array_module(k[0])
    sub = xp.unravel_index(idx, shape)
    return tuple(xp.broadcast_to(c, shape)[sub] for c in k)


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


#: Where :math:`|\mathbf k\cdot\mathbf e|` is below this, an edge term is evaluated in the sinc
#: form: the phase-difference form loses :math:`2\epsilon/|\mathbf k\cdot\mathbf e|` relative
#: accuracy (2e-14 here).
PHASE_DIFFERENCE_THRESHOLD = 1e-2

#: One face edge for the edge formula: (edge vector, :math:`|e|\hat\nu`, midpoint).
_Edge = tuple[np.ndarray, np.ndarray, np.ndarray]


def _face_edges(face: Face) -> list[_Edge]:
    """The face's edges as the edge formula uses them (computed once per face, not per slab)."""
    lengths = np.linalg.norm(face.edges, axis=1)
    return list(zip(face.edges, lengths[:, None] * face.edge_normals, face.edge_midpoints))


def _face_edge_sum(face: Face, k: K, edges: list[_Edge] | None = None) -> Any:
    r""":math:`i\sum_e (\mathbf k\cdot\hat\nu_e)|e|e^{-i\mathbf k\cdot\mathbf m_e}\mathrm{sinc}(\mathbf k\cdot\mathbf e/2)`.

    With the edge's ends :math:`\mathbf a, \mathbf b = \mathbf m \mp \mathbf e/2`,
    :math:`e^{-i\mathbf k\cdot\mathbf m}\mathrm{sinc}(\mathbf k\cdot\mathbf e/2)
    = (e^{-i\mathbf k\cdot\mathbf a} - e^{-i\mathbf k\cdot\mathbf b})/(i\mathbf k\cdot\mathbf e)`.
    Summed over the polygon this is :math:`\sum_j e^{-i\mathbf k\cdot\mathbf v_j}(w_j - w_{j-1})`
    with the real ratios :math:`w_j = (\mathbf k\cdot\hat\nu_j)|e_j|/(\mathbf k\cdot\mathbf e_j)`
    of edge :math:`j` (from vertex :math:`j` to :math:`j+1`): one phase per vertex and no sine.
    Wavevectors with :math:`|\mathbf k\cdot\mathbf e_j|` < :data:`PHASE_DIFFERENCE_THRESHOLD`
    (whole planes for symmetric orientations) take edge :math:`j` in the sinc form instead.
    """
    xp = get_array_module(k[0])
    shape = _shape(k)
    ratios = []
    patches = []
    ke = xp.empty(shape)
    for e, nu, m in edges if edges is not None else _face_edges(face):
        _dot(k, e, out=ke)
        kn = _dot(k, nu)
        idx = xp.flatnonzero(xp.abs(ke) < PHASE_DIFFERENCE_THRESHOLD)
        if idx.size:
            ke_i, kn_i = ke.reshape(-1)[idx], kn.reshape(-1)[idx]
            patches.append((idx, 1j * kn_i * _sinc(0.5 * ke_i) * _phase(_take(k, shape, idx), m)))
        with np.errstate(invalid="ignore", divide="ignore"):
            xp.divide(kn, ke, out=kn)
        kn.reshape(-1)[idx] = 0.0
        ratios.append(kn)
    total = xp.zeros(shape, dtype=complex)
    term = xp.empty(shape, dtype=complex)
    coefficient = ke
    for j, vertex in enumerate(face.vertices):
        xp.subtract(ratios[j], ratios[j - 1], out=coefficient)
        _phase(k, vertex, out=term)
        term *= coefficient
        total += term
    flat = total.reshape(-1)
    for idx, values in patches:
        flat[idx] += values
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
    if k2 is None:
        k2 = k[0] ** 2 + k[1] ** 2 + k[2] ** 2
    out, _, idx = _edge_form_factor(face, k, k2, None, method == "auto")
    if idx.size:
        out.reshape(-1)[idx] = _face_series(face, _take(k, out.shape, idx), n_terms)
    return out


def _edge_form_factor(
    face: Face, k: K, k2: Any, edges: list[_Edge] | None, patch: bool
) -> tuple[Any, Any, Any]:
    """``(S_f, k.n, idx)`` by the edge formula.

    ``S_f`` is 0 at the flat indices ``idx`` where :math:`qR_f` < :data:`SERIES_THRESHOLD` (if
    ``patch``), for the caller to fill by the series.
    """
    xp = get_array_module(k[0])
    kn = _dot(k, face.normal)
    q2 = kn * kn
    xp.subtract(k2, q2, out=q2)
    out = _face_edge_sum(face, k, edges)
    idx = xp.flatnonzero(q2 < (SERIES_THRESHOLD / face.radius) ** 2) if patch else xp.arange(0)
    q2.reshape(-1)[idx] = 1.0
    out /= q2
    out.reshape(-1)[idx] = 0.0
    return out, kn, idx


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
    full = _shape(k)
    if method == "series":
        surface = xp.zeros(full, dtype=complex)
        for face in shape.faces:
            surface += _face_series(face, k, n_terms)
        return surface, _volume_series(shape, k, n_terms)
    if not full:  # one wavevector
        surface, volume = form_factors(shape, tuple(c.reshape(1) for c in k), n_terms=n_terms)
        return surface[0], volume[0]
    centre = np.asarray(shape.center, dtype=float)
    relative = [
        Face(f.vertices - centre, f.normal, f.centroid - centre, f.area) for f in shape.faces
    ]
    representatives = _centrosymmetric_representatives(relative)
    paired = representatives is not None
    faces = [(f, _face_edges(f)) for f in (representatives if paired else relative)]
    surface = xp.empty(full, dtype=complex)
    volume = xp.empty(full, dtype=complex)
    face_idx: list[list[Any]] = [[] for _ in faces]
    volume_idx = []
    # On the CPU the grid goes in slabs of its first axis that stay in cache, so that the ~10
    # passes per face edge read and write cache rather than memory; a GPU takes it whole.
    row_size = math.prod(full[1:])
    rows = full[0] if xp is not np else max(1, CHUNK_ELEMENTS // row_size)
    for start in range(0, full[0], rows):
        sl = slice(start, start + rows)
        chunk = tuple(c[sl] if c.ndim == len(full) and c.shape[0] > 1 else c for c in k)
        k2 = chunk[0] ** 2 + chunk[1] ** 2 + chunk[2] ** 2
        # Faces about the centre c, then one phase e^{-ik.c}. With a centre of symmetry, face
        # f' = -f has S_f'(k) = conj(S_f(k)) about c, so a pair adds 2 Re S_f to the surface and
        # 2i (k.n) Im S_f to the flux: half the faces are evaluated.
        dtype = float if paired else complex
        s_chunk = xp.zeros(_shape(chunk), dtype=dtype)
        flux = xp.zeros(_shape(chunk), dtype=dtype)
        for (face, edges), idx_list in zip(faces, face_idx):
            s, kn, idx = _edge_form_factor(face, chunk, k2, edges, patch=True)
            if paired:
                s_chunk += s.real
                kn *= s.imag
                flux += kn
            else:
                s_chunk += s
                s *= kn
                flux += s
            idx_list.append(idx + start * row_size)
        idx = xp.flatnonzero(k2 < (SERIES_THRESHOLD / shape.circumradius) ** 2)
        if method == "auto":
            k2.reshape(-1)[idx] = 1.0
            volume_idx.append(idx + start * row_size)
        phase = _phase(chunk, centre)
        with np.errstate(invalid="ignore", divide="ignore"):
            flux /= k2
        if paired:
            s_chunk *= 2.0
            flux *= -2.0
        else:
            flux *= 1j
        surface[sl] = phase * s_chunk
        volume[sl] = phase * flux
    flat_s, flat_v = surface.reshape(-1), volume.reshape(-1)
    for (face, _), idx_list in zip(faces, face_idx):
        idx = xp.concatenate(idx_list)
        if idx.size:
            ks = _take(k, full, idx)
            series = _face_series(face, ks, n_terms)
            phase = _phase(ks, centre)
            kn = _dot(ks, face.normal)
            if paired:
                flat_s[idx] += 2.0 * phase * series.real
                flux_i = -2.0 * phase * kn * series.imag
            else:
                flat_s[idx] += phase * series
                flux_i = 1j * phase * kn * series
            # k = 0 gives NaN here; the volume series below replaces it
            with np.errstate(invalid="ignore", divide="ignore"):
                flat_v[idx] += flux_i / (ks[0] ** 2 + ks[1] ** 2 + ks[2] ** 2)
    if volume_idx:
        idx = xp.concatenate(volume_idx)
        if idx.size:
            flat_v[idx] = _volume_series(shape, _take(k, full, idx), n_terms)
    return surface, volume


def _centrosymmetric_representatives(faces: list[Face]) -> list[Face] | None:
    """One face of each pair ``(f, -f)`` if the faces (about the centre) come in such pairs.

    Args:
        faces (list[Face]): Faces with coordinates about the polyhedron's centre.

    Returns:
        list[Face] | None: The first face of each pair, or ``None`` if some face has no mirror
        image through the centre (to 1e-12 of the size).
    """
    scale = max(float(np.max(np.abs(f.vertices))) for f in faces)
    tol = 1e-12 * scale

    def mirrored(f: Face, g: Face) -> bool:
        if len(f.vertices) != len(g.vertices) or not np.allclose(f.normal, -g.normal, atol=1e-12):
            return False
        distances = np.linalg.norm(f.vertices[:, None, :] + g.vertices[None, :, :], axis=2)
        return bool(np.all(distances.min(axis=1) <= tol))

    left = list(range(len(faces)))
    out = []
    while left:
        i = left.pop(0)
        j = next((j for j in left if mirrored(faces[i], faces[j])), None)
        if j is None:
            return None
        left.remove(j)
        out.append(faces[i])
    return out


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
