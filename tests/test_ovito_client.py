"""OVITO as a client: every kind of GSD file the package writes opens with what a user needs.

OVITO 3.17 (``pip install ovito``, in the ``test`` extra) is the viewer our users open
trajectories in. For each file kind it must read the particle count, types, positions,
orientations, the shape of every type and our per-particle properties:

* field-theory Monte Carlo trajectories and checkpoints (:class:`RotationalMonteCarlo`) of
  truncated octahedra at the study sizes 2 h100 = 28.5 A and 57 A, where OVITO fails on the
  ``ConvexPolyhedron`` shape spec (``docs/gsd_files.md``); the chains run on a toy free energy,
  since the file writer does not depend on the model;
* the same files written by HOOMD-blue's GSD writer from the field-rotation updater (HOOMD only);
* Mie ``init.gsd`` (per-particle diameters) and a HOOMD-blue Mie trajectory (per-type sphere
  shapes, ``tests/data/pre_layout``);
* patchy octagon monolayers: ``init.gsd`` and a HOOMD-blue HPMC trajectory (2D polygons).

OVITO names a per-particle log quantity ``log/particles/a/b`` ``a_b``; its orientations are
(x, y, z, w) where GSD's are (w, x, y, z). The studies' ``analysed.gsd`` files carry the crystal
class of each Mie particle and the |psi4|, |psi6| and 2D phase of each octagon as such
quantities (``gsdfiles.with_particle_properties``).
"""

import gsd.hoomd
import numpy as np
import numpy.testing as npt
import pytest

from hoomd_rigidfield import TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.montecarlo import RotationalMonteCarlo
from hoomd_rigidfield.fieldtheory.superlattice import fcc_sites
from hoomd_rigidfield.gsdfiles import mesh_volume_and_area
from hoomd_rigidfield.mie import study as mie_study
from hoomd_rigidfield.mie.configurations import write_initial
from hoomd_rigidfield.orientation import as_rotation_matrices
from hoomd_rigidfield.patchy import study as patchy_study
from hoomd_rigidfield.patchy.shape import TruncatedCube
from tests.conftest import load_project_module

ovito_io = pytest.importorskip(
    "ovito.io",
    reason="OVITO is not installed (pip install ovito, part of the test extra: "
    "pip install -e '.[test]')",
)

#: The NC sizes 2 h100 of the field-theory studies [A].
STUDY_SIZES = (28.5, 57.0)
#: Lattice constant of the test fcc cells in units of the NC size (no overlaps at any angle).
LATTICE_OVER_SIZE = 1.6
#: OVITO's name of the s_j column that the Monte Carlo writes (``particles/rigidfield/s``).
OVITO_S = "rigidfield_s"
#: OVITO's name of the HOOMD updater's s_j (``particles/rigidfield/FieldRotation/...``).
OVITO_UPDATER_S = "rigidfield_FieldRotation_order_parameter"
PRE_LAYOUT = "tests/data/pre_layout"
#: Triangles of a truncated octahedron fanned face by face: 6 squares x 2 + 8 hexagons x 4.
TRUNCATED_OCTAHEDRON_TRIANGLES = 44


class ToyFreeEnergy:
    """F = -sum_j (R_j)_zz on an fcc cell: a cheap model with the field model's interface."""

    def __init__(self, shapes, lattice_constant):
        self.positions = np.asarray(fcc_sites(lattice_constant, 1), dtype=float)
        self.box_length = float(lattice_constant)
        self.shapes = list(shapes)

    def evaluate(self, quaternions, reject_above=None):
        return -float(as_rotation_matrices(quaternions)[:, 2, 2].sum())

    def accept(self):
        pass

    def state(self):
        return {}

    def load_state(self, state):
        assert state == {}


def read(path, frame=-1):
    """OVITO's data collection of one frame and the number of frames it sees."""
    pipeline = ovito_io.import_file(str(path))
    n = pipeline.num_frames
    return pipeline.compute(frame % n), n


def gsd_frames(path):
    with gsd.hoomd.open(path, "r") as f:
        return list(f)


def assert_particles_match(data, frame):
    """Count, type names and ids, positions and (if any) orientations of a GSD frame."""
    p = data.particles
    assert p.count == frame.particles.N
    assert [t.name for t in p.particle_types.types] == list(frame.particles.types)
    npt.assert_array_equal(np.asarray(p.particle_types), frame.particles.typeid)
    npt.assert_allclose(np.asarray(p.positions), frame.particles.position, atol=1e-5)
    if "Orientation" in p:
        wxyz = np.roll(np.asarray(p.orientations), 1, axis=1)  # OVITO: (x, y, z, w)
        npt.assert_allclose(wxyz, frame.particles.orientation, atol=1e-6)
    npt.assert_allclose(np.diag(np.asarray(data.cell)[:3, :3])[:2], frame.configuration.box[:2])


def assert_mesh_type(ptype, volume, area, vertices, triangles):
    """OVITO built the type's mesh, and it encloses the body's volume and area."""
    assert ptype.shape.name == "Mesh", f"type {ptype.name}: OVITO did not build the shape"
    mesh = ptype.mesh
    assert (mesh.vertex_count, mesh.face_count) == (vertices, triangles)
    v, a = mesh_volume_and_area(mesh.get_vertices(), mesh.get_faces())
    assert v == pytest.approx(volume, rel=1e-5)  # OVITO keeps the mesh in single precision
    assert a == pytest.approx(area, rel=1e-5)


@pytest.fixture(scope="module")
def mc_files(tmp_path_factory):
    """Trajectory and checkpoint of a chain of one-size and of mixed-size NCs, per study size."""
    out = {}
    for size in STUDY_SIZES:
        nc = TruncatedOctahedron.from_size(size)
        other = TruncatedOctahedron.from_size(size / 1.5)
        for name, shapes in (("one", [nc] * 4), ("two", [nc, other, nc, other])):
            d = tmp_path_factory.mktemp(f"mc_{name}_{size}")
            mc = RotationalMonteCarlo(ToyFreeEnergy(shapes, LATTICE_OVER_SIZE * size), 1.0, seed=3)
            mc.run(6, checkpoint=d / "checkpoint.gsd", trajectory=d / "trajectory.gsd",
                   trajectory_period=2, progress=False)  # fmt: skip
            out[name, size] = (d, shapes)
    return out


class TestMonteCarloFiles:
    @pytest.mark.parametrize("size", STUDY_SIZES)
    @pytest.mark.parametrize("kind", ["trajectory.gsd", "checkpoint.gsd"])
    def test_truncated_octahedra_at_study_sizes(self, mc_files, size, kind):
        d, shapes = mc_files["one", size]
        frames = gsd_frames(d / kind)
        for i, frame in enumerate(frames):
            data, n = read(d / kind, i)
            assert n == len(frames) == (4 if kind == "trajectory.gsd" else 1)
            assert_particles_match(data, frame)
            (ptype,) = data.particles.particle_types.types
            assert ptype.name == "NC0"
            assert_mesh_type(
                ptype, shapes[0].volume, shapes[0].surface_area, 24, TRUNCATED_OCTAHEDRON_TRIANGLES
            )
            s = np.asarray(data.particles[OVITO_S])
            npt.assert_allclose(s, frame.log["particles/rigidfield/s"], rtol=1e-6)
            assert data.attributes["Timestep"] == frame.configuration.step
            assert data.attributes["rigidfield/mean_s"] == pytest.approx(s.mean(), rel=1e-6)

    @pytest.mark.parametrize("size", STUDY_SIZES)
    def test_one_mesh_per_type_for_mixed_sizes(self, mc_files, size):
        d, shapes = mc_files["two", size]
        data, _ = read(d / "trajectory.gsd")
        types = data.particles.particle_types.types
        assert [t.name for t in types] == ["NC0", "NC1"]
        for ptype, shape in zip(types, shapes[:2]):
            assert_mesh_type(
                ptype, shape.volume, shape.surface_area, 24, TRUNCATED_OCTAHEDRON_TRIANGLES
            )
        npt.assert_array_equal(np.asarray(data.particles.particle_types), [0, 1, 0, 1])


def test_hoomd_updater_trajectory(hoomd, tmp_path):
    """HOOMD-blue's GSD writer with the field-rotation updater's loggables (type_shapes, s_j)."""
    from hoomd_rigidfield.fieldtheory.update import FieldRotationUpdater
    from hoomd_rigidfield.orientation import haar_quaternions

    size = STUDY_SIZES[0]
    nc = TruncatedOctahedron.from_size(size)
    model = ToyFreeEnergy([nc] * 4, LATTICE_OVER_SIZE * size)
    snap = hoomd.Snapshot()
    snap.configuration.box = [model.box_length] * 3 + [0.0, 0.0, 0.0]
    snap.particles.N = 4
    snap.particles.types = ["NC"]
    snap.particles.position[:] = model.positions - model.box_length / 2
    snap.particles.orientation[:] = haar_quaternions(4, np.random.default_rng(5))
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=11)
    sim.create_state_from_snapshot(snap)
    updater = FieldRotationUpdater(trigger=hoomd.trigger.Periodic(1), model=model, kT=1.0)
    sim.operations.updaters.append(updater)
    logger = hoomd.logging.Logger()
    logger.add(updater)
    path = tmp_path / "trajectory.gsd"
    writer = hoomd.write.GSD(
        trigger=hoomd.trigger.Periodic(2), filename=str(path), mode="wb", logger=logger
    )
    sim.operations.writers.append(writer)
    sim.run(4)
    writer.flush()
    frames = gsd_frames(path)
    data, n = read(path)
    assert n == len(frames) == 2
    assert_particles_match(data, frames[-1])
    (ptype,) = data.particles.particle_types.types
    assert_mesh_type(ptype, nc.volume, nc.surface_area, 24, TRUNCATED_OCTAHEDRON_TRIANGLES)
    npt.assert_allclose(
        np.asarray(data.particles[OVITO_UPDATER_S]), updater.order_parameter, rtol=1e-6
    )


@pytest.fixture(scope="module")
def mie_sp():
    statepoints = load_project_module("binary_mie", "init").job_statepoints("cpu")
    return next(sp for sp in statepoints if sp["protocol"] == "ramp" and sp["geometry"] == "bulk")


class TestMieFiles:
    def test_initial_configuration_with_per_particle_diameters(self, mie_sp, tmp_path):
        frame, frozen = mie_study.initial_configuration(mie_sp)
        mixture = mie_study.from_statepoint(mie_sp).mixture
        write_initial(tmp_path / "init.gsd", frame, mixture, frozen)
        (written,) = gsd_frames(tmp_path / "init.gsd")
        data, n = read(tmp_path / "init.gsd")
        assert n == 1
        assert_particles_match(data, written)
        types = data.particles.particle_types.types
        assert [t.name for t in types] == ["L", "S"]
        for ptype in types:  # spheres (OVITO's default shape) of the mixture's diameters
            assert ptype.shape.name in ("Sphere", "Unspecified") and ptype.mesh is None
            assert ptype.radius == pytest.approx(mixture.diameters[ptype.name] / 2, rel=1e-6)
        radius = np.asarray(data.particles["Radius"])
        npt.assert_allclose(radius, written.particles.diameter / 2, rtol=1e-6)
        npt.assert_allclose(np.unique(radius), sorted(d / 2 for d in mixture.diameters.values()))

    def test_hoomd_trajectory_with_per_type_sphere_shapes(self):
        path = f"{PRE_LAYOUT}/mie_trajectory.gsd"
        frames = gsd_frames(path)
        for i, frame in enumerate(frames):
            data, n = read(path, i)
            assert n == len(frames) == 4
            assert_particles_match(data, frame)
            assert "Radius" not in data.particles  # sizes come from the type shapes alone
            radii = [t.radius for t in data.particles.particle_types.types]
            npt.assert_allclose(radii, [0.5, 0.275], rtol=1e-6)  # sigma_LL = 1, sigma_SS = 0.55

    def test_analysed_frame_carries_each_particles_crystal_class(self, mie_sp, tmp_path):
        (frame,) = gsd_frames(f"{PRE_LAYOUT}/mie_trajectory.gsd")[-1:]
        with gsd.hoomd.open(tmp_path / "analysed.gsd", "w") as f:
            f.append(mie_study.classified_frame(frame, mie_sp))
        (written,) = gsd_frames(tmp_path / "analysed.gsd")
        data, _ = read(tmp_path / "analysed.gsd")
        assert_particles_match(data, written)
        phase = np.asarray(data.particles["rigidfield_phase"])
        npt.assert_array_equal(phase, written.log["particles/rigidfield/phase"])
        large = np.asarray(frame.particles.typeid) == frame.particles.types.index("L")
        assert np.all(phase[~large] == mie_study.SMALL_CODE) and np.all(phase[large] >= 0)
        assert "rigidfield_cluster" in data.particles


@pytest.fixture(scope="module")
def patchy_sp():
    return next(iter(load_project_module("patchy_cubes", "init").job_statepoints("cpu")))


class TestPatchyFiles:
    def assert_octagons(self, data, octagon):
        (ptype,) = data.particles.particle_types.types
        assert data.cell.is2D
        # The polygon, fanned into 6 triangles in the z = 0 plane.
        assert ptype.shape.name == "Mesh"
        mesh = ptype.mesh
        assert (mesh.vertex_count, mesh.face_count) == (8, 6)
        v = mesh.get_vertices()
        npt.assert_allclose(v[:, 2], 0.0)
        npt.assert_allclose(v[:, :2], octagon.vertices, atol=1e-6)

    def test_initial_monolayer(self, patchy_sp, tmp_path):
        study = patchy_study.from_statepoint(patchy_sp)
        frame = study.initial_frame()
        with gsd.hoomd.open(tmp_path / "init.gsd", "w") as f:
            f.append(frame)
        data, n = read(tmp_path / "init.gsd")
        assert n == 1
        assert_particles_match(data, frame)
        self.assert_octagons(data, patchy_study.shape(patchy_sp))

    def test_analysed_frame_carries_psi4_psi6_and_the_phase(self, tmp_path):
        frame = gsd_frames(f"{PRE_LAYOUT}/patchy_trajectory.gsd")[-1]
        with gsd.hoomd.open(tmp_path / "analysed.gsd", "w") as f:
            f.append(patchy_study.ordered_frame(frame))
        (written,) = gsd_frames(tmp_path / "analysed.gsd")
        data, _ = read(tmp_path / "analysed.gsd")
        for name in ("psi4", "psi6", "phase"):
            npt.assert_allclose(
                np.asarray(data.particles[f"rigidfield_{name}"]),
                written.log[f"particles/rigidfield/{name}"],
                rtol=1e-6,
            )
        psi = np.asarray(data.particles["rigidfield_psi4"])
        assert np.all((psi >= 0) & (psi <= 1))

    def test_hoomd_hpmc_trajectory(self):
        path = f"{PRE_LAYOUT}/patchy_trajectory.gsd"
        frames = gsd_frames(path)
        for i in (0, len(frames) - 1):
            data, n = read(path, i)
            assert n == len(frames) == 10
            assert_particles_match(data, frames[i])
            self.assert_octagons(data, TruncatedCube(1.0, 0.15))
