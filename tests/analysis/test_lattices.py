import freud
import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield.analysis import lattices as lat

SQ2, SQ3 = np.sqrt(2.0), np.sqrt(3.0)
# AlB2, c/a = 1: L-S shells sqrt(1/3 + 1/4) and sqrt(4/3 + 1/4); S-S honeycomb 1/sqrt(3).
ALB2_LS1, ALB2_LS2 = np.sqrt(7.0 / 12.0), np.sqrt(19.0 / 12.0)
# NaZn13 (y, z = 0.1806, 0.1192), in units of d_LL = a/2:
# L-S_II: 2 |(1/4, 1/4 - z, 1/4 - y)|... evaluated as 2 * |(0.25, 0.0694, 0.1308)| = 0.5811.
NAZN13_LS1 = 2.0 * np.linalg.norm([0.25, 0.25 - 0.1806, 0.25 - 0.1192])
NAZN13_SI_SII = 2.0 * np.hypot(0.1806, 0.1192)


def assert_shells(system, a, b, expected, rtol=1e-5):
    """expected: list of (radius, multiplicity) for the first len(expected) shells."""
    radii, counts = lat.shell_distances(system, a, b, n_shells=len(expected))
    assert len(radii) == len(expected), (radii, counts)
    np.testing.assert_allclose(radii, [r for r, _ in expected], rtol=rtol)
    np.testing.assert_array_equal(counts, [float(c) for _, c in expected])


class TestShells:
    @pytest.mark.parametrize(
        ("builder", "expected"),
        [
            (lambda: lat.fcc(3), [(1.0, 12), (SQ2, 6), (SQ3, 24)]),
            (lambda: lat.bcc(3), [(1.0, 8), (2 / SQ3, 6)]),
            (lambda: lat.simple_cubic(4), [(1.0, 6), (SQ2, 12)]),
            (lambda: lat.hcp(4), [(1.0, 12), (SQ2, 6)]),
            (lambda: lat.simple_hexagonal(4), [(1.0, 8), (SQ2, 12)]),
            (lambda: lat.alb2(4), [(1.0, 8), (SQ2, 12)]),
            (lambda: lat.nazn13(2), [(1.0, 6), (SQ2, 12)]),
            (lambda: lat.square(5), [(1.0, 4), (SQ2, 4), (2.0, 4)]),
            (lambda: lat.triangular(5), [(1.0, 6), (SQ3, 6), (2.0, 6)]),
        ],
        ids=["fcc", "bcc", "sc", "hcp", "simple_hex", "AlB2", "NaZn13", "square", "triangular"],
    )
    def test_large_large_shells(self, builder, expected):
        assert_shells(builder(), "L", "L", expected)

    def test_hcp_is_not_fcc(self):
        # hcp and fcc share the 12 + 6 shells; the third differs (hcp: 2 at sqrt(8/3)).
        assert_shells(lat.hcp(4), "L", "L", [(1.0, 12), (SQ2, 6), (np.sqrt(8 / 3), 2)])

    def test_alb2_shells(self):
        s = lat.alb2(4)
        assert_shells(s, "L", "S", [(ALB2_LS1, 12), (ALB2_LS2, 12)])
        assert_shells(s, "S", "S", [(1 / SQ3, 3), (1.0, 8)])
        assert_shells(s, "S", "L", [(ALB2_LS1, 6), (ALB2_LS2, 6)])
        assert ALB2_LS1 == pytest.approx(0.7638, abs=1e-4)

    @pytest.mark.parametrize("c_over_a", [0.9, 1.1])
    def test_alb2_axial_ratio(self, c_over_a):
        s = lat.alb2(4, d_ll=1.0, c_over_a=c_over_a)
        axial, inplane = (c_over_a, 2), (1.0, 6)
        assert_shells(s, "L", "L", sorted([axial, inplane]))
        assert_shells(s, "L", "S", [(np.sqrt(1 / 3 + c_over_a**2 / 4), 12)])
        assert_shells(s, "S", "S", [(1 / SQ3, 3)])

    def test_nazn13_shells(self):
        s = lat.nazn13(2)
        assert NAZN13_LS1 == pytest.approx(0.5811, abs=1e-4)
        # 24 S_II (snub cube), then the 8 S_I at the centres of the 8 cubes sharing the L corner.
        assert_shells(s, "L", "S", [(NAZN13_LS1, 24), (SQ3 / 2, 8)])
        centres = lat.nazn13_centre_mask(s)
        assert np.count_nonzero(centres) == 8 * 2**3
        # Each S_I is an icosahedron centre: 12 S_II on one shell, 8 L at the cube corners.
        assert_shells(s, centres, "S", [(NAZN13_SI_SII, 12)])
        assert_shells(s, centres, "L", [(SQ3 / 2, 8)])
        # Each S_II: nearest S well above zero (no overlapping sites), 2 L at the snub distance.
        outer = ~s.is_large & ~centres
        radii, counts = lat.shell_distances(s, outer, "L", n_shells=1)
        np.testing.assert_allclose(radii, [NAZN13_LS1], rtol=1e-5)
        np.testing.assert_array_equal(counts, [2.0])
        radii, _ = lat.shell_distances(s, outer, "S", n_shells=1)
        assert radii[0] > 0.4

    def test_nazn13_icosahedra_alternate(self):
        # Fm-3c rotates alternate icosahedra by 90 degrees. Measured: the closest S-S pair is
        # then 0.4188 d_LL (between neighbouring icosahedra); with all icosahedra in the same
        # orientation (Pm-3m-like stacking) it would be 0.2776 d_LL, an overlap of S.
        s = lat.nazn13(2)
        radii, _ = lat.shell_distances(s, "S", "S", n_shells=1)
        assert radii[0] == pytest.approx(0.4188, abs=1e-3)

    @pytest.mark.parametrize("d", [0.5, 1.7])
    def test_scaling(self, d):
        assert_shells(lat.fcc(3, d), "L", "L", [(d, 12), (SQ2 * d, 6)])
        assert_shells(lat.alb2(3, d), "L", "S", [(ALB2_LS1 * d, 12)])
        assert_shells(lat.nazn13(2, d), "L", "L", [(d, 6)])
        assert_shells(lat.triangular(4, d), "L", "L", [(d, 6)])


class TestComposition:
    @pytest.mark.parametrize("n", [1, 2, 3])
    def test_counts(self, n):
        assert lat.fcc(n).num_particles == 4 * n**3
        assert lat.bcc(n).num_particles == 2 * n**3
        assert lat.simple_cubic(n).num_particles == n**3
        assert lat.hcp(n).num_particles == 2 * n**3
        assert lat.square(n).num_particles == n**2
        assert lat.triangular(n).num_particles == 2 * n**2
        a = lat.alb2(n)
        assert np.count_nonzero(a.is_large) == n**3
        assert np.count_nonzero(~a.is_large) == 2 * n**3
        z = lat.nazn13(n)
        assert np.count_nonzero(z.is_large) == 8 * n**3
        assert np.count_nonzero(~z.is_large) == 13 * 8 * n**3

    @pytest.mark.parametrize(
        ("builder", "rho"),
        [
            (lambda: lat.fcc(3), SQ2),
            (lambda: lat.bcc(3), 3 * SQ3 / 4),
            (lambda: lat.simple_cubic(3), 1.0),
            (lambda: lat.hcp(3), SQ2),
            (lambda: lat.alb2(3), 3 / (SQ3 / 2)),
            (lambda: lat.alb2(3, c_over_a=1.1), 3 / (SQ3 / 2 * 1.1)),
            (lambda: lat.nazn13(2), 14.0),
            (lambda: lat.square(4, 2.0), 0.25),
            (lambda: lat.triangular(4), 2 / SQ3),
        ],
    )
    def test_number_density(self, builder, rho):
        assert builder().number_density == pytest.approx(rho, rel=1e-6)

    @pytest.mark.parametrize(
        "builder", [lat.fcc, lat.hcp, lat.alb2, lat.nazn13, lat.square, lat.triangular]
    )
    def test_positions_inside_box(self, builder):
        s = builder(2)
        frac = s.box.make_fractional(s.positions)
        dims = s.box.dimensions
        assert np.all(frac[:, :dims] >= -1e-6)
        assert np.all(frac[:, :dims] <= 1 + 1e-6)
        np.testing.assert_allclose(s.box.wrap(s.positions), s.positions, atol=1e-5)
        if dims == 2:
            assert s.box.is2D
            assert np.all(s.positions[:, 2] == 0)

    def test_no_overlapping_sites(self):
        for s in (lat.alb2(3), lat.nazn13(2), lat.hcp(3)):
            aq = freud.locality.AABBQuery(s.box, s.positions)
            nl = aq.query(s.positions, {"num_neighbors": 1, "exclude_ii": True}).toNeighborList()
            assert nl.distances.min() > 0.4


class TestLatticeSystem:
    def test_is_large_by_type_name(self):
        box = freud.box.Box.cube(5.0)
        types = ("L0", "L12", "S0", "S3")
        typeid = np.array([0, 1, 2, 3, 1, 2])
        s = lat.LatticeSystem(box, np.zeros((6, 3)), typeid, types)
        np.testing.assert_array_equal(s.is_large, [True, True, False, False, True, False])
        np.testing.assert_array_equal(s.type_mask("S0"), typeid == 2)

    def test_arrays_are_read_only_copies(self):
        pos = np.zeros((2, 3))
        s = lat.LatticeSystem(freud.box.Box.cube(3.0), pos, [0, 0], ("L",))
        pos[0, 0] = 1.0
        assert s.positions[0, 0] == 0.0
        with pytest.raises(ValueError):
            s.positions[0, 0] = 1.0

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"positions": np.zeros((2, 2))},
            {"typeid": [0]},
            {"typeid": [0, 2]},
            {"typeid": [0.0, 1.0]},
            {"types": ()},
            {"positions": [[0, 0, 0], [np.nan, 0, 0]]},
        ],
    )
    def test_validation(self, kwargs):
        args = {
            "box": freud.box.Box.cube(3.0),
            "positions": np.zeros((2, 3)),
            "typeid": [0, 1],
            "types": ("L", "S"),
        }
        args.update(kwargs)
        with pytest.raises(ValueError):
            lat.LatticeSystem(**args)

    def test_2d_rejects_z(self):
        with pytest.raises(ValueError, match="z = 0"):
            lat.LatticeSystem(freud.box.Box.square(3.0), [[0, 0, 1.0]], [0], ("L",))

    def test_with_noise_statistics(self):
        s = lat.fcc(6)
        noisy = s.with_noise(0.05, np.random.default_rng(3))
        disp = s.box.wrap(noisy.positions - s.positions)
        assert np.std(disp) == pytest.approx(0.05, rel=0.05)
        assert abs(np.mean(disp)) < 0.005
        np.testing.assert_array_equal(noisy.typeid, s.typeid)
        # Seeded: reproducible; zero noise: unchanged.
        np.testing.assert_array_equal(noisy.positions, s.with_noise(0.05, 3).positions)
        np.testing.assert_allclose(s.with_noise(0.0, 1).positions, s.positions, atol=1e-6)
        frac = s.box.make_fractional(noisy.positions)
        assert frac.min() >= 0.0 and frac.max() <= 1.0

    def test_with_noise_2d_stays_planar(self):
        s = lat.square(4).with_noise(0.1, 0)
        assert np.all(s.positions[:, 2] == 0)

    @pytest.mark.parametrize("sigma", [-0.1, np.nan, np.inf])
    def test_with_noise_validation(self, sigma):
        with pytest.raises(ValueError, match="sigma"):
            lat.fcc(2).with_noise(sigma, 0)

    def test_gsd_round_trip(self, tmp_path):
        s = lat.alb2(2, c_over_a=1.05)
        path = tmp_path / "alb2.gsd"
        with gsd.hoomd.open(path, "w") as f:
            f.append(s.to_gsd_frame())
        with gsd.hoomd.open(path, "r") as f:
            frame = f[0]
        assert frame.particles.N == s.num_particles
        assert frame.particles.types == ["L", "S"]
        np.testing.assert_allclose(
            frame.configuration.box[:4], [s.box.Lx, s.box.Ly, s.box.Lz, s.box.xy], rtol=1e-6
        )
        back = lat.LatticeSystem.from_gsd_frame(frame)
        np.testing.assert_allclose(back.positions, s.positions, atol=1e-5)
        np.testing.assert_array_equal(back.typeid, s.typeid)
        assert back.types == s.types
        assert back.box == s.box

    def test_gsd_2d(self):
        frame = lat.triangular(3).to_gsd_frame()
        assert frame.configuration.dimensions == 2
        assert lat.LatticeSystem.from_gsd_frame(frame).box.is2D


class TestIdealGas:
    def test_uniform_binary(self):
        box = freud.box.Box(8.0, 6.0, 5.0, 0.3, 0.0, 0.1)
        g = lat.ideal_gas(1000, 2000, box, np.random.default_rng(1))
        assert g.types == ("L", "S")
        assert np.count_nonzero(g.is_large) == 1000
        frac = box.make_fractional(g.positions)
        assert frac.min() >= 0 and frac.max() <= 1
        np.testing.assert_allclose(frac.mean(axis=0), 0.5, atol=0.02)
        np.testing.assert_allclose(frac.var(axis=0), 1 / 12, rtol=0.1)
        assert g.number_density == pytest.approx(3000 / box.volume)

    def test_box_like_and_2d(self):
        g = lat.ideal_gas(10, 0, [4.0, 4.0, 0.0], 0)
        assert g.box.is2D
        assert np.all(g.positions[:, 2] == 0)
        assert lat.ideal_gas(0, 0, [3.0, 3.0, 3.0], 0).num_particles == 0

    @pytest.mark.parametrize(("nl", "ns"), [(-1, 2), (2, 1.5), (True, 2)])
    def test_validation(self, nl, ns):
        with pytest.raises(ValueError):
            lat.ideal_gas(nl, ns, [5.0, 5.0, 5.0], 0)


class TestValidation:
    @pytest.mark.parametrize(
        "builder",
        [
            lat.fcc,
            lat.bcc,
            lat.simple_cubic,
            lat.hcp,
            lat.simple_hexagonal,
            lat.alb2,
            lat.nazn13,
            lat.square,
            lat.triangular,
        ],
    )
    @pytest.mark.parametrize("n_cells", [0, -2, 1.5, True])
    def test_bad_n_cells(self, builder, n_cells):
        with pytest.raises(ValueError, match="n_cells"):
            builder(n_cells)

    @pytest.mark.parametrize(
        "builder", [lat.fcc, lat.bcc, lat.simple_cubic, lat.hcp, lat.alb2, lat.nazn13]
    )
    @pytest.mark.parametrize("d", [0.0, -1.0, np.nan, np.inf])
    def test_bad_distance(self, builder, d):
        with pytest.raises(ValueError, match="d_ll"):
            builder(2, d)

    @pytest.mark.parametrize("builder", [lat.square, lat.triangular])
    def test_bad_distance_2d(self, builder):
        with pytest.raises(ValueError, match="d must"):
            builder(2, 0.0)

    @pytest.mark.parametrize("builder", [lat.alb2, lat.simple_hexagonal])
    def test_bad_axial_ratio(self, builder):
        with pytest.raises(ValueError, match="c_over_a"):
            builder(2, 1.0, c_over_a=0.0)

    @pytest.mark.parametrize(("y", "z"), [(0.0, 0.1), (0.3, 0.1), (0.18, 0.25)])
    def test_bad_wyckoff(self, y, z):
        with pytest.raises(ValueError, match="Wyckoff"):
            lat.nazn13(1, 1.0, y, z)

    def test_shell_distances_validation(self):
        s = lat.alb2(3)
        with pytest.raises(ValueError, match="not one of"):
            lat.shell_distances(s, "L", "X")
        with pytest.raises(ValueError, match="boolean mask"):
            lat.shell_distances(s, np.ones(3, bool), "L")
        with pytest.raises(ValueError, match="r_max"):
            lat.shell_distances(s, "L", "L", r_max=10.0)
        with pytest.raises(ValueError, match="n_shells"):
            lat.shell_distances(s, "L", "L", n_shells=0)
        with pytest.raises(ValueError, match="NaZn13"):
            lat.nazn13_centre_mask(s)
