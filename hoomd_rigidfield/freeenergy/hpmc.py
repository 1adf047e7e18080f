"""Free energy of a hard-sphere crystal by the Einstein-molecule method, sampled with HPMC.

:func:`hard_sphere_free_energy` runs the whole protocol of :cite:`vega2007` for any crystal that
:mod:`hoomd_rigidfield.analysis.lattices` builds (fcc, AlB2, NaZn13; one or several sphere
diameters), at the box it is given (the zero-stress shape is the caller's choice):

1. :math:`\\beta A_0/N`, the ideal Einstein molecule (:mod:`.einstein`);
2. :math:`\\beta\\Delta A_1/N = -\\ln P(\\text{no overlap})/N` from exact samples of that
   molecule (no HOOMD);
3. :math:`\\beta\\Delta A_2/N`, HPMC of the hard spheres tethered by
   ``hpmc.external.field.Harmonic`` at the Gauss-Legendre nodes of :mod:`.quadrature`, each node
   started from the previous (stiffest first), move sizes tuned to :data:`TARGET_ACCEPTANCE`
   before sampling.

Particle 0 is the Einstein molecule's fixed particle: it gets a type of its own (same diameter,
name + :data:`FIXED_SUFFIX`) whose move size is 0, so the crystal cannot drift even without
springs. HOOMD's harmonic field is :math:`(k/2)|\\Delta\\vec r|^2` per particle (minimum image,
reference positions in tag order); it is set to :math:`k = 2\\lambda`, so the field's
translational energy divided by :math:`\\lambda` is :math:`\\sum_i |\\Delta \\vec r_i|^2`. HPMC
works at :math:`\\beta = 1`, so springs are in kT/σ².

Only translational springs are implemented: for anisotropic shapes the Einstein molecule would
also need orientational springs (``k_rotational`` with the shape's symmetry quaternions), which
this module does not set up.
"""

from __future__ import annotations

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
    Perturbation,
    einstein_molecule_free_energy,
    hard_sphere_perturbation,
    hoomd_spring_constant,
)
from hoomd_rigidfield.freeenergy.quadrature import DEFAULT_SHIFT, SpringNodes, block_average
from hoomd_rigidfield.validation import check_int, check_positive, check_probability

#: Acceptance ratio the translation move size is tuned to before a node is sampled.
TARGET_ACCEPTANCE = 0.3
#: Appended to the fixed particle's type name.
FIXED_SUFFIX = "_fixed"
#: Largest translation move size [σ].
MAX_MOVE = 0.5


@dataclass(frozen=True)
class NodeResult:
    """One Gauss-Legendre node: the tethered crystal at spring :math:`\\lambda`.

    Args:
        spring (float): :math:`\\lambda` [kT/σ²].
        msd (float): :math:`\\langle\\sum_{i\\ge1}|\\Delta\\vec r_i|^2\\rangle` [σ²].
        msd_error (float): Its block-average standard error [σ²].
        move_size (float): Tuned translation move size [σ].
        acceptance (float): Acceptance ratio while sampling.
        n_samples (int): Samples in the average.
    """

    spring: float
    msd: float
    msd_error: float
    move_size: float
    acceptance: float
    n_samples: int


@dataclass(frozen=True)
class SolidFreeEnergy:
    """Helmholtz free energy of a crystal from the Einstein-molecule route.

    Args:
        n (int): Particles :math:`N`.
        volume (float): Box volume [σ³].
        reference (float): :math:`\\beta A_0/N` [kT] (exact).
        perturbation (Perturbation): :math:`\\beta\\Delta A_1/N` [kT].
        switching (float): :math:`\\beta\\Delta A_2/N` [kT].
        switching_error (float): Its standard error [kT].
        nodes (tuple[NodeResult, ...]): The integrand at the nodes.
        spring_max (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
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

    @property
    def free_energy(self) -> float:
        """float: :math:`\\beta A/N = \\beta (A_0 + \\Delta A_1 + \\Delta A_2)/N` [kT]."""
        return self.reference + self.perturbation.value + self.switching

    @property
    def error(self) -> float:
        """float: Standard error of :attr:`free_energy` [kT]."""
        return math.hypot(self.perturbation.error, self.switching_error)

    @property
    def excess(self) -> float:
        """float: :math:`\\beta A/N - [\\ln(\\rho\\Lambda^3) - 1]` [kT] (one component)."""
        return self.free_energy - (math.log(self.n / self.volume * self.wavelength**3) - 1.0)


def _snapshot(lattice: LatticeSystem, diameters: Mapping[str, float]) -> tuple[Any, list[str]]:
    types = list(lattice.types)
    fixed = types[lattice.typeid[FIXED]] + FIXED_SUFFIX
    snap = hoomd.Snapshot()
    b = lattice.box
    snap.configuration.box = [b.Lx, b.Ly, b.Lz, b.xy, b.xz, b.yz]
    snap.particles.N = lattice.num_particles
    snap.particles.types = [*types, fixed]
    snap.particles.position[:] = lattice.positions
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


def _run_counts(sim: hoomd.Simulation, mc: hoomd.hpmc.integrate.Sphere, sweeps: int) -> float:
    sim.run(sweeps)
    acc, rej = mc.translate_moves
    return acc / max(acc + rej, 1)


def tune_move_size(
    sim: hoomd.Simulation,
    mc: hoomd.hpmc.integrate.Sphere,
    types: list[str],
    *,
    target: float = TARGET_ACCEPTANCE,
    sweeps: int = 20,
    rounds: int = 10,
) -> float:
    """Scale the move size of ``types`` until the acceptance ratio is near ``target``.

    The counters include the fixed particle's zero-size moves (always accepted), so the measured
    ratio is corrected for them.

    Args:
        sim (hoomd.Simulation): The simulation (HPMC integrator attached).
        mc: Its integrator.
        types (list[str]): Types whose move size is tuned (the same size for all).
        target (float): Acceptance ratio aimed at.
        sweeps (int): Sweeps per round.
        rounds (int): Rounds of ``d <- d * clip(acc / target, 0.5, 2)``.

    Returns:
        float: The move size [σ].
    """
    target = check_probability("target", target)
    n = sim.state.N_particles
    d = float(mc.d[types[0]])
    for _ in range(check_int("rounds", rounds, 1)):
        acc = (_run_counts(sim, mc, check_int("sweeps", sweeps, 1)) * n - 1) / (n - 1)
        d = min(d * float(np.clip(max(acc, 1e-3) / target, 0.5, 2.0)), MAX_MOVE)
        for t in types:
            mc.d[t] = d
    return d


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
    seed: int = 1,
    device: hoomd.device.Device | None = None,
    progress: bool = True,
) -> SolidFreeEnergy:
    """:math:`\\beta A/N` of a hard-sphere crystal: ideal Einstein molecule + perturbation + HPMC.

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
    n = check_int("lattice.num_particles", lattice.num_particles, 2)
    if lattice.box.is2D:
        raise ValueError("lattice must be three-dimensional (the Einstein molecule here is 3D)")
    diam = _diameters(lattice, diameters)
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

    per_particle = np.array([diam[lattice.types[t]] for t in lattice.typeid])
    perturbation = hard_sphere_perturbation(
        lattice.box,
        lattice.positions,
        nodes.spring_max,
        diameters=per_particle,
        n_samples=n_perturbation,
        rng=seed,
    )
    reference = einstein_molecule_free_energy(
        n, lattice.box.volume, nodes.spring_max, wavelength=wavelength
    )

    snap, types = _snapshot(lattice, diam)
    sim = hoomd.Simulation(device=device or hoomd.device.CPU(notice_level=1), seed=seed)
    sim.create_state_from_snapshot(snap)
    mobile = types[:-1]
    mc = hoomd.hpmc.integrate.Sphere(default_d=0.05, nselect=1)
    for t in mobile:
        mc.shape[t] = dict(diameter=diam[t])
    mc.shape[types[-1]] = dict(diameter=diam[lattice.types[lattice.typeid[FIXED]]])
    mc.d[types[-1]] = 0.0
    harmonic = hoomd.hpmc.external.field.Harmonic(
        reference_positions=np.asarray(lattice.positions, dtype=np.float64),
        reference_orientations=np.tile([1.0, 0.0, 0.0, 0.0], (n, 1)),
        k_translational=hoomd_spring_constant(nodes.springs[0]),
        k_rotational=0.0,
        symmetries=np.array([[1.0, 0.0, 0.0, 0.0]]),
    )
    with warnings.catch_warnings():  # the field is of the deprecated external_potential kind
        warnings.simplefilter("ignore", FutureWarning)
        mc.external_potential = harmonic
    sim.operations.integrator = mc
    sim.run(0)
    if mc.overlaps:
        raise ValueError(f"the lattice has {mc.overlaps} overlapping pairs")

    results = []
    for lam in tqdm(nodes.springs, desc="spring nodes", disable=not progress, leave=False):
        harmonic.k_translational = hoomd_spring_constant(lam)
        d = tune_move_size(sim, mc, mobile)
        sim.run(equilibration)
        samples, acc = [], []
        for _ in range(sweeps // period):
            acc.append(_run_counts(sim, mc, period))
            samples.append(harmonic.energy_translational / lam)
        msd, err = block_average(samples, n_blocks)
        results.append(NodeResult(float(lam), msd, err, d, float(np.mean(acc)), len(samples)))
    if mc.overlaps:
        raise RuntimeError(f"HPMC ended with {mc.overlaps} overlaps")
    integral, error = nodes.integrate([r.msd for r in results], [r.msd_error for r in results])
    return SolidFreeEnergy(
        n=n,
        volume=float(lattice.box.volume),
        reference=reference,
        perturbation=perturbation,
        switching=-integral / n,
        switching_error=error / n,
        nodes=tuple(results),
        spring_max=nodes.spring_max,
        wavelength=check_positive("wavelength", wavelength, "sigma"),
    )
