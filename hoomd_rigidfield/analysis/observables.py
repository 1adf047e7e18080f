"""Per-particle observables of the crystal classifier: Steinhardt q4, q6, S neighbours, coherent bonds.

For every L particle and one window's neighbour scheme (:cite:`lechner2008` averaged
:math:`\\bar q_4, \\bar q_6` with ``freud.order.Steinhardt``; the number of S particles within
:math:`r_{LS}\\, d_{LL}`; the coherent bonds of the ten Wolde criterion :cite:`tenwolde1996` with
``freud.order.SolidLiquid``; the number of those S that sit on their own site, see
:func:`small_site_environment`).
"""

from __future__ import annotations

from typing import Any

import freud
import numpy as np


def estimate_d_ll(box: Any, large_points: np.ndarray, num_neighbors: int = 6) -> float:
    """Typical L-L distance: median distance from each L particle to its 6 nearest L.

    Six neighbours are the coordination of the smallest reference (NaZn13's simple-cubic L
    sublattice), so the estimate is the first-shell distance of fcc, AlB2 (c/a >= 0.9) and
    NaZn13 alike; the median of the single nearest neighbour would be biased low by thermal
    noise.

    Args:
        box: freud box or box-like.
        large_points ((N_L, 3) numpy.ndarray): Positions of the large particles.
        num_neighbors (int): Neighbours per particle, >= 1.

    Returns:
        float: :math:`d_{LL}` :math:`[\\mathrm{length}]`.
    """
    pts = np.asarray(large_points, dtype=np.float64)
    if len(pts) <= num_neighbors:
        raise ValueError(
            f"need more than {num_neighbors} large particles to estimate d_LL, got {len(pts)}"
        )
    aq = freud.locality.AABBQuery(freud.box.Box.from_box(box), pts)
    nl = aq.query(pts, {"num_neighbors": int(num_neighbors), "exclude_ii": True}).toNeighborList()
    return float(np.median(nl.distances))


def small_site_environment(
    box: Any,
    small: np.ndarray,
    r_ss: float,
    r_ss_min: float,
    d_ll: float,
    aq_small: freud.locality.AABBQuery | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """S-S environment of every S particle: coordination and crowding.

    The coordination is the number of other S within ``r_ss * d_LL``; an S is *crowded* when
    another S lies closer than ``r_ss_min * d_LL`` (two S share one site of the crystal: in the
    references the nearest S-S distance is 0.577 d_LL in AlB2 and 0.419 d_LL in NaZn13).

    Args:
        box: freud box or box-like.
        small ((N_S, 3) numpy.ndarray): Small-particle positions.
        r_ss (float): S-S coordination cutoff [d_LL], > 0.
        r_ss_min (float): S-S site exclusion distance [d_LL], in [0, r_ss].
        d_ll (float): L-L distance :math:`[\\mathrm{length}]`, > 0.
        aq_small (freud.locality.AABBQuery): Query of ``small`` to reuse (optional).

    Returns:
        tuple: ``(coordination, crowded)``, ``(N_S,)`` int and bool arrays.
    """
    small = np.asarray(small, dtype=np.float64)
    n_s = len(small)
    if n_s == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    if aq_small is None:
        aq_small = freud.locality.AABBQuery(freud.box.Box.from_box(box), small)
    nl = aq_small.query(small, {"r_max": r_ss * d_ll, "exclude_ii": True}).toNeighborList()
    i = np.asarray(nl.query_point_indices, dtype=np.int64)
    coordination = np.bincount(i, minlength=n_s)
    close = np.asarray(nl.distances) < r_ss_min * d_ll
    crowded = np.bincount(i[close], minlength=n_s) > 0
    return coordination, crowded


def particle_observables(
    box: freud.box.Box,
    large: np.ndarray,
    small: np.ndarray,
    window: Any,
    d_ll: float | None,
    aq_large: freud.locality.AABBQuery | None = None,
    aq_small: freud.locality.AABBQuery | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, freud.locality.NeighborList, np.ndarray]:
    """q4, q6, n_S, coherent bonds and S on site of every L particle under one window's neighbour scheme.

    Args:
        box (freud.box.Box): The box.
        large ((N_L, 3) numpy.ndarray): Large-particle positions.
        small ((N_S, 3) numpy.ndarray): Small-particle positions.
        window (~hoomd_rigidfield.analysis.windows.PhaseWindow): Its ``num_neighbors``,
            ``r_ls``, ``coherence_l``, ``q_threshold``, ``min_coherent_bonds``, ``r_ss``,
            ``r_ss_min`` and ``small_coordination`` set the scheme.
        d_ll (float): L-L distance :math:`[\\mathrm{length}]` (``None``: :func:`estimate_d_ll`).
        aq_large (freud.locality.AABBQuery): Query of ``large`` to reuse (optional).
        aq_small (freud.locality.AABBQuery): Query of ``small`` to reuse (optional).

    Returns:
        tuple: ``(q4, q6, n_S, coherent bonds, L-L neighbour list, n_S on site)``. The last is
        the number of the ``n_S`` shell S that sit on their own site: not crowded and with an
        S-S coordination inside ``window.small_coordination``
        (:func:`small_site_environment`); all zero when ``window.r_ss`` is 0.
    """
    if d_ll is None:
        d_ll = estimate_d_ll(box, large)
    if aq_large is None:
        aq_large = freud.locality.AABBQuery(box, large)
    nlist = aq_large.query(
        large, {"num_neighbors": window.num_neighbors, "exclude_ii": True}
    ).toNeighborList()
    q = freud.order.Steinhardt([4, 6], average=True).compute(aq_large, neighbors=nlist)
    q4, q6 = (np.array(q.particle_order[:, k], dtype=np.float64) for k in range(2))
    if len(small):
        if aq_small is None:
            aq_small = freud.locality.AABBQuery(box, small)
        nl_s = aq_small.query(large, {"r_max": window.r_ls * d_ll}).toNeighborList()
        ns = np.bincount(nl_s.query_point_indices, minlength=len(large))
    else:
        ns = np.zeros(len(large), dtype=np.int64)
    n_site = np.zeros(len(large), dtype=np.int64)
    if len(small) and window.r_ss > 0:
        coordination, crowded = small_site_environment(
            box, small, window.r_ss, window.r_ss_min, d_ll, aq_small
        )
        on_site = ~crowded
        if window.small_coordination is not None:
            lo, hi = window.small_coordination
            on_site &= (coordination >= lo) & (coordination <= hi)
        k = np.asarray(nl_s.point_indices, dtype=np.int64)
        n_site = np.bincount(
            nl_s.query_point_indices, weights=on_site[k], minlength=len(large)
        ).astype(np.int64)
    sl = freud.order.SolidLiquid(
        window.coherence_l, window.q_threshold, max(window.min_coherent_bonds, 1)
    ).compute(aq_large, neighbors=nlist)
    nc = np.asarray(sl.num_connections, dtype=np.int64)
    return q4, q6, ns, nc, nlist, n_site
