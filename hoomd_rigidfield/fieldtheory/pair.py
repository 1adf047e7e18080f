"""Pair free energy of two nanocrystals versus their separation."""

from __future__ import annotations

from typing import Any

import numpy as np
from tqdm.auto import tqdm

from hoomd_rigidfield.computes import _Compute
from hoomd_rigidfield.fieldtheory.shapes import ConvexPolyhedron
from hoomd_rigidfield.fieldtheory.solver import FieldSolver
from hoomd_rigidfield.orientation import as_rotation_matrices


class PairFreeEnergy(_Compute):
    r"""Field-theory free energy of a nanocrystal pair as a function of separation.

    The first nanocrystal stays on a grid point; the second sits at :math:`r\hat d` from it. The
    interaction free energy is :math:`\Delta F(r) = F_\mathrm{pair}(r) - F_1 - F_2(r)`, where
    :math:`F_{1,2}` are the free energies of each nanocrystal alone at the same position (grid
    offset) and orientation. Subtracting the single-particle energy at the same sub-grid offset
    cancels the discretisation error of the self energy, which otherwise leaves a ripple of period
    :math:`h` in :math:`\Delta F`. Steps in :math:`r` commensurate with the grid (e.g.
    :math:`\sqrt2 h/2` along [110]) need only a few single-particle solves.

    Args:
        solver (FieldSolver): Solver that sets the electrolyte, box and grid.
        shape (ConvexPolyhedron): Body-frame shape of both nanocrystals.
        direction ((3,) array): Pair axis in the lab frame (default [110], the nearest-neighbour
            direction of an fcc superlattice).

    Example::

        pair = PairFreeEnergy(solver, TruncatedOctahedron.from_size(28.5))
        pair.compute(np.arange(32.0, 56.0, 1.0), orientation_b=rotation_about([0, 0, 1], 0.4))
        pair.interaction
    """

    def __init__(
        self, solver: FieldSolver, shape: ConvexPolyhedron, direction: Any = (1.0, 1.0, 0.0)
    ) -> None:
        if not isinstance(solver, FieldSolver):
            raise TypeError("solver must be a FieldSolver")
        if not isinstance(shape, ConvexPolyhedron):
            raise TypeError("shape must be a ConvexPolyhedron")
        d = np.asarray(direction, dtype=float)
        if d.shape != (3,) or not np.linalg.norm(d) > 0:
            raise ValueError(f"direction must be a non-zero 3-vector, got {direction!r}")
        self._solver = solver
        self._shape = shape
        self._direction = d / np.linalg.norm(d)
        self._results: dict[str, Any] | None = None

    def compute(
        self,
        separations: Any,
        orientation_a: Any = None,
        orientation_b: Any = None,
        *,
        progress: bool = True,
    ) -> PairFreeEnergy:
        """Solve the field for every separation.

        Args:
            separations ((N_r,) array): Centre-to-centre distances :math:`[\\mathrm{\\AA}]`,
                increasing (the field of one separation warm-starts the next).
            orientation_a: Orientation of the first nanocrystal (quaternion or matrix).
            orientation_b: Orientation of the second nanocrystal.
            progress (bool): Show a progress bar.

        Returns:
            PairFreeEnergy: ``self``.
        """
        r = np.asarray(separations, dtype=float)
        if r.ndim != 1 or len(r) == 0 or np.any(r <= 0):
            raise ValueError("separations must be a non-empty 1D array of positive distances")
        rot = np.concatenate(
            [as_rotation_matrices(orientation_a, 1), as_rotation_matrices(orientation_b, 1)]
        )
        h = self._solver.spacing
        pos_a = self.positions(r.max())[0]
        singles: dict[tuple, float] = {}

        def single(i: int, pos: np.ndarray) -> float:
            offset = tuple(np.round(np.mod(pos / h, 1.0), 9) % 1.0)
            if (i, offset) not in singles:
                f = self._solver.compute(self._shape, pos[None], rot[i : i + 1]).free_energy
                singles[(i, offset)] = f
            return singles[(i, offset)]

        free = np.empty(len(r))
        reference = np.empty(len(r))
        iterations = np.empty(len(r), dtype=int)
        for i, ri in enumerate(tqdm(r, desc="pair F(r)", disable=not progress, unit="r")):
            pos_b = self.positions(ri, r.max())[1]
            reference[i] = single(0, pos_a) + single(1, pos_b)
            free[i] = self._solver.compute(self._shape, np.stack([pos_a, pos_b]), rot).free_energy
            iterations[i] = self._solver.n_iterations
        self._results = {
            "separations": r,
            "free_energy": free,
            "reference": reference,
            "n_single_solves": len(singles),
            "iterations": iterations,
        }
        return self

    def positions(self, separation: float, largest: float | None = None) -> np.ndarray:
        """Centres of the two nanocrystals at a given separation.

        The first one sits on the grid point nearest to where the pair at the largest separation
        of the scan is centred in the box.

        Args:
            separation (float): Centre-to-centre distance :math:`[\\mathrm{\\AA}]`.
            largest (float): Largest separation of the scan (default: ``separation``).

        Returns:
            (2, 3) numpy.ndarray: Positions :math:`[\\mathrm{\\AA}]`.
        """
        h = self._solver.spacing
        largest = separation if largest is None else largest
        centre = np.full(3, 0.5 * self._solver.box_length)
        pos_a = h * np.round((centre - 0.5 * largest * self._direction) / h)
        return np.stack([pos_a, pos_a + separation * self._direction])

    @property
    def _computed(self) -> bool:
        return self._results is not None

    def _get(self, key: str) -> Any:
        self._require_computed(key)
        return self._results[key]

    @property
    def separations(self) -> np.ndarray:
        """(N_r,) numpy.ndarray: Centre-to-centre distances :math:`[\\mathrm{\\AA}]`."""
        return self._get("separations")

    @property
    def free_energy(self) -> np.ndarray:
        """(N_r,) numpy.ndarray: :math:`F_\\mathrm{pair}(r)` :math:`[k_BT]`."""
        return self._get("free_energy")

    @property
    def single_free_energies(self) -> np.ndarray:
        """(N_r,) numpy.ndarray: :math:`F_1 + F_2(r)`, each nanocrystal alone :math:`[k_BT]`."""
        return self._get("reference")

    @property
    def interaction(self) -> np.ndarray:
        """(N_r,) numpy.ndarray: :math:`\\Delta F(r) = F_\\mathrm{pair} - F_1 - F_2` :math:`[k_BT]`."""
        return self._get("free_energy") - self._get("reference")

    @property
    def n_iterations(self) -> np.ndarray:
        """(N_r,) numpy.ndarray: CG iterations per separation."""
        return self._get("iterations")

    @property
    def n_single_solves(self) -> int:
        """int: Single-nanocrystal solves of the last scan (one per distinct grid offset)."""
        return int(self._get("n_single_solves"))
