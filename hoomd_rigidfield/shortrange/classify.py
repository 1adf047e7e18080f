"""The end state of a quench: fluid, crystal, dense-fluid droplets or gel (freud, no HOOMD).

Bonds join particles closer than :math:`(1+\\lambda)\\sigma + \\delta` (the well plus a margin
for the smooth step). On that bond network:

* crystalline particles are ten Wolde solid-like: at least 7 bonds with normalised
  :math:`q_6` dot products above 0.7 :cite:`tenwolde1996` (``freud.order.SolidLiquid``);
* a cluster *percolates* when it wraps around the periodic box (a bond path from a particle
  to one of its own images);
* a particle is *dense* with at least ``dense_bonds`` bonds.

The state is ``"crystal"`` if the crystalline fraction exceeds ``crystal_fraction`` (0.3);
else ``"gel"`` if fewer than ``gel_crystal_fraction`` (0.1) of the particles are crystalline,
a cluster percolates and (when a diffusion coefficient is given) the
particles are arrested (their recent diffusion coefficient is below ``arrest_diffusion``); else ``"droplets"`` if the dense fraction exceeds ``dense_fraction``;
else ``"fluid"``. Follows freud's contract: parameters in ``__init__``, :meth:`compute` returns
``self``, results as properties that raise before the first compute :cite:`ramasubramani2020`.

Example:
    >>> import freud
    >>> box, points = freud.data.UnitCell.fcc().generate_system(4, scale=2 ** 0.5)
    >>> c = QuenchClassifier(lam=0.1).compute((box, points))
    >>> c.state, c.crystalline_fraction, c.percolating
    ('crystal', 1.0, True)
"""

from __future__ import annotations

import freud
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order

from hoomd_rigidfield.shortrange.validation import check_real

#: End states (the names of :data:`hoomd_rigidfield.shortrange.regimes.REGIMES`).
STATES = ("fluid", "crystal", "droplets", "gel")


def wrapping_clusters(
    box: freud.box.Box, points: np.ndarray, bonds: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """Which bond clusters wrap around the periodic box (percolate).

    Each cluster is unwrapped along a breadth-first spanning tree of its bonds; a bond whose
    minimum-image vector disagrees with the unwrapped positions closes a loop through the
    boundary, so the cluster is connected to its own image.

    Args:
        box (freud.box.Box): Periodic box.
        points ((N, 3) numpy.ndarray): Positions.
        bonds ((M, 2) numpy.ndarray): Bonded pairs (indices into ``points``).
        labels ((N,) numpy.ndarray): Cluster index of each particle (0 .. K-1).

    Returns:
        (K,) bool numpy.ndarray: Whether cluster k wraps.
    """
    points = np.asarray(points, dtype=float)
    labels = np.asarray(labels, dtype=int)
    n, k = len(points), int(labels.max()) + 1 if len(labels) else 0
    out = np.zeros(k, bool)
    bonds = np.asarray(bonds, dtype=int).reshape(-1, 2)
    if len(bonds) == 0:
        return out
    i, j = bonds[:, 0], bonds[:, 1]
    graph = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n)).tocsr()
    unwrapped = np.full((n, 3), np.nan)
    for cluster in np.unique(labels[i]):
        root = int(np.flatnonzero(labels == cluster)[0])
        order, parent = breadth_first_order(graph, root, directed=False, return_predecessors=True)
        unwrapped[root] = points[root]
        steps = box.wrap(points[order[1:]] - points[parent[order[1:]]])
        for node, step in zip(order[1:], steps):
            unwrapped[node] = unwrapped[parent[node]] + step
    mismatch = unwrapped[j] - unwrapped[i] - box.wrap(points[j] - points[i])
    loose = np.linalg.norm(mismatch, axis=1) > 1e-6 * min(box.L)
    out[np.unique(labels[i[loose]])] = True
    return out


class QuenchClassifier:
    """Classify a configuration of spheres with a short-range attraction (module docstring).

    Args:
        lam (float): Well width :math:`\\lambda` [:math:`\\sigma`].
        sigma (float): Core diameter.
        margin (float): Bond length beyond the well, :math:`\\delta` [:math:`\\sigma`].
        q_threshold (float): ten Wolde :math:`q_6` dot-product threshold.
        solid_bonds (int): Solid-like bonds that make a particle crystalline.
        crystal_fraction (float): Crystalline fraction above which the state is a crystal.
        gel_crystal_fraction (float): Crystalline fraction below which an arrested percolating
            network is a gel (a partly crystalline dense network is still nucleating: droplets).
        dense_bonds (int): Bonds that make a particle dense.
        dense_fraction (float): Dense fraction above which a non-percolating state is droplets.
        arrest_diffusion (float): Largest diffusion coefficient of an arrested (gel) state
            [:math:`\\sigma^2/\\tau`]; 2e-3 is 0.2 % of the free Langevin value
            :math:`kT/\\gamma` at :math:`\\gamma = 1\\,m/\\tau`.
    """

    def __init__(
        self,
        lam: float,
        *,
        sigma: float = 1.0,
        margin: float = 0.02,
        q_threshold: float = 0.7,
        solid_bonds: int = 7,
        crystal_fraction: float = 0.3,
        gel_crystal_fraction: float = 0.1,
        dense_bonds: int = 6,
        dense_fraction: float = 0.3,
        arrest_diffusion: float = 2e-3,
    ) -> None:
        self.lam = check_real("lam", lam, 0, unit="sigma")
        self.sigma = check_real("sigma", sigma, 0)
        self.margin = check_real("margin", margin, 0, low_open=False, unit="sigma")
        self.q_threshold = check_real("q_threshold", q_threshold, 0, 1)
        self.crystal_fraction_threshold = check_real("crystal_fraction", crystal_fraction, 0, 1)
        self.gel_crystal_fraction = check_real(
            "gel_crystal_fraction", gel_crystal_fraction, 0, self.crystal_fraction_threshold
        )
        self.dense_fraction_threshold = check_real("dense_fraction", dense_fraction, 0, 1)
        self.arrest_diffusion = check_real(
            "arrest_diffusion", arrest_diffusion, 0, unit="sigma^2/tau"
        )
        for name, value in (("solid_bonds", solid_bonds), ("dense_bonds", dense_bonds)):
            if isinstance(value, bool) or int(value) != value or not 1 <= value <= 12:
                raise ValueError(f"{name} must be an integer in [1, 12], got {value!r}")
        self.solid_bonds, self.dense_bonds = int(solid_bonds), int(dense_bonds)
        self._result: dict | None = None

    def __repr__(self) -> str:
        return (
            f"QuenchClassifier(lam={self.lam!r}, sigma={self.sigma!r}, margin={self.margin!r}, "
            f"q_threshold={self.q_threshold!r}, solid_bonds={self.solid_bonds!r}, "
            f"crystal_fraction={self.crystal_fraction_threshold!r}, "
            f"gel_crystal_fraction={self.gel_crystal_fraction!r}, "
            f"dense_bonds={self.dense_bonds!r}, dense_fraction={self.dense_fraction_threshold!r}, "
            f"arrest_diffusion={self.arrest_diffusion!r})"
        )

    @property
    def bond_length(self) -> float:
        """float: :math:`(1+\\lambda)\\sigma + \\delta`."""
        return (1 + self.lam) * self.sigma + self.margin

    def compute(self, system, diffusion: float | None = None) -> QuenchClassifier:
        """Classify one configuration.

        Args:
            system: Anything ``freud.locality.NeighborQuery.from_system`` accepts (a
                ``(box, points)`` tuple, a GSD frame).
            diffusion (float): Diffusion coefficient over a recent time window,
                :math:`\\langle\\Delta r^2\\rangle/6\\Delta t` [:math:`\\sigma^2/\\tau`];
                ``None``: a percolating network counts as arrested.

        Returns:
            QuenchClassifier: ``self``.
        """
        nq = freud.locality.NeighborQuery.from_system(system)
        nlist = nq.query(
            nq.points, {"r_max": self.bond_length, "exclude_ii": True}
        ).toNeighborList()
        n = len(nq.points)
        solid = freud.order.SolidLiquid(6, self.q_threshold, self.solid_bonds, normalize_q=True)
        solid.compute(nq, neighbors=nlist)
        crystalline = np.asarray(solid.num_connections) >= self.solid_bonds
        clusters = freud.cluster.Cluster().compute(nq, neighbors=nlist)
        labels = np.asarray(clusters.cluster_idx)
        pairs = np.stack([nlist.query_point_indices, nlist.point_indices], axis=1)
        pairs = pairs[pairs[:, 0] < pairs[:, 1]]
        wraps = wrapping_clusters(nq.box, nq.points, pairs, labels)
        bonds = np.bincount(nlist.query_point_indices, minlength=n)
        sizes = np.bincount(labels)
        self._result = {
            "crystalline_fraction": float(crystalline.mean()),
            "largest_cluster_fraction": float(sizes.max() / n),
            "percolating": bool(wraps.any()),
            "dense_fraction": float(np.mean(bonds >= self.dense_bonds)),
            "mean_bonds": float(bonds.mean()),
            "diffusion": None
            if diffusion is None
            else check_real("diffusion", diffusion, 0, low_open=False, unit="sigma^2/tau"),
            "crystalline": crystalline,
        }
        return self

    def _get(self, key: str):
        if self._result is None:
            raise AttributeError(f"{key} is not available before compute() is called")
        return self._result[key]

    @property
    def crystalline_fraction(self) -> float:
        """float: Fraction of ten Wolde solid-like particles."""
        return self._get("crystalline_fraction")

    @property
    def crystalline(self) -> np.ndarray:
        """(N,) bool numpy.ndarray: Which particles are solid-like."""
        return self._get("crystalline")

    @property
    def largest_cluster_fraction(self) -> float:
        """float: Fraction of the particles in the largest bond cluster."""
        return self._get("largest_cluster_fraction")

    @property
    def percolating(self) -> bool:
        """bool: A bond cluster wraps around the periodic box."""
        return self._get("percolating")

    @property
    def dense_fraction(self) -> float:
        """float: Fraction of particles with at least ``dense_bonds`` bonds."""
        return self._get("dense_fraction")

    @property
    def mean_bonds(self) -> float:
        """float: Mean number of bonds per particle."""
        return self._get("mean_bonds")

    @property
    def state(self) -> str:
        """str: One of :data:`STATES` (module docstring)."""
        if self.crystalline_fraction > self.crystal_fraction_threshold:
            return "crystal"
        diffusion = self._get("diffusion")
        arrested = diffusion is None or diffusion <= self.arrest_diffusion
        if self.percolating and arrested and self.crystalline_fraction < self.gel_crystal_fraction:
            return "gel"
        if self.dense_fraction > self.dense_fraction_threshold:
            return "droplets"
        return "fluid"
