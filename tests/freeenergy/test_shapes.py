"""Hard shapes of the HPMC Einstein molecule and the octahedral symmetry quaternions (no HOOMD)."""

import itertools
import math

import numpy as np
import pytest
import rowan

from hoomd_rigidfield.freeenergy.shapes import HardShape, octahedral_symmetries


def test_octahedral_symmetries_are_the_binary_octahedral_group():
    s = octahedral_symmetries()
    assert s.shape == (48, 4)
    assert s[0].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert np.allclose(np.linalg.norm(s, axis=1), 1.0)
    gaps = np.linalg.norm(s[:, None] - s[None], axis=-1) + 9 * np.eye(48)
    assert gaps.min() > 0.5  # 48 distinct points, -s among them
    # closed under multiplication: a group of 48 elements on S^3
    products = rowan.multiply(s[:, None], s[None]).reshape(-1, 4)
    assert np.linalg.norm(products[:, None] - s[None], axis=-1).min(axis=1).max() < 1e-12
    # as rotations: each of the 24 signed permutation matrices with det +1, twice
    mats = np.round(rowan.to_matrix(s)).astype(int)
    assert np.allclose(rowan.to_matrix(s), mats, atol=1e-12)
    keys = {m.tobytes() for m in mats}
    assert len(keys) == 24
    assert all(round(np.linalg.det(m)) == 1 and np.abs(m).sum() == 3 for m in mats)


def test_cube_geometry_and_symmetries():
    cube = HardShape.cube(2.0)
    assert cube.volume == pytest.approx(8.0, rel=1e-12)
    assert cube.circumsphere_diameter == pytest.approx(2.0 * math.sqrt(3.0))
    assert cube.orientable and not cube.is_sphere
    assert len(cube.hoomd_params["vertices"]) == 8
    assert len(cube.check_symmetries(octahedral_symmetries())) == 48


def test_truncated_octahedra_of_edge_a_over_2_root_2_tile_bcc():
    a = 1.7
    to = HardShape.truncated_octahedron(a / (2 * math.sqrt(2)))
    edge = a / (2 * math.sqrt(2))
    assert to.volume == pytest.approx(8 * math.sqrt(2) * edge**3, rel=1e-12)  # Archimedean
    assert 2 * to.volume == pytest.approx(a**3, rel=1e-12)  # two per cubic cell
    # square faces at a/2 along the axes, hexagons at a sqrt(3)/4 along <111>: the bcc cell
    v = to.vertices
    assert v[:, 0].max() == pytest.approx(a / 2)
    assert (v @ np.ones(3) / math.sqrt(3)).max() == pytest.approx(a * math.sqrt(3) / 4)
    assert len(v) == 24
    assert to.circumsphere_diameter == pytest.approx(math.sqrt(10) * edge)
    assert len(to.check_symmetries(octahedral_symmetries())) == 48


def test_only_true_symmetries_pass():
    cube = HardShape.cube()
    turn = rowan.from_axis_angle([0.0, 0.0, 1.0], math.pi / 6)
    with pytest.raises(ValueError, match=r"symmetries\[1\] = .* is not a symmetry"):
        cube.check_symmetries([[1.0, 0.0, 0.0, 0.0], turn])
    # a cuboid loses the quarter turns about x and y
    cuboid = HardShape.convex_polyhedron(
        np.array(list(itertools.product((-0.5, 0.5), repeat=3))) * [1.0, 1.0, 2.0]
    )
    with pytest.raises(ValueError, match="not a symmetry"):
        cuboid.check_symmetries(octahedral_symmetries())
    z_turns = [rowan.from_axis_angle([0.0, 0.0, 1.0], k * math.pi / 2) for k in range(4)]
    assert len(cuboid.check_symmetries(z_turns)) == 4
    # every rotation leaves a sphere unchanged
    assert len(HardShape.sphere(orientable=True).check_symmetries([[1.0, 0, 0, 0], turn])) == 2


def test_sphere_parameters():
    ball = HardShape.sphere(1.3, orientable=True)
    assert ball.is_sphere and ball.hoomd_params == {"diameter": 1.3, "orientable": True}
    assert ball.volume == pytest.approx(math.pi * 1.3**3 / 6)
    assert not HardShape.sphere().orientable


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: HardShape.sphere(0.0), "diameter must be a finite number"),
        (lambda: HardShape.sphere(math.nan), "diameter must be a finite number"),
        (lambda: HardShape.sphere(orientable="yes"), "orientable must be True or False"),
        (lambda: HardShape.cube(-1.0), "edge must be a finite number"),
        (lambda: HardShape.truncated_octahedron(math.inf), "edge must be a finite number"),
        (lambda: HardShape.convex_polyhedron(np.eye(3)), "at least 4 points"),
        (lambda: HardShape.convex_polyhedron([[0, 0, 0, 0]]), r"shape \(N, 3\)"),
        (
            lambda: HardShape.convex_polyhedron([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]),
            "span a polyhedron",
        ),
        (
            lambda: HardShape.convex_polyhedron(HardShape.cube().vertices + 1.0),
            "surround the origin",
        ),
        (
            lambda: HardShape.convex_polyhedron(np.r_[HardShape.cube().vertices, [[np.nan] * 3]]),
            "vertices must be finite",
        ),
        (lambda: HardShape.cube().check_symmetries([[0.0, 1.0, 0, 0]]), "identity"),
        (lambda: HardShape(), "give a sphere diameter or polyhedron vertices"),
        (lambda: HardShape(1.0, HardShape.cube().vertices), "not both"),
        (lambda: HardShape(vertices=HardShape.cube().vertices, orientable=False), "must be True"),
    ],
)
def test_bad_shapes_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()
