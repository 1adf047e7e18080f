"""HOOMD-blue against the pure-Python models (skipped without HOOMD-blue)."""

import freud
import numpy as np
import pytest

from hoomd_rigidfield.shortrange.potentials import DLVOPair, hamaker_energy, salt_ions
from hoomd_rigidfield.shortrange.squarewell import ContinuousSquareWell

pytestmark = pytest.mark.hoomd


def _two(hoomd, r, box=20.0):
    snap = hoomd.Snapshot()
    snap.configuration.box = [box, box, box, 0, 0, 0]
    snap.particles.N = 2
    snap.particles.types = ["A"]
    snap.particles.position[:] = [[0, 0, 0], [r, 0, 0]]
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=1)
    sim.create_state_from_snapshot(snap)
    return sim


def _energy_and_force(hoomd, forces, r):
    sim = _two(hoomd, r)
    sim.operations.integrator = hoomd.md.Integrator(dt=1e-3, forces=forces)
    sim.run(0)
    energy = sum(float(np.sum(f.energies)) for f in forces)
    force = sum(np.asarray(f.forces)[1, 0] for f in forces)
    for f in list(forces):
        sim.operations.integrator.forces.remove(f)
    return energy, force


@pytest.mark.parametrize("depth, lam", [(3.5, 0.15), (6.0, 0.1)])
def test_md_square_well_equals_the_python_model(hoomd, depth, lam):
    from hoomd_rigidfield.shortrange.md import square_well_forces

    well = ContinuousSquareWell(depth=depth, lam=lam)
    for r in (0.99, 1.01, 1.05, well.step - 0.01, well.step, well.step + 0.013, well.r_cut + 0.01):
        energy, force = _energy_and_force(hoomd, square_well_forces(well), r)
        assert energy == pytest.approx(float(well.energy(r)), abs=2e-4 * depth + 1e-9), r
        assert force == pytest.approx(float(well.force(r)), rel=2e-3, abs=2e-2 * depth), r


def test_hoomd_dlvo_equals_hamaker_and_derjaguin(hoomd):
    from hoomd_rigidfield.shortrange.md import dlvo_pair_force, dlvo_parameters

    ions, z = salt_ions(0.05, 1, 3)
    nm = 1e-9
    base = dict(radius=2.25 * nm, hamaker=2e-19, surface_potential=-0.05, concentrations=ions,
                valencies=z, epsilon_r=182.0, temperature=298.15, check_derjaguin=False)  # fmt: skip
    pair = DLVOPair.from_salt(**base)
    r = np.array([4.8, 5.5, 6.5, 7.5])
    hoomd_u = [_energy_and_force(hoomd, [dlvo_pair_force(pair, nm, 8.0)], x)[0] for x in r]
    # van der Waals alone (psi0 = 0): the exact Hamaker energy
    flat = DLVOPair.from_salt(**{**base, "surface_potential": 0.0})
    vdw_u = [_energy_and_force(hoomd, [dlvo_pair_force(flat, nm, 8.0)], x)[0] for x in r]
    np.testing.assert_allclose(vdw_u, hamaker_energy(r * nm, 2.25 * nm, 2.25 * nm, 2e-19, 298.15),
                               rtol=1e-9)  # fmt: skip
    # electrostatics: HOOMD's exponential is the kappa h >> 1 limit of ln(1 + exp(-kappa h))
    el = np.asarray(hoomd_u) - np.asarray(vdw_u)
    h = r * nm - 4.5 * nm
    x = np.exp(-h / pair.debye_length)
    np.testing.assert_allclose(el * np.log1p(x) / x, pair.electrostatic(r * nm), rtol=1e-9)
    p = dlvo_parameters(pair, nm)
    assert p["kappa"] == pytest.approx(nm / pair.debye_length) and p["a1"] == pytest.approx(2.25)
    with pytest.raises(ValueError, match="must be 'hhf'"):
        dlvo_parameters(DLVOPair.from_salt(**{**base, "electrostatics": "lsa"}), nm)


def test_hpmc_step_is_the_exact_square_well(hoomd):
    from hoomd_rigidfield.shortrange.hpmc import square_well_integrator

    for r, expected in ((1.02, -3.0), (1.149, -3.0), (1.151, 0.0)):
        sim = _two(hoomd, r)
        sim.operations.integrator = square_well_integrator(3.0, 0.15)
        sim.run(0)
        assert sim.operations.integrator.pair_energy == pytest.approx(expected)
        assert sim.operations.integrator.overlaps == 0
    with pytest.raises(ValueError, match="lam"):
        square_well_integrator(3.0, 0.0)


def test_md_and_hpmc_agree_on_a_crystal(hoomd):
    # fcc at nearest-neighbour distance 1.04: 6 bonds per particle in both models
    from hoomd_rigidfield.shortrange.hpmc import square_well_integrator
    from hoomd_rigidfield.shortrange.md import square_well_forces

    box, points = freud.data.UnitCell.fcc().generate_system(3, scale=1.04 * 2**0.5)
    well = ContinuousSquareWell(depth=3.0, lam=0.15)
    energies = []
    for integrator in (
        hoomd.md.Integrator(dt=1e-3, forces=square_well_forces(well)),
        square_well_integrator(3.0, 0.15),
    ):
        snap = hoomd.Snapshot()
        snap.configuration.box = [box.Lx, box.Ly, box.Lz, 0, 0, 0]
        snap.particles.N = len(points)
        snap.particles.types = ["A"]
        snap.particles.position[:] = points
        sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=2)
        sim.create_state_from_snapshot(snap)
        sim.operations.integrator = integrator
        sim.run(0)
        if isinstance(integrator, hoomd.md.Integrator):
            energies.append(sum(float(np.sum(f.energies)) for f in integrator.forces))
        else:
            energies.append(integrator.pair_energy)
    assert energies[1] == pytest.approx(-6 * 3.0 * len(points))
    assert energies[0] == pytest.approx(energies[1], rel=1e-4)
