"""Hard particles by the Einstein molecule in HPMC: spheres against Vega & Noya / Polson et al.

Reference: beta A/N = 4.9590(2) (total, Lambda = sigma, N -> infinity) at rho sigma^3 = 1.04086
(Vega & Noya 2007), i.e. the excess 5.91889(4) of Polson et al. 2000 plus ln(rho) - 1. The
finite-size form of the Einstein molecule is a + b/N - (3/2) ln N/N (study.extrapolate, exact for
the harmonic crystal; docs/free_energy.md).

Orientational springs (Noya, Conde & Vega 2008): orientable spheres must give the hard-sphere
result (the rotors' reference and their switching integral cancel), and a polyhedron crystal
must give one free energy whatever the two springs.
"""

import math

import numpy as np
import pytest

from hoomd_rigidfield.analysis.lattices import alb2, bcc, simple_cubic
from hoomd_rigidfield.freeenergy.einstein import (
    einstein_molecule_msd,
    hard_sphere_perturbation,
    rotor_mean_distance,
)
from hoomd_rigidfield.freeenergy.shapes import HardShape, octahedral_symmetries
from hoomd_rigidfield.freeenergy.study import build_lattice, extrapolate

pytestmark = pytest.mark.hoomd
RHO = 1.04086
VEGA_NOYA = 4.9590


def _run(hoomd, n_cells, sweeps, spring_max=2000.0, seed=1):
    from hoomd_rigidfield.freeenergy.hpmc import hard_sphere_free_energy

    return hard_sphere_free_energy(
        build_lattice("fcc", n_cells, RHO),
        spring_max=spring_max,
        sweeps=sweeps,
        seed=seed,
        progress=False,
        device=hoomd.device.CPU(notice_level=0),
    )


def test_stiff_node_is_the_ideal_molecule_and_springs_agree(hoomd):
    small = _run(hoomd, 2, 2000, spring_max=1000.0)
    stiff = _run(hoomd, 2, 2000, spring_max=4000.0, seed=2)
    node = stiff.nodes[0]
    assert node.msd == pytest.approx(einstein_molecule_msd(32, node.spring), rel=0.03)
    assert all(0.2 < nd.acceptance < 0.45 for nd in stiff.nodes)
    # the reference moves by 3 (N-1)/(2N) ln 4 = 2.01 kT per particle; the sum must not
    combined = (small.error**2 + stiff.error**2) ** 0.5
    assert stiff.reference - small.reference == pytest.approx(1.5 * 31 / 32 * 1.3862944, rel=1e-6)
    assert stiff.free_energy == pytest.approx(small.free_energy, abs=3 * combined + 0.005)


def test_hard_sphere_fcc_extrapolates_to_vega_noya(hoomd):
    runs = [_run(hoomd, k, 3000) for k in (2, 3)]
    a, da, _ = extrapolate(
        [r.n for r in runs], [r.free_energy for r in runs], [r.error for r in runs]
    )
    # 32 and 108 only: 3 sigma plus 0.01 kT for higher orders in 1/N at N = 32
    assert a == pytest.approx(VEGA_NOYA, abs=3 * da + 0.01)


@pytest.mark.slow
def test_hard_sphere_fcc_extrapolates_to_vega_noya_accurately(hoomd):
    runs = [_run(hoomd, k, 20000) for k in (3, 4, 5)]
    a, da, _ = extrapolate(
        [r.n for r in runs], [r.free_energy for r in runs], [r.error for r in runs]
    )
    assert da < 0.01
    assert a == pytest.approx(VEGA_NOYA, abs=3 * da)


def _particles(hoomd, lattice, shape, **kwargs):
    from hoomd_rigidfield.freeenergy.hpmc import hard_particle_free_energy

    return hard_particle_free_energy(
        lattice, shape, progress=False, device=hoomd.device.CPU(notice_level=0), **kwargs
    )


def _close(a, b, sigmas=3.0):
    return abs(a.free_energy - b.free_energy) < sigmas * math.hypot(a.error, b.error)


def test_orientable_spheres_give_the_hard_sphere_free_energy(hoomd):
    # 48 wells (both signs of the cube group) at Lambda_R = Lambda_E: the rotors' reference
    # -ln(48 z_1) = 8.8 kT must be undone by their switching integral
    lattice = build_lattice("fcc", 2, RHO)
    plain = _run(hoomd, 2, 3000, seed=3)
    rotors = _particles(
        hoomd,
        lattice,
        HardShape.sphere(orientable=True),
        symmetries=octahedral_symmetries(),
        spring_ratio=1.0,
        sweeps=3000,
        seed=4,
    )
    assert rotors.n_wells == 48 and rotors.reference_rotational > 8.0
    assert abs(rotors.rotational) < 3 * rotors.switching_rotational_error
    assert _close(rotors, plain)
    stiff = rotors.nodes[0]  # 3N / (2 Lambda_R) + 3 (N - 1) / (2 Lambda_E)
    assert stiff.rotational == pytest.approx(32 * rotor_mean_distance(stiff.spring), rel=0.05)
    assert stiff.integrand == pytest.approx(1.5 * 63 / stiff.spring, rel=0.05)
    assert all(0.2 < nd.rotate_acceptance for nd in rotors.nodes)


def test_one_rotor_well_is_sampled_as_the_closed_form_at_every_node(hoomd):
    # with the identity only, z_1 is exact at any x: every node's <sum d> is N <d>(r lambda),
    # which checks that HPMC samples S^3 uniformly; the overlaps ignore the orientations
    ratio = 0.5
    out = _particles(
        hoomd,
        build_lattice("fcc", 2, RHO),
        HardShape.sphere(orientable=True),
        spring_ratio=ratio,
        spring_max=1000.0,
        n_nodes=6,
        sweeps=1000,
        equilibration=100,
    )
    assert out.n_wells == 1
    for nd in out.nodes:
        ideal = 32 * rotor_mean_distance(ratio * nd.spring)
        assert nd.rotational == pytest.approx(ideal, abs=4 * nd.rotational_error + 0.01 * ideal)
    assert out.nodes[-1].rotational > 20  # the soft end is far from the Gaussian 3N/2x


def _truncated_octahedra(hoomd, n_cells, settings, sweeps, n_perturbation):
    # truncated octahedra on bcc (the Voronoi cell, shrunk to packing fraction 0.75), 48 wells
    a = 1.0
    lattice = bcc(n_cells, a * math.sqrt(3) / 2)
    shape = HardShape.truncated_octahedron(0.75 ** (1 / 3) * a / (2 * math.sqrt(2)))
    return [
        _particles(
            hoomd,
            lattice,
            shape,
            symmetries=octahedral_symmetries(),
            spring_max=spring,
            spring_ratio=ratio,
            sweeps=sweeps,
            n_perturbation=n_perturbation,
            seed=seed,
        )
        for seed, (spring, ratio) in enumerate(settings, start=1)
    ]


def test_truncated_octahedron_crystal_is_independent_of_the_springs(hoomd):
    # 16 particles; Lambda_E = 2000, Lambda_R = 4000 against Lambda_E = 6000, Lambda_R = 3000
    runs = _truncated_octahedra(hoomd, 2, [(2000.0, 2.0), (6000.0, 0.5)], 3000, 2000)
    first, second = runs
    assert abs(first.reference - second.reference) > 10 * math.hypot(first.error, second.error)
    assert _close(first, second)
    for run in runs:
        node = run.nodes[0]  # the stiffest node is close to the ideal molecule
        assert node.msd == pytest.approx(einstein_molecule_msd(16, node.spring), rel=0.08)
        ideal_rot = 16 * rotor_mean_distance(run.spring_ratio * node.spring)
        assert node.rotational == pytest.approx(ideal_rot, rel=0.05)
        assert all(0.15 < min(nd.acceptance, nd.rotate_acceptance) for nd in run.nodes)
        assert all(max(nd.acceptance, nd.rotate_acceptance) < 0.55 for nd in run.nodes)
        assert 0 < run.perturbation.value < 0.05


@pytest.mark.slow
def test_truncated_octahedron_crystal_of_54_is_independent_of_the_springs(hoomd):
    runs = _truncated_octahedra(hoomd, 3, [(2000.0, 2.0), (6000.0, 0.5)], 8000, 10_000)
    assert abs(runs[0].reference - runs[1].reference) > 10 * math.hypot(*(r.error for r in runs))
    assert _close(*runs)


@pytest.fixture(scope="module")
def hpmc(hoomd):
    from hoomd_rigidfield.freeenergy import hpmc

    return hpmc


def test_hoomd_overlap_counts_match_the_numpy_hard_sphere_ones(hoomd, hpmc):
    # the same perturbation step, overlaps by HPMC (orientable spheres) and by NumPy distances
    lattice = build_lattice("fcc", 2, RHO)
    snap = hoomd.Snapshot()
    b = lattice.box
    snap.configuration.box = [b.Lx, b.Ly, b.Lz, 0, 0, 0]
    snap.particles.N = 32
    snap.particles.types = ["A"]
    snap.particles.position[:] = lattice.positions
    sim = hoomd.Simulation(device=hoomd.device.CPU(notice_level=0), seed=1)
    sim.create_state_from_snapshot(snap)
    mc = hoomd.hpmc.integrate.Sphere(nselect=1)
    mc.shape["A"] = HardShape.sphere(orientable=True).hoomd_params
    sim.operations.integrator = mc
    sim.run(0)
    q0 = np.tile([1.0, 0.0, 0.0, 0.0], (32, 1))
    by_hoomd = hpmc.overlap_perturbation(sim, mc, lattice, q0, 500.0, 50.0, n_samples=3000, rng=1)
    by_numpy = hard_sphere_perturbation(lattice.box, lattice.positions, 500.0, n_samples=20_000)
    assert by_hoomd.value > 10 * by_hoomd.error  # P(no overlap) is about 0.3 here
    assert by_hoomd.value == pytest.approx(
        by_numpy.value, abs=4 * math.hypot(by_hoomd.error, by_numpy.error)
    )
    assert np.allclose(sim.state.get_snapshot().particles.position, lattice.positions)


_CUBES = simple_cubic(2, 1.2)
_SYM = octahedral_symmetries()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(shapes=HardShape.cube()), "spring_ratio must be > 0 sigma"),
        (dict(shapes=HardShape.cube(), spring_ratio=math.nan), "spring_ratio must be a finite"),
        (dict(shapes=HardShape.cube(), spring_ratio=-1.0), "spring_ratio must be a finite"),
        (dict(shapes=HardShape.sphere(), spring_ratio=1.0), "must be 0 for non-orientable"),
        (
            dict(shapes=HardShape.sphere(), orientations=[1.0, 0, 0, 0]),
            "orientations needs orientable",
        ),
        (
            dict(shapes=HardShape.sphere(orientable=True), symmetries=_SYM),
            "symmetries needs spring_ratio",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=1.0, symmetries=_SYM[1:]),
            "must include the identity",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=1.0, symmetries=_SYM * 1.1),
            "symmetries must be unit quaternions",
        ),
        (
            dict(
                shapes=HardShape.cube(), spring_ratio=1.0, symmetries=np.r_[_SYM, [[1.0, 0, 0, 0]]]
            ),
            "same quaternion",
        ),
        (
            dict(
                shapes=HardShape.convex_polyhedron(HardShape.cube().vertices * [1, 1, 2]),
                spring_ratio=1.0,
                symmetries=_SYM,
            ),
            "not a symmetry of the shape",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=0.01, spring_max=100.0, symmetries=_SYM),
            r"spring_ratio \* spring_max = 1.0 kT puts",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=1.0, orientations=[2.0, 0, 0, 0]),
            r"orientations must be unit quaternions .*orientations\[0\] has norm 2.0",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=1.0, orientations=np.ones((3, 4)) / 2),
            r"orientations must have shape \(4,\) or \(8, 4\)",
        ),
        (
            dict(shapes=HardShape.cube(), spring_ratio=1.0, orientations=[math.nan, 0, 0, 0]),
            "orientations must be finite",
        ),
        (dict(shapes={"A": HardShape.cube()}, spring_ratio=1.0), "no entry for types"),
        (dict(shapes={"L": "cube"}, spring_ratio=1.0), "must be a HardShape"),
        (dict(shapes="cube"), "shapes must be a HardShape"),
        (dict(shapes=HardShape.cube(), spring_ratio=1.0, n_perturbation=0), "n_perturbation must"),
        (dict(shapes=HardShape.cube(1.3), spring_ratio=1.0), "overlapping pairs"),
    ],
)
def test_bad_hard_particle_inputs_name_the_parameter(hpmc, kwargs, match):
    kwargs = dict(kwargs)
    shapes = kwargs.pop("shapes")
    with pytest.raises(ValueError, match=match):
        hpmc.hard_particle_free_energy(_CUBES, shapes, progress=False, sweeps=32, **kwargs)


@pytest.mark.parametrize(
    "small", [HardShape.sphere(0.5), HardShape.sphere(1.0, orientable=True)], ids=["kind", "rotor"]
)
def test_mixed_shapes_are_refused(hpmc, small):
    big = HardShape.cube() if small.orientable is False else HardShape.sphere(1.0)
    with pytest.raises(ValueError, match="shapes must all be spheres or all polyhedra"):
        hpmc.hard_particle_free_energy(alb2(1, 2.0), {"L": big, "S": small}, spring_ratio=1.0)
