"""Compression schedules: piecewise-linear phi_eff(t), box volume and droplet radius (§2.3, §2.4)."""

import re

import numpy as np
import pytest

from hoomd_rigidfield.mie.compression import CompressionSchedule

# ASSEMBLY_MODELS §2.3 (CPU-scaled ramp): phi_eff 0.20 fluid, ramp 0.40 -> 0.58; step counts
# are scaled down so the knots are easy to read.
PHI_INITIAL, PHI_START, PHI_END = 0.20, 0.40, 0.58
EQUILIBRATE, PRECOMPRESS, RAMP, HOLD, FROZEN = 100, 50, 1000, 200, 30
KNOTS = {0: 0.20, 100: 0.20, 150: 0.40, 1150: 0.58, 1350: 0.58}
PARTICLE_VOLUME = 123.4  # sigma_LL^3, arbitrary


@pytest.fixture
def schedule():
    return CompressionSchedule(
        PHI_INITIAL, PHI_START, PHI_END, EQUILIBRATE, PRECOMPRESS, RAMP, HOLD, FROZEN
    )


class TestPhi:
    def test_knots(self, schedule):
        for step, phi in KNOTS.items():
            assert schedule.phi(step) == pytest.approx(phi, abs=1e-15)
        assert schedule.total_steps == 1350
        assert schedule.ramp_begin == 150
        steps, phis = schedule.knots
        np.testing.assert_array_equal(steps, list(KNOTS))
        np.testing.assert_allclose(phis, list(KNOTS.values()), atol=1e-15)

    def test_linear_between_knots(self, schedule):
        t = np.arange(0, 1001)
        np.testing.assert_allclose(
            schedule.phi(150 + t), PHI_START + (PHI_END - PHI_START) * t / RAMP, atol=1e-14
        )
        t = np.arange(0, 51)
        np.testing.assert_allclose(
            schedule.phi(100 + t), PHI_INITIAL + (PHI_START - PHI_INITIAL) * t / 50, atol=1e-14
        )
        assert schedule.phi(125) == pytest.approx(0.30, abs=1e-14)
        assert schedule.phi(650) == pytest.approx(0.49, abs=1e-14)

    def test_flat_segments_and_held_at_the_ends(self, schedule):
        np.testing.assert_allclose(schedule.phi(np.arange(0, 101)), PHI_INITIAL, atol=1e-15)
        np.testing.assert_allclose(schedule.phi(np.arange(1150, 1351)), PHI_END, atol=1e-15)
        np.testing.assert_allclose(schedule.phi([-1000, -1]), PHI_INITIAL, atol=1e-15)
        np.testing.assert_allclose(schedule.phi([1351, 10**9]), PHI_END, atol=1e-15)

    def test_monotonic_and_vectorised(self, schedule):
        steps = np.arange(-10, 1400)
        phi = schedule.phi(steps)
        assert phi.shape == steps.shape
        assert np.all(np.diff(phi) >= 0)
        assert phi.min() == pytest.approx(PHI_INITIAL) and phi.max() == pytest.approx(PHI_END)

    def test_instant_precompression(self):
        s = CompressionSchedule(0.2, 0.4, 0.6, equilibrate_steps=100, ramp_steps=100)
        assert s.ramp_begin == 100 and s.total_steps == 200
        assert s.phi(99) == pytest.approx(0.2)
        assert s.phi(101) == pytest.approx(0.402)
        assert s.phi(150) == pytest.approx(0.5)

    def test_constant_schedule(self):
        s = CompressionSchedule(0.3, 0.3, 0.3, equilibrate_steps=10)
        np.testing.assert_allclose(s.phi(np.arange(-5, 20)), 0.3)
        empty = CompressionSchedule(0.3, 0.3, 0.3)
        assert empty.total_steps == 0 and empty.phi(5) == pytest.approx(0.3)


class TestVolume:
    def test_volume_times_phi_is_particle_volume(self, schedule):
        steps = np.arange(0, 1351, 7)
        volume = schedule.volume(steps, PARTICLE_VOLUME)
        np.testing.assert_allclose(volume * schedule.phi(steps), PARTICLE_VOLUME, rtol=1e-14)
        assert schedule.volume(0, PARTICLE_VOLUME) == pytest.approx(PARTICLE_VOLUME / 0.20)
        assert schedule.volume(10**6, PARTICLE_VOLUME) == pytest.approx(PARTICLE_VOLUME / 0.58)

    def test_number_density_linear_during_ramp(self, schedule):
        # phi linear in t means 1/V (number density) linear in t: zero second difference.
        density = 1.0 / schedule.volume(np.arange(150, 1151), PARTICLE_VOLUME)
        np.testing.assert_allclose(np.diff(density, 2), 0.0, atol=1e-15)
        assert np.all(np.diff(density) > 0)

    def test_droplet_radius(self, schedule):
        steps = np.array([0, 125, 150, 650, 1150, 2000])
        radius = schedule.droplet_radius(steps, PARTICLE_VOLUME)
        np.testing.assert_allclose(
            4 / 3 * np.pi * radius**3, schedule.volume(steps, PARTICLE_VOLUME), rtol=1e-13
        )
        np.testing.assert_allclose(
            PARTICLE_VOLUME / (4 / 3 * np.pi * radius**3), [0.2, 0.3, 0.4, 0.49, 0.58, 0.58]
        )
        assert np.all(np.diff(radius) <= 0)

    @pytest.mark.parametrize("particle_volume", [0.0, -1.0, np.nan])
    def test_rejects_bad_particle_volume(self, schedule, particle_volume):
        with pytest.raises(ValueError, match="particle_volume must be positive"):
            schedule.volume(0, particle_volume)


class TestValidation:
    @pytest.mark.parametrize("phis", [(0.4, 0.3, 0.5), (0.2, 0.5, 0.4), (0.5, 0.4, 0.3)])
    def test_non_monotonic(self, phis):
        with pytest.raises(ValueError, match="phi_initial <= phi_start <= phi_end"):
            CompressionSchedule(*phis)

    @pytest.mark.parametrize("phis", [(0.2, 0.4, 0.74), (0.2, 0.4, 0.8), (0.0, 0.4, 0.5)])
    def test_out_of_range(self, phis):
        with pytest.raises(ValueError, match=re.escape("volume fractions must lie in (0, 0.74)")):
            CompressionSchedule(*phis)

    def test_just_below_limit_is_accepted(self):
        s = CompressionSchedule(0.2, 0.4, 0.7399, equilibrate_steps=10, ramp_steps=10)
        assert s.phi(0) == pytest.approx(0.2) and s.phi(20) == pytest.approx(0.7399)

    @pytest.mark.parametrize(
        "name", ["equilibrate_steps", "precompress_steps", "ramp_steps", "hold_steps"]
    )
    @pytest.mark.parametrize("value", [-1, 2.5])
    def test_bad_step_counts(self, name, value):
        with pytest.raises(ValueError, match=f"{name} must be a non-negative integer"):
            CompressionSchedule(0.2, 0.4, 0.6, **{name: value})

    def test_integral_floats_become_ints(self):
        s = CompressionSchedule(0.2, 0.4, 0.6, ramp_steps=1000.0, frozen_steps=10.0)
        assert s.ramp_steps == 1000 and isinstance(s.ramp_steps, int)
        assert s.total_steps == 1000 and isinstance(s.total_steps, int)

    def test_frozen_steps(self):
        ok = CompressionSchedule(0.2, 0.4, 0.6, ramp_steps=100, frozen_steps=100)
        assert ok.frozen_steps == 100
        with pytest.raises(ValueError, match="frozen_steps = 101 exceeds the schedule's 100"):
            CompressionSchedule(0.2, 0.4, 0.6, ramp_steps=100, frozen_steps=101)
        with pytest.raises(ValueError, match="frozen_steps must be a non-negative integer"):
            CompressionSchedule(0.2, 0.4, 0.6, ramp_steps=100, frozen_steps=-5)
