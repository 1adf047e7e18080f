"""Per-particle observables of the crystal classifier: Steinhardt q4, q6, S neighbours, coherent bonds.

For every L particle and one window's neighbour scheme (:cite:`lechner2008` averaged
:math:`\\bar q_4, \\bar q_6` with ``freud.order.Steinhardt``; the number of S particles within
:math:`r_{LS}\\, d_{LL}`; the coherent bonds of the ten Wolde criterion :cite:`tenwolde1996` with
``freud.order.SolidLiquid``).
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


def particle_observables(
    box: freud.box.Box,
    large: np.ndarray,
    small: np.ndarray,
    window: Any,
    d_ll: float | None,
    aq_large: freud.locality.AABBQuery | None = None,
    aq_small: freud.locality.AABBQuery | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, freud.locality.NeighborList]:
    """q4, q6, n_S and coherent bonds of every L particle under one window's neighbour scheme.

    Args:
        box (freud.box.Box): The box.
        large ((N_L, 3) numpy.ndarray): Large-particle positions.
        small ((N_S, 3) numpy.ndarray): Small-particle positions.
        window (~hoomd_rigidfield.analysis.windows.PhaseWindow): Its ``num_neighbors``, ``r_ls``, ``coherence_l``, ``q_threshold``
            and ``min_coherent_bonds`` set the scheme.
        d_ll (float): L-L distance :math:`[\\mathrm{length}]` (``None``: :func:`estimate_d_ll`).
        aq_large (freud.locality.AABBQuery): Query of ``large`` to reuse (optional).
        aq_small (freud.locality.AABBQuery): Query of ``small`` to reuse (optional).

    Returns:
        tuple: ``(q4, q6, n_S, coherent bonds, L-L neighbour list)``.
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
    sl = freud.order.SolidLiquid(
        window.coherence_l, window.q_threshold, max(window.min_coherent_bonds, 1)
    ).compute(aq_large, neighbors=nlist)
    nc = np.asarray(sl.num_connections, dtype=np.int64)
    return q4, q6, ns, nc, nlist
