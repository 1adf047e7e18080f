"""Figures of the binary Mie suite: snapshots coloured by crystal class."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.colors import to_rgba

from hoomd_rigidfield.mie.plotting import CRYSTAL_COLOURS, plot_classified_snapshot
from tests.conftest import legend_texts, single_face_colour

# ---- plot_classified_snapshot --------------------------------------------------------------


@pytest.fixture
def snapshot():
    rng = np.random.default_rng(7)
    phase = np.array(["fcc"] * 5 + ["fluid"] * 7 + ["AlB2"] * 3)
    rng.shuffle(phase)
    return rng.uniform(-2.0, 2.0, (len(phase), 3)), phase, rng.uniform(-2.0, 2.0, (20, 3))


def test_classified_snapshot_draws_one_scatter_per_present_class(fig, snapshot):
    positions, phase, small = snapshot
    ax = fig.add_subplot(projection="3d")
    assert plot_classified_snapshot(ax, positions, phase, small_positions=small) is ax
    # Small particles first, then the classes present (NaZn13 has no member: no scatter).
    assert len(ax.collections) == 1 + 3
    grey = ax.collections[0]
    npt.assert_allclose(grey.get_offsets(), small[:, :2], rtol=1e-12)
    npt.assert_allclose(single_face_colour(grey), to_rgba("0.55")[:3], atol=1e-6)
    by_label = {c.get_label().split(" ")[0]: c for c in ax.collections[1:]}
    assert set(by_label) == {"fcc", "fluid", "AlB2"}
    for name, coll in by_label.items():
        sel = phase == name
        npt.assert_allclose(coll.get_offsets(), positions[sel, :2], rtol=1e-12)
        npt.assert_allclose(single_face_colour(coll), to_rgba(CRYSTAL_COLOURS[name])[:3], atol=1e-6)
        assert coll.get_label() == f"{name} ({sel.sum()})"
    assert sorted(legend_texts(ax)) == sorted(["fcc (5)", "fluid (7)", "AlB2 (3)"])


def test_classified_snapshot_slab_keeps_the_central_slice(fig, snapshot):
    positions, phase, small = snapshot
    ax = fig.add_subplot(projection="3d")
    plot_classified_snapshot(ax, positions, phase, small_positions=small, slab=2.0)
    grey = ax.collections[0]
    npt.assert_allclose(grey.get_offsets(), small[np.abs(small[:, 2]) < 1.0, :2], rtol=1e-12)
    drawn = 0
    for coll in ax.collections[1:]:
        name = coll.get_label().split(" ")[0]
        sel = (phase == name) & (np.abs(positions[:, 2]) < 1.0)
        npt.assert_allclose(coll.get_offsets(), positions[sel, :2], rtol=1e-12)
        # The legend counts the whole class, not the slice.
        assert coll.get_label() == f"{name} ({(phase == name).sum()})"
        drawn += len(coll.get_offsets())
    assert drawn == np.sum(np.abs(positions[:, 2]) < 1.0) < len(positions)


def test_classified_snapshot_without_small_particles(fig, snapshot):
    positions, phase, _ = snapshot
    ax = fig.add_subplot(projection="3d")
    plot_classified_snapshot(ax, positions, phase)
    assert len(ax.collections) == 3
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(positions)


def test_classified_snapshot_rejects_bad_input(fig, snapshot):
    positions, phase, _ = snapshot
    ax = fig.add_subplot(projection="3d")
    bad = phase.copy()
    bad[0] = "bcc"
    with pytest.raises(ValueError, match="unknown classes"):
        plot_classified_snapshot(ax, positions, bad)
    with pytest.raises(ValueError, match="positions"):
        plot_classified_snapshot(ax, positions[:-1], phase)
    with pytest.raises(ValueError, match="positions"):
        plot_classified_snapshot(ax, positions[:, :2], phase)
    assert len(ax.collections) == 0  # nothing drawn before the checks


# ---- plot_monolayer ------------------------------------------------------------------------


# ---- plot_state_diagram --------------------------------------------------------------------
