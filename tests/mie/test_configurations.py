"""Random initial configurations: boxes, droplets, fixed seeds and fluid frames (§2.3, §2.4)."""

import re

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import pdist

from hoomd_rigidfield.mie.configurations import fluid_frame, random_mixture, seed_region
from hoomd_rigidfield.mie.potential import MieMixture, largest_remainder_counts

# ASSEMBLY_MODELS §2.1: sigma_LL = 1, sigma_SS = 0.55; narrow-well d_BH / sigma = 0.9968 at
# beta*eps = 2.5 (BH table; d_BH scales with sigma_ii, quoted to 4 decimals).
DIAMETERS = {"L": 1.0, "S": 0.55}
D_BH_NARROW_2P5 = 0.9968
KT = 1 / 2.5
CLEARANCE = 0.95  # configurations.DEFAULT_CLEARANCE
POSITION_TOL = 1e-5  # positions are stored as float32


def minimum_image_distances(pos, box_length):
    """All i < j distances under the minimum-image convention (explicit, O(N^2))."""
    pos = np.asarray(pos, dtype=float)
    i, j = np.triu_indices(len(pos), k=1)
    delta = pos[i] - pos[j]
    delta -= box_length * np.round(delta / box_length)
    return np.linalg.norm(delta, axis=1), i, j


def pair_sigma(diameter):
    d = np.asarray(diameter, dtype=float)
    i, j = np.triu_indices(len(d), k=1)
    return 0.5 * (d[i] + d[j])


def assert_no_close_pairs(frame, clearance=CLEARANCE, periodic=True):
    diameter = frame.particles.diameter.astype(float)
    sigma = pair_sigma(diameter)
    if periodic:
        r, _, _ = minimum_image_distances(frame.particles.position, frame.configuration.box[0])
    else:
        r = pdist(frame.particles.position.astype(float))
    assert np.all(r >= clearance * sigma - POSITION_TOL), (r / sigma).min()
    return (r / sigma).min()


def typed_diameters(frame, diameters):
    return np.array([diameters[frame.particles.types[k]] for k in frame.particles.typeid])


class TestRandomBox:
    def test_binary_fluid(self):
        counts = {"L": 100, "S": 200}
        box = 6.2  # phi = (pi/6)(100 + 200*0.55^3)/6.2^3 = 0.29
        frame = random_mixture(DIAMETERS, counts, box, np.random.default_rng(1))
        assert frame.particles.N == 300
        assert list(frame.particles.types) == ["L", "S"]
        np.testing.assert_array_equal(np.bincount(frame.particles.typeid), [100, 200])
        np.testing.assert_array_equal(frame.particles.typeid[:100], 0)  # grouped by type
        np.testing.assert_allclose(
            frame.particles.diameter, typed_diameters(frame, DIAMETERS), rtol=1e-7
        )
        np.testing.assert_allclose(frame.configuration.box, [box, box, box, 0, 0, 0])
        pos = frame.particles.position
        assert pos.shape == (300, 3)
        assert np.all(pos >= -box / 2) and np.all(pos < box / 2)
        ratio = assert_no_close_pairs(frame)
        # At phi ~ 0.3 the clearance is the binding constraint: some pair sits near it.
        assert ratio < 1.0

    def test_types_follow_diameter_order_and_zero_counts(self):
        diameters = {"S": 0.55, "L": 1.0, "X": 0.8}
        frame = random_mixture(diameters, {"L": 5, "S": 7}, 8.0, np.random.default_rng(2))
        assert list(frame.particles.types) == ["S", "L", "X"]
        np.testing.assert_array_equal(frame.particles.typeid, [0] * 7 + [1] * 5)
        np.testing.assert_allclose(frame.particles.diameter, [0.55] * 7 + [1.0] * 5, rtol=1e-7)

    @pytest.mark.parametrize("clearance", [0.7, 1.0])
    def test_clearance_is_respected(self, clearance):
        frame = random_mixture(
            DIAMETERS, {"L": 60, "S": 60}, 5.0, np.random.default_rng(3), clearance=clearance
        )
        assert_no_close_pairs(frame, clearance)

    def test_seeded_is_reproducible(self):
        a = random_mixture(DIAMETERS, {"L": 20}, 5.0, np.random.default_rng(7))
        b = random_mixture(DIAMETERS, {"L": 20}, 5.0, np.random.default_rng(7))
        c = random_mixture(DIAMETERS, {"L": 20}, 5.0, np.random.default_rng(8))
        np.testing.assert_array_equal(a.particles.position, b.particles.position)
        assert not np.allclose(a.particles.position, c.particles.position)

    def test_uniform_in_the_box(self):
        n, box = 3000, 40.0  # phi = 0.025
        frame = random_mixture({"L": 1.0}, {"L": n}, box, np.random.default_rng(11))
        pos = frame.particles.position.astype(float)
        # Mean ~ 0 within 4 standard errors of a uniform distribution on [-L/2, L/2).
        np.testing.assert_allclose(pos.mean(axis=0), 0.0, atol=4 * box / np.sqrt(12 * n))
        # Octant occupation: chi-square with 7 degrees of freedom, p > 0.001.
        octant = (pos > 0).astype(int) @ [1, 2, 4]
        observed = np.bincount(octant, minlength=8)
        chi2 = ((observed - n / 8) ** 2 / (n / 8)).sum()
        assert chi2 < stats.chi2.ppf(0.999, 7)
        # Each coordinate is uniform (Kolmogorov-Smirnov).
        for k in range(3):
            assert stats.kstest(pos[:, k], "uniform", args=(-box / 2, box)).pvalue > 1e-3


class TestDroplet:
    def test_inside_the_sphere_without_overlaps(self):
        counts = {"L": 80, "S": 160}
        radius, box = 4.0, 12.0  # phi of the droplet ~ 0.19
        frame = random_mixture(
            DIAMETERS, counts, box, np.random.default_rng(4), droplet_radius=radius
        )
        np.testing.assert_array_equal(np.bincount(frame.particles.typeid), [80, 160])
        d = typed_diameters(frame, DIAMETERS)
        dist = np.linalg.norm(frame.particles.position.astype(float), axis=1)
        assert np.all(dist <= radius - d / 2 + POSITION_TOL)
        # The droplet is not periodic: check true (not minimum-image) distances.
        assert_no_close_pairs(frame, periodic=False)
        np.testing.assert_allclose(frame.configuration.box[:3], box)

    def test_uniform_in_the_sphere(self):
        n, r_max = 2000, 23.0 - 0.5  # phi = 2000 * 0.125 / 23^3 = 0.02
        frame = random_mixture(
            {"L": 1.0}, {"L": n}, 50.0, np.random.default_rng(12), droplet_radius=23.0
        )
        pos = frame.particles.position.astype(float)
        r = np.linalg.norm(pos, axis=1)
        assert r.max() <= r_max + POSITION_TOL
        # Uniform in a ball: (r/r_max)^3 is uniform on [0, 1]; the mean is at the centre.
        assert stats.kstest((r / r_max) ** 3, "uniform").pvalue > 1e-3
        np.testing.assert_allclose(pos.mean(axis=0), 0.0, atol=4 * r_max / np.sqrt(5 * n))

    def test_polydisperse_droplet(self):
        mix, fractions = MieMixture.polydisperse()
        counts = {}
        for cls, total in (("L", 40), ("S", 80)):
            names = [t for t in mix.types if t[0] == cls]
            share = largest_remainder_counts([fractions[t] for t in names], total)
            counts.update({t: int(c) for t, c in zip(names, share)})
        frame = fluid_frame(mix, counts, KT, 0.2, np.random.default_rng(5), droplet=True)
        assert list(frame.particles.types) == list(mix.types)
        np.testing.assert_array_equal(
            np.bincount(frame.particles.typeid, minlength=26), [counts[t] for t in mix.types]
        )
        d = typed_diameters(frame, mix.diameters)
        np.testing.assert_allclose(frame.particles.diameter, d, rtol=1e-7)
        radius = frame.configuration.box[0] / 2 - 2.0
        dist = np.linalg.norm(frame.particles.position.astype(float), axis=1)
        assert np.all(dist <= radius - d / 2 + POSITION_TOL)
        assert_no_close_pairs(frame, periodic=False)


class TestFixedParticles:
    @staticmethod
    def seed():
        grid = np.arange(3) - 1.0
        cube = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), axis=-1).reshape(-1, 3)
        return 1.05 * cube, ["L"] * 13 + ["S"] + ["L"] * 13  # an S at the centre

    def test_fixed_first_and_unchanged(self):
        fixed, fixed_types = self.seed()
        frame = random_mixture(
            DIAMETERS,
            {"L": 40, "S": 80},
            7.0,
            np.random.default_rng(6),
            fixed_positions=fixed,
            fixed_types=fixed_types,
        )
        assert frame.particles.N == 27 + 120
        np.testing.assert_allclose(frame.particles.position[:27], fixed, atol=1e-6)
        expected = [0] * 13 + [1] + [0] * 13 + [0] * 40 + [1] * 80
        np.testing.assert_array_equal(frame.particles.typeid, expected)
        assert_no_close_pairs(frame)

    def test_overlapping_fixed_particles_never_move(self):
        fixed = np.array([[0.0, 0.0, 0.0], [0.3, 0.0, 0.0]])  # deliberately overlapping
        frame = random_mixture(
            DIAMETERS,
            {"S": 30},
            6.0,
            np.random.default_rng(9),
            fixed_positions=fixed,
            fixed_types=["L", "L"],
        )
        np.testing.assert_allclose(frame.particles.position[:2], fixed, atol=1e-7)
        # The random particles keep clear of the fixed ones and of each other.
        r, _, j = minimum_image_distances(frame.particles.position, 6.0)
        sigma = pair_sigma(frame.particles.diameter)
        movable = j >= 2
        assert np.all(r[movable] >= CLEARANCE * sigma[movable] - POSITION_TOL)

    def test_mismatched_fixed_types(self):
        fixed, _ = self.seed()
        with pytest.raises(ValueError, match="fixed_positions and fixed_types must have the same"):
            random_mixture(
                DIAMETERS,
                {"L": 1},
                7.0,
                np.random.default_rng(0),
                fixed_positions=fixed,
                fixed_types=["L"] * 26,
            )

    def test_fixed_positions_without_types(self):
        with pytest.raises(ValueError, match="fixed_types"):
            random_mixture(
                DIAMETERS,
                {"L": 1},
                7.0,
                np.random.default_rng(0),
                fixed_positions=np.zeros((2, 3)),
            )

    def test_fixed_type_without_diameter(self):
        with pytest.raises(ValueError, match="'X'"):
            random_mixture(
                DIAMETERS,
                {"L": 1},
                7.0,
                np.random.default_rng(0),
                fixed_positions=np.zeros((1, 3)),
                fixed_types=["X"],
            )


class TestFluidFrame:
    @staticmethod
    def effective_volume(counts):
        # Independent of the module: §2.1 table value, d_BH,i = 0.9968 sigma_ii.
        return np.pi / 6 * sum(c * (D_BH_NARROW_2P5 * DIAMETERS[t]) ** 3 for t, c in counts.items())

    @pytest.mark.parametrize("phi", [0.05, 0.2, 0.35])
    def test_box_volume_fraction(self, phi):
        counts = {"L": 60, "S": 120}
        frame = fluid_frame(MieMixture.binary(), counts, KT, phi, np.random.default_rng(21))
        box = frame.configuration.box
        np.testing.assert_allclose(box[:3], box[0])
        recovered = self.effective_volume(counts) / box[0] ** 3
        assert recovered == pytest.approx(phi, rel=1e-3)
        np.testing.assert_array_equal(np.bincount(frame.particles.typeid), [60, 120])
        assert list(frame.particles.types) == ["L", "S"]
        assert_no_close_pairs(frame)

    def test_droplet_volume_fraction(self):
        counts = {"L": 50, "S": 100}
        margin = 1.5
        frame = fluid_frame(
            MieMixture.binary(),
            counts,
            KT,
            0.25,
            np.random.default_rng(22),
            droplet=True,
            margin=margin,
        )
        radius = frame.configuration.box[0] / 2 - margin
        recovered = self.effective_volume(counts) / (4 / 3 * np.pi * radius**3)
        assert recovered == pytest.approx(0.25, rel=1e-3)
        d = typed_diameters(frame, DIAMETERS)
        dist = np.linalg.norm(frame.particles.position.astype(float), axis=1)
        assert np.all(dist <= radius - d / 2 + POSITION_TOL)
        assert_no_close_pairs(frame, periodic=False)

    def test_higher_temperature_needs_a_smaller_box(self):
        # Softer effective spheres at higher kT: smaller d_BH, so a smaller box at fixed phi.
        counts = {"L": 10}
        cold = fluid_frame(MieMixture.binary(), counts, 0.4, 0.1, np.random.default_rng(0))
        hot = fluid_frame(MieMixture.binary(), counts, 2.0, 0.1, np.random.default_rng(0))
        assert hot.configuration.box[0] < cold.configuration.box[0]

    @pytest.mark.parametrize("phi", [0.36, 0.5, 0.0, -0.1])
    def test_rejects_impossible_density(self, phi):
        with pytest.raises(ValueError, match=re.escape("volume_fraction in (0, 0.35]")):
            fluid_frame(MieMixture.binary(), {"L": 10}, KT, phi, np.random.default_rng(0))

    def test_rejects_unknown_types(self):
        with pytest.raises(ValueError, match="unknown types"):
            fluid_frame(MieMixture.binary(), {"L": 10, "Q": 1}, KT, 0.2, np.random.default_rng(0))


class TestRandomMixtureValidation:
    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"counts": {"L": 1, "X": 2}}, "counts name types without a diameter: ['X']"),
            ({"diameters": {"L": 1.0, "S": 0.0}}, "diameters must be positive"),
            ({"diameters": {"L": float("nan")}}, "diameters must be positive"),
            ({"box_length": 0.0}, "box_length must be positive"),
            ({"clearance": 0.0}, "clearance must be in (0, 1]"),
            ({"clearance": 1.2}, "clearance must be in (0, 1]"),
            ({"counts": {"L": -1}}, "counts must be non-negative integers"),
            ({"counts": {"L": 2.5}}, "counts must be non-negative integers"),
            ({"droplet_radius": 5.1}, "droplet_radius must be in (0, box_length/2]"),
            ({"droplet_radius": 0.0}, "droplet_radius must be in (0, box_length/2]"),
            ({"droplet_radius": 0.4}, "droplet_radius is smaller than a particle radius"),
        ],
    )
    def test_errors(self, kwargs, message):
        args = {"diameters": DIAMETERS, "counts": {"L": 3}, "box_length": 10.0}
        args.update(kwargs)
        with pytest.raises(ValueError, match=re.escape(message)):
            random_mixture(rng=np.random.default_rng(0), **args)

    def test_overfull_box_gives_up(self):
        # 200 unit spheres in a 5^3 box: phi = 0.84 > close packing.
        with pytest.raises(RuntimeError, match="could not place 200 particles"):
            random_mixture({"L": 1.0}, {"L": 200}, 5.0, np.random.default_rng(0), max_sweeps=5)


class TestSeedRegion:
    @staticmethod
    def block(n, offset):
        grid = np.arange(n, dtype=float)
        pts = np.stack(np.meshgrid(grid, grid, grid, indexing="ij"), axis=-1).reshape(-1, 3)
        return pts + offset

    @pytest.mark.parametrize(
        "radius, expected",
        # Sites of a 6^3 simple-cubic block sit at half-integer offsets from its centroid:
        # |(1/2,1/2,1/2)| = 0.866 (8 sites), |(3/2,1/2,1/2)| = 1.658 (24), |(3/2,3/2,1/2)| = 2.18 (24)
        [(0.5, 0), (1.0, 8), (1.7, 32), (2.2, 56)],
    )
    def test_simple_cubic_shells(self, radius, expected):
        pts = self.block(6, np.array([10.0, -3.0, 2.5]))
        mask = seed_region(pts, radius)
        assert mask.dtype == bool and mask.shape == (216,)
        assert mask.sum() == expected
        centroid = np.array([12.5, -0.5, 5.0])
        np.testing.assert_array_equal(mask, np.linalg.norm(pts - centroid, axis=1) <= radius)
        if expected:
            np.testing.assert_allclose(pts[mask].mean(axis=0), centroid, atol=1e-12)

    def test_translation_invariant_and_centred_on_centroid_not_origin(self):
        pts = self.block(5, 0.0)  # centroid (2, 2, 2) is a lattice site
        mask = seed_region(pts, 1.01)
        assert mask.sum() == 7  # the centre and its 6 neighbours
        np.testing.assert_array_equal(seed_region(pts + [100.0, -50.0, 7.0], 1.01), mask)
        assert not mask[0]  # the origin corner is not the centre

    def test_everything_within_a_large_radius(self):
        pts = np.random.default_rng(0).normal(size=(50, 3))
        assert seed_region(pts, 100.0).all()
