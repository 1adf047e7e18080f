"""Free energy of a hard-particle crystal by the Einstein-molecule method, sampled with HPMC.

:func:`hard_particle_free_energy` runs the protocol of :cite:`vega2007` (spheres) and
:cite:`noya2008` (anisotropic particles with orientational springs) for any crystal that
:mod:`hoomd_rigidfield.analysis.lattices` builds, of the hard shapes of :mod:`.shapes` (spheres,
orientable or not; convex polyhedra), at the box it is given (the zero-stress shape is the
caller's choice); :func:`hard_sphere_free_energy` is its hard-sphere form:

1. :math:`\\beta A_0/N`, the ideal Einstein molecule with translational and (orientable shapes)
   orientational springs (:mod:`.einstein`);
2. :math:`\\beta\\Delta A_1/N = -\\ln P(\\text{no overlap})/N` from exact samples of that
   molecule: spheres in NumPy; polyhedra by setting each sample as HOOMD's state and reading
   ``mc.overlaps`` (there is no NumPy polyhedron overlap test here);
3. :math:`\\beta\\Delta A_2/N`, HPMC of the hard particles tethered by
   ``hpmc.external.field.Harmonic`` at the Gauss-Legendre nodes of :mod:`.quadrature`, each node
   started from the previous (stiffest first), translation and rotation move sizes tuned to
   :data:`TARGET_ACCEPTANCE` before sampling.

Spheres may also attract by a square well (``square_well``, a
:class:`~.squarewell.SquareWell` whose hard core is the spheres' diameter): HPMC then samples
with ``hpmc.pair.Step`` on ``mc.pair_potentials`` (energies in kT, HPMC at :math:`\\beta = 1`)
and step 2 is :func:`.squarewell.square_well_perturbation`, which includes the lattice energy.

Both springs follow one switching variable: at node :math:`\\lambda`,
:math:`\\Lambda_E = \\lambda` and :math:`\\Lambda_R = r\\lambda` with :math:`r` =
``spring_ratio`` [σ²] (:math:`\\Lambda_{R,\\max}/\\Lambda_{E,\\max}`), so

.. math::

    \\frac{\\beta\\Delta A_2}{N} = -\\frac{1}{N}\\int_0^{\\Lambda_{E,\\max}} \\Bigl\\langle
        \\sum_{i \\ge 1} |\\Delta\\vec r_i|^2 + r \\sum_{i \\ge 0} d_i \\Bigr\\rangle_\\lambda
        d\\lambda ,

whose integrand falls as :math:`3(N-1)/2\\lambda + 3N/2\\lambda` for stiff springs, so the
quadrature in :math:`\\ln(\\lambda + c)` suits it as it suits translations alone, provided the
neighbours cage the rotations as they cage the translations (``spring_ratio`` of
:func:`hard_particle_free_energy`). The result keeps
the orientational pieces (:attr:`SolidFreeEnergy.reference_rotational`,
:attr:`SolidFreeEnergy.switching_rotational`) visible.

Particle 0 is the Einstein molecule's fixed particle: it gets a type of its own (same shape,
name + :data:`FIXED_SUFFIX`) whose translation move size is 0, so the crystal cannot drift even
without springs; it rotates like the others (its orientational spring is in the reference).
HOOMD's harmonic field is :math:`(k/2)|\\Delta\\vec r|^2 + (k_\\mathrm{rot}/2) d` per particle
(minimum image, references in tag order); it is set to :math:`k = 2\\lambda`,
:math:`k_\\mathrm{rot} = 2r\\lambda`, so ``energy_translational`` / :math:`\\lambda` is
:math:`\\sum_i |\\Delta\\vec r_i|^2` and ``energy_rotational`` / :math:`r\\lambda` is
:math:`\\sum_i d_i`. HPMC works at :math:`\\beta = 1`, so springs are in kT/σ² and kT.

Pitfall measured: simple-cubic hard cubes are not sampled at the soft nodes by single-particle
moves. For 27 cubes at packing fraction 0.7 (:math:`\\Lambda_{E,\\max} = 5000`, :math:`r = 0.8`)
:math:`\\beta A/N` came out 10.258(47) and 10.006(49) (two seeds, 2000 sweeps per node) and
9.768(41) (6000 sweeps): the block errors miss a slow collective mode (likely columns sliding
along their axes; at :math:`\\lambda = 1.28` the summed squared displacement wandered between
0.77 and 1.5 σ² over 2000-sweep windows, against 0.04-0.10 σ² for 16 truncated octahedra).
Truncated octahedra on bcc agree across springs and run lengths.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.hpmc
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.freeenergy.einstein import (
    FIXED,
    IDENTITY,
    Perturbation,
    check_quaternions,
    einstein_displacements,
    einstein_molecule_free_energy,
    hard_sphere_perturbation,
    hoomd_rotational_spring_constant,
    hoomd_spring_constant,
    rotor_free_energy,
    rotor_orientations,
)
from hoomd_rigidfield.freeenergy.quadrature import DEFAULT_SHIFT, SpringNodes, block_average
from hoomd_rigidfield.freeenergy.shapes import HardShape
from hoomd_rigidfield.freeenergy.squarewell import SquareWell, square_well_perturbation
from hoomd_rigidfield.validation import (
    check_finite_array,
    check_int,
    check_positive,
    check_probability,
    check_real,
)

#: Acceptance ratio the translation and rotation move sizes are tuned to before a node is sampled.
TARGET_ACCEPTANCE = 0.3
#: Appended to the fixed particle's type name.
FIXED_SUFFIX = "_fixed"
#: Largest translation move size [σ].
MAX_MOVE = 0.5
#: Largest rotation move size (HPMC's ``a``: the quaternion step before normalisation).
MAX_ROTATE = 1.0
#: Exact ideal-molecule configurations per overlap check batch (polyhedra, in HOOMD).
OVERLAP_BATCH = 1000


@dataclass(frozen=True)
class NodeResult:
    """One Gauss-Legendre node: the tethered crystal at spring :math:`\\lambda`.

    Args:
        spring (float): :math:`\\lambda` [kT/σ²].
        msd (float): :math:`\\langle\\sum_{i\\ge1}|\\Delta\\vec r_i|^2\\rangle` [σ²].
        msd_error (float): Its block-average standard error [σ²].
        move_size (float): Tuned translation move size [σ].
        acceptance (float): Translation acceptance ratio while sampling.
        n_samples (int): Samples in the average.
        rotational (float): :math:`\\langle\\sum_{i\\ge0} d_i\\rangle` (no unit; 0 without
            orientational springs).
        rotational_error (float): Its block-average standard error.
        rotate_size (float): Tuned rotation move size (HPMC's ``a``; 0 if nothing rotates).
        rotate_acceptance (float): Rotation acceptance ratio while sampling.
        spring_ratio (float): :math:`r = \\Lambda_R/\\Lambda_E` [σ²].
        combined_error (float): Block-average error of the integrand series
            :math:`\\sum|\\Delta\\vec r|^2 + r\\sum d` (``None``: ``msd_error``, no rotation).
    """

    spring: float
    msd: float
    msd_error: float
    move_size: float
    acceptance: float
    n_samples: int
    rotational: float = 0.0
    rotational_error: float = 0.0
    rotate_size: float = 0.0
    rotate_acceptance: float = 0.0
    spring_ratio: float = 0.0
    combined_error: float | None = None

    @property
    def integrand(self) -> float:
        """float: :math:`\\langle\\sum|\\Delta\\vec r|^2 + r\\sum d\\rangle` [σ²]."""
        return self.msd + self.spring_ratio * self.rotational

    @property
    def integrand_error(self) -> float:
        """float: Standard error of :attr:`integrand` [σ²]."""
        return self.msd_error if self.combined_error is None else self.combined_error


@dataclass(frozen=True)
class SolidFreeEnergy:
    """Helmholtz free energy of a crystal from the Einstein-molecule route.

    Args:
        n (int): Particles :math:`N`.
        volume (float): Box volume [σ³].
        reference (float): :math:`\\beta A_0/N` [kT] (exact; orientational part included).
        perturbation (Perturbation): :math:`\\beta\\Delta A_1/N` [kT].
        switching (float): :math:`\\beta\\Delta A_2/N` [kT] (orientational part included).
        switching_error (float): Its standard error [kT].
        nodes (tuple[NodeResult, ...]): The integrand at the nodes.
        spring_max (float): :math:`\\beta\\Lambda_{E,\\max}` [kT/σ²].
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
        spring_ratio (float): :math:`\\Lambda_{R,\\max}/\\Lambda_{E,\\max}` [σ²] (0: no
            orientational springs).
        reference_rotational (float): The rotors' part of :attr:`reference`,
            :math:`-\\ln(M z_1)` [kT].
        switching_rotational (float): The orientational part of :attr:`switching`,
            :math:`-(r/N)\\int\\langle\\sum d\\rangle d\\lambda` [kT].
        switching_rotational_error (float): Its standard error [kT].
        n_wells (int): Symmetry wells :math:`M` of the orientational spring.
    """

    n: int
    volume: float
    reference: float
    perturbation: Perturbation
    switching: float
    switching_error: float
    nodes: tuple[NodeResult, ...] = field(repr=False)
    spring_max: float = 0.0
    wavelength: float = 1.0
    spring_ratio: float = 0.0
    reference_rotational: float = 0.0
    switching_rotational: float = 0.0
    switching_rotational_error: float = 0.0
    n_wells: int = 1

    @property
    def free_energy(self) -> float:
        """float: :math:`\\beta A/N = \\beta (A_0 + \\Delta A_1 + \\Delta A_2)/N` [kT]."""
        return self.reference + self.perturbation.value + self.switching

    @property
    def error(self) -> float:
        """float: Standard error of :attr:`free_energy` [kT]."""
        return math.hypot(self.perturbation.error, self.switching_error)

    @property
    def rotational(self) -> float:
        """float: Orientational springs' round trip, reference + switching [kT].

        For orientable spheres, whose overlaps ignore orientation, it is 0 within
        :attr:`switching_rotational_error`.
        """
        return self.reference_rotational + self.switching_rotational

    @property
    def excess(self) -> float:
        """float: :math:`\\beta A/N - [\\ln(\\rho\\Lambda^3) - 1]` [kT] (one component)."""
        return self.free_energy - (math.log(self.n / self.volume * self.wavelength**3) - 1.0)


def _snapshot(
    lattice: LatticeSystem, orientations: np.ndarray, diameters: Mapping[str, float]
) -> tuple[Any, list[str]]:
    types = list(lattice.types)
    fixed = types[lattice.typeid[FIXED]] + FIXED_SUFFIX
    snap = hoomd.Snapshot()
    b = lattice.box
    snap.configuration.box = [b.Lx, b.Ly, b.Lz, b.xy, b.xz, b.yz]
    snap.particles.N = lattice.num_particles
    snap.particles.types = [*types, fixed]
    snap.particles.position[:] = lattice.positions
    snap.particles.orientation[:] = orientations
    typeid = np.array(lattice.typeid)
    typeid[FIXED] = len(types)
    snap.particles.typeid[:] = typeid
    snap.particles.diameter[:] = [diameters[types[t]] for t in lattice.typeid]
    return snap, [*types, fixed]


def _diameters(lattice: LatticeSystem, diameters: float | Mapping[str, float]) -> dict[str, float]:
    if isinstance(diameters, Mapping):
        missing = set(lattice.types) - set(diameters)
        if missing:
            raise ValueError(f"diameters has no entry for types {sorted(missing)}")
        return {
            t: check_positive(f"diameters[{t!r}]", diameters[t], "sigma") for t in lattice.types
        }
    d = check_positive("diameters", diameters, "sigma")
    return dict.fromkeys(lattice.types, d)


def _shapes(lattice: LatticeSystem, shapes: HardShape | Mapping[str, HardShape]) -> dict:
    if isinstance(shapes, HardShape):
        return dict.fromkeys(lattice.types, shapes)
    if not isinstance(shapes, Mapping):
        raise ValueError(f"shapes must be a HardShape or a mapping of them, got {shapes!r:.80}")
    missing = set(lattice.types) - set(shapes)
    if missing:
        raise ValueError(f"shapes has no entry for types {sorted(missing)}")
    out = {t: shapes[t] for t in lattice.types}
    for t, shape in out.items():
        if not isinstance(shape, HardShape):
            raise ValueError(f"shapes[{t!r}] must be a HardShape, got {shape!r:.80}")
    kinds = {(s.is_sphere, s.orientable) for s in out.values()}
    if len(kinds) > 1:
        raise ValueError(
            "shapes must all be spheres or all polyhedra, and all orientable or none "
            "(one HPMC integrator, and every particle or none carries a rotor)"
        )
    return out


def _reference_orientations(orientations: Any, n: int) -> np.ndarray:
    if orientations is None:
        return np.tile(np.array(IDENTITY), (n, 1))
    q = np.asarray(check_finite_array("orientations", orientations), dtype=np.float64)
    if q.shape == (4,):
        q = np.tile(q, (n, 1))
    if q.shape != (n, 4):
        raise ValueError(f"orientations must have shape (4,) or ({n}, 4), got {q.shape}")
    return check_quaternions("orientations", q)


def square_well_step(well: SquareWell, types: list[str]) -> hoomd.hpmc.pair.Step:
    """``hpmc.pair.Step`` of :math:`-\\beta u_0` below :math:`(1+\\lambda)\\sigma`, every type pair.

    Args:
        well (SquareWell): The square well (its hard core is the integrator's spheres).
        types (list[str]): All particle types (the fixed particle's included).

    Returns:
        hoomd.hpmc.pair.Step: The pair potential, energies in kT (HPMC at :math:`\\beta = 1`).
    """
    step = hoomd.hpmc.pair.Step()
    for a, b in itertools.combinations_with_replacement(types, 2):
        step.params[(a, b)] = dict(epsilon=[-float(well.depth)], r=[well.range])
    return step


def _acceptance(counts: tuple[int, int]) -> float:
    acc, rej = counts
    return acc / max(acc + rej, 1)


def _run_counts(sim: hoomd.Simulation, mc: hoomd.hpmc.integrate.HPMCIntegrator, sweeps: int):
    sim.run(sweeps)
    return _acceptance(mc.translate_moves), _acceptance(mc.rotate_moves)


def tune_move_sizes(
    sim: hoomd.Simulation,
    mc: hoomd.hpmc.integrate.HPMCIntegrator,
    types: list[str],
    *,
    rotate_types: list[str] | None = None,
    target: float = TARGET_ACCEPTANCE,
    sweeps: int = 20,
    rounds: int = 10,
) -> tuple[float, float]:
    """Scale the translation (and rotation) move sizes until the acceptance ratios near ``target``.

    The translation counters include the fixed particle's zero-size moves (always accepted), so
    the measured ratio is corrected for them (the fixed particle makes :math:`1/N` of them).

    Args:
        sim (hoomd.Simulation): The simulation (HPMC integrator attached).
        mc: Its integrator.
        types (list[str]): Types whose translation move size is tuned (the same for all).
        rotate_types (list[str]): Types whose rotation move size is tuned (the same for all;
            ``None``: no rotation moves).
        target (float): Acceptance ratio aimed at.
        sweeps (int): Sweeps per round.
        rounds (int): Rounds of ``d <- d * clip(acc / target, 0.5, 2)`` (likewise ``a``).

    Returns:
        tuple[float, float]: Translation move size [σ] and rotation move size (0 without
        ``rotate_types``).
    """
    target = check_probability("target", target)
    n = sim.state.N_particles
    d = float(mc.d[types[0]])
    a = float(mc.a[rotate_types[0]]) if rotate_types else 0.0
    for _ in range(check_int("rounds", rounds, 1)):
        acc_t, acc_r = _run_counts(sim, mc, check_int("sweeps", sweeps, 1))
        acc_t = (acc_t * n - 1) / (n - 1)
        d = min(d * float(np.clip(max(acc_t, 1e-3) / target, 0.5, 2.0)), MAX_MOVE)
        for t in types:
            mc.d[t] = d
        if rotate_types:
            a = min(a * float(np.clip(max(acc_r, 1e-3) / target, 0.5, 2.0)), MAX_ROTATE)
            for t in rotate_types:
                mc.a[t] = a
    return d, a


def overlap_perturbation(
    sim: hoomd.Simulation,
    mc: hoomd.hpmc.integrate.HPMCIntegrator,
    lattice: LatticeSystem,
    orientations: np.ndarray,
    spring: float,
    rotational_spring: float,
    *,
    n_samples: int = 20_000,
    rng: Any = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N = -\\ln P(\\text{no overlap})/N` with HOOMD's overlap test.

    Each exact sample of the ideal molecule (Gaussian displacements, one-well rotor
    orientations, :mod:`.einstein`) is set as the state of ``sim`` (``State.set_snapshot``,
    which also makes HPMC rebuild its AABB tree) and counted free if ``mc.overlaps`` is 0. The
    lattice state is restored afterwards. About 0.4 ms per sample for 27 cubes on one core.

    Args:
        sim (hoomd.Simulation): Simulation holding the crystal (integrator attached).
        mc: Its HPMC integrator.
        lattice (LatticeSystem): Sites and box (site 0 fixed).
        orientations ((N, 4) numpy.ndarray): Reference orientations :math:`q_{i,0}`.
        spring (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        rotational_spring (float): :math:`\\beta\\Lambda_R` [kT] (> 0).
        n_samples (int): Exact configurations to check.
        rng: :class:`numpy.random.Generator` or a seed.

    Returns:
        Perturbation: With the binomial standard error.
    """
    n = lattice.num_particles
    m = check_int("n_samples", n_samples, 1)
    rng = np.random.default_rng(rng)
    snap = sim.state.get_snapshot()
    lattice_state = sim.state.get_snapshot()
    free = 0
    for start in range(0, m, OVERLAP_BATCH):
        size = min(OVERLAP_BATCH, m - start)
        u = einstein_displacements(n, spring, size, rng)
        q = rotor_orientations(orientations, rotational_spring, size, rng)
        for k in range(size):
            snap.particles.position[:] = lattice.box.wrap(lattice.positions + u[k])
            snap.particles.orientation[:] = q[k]
            sim.state.set_snapshot(snap)
            free += mc.overlaps == 0
    sim.state.set_snapshot(lattice_state)
    return Perturbation.from_overlap_counts(int(free), m, n)


def hard_particle_free_energy(
    lattice: LatticeSystem,
    shapes: HardShape | Mapping[str, HardShape],
    *,
    orientations: Any = None,
    symmetries: Any = None,
    spring_ratio: float = 0.0,
    spring_max: float = 2000.0,
    n_nodes: int = 12,
    shift: float = DEFAULT_SHIFT,
    sweeps: int = 2000,
    equilibration: int | None = None,
    sample_period: int = 2,
    n_blocks: int = 16,
    n_perturbation: int = 20_000,
    wavelength: float = 1.0,
    square_well: SquareWell | None = None,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
    progress: bool = True,
) -> SolidFreeEnergy:
    """:math:`\\beta A/N` of a hard-particle crystal: ideal Einstein molecule + perturbation + HPMC.

    Args:
        lattice (LatticeSystem): Sites, box and types (site 0 becomes the fixed particle).
        shapes (HardShape or Mapping[str, HardShape]): The shape of every type (all spheres or
            all polyhedra; all orientable or none).
        orientations ((4,) or (N, 4) array): Reference orientations :math:`q_{i,0}` (unit
            quaternions, tag order; also the initial ones). ``None``: the identity. Orientable
            shapes only.
        symmetries ((M, 4) array): Symmetry quaternions of the orientational spring, the
            identity included (e.g. :func:`.shapes.octahedral_symmetries`); each must leave every
            shape unchanged. ``None``: the identity only. Needs ``spring_ratio > 0``.
        spring_ratio (float): :math:`r = \\Lambda_{R,\\max}/\\Lambda_{E,\\max}` [σ²] (>= 0;
            > 0 for polyhedra, 0 for non-orientable spheres). Matching the rotational
            displacement of the circumsphere to the translational one gives
            :math:`r \\approx 4 r_c^2`; then caged rotations level off at about the same
            :math:`\\lambda` as translations, as the quadrature in :math:`\\ln(\\lambda + c)`
            needs. Uncaged rotors level off at :math:`\\beta\\Lambda_R \\sim 1` (one well) or
            :math:`\\sim 10` (48 wells): for one well 12 nodes miss the closed-form
            integral by 0.05 kT at :math:`r = 1` and 0.6 kT at :math:`r = 2`
            (:math:`\\Lambda_{E,\\max} = 2000`), for 48 wells by < 0.01 kT.
        spring_max (float): :math:`\\beta\\Lambda_{E,\\max}` [kT/σ²]; large enough that the
            ideal molecule rarely overlaps (:math:`\\beta\\Delta A_1/N` tiny) and, with
            ``spring_ratio``, that the symmetry wells are separated
            (:data:`.einstein.ROTOR_BARRIER`).
        n_nodes (int): Gauss-Legendre nodes (>= 2; >= 10 for production).
        shift (float): :math:`c` of :math:`\\ln(\\lambda + c)` [kT/σ²].
        sweeps (int): Sampled sweeps per node.
        equilibration (int): Sweeps per node after tuning, before sampling (``None``:
            ``max(500, sweeps // 4)``; the soft nodes relax slowly, as collective modes).
        sample_period (int): Sweeps between samples of the field energies.
        n_blocks (int): Blocks of the per-node error estimate.
        n_perturbation (int): Exact samples of the ideal molecule for :math:`\\Delta A_1`
            (polyhedra: each is one HOOMD overlap check).
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
        square_well (SquareWell): A square-well attraction between all pairs (``None``: hard
            particles only). Spheres only, all of diameter ``square_well.sigma``.
        seed (int): Random seed (HOOMD 0-65535; also seeds the perturbation sampling).
        device (hoomd.device.Device): HOOMD device (``None``: one CPU, quiet).
        progress (bool): Show a progress bar over the nodes.

    Returns:
        SolidFreeEnergy: :math:`\\beta A/N`, its error, its orientational pieces and the
        per-node data.

    Raises:
        ValueError: On a bad input, overlapping symmetry wells at
            ``spring_ratio * spring_max``, or an overlapping lattice.
    """
    if not isinstance(lattice, LatticeSystem):
        raise ValueError(f"lattice must be a LatticeSystem, got {type(lattice).__name__}")
    n = check_int("lattice.num_particles", lattice.num_particles, 2)
    if lattice.box.is2D:
        raise ValueError("lattice must be three-dimensional (the Einstein molecule here is 3D)")
    shape = _shapes(lattice, shapes)
    first = shape[lattice.types[0]]
    ratio = check_real("spring_ratio", spring_ratio, 0.0, low_open=False, unit="sigma^2")
    if not first.orientable and orientations is not None:
        raise ValueError("orientations needs orientable shapes (HardShape.sphere(orientable=True))")
    if not first.orientable and ratio != 0:
        raise ValueError(f"spring_ratio must be 0 for non-orientable spheres, got {ratio!r}")
    if not first.is_sphere and ratio == 0:
        raise ValueError(
            "spring_ratio must be > 0 sigma^2 for polyhedra (free rotors would overlap at "
            "spring_max); about 4 r_c^2 matches rotational and translational displacements"
        )
    if ratio == 0 and symmetries is not None:
        raise ValueError("symmetries needs spring_ratio > 0 (without it there are no wells)")
    if square_well is not None:
        _check_square_well(square_well, shape)
    q0 = _reference_orientations(orientations, n)
    nodes = SpringNodes.gauss_legendre(spring_max, n_nodes, shift)
    sweeps = check_int("sweeps", sweeps, 1)
    equilibration = max(500, sweeps // 4) if equilibration is None else equilibration
    equilibration = check_int("equilibration", equilibration, 0)
    period = check_int("sample_period", sample_period, 1)
    n_blocks = check_int("n_blocks", n_blocks, 2)
    if sweeps // period < n_blocks:
        raise ValueError(
            f"sweeps // sample_period = {sweeps // period} must be >= n_blocks = {n_blocks}"
        )
    seed = check_int("seed", seed, 0, 65535)
    n_perturbation = check_int("n_perturbation", n_perturbation, 1)
    wavelength = check_positive("wavelength", wavelength, "sigma")
    rot_max = ratio * nodes.spring_max
    sym, reference_rot = np.array([IDENTITY]), 0.0
    if ratio > 0:
        for t in lattice.types:  # the same quaternions, checked against every shape
            sym = shape[t].check_symmetries(symmetries)
        reference_rot = rotor_free_energy(rot_max, sym, name="spring_ratio * spring_max")
    reference = einstein_molecule_free_energy(
        n,
        lattice.box.volume,
        nodes.spring_max,
        wavelength=wavelength,
        rotational_spring=rot_max,
        symmetries=sym if ratio > 0 else None,
    )
    if square_well is not None:
        perturbation = square_well_perturbation(
            lattice.box,
            lattice.positions,
            nodes.spring_max,
            square_well,
            n_samples=n_perturbation,
            rng=seed,
        )
    elif first.is_sphere:
        perturbation = hard_sphere_perturbation(
            lattice.box,
            lattice.positions,
            nodes.spring_max,
            diameters=np.array([shape[lattice.types[t]].diameter for t in lattice.typeid]),
            n_samples=n_perturbation,
            rng=seed,
        )

    diam = {t: shape[t].circumsphere_diameter for t in lattice.types}
    snap, types = _snapshot(lattice, q0, diam)
    sim = hoomd.Simulation(device=device or hoomd.device.CPU(notice_level=1), seed=seed)
    sim.create_state_from_snapshot(snap)
    mobile = types[:-1]
    rotating = types if first.orientable else None
    if first.is_sphere:
        mc = hoomd.hpmc.integrate.Sphere(default_d=0.05, nselect=1)
    else:
        mc = hoomd.hpmc.integrate.ConvexPolyhedron(default_d=0.05, default_a=0.05, nselect=1)
    for t in mobile:
        mc.shape[t] = shape[t].hoomd_params
    mc.shape[types[-1]] = shape[lattice.types[lattice.typeid[FIXED]]].hoomd_params
    mc.d[types[-1]] = 0.0
    if square_well is not None:
        mc.pair_potentials = [square_well_step(square_well, types)]
    harmonic = hoomd.hpmc.external.field.Harmonic(
        reference_positions=np.asarray(lattice.positions, dtype=np.float64),
        reference_orientations=q0,
        k_translational=hoomd_spring_constant(nodes.springs[0]),
        k_rotational=hoomd_rotational_spring_constant(ratio * nodes.springs[0]),
        symmetries=sym,
    )
    with warnings.catch_warnings():  # the field is of the deprecated external_potential kind
        warnings.simplefilter("ignore", FutureWarning)
        mc.external_potential = harmonic
    sim.operations.integrator = mc
    sim.run(0)
    if mc.overlaps:
        raise ValueError(f"the lattice has {mc.overlaps} overlapping pairs")
    if not first.is_sphere:
        perturbation = overlap_perturbation(
            sim, mc, lattice, q0, nodes.spring_max, rot_max, n_samples=n_perturbation, rng=seed
        )

    results = []
    for lam in tqdm(nodes.springs, desc="spring nodes", disable=not progress, leave=False):
        harmonic.k_translational = hoomd_spring_constant(lam)
        harmonic.k_rotational = hoomd_rotational_spring_constant(ratio * lam)
        d, a = tune_move_sizes(sim, mc, mobile, rotate_types=rotating)
        sim.run(equilibration)
        msd, rot, acc_t, acc_r = [], [], [], []
        for _ in range(sweeps // period):
            at, ar = _run_counts(sim, mc, period)
            acc_t.append(at)
            acc_r.append(ar)
            msd.append(harmonic.energy_translational / lam)
            if ratio > 0:
                rot.append(harmonic.energy_rotational / (ratio * lam))
        mean, err = block_average(msd, n_blocks)
        extra = {}
        if ratio > 0:
            r_mean, r_err = block_average(rot, n_blocks)
            _, c_err = block_average(np.add(msd, np.multiply(ratio, rot)), n_blocks)
            extra = dict(rotational=r_mean, rotational_error=r_err, combined_error=c_err)
        if rotating:
            extra.update(rotate_size=a, rotate_acceptance=float(np.mean(acc_r)))
        results.append(
            NodeResult(
                float(lam),
                mean,
                err,
                d,
                float(np.mean(acc_t)),
                len(msd),
                spring_ratio=ratio,
                **extra,
            )
        )
    if mc.overlaps:
        raise RuntimeError(f"HPMC ended with {mc.overlaps} overlaps")
    integral, error = nodes.integrate(
        [r.integrand for r in results], [r.integrand_error for r in results]
    )
    rot_integral, rot_error = nodes.integrate(
        [ratio * r.rotational for r in results], [ratio * r.rotational_error for r in results]
    )
    return SolidFreeEnergy(
        n=n,
        volume=float(lattice.box.volume),
        reference=reference,
        perturbation=perturbation,
        switching=-integral / n,
        switching_error=error / n,
        nodes=tuple(results),
        spring_max=nodes.spring_max,
        wavelength=wavelength,
        spring_ratio=ratio,
        reference_rotational=reference_rot,
        switching_rotational=-rot_integral / n,
        switching_rotational_error=rot_error / n,
        n_wells=len(sym),
    )


def _check_square_well(well: Any, shape: dict[str, HardShape]) -> None:
    if not isinstance(well, SquareWell):
        raise ValueError(f"square_well must be a SquareWell, got {type(well).__name__}")
    for t, s in shape.items():
        if not s.is_sphere or not math.isclose(s.diameter, well.sigma, rel_tol=1e-12):
            raise ValueError(
                f"square_well needs spheres of diameter square_well.sigma = {well.sigma!r} "
                f"sigma, got {s!r:.80} for type {t!r}"
            )


def hard_sphere_free_energy(
    lattice: LatticeSystem,
    *,
    diameters: float | Mapping[str, float] = 1.0,
    spring_max: float = 2000.0,
    n_nodes: int = 12,
    shift: float = DEFAULT_SHIFT,
    sweeps: int = 2000,
    equilibration: int | None = None,
    sample_period: int = 2,
    n_blocks: int = 16,
    n_perturbation: int = 20_000,
    wavelength: float = 1.0,
    square_well: SquareWell | None = None,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
    progress: bool = True,
) -> SolidFreeEnergy:
    """:math:`\\beta A/N` of a hard-sphere crystal: :func:`hard_particle_free_energy` of spheres.

    Args:
        lattice (LatticeSystem): Sites, box and types (site 0 becomes the fixed particle).
        diameters (float or Mapping[str, float]): Diameter of every type [σ].
        spring_max (float): :math:`\\beta\\Lambda_E` [kT/σ²]; large enough that the ideal
            molecule rarely overlaps (:math:`\\beta\\Delta A_1/N` tiny).
        n_nodes (int): Gauss-Legendre nodes (>= 2; >= 10 for production).
        shift (float): :math:`c` of :math:`\\ln(\\lambda + c)` [kT/σ²].
        sweeps (int): Sampled sweeps per node.
        equilibration (int): Sweeps per node after tuning, before sampling (``None``:
            ``max(500, sweeps // 4)``; the soft nodes relax slowly, as collective modes).
        sample_period (int): Sweeps between samples of :math:`\\sum|\\Delta\\vec r|^2`.
        n_blocks (int): Blocks of the per-node error estimate.
        n_perturbation (int): Exact samples of the ideal molecule for :math:`\\Delta A_1`.
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
        square_well (SquareWell): A square-well attraction (``None``: hard spheres), its
            ``sigma`` the diameter of every type (:func:`hard_particle_free_energy`).
        seed (int): Random seed (HOOMD 0-65535; also seeds the perturbation sampling).
        device (hoomd.device.Device): HOOMD device (``None``: one CPU, quiet).
        progress (bool): Show a progress bar over the nodes.

    Returns:
        SolidFreeEnergy: :math:`\\beta A/N`, its error and the per-node data.

    Raises:
        ValueError: On a bad input, or if the lattice overlaps.
    """
    if not isinstance(lattice, LatticeSystem):
        raise ValueError(f"lattice must be a LatticeSystem, got {type(lattice).__name__}")
    diam = _diameters(lattice, diameters)
    return hard_particle_free_energy(
        lattice,
        {t: HardShape.sphere(d) for t, d in diam.items()},
        spring_max=spring_max,
        n_nodes=n_nodes,
        shift=shift,
        sweeps=sweeps,
        equilibration=equilibration,
        sample_period=sample_period,
        n_blocks=n_blocks,
        n_perturbation=n_perturbation,
        wavelength=wavelength,
        square_well=square_well,
        seed=seed,
        device=device,
        progress=progress,
    )
