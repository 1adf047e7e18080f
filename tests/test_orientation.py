import math

import numpy as np
import pytest
import rowan

from hoomd_rigidfield.orientation import as_rotation_matrices, rotation_about


class TestOrientation:
    def test_quaternion_and_matrix_agree(self):
        q = rowan.random.rand(5)
        mats = as_rotation_matrices(q)
        np.testing.assert_allclose(as_rotation_matrices(mats), mats)
        for m, qi in zip(mats, q):
            v = np.array([0.3, -1.0, 2.0])
            np.testing.assert_allclose(m @ v, rowan.rotate(qi, v), atol=1e-14)
            assert np.linalg.det(m) == pytest.approx(1.0)

    def test_broadcast_and_identity(self):
        assert as_rotation_matrices(None, 3).shape == (3, 3, 3)
        one = as_rotation_matrices([1.0, 0, 0, 0], 4)
        np.testing.assert_allclose(one, np.repeat(np.eye(3)[None], 4, axis=0))
        np.testing.assert_allclose(as_rotation_matrices(np.eye(3), 2), one[:2])

    @pytest.mark.parametrize(
        "value,match",
        [
            ([1.0, 1.0, 0.0, 0.0], "unit norm"),
            (np.diag([1.0, 1.0, -1.0]), "determinant"),
            (2 * np.eye(3), "orthonormal"),
            (np.zeros((2, 5)), "shape"),
        ],
    )
    def test_invalid(self, value, match):
        with pytest.raises(ValueError, match=match):
            as_rotation_matrices(value)

    def test_batch_length(self):
        with pytest.raises(ValueError, match="expected 3"):
            as_rotation_matrices(rowan.random.rand(2), 3)

    def test_rotation_about(self):
        r = rotation_about([0, 0, 2], math.pi / 2)
        np.testing.assert_allclose(r @ [1, 0, 0], [0, 1, 0], atol=1e-15)
        with pytest.raises(ValueError, match="non-zero"):
            rotation_about([0, 0, 0], 1.0)
