"""Truncating a GSD trajectory back to a checkpoint step (resumable MC and MD runs)."""

import gsd.fl
import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield.gsdfiles import (
    as_mesh_shape_spec,
    mesh_shape_spec,
    mesh_triangles,
    mesh_volume_and_area,
    truncate_trajectory,
)

STEPS = [0, 100, 200, 300, 400]
N = 6


def make_frame(step):
    rng = np.random.default_rng(1000 + step)  # distinct, reproducible content per frame
    frame = gsd.hoomd.Frame()
    frame.configuration.step = step
    frame.configuration.box = [8.0, 8.0, 8.0, 0, 0, 0]
    frame.particles.N = N
    frame.particles.types = ["L", "S"]
    frame.particles.typeid = np.array([0, 0, 1, 1, 1, 1], dtype=np.uint32)
    frame.particles.position = rng.uniform(-4, 4, size=(N, 3)).astype(np.float32)
    frame.particles.orientation = rng.normal(size=(N, 4)).astype(np.float32)
    frame.log["md/compute/ThermodynamicQuantities/potential_energy"] = np.array([-0.5 * step])
    return frame


def write_trajectory(path, steps=STEPS):
    with gsd.hoomd.open(path, "w") as f:
        for step in steps:
            f.append(make_frame(step))


def read_trajectory(path):
    with gsd.hoomd.open(path, "r") as f:
        return list(f)


def assert_frame_matches(frame, step):
    expected = make_frame(step)
    assert frame.configuration.step == step
    np.testing.assert_allclose(frame.configuration.box, expected.configuration.box)
    assert frame.particles.N == N
    assert list(frame.particles.types) == ["L", "S"]
    np.testing.assert_array_equal(frame.particles.typeid, expected.particles.typeid)
    np.testing.assert_array_equal(frame.particles.position, expected.particles.position)
    np.testing.assert_array_equal(frame.particles.orientation, expected.particles.orientation)
    key = "md/compute/ThermodynamicQuantities/potential_energy"
    np.testing.assert_array_equal(frame.log[key], expected.log[key])


@pytest.fixture
def trajectory(tmp_path):
    path = tmp_path / "trajectory.gsd"
    write_trajectory(path)
    return path


@pytest.mark.parametrize(
    "step, kept",
    [(250, [0, 100, 200]), (200, [0, 100, 200]), (0, [0]), (399, [0, 100, 200, 300])],
)
def test_drops_frames_after_step(trajectory, step, kept):
    assert truncate_trajectory(trajectory, step) == len(kept)
    frames = read_trajectory(trajectory)
    assert [int(f.configuration.step) for f in frames] == kept
    for frame, s in zip(frames, kept):
        assert_frame_matches(frame, s)


def test_drops_everything_before_first_frame(trajectory):
    assert truncate_trajectory(trajectory, -1) == 0
    assert read_trajectory(trajectory) == []


@pytest.mark.parametrize("step", [400, 401, 10**9])
def test_no_op_when_nothing_to_drop(trajectory, step):
    before = trajectory.read_bytes()
    stat = trajectory.stat()
    assert truncate_trajectory(trajectory, step) == len(STEPS)
    assert trajectory.read_bytes() == before
    after = trajectory.stat()
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert sorted(p.name for p in trajectory.parent.iterdir()) == ["trajectory.gsd"]


def test_empty_trajectory(tmp_path):
    path = tmp_path / "empty.gsd"
    write_trajectory(path, steps=[])
    assert truncate_trajectory(path, 0) == 0
    assert read_trajectory(path) == []


def test_replaced_atomically_without_leftovers(trajectory):
    inode = trajectory.stat().st_ino
    assert truncate_trajectory(str(trajectory), 150) == 2  # str paths work too
    # A new file was renamed over the old one (not rewritten in place), and no temporary remains.
    assert trajectory.stat().st_ino != inode
    assert sorted(p.name for p in trajectory.parent.iterdir()) == ["trajectory.gsd"]
    assert [int(f.configuration.step) for f in read_trajectory(trajectory)] == [0, 100]


def test_stale_temporary_from_a_killed_truncation_is_overwritten(trajectory):
    stale = trajectory.parent / "trajectory.gsd.tmp"
    stale.write_bytes(b"half-written garbage")
    assert truncate_trajectory(trajectory, 100) == 2
    assert not stale.exists()
    frames = read_trajectory(trajectory)
    assert [int(f.configuration.step) for f in frames] == [0, 100]
    assert_frame_matches(frames[1], 100)


def test_appending_after_truncation_continues_the_run(trajectory):
    # The resume pattern: truncate to the checkpoint, then append the frames written again.
    truncate_trajectory(trajectory, 200)
    with gsd.hoomd.open(trajectory, "a") as f:
        for step in (300, 400):
            f.append(make_frame(step))
    frames = read_trajectory(trajectory)
    assert [int(f.configuration.step) for f in frames] == STEPS
    for frame, step in zip(frames, STEPS):
        assert_frame_matches(frame, step)


def test_restarted_run_with_repeated_steps(tmp_path):
    # A run killed after 300 and restarted from a checkpoint at 100 wrote 200 and 300 again.
    path = tmp_path / "trajectory.gsd"
    write_trajectory(path, steps=[0, 100, 200, 300, 200, 300])
    assert truncate_trajectory(path, 100) == 2
    assert [int(f.configuration.step) for f in read_trajectory(path)] == [0, 100]


def write_hoomd4_like(path, steps):
    """A trajectory as HOOMD-blue 4 writes it: schema version 1.4, static data in frame 0 only."""
    with gsd.fl.open(
        path, "w", application="HOOMD-blue v4.9.1", schema="hoomd", schema_version=[1, 4]
    ) as f:
        for k, step in enumerate(steps):
            f.write_chunk("configuration/step", np.array([step], dtype=np.uint64))
            if k == 0:
                f.write_chunk("configuration/box", np.array([6, 6, 6, 0, 0, 0], dtype=np.float32))
                f.write_chunk("particles/N", np.array([2], dtype=np.uint32))
                f.write_chunk("particles/typeid", np.array([0, 1], dtype=np.uint32))
            f.write_chunk("particles/position", np.full((2, 3), k, dtype=np.float32))
            f.end_frame()


def test_keeps_schema_version_and_frame_zero_defaults(tmp_path):
    path = tmp_path / "hoomd.gsd"
    write_hoomd4_like(path, [0, 1000, 2000, 3000])
    assert truncate_trajectory(path, 1000) == 2
    with gsd.fl.open(path, "r") as f:
        # HOOMD-blue 4 refuses to append to a newer schema version than it writes.
        assert tuple(f.schema_version) == (1, 4)
        assert f.schema == "hoomd" and f.application == "HOOMD-blue v4.9.1"
        assert f.nframes == 2
        assert not f.chunk_exists(1, "particles/N")  # static data still only in frame 0
    frames = read_trajectory(path)
    assert [int(fr.configuration.step) for fr in frames] == [0, 1000]
    for k, frame in enumerate(frames):
        assert frame.particles.N == 2  # frame 1 falls back on frame 0, as before
        np.testing.assert_allclose(frame.configuration.box, [6, 6, 6, 0, 0, 0])
        np.testing.assert_array_equal(frame.particles.position, k)


def test_step_omitted_because_equal_to_frame_zero(tmp_path):
    # A run started at 500, and frame 2 re-written at 500 with new positions: gsd.hoomd writes
    # no configuration/step chunk in frame 2 because 500 equals frame 0's step.
    path = tmp_path / "trajectory.gsd"
    rewritten = make_frame(500)
    rewritten.particles.position = rewritten.particles.position + np.float32(0.25)
    with gsd.hoomd.open(path, "w") as f:
        f.extend([make_frame(500), make_frame(1000), rewritten])
    with gsd.fl.open(path, "r") as f:
        assert f.nframes == 3 and not f.chunk_exists(2, "configuration/step")
    assert [int(f.configuration.step) for f in read_trajectory(path)] == [500, 1000, 500]
    assert truncate_trajectory(path, 400) == 0
    assert read_trajectory(path) == []


CUBE_VERTICES = [[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]
# Squares wound counter-clockwise seen from outside (index = 4 (x>0) + 2 (y>0) + (z>0)).
CUBE_FACES = [[4, 6, 7, 5], [0, 1, 3, 2], [2, 3, 7, 6], [0, 4, 5, 1], [1, 5, 7, 3], [0, 2, 6, 4]]


class TestMeshShapeSpec:
    def test_cube_volume_area_and_round_trip(self, tmp_path):
        spec = mesh_shape_spec(np.array(CUBE_VERTICES), CUBE_FACES)
        assert spec == {"type": "Mesh", "vertices": CUBE_VERTICES, "indices": CUBE_FACES}
        assert mesh_volume_and_area(spec["vertices"], spec["indices"]) == (8.0, 24.0)
        # Reversed winding (normals inwards) flips the sign of the volume only.
        inward = [f[::-1] for f in CUBE_FACES]
        assert mesh_volume_and_area(CUBE_VERTICES, inward) == (-8.0, 24.0)
        frame = make_frame(0)
        frame.particles.type_shapes = [spec, {}]
        with gsd.hoomd.open(tmp_path / "shapes.gsd", "w") as f:
            f.append(frame)
        assert read_trajectory(tmp_path / "shapes.gsd")[0].particles.type_shapes == [spec, {}]

    @pytest.mark.parametrize(
        "vertices, faces, match",
        [
            (CUBE_VERTICES[:3], CUBE_FACES, "vertices"),
            ([[0, 0, 0, 0]] * 8, CUBE_FACES, "vertices"),
            ([[np.nan, 0, 0]] + CUBE_VERTICES[1:], CUBE_FACES, "finite"),
            (CUBE_VERTICES, [[0, 1]], r"faces\[0\]"),
            (CUBE_VERTICES, [*CUBE_FACES[:5], [0, 2, 8]], r"faces\[5\].*\[0, 8\)"),
            (CUBE_VERTICES, [[0, -1, 2]], r"faces\[0\]"),
            (CUBE_VERTICES, [], "at least one face"),
        ],
    )
    def test_invalid(self, vertices, faces, match):
        with pytest.raises(ValueError, match=match):
            mesh_shape_spec(vertices, faces)


class TestAsMeshShapeSpec:
    @pytest.mark.parametrize("size", [28.5, 57.0])
    def test_old_convex_polyhedron_spec_of_a_truncated_octahedron(self, size):
        from hoomd_rigidfield import TruncatedOctahedron

        nc = TruncatedOctahedron.from_size(size)
        old = {"type": "ConvexPolyhedron", "rounding_radius": 0.0, "vertices": nc.vertices.tolist()}
        mesh = as_mesh_shape_spec(old)
        assert mesh["type"] == "Mesh" and len(mesh["vertices"]) == 24
        assert sorted(len(f) for f in mesh["indices"]) == [4] * 6 + [6] * 8
        volume, area = mesh_volume_and_area(mesh["vertices"], mesh["indices"])
        assert volume == pytest.approx(nc.volume, rel=1e-12)
        assert area == pytest.approx(nc.surface_area, rel=1e-12)

    def test_other_specs_are_copied(self):
        sphere = {"type": "Sphere", "diameter": 0.55}
        out = as_mesh_shape_spec(sphere)
        assert out == sphere and out is not sphere
        assert as_mesh_shape_spec({}) == {}

    @pytest.mark.parametrize(
        "spec, match",
        [
            (
                {"type": "ConvexPolyhedron", "rounding_radius": 0.1, "vertices": CUBE_VERTICES},
                "rounded",
            ),
            (
                {
                    "type": "ConvexPolyhedron",
                    "vertices": [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]],
                },
                "no volume",
            ),
        ],
    )
    def test_invalid(self, spec, match):
        with pytest.raises(ValueError, match=match):
            as_mesh_shape_spec(spec)


def test_mesh_triangles_fan_each_face():
    triangles = mesh_triangles([[0, 1, 2], [3, 4, 5, 6, 7]])
    np.testing.assert_array_equal(triangles, [[0, 1, 2], [3, 4, 5], [3, 5, 6], [3, 6, 7]])
    assert mesh_triangles([]).shape == (0, 3)


def test_particle_properties_go_into_a_copy_of_the_frame():
    import gsd.hoomd
    import numpy as np
    import pytest

    from hoomd_rigidfield.gsdfiles import with_particle_properties

    frame = gsd.hoomd.Frame()
    frame.particles.N = 3
    frame.particles.position = np.zeros((3, 3), np.float32)
    frame.configuration.box = [5, 5, 5, 0, 0, 0]
    out = with_particle_properties(frame, phase=np.array([0, 1, 2]))
    np.testing.assert_array_equal(out.log["particles/rigidfield/phase"], [0, 1, 2])
    assert "particles/rigidfield/phase" not in frame.log  # the input is not changed
    np.testing.assert_array_equal(out.configuration.box, frame.configuration.box)
    with pytest.raises(ValueError, match="'phase' must hold one finite number per particle"):
        with_particle_properties(frame, phase=[0, 1])
    with pytest.raises(ValueError, match="'psi4' must hold one finite number per particle"):
        with_particle_properties(frame, psi4=[0.1, np.nan, 0.2])
