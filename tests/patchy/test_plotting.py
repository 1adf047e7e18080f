"""Figures of the patchy-cube suite: monolayer of octagons, state diagram."""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgba

from hoomd_rigidfield.patchy.plotting import MONOLAYER_COLOURS, plot_monolayer, plot_state_diagram
from hoomd_rigidfield.patchy.shape import TruncatedCube
from tests.conftest import legend_texts, single_face_colour

OCTAGON = TruncatedCube(1.0, 0.15)


# ---- plot_monolayer ------------------------------------------------------------------------


@pytest.fixture
def monolayer():
    rng = np.random.default_rng(3)
    n = 9
    g = np.arange(3) * 1.3
    x, y = np.meshgrid(g, g, indexing="ij")
    positions = np.column_stack([x.ravel(), y.ravel()])
    angles = rng.uniform(-math.pi / 4, math.pi / 4, n)
    phase = np.array(["square"] * 4 + ["hexagonal"] * 2 + ["disordered"] * 3)
    return positions, angles, phase


def test_monolayer_draws_the_rotated_octagons_at_their_centres(fig, monolayer):
    positions, angles, phase = monolayer
    ax = fig.add_subplot()
    assert plot_monolayer(ax, positions, angles, OCTAGON.vertices, phase) is ax
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 1
    paths = polys[0].get_paths()
    assert len(paths) == len(positions)
    v = np.asarray(OCTAGON.vertices)
    for path, centre, theta in zip(paths, positions, angles):
        c, s = math.cos(theta), math.sin(theta)
        expected = centre + v @ np.array([[c, s], [-s, c]])  # rows R(theta) v
        npt.assert_allclose(path.vertices[: len(v)], expected, atol=1e-12)
        # Rotation about the own centre: centroid and circumradius are kept.
        npt.assert_allclose(path.vertices[: len(v)].mean(axis=0), centre, atol=1e-12)
        npt.assert_allclose(
            np.max(np.linalg.norm(path.vertices[: len(v)] - centre, axis=1)),
            OCTAGON.circumradius,
            rtol=1e-12,
        )
    face = polys[0].get_facecolor()
    npt.assert_allclose(face, [to_rgba(MONOLAYER_COLOURS[p]) for p in phase], atol=1e-6)
    assert legend_texts(ax) == ["disordered (3)", "square (4)", "hexagonal (2)"]
    assert ax.get_aspect() == 1.0
    # The view holds every octagon.
    lo, hi = ax.get_xlim(), ax.get_ylim()
    assert lo[0] <= positions[:, 0].min() - 0.5 and hi[1] >= positions[:, 1].max() + 0.5


def test_monolayer_accepts_3d_positions_and_draws_the_box(fig, monolayer):
    positions, angles, phase = monolayer
    ax = fig.add_subplot()
    pos3 = np.column_stack([positions, np.full(len(positions), 9.0)])
    plot_monolayer(ax, pos3, angles, OCTAGON.vertices, phase, box=(6.0, 4.0))
    paths = ax.collections[0].get_paths()
    npt.assert_allclose(
        np.array([p.vertices[:-1].mean(axis=0) for p in paths]), positions, atol=1e-12
    )
    assert len(ax.lines) == 1
    outline = ax.lines[0].get_xydata()
    npt.assert_allclose(outline, [[-3, -2], [3, -2], [3, 2], [-3, 2], [-3, -2]], atol=1e-12)


def test_monolayer_rejects_bad_input(fig, monolayer):
    positions, angles, phase = monolayer
    ax = fig.add_subplot()
    bad = phase.copy()
    bad[2] = "fcc"
    with pytest.raises(ValueError, match="unknown classes"):
        plot_monolayer(ax, positions, angles, OCTAGON.vertices, bad)
    with pytest.raises(ValueError, match="one entry per particle"):
        plot_monolayer(ax, positions, angles[:-1], OCTAGON.vertices, phase)
    with pytest.raises(ValueError, match="one entry per particle"):
        plot_monolayer(ax, positions, angles, OCTAGON.vertices, phase[:-1])
    with pytest.raises(ValueError, match="one entry per particle"):
        plot_monolayer(ax, positions[:-2], angles, OCTAGON.vertices, phase)
    assert len(ax.collections) == 0


# ---- plot_state_diagram --------------------------------------------------------------------


@pytest.fixture
def state_points():
    return [
        (0.1, 2.0, "disordered", 0.31, 0.22),
        (0.5, 2.0, "square", 0.91, 0.05),
        (0.5, 6.0, "square", 0.95, 0.03),
        (0.9, 6.0, "hexagonal", 0.23, 0.96),
        (0.3, 4.0, "disordered", 0.40, 0.30),
    ]


def test_state_diagram_one_marker_per_state_point(fig, state_points):
    ax = fig.add_subplot()
    assert plot_state_diagram(ax, iter(state_points)) is ax  # any iterable
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(state_points)
    by_label = {c.get_label(): c for c in ax.collections}
    assert set(by_label) == {"disordered", "square", "hexagonal"}
    for name, coll in by_label.items():
        expected = [(px, eps) for px, eps, p, *_ in state_points if p == name]
        npt.assert_allclose(coll.get_offsets(), expected, rtol=1e-12)
        npt.assert_allclose(
            single_face_colour(coll), to_rgba(MONOLAYER_COLOURS[name])[:3], atol=1e-6
        )
    # One annotation per point: psi4 above psi6, under the marker; one note says what they are.
    texts = {t.xy: t.get_text() for t in ax.texts if hasattr(t, "xy")}
    assert len(texts) == len(state_points) == len(ax.texts) - 1
    for px, eps, _, psi4, psi6 in state_points:
        assert texts[(px, eps)] == f"{psi4:.2f}\n{psi6:.2f}"


def test_state_diagram_skips_absent_classes(fig, state_points):
    ax = fig.add_subplot()
    plot_state_diagram(ax, [p for p in state_points if p[2] == "square"])
    assert [c.get_label() for c in ax.collections] == ["square"]
    assert legend_texts(ax) == ["square"]


def test_state_diagram_rejects_points_of_the_wrong_length(fig, state_points):
    ax = fig.add_subplot()
    with pytest.raises(ValueError):
        plot_state_diagram(ax, [*state_points, (0.7, 8.0, "square", 0.9)])


def test_state_diagram_rejects_unknown_classes(fig, state_points):
    ax = fig.add_subplot()
    with pytest.raises(ValueError, match="unknown"):
        plot_state_diagram(ax, [*state_points, (0.7, 8.0, "fcc", 0.5, 0.5)])
