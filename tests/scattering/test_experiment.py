"""From a superlattice frame to I(q), the pattern, XCCA and the SL/AL relation (end to end)."""

import math
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest
import rowan

from hoomd_rigidfield.scattering.experiment import scatter_frame, sl_lattice_constant
from hoomd_rigidfield.scattering.study import from_statepoint
from hoomd_rigidfield.scattering.xcca import axis_angle_matrix, conf1_rotation, conf2_rotation

DATA = Path(__file__).resolve().parents[1] / "data"
#: Fast settings: 57 A PbS NCs on an fcc cell of 90 A (the study sizes), flat Ewald sphere.
SMALL = {"size": 57.0, "replicate": 3, "n_pixels": 192, "n_q": 150, "bin_width": 0.05,
         "ewald": "flat", "q_max": 2.4}  # fmt: skip
A_SL = 90.0


def mesocrystal(rotation, spread_deg=0.0, seed=0, n_cells=1):
    """An fcc crystal of ``n_cells``^3 cells of NCs, all with the AL orientation ``rotation`` (AL
    axes in the SL frame), each turned about the beam [001] by an angle drawn from a Gaussian of
    standard deviation ``spread_deg`` (its quantiles, shuffled: the sample has that spread)."""
    from scipy.stats import norm

    rng = np.random.default_rng(seed)
    basis = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    cells = np.array(
        [[i, j, k] for i in range(n_cells) for j in range(n_cells) for k in range(n_cells)]
    )
    sites = ((cells[:, None] + basis[None]).reshape(-1, 3) - n_cells / 2 + 0.25) * A_SL
    angles = spread_deg * norm.ppf((np.arange(len(sites)) + 0.5) / len(sites))
    quats = []
    for angle in rng.permutation(angles):
        twist = axis_angle_matrix([0, 0, 1], math.radians(angle))
        quats.append(rowan.from_matrix(twist @ rotation))
    frame = gsd.hoomd.Frame()
    frame.particles.N = len(sites)
    frame.particles.types = ["NC"]
    frame.particles.typeid = np.zeros(len(sites), np.uint32)
    frame.particles.position = sites.astype(np.float32)
    frame.particles.orientation = np.asarray(quats, np.float32)
    frame.configuration.box = [n_cells * A_SL] * 3 + [0, 0, 0]
    return frame


@pytest.fixture(scope="module")
def ordered():
    """The aligned Monte Carlo frame of the orientation_phase_diagram study (tests/data)."""
    with gsd.hoomd.open(DATA / "fcc_superlattice_frame.gsd") as f:
        frame = f[0]
    study = from_statepoint({"n_pixels": 256, "n_q": 300})
    return study, scatter_frame(study, frame)


def _azimuths(peaks):
    return np.sort(np.degrees(peaks.positions) % 360)


def test_ordered_frame_gives_the_fcc_superlattice_and_the_pbs_rings(ordered):
    study, result = ordered
    assert result.sl_lattice_constant == 90.0
    assert len(result.nc) > 3000  # 57 A PbS truncated octahedron from the file's shape
    assert set(result.rings) == {"SL 200", "SL 220", "AL 111", "AL 200"}
    assert result.rings["AL 111"] == pytest.approx(2 * math.pi * math.sqrt(3) / 5.936)
    # WAXS powder: Bragg peaks of PbS at q_111 and q_200, far above the background between
    q = result.q
    at = {hkl: result.powder[np.argmin(abs(q - qh))] for hkl, qh in study.atomic_reflections()}
    dip = result.powder[np.argmin(abs(q - 1.98))]
    assert at["111"] > 3 * dip and at["200"] > 3 * dip
    # SAXS: the first superlattice peak sits at the fcc {111}/{200} of a = 90 A
    valid = np.isfinite(result.saxs) & (result.saxs_q > 0.09) & (result.saxs_q < 0.17)
    q_peak = result.saxs_q[valid][np.argmax(result.saxs[valid])]
    assert q_peak == pytest.approx(2 * math.pi * math.sqrt(3) / 90.0, rel=0.08)


def test_ordered_frame_shows_four_fold_rings_with_aligned_atomic_lattices(ordered):
    _, result = ordered
    # along [001] the SL {200} spots sit at 0, 90, 180, 270 degrees ...
    np.testing.assert_allclose(_azimuths(result.ring_peaks["SL 200"]), [0, 90, 180, 270], atol=2)
    # ... the XCCA of that ring is four-fold: (C - <I>^2)/<I>^2 is large at 0 and 90 degrees
    # and -1 (no overlap of spots) at 45
    c = result.correlation["SL 200"]
    k = {d: round(d / 360 * len(c)) % len(c) for d in (0, 45, 90)}
    assert c[k[0]] > 2 and c[k[90]] == pytest.approx(c[k[0]], rel=0.1)
    assert c[k[45]] == pytest.approx(-1, abs=0.05)
    # the NCs' cube axes are the SL axes (s = 0.99): AL {200} spots at the SL {200} azimuths
    sl_al = result.correlation["SL 200 x AL 200"]
    best = np.degrees(result.delta[np.argmax(sl_al)])
    assert min(best % 90, 90 - best % 90) < 3
    # that is neither seed 003 relation
    assert result.relation.label == "other"
    assert result.summary()["orientation_relation"]["label"] == "other"


@pytest.mark.parametrize(
    ("rotation", "label"), [(conf1_rotation(), "Conf1"), (conf2_rotation(), "Conf2")]
)
def test_conf1_and_conf2_mesocrystals_are_told_apart(rotation, label):
    result = scatter_frame(from_statepoint(SMALL), mesocrystal(rotation))
    assert result.relation.label == label
    other = "Conf2" if label == "Conf1" else "Conf1"
    assert result.relation.residuals[other] > 5 * result.relation.residuals[label]
    # [110]_SL || [100]_AL in both: AL {200} spots at 45 degrees from the SL {200} spots, four
    # of them in Conf1 ([001]_AL zone), two in Conf2 ([011]_AL zone), which adds four {111}
    # spots at 45 -+ 35.26 degrees
    al200 = _azimuths(result.ring_peaks["AL 200"])
    np.testing.assert_allclose(al200 % 90, 45, atol=2)
    assert len(al200) == (4 if label == "Conf1" else 2)
    if label == "Conf1":
        assert isinstance(result.ring_peaks["AL 111"], str)  # why there are none
    else:
        al111 = _azimuths(result.ring_peaks["AL 111"]) % 90
        np.testing.assert_allclose(np.sort(al111), [9.74, 9.74, 80.26, 80.26], atol=2)


def test_orientational_spread_is_read_off_the_spot_widths():
    spread = 4.0  # degrees, Gaussian, about the beam
    sp = {**SMALL, "replicate": 1, "n_pixels": 160}  # 32 NCs, each its own orientation
    result = scatter_frame(from_statepoint(sp), mesocrystal(conf1_rotation(), spread, 1, 2))
    sharp = scatter_frame(from_statepoint(sp), mesocrystal(conf1_rotation(), 0.0, 1, 2))
    assert math.degrees(sharp.disorder["delta_phi"]) < 1.0  # the spot's own width only
    # ~17 NCs inside the spherical domain sample the spread: a standard deviation from 17
    # values scatters by 1/sqrt(2 * 17) = 17 %, so 35 % is two of those
    assert math.degrees(result.disorder["delta_phi"]) == pytest.approx(spread, rel=0.35)


@pytest.mark.slow
def test_orientational_spread_averaged_over_domains():
    spread, sp = 4.0, {**SMALL, "replicate": 1, "n_pixels": 160}
    got = [
        math.degrees(
            scatter_frame(
                from_statepoint(sp), mesocrystal(conf1_rotation(), spread, seed, 2)
            ).disorder["delta_phi"]
        )
        for seed in range(1, 7)
    ]
    assert np.mean(got) == pytest.approx(spread, rel=0.15)


def test_frames_that_are_not_an_fcc_cell_are_refused():
    frame = mesocrystal(conf1_rotation())
    frame.configuration.box = [48, 48, 60, 0, 0, 0]
    with pytest.raises(ValueError, match="cubic box"):
        scatter_frame(from_statepoint(SMALL), frame)
    with pytest.raises(ValueError, match="4 n\\^3 NCs, this frame has 5"):
        sl_lattice_constant([90, 90, 90, 0, 0, 0], 5)
    with pytest.raises(ValueError, match="size is None"):
        scatter_frame(from_statepoint({**SMALL, "size": None}), mesocrystal(conf1_rotation()))
