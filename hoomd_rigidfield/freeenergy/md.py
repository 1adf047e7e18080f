"""Einstein-molecule free energy of a soft crystal with HOOMD-blue MD, and an NVT EOS sampler.

The caller builds the HOOMD pair force (``hoomd.md.pair.LJ``, ``hoomd.md.pair.Mie``, ...) for
the lattice's types and gives a NumPy twin of it for the perturbation step (exact samples of
the ideal molecule, :func:`~.einstein.soft_perturbation`), so this suite imports no other.

The springs are a :class:`Tethers` force (``hoomd.md.force.Custom``): :math:`U = \\lambda
\\sum_{i\\ge1}|\\vec r_i - \\vec r_{i,0}|^2` with the minimum image, which is the suite's spring
convention (:mod:`.einstein`) and is equivalent to harmonic bonds of HOOMD constant
:math:`k = 2\\lambda` to fixed ghost sites, without the ghost particles and their exclusions.
Particle 0 (tag 0) is the Einstein molecule's fixed particle: it is left out of the Langevin
method's filter and has zero velocity, so the crystal cannot drift at any :math:`\\lambda`.
The time step must resolve the stiffest spring: :math:`\\omega = \\sqrt{2\\Lambda_E/m}`, and
:func:`solid_free_energy` refuses :math:`\\omega\\,dt > 0.1`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import freud
import numpy as np
from tqdm.auto import tqdm

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.md
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.freeenergy.einstein import (
    FIXED,
    einstein_molecule_free_energy,
    soft_perturbation,
)
from hoomd_rigidfield.freeenergy.hpmc import NodeResult, SolidFreeEnergy
from hoomd_rigidfield.freeenergy.quadrature import DEFAULT_SHIFT, SpringNodes, block_average
from hoomd_rigidfield.validation import check_int, check_positive, check_real

#: Largest :math:`\\omega\\,dt` of the stiffest spring accepted.
MAX_OMEGA_DT = 0.1


class Tethers(hoomd.md.force.Custom):
    """Springs :math:`\\lambda|\\vec r_i - \\vec r_{i,0}|^2` to fixed sites (tag order).

    Args:
        reference ((N, 3) array): Sites [σ], in the box's coordinates.
        box: The (fixed) periodic box, for the minimum image.
        spring (float): :math:`\\lambda` [energy/σ²] (settable between runs).
    """

    def __init__(self, reference: Any, box: Any, spring: float):
        super().__init__(aniso=False)
        self.reference = np.array(reference, dtype=np.float64)
        self._box = freud.box.Box.from_box(box)
        self.spring = float(spring)

    def squared_displacement(self) -> float:
        """:math:`\\sum_i|\\vec r_i - \\vec r_{i,0}|^2` of the current state [σ²]."""
        with self._state.cpu_local_snapshot as snap:
            d = self._delta(np.array(snap.particles.position), np.array(snap.particles.tag))
        return float(np.sum(d * d))

    def _delta(self, pos: np.ndarray, tag: np.ndarray) -> np.ndarray:
        return np.asarray(self._box.wrap(pos - self.reference[tag]), dtype=np.float64)

    def set_forces(self, timestep: int) -> None:
        """Write :math:`-2\\lambda\\Delta\\vec r` and :math:`\\lambda|\\Delta\\vec r|^2`."""
        with self._state.cpu_local_snapshot as snap, self.cpu_local_force_arrays as arrays:
            d = self._delta(np.array(snap.particles.position), np.array(snap.particles.tag))
            arrays.force[:] = -2.0 * self.spring * d
            arrays.potential_energy[:] = self.spring * np.sum(d * d, axis=1)


def _simulation(lattice: LatticeSystem, kT: float, seed: int, device: Any) -> hoomd.Simulation:
    snap = hoomd.Snapshot()
    b = lattice.box
    snap.configuration.box = [b.Lx, b.Ly, b.Lz, b.xy, b.xz, b.yz]
    snap.particles.N = lattice.num_particles
    snap.particles.types = list(lattice.types)
    snap.particles.position[:] = lattice.positions
    snap.particles.typeid[:] = lattice.typeid
    sim = hoomd.Simulation(device=device or hoomd.device.CPU(notice_level=1), seed=seed)
    sim.create_state_from_snapshot(snap)
    return sim


def solid_free_energy(
    lattice: LatticeSystem,
    pair_force: hoomd.md.force.Force,
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    r_cut: float,
    *,
    kT: float = 1.0,
    spring_max: float = 1000.0,
    n_nodes: int = 12,
    shift: float = DEFAULT_SHIFT,
    dt: float = 0.001,
    gamma: float = 5.0,
    steps: int = 5000,
    equilibration: int = 3000,
    sample_period: int = 10,
    n_blocks: int = 16,
    n_perturbation: int = 20_000,
    wavelength: float = 1.0,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
    progress: bool = True,
) -> SolidFreeEnergy:
    """:math:`\\beta A/N` of a soft crystal: Einstein molecule + perturbation + Langevin MD.

    Args:
        lattice (LatticeSystem): Sites, box and types (site 0 is the fixed particle).
        pair_force (hoomd.md.force.Force): The HOOMD pair force for ``lattice.types``.
        pair_energy: Its NumPy twin ``pair_energy(r, type_i, type_j)`` [energy], for the
            perturbation step (:func:`~.einstein.soft_perturbation`).
        r_cut (float): Largest cut-off of the pair force [σ].
        kT (float): Temperature [energy].
        spring_max (float): :math:`\\Lambda_E` [energy/σ²].
        n_nodes (int): Gauss-Legendre nodes.
        shift (float): :math:`c` of :math:`\\ln(\\lambda + c)` [energy/σ²].
        dt (float): Time step [τ].
        gamma (float): Langevin drag [m/τ]: strong, so that each node re-thermalises quickly
            after its spring changes (:math:`m/\\gamma \\ll` equilibration time).
        steps (int): Sampled steps per node.
        equilibration (int): Steps per node before sampling.
        sample_period (int): Steps between samples.
        n_blocks (int): Blocks of the per-node error.
        n_perturbation (int): Exact samples of the ideal molecule.
        wavelength (float): Thermal wavelength [σ].
        seed (int): Random seed (0-65535).
        device (hoomd.device.Device): HOOMD device (``None``: one CPU).
        progress (bool): Progress bar over the nodes.

    Returns:
        SolidFreeEnergy: :math:`\\beta A/N` (in kT), error and per-node data (``move_size``
        holds ``dt``, ``acceptance`` the mean kinetic temperature / kT).
    """
    if not isinstance(lattice, LatticeSystem):
        raise ValueError(f"lattice must be a LatticeSystem, got {type(lattice).__name__}")
    n = check_int("lattice.num_particles", lattice.num_particles, 2)
    kT = check_positive("kT", kT)
    nodes = SpringNodes.gauss_legendre(spring_max, n_nodes, shift)
    dt = check_positive("dt", dt, "tau")
    omega_dt = math.sqrt(2.0 * nodes.spring_max) * dt
    if omega_dt > MAX_OMEGA_DT:
        raise ValueError(
            f"dt must resolve the stiffest spring: omega dt = {omega_dt:.3g} > {MAX_OMEGA_DT} "
            f"(dt <= {MAX_OMEGA_DT / math.sqrt(2 * nodes.spring_max):.3g} tau)"
        )
    steps = check_int("steps", steps, 1)
    period = check_int("sample_period", sample_period, 1)
    n_blocks = check_int("n_blocks", n_blocks, 2)
    if steps // period < n_blocks:
        raise ValueError(
            f"steps // sample_period = {steps // period} must be >= n_blocks = {n_blocks}"
        )
    seed = check_int("seed", seed, 0, 65535)
    perturbation = soft_perturbation(
        lattice.box,
        lattice.positions,
        nodes.spring_max,
        pair_energy,
        r_cut,
        typeid=lattice.typeid,
        kT=kT,
        n_samples=n_perturbation,
        rng=seed,
    )
    reference = einstein_molecule_free_energy(
        n, lattice.box.volume, nodes.spring_max, kT=kT, wavelength=wavelength
    )

    sim = _simulation(lattice, kT, seed, device)
    tethers = Tethers(lattice.positions, lattice.box, nodes.springs[0])
    mobile = hoomd.filter.Tags([t for t in range(n) if t != FIXED])
    langevin = hoomd.md.methods.Langevin(filter=mobile, kT=kT, default_gamma=float(gamma))
    sim.operations.integrator = hoomd.md.Integrator(
        dt=dt, methods=[langevin], forces=[pair_force, tethers]
    )
    sim.state.thermalize_particle_momenta(filter=mobile, kT=kT)
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=mobile)
    sim.operations.computes.append(thermo)
    results = []
    for lam in tqdm(nodes.springs, desc="spring nodes", disable=not progress, leave=False):
        tethers.spring = float(lam)
        sim.run(check_int("equilibration", equilibration, 0))
        samples, temps = [], []
        for _ in range(steps // period):
            sim.run(period)
            samples.append(tethers.squared_displacement())
            temps.append(thermo.kinetic_temperature / kT)
        msd, err = block_average(samples, n_blocks)
        results.append(NodeResult(float(lam), msd, err, dt, float(np.mean(temps)), len(samples)))
    integral, error = nodes.integrate([r.msd for r in results], [r.msd_error for r in results])
    return SolidFreeEnergy(
        n=n,
        volume=float(lattice.box.volume),
        reference=reference,
        perturbation=perturbation,
        switching=-integral / (kT * n),
        switching_error=error / (kT * n),
        nodes=tuple(results),
        spring_max=nodes.spring_max / kT,
        wavelength=check_positive("wavelength", wavelength, "sigma"),
    )


def sample_compressibility(
    lattice: LatticeSystem,
    pair_force: hoomd.md.force.Force,
    *,
    kT: float = 1.0,
    dt: float = 0.005,
    gamma: float = 1.0,
    steps: int = 20_000,
    equilibration: int = 5_000,
    sample_period: int = 20,
    n_blocks: int = 16,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
) -> tuple[float, float]:
    """:math:`Z = \\beta p/\\rho` of a fluid by Langevin NVT (one point of an isotherm).

    Args:
        lattice (LatticeSystem): Starting configuration and box (any, e.g.
            :func:`~hoomd_rigidfield.analysis.lattices.ideal_gas` or a lattice that melts).
        pair_force (hoomd.md.force.Force): HOOMD pair force for its types.
        kT (float): Temperature [energy].
        dt (float): Time step [τ].
        gamma (float): Langevin drag [m/τ].
        steps (int): Sampled steps.
        equilibration (int): Steps before sampling.
        sample_period (int): Steps between pressure samples.
        n_blocks (int): Blocks of the error estimate.
        seed (int): Random seed.
        device (hoomd.device.Device): HOOMD device.

    Returns:
        tuple[float, float]: :math:`Z` and its block standard error, with the pressure of
        ``ThermodynamicQuantities`` at the set :math:`kT` (kinetic part :math:`\\rho kT`).
    """
    kT = check_positive("kT", kT)
    sim = _simulation(lattice, kT, check_int("seed", seed, 0, 65535), device)
    sim.always_compute_pressure = True  # else the virial (and thermo.pressure) is NaN
    everyone = hoomd.filter.All()
    sim.operations.integrator = hoomd.md.Integrator(
        dt=check_positive("dt", dt, "tau"),
        methods=[hoomd.md.methods.Langevin(filter=everyone, kT=kT, default_gamma=float(gamma))],
        forces=[pair_force],
    )
    sim.state.thermalize_particle_momenta(filter=everyone, kT=kT)
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=everyone)
    sim.operations.computes.append(thermo)
    sim.run(check_int("equilibration", equilibration, 0))
    rho = lattice.num_particles / lattice.box.volume
    virial = []
    for _ in range(check_int("steps", steps, 1) // check_int("sample_period", sample_period, 1)):
        sim.run(sample_period)
        # configurational pressure: total minus the kinetic part at the measured temperature
        virial.append(thermo.pressure - rho * thermo.kinetic_temperature)
    mean, err = block_average(virial, n_blocks)
    return 1.0 + mean / (rho * kT), err / (rho * kT)


@dataclass(frozen=True)
class StateSample:
    """One sampled NVT state of a path (:func:`sample_path`).

    Args:
        density (float): Number density of all particles [σ⁻³].
        parameter (float): The caller's parameter at this state (e.g. :math:`\\beta\\varepsilon`).
        compressibility (float): :math:`Z = \\beta p/\\rho` (configurational part from the
            virial, kinetic part :math:`\\rho kT` at the set temperature).
        compressibility_error (float): Its block standard error.
        energy (float): :math:`\\langle U\\rangle/N` [energy].
        energy_error (float): Its block standard error.
        temperature (float): Mean kinetic temperature / kT (a thermostat check, about 1).
        n_samples (int): Samples taken.
    """

    density: float
    parameter: float
    compressibility: float
    compressibility_error: float
    energy: float
    energy_error: float
    temperature: float
    n_samples: int

    def as_dict(self) -> dict[str, float]:
        """dict: The fields (JSON-able)."""
        return {k: float(v) for k, v in self.__dict__.items()}


def _scale_to(sim: hoomd.Simulation, density: float) -> None:
    box = sim.state.box
    factor = (sim.state.N_particles / density / box.volume) ** (1.0 / 3.0)
    new = hoomd.Box(box.Lx * factor, box.Ly * factor, box.Lz * factor, box.xy, box.xz, box.yz)
    hoomd.update.BoxResize.update(sim.state, new, filter=hoomd.filter.All())


def sample_path(
    lattice: LatticeSystem,
    pair_force: hoomd.md.force.Force,
    states: Any,
    apply: Callable[[hoomd.md.force.Force, float], None] | None = None,
    *,
    kT: float = 1.0,
    dt: float = 0.001,
    gamma: float = 1.0,
    steps: int = 10_000,
    equilibration: int = 2_000,
    compression_steps: int = 2_000,
    max_strain: float = 0.003,
    sample_period: int = 10,
    n_blocks: int = 16,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
    progress: bool = True,
) -> list[StateSample]:
    """Langevin NVT along a path of states ``(density, parameter)``: pressure and energy at each.

    One simulation visits the states in order: between two densities the box is rescaled in
    steps of at most ``max_strain`` in length (particles scaled with it, ``compression_steps``
    of MD spread over the steps), so that a steep core never meets a sudden overlap; between two
    parameters ``apply(pair_force, parameter)`` changes the force (e.g. the well depth). Each
    state is then equilibrated and sampled. Start from a configuration that is already a fluid
    at the lattice's own density (a dilute lattice melts at once) and go from there.

    Args:
        lattice (LatticeSystem): Starting configuration and box.
        pair_force (hoomd.md.force.Force): HOOMD pair force for ``lattice.types``.
        states: Sequence of ``(density [σ⁻³], parameter)``.
        apply: ``apply(pair_force, parameter)`` (``None``: the parameter is only a label).
        kT (float): Temperature [energy].
        dt (float): Time step [τ].
        gamma (float): Langevin drag [m/τ].
        steps (int): Sampled steps per state.
        equilibration (int): Steps per state before sampling.
        compression_steps (int): MD steps spread over a density change.
        max_strain (float): Largest relative length change of one box rescaling.
        sample_period (int): Steps between samples.
        n_blocks (int): Blocks of the error estimates.
        seed (int): Random seed (0-65535).
        device (hoomd.device.Device): HOOMD device (``None``: one CPU).
        progress (bool): Progress bar over the states.

    Returns:
        list[StateSample]: One per state, in order.
    """
    if not isinstance(lattice, LatticeSystem):
        raise ValueError(f"lattice must be a LatticeSystem, got {type(lattice).__name__}")
    path = [(check_positive("density", float(r), "sigma^-3"), float(p)) for r, p in states]
    if not path:
        raise ValueError("states must hold at least one (density, parameter)")
    if apply is None and len({p for _, p in path}) > 1:
        raise ValueError("states change the parameter but no apply(pair_force, parameter) given")
    kT = check_positive("kT", kT)
    steps = check_int("steps", steps, 1)
    period = check_int("sample_period", sample_period, 1)
    n_blocks = check_int("n_blocks", n_blocks, 2)
    if steps // period < n_blocks:
        raise ValueError(
            f"steps // sample_period = {steps // period} must be >= n_blocks = {n_blocks}"
        )
    equilibration = check_int("equilibration", equilibration, 0)
    compression_steps = check_int("compression_steps", compression_steps, 0)
    max_strain = check_real("max_strain", max_strain, 0, 0.1, low_open=True)
    sim = _simulation(lattice, kT, check_int("seed", seed, 0, 65535), device)
    sim.always_compute_pressure = True  # else the virial (and thermo.pressure) is NaN
    everyone = hoomd.filter.All()
    sim.operations.integrator = hoomd.md.Integrator(
        dt=check_positive("dt", dt, "tau"),
        methods=[hoomd.md.methods.Langevin(filter=everyone, kT=kT, default_gamma=float(gamma))],
        forces=[pair_force],
    )
    sim.state.thermalize_particle_momenta(filter=everyone, kT=kT)
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=everyone)
    sim.operations.computes.append(thermo)
    sim.run(0)
    n = sim.state.N_particles
    parameter = None
    out = []
    for rho, par in tqdm(path, desc="states", disable=not progress, leave=False):
        if parameter is None or par != parameter:
            if apply is not None:
                apply(pair_force, par)
            parameter = par
        now = n / sim.state.box.volume
        n_sub = max(1, math.ceil(abs(math.log(rho / now)) / (3.0 * max_strain)))
        if not math.isclose(rho, now, rel_tol=1e-12):
            for k in range(1, n_sub + 1):
                _scale_to(sim, now * (rho / now) ** (k / n_sub))
                sim.run(max(1, compression_steps // n_sub))
        sim.run(equilibration)
        virial, energy, temps = [], [], []
        for _ in range(steps // period):
            sim.run(period)
            virial.append(thermo.pressure - rho * thermo.kinetic_temperature)
            energy.append(thermo.potential_energy / n)
            temps.append(thermo.kinetic_temperature / kT)
        z, dz = block_average(virial, n_blocks)
        u, du = block_average(energy, n_blocks)
        out.append(
            StateSample(
                rho, par, 1.0 + z / (rho * kT), dz / (rho * kT), u, du,
                float(np.mean(temps)), len(virial),
            )
        )  # fmt: skip
    return out


def deviatoric_stress(
    lattice: LatticeSystem,
    pair_force: hoomd.md.force.Force,
    *,
    kT: float = 1.0,
    dt: float = 0.001,
    gamma: float = 5.0,
    steps: int = 20_000,
    equilibration: int = 5_000,
    sample_period: int = 50,
    n_blocks: int = 10,
    seed: int = 1,
    device: hoomd.device.Device | None = None,
) -> tuple[float, float]:
    """:math:`D = P_{zz} - (P_{xx} + P_{yy})/2` of a crystal by Langevin NVT, with its error.

    The uniaxial (``c`` along :math:`z`) part of the pressure tensor: zero at the shape of zero
    deviatoric stress. Every particle moves (no fixed particle: the stress is that of the free
    crystal).

    Args:
        lattice (LatticeSystem): The crystal and its box.
        pair_force (hoomd.md.force.Force): HOOMD pair force for its types (not yet attached).
        kT (float): Temperature [energy].
        dt (float): Time step [τ].
        gamma (float): Langevin drag [m/τ].
        steps (int): Sampled steps.
        equilibration (int): Steps before sampling.
        sample_period (int): Steps between pressure-tensor samples.
        n_blocks (int): Blocks of the error estimate.
        seed (int): Random seed (0-65535).
        device (hoomd.device.Device): HOOMD device.

    Returns:
        tuple[float, float]: :math:`D` and its block standard error [energy/σ³].
    """
    kT = check_positive("kT", kT)
    sim = _simulation(lattice, kT, check_int("seed", seed, 0, 65535), device)
    sim.always_compute_pressure = True  # else the virial (and the pressure tensor) is NaN
    everyone = hoomd.filter.All()
    sim.operations.integrator = hoomd.md.Integrator(
        dt=check_positive("dt", dt, "tau"),
        methods=[
            hoomd.md.methods.Langevin(
                filter=everyone, kT=kT, default_gamma=check_positive("gamma", gamma, "m/tau")
            )
        ],
        forces=[pair_force],
    )
    sim.state.thermalize_particle_momenta(filter=everyone, kT=kT)
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=everyone)
    sim.operations.computes.append(thermo)
    sim.run(check_int("equilibration", equilibration, 0))
    period = check_int("sample_period", sample_period, 1)
    samples = []
    for _ in range(check_int("steps", steps, 1) // period):
        sim.run(period)
        pxx, _, _, pyy, _, pzz = thermo.pressure_tensor
        samples.append(pzz - 0.5 * (pxx + pyy))
    return block_average(samples, check_int("n_blocks", n_blocks, 2))


@dataclass(frozen=True)
class ZeroStressShape:
    """The axial ratio of zero deviatoric stress at fixed density (:func:`zero_stress_c_over_a`).

    Args:
        c_over_a (float): :math:`c/a` where the fitted :math:`D` vanishes.
        c_over_a_error (float): Its standard error (from the errors of the bracketing samples).
        samples (tuple[tuple[float, float, float], ...]): ``(c/a, D, error of D)`` measured.
        free_energy_shift (float): :math:`\\beta\\Delta A/N` from the starting shape to the
            zero-stress one, :math:`-D_0\\,\\epsilon^*/(3\\rho kT)` for a linear
            stress-strain relation (:math:`D_0` at the starting shape, :math:`\\epsilon^*` the
            relative change of :math:`c/a`) [kT]; :math:`\\le 0`.
    """

    c_over_a: float
    c_over_a_error: float
    samples: tuple[tuple[float, float, float], ...]
    free_energy_shift: float


def zero_stress_c_over_a(
    lattice_at: Callable[[float], LatticeSystem],
    make_force: Callable[[], hoomd.md.force.Force],
    c_over_a: float,
    *,
    relative_step: float = 0.02,
    kT: float = 1.0,
    seed: int = 1,
    **sampling: Any,
) -> ZeroStressShape:
    """:math:`c/a` of zero deviatoric stress at finite temperature and fixed density.

    :func:`deviatoric_stress` is measured at ``c_over_a`` times :math:`1-s, 1, 1+s`
    (:math:`s` = ``relative_step``); the root is interpolated linearly between the two
    samples that bracket it (the stress is not linear over the whole bracket: 49, 16, -28
    kT/σ³ for the narrow-well AlB2 of the phase-diagram study at s = 0.02). A crystal whose
    root lies outside the bracket is refused (start nearer, e.g. at the static shape of
    :func:`~hoomd_rigidfield.freeenergy.study.relaxed_c_over_a`).

    Args:
        lattice_at: ``lattice_at(c_over_a)`` -> the crystal at that shape (and the density).
        make_force: Makes a fresh HOOMD pair force (a force attaches to one simulation only).
        c_over_a (float): Starting :math:`c/a` (> 0).
        relative_step (float): :math:`s` (0 < s < 0.2).
        kT (float): Temperature [energy].
        seed (int): Random seed of the first run (the others use the next seeds).
        **sampling: Further arguments of :func:`deviatoric_stress` (``steps``, ``dt``, ...).

    Returns:
        ZeroStressShape: The shape, its error, the samples and the free-energy shift.

    Raises:
        ValueError: On bad input, or if the root is outside the measured bracket.
    """
    ca0 = check_positive("c_over_a", c_over_a)
    s = check_real("relative_step", relative_step, 0.0, 0.2)
    seed = check_int("seed", seed, 0, 65533)
    ratios = ca0 * np.array([1.0 - s, 1.0, 1.0 + s])
    samples, lattices = [], []
    for k, ca in enumerate(ratios):
        lattice = lattice_at(float(ca))
        if not isinstance(lattice, LatticeSystem):
            raise ValueError(
                f"lattice_at must return a LatticeSystem, got {type(lattice).__name__}"
            )
        d, err = deviatoric_stress(lattice, make_force(), kT=kT, seed=seed + k, **sampling)
        samples.append((float(ca), float(d), float(err)))
        lattices.append(lattice)
    x, y, e = (np.array(col) for col in zip(*samples))
    if not np.all(np.diff(y) < 0):
        raise ValueError(
            f"the deviatoric stress does not fall with c/a around {ca0!r} "
            f"({', '.join(f'{v:.3g}' for v in y)}): not a stable crystal at this shape"
        )
    if not y[-1] <= 0.0 <= y[0]:
        raise ValueError(
            f"no zero of the deviatoric stress in c/a = [{x[0]:.4g}, {x[-1]:.4g}] "
            f"({y[0]:.3g} to {y[-1]:.3g}): start nearer or raise relative_step"
        )
    k = 0 if y[1] <= 0.0 else 1  # the root lies between samples k and k + 1
    dy = y[k] - y[k + 1]
    root = x[k] + y[k] * (x[k + 1] - x[k]) / dy
    # d root / d y_k and d y_(k+1), for the error of the linear interpolation
    grad = (x[k + 1] - x[k]) * np.array([-y[k + 1], y[k]]) / dy**2
    error = float(np.hypot(grad[0] * e[k], grad[1] * e[k + 1]))
    rho = lattices[1].num_particles / lattices[1].box.volume
    # -(2/3 rho kT) * integral of D over the relative c/a change, D linear from D(c/a0) to 0
    shift = -y[1] * (root / ca0 - 1.0) / (3.0 * rho * kT)
    return ZeroStressShape(float(root), error, tuple(samples), float(shift))
