import freud
import numpy as np
import pytest

from hoomd_rigidfield.shortrange.classify import STATES, QuenchClassifier, wrapping_clusters


def fcc(n=4, noise=0.0, seed=1):
    box, points = freud.data.UnitCell.fcc().generate_system(n, scale=2**0.5, sigma_noise=noise,
                                                            seed=seed)  # fmt: skip
    return box, points


def test_fcc_is_a_crystal_and_repr_round_trips():
    c = QuenchClassifier(lam=0.1).compute(fcc(noise=0.02))
    assert c.state == "crystal" and c.crystalline_fraction > 0.95
    assert c.mean_bonds == pytest.approx(12.0, abs=0.5) and c.crystalline.all()
    again = eval(repr(c), {"QuenchClassifier": QuenchClassifier})
    assert repr(again) == repr(c)


def test_ideal_gas_is_a_fluid():
    rng = np.random.default_rng(3)
    box = freud.box.Box.cube(14.0)
    points = rng.uniform(-7, 7, (500, 3))
    c = QuenchClassifier(lam=0.1).compute((box, points))
    assert c.state == "fluid" and not c.percolating and c.crystalline_fraction < 0.05


def test_dense_droplet_in_a_gas():
    rng = np.random.default_rng(4)
    box = freud.box.Box.cube(30.0)
    _, lattice = fcc(3, noise=0.12, seed=5)  # a disordered dense cluster of 108
    gas = rng.uniform(-15, 15, (60, 3))
    c = QuenchClassifier(lam=0.15).compute((box, np.concatenate([lattice, gas])))
    assert c.crystalline_fraction < 0.3 and not c.percolating
    assert c.dense_fraction > 0.3 and c.state == "droplets"


def test_a_chain_through_the_box_percolates_and_is_a_gel():
    box = freud.box.Box.cube(10.0)
    chain = np.column_stack([np.arange(10) - 4.5, np.zeros(10), np.zeros(10)])
    rng = np.random.default_rng(6)
    gas = rng.uniform(-5, 5, (5, 3)) * [1, 0.3, 0.3] + [0, 3.0, 3.0]
    c = QuenchClassifier(lam=0.1).compute((box, np.concatenate([chain, gas])))
    assert c.percolating and c.state == "gel" and c.largest_cluster_fraction >= 10 / 15
    # a mobile network (fast diffusion over the window) is not arrested
    assert c.compute((box, np.concatenate([chain, gas])), diffusion=0.01).state == "fluid"
    assert c.compute((box, np.concatenate([chain, gas])), diffusion=1e-3).state == "gel"
    # a chain one bond short does not wrap
    c.compute((box, chain[:9]))
    assert not c.percolating


def test_a_partly_crystalline_arrested_network_is_not_a_gel():
    # fcc with a disordered slab: ~27 % crystalline, percolating, dense, arrested
    box, x = fcc()
    rng = np.random.default_rng(7)
    slab = x[:, 0] < 1.0
    x[slab] += rng.normal(0, 0.2, (slab.sum(), 3))
    c = QuenchClassifier(lam=0.15).compute((box, x), diffusion=1e-4)
    assert 0.1 < c.crystalline_fraction < 0.3 and c.percolating
    assert c.state == "droplets"
    assert QuenchClassifier(lam=0.15, gel_crystal_fraction=0.3).compute((box, x)).state == "gel"
    with pytest.raises(ValueError, match="gel_crystal_fraction"):
        QuenchClassifier(lam=0.1, gel_crystal_fraction=0.5)


def test_wrapping_clusters_directly():
    box = freud.box.Box.cube(4.0)
    points = np.array([[-1.5, 0, 0], [-0.5, 0, 0], [0.5, 0, 0], [1.5, 0, 0], [0, 1.5, 1.5]])
    ring = np.array([[0, 1], [1, 2], [2, 3], [3, 0]])
    labels = np.array([0, 0, 0, 0, 1])
    np.testing.assert_array_equal(wrapping_clusters(box, points, ring, labels), [True, False])
    np.testing.assert_array_equal(wrapping_clusters(box, points, ring[:3], labels), [False, False])
    assert wrapping_clusters(box, points, np.zeros((0, 2)), labels).tolist() == [False, False]


def test_properties_raise_before_compute_and_bad_inputs():
    c = QuenchClassifier(lam=0.1)
    with pytest.raises(AttributeError, match="before compute"):
        c.state
    assert c.bond_length == pytest.approx(1.12)
    with pytest.raises(ValueError, match="solid_bonds must be an integer in"):
        QuenchClassifier(lam=0.1, solid_bonds=13)
    with pytest.raises(ValueError, match=r"lam must be a finite number in \(0, inf\) sigma"):
        QuenchClassifier(lam=float("nan"))
    assert STATES == ("fluid", "crystal", "droplets", "gel")
