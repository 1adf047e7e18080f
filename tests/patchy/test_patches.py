"""Truncated-cube octagon geometry and the exact square-patch rule (model C, seed 004)."""

import itertools
import math

import numpy as np
import numpy.testing as npt
import pytest

from hoomd_rigidfield.fieldtheory import shapes
from hoomd_rigidfield.orientation import angle_to_quaternion, quaternion_to_angle
from hoomd_rigidfield.patchy.patches import (
    PATCH_DIRECTIONS,
    SquarePatches,
    num_patch_bonds,
    patch_bonds,
    patch_energy,
)
from hoomd_rigidfield.patchy.shape import REGULAR_OCTAGON_T, TruncatedCube

# (4 + 4 sqrt 2)/(5 + 4 sqrt 2): densest packing of regular octagons [lit, ASSEMBLY_MODELS §4].
REGULAR_OCTAGON_DENSEST = (4 + 4 * math.sqrt(2)) / (5 + 4 * math.sqrt(2))
T_VALUES = [0.0, 0.1, 0.15, 0.2, REGULAR_OCTAGON_T, 0.4, 0.5]
GAP = 0.05  # facet gap of the exact unit tests [L]


def rot(phi):
    c, s = np.cos(phi), np.sin(phi)
    return np.array([[c, -s], [s, c]])


def random_pairs(rng, m, r_min, r_max):
    """Uniform in the annulus r_min <= |r| <= r_max, uniform angles."""
    rad = np.sqrt(rng.uniform(r_min**2, r_max**2, m))
    phi = rng.uniform(0, 2 * np.pi, m)
    r = np.column_stack([rad * np.cos(phi), rad * np.sin(phi)])
    return r, rng.uniform(-np.pi, np.pi, m), rng.uniform(-np.pi, np.pi, m)


def placed_vertices(shape, pos, theta):
    c, s = np.cos(theta)[:, None], np.sin(theta)[:, None]
    v = shape.vertices
    return np.stack([c * v[:, 0] - s * v[:, 1], s * v[:, 0] + c * v[:, 1]], -1) + pos[:, None]


def cross2(a, b):
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def brute_force_overlap(shape, r, ti, tj):
    """Independent exact test: a proper edge crossing or a vertex strictly inside the other."""
    p = placed_vertices(shape, np.zeros_like(r), ti)
    q = placed_vertices(shape, r, tj)

    def inside(points, poly):  # points (M, V, 2) strictly inside CCW poly (M, V, 2)?
        e = np.roll(poly, -1, axis=1) - poly
        rel = points[:, :, None, :] - poly[:, None, :, :]
        return np.all(cross2(e[:, None], rel) > 0, axis=2).any(axis=1)

    pa, pb = p, np.roll(p, -1, axis=1)
    qa, qb = q, np.roll(q, -1, axis=1)
    d1 = cross2((pb - pa)[:, :, None], qa[:, None] - pa[:, :, None])
    d2 = cross2((pb - pa)[:, :, None], qb[:, None] - pa[:, :, None])
    d3 = cross2((qb - qa)[:, None], pa[:, :, None] - qa[:, None])
    d4 = cross2((qb - qa)[:, None], pb[:, :, None] - qa[:, None])
    crossing = ((d1 * d2) < 0) & ((d3 * d4) < 0)
    return crossing.any(axis=(1, 2)) | inside(q, p) | inside(p, q)


class TestTruncatedCube:
    @pytest.mark.parametrize("t", T_VALUES)
    def test_area_and_edges_match_coxeter(self, t):
        cube = TruncatedCube(2.0, t)
        npt.assert_allclose(cube.area, 4.0 * (1 - 2 * t**2), rtol=1e-14)
        npt.assert_allclose(cube.to_coxeter().area, cube.area, rtol=1e-12)
        edges = np.linalg.norm(np.roll(cube.vertices, -1, axis=0) - cube.vertices, axis=1)
        npt.assert_allclose(cube.facet_length, 2.0 * (1 - 2 * t))
        npt.assert_allclose(cube.bevel_length, 2.0 * math.sqrt(2) * t)
        if 0 < t < 0.5:
            npt.assert_allclose(edges[0::2], cube.facet_length, rtol=1e-14)
            npt.assert_allclose(edges[1::2], cube.bevel_length, rtol=1e-14)
            npt.assert_allclose(edges.sum(), cube.to_coxeter().perimeter, rtol=1e-12)
        else:
            assert cube.num_vertices == 4
            npt.assert_allclose(edges, cube.facet_length if t == 0 else cube.bevel_length)

    @pytest.mark.parametrize("t", T_VALUES)
    def test_vertices_ccw_origin_inside_facet_normals(self, t):
        cube = TruncatedCube(t=t)
        v = cube.vertices
        e = np.roll(v, -1, axis=0) - v
        assert np.all(cross2(e, np.roll(e, -1, axis=0)) > 0)  # convex, counter-clockwise
        assert np.all(cross2(e, -v) > 0)  # origin strictly left of every edge: inside
        npt.assert_allclose(cube.circumradius, np.max(np.linalg.norm(v, axis=1)), rtol=1e-14)
        if 0 < t < 0.5:
            # Edge 2k is the {100} facet of patch k, at distance a along e_k.
            normals = np.column_stack([e[:, 1], -e[:, 0]]) / np.linalg.norm(e, axis=1)[:, None]
            npt.assert_allclose(normals[0::2], PATCH_DIRECTIONS, atol=1e-15)
            npt.assert_allclose(np.sum(v[0::2] * PATCH_DIRECTIONS, axis=1), cube.half_width)

    def test_regular_octagon(self):
        cube = TruncatedCube(t=REGULAR_OCTAGON_T)
        edges = np.linalg.norm(np.roll(cube.vertices, -1, axis=0) - cube.vertices, axis=1)
        npt.assert_allclose(edges, edges[0], rtol=1e-14)
        npt.assert_allclose(cube.facet_length, math.sqrt(2) - 1, rtol=1e-14)  # 0.414 L
        npt.assert_allclose(cube.densest_packing_fraction, REGULAR_OCTAGON_DENSEST, rtol=1e-14)
        npt.assert_allclose(cube.square_packing_fraction, 2 * math.sqrt(2) - 2, rtol=1e-14)

    def test_from_facet_fraction_and_defaults(self):
        cube = TruncatedCube.from_facet_fraction(0.7)
        npt.assert_allclose(cube.t, 0.15)
        assert TruncatedCube() == TruncatedCube(1.0, 0.15)
        npt.assert_allclose([cube.facet_length, cube.area], [0.7, 0.955])
        assert eval(repr(cube)) == cube

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"t": 0.6}, r"\[0, 0.5\]"),
            ({"t": -0.1}, r"\[0, 0.5\]"),
            ({"edge_length": 0.0}, "> 0"),
            ({"t": float("nan")}, "finite"),
        ],
    )
    def test_validation(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            TruncatedCube(**kwargs)

    def test_exports(self):
        cube = TruncatedCube(t=0.15)
        spec = cube.gsd_shape_spec
        assert spec["type"] == "Polygon" and spec["rounding_radius"] == 0
        assert np.shape(spec["vertices"]) == (8, 2)
        npt.assert_array_equal(spec["vertices"], cube.vertices)
        assert np.shape(cube.hpmc_shape["vertices"]) == (8, 2)

    @pytest.mark.parametrize("t", [0.0, 0.1, 0.15, REGULAR_OCTAGON_T, 0.4, 0.5])
    def test_densest_lattice_is_a_contact_packing(self, t):
        cube = TruncatedCube(t=t)
        lat = cube.densest_packing_lattice
        npt.assert_allclose(cube.area / abs(np.linalg.det(lat)), cube.densest_packing_fraction)
        assert cube.densest_packing_fraction >= cube.square_packing_fraction - 1e-15
        vecs = np.array(
            [m * lat[0] + n * lat[1] for m, n in itertools.product(range(-2, 3), repeat=2)]
        )
        vecs = vecs[np.linalg.norm(vecs, axis=1) > 0]
        assert not np.any(cube.overlaps(vecs, 0.0, 0.0))
        assert np.all(cube.separation(vecs, 0.0, 0.0) > -1e-12)
        # Shrinking the lattice by 0.1 % creates overlaps: the packing is at contact.
        assert np.any(cube.overlaps(0.999 * vecs, 0.0, 0.0))

    def test_square_lattice_contact(self):
        cube = TruncatedCube(t=0.15)
        nn = np.array([[1, 0], [0, 1], [1, 1], [1, -1]], dtype=float)
        assert not np.any(cube.overlaps(nn, 0.0, 0.0))
        npt.assert_allclose(cube.separation(nn[:2], 0.0, 0.0), 0.0, atol=1e-15)
        assert np.all(cube.overlaps(0.99 * nn[:2], 0.0, 0.0))
        # Diagonal neighbours touch only through the bevels: |x|+|y| = 2c.
        c = cube.bevel_distance
        assert not cube.overlaps([c, c], 0.0, 0.0)[0]
        assert cube.overlaps([0.999 * c, 0.999 * c], 0.0, 0.0)[0]

    def test_sat_matches_brute_force_on_random_pairs(self):
        rng = np.random.default_rng(4)
        cube = TruncatedCube(t=0.15)
        r, ti, tj = random_pairs(rng, 20_000, 0.8, 2.0 * cube.circumradius)
        sep = cube.separation(r, ti, tj)
        keep = np.abs(sep) > 1e-9  # drop (measure-zero) near-contact ties
        sat = cube.overlaps(r, ti, tj, tol=0.0)[keep]
        brute = brute_force_overlap(cube, r[keep], ti[keep], tj[keep])
        assert keep.sum() > 19_900
        assert 0.2 < sat.mean() < 0.8  # both outcomes well represented
        npt.assert_array_equal(sat, brute)

    def test_2d_overlap_equals_3d_overlap_of_cantellated_cubes(self):
        # The exact reduction: 3D cantellated cubes {100} up overlap iff their mid-plane
        # octagons do. 3D vertices: all permutations and signs of (a, Fx/2, Fx/2).
        cube = TruncatedCube(t=0.15)
        a, f = cube.half_width, 0.5 * cube.facet_length
        verts = {
            tuple(s * x for s, x in zip(signs, perm))
            for perm in itertools.permutations((a, f, f))
            for signs in itertools.product((1, -1), repeat=3)
        }
        body = shapes.ConvexPolyhedron(np.array(sorted(verts)))
        assert len(body.vertices) == 24 and len(body.faces) == 26  # rhombicuboctahedron-like
        rng = np.random.default_rng(5)
        r, ti, tj = random_pairs(rng, 150, 0.9, 1.25)
        keep = np.abs(cube.separation(r, ti, tj)) > 1e-6
        r, ti, tj = r[keep], ti[keep], tj[keep]

        def rz(theta):
            c, s = np.cos(theta), np.sin(theta)
            return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])

        three_d = np.array(
            [
                shapes.overlap(
                    body.placed(rz(x), np.zeros(3)),
                    body.placed(rz(y), np.array([*p, 0.0])),
                    tol=0.0,
                )
                for p, x, y in zip(r, ti, tj)
            ]
        )
        two_d = cube.overlaps(r, ti, tj, tol=0.0)
        assert 0.2 < two_d.mean() < 0.8
        npt.assert_array_equal(two_d, three_d)


class TestSquarePatches:
    cube = TruncatedCube(t=0.15)

    def facing(self, s=0.0, gap=GAP, theta_j=0.0):
        """j to the right of i, facets parallel at ``gap``, lateral offset ``s``."""
        return np.array([[self.cube.edge_length + gap, s]]), 0.0, theta_j

    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"px_over_fx": 0.0}, r"\(0, 1\]"),
            ({"px_over_fx": 1.2}, r"\(0, 1\]"),
            ({"epsilon": -1.0}, ">= 0"),
            ({"delta": 0.6}, r"\[0, 0.5\]"),
            ({"theta_max": 1.0}, "pi/4"),
            ({"theta_max": 0.0}, "pi/4"),
            ({"gap_tolerance": -0.01}, r"\[0, 0.1\]"),
            ({"mode": "area"}, "mode"),
        ],
    )
    def test_validation(self, kwargs, match):
        args = {"px_over_fx": 0.5, "epsilon": 6.0} | kwargs
        with pytest.raises(ValueError, match=match):
            SquarePatches(**args)

    def test_repr_round_trip_and_degrees(self):
        rule = SquarePatches(0.3, 5.0, delta=0.08)
        assert eval(repr(rule)) == rule
        npt.assert_allclose(SquarePatches.from_degrees(0.3, 5.0, 15.0).theta_max, math.pi / 12)
        npt.assert_allclose(rule.patch_size(self.cube), 0.21)
        npt.assert_allclose(rule.r_cut(self.cube), math.sqrt(2) + 0.08)

    def test_perfectly_facing_patches_give_minus_epsilon(self):
        rule = SquarePatches(0.5, 6.0)
        for k, d in enumerate(PATCH_DIRECTIONS):  # every side, one pair each
            r = (self.cube.edge_length + GAP) * d
            npt.assert_array_equal(patch_energy(rule, self.cube, r, 0.0, 0.0), [-6.0])
            bonds = patch_bonds(rule, self.cube, r, 0.0, 0.0)[0]
            assert bonds.sum() == 1 and bonds[k, (k + 2) % 4]
        # At contact (gap 0) and at the far end of the window.
        for gap in (0.0, 0.0999):
            npt.assert_array_equal(patch_energy(rule, self.cube, *self.facing(gap=gap)), [-6.0])
        npt.assert_array_equal(patch_energy(rule, self.cube, *self.facing(gap=0.101)), [0.0])

    @pytest.mark.parametrize("px_over_fx", [0.1, 0.5, 0.8])
    def test_lateral_offset_bonded_iff_offset_below_px(self, px_over_fx):
        rule = SquarePatches(px_over_fx, 4.0)
        px = rule.patch_size(self.cube)
        for frac in (0.0, 0.3, 0.9, 0.99, 1.01, 1.5):
            for sign in (1, -1):
                e = patch_energy(rule, self.cube, *self.facing(s=sign * frac * px))
                npt.assert_array_equal(e, [-4.0 if frac < 1 else 0.0])

    def test_lateral_boundary_is_exclusive(self):
        # O > 0 strictly: an offset of exactly Px (or the brick offset L/2 at Px = L/2) is not
        # a bond. t = 0 makes Px exact in binary floating point.
        square = TruncatedCube(t=0.0)
        rule = SquarePatches(0.5, 6.0)
        assert rule.patch_size(square) == 0.5
        for s in (0.5, -0.5):
            assert patch_energy(rule, square, [[1.0 + GAP, s]], 0.0, 0.0)[0] == 0.0
        assert patch_energy(rule, square, [[1.0 + GAP, np.nextafter(0.5, 0)]], 0.0, 0.0)[0] < 0

    @pytest.mark.parametrize("phi_deg", [8.0, -8.0, 12.0])
    def test_lateral_window_of_a_rotated_pair(self, phi_deg):
        # j turned by phi, its patch centre at c_i0 + g x + s y. In i's frame j's patch projects
        # to half-length q = p cos(phi): bonded iff |s| < p (1 + cos phi); in j's frame the
        # offset is s' = s cos(phi) - g sin(phi), bonded iff |s'| < p (1 + cos phi). Wide gap
        # window: only the lateral rule decides. Boundaries found by bisection on the energy.
        rule = SquarePatches(0.5, 1.0, delta=0.3, gap_tolerance=0.1)
        a, p, g = self.cube.half_width, 0.5 * rule.patch_size(self.cube), 0.04
        phi = math.radians(phi_deg)
        n_j = -np.array([math.cos(phi), math.sin(phi)])  # patch 2 of j

        def bonded(s):
            r = np.array([a + g, s]) - a * n_j  # r_j = c_jl - a n_jl, r_i = 0
            return patch_energy(rule, self.cube, r, 0.0, phi)[0] < 0

        def edge(inside, outside):
            for _ in range(60):
                mid = 0.5 * (inside + outside)
                inside, outside = (mid, outside) if bonded(mid) else (inside, mid)
            return inside

        w = p * (1 + math.cos(phi))
        sg = g * math.sin(phi)
        upper = min(w, (w + sg) / math.cos(phi))
        lower = max(-w, (-w + sg) / math.cos(phi))
        assert bonded(0.0)
        npt.assert_allclose(edge(0.0, 1.0), upper, atol=1e-12)
        npt.assert_allclose(edge(0.0, -1.0), lower, atol=1e-12)

    def test_rotation_beyond_theta_max_breaks_the_bond(self):
        # delta = 0.2 leaves room for the turned corner (no hard overlap) and keeps the gaps
        # inside the window, so only rule 1 (facing) decides.
        rule = SquarePatches(0.5, 6.0, delta=0.2)
        loose = SquarePatches(0.5, 6.0, delta=0.2, theta_max=math.radians(25))
        for deg, expected in ((0.0, -6.0), (10.0, -6.0), (14.0, -6.0), (16.0, 0.0), (20.0, 0.0)):
            for sign in (1, -1):
                args = self.facing(gap=0.1, theta_j=sign * math.radians(deg))
                assert not self.cube.overlaps(*args)[0]
                npt.assert_array_equal(patch_energy(rule, self.cube, *args), [expected])
                npt.assert_array_equal(patch_energy(loose, self.cube, *args), [-6.0])

    @pytest.mark.parametrize("px_over_fx", [0.3, 0.6, 0.7, 0.73, 0.8, 1.0])
    def test_brick_neighbour_double_bonded_iff_px_above_half_l(self, px_over_fx):
        # Upper particle offset by L/2 over two touching lower ones: bonded to both iff
        # Px > L/2, i.e. Px/Fx > 1/(2(1 - 2t)) = 0.714 at t = 0.15.
        rule = SquarePatches(px_over_fx, 6.0)
        threshold = 1 / (2 * (1 - 2 * self.cube.t))
        npt.assert_allclose(threshold, 0.7142857142857)
        lower = np.array([[0.0, 0.0], [1.0, 0.0]])
        upper = np.array([0.5, 1.0 + GAP])
        assert not np.any(self.cube.overlaps(upper - lower, 0.0, 0.0))
        assert not self.cube.overlaps(lower[1] - lower[0], 0.0, 0.0)[0]
        bonds = num_patch_bonds(rule, self.cube, upper - lower, 0.0, 0.0)
        npt.assert_array_equal(bonds, [1, 1] if px_over_fx > threshold else [0, 0])

    @pytest.mark.parametrize(("px_over_fx", "brick_bonds"), [(0.5, 2), (0.9, 6)])
    def test_bonds_per_particle_square_4_brick_6(self, px_over_fx, brick_bonds):
        rule = SquarePatches(px_over_fx, 6.0)
        d = 1.0 + GAP
        cells = np.array(list(itertools.product(range(-2, 3), repeat=2)), dtype=float)
        square = d * cells
        brick = np.column_stack([d * (cells[:, 0] + 0.5 * (cells[:, 1] % 2)), d * cells[:, 1]])
        for lattice, expected in ((square, 4), (brick, brick_bonds)):
            r = lattice[np.linalg.norm(lattice, axis=1) > 0]  # neighbours of the origin
            r = r[np.linalg.norm(r, axis=1) < rule.r_cut(self.cube)]
            assert num_patch_bonds(rule, self.cube, r, 0.0, 0.0).sum() == expected

    def test_exchange_symmetry_rotation_translation_and_fourfold(self):
        rng = np.random.default_rng(6)
        rule = SquarePatches(0.8, 3.0, delta=0.2, theta_max=math.radians(25))
        r, ti, tj = random_pairs(rng, 20_000, 0.95, 1.5)
        keep = ~self.cube.overlaps(r, ti, tj)
        r, ti, tj = r[keep], ti[keep], tj[keep]
        e = patch_energy(rule, self.cube, r, ti, tj)
        assert np.count_nonzero(e) > 100  # enough bonded configurations to mean something
        # i <-> j with r -> -r: bitwise equal, bond matrix transposed.
        npt.assert_array_equal(patch_energy(rule, self.cube, -r, tj, ti), e)
        npt.assert_array_equal(
            patch_bonds(rule, self.cube, -r, tj, ti),
            patch_bonds(rule, self.cube, r, ti, tj).transpose(0, 2, 1),
        )
        # Global rotation by phi and translation by T of both particles.
        phi = 0.7312
        shift = np.array([3.3, -1.7])
        pos_i = rng.uniform(-5, 5, (len(r), 2))
        pos_j = pos_i + r
        r_moved = (pos_j @ rot(phi).T + shift) - (pos_i @ rot(phi).T + shift)
        npt.assert_array_equal(patch_energy(rule, self.cube, r_moved, ti + phi, tj + phi), e)
        # A quarter turn of either particle relabels its patches only.
        npt.assert_array_equal(patch_energy(rule, self.cube, r, ti + np.pi / 2, tj), e)
        npt.assert_array_equal(patch_energy(rule, self.cube, r, ti, tj - 3 * np.pi / 2), e)

    def test_zero_beyond_cutoff_and_bound_on_bond_distance(self):
        rng = np.random.default_rng(7)
        # Extreme parameters stress the bound: largest patch, range and misalignment.
        shape = TruncatedCube(t=0.0)
        rule = SquarePatches(1.0, 1.0, delta=0.5, theta_max=math.pi / 4, gap_tolerance=0.1)
        bound = rule.max_bond_distance(shape)
        assert bound <= rule.r_cut(shape)
        r, ti, tj = random_pairs(rng, 20_000, rule.r_cut(shape), 3.0)
        npt.assert_array_equal(patch_energy(rule, shape, r, ti, tj), 0.0)
        r, ti, tj = random_pairs(rng, 40_000, 0.8, 2.0)
        bonded = patch_energy(rule, shape, r, ti, tj) < 0
        dist = np.linalg.norm(r, axis=1)
        assert bonded.sum() > 1000
        assert dist[bonded].max() < bound
        assert dist[bonded].max() > 0.95 * bound  # and the bound is nearly reached

    def test_misaligned_or_non_facing_patches_do_not_bond(self):
        rule = SquarePatches(1.0, 6.0)
        # j turned by 45 degrees: a bevel faces i's facet.
        r = np.array([[1.0 + GAP + 0.2, 0.0]])
        assert patch_energy(rule, self.cube, r, 0.0, math.pi / 4)[0] == 0.0
        # j directly above-right (diagonal): no facing facets within the gap window.
        assert patch_energy(rule, self.cube, [[1.1, 1.1]], 0.0, 0.0)[0] == 0.0

    def test_overlap_mode(self):
        rule = SquarePatches(0.5, 6.0, mode="overlap")
        px = rule.patch_size(self.cube)
        npt.assert_allclose(patch_energy(rule, self.cube, *self.facing()), [-6.0])
        npt.assert_allclose(patch_energy(rule, self.cube, *self.facing(s=0.5 * px)), [-3.0])
        npt.assert_allclose(patch_energy(rule, self.cube, *self.facing(s=1.1 * px)), [0.0])

    def test_input_validation(self):
        rule = SquarePatches(0.5, 6.0)
        with pytest.raises(ValueError, match="shape"):
            patch_energy(rule, self.cube, np.zeros((3, 4)), 0.0, 0.0)
        with pytest.raises(ValueError, match="z components"):
            patch_energy(rule, self.cube, [[1.0, 0.0, 0.1]], 0.0, 0.0)
        with pytest.raises(ValueError, match="match r_ij"):
            patch_energy(rule, self.cube, np.ones((3, 2)), np.zeros(2), 0.0)
        npt.assert_array_equal(patch_energy(rule, self.cube, [[1.05, 0.0, 0.0]], 0.0, 0.0), [-6.0])

    def test_absolute_parameters(self):
        rule = SquarePatches(0.5, 6.0)
        p = rule.absolute_parameters(TruncatedCube(2.0, 0.15))
        npt.assert_allclose(
            [p["half_width"], p["half_patch"], p["gap_min"], p["gap_max"], p["r_cut"]],
            [1.0, 0.35, -0.02, 0.2, 2 * (math.sqrt(2) + 0.1)],
        )
        npt.assert_allclose(p["cos_theta_max"], math.cos(math.radians(15)))


def test_bond_needs_lateral_overlap_and_alignment():
    """What a Kern-Frenkel cone stand-in gets wrong, the exact rule gets right.

    Aligned facing cubes bond exactly while the lateral offset is below P_x (a cone would reach
    P_x (L + g)/L); a 20 degree relative turn never bonds (a cone ignores relative rotation);
    brick neighbours half an edge off bond (a centre-centre range of L(1 + delta) never does).
    """
    cube = TruncatedCube(t=0.15)
    rule = SquarePatches(0.8, 6.0)
    px = rule.patch_size(cube)
    for frac in (0.0, 0.3, 0.6, 0.9, 0.99, 1.01, 1.2):
        r = np.array([[1.0 + GAP, frac * px]])
        npt.assert_array_equal(patch_energy(rule, cube, r, 0.0, 0.0), [-6.0 if frac < 1 else 0])
    r = np.array([[1.0 + 0.08, 0.0]])
    assert patch_energy(rule, cube, r, 0.0, 0.0)[0] == -6.0
    assert patch_energy(rule, cube, r, 0.0, math.radians(20))[0] == 0.0
    brick = np.array([[0.5, 1.0 + GAP], [-0.5, 1.0 + GAP]])
    npt.assert_array_equal(patch_energy(SquarePatches(0.9, 6.0), cube, brick, 0.0, 0.0), [-6, -6])


def test_quaternion_round_trip():
    theta = np.array([0.0, 0.3, -2.0, np.pi, 3 * np.pi / 2])
    q = angle_to_quaternion(theta)
    npt.assert_allclose(np.linalg.norm(q, axis=1), 1.0)
    npt.assert_allclose(np.exp(1j * quaternion_to_angle(q)), np.exp(1j * theta), atol=1e-14)
    npt.assert_allclose(q[1], [math.cos(0.15), 0, 0, math.sin(0.15)])
    with pytest.raises(ValueError, match="about z"):
        quaternion_to_angle([[1.0, 0.5, 0.0, 0.0]])
