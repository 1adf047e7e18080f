r"""Scattering amplitudes of atomistic NCs and of superlattices of them.

The amplitude of an NC at scattering vector :math:`\mathbf q` (body frame) is

.. math::

    A_\mathrm{NC}(\mathbf q) = \sum_j f_{s_j}(|\mathbf q|)\, e^{-i\mathbf q\cdot\mathbf r_j}
    = \sum_s f_s(|\mathbf q|)\, P_s(\mathbf q), \qquad
    P_s(\mathbf q) = \sum_{j \in s} e^{-i\mathbf q\cdot\mathbf r_j},

so the species sums :math:`P_s` are evaluated with unit strengths and multiplied by the form
factors afterwards. :math:`P_s` is computed either directly (chunked :math:`M\times N` phase
matrices, NumPy or CuPy through :mod:`hoomd_rigidfield.backend`) or by a type-3 non-uniform FFT
(:func:`finufft.nufft3d3` :cite:`barnett2019`, ``isign = -1``), whose error is about
``tol`` relative to :math:`\sum_j |c_j|`.

A superlattice of identical NCs at centres :math:`\mathbf R_n` with rotations :math:`R_n`
(:math:`\mathbf r_\mathrm{lab} = \mathbf R_n + R_n\mathbf r_\mathrm{body}`) scatters

.. math::

    A(\mathbf q) = \sum_n e^{-i\mathbf q\cdot\mathbf R_n}\, A_\mathrm{NC}(R_n^T\mathbf q)
    = \sum_g A_\mathrm{NC}(R_g^T\mathbf q) \sum_{n\in g} e^{-i\mathbf q\cdot\mathbf R_n},

with NCs grouped by orientation :math:`g` (:math:`|R^T\mathbf q| = |\mathbf q|`, so the form
factors are evaluated once). Choice of algorithm (:func:`superlattice_amplitude`):

* the body-frame NC amplitude uses the NUFFT on the rotated :math:`\mathbf q` of all
  orientation groups stacked into batches of at most ``max_stacked_points`` targets (one
  fine-grid FFT per batch and species instead of one per group; with one orientation this is a
  single transform);
* the centre sums :math:`\sum_{n\in g} e^{-i\mathbf q\cdot\mathbf R_n}` are always direct: the
  centres span the whole superlattice (hundreds of :math:`\mathrm{\AA}`), so at WAXS
  :math:`q` a type-3 NUFFT would need a fine grid of :math:`\sim(2\sigma X q_\mathrm{max}/\pi)^3
  \approx 10^9` points, while the direct sum costs only :math:`N_\mathrm{NC} M` phases.

Measured on one (shared) core with ``benchmarks/scattering_amplitudes.py``: direct sums run at
about :math:`2\times10^7` atom-q pairs per second, the NUFFT at :math:`10^9` (tol 1e-6) and
:math:`5\times10^8` (tol 1e-9) for a 6 nm PbS NC (4481 atoms) at :math:`6.6\times10^4` q;
each NUFFT call costs a fixed :math:`\sim` 50 ms (fine-grid FFT), so the direct sum only wins
below :math:`N M \sim 10^6`. With 32 randomly oriented NCs the stacked NUFFT was 7 times
faster than one call per orientation group, and 20 times faster than direct NC sums.

CuPy data run the direct sums on the GPU; the NUFFT uses ``cufinufft`` when it is importable
and has ``nufft3d3``, otherwise the points are copied to the host for :mod:`finufft` and the
result copied back (not exercised on a GPU yet).

Example:
    >>> import numpy as np
    >>> from hoomd_rigidfield.scattering.atoms import Polyhedron, rocksalt_nc
    >>> nc = rocksalt_nc(Polyhedron.cube(2 * 5.936), 5.936)
    >>> a = nc_amplitude(nc, np.zeros((1, 3)))  # A(0) = sum of f0(0) = Z
    >>> round(float(a.real[0]))
    6158
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module, to_numpy
from hoomd_rigidfield.scattering.atoms import AtomisticNC, NCPlacement
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors
from hoomd_rigidfield.validation import check_choice, check_finite_array, check_int, check_real

#: Amplitude algorithms.
METHODS = ("direct", "nufft")

#: Default largest phase matrix of a direct-sum chunk (elements; 2**21 float64 = 16 MiB).
DEFAULT_CHUNK = 2**21

#: Default largest number of stacked NUFFT targets per transform (2**22 complex = 64 MiB).
DEFAULT_MAX_STACKED = 2**22


def _as_q(q: Any) -> tuple[Any, tuple[int, ...]]:
    a = check_finite_array("q", q)
    if a.ndim == 0 or a.shape[-1] != 3:
        raise ValueError(f"q must have shape (..., 3) (scattering vectors in A^-1), got {a.shape}")
    return a.reshape(-1, 3), a.shape[:-1]


def _check_tol(tol: float) -> float:
    return check_real("tol", tol, 1e-15, 0.1, low_open=False)


def _direct_phase_sum(r: Any, q: Any, w: Any, chunk: int) -> Any:
    xp = get_array_module(q)
    m, n = len(q), len(r)
    out = xp.zeros(m, dtype=complex)
    if m == 0 or n == 0:
        return out
    n_c = max(1, min(n, chunk))
    m_c = max(1, chunk // n_c)
    for j0 in range(0, n, n_c):
        rj = r[j0 : j0 + n_c]
        wj = None if w is None else w[j0 : j0 + n_c]
        for i0 in range(0, m, m_c):
            ph = q[i0 : i0 + m_c] @ rj.T
            c, s = xp.cos(ph), xp.sin(ph, out=ph)
            if wj is None:
                out[i0 : i0 + m_c] += c.sum(axis=1) - 1j * s.sum(axis=1)
            else:
                out[i0 : i0 + m_c] += c @ wj - 1j * (s @ wj)
    return out


def _nufft_phase_sum(r: Any, q: Any, w: Any, tol: float, nthreads: int | None) -> Any:
    xp = get_array_module(q, r)
    m, n = len(q), len(r)
    if m == 0 or n == 0:
        return xp.zeros(m, dtype=complex)
    c = xp.ones(n, dtype=complex) if w is None else xp.asarray(w, dtype=complex)
    if xp is not np:
        try:
            cufinufft = importlib.import_module("cufinufft")
            fn = cufinufft.nufft3d3
        except (ImportError, AttributeError):
            fn = None
        if fn is not None:
            cols = [xp.ascontiguousarray(a[:, k]) for a in (r, q) for k in range(3)]
            return fn(*cols[:3], xp.ascontiguousarray(c), *cols[3:], eps=tol, isign=-1)
        host = _nufft_phase_sum(to_numpy(r), to_numpy(q), to_numpy(c), tol, nthreads)
        return xp.asarray(host)
    import finufft

    kwargs = {} if nthreads is None else {"nthreads": int(nthreads)}
    cols = [np.ascontiguousarray(a[:, k], dtype=float) for a in (r, q) for k in range(3)]
    return finufft.nufft3d3(
        *cols[:3], np.ascontiguousarray(c), *cols[3:], isign=-1, eps=tol, **kwargs
    )


def phase_sum(
    positions: Any,
    q: Any,
    weights: Any = None,
    method: str = "direct",
    tol: float = 1e-6,
    chunk_size: int = DEFAULT_CHUNK,
    nthreads: int | None = None,
) -> Any:
    r"""Structure-factor amplitude :math:`\sum_j w_j e^{-i\mathbf q\cdot\mathbf r_j}`.

    With unit weights and NC centres this is the superlattice structure factor amplitude of
    point-like NCs.

    Args:
        positions ((N, 3) array): Points :math:`[\mathrm{\AA}]` (NumPy or CuPy).
        q ((..., 3) array): Scattering vectors :math:`[\mathrm{\AA}^{-1}]`.
        weights ((N,) array): Strengths (real or complex); ``None``: 1.
        method (str): ``"direct"`` or ``"nufft"``.
        tol (float): NUFFT tolerance in ``[1e-15, 0.1]``.
        chunk_size (int): Largest phase matrix of the direct sum (elements).
        nthreads (int): finufft threads (``None``: finufft's default, all cores).

    Returns:
        complex array: Shape ``q.shape[:-1]``, backend of the inputs.
    """
    qf, shape = _as_q(q)
    r = check_finite_array("positions", positions, (None, 3))
    xp = get_array_module(qf, r)
    qf, r = xp.asarray(qf), xp.asarray(r)
    w = None
    if weights is not None:
        w = xp.asarray(weights)
        if w.shape != (len(r),):
            raise ValueError(f"weights must have shape ({len(r)},), got {w.shape}")
    method = check_choice("method", method, METHODS)
    if method == "direct":
        out = _direct_phase_sum(r, qf, w, check_int("chunk_size", chunk_size, 1))
    else:
        out = _nufft_phase_sum(r, qf, w, _check_tol(tol), nthreads)
    return out.reshape(shape)


def _form_factor_table(nc: AtomisticNC, form_factors: Any, qabs: Any) -> Any:
    xp = get_array_module(qabs)
    ff = AtomicFormFactors(nc.species) if form_factors is None else form_factors
    if isinstance(ff, AtomicFormFactors) and ff.species != nc.species:
        raise ValueError(
            f"form_factors species {ff.species} must match the NC's species {nc.species}"
        )
    if not callable(ff):
        raise ValueError(f"form_factors must be AtomicFormFactors or a callable, got {ff!r}")
    table = xp.asarray(ff(qabs))
    if table.shape != (len(nc.species), *qabs.shape):
        raise ValueError(
            f"form_factors(q) must have shape {(len(nc.species), *qabs.shape)}, got {table.shape}"
        )
    return table


def _species_positions(nc: AtomisticNC, xp: Any) -> list[Any]:
    return [xp.asarray(nc.positions[nc.types == s]) for s in range(len(nc.species))]


def nc_amplitude(
    nc: AtomisticNC,
    q: Any,
    form_factors: Any = None,
    method: str = "nufft",
    tol: float = 1e-6,
    chunk_size: int = DEFAULT_CHUNK,
    nthreads: int | None = None,
) -> Any:
    r"""Amplitude :math:`A(\mathbf q) = \sum_j f_{s_j}(|\mathbf q|) e^{-i\mathbf q\cdot\mathbf r_j}` of a set of atoms.

    Applied to an NC in its body frame this is :math:`A_\mathrm{NC}`; applied to the output of
    :func:`~hoomd_rigidfield.scattering.atoms.place_ncs` it is the world-frame reference sum
    over all atoms of a superlattice.

    Args:
        nc (AtomisticNC): The atoms.
        q ((..., 3) array): Scattering vectors in the frame of ``nc.positions``
            :math:`[\mathrm{\AA}^{-1}]` (NumPy or CuPy).
        form_factors: :class:`AtomicFormFactors` for ``nc.species`` or a callable
            ``f(|q|) -> (S, *shape)``; ``None``: tabulated :math:`f^0` of ``nc.species``.
        method (str): ``"nufft"`` (default) or ``"direct"``.
        tol (float): NUFFT tolerance.
        chunk_size (int): Direct-sum chunk (phase-matrix elements).
        nthreads (int): finufft threads.

    Returns:
        complex array: :math:`A` (electrons), shape ``q.shape[:-1]``.
    """
    if not isinstance(nc, AtomisticNC):
        raise ValueError(f"nc must be an AtomisticNC, got {type(nc).__name__}")
    qf, shape = _as_q(q)
    xp = get_array_module(qf)
    table = _form_factor_table(nc, form_factors, xp.linalg.norm(qf, axis=1))
    out = xp.zeros(len(qf), dtype=complex)
    for s, r in enumerate(_species_positions(nc, xp)):
        p = phase_sum(r, qf, None, method, tol, chunk_size, nthreads)
        out += table[s] * p
    return out.reshape(shape)


def _orientation_groups(rot: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rotations (up to ``tol`` per matrix element) and each NC's group index."""
    key = np.round(rot.reshape(len(rot), 9) / tol).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return rot[first], inverse.ravel()


def superlattice_amplitude(
    nc: AtomisticNC,
    q: Any,
    placement: NCPlacement,
    form_factors: Any = None,
    method: str = "nufft",
    tol: float = 1e-6,
    chunk_size: int = DEFAULT_CHUNK,
    nthreads: int | None = None,
    max_stacked_points: int = DEFAULT_MAX_STACKED,
    orientation_tol: float = 1e-9,
) -> Any:
    r"""Amplitude of identical NCs at superlattice sites, :math:`\sum_n e^{-i\mathbf q\cdot\mathbf R_n} A_\mathrm{NC}(R_n^T\mathbf q)`.

    NCs whose rotation matrices agree to ``orientation_tol`` share one evaluation of
    :math:`A_\mathrm{NC}` (see the module docstring for the algorithm).

    Args:
        nc (AtomisticNC): The NC in its body frame.
        q ((..., 3) array): Lab-frame scattering vectors :math:`[\mathrm{\AA}^{-1}]`.
        placement (NCPlacement): Centres and orientations.
        form_factors: As in :func:`nc_amplitude`.
        method (str): Algorithm for the body-frame NC sums (``"nufft"`` or ``"direct"``); the
            centre sums are direct.
        tol (float): NUFFT tolerance.
        chunk_size (int): Direct-sum chunk (phase-matrix elements).
        nthreads (int): finufft threads.
        max_stacked_points (int): Most rotated :math:`\mathbf q` per NUFFT call.
        orientation_tol (float): Tolerance for grouping equal orientations.

    Returns:
        complex array: :math:`A(\mathbf q)` (electrons), shape ``q.shape[:-1]``.
    """
    if not isinstance(nc, AtomisticNC):
        raise ValueError(f"nc must be an AtomisticNC, got {type(nc).__name__}")
    if not isinstance(placement, NCPlacement):
        raise ValueError(f"placement must be an NCPlacement, got {type(placement).__name__}")
    method = check_choice("method", method, METHODS)
    chunk = check_int("chunk_size", chunk_size, 1)
    stack = check_int("max_stacked_points", max_stacked_points, 1)
    otol = check_real("orientation_tol", orientation_tol, 0.0, 0.1)
    qf, shape = _as_q(q)
    xp = get_array_module(qf)
    m = len(qf)
    table = _form_factor_table(nc, form_factors, xp.linalg.norm(qf, axis=1))
    rots, group = _orientation_groups(placement.rotation_matrices, otol)
    centres = xp.asarray(placement.positions)
    per_batch = max(1, stack // max(m, 1))
    out = xp.zeros(m, dtype=complex)
    species_r = _species_positions(nc, xp)
    for g0 in range(0, len(rots), per_batch):
        gs = range(g0, min(g0 + per_batch, len(rots)))
        # Centre sums of the batch's groups, S_g(q) = sum_{n in g} exp(-i q.R_n), direct.
        s_g = [
            phase_sum(
                centres[xp.asarray(np.flatnonzero(group == g))],
                qf,
                None,
                "direct",
                chunk_size=chunk,
            )
            for g in gs
        ]
        # Rotated q of the batch stacked, as row vectors: (R^T q)^T = q^T R.
        q_rot = xp.concatenate([qf @ xp.asarray(rots[g]) for g in gs])
        for s, r in enumerate(species_r):
            p = phase_sum(r, q_rot, None, method, tol, chunk, nthreads).reshape(len(gs), m)
            out += table[s] * sum(p[k] * s_g[k] for k in range(len(gs)))
    return out.reshape(shape)


class ScatteringAmplitude:
    r"""Amplitude and intensity of an NC or a superlattice of identical NCs (freud style).

    Parameters are fixed at construction; :meth:`compute` returns ``self`` and the results are
    properties.

    Args:
        method (str): ``"nufft"`` or ``"direct"`` for the NC sums.
        tol (float): NUFFT tolerance.
        form_factors: :class:`AtomicFormFactors` or callable (``None``: tabulated :math:`f^0`).
        chunk_size (int): Direct-sum chunk.
        nthreads (int): finufft threads.

    Example:
        >>> import numpy as np
        >>> from hoomd_rigidfield.scattering.atoms import Polyhedron, fcc_nc
        >>> nc = fcc_nc(Polyhedron.cube(4.078), 4.078, "Au")
        >>> amp = ScatteringAmplitude(method="direct").compute(nc, np.zeros((2, 3)))
        >>> len(nc), np.round(amp.intensity / 79.0**2, 1)  # I(0) = (13 f_Au(0))^2, f(0) = Z
        (13, array([168.9, 168.9]))
    """

    def __init__(
        self,
        method: str = "nufft",
        tol: float = 1e-6,
        form_factors: Any = None,
        chunk_size: int = DEFAULT_CHUNK,
        nthreads: int | None = None,
    ) -> None:
        self._method = check_choice("method", method, METHODS)
        self._tol = _check_tol(tol)
        self._ff = form_factors
        self._chunk = check_int("chunk_size", chunk_size, 1)
        self._nthreads = None if nthreads is None else check_int("nthreads", nthreads, 1)
        self._amplitude = None
        self._q = None

    def compute(
        self, nc: AtomisticNC, q: Any, placement: NCPlacement | None = None
    ) -> ScatteringAmplitude:
        r"""Evaluate the amplitude.

        Args:
            nc (AtomisticNC): The NC (body frame), or any atoms when ``placement`` is ``None``.
            q ((..., 3) array): Scattering vectors :math:`[\mathrm{\AA}^{-1}]`.
            placement (NCPlacement): Superlattice sites; ``None``: ``nc`` alone.

        Returns:
            ScatteringAmplitude: ``self``.
        """
        kw = {
            "form_factors": self._ff,
            "method": self._method,
            "tol": self._tol,
            "chunk_size": self._chunk,
            "nthreads": self._nthreads,
        }
        if placement is None:
            self._amplitude = nc_amplitude(nc, q, **kw)
        else:
            self._amplitude = superlattice_amplitude(nc, q, placement, **kw)
        self._q = q
        return self

    def _need(self) -> None:
        if self._amplitude is None:
            raise AttributeError("call compute() before reading results")

    @property
    def amplitude(self) -> Any:
        """Complex array: :math:`A(\\mathbf q)` [electrons], shape ``q.shape[:-1]``."""
        self._need()
        return self._amplitude

    @property
    def intensity(self) -> Any:
        """array: :math:`|A(\\mathbf q)|^2` [electrons²]."""
        self._need()
        a = self._amplitude
        return a.real**2 + a.imag**2

    @property
    def q_vectors(self) -> Any:
        """array: The scattering vectors of the last :meth:`compute`."""
        self._need()
        return self._q


def intensity(amplitude: Any) -> Any:
    """:math:`|A|^2` of a complex amplitude array (NumPy or CuPy).

    Args:
        amplitude: Complex array.

    Returns:
        array: Real :math:`|A|^2`.
    """
    return amplitude.real**2 + amplitude.imag**2


__all__ = [
    "METHODS",
    "ScatteringAmplitude",
    "intensity",
    "nc_amplitude",
    "phase_sum",
    "superlattice_amplitude",
]
