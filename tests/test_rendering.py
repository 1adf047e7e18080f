"""Rendered snapshots: colours, the OVITO renderer, the matplotlib fallback, argument checks."""

import sys

import gsd.hoomd
import matplotlib
import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.image import imread

from hoomd_rigidfield import TruncatedOctahedron, rendering
from hoomd_rigidfield.patchy.shape import TruncatedCube
from hoomd_rigidfield.rendering import CATEGORY_COLOURS, particle_colours, render_frame

SIZE = (160, 120)
NC = TruncatedOctahedron.from_size(28.5)
OCTAGON = TruncatedCube(1.0, 0.15)
S_KEY = "particles/rigidfield/s"


def nc_frame(shape_spec=None):
    """Four truncated octahedra on an fcc cell, with s_j in the log."""
    a = 1.6 * 28.5
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [a, a, a, 0, 0, 0]
    frame.particles.N = 4
    frame.particles.types = ["NC0"]
    frame.particles.typeid = np.zeros(4, dtype=np.uint32)
    sites = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]) - 0.25
    frame.particles.position = (a * sites).astype(np.float32)
    frame.particles.orientation = np.tile([1.0, 0, 0, 0], (4, 1)).astype(np.float32)
    frame.particles.type_shapes = [NC.gsd_shape_spec if shape_spec is None else shape_spec]
    frame.log = {S_KEY: np.array([1.0, 0.8, 0.6, 0.4])}
    return frame


def octagon_frame():
    """A 3 x 3 square monolayer of octagons (2D)."""
    xy = 1.05 * (np.stack(np.meshgrid(range(3), range(3)), -1).reshape(-1, 2) - 1.0)
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [3.15, 3.15, 0, 0, 0, 0]
    frame.configuration.dimensions = 2
    frame.particles.N = 9
    frame.particles.types = ["A"]
    frame.particles.typeid = np.zeros(9, dtype=np.uint32)
    frame.particles.position = np.column_stack([xy, np.zeros(9)]).astype(np.float32)
    frame.particles.orientation = np.tile([1.0, 0, 0, 0], (9, 1)).astype(np.float32)
    frame.particles.type_shapes = [OCTAGON.gsd_shape_spec]
    return frame


def write(path, frame):
    with gsd.hoomd.open(path, "w") as f:
        f.append(frame)
    return path


def drawn_fraction(png):
    """Image size (width, height) and the fraction of pixels that are not white background."""
    image = imread(png)[:, :, :3]
    return (image.shape[1], image.shape[0]), float(np.mean(np.any(image < 0.97, axis=2)))


def fraction_near(png, rgb, tol=0.12):
    """Fraction of pixels within ``tol`` (per channel) of a colour."""
    image = imread(png)[:, :, :3]
    return float(np.mean(np.all(np.abs(image - np.asarray(rgb)) < tol, axis=2)))


@pytest.fixture
def ovito_renders(tmp_path):
    """Skip unless OVITO is installed and its renderer works here (software Vulkan)."""
    pytest.importorskip("ovito", reason="OVITO is not installed (pip install ovito)")
    path = write(tmp_path / "probe.gsd", nc_frame())
    try:
        render_frame(path, tmp_path / "probe.png", size=SIZE, backend="ovito")
    except RuntimeError as err:
        pytest.skip(f"OVITO cannot render here ({err}); install libvulkan1 and mesa-vulkan-drivers")


@pytest.fixture
def without_ovito(monkeypatch):
    """Make every ``import ovito...`` fail, as where OVITO is not installed."""
    for name in [m for m in sys.modules if m == "ovito" or m.startswith("ovito.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "ovito", None)


class TestParticleColours:
    def test_categories_take_the_palette_in_order(self):
        rgb = particle_colours([0, 2, 1, 2], categories=("fluid", "fcc", "AlB2"))
        npt.assert_allclose(rgb, np.array(CATEGORY_COLOURS)[[0, 2, 1, 2]])

    def test_continuous_ends_of_the_map_and_nan_grey(self):
        viridis = matplotlib.colormaps["viridis"]
        rgb = particle_colours([0.0, 1.0, 2.0, np.nan], value_range=(0.0, 1.0))
        npt.assert_allclose(rgb[0], viridis(0.0)[:3])
        npt.assert_allclose(rgb[1], viridis(1.0)[:3])
        npt.assert_allclose(rgb[2], viridis(1.0)[:3])  # clipped to the range
        npt.assert_allclose(rgb[3], CATEGORY_COLOURS[0])
        # Default range: the finite minimum and maximum.
        npt.assert_allclose(particle_colours([2.0, 4.0, np.nan])[:2], rgb[:2])
        # One value only: the middle of the map.
        npt.assert_allclose(particle_colours([3.0, 3.0])[0], viridis(0.5)[:3])

    @pytest.mark.parametrize(
        "values, kwargs, match",
        [
            ([[0, 1]], {}, "non-empty"),
            ([], {}, "non-empty"),
            ([0, 3], {"categories": ("a", "b")}, r"\[0, 2\)"),
            ([0, 0.5], {"categories": ("a", "b")}, "integer class codes"),
            ([0], {"categories": [str(i) for i in range(9)]}, "1 to 8"),
            ([0, 1], {"colormap": "nope"}, "colormap"),
            ([0, 1], {"value_range": (1.0, 1.0)}, "high > low"),
            ([np.nan], {}, "no finite"),
        ],
    )
    def test_invalid(self, values, kwargs, match):
        with pytest.raises(ValueError, match=match):
            particle_colours(values, **kwargs)


class TestRenderWithOvito:
    def test_truncated_octahedra_coloured_by_s(self, ovito_renders, tmp_path):
        path = write(tmp_path / "nc.gsd", nc_frame())
        out = tmp_path / "nc.png"
        assert render_frame(path, out, log_key=S_KEY, label="s_j", size=SIZE) == "ovito"
        size, drawn = drawn_fraction(out)
        assert size == SIZE and drawn > 0.05

    def test_octagons_coloured_by_class(self, ovito_renders, tmp_path):
        path = write(tmp_path / "oct.gsd", octagon_frame())
        out = tmp_path / "oct.png"
        codes = np.full(9, 2)  # every particle "hexagonal": the third palette colour
        render_frame(path, out, values=codes, categories=("disordered", "square", "hexagonal"),
                     size=(240, 180), backend="ovito")  # fmt: skip
        size, drawn = drawn_fraction(out)
        assert size == (240, 180) and drawn > 0.2
        assert fraction_near(out, CATEGORY_COLOURS[2]) > 0.1
        assert fraction_near(out, CATEGORY_COLOURS[1]) < 0.01

    def test_older_convex_polyhedron_files_render_their_shapes(self, ovito_renders, tmp_path):
        # OVITO fails to build the hull of this spec at 28.5 A; the renderer draws our mesh.
        old = {"type": "ConvexPolyhedron", "rounding_radius": 0.0, "vertices": NC.vertices.tolist()}
        outs = []
        for name, spec in (("old", old), ("new", None)):
            path = write(tmp_path / f"{name}.gsd", nc_frame(spec))
            outs.append(tmp_path / f"{name}.png")
            render_frame(path, outs[-1], log_key=S_KEY, size=SIZE, backend="ovito")
        (_, drawn_old), (_, drawn_new) = (drawn_fraction(p) for p in outs)
        assert drawn_old == pytest.approx(drawn_new, rel=0.05)

    def test_slab_keeps_only_the_particles_inside(self, ovito_renders, tmp_path):
        # The NC centres lie at z = +-a/4 = +-11.4 A: a 10 A slab about z = 0 holds none.
        path = write(tmp_path / "nc.gsd", nc_frame())
        drawn = {}
        for slab in (10.0, 30.0):
            out = tmp_path / f"slab{slab:g}.png"
            render_frame(path, out, log_key=S_KEY, size=SIZE, slab=slab, backend="ovito")
            drawn[slab] = drawn_fraction(out)[1]
        assert drawn[30.0] > 0.05 and drawn[10.0] < drawn[30.0] / 3


class TestMatplotlibFallback:
    @pytest.mark.parametrize("two_d, slab", [(False, None), (False, 30.0), (True, None)])
    def test_scatter_plot_of_the_requested_size(self, tmp_path, two_d, slab):
        frame = octagon_frame() if two_d else nc_frame()
        path = write(tmp_path / "f.gsd", frame)
        out = tmp_path / "f.png"
        assert render_frame(path, out, size=SIZE, slab=slab, backend="matplotlib") == "matplotlib"
        size, drawn = drawn_fraction(out)
        assert size == SIZE and drawn > 0.02

    def test_without_ovito_auto_falls_back_with_a_note(self, without_ovito, tmp_path, capsys):
        path = write(tmp_path / "nc.gsd", nc_frame())
        out = tmp_path / "nc.png"
        assert render_frame(path, out, log_key=S_KEY, label="s_j", size=SIZE) == "matplotlib"
        assert "OVITO is not installed" in capsys.readouterr().out
        size, drawn = drawn_fraction(out)
        assert size == SIZE and drawn > 0.02
        with pytest.raises(ImportError):
            render_frame(path, out, size=SIZE, backend="ovito")

    def test_renderer_failure_falls_back_with_the_reason(self, monkeypatch, tmp_path, capsys):
        def no_vulkan(*args):
            raise RuntimeError("could not create\n a Vulkan instance")

        monkeypatch.setattr(rendering, "_render_ovito", no_vulkan)
        path = write(tmp_path / "nc.gsd", nc_frame())
        out = tmp_path / "nc.png"
        assert render_frame(path, out, size=SIZE) == "matplotlib"
        assert (
            "OVITO could not render (could not create a Vulkan instance)" in capsys.readouterr().out
        )
        assert drawn_fraction(out)[0] == SIZE
        with pytest.raises(RuntimeError, match="Vulkan"):
            render_frame(path, out, size=SIZE, backend="ovito")


class TestArguments:
    @pytest.mark.parametrize(
        "kwargs, match",
        [
            ({"backend": "povray"}, "backend"),
            ({"size": (10, 100)}, "size"),
            ({"size": (100.5, 100)}, "size"),
            ({"size": 100}, "size"),
            ({"frame": 1}, "out of range"),
            ({"frame": -2}, "out of range"),
            ({"values": [0, 1], "log_key": S_KEY}, "not both"),
            ({"log_key": "particles/psi4"}, "no log quantity"),
            ({"values": [0.0, 1.0]}, "one value per particle"),
            ({"slab": -1.0}, "slab must be a positive"),
            ({"slab": np.nan}, "slab must be a positive"),
        ],
    )
    def test_invalid(self, tmp_path, kwargs, match):
        path = write(tmp_path / "nc.gsd", nc_frame())
        with pytest.raises(ValueError, match=match):
            render_frame(path, tmp_path / "x.png", **kwargs)
        assert not (tmp_path / "x.png").exists()

    def test_slab_needs_a_3d_frame(self, tmp_path):
        path = write(tmp_path / "oct.gsd", octagon_frame())
        with pytest.raises(ValueError, match="2D"):
            render_frame(path, tmp_path / "x.png", slab=1.0)
