"""HOOMD MD of Mie mixtures (hoomd_rigidfield.mie.md), against the pure-Python potentials.

Skipped with a reason where HOOMD-blue is not installed. Systems are a few hundred particles so
that the whole file runs in seconds.
"""

import gsd.hoomd
import numpy as np
import numpy.testing as npt
import pytest

from hoomd_rigidfield.gsdfiles import INITIAL, RESTART, TRAJECTORY
from hoomd_rigidfield.mie.compression import CompressionSchedule
from hoomd_rigidfield.mie.configurations import fluid_frame, seeded_fluid_frame
from hoomd_rigidfield.mie.potential import INVERSE_POWER_LAW, NARROW_WELL, WIDE_WELL, MieMixture

pytestmark = pytest.mark.hoomd

COUNTS = {"L": 60, "S": 120}
KT = 0.4  # beta*eps = 2.5, the seed paper's deepest narrow well
PHI_KEY = "hoomd_rigidfield/hoomd/mie/Compression/volume_fraction"


@pytest.fixture(scope="module")
def hm(hoomd):
    import hoomd_rigidfield.mie.md as hm

    return hm


def pair_simulation(hoomd, hm, mixture, pairs):
    """Isolated pairs ``(type_a, type_b, r)`` along x, 10 sigma apart, in a large box."""
    snap = hoomd.Snapshot()
    n = len(pairs)
    snap.configuration.box = [20.0 * n, 20.0, 20.0, 0, 0, 0]
    snap.particles.N = 2 * n
    snap.particles.types = list(mixture.types)
    for k, (a, b, r) in enumerate(pairs):
        x0 = -10.0 * n + 20.0 * k
        snap.particles.position[2 * k] = [x0, 0, 0]
        snap.particles.position[2 * k + 1] = [x0 + r, 0, 0]
        snap.particles.typeid[2 * k] = mixture.types.index(a)
        snap.particles.typeid[2 * k + 1] = mixture.types.index(b)
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=1)
    sim.create_state_from_snapshot(snap)
    force = hm.mie_pair_force(mixture)
    sim.operations.integrator = hoomd.md.Integrator(dt=1e-3, forces=[force])
    sim.run(0)
    return sim, force  # keep sim alive: a collected Simulation detaches its forces


@pytest.mark.parametrize("m", [NARROW_WELL, WIDE_WELL, INVERSE_POWER_LAW])
def test_pair_energy_and_force_match_python(hoomd, hm, m):
    mixture = MieMixture.binary(m, epsilon=1.3)
    pairs = []
    for a, b in (("L", "L"), ("L", "S"), ("S", "S")):
        p = mixture.pair(a, b)
        for x in (0.97, 1.0, p.r_min / p.sigma, 1.06, 1.3, 0.99 * p.r_cut / p.sigma):
            pairs.append((a, b, x * p.sigma))
    _sim, force = pair_simulation(hoomd, hm, mixture, pairs)
    energies = np.asarray(force.energies).reshape(-1, 2).sum(axis=1)
    fx = np.asarray(force.forces)[1::2, 0]  # force on the second particle, along +x
    expected_u = [float(mixture.pair(a, b).energy(r)) for a, b, r in pairs]
    expected_f = [float(mixture.pair(a, b).force(r)) for a, b, r in pairs]
    # The IPL runs as m = 1e-6 in HOOMD (HOOMD_IPL_EXPONENT): errors below 1e-6 eps.
    ipl = m == INVERSE_POWER_LAW
    npt.assert_allclose(
        energies, expected_u, rtol=1e-6 if ipl else 1e-9, atol=1.3e-6 if ipl else 1e-9
    )
    npt.assert_allclose(fx, expected_f, rtol=1e-6 if ipl else 1e-9, atol=1e-5 if ipl else 1e-8)


def test_polydisperse_mixture_sets_every_pair(hoomd, hm):
    mixture, _fractions = MieMixture.polydisperse()
    counts = {t: 2 for t in mixture.types}
    frame = fluid_frame(mixture, counts, 1.0, 0.1, np.random.default_rng(0))
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=2)
    sim.create_state_from_snapshot(hoomd.Snapshot.from_gsd_frame(frame, sim.device.communicator))
    force = hm.mie_pair_force(mixture)
    sim.operations.integrator = hoomd.md.Integrator(dt=1e-3, forces=[force])
    sim.run(0)  # raises IncompleteSpecificationError if a pair is missing
    assert len(mixture.pairs()) == 26 * 27 // 2
    assert force.r_cut[("L0", "S12")] == pytest.approx(mixture.pair("L0", "S12").r_cut)


def compress_run(hm, tmp_path, *, droplet=False, stop_after=None, name="run", thermostat="mttk"):
    mixture = MieMixture.binary(NARROW_WELL)
    schedule = CompressionSchedule(
        0.2, 0.35, 0.45, equilibrate_steps=1000, precompress_steps=2000, ramp_steps=3000,
        hold_steps=1000,
    )  # fmt: skip
    run = hm.MieRun(
        tmp_path / name, mixture, KT, schedule, seed=7, droplet=droplet, thermostat=thermostat,
        frame_period=500, checkpoint_period=1500, resize_period=50,
    )  # fmt: skip
    if not run.path(INITIAL).exists():
        run.initialize(
            fluid_frame(mixture, COUNTS, KT, 0.2, np.random.default_rng(3), droplet=droplet)
        )
    run.run(progress=False, stop_after=stop_after)
    return run


def read_log(path, key):
    with gsd.hoomd.open(path) as f:
        steps = np.array([int(fr.configuration.step) for fr in f])
        values = np.array([float(fr.log[key][0]) for fr in f])
    return steps, values


def test_bulk_compression_follows_schedule(hm, tmp_path):
    run = compress_run(hm, tmp_path)
    steps, phi = read_log(run.path(TRAJECTORY), PHI_KEY)
    npt.assert_array_equal(steps, np.arange(500, 7001, 500))
    # The volume is set every 50 steps: the logged phi lags the schedule by at most that.
    lo, hi = run.schedule.phi(steps - 50), run.schedule.phi(steps)
    assert np.all((phi >= lo - 1e-9) & (phi <= hi + 1e-9))
    assert phi[-1] == pytest.approx(0.45, rel=1e-9)
    # phi really is the BH volume over the box volume.
    with gsd.hoomd.open(run.path(TRAJECTORY)) as f:
        volume = np.prod(f[-1].configuration.box[:3])
    vp = run.mixture.effective_particle_volume(COUNTS, KT)
    assert vp / volume == pytest.approx(0.45, rel=1e-6)
    assert run.done


def test_droplet_wall_confines_particles(hm, tmp_path):
    run = compress_run(hm, tmp_path, droplet=True, thermostat="langevin")
    radius = run.schedule.droplet_radius(
        run.schedule.total_steps, run.mixture.effective_particle_volume(COUNTS, KT)
    )
    with gsd.hoomd.open(run.path(TRAJECTORY)) as f:
        last = f[-1]
    r = np.linalg.norm(last.particles.position, axis=1)
    assert r.max() < radius  # every centre inside the shrunken wall
    # and the droplet is not a shell: a fair share of the particles sits in the inner half volume
    assert np.mean(r < radius / 2 ** (1 / 3)) > 0.3


def test_resume_after_kill_continues_the_schedule(hm, tmp_path):
    run = compress_run(hm, tmp_path, stop_after=3100, name="killed")
    assert run.simulation.timestep == 3100
    with gsd.hoomd.open(run.path(RESTART)) as f:
        assert int(f[0].configuration.step) == 3100
        dof = np.asarray(f[0].log["restart/translational_dof"])
    # Frames written after the checkpoint are orphans; plant one to check they are dropped.
    with gsd.hoomd.open(run.path(TRAJECTORY), "r+") as f:
        orphan = f[-1]
        orphan.configuration.step = 3400
        f.append(orphan)
    resumed = compress_run(hm, tmp_path, name="killed")
    assert resumed.performance["steps"] == 7000 - 3100
    steps, phi = read_log(run.path(TRAJECTORY), PHI_KEY)
    npt.assert_array_equal(steps, np.arange(500, 7001, 500))
    assert phi[-1] == pytest.approx(0.45, rel=1e-9)
    assert np.all(np.isfinite(dof)) and np.any(dof != 0)


def test_frozen_seed_is_held_then_released(hm, tmp_path):
    from hoomd_rigidfield.analysis import lattices

    mixture = MieMixture.binary(NARROW_WELL)
    lattice = lattices.alb2(3, d_ll=1.03, c_over_a=1.03)
    seed_pos = lattice.positions - lattice.positions.mean(axis=0)
    seed_types = np.asarray(lattice.types)[lattice.typeid]
    frame = seeded_fluid_frame(
        mixture, seed_pos, seed_types, {"L": 60, "S": 120}, KT, 0.2, np.random.default_rng(5)
    )
    frozen = np.arange(frame.particles.N) < len(seed_pos)
    schedule = CompressionSchedule(
        0.2, 0.4, 0.4, precompress_steps=2000, hold_steps=1000, frozen_steps=2000
    )
    run = hm.MieRun(tmp_path / "seed", mixture, KT, schedule, seed=3, frame_period=500)
    run.initialize(frame, frozen)
    run.run(progress=False)
    with gsd.hoomd.open(run.path(TRAJECTORY)) as f:
        held, free = f[3], f[-1]  # steps 2000 and 3000
    start = np.asarray(frame.particles.position, dtype=np.float32)
    npt.assert_array_equal(held.particles.position[frozen], start[frozen])
    assert np.all(np.abs(held.particles.position[~frozen] - start[~frozen]).max(axis=1) > 0)
    assert np.abs(free.particles.position[frozen] - start[frozen]).max() > 1e-3
    # after release the seed particles have thermal velocities
    snap = run.simulation.state.get_snapshot()
    assert np.abs(snap.particles.velocity[frozen]).max() > 0


def test_nve_energy_drift_is_small(hoomd, hm, tmp_path):
    """dt = 1e-3 tau on a dense narrow-well fluid (phi_eff 0.45, beta eps = 2.5)."""
    run = compress_run(hm, tmp_path)
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=9)
    sim.create_state_from_gsd(str(run.path(RESTART)))
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=hoomd.filter.All())
    nve = hoomd.md.methods.ConstantVolume(filter=hoomd.filter.All())
    sim.operations.integrator = hoomd.md.Integrator(
        dt=1e-3, forces=[hm.mie_pair_force(run.mixture)], methods=[nve]
    )
    sim.operations.computes.append(thermo)
    sim.run(0)
    energy = []
    for _ in range(20):
        sim.run(1000)
        energy.append(thermo.kinetic_energy + thermo.potential_energy)
    energy = np.array(energy) / sim.state.N_particles
    t = np.arange(len(energy))
    slope = np.polyfit(t, energy, 1)[0] * len(energy)  # drift over the 2e4 steps
    # ASSEMBLY_MODELS 2.2: < 1e-3 kT per particle over 1e5 steps; over 2e4 steps: < 2e-4 kT.
    assert abs(slope) < 2e-4 * KT
    assert np.ptp(energy) < 5e-3 * KT  # fluctuations of a symplectic integrator, bounded
    assert thermo.kinetic_temperature == pytest.approx(KT, rel=0.35)


def test_run_validates_its_arguments(hm, tmp_path):
    mixture = MieMixture.binary(NARROW_WELL)
    schedule = CompressionSchedule(0.2, 0.3, 0.4, ramp_steps=10)
    with pytest.raises(ValueError, match="thermostat"):
        hm.MieRun(tmp_path, mixture, 1.0, schedule, seed=1, thermostat="berendsen")
    with pytest.raises(ValueError, match="dt"):
        hm.MieRun(tmp_path, mixture, 1.0, schedule, seed=1, dt=0.01)
    with pytest.raises(ValueError, match="seed"):
        hm.MieRun(tmp_path, mixture, 1.0, schedule, seed=70000)
    run = hm.MieRun(tmp_path, MieMixture.polydisperse()[0], 1.0, schedule, seed=1)
    frame = fluid_frame(mixture, COUNTS, 1.0, 0.2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="types"):
        run.initialize(frame)
    with pytest.raises(FileNotFoundError, match="initialize"):
        run.build()


def test_log_keys_are_pinned_to_the_files_written_before_the_move(hoomd, hm):
    """HOOMD derives a namespace from the module path; Compression's is pinned to its old one."""
    from hoomd_rigidfield.mie.compression import LOG_PHI

    logger = hoomd.logging.Logger(categories=["scalar"])
    compression = hm.Compression(CompressionSchedule(0.2, 0.3, 0.4, 10, 10, 10), 1.0)
    logger.add(compression, quantities=["volume_fraction"])
    assert ["/".join(key) for key in logger] == [LOG_PHI]
    assert LOG_PHI == "hoomd_rigidfield/hoomd/mie/Compression/volume_fraction"


def test_checkpoint_of_another_model_is_refused(hm, tmp_path):
    run = compress_run(hm, tmp_path, stop_after=1600, name="edited")
    with gsd.hoomd.open(run.path(RESTART)) as f:
        assert "restart/fingerprint" in f[0].log
    assert run.fingerprint()["kT"] == KT and run.fingerprint()["seed"] == 7
    other = hm.MieRun(
        run.directory, MieMixture.binary(NARROW_WELL), 2 * KT, run.schedule, seed=7,
        frame_period=500, checkpoint_period=1500, resize_period=50,
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"another run or model: it differs in kT \(checkpoint"):
        other.run(progress=False)
    # the same parameters resume
    assert compress_run(hm, tmp_path, name="edited").done
