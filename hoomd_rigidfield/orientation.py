"""Orientations of rigid nanocrystals.

An orientation is a rotation matrix ``R`` (columns are the body axes in the lab frame, so
``r_lab = R @ r_body``) or a unit quaternion ``(w, x, y, z)``, scalar first as in HOOMD and
rowan. Conversions use :mod:`rowan`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import rowan

#: Tolerance on ``|q| - 1`` and on ``R^T R - I`` accepted as a valid orientation.
ORTHONORMALITY_TOL = 1e-8


def as_rotation_matrices(orientations: Any, n: int | None = None) -> np.ndarray:
    """Convert orientations to an array of rotation matrices.

    Args:
        orientations: One orientation (``(4,)`` quaternion or ``(3, 3)`` matrix), a batch
            (``(N, 4)`` or ``(N, 3, 3)``), or ``None`` for the identity.
        n (int): Number of nanocrystals; a single orientation is repeated ``n`` times. If
            ``None``, the batch size of ``orientations`` is used (1 for a single one).

    Returns:
        (N, 3, 3) numpy.ndarray: Proper rotation matrices.

    Raises:
        ValueError: On a wrong shape, a non-unit quaternion or a matrix that is not a proper
            rotation (tolerance :data:`ORTHONORMALITY_TOL`), or a batch whose length is not ``n``.
    """
    if orientations is None:
        return np.repeat(np.eye(3)[None], 1 if n is None else n, axis=0)
    o = np.asarray(orientations, dtype=float)
    if o.shape[-1:] == (4,) and o.ndim in (1, 2):
        quats = o.reshape(-1, 4)
        norms = np.linalg.norm(quats, axis=1)
        if np.any(np.abs(norms - 1.0) > ORTHONORMALITY_TOL):
            raise ValueError(
                f"quaternions must have unit norm (|q| - 1 within {ORTHONORMALITY_TOL}), "
                f"got norms {norms}"
            )
        mats = rowan.to_matrix(quats / norms[:, None])
    elif o.shape[-2:] == (3, 3) and o.ndim in (2, 3):
        mats = o.reshape(-1, 3, 3)
        gram = np.einsum("nji,njk->nik", mats, mats)
        if np.any(np.abs(gram - np.eye(3)) > ORTHONORMALITY_TOL) or np.any(np.linalg.det(mats) < 0):
            raise ValueError("rotation matrices must be orthonormal with determinant +1")
    else:
        raise ValueError(
            "orientations must be a (4,) quaternion, a (3, 3) rotation matrix, or batches "
            f"(N, 4) / (N, 3, 3); got shape {o.shape}"
        )
    single = o.ndim == 1 or o.shape == (3, 3)
    if n is not None:
        if single:
            mats = np.repeat(mats[:1], n, axis=0)
        elif len(mats) != n:
            raise ValueError(f"expected {n} orientations, got {len(mats)}")
    return np.ascontiguousarray(mats)


def rotation_about(axis: Any, angle: float) -> np.ndarray:
    """Rotation matrix for a rotation by ``angle`` about ``axis`` (right-hand rule).

    Args:
        axis: (3,) rotation axis (need not be normalised, must be non-zero).
        angle (float): Rotation angle [rad].

    Returns:
        (3, 3) numpy.ndarray: Rotation matrix.
    """
    axis = np.asarray(axis, dtype=float)
    norm = np.linalg.norm(axis)
    if norm == 0:
        raise ValueError("rotation axis must be non-zero")
    return rowan.to_matrix(rowan.from_axis_angle(axis / norm, angle))
