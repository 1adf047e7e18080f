"""Orientations of rigid nanocrystals.

An orientation is a rotation matrix ``R`` (columns are the body axes in the lab frame, so
``r_lab = R @ r_body``) or a unit quaternion ``(w, x, y, z)``, scalar first as in HOOMD and
rowan. Conversions use :mod:`rowan`.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import rowan
from scipy.spatial.transform import Rotation

from hoomd_rigidfield.validation import check_finite_array

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
        ValueError: On a wrong shape, NaN or inf entries, a non-unit quaternion or a matrix that is
            not a proper rotation (tolerance :data:`ORTHONORMALITY_TOL`), or a batch whose length is not ``n``.
    """
    if orientations is None:
        return np.repeat(np.eye(3)[None], 1 if n is None else n, axis=0)
    o = check_finite_array("orientations", orientations)
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


def haar_quaternions(n: int, rng: np.random.Generator) -> np.ndarray:
    """Draw orientations uniformly from SO(3) (Haar measure).

    Args:
        n (int): Number of orientations.
        rng (numpy.random.Generator): Random source.

    Returns:
        (n, 4) numpy.ndarray: Unit quaternions, scalar first.
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    return Rotation.random(int(n), rng=rng).as_quat(scalar_first=True)


def rotate_quaternions(quaternions: Any, rotation_vectors: Any) -> np.ndarray:
    r"""Rotate orientations in the lab frame: :math:`R' = \exp([w]_\times) R`.

    Args:
        quaternions ((N, 4) array): Unit quaternions, scalar first (HOOMD convention).
        rotation_vectors ((N, 3) array): Rotation vectors :math:`w` (axis times angle [rad]).

    Returns:
        (N, 4) numpy.ndarray: The rotated unit quaternions, renormalised.
    """
    q = np.asarray(quaternions, dtype=float).reshape(-1, 4)
    dq = Rotation.from_rotvec(np.asarray(rotation_vectors, dtype=float).reshape(-1, 3))
    out = rowan.multiply(dq.as_quat(scalar_first=True), q)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def cube_symmetry_group() -> np.ndarray:
    """The 48 operations of the full cube group :math:`O_h` as signed permutation matrices.

    Returns:
        (48, 3, 3) numpy.ndarray: All signed permutations (24 proper rotations, 24 improper).
    """
    ops = []
    for perm in itertools.permutations(range(3)):
        for signs in itertools.product((1.0, -1.0), repeat=3):
            g = np.zeros((3, 3))
            g[np.arange(3), perm] = signs
            ops.append(g)
    return np.array(ops)


def alignment_order_parameter(orientations: Any) -> np.ndarray:
    r"""Orientational alignment of each nanocrystal with the cubic box axes.

    .. math::

        s_j = \sum_{l=1}^{3} \max_m |R_{j,lm}| - 2

    (row-wise maximum, :cite:`pbs_alignment2026` eq. 5.13). :math:`s = 1` when the body axes coincide with
    the box axes (edge-to-edge in the fcc cell), :math:`\sqrt2 - 1` for a 45 degree turn about a
    cube axis (face-to-face) and 0.633 for body [111] along lab [110] (diagonal). It is invariant
    under the cube group acting on either side of :math:`R`.

    Args:
        orientations: ``(N, 4)`` quaternions or ``(N, 3, 3)`` matrices (one orientation allowed).

    Returns:
        (N,) numpy.ndarray: :math:`s_j`.
    """
    mats = as_rotation_matrices(orientations)
    return np.abs(mats).max(axis=2).sum(axis=1) - 2.0


def angle_to_quaternion(theta: Any) -> np.ndarray:
    """HOOMD orientation quaternions of in-plane rotations.

    Args:
        theta: Rotation angles about :math:`z` [rad], any shape.

    Returns:
        numpy.ndarray: ``theta.shape + (4,)`` quaternions :math:`(w, x, y, z) =
        (\\cos\\theta/2, 0, 0, \\sin\\theta/2)` (scalar first, HOOMD and rowan order).
    """
    half = 0.5 * np.asarray(theta, dtype=float)
    zeros = np.zeros_like(half)
    return np.stack([np.cos(half), zeros, zeros, np.sin(half)], axis=-1)


def quaternion_to_angle(q: Any) -> np.ndarray:
    """In-plane angles of rotations about :math:`z` (inverse of :func:`angle_to_quaternion`).

    Args:
        q: ``(..., 4)`` quaternions :math:`(w, x, y, z)`; x and y must vanish (2D runs).

    Returns:
        numpy.ndarray: Angles :math:`2\\,\\mathrm{atan2}(q_z, q_w)` wrapped to
        :math:`(-\\pi, \\pi]` [rad].
    """
    q = np.asarray(q, dtype=float)
    if q.shape[-1:] != (4,):
        raise ValueError(f"quaternions must have shape (..., 4), got {q.shape}")
    norm = np.linalg.norm(q, axis=-1)
    if np.any(np.abs(q[..., 1:3]) > 1e-6 * np.maximum(norm, 1e-300)[..., None]):
        raise ValueError("quaternions must be rotations about z (x and y components 0)")
    theta = 2.0 * np.arctan2(q[..., 3], q[..., 0])
    return np.angle(np.exp(1j * theta))
