"""Reference lattices for the crystal classifiers: one- and two-component periodic crystals.

Every builder returns a :class:`LatticeSystem` (a freud box, positions centred on the origin,
type ids and type names) that can be fed to freud, to
:class:`~hoomd_rigidfield.analysis.crystals.BinaryCrystalClassifier`, or written to a GSD file
(:meth:`LatticeSystem.to_gsd_frame`) and opened in OVITO.

Type names follow the study convention: a particle is *large* when its type name starts with
``"L"`` (``"L"``, ``"S"`` for monodisperse runs, ``"L0"``..``"L12"``, ``"S0"``..``"S12"`` for
polydisperse bins).

Lattices are generated with :class:`freud.data.UnitCell` (the unit cell is stored as a freud box
plus fractional basis positions and replicated by freud). Two conventions matter:

* Hexagonal cells use a freud box with tilt ``xy = 1/sqrt(3)``, which puts the in-plane lattice
  vectors at **60 degrees** (not the 120 degrees of the International Tables). Wyckoff positions
  are translated accordingly: the trigonal holes are at (1/3, 1/3) and (2/3, 2/3).
* freud computes in single precision, so positions are exact to about ``1e-7`` relative.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import freud
import gsd.hoomd
import numpy as np

#: Ideal hcp axial ratio :math:`c/a = \sqrt{8/3}`.
HCP_C_OVER_A = float(np.sqrt(8.0 / 3.0))
#: Wyckoff parameters (y, z) of the 96i Zn sites of NaZn13 (Fm-3c) used by default; they put
#: the 24 S neighbours of an L particle on one shell at 0.581 d_LL.
NAZN13_YZ = (0.1806, 0.1192)

_TILT_60 = 1.0 / np.sqrt(3.0)


@dataclasses.dataclass(frozen=True, eq=False)
class LatticeSystem:
    """A periodic configuration of typed point particles.

    Args:
        box (freud.box.Box): Periodic simulation box.
        positions ((N, 3) numpy.ndarray): Positions inside the box, freud convention (box centred
            on the origin; ``z = 0`` in 2D) :math:`[\\mathrm{length}]`.
        typeid ((N,) numpy.ndarray): Index of each particle's type in ``types``.
        types (tuple[str, ...]): Type names, e.g. ``("L", "S")``.

    The arrays are stored as read-only copies.
    """

    box: freud.box.Box
    positions: np.ndarray
    typeid: np.ndarray
    types: tuple[str, ...]

    def __post_init__(self):
        box = freud.box.Box.from_box(self.box)
        pos = np.array(self.positions, dtype=np.float64)
        if pos.ndim != 2 or pos.shape[1] != 3:
            raise ValueError(f"positions must have shape (N, 3), got {pos.shape}")
        if not np.all(np.isfinite(pos)):
            raise ValueError("positions must be finite")
        typeid = np.array(self.typeid)
        if typeid.shape != (len(pos),):
            raise ValueError(
                f"typeid must have shape ({len(pos)},) to match positions, got {typeid.shape}"
            )
        if typeid.size and not np.issubdtype(typeid.dtype, np.integer):
            raise ValueError(f"typeid must hold integers, got dtype {typeid.dtype}")
        types = tuple(str(t) for t in self.types)
        if len(types) == 0:
            raise ValueError("types must name at least one type")
        if typeid.size and (typeid.min() < 0 or typeid.max() >= len(types)):
            raise ValueError(
                f"typeid must lie in [0, {len(types) - 1}] (len(types) = {len(types)}), "
                f"got range [{typeid.min()}, {typeid.max()}]"
            )
        if box.is2D and pos.size and np.any(pos[:, 2] != 0):
            raise ValueError("positions in a 2D box must have z = 0")
        pos.setflags(write=False)
        typeid = typeid.astype(np.int64)
        typeid.setflags(write=False)
        object.__setattr__(self, "box", box)
        object.__setattr__(self, "positions", pos)
        object.__setattr__(self, "typeid", typeid)
        object.__setattr__(self, "types", types)

    @property
    def num_particles(self) -> int:
        """int: Number of particles :math:`N`."""
        return len(self.positions)

    @property
    def is_large(self) -> np.ndarray:
        """(N,) numpy.ndarray: ``True`` for particles whose type name starts with ``"L"``."""
        return np.array([t.startswith("L") for t in self.types], dtype=bool)[self.typeid]

    @property
    def number_density(self) -> float:
        """float: Particles per volume (per area in 2D) :math:`[\\mathrm{length}^{-d}]`."""
        return self.num_particles / self.box.volume

    def type_mask(self, name: str) -> np.ndarray:
        """Boolean mask of the particles of one type.

        Args:
            name (str): Type name; must be one of :attr:`types`.

        Returns:
            (N,) numpy.ndarray: ``True`` where the particle has type ``name``.
        """
        if name not in self.types:
            raise ValueError(f"type {name!r} is not one of {self.types}")
        return self.typeid == self.types.index(name)

    def as_system(self) -> tuple[freud.box.Box, np.ndarray]:
        """The ``(box, points)`` tuple freud accepts as a system."""
        return self.box, self.positions

    def with_noise(self, sigma: float, rng: Any = None) -> LatticeSystem:
        """A copy with Gaussian displacements, wrapped back into the box.

        Args:
            sigma (float): Standard deviation of the displacement of each Cartesian component
                (x, y, and z in 3D) :math:`[\\mathrm{length}]`, >= 0.
            rng: :class:`numpy.random.Generator` or seed for :func:`numpy.random.default_rng`.

        Returns:
            LatticeSystem: Displaced copy (same box, types and type ids).
        """
        if not np.isfinite(sigma) or sigma < 0:
            raise ValueError(f"sigma must be a finite length >= 0, got {sigma!r}")
        rng = np.random.default_rng(rng)
        noise = rng.normal(0.0, float(sigma), size=self.positions.shape)
        if self.box.is2D:
            noise[:, 2] = 0.0
        pos = self.box.wrap(self.positions + noise)
        return LatticeSystem(self.box, pos, self.typeid, self.types)

    def to_gsd_frame(self) -> gsd.hoomd.Frame:
        """The configuration as a :class:`gsd.hoomd.Frame` (box, N, position, typeid, types).

        Returns:
            gsd.hoomd.Frame: Frame ready for :func:`gsd.hoomd.open` ``(..., "w").append``.
        """
        frame = gsd.hoomd.Frame()
        b = self.box
        frame.configuration.box = [b.Lx, b.Ly, b.Lz, b.xy, b.xz, b.yz]
        frame.configuration.dimensions = b.dimensions
        frame.particles.N = self.num_particles
        frame.particles.position = self.positions.astype(np.float32)
        frame.particles.typeid = self.typeid.astype(np.uint32)
        frame.particles.types = list(self.types)
        return frame

    @property
    def points(self) -> np.ndarray:
        """(N, 3) numpy.ndarray: The positions, by the name freud's ``from_system`` reads."""
        return self.positions

    @classmethod
    def from_gsd_frame(cls, frame: Any) -> LatticeSystem:
        """Build a :class:`LatticeSystem` from a :class:`gsd.hoomd.Frame` or a HOOMD snapshot.

        Args:
            frame: Object with ``configuration.box`` and ``particles.{position, typeid, types}``.

        Returns:
            LatticeSystem: The same configuration (positions wrapped into the box).
        """
        box = freud.box.Box.from_box(
            frame.configuration.box, dimensions=getattr(frame.configuration, "dimensions", None)
        )
        n = int(frame.particles.N)
        pos = np.asarray(frame.particles.position, dtype=np.float64).reshape(n, 3)
        typeid = frame.particles.typeid
        typeid = np.zeros(n, dtype=np.int64) if typeid is None else np.asarray(typeid)
        types = tuple(frame.particles.types) if frame.particles.types is not None else ("A",)
        pos = box.wrap(pos) if n else pos
        return cls(box, pos, typeid, types)


def _check_n_cells(n_cells: Any) -> int:
    if isinstance(n_cells, bool) or int(n_cells) != n_cells or n_cells < 1:
        raise ValueError(f"n_cells must be an integer >= 1 (replicas per side), got {n_cells!r}")
    return int(n_cells)


def _check_positive(name: str, value: Any) -> float:
    if isinstance(value, bool) or not np.isfinite(value) or not value > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def _replicate(
    cell: freud.data.UnitCell,
    basis_typeid: Any,
    types: tuple[str, ...],
    n_cells: int,
    scale: float,
) -> LatticeSystem:
    """Replicate a unit cell ``n_cells`` times per side (``n_cells**2`` cells in 2D)."""
    box, pos = cell.generate_system(num_replicas=n_cells, scale=scale)
    # freud orders the output like numpy.repeat over the basis positions.
    n_rep = n_cells ** (2 if cell.box.is2D else 3)
    typeid = np.repeat(np.asarray(basis_typeid, dtype=np.int64), n_rep)
    pos = np.asarray(pos, dtype=np.float64)
    if cell.box.is2D:
        pos[:, 2] = 0.0
    return LatticeSystem(box, pos, typeid, types)


def _hexagonal_box(c_over_a: float) -> freud.box.Box:
    """Hexagonal cell with a = 1 and the in-plane vectors a1, a2 at 60 degrees (tilt xy > 0)."""
    return freud.box.Box(Lx=1.0, Ly=np.sqrt(3.0) / 2.0, Lz=c_over_a, xy=_TILT_60)


def fcc(n_cells: int, d_ll: float = 1.0) -> LatticeSystem:
    """Face-centred cubic crystal of large particles (conventional cubic cell, 4 sites).

    Args:
        n_cells (int): Conventional cells per side, >= 1.
        d_ll (float): Nearest-neighbour distance :math:`[\\mathrm{length}]`, > 0
            (cubic lattice constant :math:`a = \\sqrt{2}\\, d`).

    Returns:
        LatticeSystem: ``4 n_cells^3`` particles of type ``"L"``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    return _replicate(freud.data.UnitCell.fcc(), [0] * 4, ("L",), n, d * np.sqrt(2.0))


def bcc(n_cells: int, d_ll: float = 1.0) -> LatticeSystem:
    """Body-centred cubic crystal (conventional cubic cell, 2 sites).

    Args:
        n_cells (int): Conventional cells per side, >= 1.
        d_ll (float): Nearest-neighbour distance :math:`[\\mathrm{length}]`, > 0
            (:math:`a = 2 d / \\sqrt{3}`).

    Returns:
        LatticeSystem: ``2 n_cells^3`` particles of type ``"L"``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    return _replicate(freud.data.UnitCell.bcc(), [0, 0], ("L",), n, 2.0 * d / np.sqrt(3.0))


def simple_cubic(n_cells: int, d_ll: float = 1.0) -> LatticeSystem:
    """Simple cubic crystal.

    Args:
        n_cells (int): Cells per side, >= 1.
        d_ll (float): Lattice constant = nearest-neighbour distance :math:`[\\mathrm{length}]`.

    Returns:
        LatticeSystem: ``n_cells^3`` particles of type ``"L"``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    return _replicate(freud.data.UnitCell.sc(), [0], ("L",), n, d)


def hcp(n_cells: int, d_ll: float = 1.0) -> LatticeSystem:
    """Hexagonal close-packed crystal with the ideal axial ratio :data:`HCP_C_OVER_A`.

    freud has no built-in hcp cell; the two-site hexagonal cell is (0, 0, 0) and
    (1/3, 1/3, 1/2) in the 60-degree setting of :func:`_hexagonal_box`.

    Args:
        n_cells (int): Hexagonal cells per side, >= 1.
        d_ll (float): Nearest-neighbour distance :math:`[\\mathrm{length}]`, > 0.

    Returns:
        LatticeSystem: ``2 n_cells^3`` particles of type ``"L"``; every one has 12 neighbours
        at ``d_ll``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    cell = freud.data.UnitCell(_hexagonal_box(HCP_C_OVER_A), [[0.0, 0.0, 0.0], [1 / 3, 1 / 3, 0.5]])
    return _replicate(cell, [0, 0], ("L",), n, d)


def simple_hexagonal(n_cells: int, d_ll: float = 1.0, c_over_a: float = 1.0) -> LatticeSystem:
    """Simple hexagonal crystal (the L sublattice of AlB2).

    Args:
        n_cells (int): Hexagonal cells per side, >= 1.
        d_ll (float): In-plane lattice constant :math:`a` :math:`[\\mathrm{length}]`, > 0 (the
            nearest-neighbour distance when ``c_over_a >= 1``).
        c_over_a (float): Axial ratio :math:`c/a`, > 0.

    Returns:
        LatticeSystem: ``n_cells^3`` particles of type ``"L"``; for ``c_over_a = 1`` each has 6
        in-plane and 2 axial neighbours at ``d_ll``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    ca = _check_positive("c_over_a", c_over_a)
    cell = freud.data.UnitCell(_hexagonal_box(ca), [[0.0, 0.0, 0.0]])
    return _replicate(cell, [0], ("L",), n, d)


def alb2(n_cells: int, d_ll: float = 1.0, c_over_a: float = 1.0) -> LatticeSystem:
    """AlB2 binary superlattice (P6/mmm), L on Al (1a) and S on B (2d) sites.

    The L particles form a simple hexagonal lattice; the S particles sit in the trigonal
    prismatic holes at :math:`z = c/2` and form graphitic honeycomb layers. In the 60-degree
    cell used here the 2d sites are (1/3, 1/3, 1/2) and (2/3, 2/3, 1/2) (the textbook
    (1/3, 2/3, 1/2), (2/3, 1/3, 1/2) assume a 120-degree cell and would put S on top of L).

    For ``c_over_a = 1`` each L has 8 L at ``d_ll`` (6 in-plane, 2 axial) and 12 S at
    :math:`\\sqrt{1/3 + 1/4}\\, d = 0.7638\\, d`; each S has 3 S at :math:`d/\\sqrt3` and
    6 L at 0.7638 d.

    Args:
        n_cells (int): Hexagonal cells per side, >= 1.
        d_ll (float): In-plane L-L distance :math:`a` :math:`[\\mathrm{length}]`, > 0.
        c_over_a (float): Axial ratio :math:`c/a`, > 0 (nanocrystal AlB2 has about 1).

    Returns:
        LatticeSystem: ``3 n_cells^3`` particles, types ``("L", "S")``, composition 1:2.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    ca = _check_positive("c_over_a", c_over_a)
    cell = freud.data.UnitCell(
        _hexagonal_box(ca), [[0.0, 0.0, 0.0], [1 / 3, 1 / 3, 0.5], [2 / 3, 2 / 3, 0.5]]
    )
    return _replicate(cell, [0, 1, 1], ("L", "S"), n, d)


def _nazn13_basis(y: float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Fractional coordinates and type ids of the 112 sites of the conventional NaZn13 cell."""
    f_centring = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    # 8a (Na -> L): (1/4, 1/4, 1/4) + F and (3/4, 3/4, 3/4) + F = all (1/4 or 3/4)^3.
    large = (np.array([[0.25] * 3, [0.75] * 3])[:, None] + f_centring[None]).reshape(-1, 3)
    # 8b (Zn_I -> S_I): (0, 0, 0) + F and (1/2, 1/2, 1/2) + F = all (0 or 1/2)^3.
    centres = (np.array([[0.0] * 3, [0.5] * 3])[:, None] + f_centring[None]).reshape(-1, 3)
    # 96i (Zn_II -> S_II): icosahedron (0, +-y, +-z) and cyclic permutations around each 8b
    # site. The c-glide of Fm-3c rotates the icosahedra of the (1/2,1/2,1/2) + F sites by 90
    # degrees relative to those of the (0,0,0) + F sites: (y, z) -> (z, y).
    shells = []
    for c in centres:
        parity = round(2 * c.sum()) % 2
        u, v = (y, z) if parity == 0 else (z, y)
        ico = []
        for su in (1, -1):
            for sv in (1, -1):
                base = np.array([0.0, su * u, sv * v])
                ico.extend(np.roll(base, k) for k in range(3))
        shells.append(c + np.array(ico))
    small_ii = np.concatenate(shells)
    frac = np.concatenate([large, centres, small_ii]) % 1.0
    typeid = np.repeat([0, 1, 1], [len(large), len(centres), len(small_ii)])
    return frac, typeid


def nazn13(
    n_cells: int, d_ll: float = 1.0, y: float = NAZN13_YZ[0], z: float = NAZN13_YZ[1]
) -> LatticeSystem:
    """NaZn13 binary superlattice (Fm-3c), L on Na (8a), S on Zn_I (8b) and Zn_II (96i).

    Conventional cubic cell of side :math:`a = 2 d_{LL}` with 112 sites: 8 L on a simple-cubic
    sublattice of spacing ``d_ll``, 8 S_I at the centres of the L cubes, and 96 S_II forming a
    (slightly distorted) icosahedron of 12 S around each S_I; neighbouring icosahedra are
    rotated by 90 degrees. With the default Wyckoff parameters each L has 6 L at ``d_ll`` and 24
    S at 0.581 ``d_ll`` (a snub cube), each S_I has 12 S_II at 0.433 ``d_ll``.

    freud has no built-in NaZn13 cell; the 112 fractional positions are generated here from the
    Wyckoff sites and replicated with :class:`freud.data.UnitCell`.

    Args:
        n_cells (int): Conventional cells per side, >= 1.
        d_ll (float): L-L nearest-neighbour distance :math:`[\\mathrm{length}]`, > 0.
        y (float): Wyckoff y of the 96i site, in (0, 0.25).
        z (float): Wyckoff z of the 96i site, in (0, 0.25).

    Returns:
        LatticeSystem: ``112 n_cells^3`` particles, types ``("L", "S")``, composition 1:13; the
        first ``8 n_cells^3`` S (after the L) are the icosahedron centres S_I.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d_ll", d_ll)
    for name, value in (("y", y), ("z", z)):
        if not 0.0 < value < 0.25:
            raise ValueError(f"Wyckoff parameter {name} must lie in (0, 0.25), got {value!r}")
    frac, typeid = _nazn13_basis(float(y), float(z))
    cell = freud.data.UnitCell(freud.box.Box.cube(1.0), frac)
    return _replicate(cell, typeid, ("L", "S"), n, 2.0 * d)


def nazn13_centre_mask(system: LatticeSystem) -> np.ndarray:
    """Mask of the icosahedron-centre S_I particles of a perfect :func:`nazn13` system.

    Args:
        system (LatticeSystem): Output of :func:`nazn13` (possibly with noise; order is kept).

    Returns:
        (N,) numpy.ndarray: ``True`` for the S_I particles.
    """
    n_l = int(np.count_nonzero(system.is_large))
    if n_l * 14 != system.num_particles:
        raise ValueError(
            f"not a NaZn13 system: {n_l} large of {system.num_particles} particles (need 1:13)"
        )
    mask = np.zeros(system.num_particles, dtype=bool)
    mask[n_l : 2 * n_l] = True
    return mask


def square(n_cells: int, d: float = 1.0) -> LatticeSystem:
    """Two-dimensional square lattice (freud 2D box, ``z = 0``).

    Args:
        n_cells (int): Cells per side, >= 1.
        d (float): Lattice constant = nearest-neighbour distance :math:`[\\mathrm{length}]`.

    Returns:
        LatticeSystem: ``n_cells^2`` particles of type ``"L"``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d", d)
    return _replicate(freud.data.UnitCell.square(), [0], ("L",), n, d)


def triangular(n_cells: int, d: float = 1.0) -> LatticeSystem:
    """Two-dimensional triangular (hexagonal) lattice (freud 2D box, ``z = 0``).

    Uses freud's rectangular two-site cell ``UnitCell.hex()`` (1 x sqrt(3)), so the box is
    rectangular with aspect ratio sqrt(3).

    Args:
        n_cells (int): Rectangular cells per side, >= 1.
        d (float): Nearest-neighbour distance :math:`[\\mathrm{length}]`, > 0.

    Returns:
        LatticeSystem: ``2 n_cells^2`` particles of type ``"L"``, 6 neighbours each at ``d``.
    """
    n, d = _check_n_cells(n_cells), _check_positive("d", d)
    return _replicate(freud.data.UnitCell.hex(), [0, 0], ("L",), n, d)


def ideal_gas(n_large: int, n_small: int, box: Any, rng: Any = None) -> LatticeSystem:
    """Uniformly random binary mixture (the negative control of every classifier).

    Args:
        n_large (int): Number of ``"L"`` particles, >= 0.
        n_small (int): Number of ``"S"`` particles, >= 0.
        box: :class:`freud.box.Box` or box-like (``[Lx, Ly, Lz, xy, xz, yz]``, ...).
        rng: :class:`numpy.random.Generator` or seed for :func:`numpy.random.default_rng`.

    Returns:
        LatticeSystem: ``n_large`` L followed by ``n_small`` S, types ``("L", "S")``.
    """
    for name, value in (("n_large", n_large), ("n_small", n_small)):
        if isinstance(value, bool) or int(value) != value or value < 0:
            raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
    box = freud.box.Box.from_box(box)
    rng = np.random.default_rng(rng)
    n = int(n_large) + int(n_small)
    frac = rng.random((n, 3))
    if box.is2D:
        frac[:, 2] = 0.0
    pos = box.make_absolute(frac) if n else np.zeros((0, 3))
    if box.is2D:
        pos[:, 2] = 0.0
    typeid = np.repeat([0, 1], [int(n_large), int(n_small)])
    return LatticeSystem(box, pos, typeid, ("L", "S"))


def _selection(system: LatticeSystem, which: str | np.ndarray) -> np.ndarray:
    if isinstance(which, str):
        return system.type_mask(which)
    mask = np.asarray(which)
    if mask.dtype != bool or mask.shape != (system.num_particles,):
        raise ValueError(
            "a selection must be a type name or a boolean mask of shape "
            f"({system.num_particles},), "
            f"got {mask.dtype} array of shape {mask.shape}"
        )
    return mask


def shell_distances(
    system: LatticeSystem,
    type_a: str | np.ndarray,
    type_b: str | np.ndarray,
    n_shells: int = 3,
    tol: float = 1e-3,
    r_max: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour shells of particles of type a formed by particles of type b.

    Distances within ``tol`` of each other are one shell; coincident pairs (distance < ``tol``,
    i.e. a particle and itself when a and b overlap) are dropped.

    Args:
        system (LatticeSystem): Configuration.
        type_a: Type name or boolean mask of the centre particles.
        type_b: Type name or boolean mask of the neighbour particles.
        n_shells (int): Number of shells to return (fewer if ``r_max`` holds fewer), >= 1.
        tol (float): Distance tolerance that separates shells :math:`[\\mathrm{length}]`, > 0.
        r_max (float): Search radius :math:`[\\mathrm{length}]`; by default 0.499 times the
            smallest box width (the largest freud allows).

    Returns:
        tuple: ``(distances, counts)`` -- ``(n,)`` shell radii (mean distance in the shell) and
        the mean number of b particles per a particle in each shell.
    """
    if isinstance(n_shells, bool) or int(n_shells) != n_shells or n_shells < 1:
        raise ValueError(f"n_shells must be an integer >= 1, got {n_shells!r}")
    tol = _check_positive("tol", tol)
    mask_a, mask_b = _selection(system, type_a), _selection(system, type_b)
    n_a = int(np.count_nonzero(mask_a))
    if n_a == 0 or not np.any(mask_b):
        raise ValueError("both selections must contain at least one particle")
    widths = system.box.L[: system.box.dimensions]
    r_lim = 0.499 * float(np.min(widths))
    if r_max is None:
        r_max = r_lim
    elif not 0 < r_max <= r_lim:
        raise ValueError(f"r_max must lie in (0, {r_lim:.6g}] for this box, got {r_max!r}")
    aq = freud.locality.AABBQuery(system.box, system.positions[mask_b])
    nlist = aq.query(system.positions[mask_a], {"r_max": float(r_max)}).toNeighborList()
    dist = np.sort(np.asarray(nlist.distances, dtype=np.float64))
    dist = dist[dist >= tol]
    if dist.size == 0:
        return np.zeros(0), np.zeros(0)
    starts = np.concatenate([[0], np.nonzero(np.diff(dist) > tol)[0] + 1, [dist.size]])
    starts = starts[: int(n_shells) + 1]
    radii = np.array([dist[s:e].mean() for s, e in itertools.pairwise(starts)])
    counts = np.diff(starts) / n_a
    return radii, counts
