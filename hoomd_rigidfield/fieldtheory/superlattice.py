"""Face-centred cubic nanocrystal superlattices and their orientational phases :cite:`pbs_alignment2026`.

The orientational phases of truncated octahedra on an fcc lattice are told apart by the mean
alignment :math:`\\langle s\\rangle` (:func:`~hoomd_rigidfield.orientation.alignment_order_parameter`)
with the paper's thresholds, and represented by three configurations in which all nanocrystals
share one orientation.
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.fieldtheory.shapes import ConvexPolyhedron
from hoomd_rigidfield.fieldtheory.solver import FieldSolver
from hoomd_rigidfield.orientation import alignment_order_parameter, rotation_about

#: The orientational phases, from least to most aligned with the cubic axes.
PHASES = ("face-to-face", "diagonal", "edge-to-edge")
#: Upper bounds of :math:`\langle s\rangle` for the first two phases (paper: <= 0.6 face-to-face,
#: 0.6-0.85 diagonal, > 0.85 edge-to-edge).
PHASE_THRESHOLDS = (0.6, 0.85)

_FCC_BASIS = np.array([[0.0, 0.0, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]])


def fcc_sites(lattice_constant: float, n_cells: int = 1) -> np.ndarray:
    """Sites of an ``n_cells``-cubed block of conventional fcc cells.

    Args:
        lattice_constant (float): Cubic lattice constant :math:`a` :math:`[\\mathrm{\\AA}]`.
        n_cells (int): Cells per side; the periodic box has side ``n_cells * a``.

    Returns:
        (4 n_cells^3, 3) numpy.ndarray: Site positions in :math:`[0, n a)^3`.
    """
    if not lattice_constant > 0:
        raise ValueError(f"lattice_constant must be positive, got {lattice_constant!r}")
    if int(n_cells) != n_cells or n_cells < 1:
        raise ValueError(f"n_cells must be a positive integer, got {n_cells!r}")
    cells = np.stack(np.meshgrid(*[np.arange(int(n_cells))] * 3, indexing="ij"), axis=-1).reshape(
        -1, 1, 3
    )
    return ((cells + _FCC_BASIS[None]) * float(lattice_constant)).reshape(-1, 3)


def representative_orientation(phase: str) -> np.ndarray:
    """Rotation matrix of the configuration that represents an orientational phase.

    * ``"edge-to-edge"``: the identity; hexagon-hexagon edges point along the <110>
      nearest-neighbour directions (:math:`s = 1`).
    * ``"diagonal"``: body [111] turned onto lab [110] (a hexagon faces a nearest neighbour,
      :math:`s = 0.633`).
    * ``"face-to-face"``: 45 degrees about [001]; square faces face the [110] neighbours
      (:math:`s = \\sqrt2 - 1`).

    Args:
        phase (str): One of :data:`PHASES`.

    Returns:
        (3, 3) numpy.ndarray: Rotation matrix (body to lab).
    """
    if phase == "edge-to-edge":
        return np.eye(3)
    if phase == "face-to-face":
        return rotation_about([0.0, 0.0, 1.0], np.pi / 4)
    if phase == "diagonal":
        body, lab = np.ones(3) / np.sqrt(3.0), np.array([1.0, 1.0, 0.0]) / np.sqrt(2.0)
        return rotation_about(np.cross(body, lab), np.arccos(body @ lab))
    raise ValueError(f"phase must be one of {PHASES}, got {phase!r}")


def classify_alignment(mean_s: float | np.ndarray) -> np.ndarray:
    """Orientational phase from the mean alignment :math:`\\langle s\\rangle`.

    Args:
        mean_s: :math:`\\langle s\\rangle` (scalar or array), in [0, 1].

    Returns:
        numpy.ndarray: Phase names (:data:`PHASES`), same shape as ``mean_s``.
    """
    s = np.asarray(mean_s, dtype=float)
    if np.any(~np.isfinite(s)) or np.any(s < -1e-12) or np.any(s > 1 + 1e-12):
        raise ValueError(f"mean alignment must lie in [0, 1], got {mean_s!r}")
    return np.asarray(PHASES)[np.searchsorted(PHASE_THRESHOLDS, s, side="left")]


def phase_of(orientations: np.ndarray) -> str:
    """Orientational phase of one configuration from its mean alignment.

    Args:
        orientations: ``(N, 4)`` quaternions or ``(N, 3, 3)`` rotation matrices.

    Returns:
        str: One of :data:`PHASES`.
    """
    return str(classify_alignment(alignment_order_parameter(orientations).mean()))


def representative_free_energies(
    solver: FieldSolver,
    shape: ConvexPolyhedron,
    lattice_constant: float,
    n_cells: int = 1,
    phases: tuple[str, ...] = PHASES,
) -> dict[str, float]:
    """Free energies of the representative configurations of the orientational phases.

    All nanocrystals sit on fcc sites with the orientation of :func:`representative_orientation`
    (:cite:`pbs_alignment2026`, SI Fig. S19B). The solver's box must be ``n_cells * lattice_constant``.

    Args:
        solver (FieldSolver): Electrolyte and grid (its cached form factors are reused, so a scan
            over electrolytes with one solver costs only the solves).
        shape (ConvexPolyhedron): Nanocrystal shape (body frame).
        lattice_constant (float): fcc lattice constant :math:`[\\mathrm{\\AA}]`.
        n_cells (int): fcc cells per side.
        phases: Phases to evaluate (default all :data:`PHASES`).

    Returns:
        dict[str, float]: Free energy :math:`F` of each phase's configuration :math:`[k_BT]`.

    Raises:
        ValueError: If the solver's box does not hold ``n_cells`` cells.
        OverlapError: If a configuration makes nanocrystals overlap.
    """
    box = n_cells * lattice_constant
    if abs(solver.box_length - box) > 1e-9 * box:
        raise ValueError(
            f"solver box L = {solver.box_length} A must equal n_cells * lattice_constant = {box} A"
        )
    sites = fcc_sites(lattice_constant, n_cells)
    out = {}
    for phase in phases:
        solver.compute(shape, sites, representative_orientation(phase))
        out[phase] = solver.free_energy
    return out
