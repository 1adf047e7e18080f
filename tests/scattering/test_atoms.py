"""Atomistic NCs: cut shapes, atom counts, lattice geometry, placement and GSD input."""

import math

import numpy as np
import pytest
import rowan

from hoomd_rigidfield.orientation import cube_symmetry_group, haar_quaternions, rotation_about
from hoomd_rigidfield.scattering.atoms import (
    ROCKSALT_LATTICE_CONSTANTS,
    AtomisticNC,
    NCPlacement,
    Polyhedron,
    fcc_lattice_sites,
    fcc_nc,
    pbs_truncated_octahedron,
    place_ncs,
    rocksalt_nc,
)

A_PBS = ROCKSALT_LATTICE_CONSTANTS["PbS"][0]
A_AU = 4.078


@pytest.mark.parametrize("m", [1, 2, 3])
def test_rocksalt_cube_counts(m):
    # Cube |x_i| <= m a/2 around a cation: (2m+1)^3 sites; cations where i+j+k is even.
    nc = rocksalt_nc(Polyhedron.cube(m * A_PBS), A_PBS, ("Pb", "S"))
    n = (2 * m + 1) ** 3
    assert len(nc) == n
    assert nc.counts == ((n + (-1) ** m) // 2, (n - (-1) ** m) // 2)


@pytest.mark.parametrize("m", [1, 2, 3])
def test_fcc_cube_counts(m):
    nc = fcc_nc(Polyhedron.cube(m * A_AU), A_AU, "Au")
    assert len(nc) == ((2 * m + 1) ** 3 + (-1) ** m) // 2
    assert nc.species == ("Au",)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_rocksalt_octahedron_counts(n):
    # |x|+|y|+|z| <= n a/2 on the a/2 simple-cubic grid: centred octahedral numbers.
    edge = n * A_PBS / 2 * math.sqrt(2.0)
    nc = rocksalt_nc(Polyhedron.octahedron(edge), A_PBS)
    assert len(nc) == (2 * n + 1) * (2 * n * n + 2 * n + 3) // 3


@pytest.mark.parametrize("p", [1, 2, 3])
def test_fcc_octahedron_magic_numbers(p):
    # Atom-centred fcc octahedra, vertices at p a on the axes: k = 2p + 1 atoms per edge and
    # (2k^3 + k)/3 atoms (19, 85, 231).
    nc = fcc_nc(Polyhedron.octahedron(math.sqrt(2.0) * p * A_AU), A_AU)
    k = 2 * p + 1
    assert len(nc) == (2 * k**3 + k) // 3


def test_truncated_octahedron_geometry_and_symmetry():
    poly = Polyhedron.truncated_octahedron(60.0)
    e = 30.0 / math.sqrt(2.0)  # Archimedean edge from h100 = sqrt(2) e
    assert poly.volume == pytest.approx(8 * math.sqrt(2.0) * e**3, rel=1e-12)
    assert len(poly.vertices) == 24
    nc = pbs_truncated_octahedron(60.0)
    # Atom density of rock salt: 8 atoms per a^3; the cut agrees to a few per cent.
    assert len(nc) == pytest.approx(8 * poly.volume / A_PBS**3, rel=0.1)
    assert poly.contains(nc.positions).all()
    # The cut is O_h symmetric about a cation, so every cube operation maps the NC onto itself.
    key = {tuple(np.round(r, 6)) for r in nc.positions}
    for g in cube_symmetry_group()[::7]:
        assert {tuple(np.round(r, 6)) for r in nc.positions @ g.T} == key


def test_from_vertices_matches_halfspaces(rng):
    poly = Polyhedron.truncated_octahedron(40.0, 0.8)
    hull = Polyhedron.from_vertices(poly.vertices)
    pts = rng.uniform(-25, 25, (4000, 3))
    np.testing.assert_array_equal(hull.contains(pts), poly.contains(pts))
    assert hull.volume == pytest.approx(poly.volume, rel=1e-9)


def test_rocksalt_neighbours_are_unlike_at_half_a():
    nc = rocksalt_nc(Polyhedron.cube(2 * A_PBS), A_PBS)
    d = np.linalg.norm(nc.positions[:, None] - nc.positions[None], axis=-1)
    np.fill_diagonal(d, np.inf)
    i, j = np.nonzero(np.isclose(d, A_PBS / 2))
    assert len(i) and np.all(nc.types[i] != nc.types[j])
    assert d.min() == pytest.approx(A_PBS / 2)


def test_offset_moves_the_lattice_not_the_shape():
    off = np.array([A_PBS / 4, 0.0, 0.0])
    nc = rocksalt_nc(Polyhedron.cube(3 * A_PBS), A_PBS, offset=off)
    assert Polyhedron.cube(3 * A_PBS).contains(nc.positions).all()
    frac = (nc.positions - off) / (A_PBS / 2)
    np.testing.assert_allclose(frac, np.round(frac), atol=1e-12)


def test_placement_rotates_then_translates():
    nc = AtomisticNC(np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 2.0]]), ("Pb", "S"), np.array([0, 1]))
    q90 = rowan.from_axis_angle([0, 0, 1], np.pi / 2)
    atoms = place_ncs(nc, NCPlacement([[10.0, 0, 0], [0, 20.0, 0]], [[1, 0, 0, 0], q90]))
    np.testing.assert_allclose(
        atoms.positions, [[11, 0, 0], [10, 0, 2], [0, 21, 0], [0, 20, 2]], atol=1e-12
    )
    np.testing.assert_array_equal(atoms.types, [0, 1, 0, 1])
    # transformed() is the same map for one NC.
    one = nc.transformed(rotation_about([0, 0, 1], np.pi / 2), [0, 20.0, 0])
    np.testing.assert_allclose(one.positions, atoms.positions[2:], atol=1e-12)


def test_fcc_lattice_sites():
    sites = fcc_lattice_sites(150.0, (2, 1, 1))
    assert sites.shape == (8, 3)
    np.testing.assert_allclose(sites.mean(axis=0), 0.0, atol=1e-12)
    d = np.linalg.norm(sites[:, None] - sites[None], axis=-1)
    assert np.min(d[d > 0]) == pytest.approx(150.0 / math.sqrt(2.0))


def test_placement_from_gsd_frame_and_file(tmp_path):
    gsd_hoomd = pytest.importorskip("gsd.hoomd")
    rng = np.random.default_rng(3)
    frame = gsd_hoomd.Frame()
    frame.configuration.box = [100.0, 100.0, 100.0, 0, 0, 0]
    frame.particles.N = 4
    frame.particles.types = ["NC", "L"]
    frame.particles.typeid = [0, 1, 0, 0]
    frame.particles.position = [[10, 0, 0], [0, 0, 0], [-40, 0, 0], [0, 45, 0]]
    frame.particles.image = [[0, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, -1]]
    quats = haar_quaternions(4, rng)
    frame.particles.orientation = quats
    path = tmp_path / "sl.gsd"
    with gsd_hoomd.open(path, "w") as f:
        f.append(frame)
    for source in (frame, str(path)):
        pl = NCPlacement.from_gsd(source, types=["NC"])
        np.testing.assert_allclose(pl.positions, [[10, 0, 0], [60, 0, 0], [0, 45, -100]])
        np.testing.assert_allclose(pl.orientations, quats[[0, 2, 3]], atol=1e-7)
    wrapped = NCPlacement.from_gsd(frame, unwrap=False)
    assert len(wrapped) == 4 and wrapped.positions[2, 0] == -40


def test_bad_inputs_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match=r"offsets must be > 0"):
        Polyhedron(np.vstack([np.eye(3), -np.eye(3)]), [1, 1, 1, 1, 1, -1])
    with pytest.raises(ValueError, match=r"wulff_ratio must be a finite number in \(0\.57"):
        Polyhedron.truncated_octahedron(40.0, 1.2)
    with pytest.raises(ValueError, match=r"edge must be a finite number in \(0, inf\) A, got -1"):
        Polyhedron.cube(-1)
    with pytest.raises(ValueError, match=r"do not bound"):
        Polyhedron(np.vstack([np.eye(3), [[-1, 0, 0]]]), [1, 1, 1, 1])
    with pytest.raises(ValueError, match=r"types must lie in \[0, 1\]"):
        AtomisticNC(np.zeros((2, 3)), ("Pb", "S"), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"species must be \(cation, anion\)"):
        rocksalt_nc(Polyhedron.cube(10.0), A_PBS, ("Pb",))
    with pytest.raises(ValueError, match=r"lattice_constant must be"):
        fcc_nc(Polyhedron.cube(10.0), 0.0)
    with pytest.raises(ValueError, match=r"polyhedron must be a scattering.atoms.Polyhedron"):
        fcc_nc("cube", A_AU)
    with pytest.raises(ValueError, match=r"unit norm"):
        NCPlacement(np.zeros((1, 3)), [[1.0, 1.0, 0, 0]])
    with pytest.raises(ValueError, match=r"orientations must have shape \(2, 4\)"):
        NCPlacement(np.zeros((2, 3)), np.ones((3, 4)) / 2)
