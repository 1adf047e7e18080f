r"""Powder (orientationally averaged) intensities by the Debye equation.

For atoms (or NCs) :math:`m, n` with form factors :math:`f` :cite:`debye1915`,

.. math::

    I(q) = \sum_m\sum_n f_m(q) f_n^*(q)\,\frac{\sin(q r_{mn})}{q r_{mn}}
         = \sum_s N_s |f_s|^2 + \sum_{s,t} f_s f_t^*\, D_{st}(q),

with :math:`D_{st}(q) = \sum_{m\in s,\, n\in t,\, m\ne n} \mathrm{sinc}(q r_{mn})` (ordered
pairs), so that :math:`I(0) = |\sum_m f_m(0)|^2`. Seed 000 computes the powder patterns of
faceted atomistic PbS NCs in one fcc superlattice cell this way, with Debye-Waller factors
:cite:`pbs_alignment2026`.

* :func:`debye_intensity`: the exact double sum, chunked (NumPy or CuPy through the backend);
  cost :math:`\propto N^2 N_q`.
* :func:`debye_intensity_histogram`: the pair distances per species pair binned with width
  :math:`\Delta`, then :math:`D_{st}(q) = \sum_k h_{st,k}\,\mathrm{sinc}(q \bar r_k)` with
  :math:`\bar r_k` the *mean* distance of the pairs in bin :math:`k`; cost :math:`\propto N^2 +
  N_\mathrm{bins} N_q`. Expanding about the mean, the first-order terms cancel exactly and
  :math:`|\mathrm{sinc}''| \le 1/3`, so (rigorous bound)
  :math:`|I - I_\mathrm{hist}| \le \frac{(q\Delta)^2}{24}\sum_{m\ne n}|f_m f_n| \le
  \frac{(q\Delta)^2}{24}\,(\sum_m|f_m|)^2`, i.e. relative to :math:`I(0)` at most
  :math:`4\times10^{-5}` for :math:`q = 3` :math:`\mathrm{\AA}^{-1}`, :math:`\Delta = 0.01`
  :math:`\mathrm{\AA}`. (Crystals have discrete pair shells; a shell alone in its bin is exact.)
* :class:`CentreStructureFactor`: NC-centre :math:`S(q)` with
  :class:`freud.diffraction.StaticStructureFactorDebye` (its :math:`k` is our :math:`q =
  2\pi/d`; it assumes :math:`f = 1` and normalises by :math:`N`).
* :func:`centre_intensity`: NC-level :math:`I(q) = \sum_{ij} F_i F_j\,\mathrm{sinc}(q r_{ij})`
  for a non-periodic cluster, with a sphere (or any) NC form factor.

Example:
    >>> import numpy as np
    >>> two = np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    >>> np.round(debye_intensity(two, np.array([0.0, np.pi / 4])), 4)  # 2 + 2 sinc(q r)
    array([4.    , 3.2732])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module, to_numpy
from hoomd_rigidfield.scattering.atoms import AtomisticNC
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors, sphere_form_factor
from hoomd_rigidfield.validation import check_finite_array, check_int, check_positive, check_real

#: Default largest (distances x q) block of the exact sum (elements; 2**21 float64 = 16 MiB).
DEFAULT_CHUNK = 2**21

#: Default bin width of :func:`debye_intensity_histogram` :math:`[\mathrm{\AA}]`.
DEFAULT_BIN_WIDTH = 0.005


def _inputs(atoms: Any, q: Any, types: Any, form_factors: Any) -> tuple[Any, Any, np.ndarray, Any]:
    """Positions, q, types and the (S, Nq) form-factor table on the backend of the data."""
    if isinstance(atoms, AtomisticNC):
        if types is not None:
            raise ValueError("types must be None when atoms is an AtomisticNC (it has its own)")
        pos, types, species = atoms.positions, atoms.types, atoms.species
        if form_factors is None:
            form_factors = AtomicFormFactors(species)
        n_species = len(species)
    else:
        pos = check_finite_array("positions", atoms, (None, 3))
        if types is None:
            types = np.zeros(len(pos), dtype=np.int64)
        types = np.asarray(to_numpy(types))
        if types.shape != (len(pos),) or (
            types.size and not np.issubdtype(types.dtype, np.integer)
        ):
            raise ValueError(
                f"types must be ({len(pos)},) integers, got {types.dtype} {types.shape}"
            )
        if types.size and types.min() < 0:
            raise ValueError(f"types must be >= 0, got min {types.min()}")
        n_species = int(types.max()) + 1 if types.size else 1
    qa = check_finite_array("q", q)
    xp = get_array_module(pos, qa)
    qa = xp.asarray(qa)
    if qa.ndim != 1 or (qa.size and float(qa.min()) < 0):
        raise ValueError(f"q must be a 1D array of magnitudes >= 0 A^-1, got shape {qa.shape}")
    if form_factors is None:
        table = xp.ones((n_species, len(qa)))
    else:
        table = xp.asarray(form_factors(qa) if callable(form_factors) else form_factors)
        if table.ndim == 1:
            table = table[None, :]
        if table.shape != (n_species, len(qa)):
            raise ValueError(
                f"form factors must have shape ({n_species}, {len(qa)}) (species, q), "
                f"got {table.shape}"
            )
    return xp.asarray(pos), qa, types, table


def _distances(a: Any, b: Any) -> Any:
    xp = get_array_module(a)
    return xp.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1))


def _sinc_sum(d: Any, q: Any, chunk: int) -> Any:
    r"""Sum over distances ``d`` of sin(q d)/(q d), for each q."""
    xp = get_array_module(d, q)
    out = xp.zeros(len(q))
    step = max(1, chunk // max(len(q), 1))
    for k in range(0, len(d), step):
        out += xp.sinc(d[k : k + step, None] * (q[None, :] / math.pi)).sum(axis=0)
    return out


def _pair_blocks(pa: Any, pb: Any, same: bool, chunk: int):
    """Yield 1D arrays of pair distances: unordered pairs i<j when ``same``, else all pairs."""
    xp = get_array_module(pa)
    rows = max(1, chunk // max(len(pb), 1))
    for i0 in range(0, len(pa), rows):
        i1 = min(i0 + rows, len(pa))
        if same:
            d = _distances(pa[i0:i1], pb[i0:])
            j = xp.arange(i0, len(pb))[None, :]
            i = xp.arange(i0, i1)[:, None]
            yield d[j > i]
        else:
            yield _distances(pa[i0:i1], pb).ravel()


def _combine(table: Any, counts: list[int], pair_sums: dict, xp: Any) -> Any:
    """I(q) from the form-factor table, counts and unordered-pair sums per species pair."""
    out = xp.zeros(table.shape[1])
    for s, n in enumerate(counts):
        out += n * (table[s] * xp.conj(table[s])).real
    for (s, t), dsum in pair_sums.items():
        # Unordered pairs (m in s, n in t) counted once: f_s f_t* + f_t f_s* = 2 Re(f_s f_t*).
        out += 2.0 * (table[s] * xp.conj(table[t])).real * dsum
    return out


def debye_intensity(
    atoms: AtomisticNC | Any,
    q: Any,
    form_factors: Any = None,
    types: Any = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Any:
    r"""Exact Debye intensity :math:`\sum_m\sum_n f_m f_n^*\,\mathrm{sinc}(q r_{mn})`.

    Args:
        atoms: An :class:`AtomisticNC` (its species and, by default, tabulated :math:`f^0`) or
            ``(N, 3)`` positions :math:`[\mathrm{\AA}]` (NumPy or CuPy).
        q ((Nq,) array): Magnitudes :math:`[\mathrm{\AA}^{-1}]`.
        form_factors: ``None`` (tabulated for an NC, 1 for bare positions), a callable
            ``f(q) -> (S, Nq)`` (e.g. :class:`AtomicFormFactors`), or an ``(S, Nq)`` array.
        types ((N,) int array): Species index per position (bare positions only; default 0).
        chunk_size (int): Largest block of pair distances times q values (elements).

    Returns:
        (Nq,) array: :math:`I(q)` [electrons² for atomic form factors].
    """
    chunk = check_int("chunk_size", chunk_size, 1)
    pos, qa, types, table = _inputs(atoms, q, types, form_factors)
    xp = get_array_module(pos, qa)
    groups = [pos[xp.asarray(types == s)] for s in range(table.shape[0])]
    pair_sums = {}
    for s in range(len(groups)):
        for t in range(s, len(groups)):
            acc = xp.zeros(len(qa))
            for d in _pair_blocks(groups[s], groups[t], s == t, max(1, chunk // max(len(qa), 1))):
                acc += _sinc_sum(d, qa, chunk)
            pair_sums[(s, t)] = acc
    return _combine(table, [len(g) for g in groups], pair_sums, xp)


def pair_distance_histograms(
    atoms: AtomisticNC | Any,
    bin_width: float = DEFAULT_BIN_WIDTH,
    types: Any = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> dict[tuple[int, int], tuple[Any, Any]]:
    r"""Binned unordered pair distances per species pair :math:`(s \le t)`.

    Args:
        atoms: :class:`AtomisticNC` or ``(N, 3)`` positions :math:`[\mathrm{\AA}]`.
        bin_width (float): :math:`\Delta` :math:`[\mathrm{\AA}]`.
        types ((N,) int array): Species per position (bare positions only).
        chunk_size (int): Largest block of distances (elements).

    Returns:
        dict: ``{(s, t): (r, counts)}`` over the occupied bins: the mean pair distance in each
        bin :math:`[\mathrm{\AA}]` and the number of pairs in it.
    """
    width = check_positive("bin_width", bin_width, "A")
    chunk = check_int("chunk_size", chunk_size, 1)
    pos, _, types, table = _inputs(atoms, np.zeros(1), types, None)
    xp = get_array_module(pos)
    groups = [pos[xp.asarray(types == s)] for s in range(table.shape[0])]
    extent = float(xp.linalg.norm(pos.max(axis=0) - pos.min(axis=0))) if len(pos) else 0.0
    n_bins = int(extent / width) + 2
    out = {}
    for s in range(len(groups)):
        for t in range(s, len(groups)):
            h = xp.zeros(n_bins, dtype=np.int64)
            r_sum = xp.zeros(n_bins)
            for d in _pair_blocks(groups[s], groups[t], s == t, chunk):
                k = xp.minimum((d / width).astype(np.int64), n_bins - 1)
                h += xp.bincount(k, minlength=n_bins)
                r_sum += xp.bincount(k, weights=d, minlength=n_bins)
            nz = xp.flatnonzero(h)
            out[(s, t)] = (r_sum[nz] / h[nz], h[nz])
    return out


def debye_intensity_histogram(
    atoms: AtomisticNC | Any,
    q: Any,
    form_factors: Any = None,
    types: Any = None,
    bin_width: float = DEFAULT_BIN_WIDTH,
    chunk_size: int = DEFAULT_CHUNK,
) -> Any:
    r"""Debye intensity from binned pair distances (large clusters).

    Each bin enters at the mean distance of its pairs, so the error is second order in
    :math:`q\Delta` (module docstring): choose :math:`q_\mathrm{max}\Delta \ll 1`.

    Args:
        atoms: :class:`AtomisticNC` or ``(N, 3)`` positions :math:`[\mathrm{\AA}]`.
        q ((Nq,) array): Magnitudes :math:`[\mathrm{\AA}^{-1}]`.
        form_factors: As in :func:`debye_intensity`.
        types ((N,) int array): Species per position (bare positions only).
        bin_width (float): :math:`\Delta` :math:`[\mathrm{\AA}]`.
        chunk_size (int): Largest block (elements).

    Returns:
        (Nq,) array: :math:`I(q)`.
    """
    chunk = check_int("chunk_size", chunk_size, 1)
    pos, qa, types_, table = _inputs(atoms, q, types, form_factors)
    xp = get_array_module(pos, qa)
    hists = pair_distance_histograms(
        atoms, bin_width, None if isinstance(atoms, AtomisticNC) else types_, chunk
    )
    counts = [int((types_ == s).sum()) for s in range(table.shape[0])]
    pair_sums = {}
    step = max(1, chunk // max(len(qa), 1))
    for key, (r, h) in hists.items():
        w = h.astype(float)
        acc = xp.zeros(len(qa))
        for k in range(0, len(r), step):
            acc += w[k : k + step] @ xp.sinc(r[k : k + step, None] * (qa[None, :] / math.pi))
        pair_sums[key] = acc
    return _combine(table, counts, pair_sums, xp)


class CentreStructureFactor:
    r"""NC-centre :math:`S(q) = \frac1N\sum_{ij}\mathrm{sinc}(q r_{ij})` via freud's Debye.

    Wraps :class:`freud.diffraction.StaticStructureFactorDebye` (``k_values`` = our :math:`q`,
    :math:`f = 1`, :math:`S(0) = N`). Without a box the cluster is put in a cubic box three
    times its extent, so freud's minimum-image distances are the true ones.

    Args:
        num_q (int): Number of :math:`q` values (``linspace(q_min, q_max, num_q)``, ends included).
        q_max (float): Largest :math:`q` :math:`[\mathrm{\AA}^{-1}]`.
        q_min (float): Smallest :math:`q`.

    Example:
        >>> import numpy as np
        >>> sf = CentreStructureFactor(3, 1.0).compute(np.array([[0.0, 0, 0], [0, 0, 2.0]]))
        >>> np.round(sf.S_q, 4)  # (2 + 2 sinc(2q)) / 2
        array([2.    , 1.8415, 1.4546])
    """

    def __init__(self, num_q: int, q_max: float, q_min: float = 0.0) -> None:
        self._num = check_int("num_q", num_q, 2)
        self._q_min = check_real("q_min", q_min, 0.0, low_open=False, unit="A^-1")
        self._q_max = check_real("q_max", q_max, self._q_min, unit="A^-1")
        self._result = None

    def compute(self, positions: Any, box: Any = None) -> CentreStructureFactor:
        r"""Evaluate :math:`S(q)`.

        Args:
            positions ((N, 3) array): NC centres :math:`[\mathrm{\AA}]`.
            box: A freud box (periodic system; :math:`S` below :attr:`min_valid_q` is an
                artefact of the box) or ``None`` for an isolated cluster.

        Returns:
            CentreStructureFactor: ``self``.
        """
        import freud

        pos = np.asarray(to_numpy(check_finite_array("positions", positions, (None, 3))), float)
        if box is None:
            centre = 0.5 * (pos.max(axis=0) + pos.min(axis=0))
            pos = pos - centre
            size = 3.0 * float(np.max(pos.max(axis=0) - pos.min(axis=0))) + 10.0
            fbox = freud.box.Box.cube(size)
        else:
            fbox = freud.box.Box.from_box(box)
            pos = fbox.wrap(pos)
        sf = freud.diffraction.StaticStructureFactorDebye(self._num, self._q_max, self._q_min)
        sf.compute((fbox, pos))
        self._result = (
            np.asarray(sf.k_values, float),
            np.asarray(sf.S_k, float),
            0.0 if box is None else float(sf.min_valid_k),
        )
        return self

    def _need(self) -> tuple:
        if self._result is None:
            raise AttributeError("call compute() before reading results")
        return self._result

    @property
    def q(self) -> np.ndarray:
        r"""(num_q,) numpy.ndarray: :math:`q` :math:`[\mathrm{\AA}^{-1}]`."""
        return self._need()[0]

    @property
    def S_q(self) -> np.ndarray:  # noqa: N802
        """(num_q,) numpy.ndarray: :math:`S(q)`."""
        return self._need()[1]

    @property
    def min_valid_q(self) -> float:
        r"""float: freud's smallest trustworthy :math:`q` (0 for an isolated cluster)."""
        return self._need()[2]


def centre_intensity(
    centres: Any,
    q: Any,
    radius: float | None = None,
    form_factor: Callable[[Any], Any] | Any = None,
    types: Any = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Any:
    r"""NC-level Debye intensity :math:`\sum_{ij} F_i(q) F_j(q)\,\mathrm{sinc}(q r_{ij})` of a cluster.

    Args:
        centres ((N, 3) array): NC centres :math:`[\mathrm{\AA}]`.
        q ((Nq,) array): Magnitudes :math:`[\mathrm{\AA}^{-1}]`.
        radius (float): Sphere radius :math:`[\mathrm{\AA}]`: :math:`F` is
            :func:`~hoomd_rigidfield.scattering.formfactors.sphere_form_factor` (volume units).
        form_factor: Instead of ``radius``: callable ``F(q) -> (S, Nq)`` or ``(Nq,)``, or an
            array of that shape, with ``types`` selecting the row of each NC.
        types ((N,) int array): NC type per centre.
        chunk_size (int): Largest block (elements).

    Returns:
        (Nq,) array: :math:`I(q)`; with neither ``radius`` nor ``form_factor``, :math:`N S(q)`.
    """
    if radius is not None and form_factor is not None:
        raise ValueError("give radius or form_factor, not both")
    if radius is not None:
        r = check_positive("radius", radius, "A")

        def form_factor(qq: Any) -> Any:
            return sphere_form_factor(qq, r)[None, :]

    return debye_intensity(centres, q, form_factor, types, chunk_size)
