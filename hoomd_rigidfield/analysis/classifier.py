"""Crystal identification for binary nanocrystal mixtures (fcc, AlB2, NaZn13), freud style.

The *large* particles are classified (:cite:`marino2024`
reports the crystalline fraction :math:`N_\\mathrm{crys}/N_L`). For every phase window
(:class:`PhaseWindow`) and every L particle:

1. Lechner-Dellago averaged :math:`\\bar q_4, \\bar q_6`
   (``freud.order.Steinhardt([4, 6], average=True)``) on the L-only sublattice with the
   ``num_neighbors`` nearest L neighbours of the reference (12 fcc, 8 AlB2, 6 NaZn13);
2. the number of S particles within :math:`r_{LS}\\, d_{LL}`, where :math:`r_{LS}` is the
   midpoint of the first two L-S shells of the reference and :math:`d_{LL}` the measured L-L
   distance (median distance to the 6 nearest L, or given);
3. the number of coherent bonds of the ten Wolde criterion (``freud.order.SolidLiquid``,
   :math:`q_l(i)\\cdot q_l(j) > 0.7` over the same neighbours);
4. for the binary phases, how many of those S sit on their own site: no other S closer than
   ``r_ss_min * d_LL`` and an S-S coordination (within ``r_ss * d_LL``) of the reference
   (:func:`~hoomd_rigidfield.analysis.observables.small_site_environment`). Without it a
   simple-hexagonal (simple-cubic) L lattice with a *fluid* of S around it passes the AlB2
   (NaZn13) window.

A particle is of a phase when all four fall inside the window; otherwise it is ``"fluid"``.
Windows are fitted (:func:`fit_window`, :func:`fit_reference_windows`) on seeded noisy reference
lattices from :mod:`hoomd_rigidfield.analysis.lattices`; the shipped :data:`DEFAULT_WINDOWS` are that fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import freud
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.observables import estimate_d_ll, particle_observables
from hoomd_rigidfield.analysis.reference_values import FLUID
from hoomd_rigidfield.analysis.windows import DEFAULT_WINDOWS, PhaseWindow
from hoomd_rigidfield.computes import _Compute, computed_property
from hoomd_rigidfield.validation import check_finite_array, check_points


def as_lattice_system(system: Any, is_large: Any | None) -> tuple[lattices.LatticeSystem, Any]:
    """A :class:`~hoomd_rigidfield.analysis.lattices.LatticeSystem` and its mask of large particles.

    Args:
        system: A LatticeSystem, a :class:`gsd.hoomd.Frame` (types starting with ``"L"`` are
            large) or anything :meth:`freud.locality.NeighborQuery.from_system` reads (then
            ``is_large`` is required).
        is_large ((N,) bool numpy.ndarray): Mask of the large particles (``None``: from types).

    Returns:
        tuple: ``(system, is_large)``.
    """
    if isinstance(system, lattices.LatticeSystem):
        ls = system
    elif hasattr(system, "particles") and hasattr(system, "configuration"):
        ls = lattices.LatticeSystem.from_gsd_frame(system)
    else:
        if isinstance(system, tuple | list) and len(system) == 2:
            points = np.asarray(check_finite_array("points", system[1]), dtype=np.float64)
            if points.ndim != 2 or points.shape[1] != 3:
                raise ValueError(f"points must have shape (N, 3), got {points.shape}")
        try:
            query = freud.locality.NeighborQuery.from_system(system)
        except (TypeError, ValueError, AttributeError):
            raise TypeError(
                "system must be a (box, points) tuple, a freud NeighborQuery, a "
                f"gsd.hoomd.Frame or a LatticeSystem, got {type(system).__name__}"
            ) from None
        box, points = query.box, np.asarray(query.points, dtype=np.float64)
        if is_large is None:
            raise ValueError(
                "is_large is required for a (box, points) system: pass a boolean mask of the "
                "large particles (or a gsd.hoomd.Frame, whose types starting with 'L' are large)"
            )
        ls = lattices.LatticeSystem(box, box.wrap(points), np.zeros(len(points), int), ("L",))
    if is_large is None:
        mask = ls.is_large
    else:
        mask = np.asarray(is_large)
        if mask.dtype != bool or mask.shape != (ls.num_particles,):
            raise ValueError(
                f"is_large must be a boolean mask of shape ({ls.num_particles},), "
                f"got {mask.dtype} array of shape {mask.shape}"
            )
    return ls, mask


class BinaryCrystalClassifier(_Compute):
    """Classify the large particles of a binary mixture as fcc, AlB2, NaZn13 or fluid.

    Each L particle is tested against every window (:class:`PhaseWindow`) with that window's
    own neighbour scheme (module docstring). A particle inside exactly one window takes that
    phase. A particle inside several windows takes the one whose centre is nearest in units of
    the window half widths (:meth:`PhaseWindow.distance_to_centre`); with
    :data:`DEFAULT_WINDOWS` this cannot happen because their ``num_small`` ranges are disjoint.
    All other particles are ``"fluid"``.

    Crystalline particles of the same phase that are neighbours in that phase's neighbour list
    form clusters (grains, nuclei); the largest is the nucleation order parameter.

    Args:
        windows (Mapping[str, PhaseWindow]): Window per phase name (any names except
            ``"fluid"``); default :data:`DEFAULT_WINDOWS`. Restrict it (e.g. to AlB2 and NaZn13)
            to score only some phases.
        d_ll (float | Mapping[str, float]): L-L distance :math:`[\\mathrm{length}]` that scales
            the L-S cutoffs, or one per phase name (a crystal's L-L distance depends on its
            structure: at L-S contact it is :math:`\\sigma_{LS}/0.764` in AlB2 but
            :math:`\\sigma_{LS}/0.581` in NaZn13); ``None`` estimates it per frame with
            :func:`estimate_d_ll`.

    Example::

        >>> clf = BinaryCrystalClassifier().compute(lattices.alb2(4))
        >>> clf.crystalline_fraction, clf.fractions["AlB2"]
        (1.0, 1.0)
    """

    def __init__(
        self,
        windows: Mapping[str, PhaseWindow] | None = None,
        d_ll: float | Mapping[str, float] | None = None,
    ):
        windows = DEFAULT_WINDOWS if windows is None else windows
        if not isinstance(windows, Mapping) or len(windows) == 0:
            raise ValueError("windows must be a non-empty mapping of phase name -> PhaseWindow")
        for name, w in windows.items():
            if not isinstance(name, str) or name == FLUID:
                raise ValueError(f"window names must be strings other than {FLUID!r}, got {name!r}")
            if not isinstance(w, PhaseWindow):
                raise ValueError(f"window {name!r} must be a PhaseWindow, got {type(w).__name__}")
        if isinstance(d_ll, Mapping):
            missing = sorted(set(windows) - set(d_ll))
            if missing:
                raise ValueError(f"d_ll has no entry for the phases {missing}")
            scales = list(d_ll.values())
        else:
            scales = [] if d_ll is None else [d_ll]
        if not all(np.isfinite(d) and d > 0 for d in scales):
            raise ValueError(f"d_ll must be None (estimate) or lengths > 0, got {d_ll!r}")
        self._windows = dict(windows)
        if isinstance(d_ll, Mapping):
            self._d_ll = {name: float(d_ll[name]) for name in windows}
        else:
            self._d_ll = None if d_ll is None else float(d_ll)
        self._computed = False

    @property
    def windows(self) -> dict[str, PhaseWindow]:
        """dict[str, PhaseWindow]: The phase windows (a copy)."""
        return dict(self._windows)

    @property
    def d_ll(self) -> float | dict[str, float] | None:
        """L-L distance given (a float, or a dict per phase), or ``None`` (estimated)."""
        return self._d_ll

    @property
    def phase_names(self) -> tuple[str, ...]:
        """tuple[str, ...]: ``("fluid", *windows)``; :attr:`phase_code` indexes it."""
        return (FLUID, *self._windows)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(windows={self._windows!r}, d_ll={self._d_ll!r})"

    def compute(self, system: Any, is_large: Any | None = None) -> BinaryCrystalClassifier:
        """Classify the large particles of one configuration.

        Args:
            system: ``(box, points)`` (freud box or box-like, ``(N, 3)`` positions), a freud
                ``NeighborQuery``, a :class:`gsd.hoomd.Frame` (or HOOMD snapshot), or a
                :class:`~hoomd_rigidfield.analysis.lattices.LatticeSystem`.
            is_large ((N,) numpy.ndarray): Boolean mask of the large particles. Required for
                ``(box, points)``; for frames and lattice systems the default is every type
                whose name starts with ``"L"``.

        Returns:
            BinaryCrystalClassifier: ``self``.
        """
        ls, mask = as_lattice_system(system, is_large)
        box = ls.box
        if box.is2D:
            raise ValueError("BinaryCrystalClassifier needs a 3D system, got a 2D box")
        check_points(box, ls.positions, "particles")
        large, small = ls.positions[mask], ls.positions[~mask]
        n_l = len(large)
        need = max(max(w.num_neighbors for w in self._windows.values()), 6)
        if n_l <= need:
            raise ValueError(
                f"need more than {need} large particles to classify (largest neighbour count), "
                f"got {n_l}"
            )
        given = self._d_ll if self._d_ll is not None else estimate_d_ll(box, large)
        scale = given if isinstance(given, dict) else dict.fromkeys(self._windows, given)
        aq_large = freud.locality.AABBQuery(box, large)
        aq_small = freud.locality.AABBQuery(box, small) if len(small) else None
        q4s, q6s, nss, ncs, nsites, matches, dists, nlists = {}, {}, {}, {}, {}, {}, {}, {}
        for name, w in self._windows.items():
            q4, q6, ns, nc, nl, n_site = particle_observables(
                box, large, small, w, scale[name], aq_large, aq_small
            )
            q4s[name], q6s[name], nss[name], ncs[name], nlists[name] = q4, q6, ns, nc, nl
            nsites[name] = n_site
            matches[name] = w.contains(q4, q6, ns, nc, n_site)
            dists[name] = np.where(matches[name], w.distance_to_centre(q4, q6, ns), np.inf)
        names = list(self._windows)
        dist = np.stack([dists[n] for n in names], axis=1)
        best = np.argmin(dist, axis=1)
        code = np.where(np.isfinite(dist[np.arange(n_l), best]), best + 1, 0)

        # Clusters: bonds of each phase's neighbour list between two particles of that phase.
        rows, cols = [], []
        for k, name in enumerate(names, start=1):
            i = np.asarray(nlists[name].query_point_indices)
            j = np.asarray(nlists[name].point_indices)
            keep = (code[i] == k) & (code[j] == k)
            rows.append(i[keep])
            cols.append(j[keep])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_l, n_l))
        _, labels = connected_components(graph, directed=False)
        crystal = code > 0
        cluster_idx = np.full(n_l, -1, dtype=np.int64)
        if np.any(crystal):
            _, inv, sizes = np.unique(labels[crystal], return_inverse=True, return_counts=True)
            order = np.argsort(-sizes, kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            cluster_idx[crystal] = rank[inv]
            self._cluster_sizes = sizes[order]
        else:
            self._cluster_sizes = np.zeros(0, dtype=np.int64)

        self._phase_code = code
        self._q4, self._q6, self._ns, self._nc, self._matches = q4s, q6s, nss, ncs, matches
        self._n_site = nsites
        self._distance_scale = given if isinstance(given, dict) else float(given)
        self._large_indices = np.flatnonzero(mask)
        self._cluster_idx = cluster_idx
        self._computed = True
        return self

    @computed_property
    def phase_code(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Phase of each L particle as an index into :attr:`phase_names`."""
        return self._phase_code

    @computed_property
    def phase(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Phase name of each L particle (``"fluid"`` if none)."""
        return np.asarray(self.phase_names)[self._phase_code]

    @computed_property
    def large_indices(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Index in the input system of each classified L particle."""
        return self._large_indices

    @computed_property
    def num_large(self) -> int:
        """int: Number of large particles :math:`N_L`."""
        return len(self._phase_code)

    @computed_property
    def particle_q4(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Averaged :math:`\\bar q_4` per L particle, per window."""
        return self._q4

    @computed_property
    def particle_q6(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Averaged :math:`\\bar q_6` per L particle, per window."""
        return self._q6

    @computed_property
    def num_small_neighbors(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: S within ``r_ls * d_LL`` of each L particle, per window."""
        return self._ns

    @computed_property
    def num_coherent_bonds(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Coherent (ten Wolde) bonds of each L particle, per window."""
        return self._nc

    @computed_property
    def num_small_on_site(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: S on their own site among the ``num_small_neighbors``.

        Per window; zero for windows without a site criterion (``r_ss = 0``).
        """
        return self._n_site

    @computed_property
    def window_matches(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Whether each L particle is inside each window (unresolved)."""
        return self._matches

    @computed_property
    def distance_scale(self) -> float | dict[str, float]:
        """:math:`d_{LL}` used for the L-S cutoffs (a float, or a dict per phase)."""
        return self._distance_scale

    @computed_property
    def fractions(self) -> dict[str, float]:
        """dict[str, float]: Fraction of L particles in each phase (``"fluid"`` included)."""
        counts = np.bincount(self._phase_code, minlength=len(self.phase_names))
        return {n: float(c) / len(self._phase_code) for n, c in zip(self.phase_names, counts)}

    @computed_property
    def crystalline_fraction(self) -> float:
        """float: :math:`N_\\mathrm{crys}/N_L`, crystalline = any window's phase."""
        return float(np.count_nonzero(self._phase_code)) / len(self._phase_code)

    @computed_property
    def cluster_idx(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Crystalline cluster of each L particle (0 = largest, -1 fluid)."""
        return self._cluster_idx

    @computed_property
    def cluster_sizes(self) -> np.ndarray:
        """numpy.ndarray: Sizes of the crystalline clusters, largest first."""
        return self._cluster_sizes

    @computed_property
    def largest_cluster_size(self) -> int:
        """int: Number of L particles in the largest crystalline cluster (0 if none)."""
        return int(self._cluster_sizes[0]) if len(self._cluster_sizes) else 0
