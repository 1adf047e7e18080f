import math

import numpy as np
import pytest

from hoomd_rigidfield import ConvexPolyhedron, TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.shapes import contact_distance, overlap
from hoomd_rigidfield.gsdfiles import mesh_volume_and_area
from hoomd_rigidfield.orientation import rotation_about

# ../shared/FIELD_THEORY.md (e): 2 h100 = 57 A, regular (w = sqrt3/2) and literal (w = 1.02) shapes
REGULAR_57 = {"volume": 92596, "area": 10878, "edge": 20.15, "extent110": 30.2, "rcirc": 31.9}
LITERAL_57 = {"volume": 128468, "area": 13370, "extent110": 35.6, "rcirc": 35.9}


def cube(half=1.0):
    return ConvexPolyhedron(
        [[sx * half, sy * half, sz * half] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)]
    )


class TestTruncatedOctahedron:
    def test_regular_numbers(self):
        t = TruncatedOctahedron.from_size(57.0)
        assert t.volume == pytest.approx(REGULAR_57["volume"], abs=1)
        assert t.surface_area == pytest.approx(REGULAR_57["area"], abs=1)
        assert t.extent([1, 1, 0]) == pytest.approx(REGULAR_57["extent110"], abs=0.05)
        assert t.circumradius == pytest.approx(REGULAR_57["rcirc"], abs=0.05)
        lengths = np.concatenate([np.linalg.norm(f.edges, axis=1) for f in t.faces])
        np.testing.assert_allclose(lengths, REGULAR_57["edge"], atol=0.01)  # Archimedean

    def test_literal_numbers_and_analytic_volume(self):
        t = TruncatedOctahedron.from_size(57.0, wulff_ratio=1.02)
        d = math.sqrt(3) * t.h111
        assert t.volume == pytest.approx((4 / 3) * d**3 - 4 * (d - t.h100) ** 3, rel=1e-12)
        assert t.volume == pytest.approx(LITERAL_57["volume"], abs=1)
        assert t.surface_area == pytest.approx(LITERAL_57["area"], abs=1)
        assert t.extent([1, 1, 0]) == pytest.approx(LITERAL_57["extent110"], abs=0.05)
        assert t.circumradius == pytest.approx(LITERAL_57["rcirc"], abs=0.05)

    def test_faces(self):
        t = TruncatedOctahedron(10.0, 9.0)
        counts = sorted(len(f.vertices) for f in t.faces)
        assert counts == [4] * 6 + [6] * 8
        assert len(t.vertices) == 24
        for f in t.faces:
            d = f.vertices @ f.normal
            expected = t.h100 if len(f.vertices) == 4 else t.h111
            np.testing.assert_allclose(d, expected, rtol=1e-12)  # on the facet plane
            turn = np.cross(f.edges, np.roll(f.edges, -1, axis=0)) @ f.normal
            assert np.all(turn > 0)  # counter-clockwise about the outward normal
            nu = f.edge_normals
            np.testing.assert_allclose(
                np.einsum("ij,ij->i", nu, f.edge_midpoints - f.centroid) > 0, True
            )
        assert sum(f.area for f in t.faces) == pytest.approx(t.surface_area)

    @pytest.mark.parametrize("w", [0.5, 1 / math.sqrt(3), 2 / math.sqrt(3), 1.3])
    def test_invalid_wulff_ratio(self, w):
        with pytest.raises(ValueError, match="Wulff ratio"):
            TruncatedOctahedron(10.0, 10.0 * w)

    def test_invalid_size(self):
        with pytest.raises(ValueError, match="positive"):
            TruncatedOctahedron(-1.0, 1.0)

    def test_repr_round_trip(self):
        import hoomd_rigidfield  # noqa: F401 - used by eval

        t = TruncatedOctahedron.from_size(57.0)
        assert repr(eval(repr(t))) == repr(t)
        c = cube()
        assert eval(repr(c)).volume == pytest.approx(c.volume)

    @pytest.mark.parametrize("size", [12.0, 20.0, 28.5, 57.0])
    def test_gsd_shape_spec(self, size):
        # A GSD Mesh (docs/gsd_files.md): 24 vertices, 6 squares + 8 hexagons wound outwards,
        # reproducing the solid's volume and area (REGULAR_57 at 57 A).
        t = TruncatedOctahedron.from_size(size)
        spec = t.gsd_shape_spec
        assert spec["type"] == "Mesh"
        assert len(spec["vertices"]) == 24
        assert sorted(len(f) for f in spec["indices"]) == [4] * 6 + [6] * 8
        volume, area = mesh_volume_and_area(spec["vertices"], spec["indices"])
        assert volume == pytest.approx(t.volume, rel=1e-12)
        assert area == pytest.approx(t.surface_area, rel=1e-12)
        if size == 57.0:
            assert volume == pytest.approx(REGULAR_57["volume"], abs=1)
            assert area == pytest.approx(REGULAR_57["area"], abs=1)
        spec["vertices"][0][0] = 1e9  # a copy: the shape's own spec is unchanged
        assert t.gsd_shape_spec["vertices"][0][0] != 1e9


class TestConvexPolyhedron:
    def test_cube(self):
        c = cube(1.5)
        assert c.volume == pytest.approx(27.0)
        assert c.surface_area == pytest.approx(54.0)
        assert c.circumradius == pytest.approx(1.5 * math.sqrt(3))
        assert len(c.faces) == 6

    def test_interior_points_discarded(self):
        pts = np.vstack([cube().vertices, [[0.1, 0.2, 0.3]]])
        assert len(ConvexPolyhedron(pts).vertices) == 8

    def test_origin_must_be_inside(self):
        with pytest.raises(ValueError, match="origin"):
            ConvexPolyhedron(cube().vertices + 2.0)

    def test_degenerate(self):
        with pytest.raises(ValueError):
            ConvexPolyhedron([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]])
        with pytest.raises(ValueError, match="shape"):
            ConvexPolyhedron([[0, 0, 0], [1, 0, 0]])

    def test_placed_is_rigid(self, rng):
        t = TruncatedOctahedron(10.0, 9.0)
        rot = rotation_about(rng.normal(size=3), 1.1)
        p = t.placed(rot, [1.0, 2.0, 3.0])
        np.testing.assert_allclose(p.center, [1, 2, 3])
        assert p.volume == t.volume and p.circumradius == pytest.approx(t.circumradius)
        for f0, f1 in zip(t.faces, p.faces):
            np.testing.assert_allclose(f1.normal, rot @ f0.normal, atol=1e-14)
            np.testing.assert_allclose(
                f1.vertices @ f1.normal, f0.vertices @ f0.normal + f1.normal @ p.center
            )
        q = p.translated([1.0, 0, 0])
        np.testing.assert_allclose(q.vertices - p.vertices, [[1, 0, 0]] * 24)


class TestOverlap:
    def test_cubes(self):
        a = cube().placed(np.eye(3), [0, 0, 0])
        assert overlap(a, cube().placed(np.eye(3), [1.9, 0, 0]))
        assert not overlap(a, cube().placed(np.eye(3), [2.0, 0, 0]))  # touching
        assert not overlap(a, cube().placed(np.eye(3), [2.1, 0.5, 0.5]))
        # edge-to-edge: rotated by 45 deg about z, the corner reaches sqrt2 along x
        b = cube().placed(rotation_about([0, 0, 1], math.pi / 4), [1 + math.sqrt(2) - 0.01, 0, 0])
        assert overlap(a, b)
        b = cube().placed(rotation_about([0, 0, 1], math.pi / 4), [1 + math.sqrt(2) + 0.01, 0, 0])
        assert not overlap(a, b)

    def test_edge_edge_separation_needs_cross_axes(self):
        # two cubes rotated so only an edge-cross-edge axis separates them
        r1 = rotation_about([1, 0, 0], math.pi / 4)
        r2 = rotation_about([0, 1, 0], math.pi / 4)
        d = contact_distance(cube(), r1, cube(), r2, [0, 0, 1])
        assert d == pytest.approx(2 * math.sqrt(2), abs=1e-6)  # two 45-deg edges touching

    def test_contact_along_110(self):
        t = TruncatedOctahedron.from_size(57.0)
        d = contact_distance(t, np.eye(3), t, np.eye(3), [1, 1, 0])
        assert d == pytest.approx(2 * t.extent([1, 1, 0]), abs=1e-5)
        assert d == pytest.approx(60.46, abs=0.01)  # FIELD_THEORY.md (e): aligned contact 60.4 A
