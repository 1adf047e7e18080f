r"""Equilibrium charge field of a strong electrolyte around rigid nanocrystals.

The discrete Hamiltonian on a periodic grid (:cite:`pbs_alignment2026`, SI section 4) is

.. math::

    H[\phi] = \frac{h^3}{2}\,\phi\cdot A\phi + b\,h^3\,\Sigma\cdot\phi, \qquad
    A\phi = \mathcal F^{-1}[D(k)\,\mathcal F\phi] + 2\lambda\,\eta\,\phi,

on zero-mean fields (net neutrality freezes the :math:`k = 0` mode). :math:`\Sigma` is the
Gaussian-smeared surface density of the nanocrystals and :math:`\eta` their smeared indicator,
both built from analytic form factors on the FFT grid. :math:`A` is symmetric positive definite
(:math:`A \ge D_\mathrm{min}`), so the Euler-Lagrange equation :math:`A\phi^* = -bP\Sigma` is solved
by preconditioned conjugate gradients, and the free energy is :math:`F = H[\phi^*]`.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from hoomd_rigidfield import backend
from hoomd_rigidfield.backend import resolve_backend
from hoomd_rigidfield.computes import _Compute
from hoomd_rigidfield.errors import ConvergenceError, GridResolutionError, OverlapError
from hoomd_rigidfield.fieldtheory.electrolyte import Electrolyte
from hoomd_rigidfield.fieldtheory.formfactors import form_factors
from hoomd_rigidfield.fieldtheory.grid import PeriodicGrid, validate_grid
from hoomd_rigidfield.fieldtheory.shapes import ConvexPolyhedron, overlap
from hoomd_rigidfield.orientation import as_rotation_matrices
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Smallest smearing width per grid spacing: keeps :math:`G(k_\mathrm{Nyquist}) \le 10^{-3}`.
MIN_SIGMA_PER_SPACING = 1.2
#: Grid points per oscillation wavelength below which a warning is issued (2 is the hard limit).
WARN_POINTS_PER_WAVELENGTH = 3.0
#: Preconditioners: ``"penalty"`` (default: the susceptibility scaled by the penalty plus its
#: inverse inside the nanocrystals, :math:`S\hat\chi S + \eta/(2\lambda\eta + c)` with
#: :math:`S = (1 + 2\lambda\eta/c)^{-1/2}`), ``"chi"`` (the
#: susceptibility, baseline), ``"shifted"`` (:math:`1/(D+2\lambda\langle\eta\rangle)`), ``"none"``.
PRECONDITIONERS = ("penalty", "chi", "shifted", "none")
#: Preconditioners that are diagonal in Fourier space (they allow ``formulation="fourier"``).
DIAGONAL_PRECONDITIONERS = ("chi", "shifted", "none")
#: CG formulations: ``"real"`` (SciPy/cupyx cg) and ``"fourier"`` (diagonal preconditioners).
FORMULATIONS = ("real", "fourier")
#: Default :math:`c/D_\mathrm{min}` of the penalty preconditioner (benchmarks/field_solver.py).
PENALTY_SCALE = 3.0
#: Free-energy terms, in the order reported.
TERMS = ("harmonic", "gradient", "coulomb", "interface", "constraint")
#: Grid-sized float64 arrays a solve holds at once (fields, operator, preconditioner, CG
#: vectors; half-spectrum complex arrays count as one): the basis of :func:`grid_memory_bytes`.
GRID_ARRAYS = 24
#: Environment variable that sets the memory limit of a solver's grid [GiB].
MAX_GRID_MEMORY_ENV = "HOOMD_RIGIDFIELD_MAX_GRID_GIB"
#: Memory limit of a solver's grid when :data:`MAX_GRID_MEMORY_ENV` is not set [GiB].
DEFAULT_MAX_GRID_GIB = 64.0
#: Coordinates farther than this many box lengths outside ``[0, L)`` are wrapped into the box
#: before the form factors are evaluated (their phases would lose precision); nearer ones are
#: used as given, so results of ordinary inputs do not change.
WRAP_BEYOND_BOX_LENGTHS = 1.0


def grid_memory_bytes(n_grid: int, n_particles: int = 0) -> int:
    """Estimated memory of a solve on an :math:`N_g^3` grid [bytes].

    Args:
        n_grid (int): Grid points per side.
        n_particles (int): Nanocrystals; each caches two half-spectrum form factors
            (about one grid-sized float64 array each).

    Returns:
        int: :math:`8 N_g^3 (` :data:`GRID_ARRAYS` :math:`+ 2 N)` bytes.
    """
    return 8 * int(n_grid) ** 3 * (GRID_ARRAYS + 2 * int(n_particles))


def max_grid_memory_gib() -> float:
    """The memory limit of a solver's grid [GiB]: :data:`MAX_GRID_MEMORY_ENV` or the default.

    Returns:
        float: The limit.

    Raises:
        ValueError: If the environment variable is not a positive number.
    """
    raw = os.environ.get(MAX_GRID_MEMORY_ENV)
    if raw is None:
        return DEFAULT_MAX_GRID_GIB
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    return check_positive(MAX_GRID_MEMORY_ENV, value, unit="GiB")


class FieldSolver(_Compute):
    r"""Mean-field free energy of rigid nanocrystals in a strong electrolyte.

    Follows freud's compute pattern: parameters here, data in :meth:`compute`, results as
    properties. Each nanocrystal's form factors are cached; a later :meth:`compute` in which only
    some nanocrystals moved re-evaluates only theirs, and the solve is warm-started from the
    previous field.

    Args:
        electrolyte (Electrolyte): Field-theory parameters.
        box_length (float): Side of the periodic cubic box :math:`L` :math:`[\mathrm{\AA}]`.
        n_grid (int): Grid points per side :math:`N_g`.
        sigma (float): Gaussian smearing width of surface and volume :math:`[\mathrm{\AA}]`
            (default 2).
        rtol (float): CG stopping rule :math:`\|r\|_2/\|bP\Sigma\|_2 <` ``rtol``, in (0, 1)
            (default 1e-6).
        maxiter (int): Maximum CG iterations before :class:`ConvergenceError`.
        preconditioner (str): One of :data:`PRECONDITIONERS`. The default ``"penalty"`` is
            :math:`M^{-1} = S\,\mathcal F^{-1}\hat\chi\mathcal F\,S + \eta/(2\lambda\eta + c)`
            with the real-space scaling :math:`S = (1 + 2\lambda\eta/c)^{-1/2}` and
            :math:`c =` ``penalty_scale`` :math:`D_\mathrm{min}`: it sees the penalty inside the
            nanocrystals, which :math:`\hat\chi` alone does not, and needs 3-10x fewer
            iterations than ``"chi"`` (the baseline) at two FFT pairs each
            (``docs/field_solver.md``).
        formulation (str): ``"real"``: SciPy/cupyx ``cg`` on real-space fields (two FFT pairs
            per iteration: operator and preconditioner); ``"fourier"``: the same CG iterated on
            the Fourier coefficients, for preconditioners diagonal there (one FFT pair per
            iteration; same iterates in exact arithmetic). Default: ``"fourier"`` for those, else
            ``"real"``.
        penalty_scale (float): :math:`c/D_\mathrm{min}` of the ``"penalty"`` preconditioner (> 0).
        ftol (float): Also stop CG once the free energy is provably within ``ftol``
            :math:`[k_BT]` of the exact one (:attr:`free_energy_error_bound`); ``None`` (default):
            the residual rule alone.
        warm_start (bool): Start CG from the previous field when the number of nanocrystals is
            unchanged.
        backend (str): ``"numpy"``, ``"cupy"`` or ``None`` (follow the type of ``positions``).

    Raises:
        ValueError: On invalid parameters (the message states the valid range).
        GridResolutionError: If :math:`h > \sigma/1.2` (smearing under-resolved) or the
            oscillation wavenumber :math:`\gamma/\alpha` is above the Nyquist wavenumber
            :math:`\pi/h`.

    Example::

        el = Electrolyte.from_alpha_gamma(3.0, 2.1)
        nc = TruncatedOctahedron.from_size(28.5)
        solver = FieldSolver(el, box_length=96.0, n_grid=64)
        solver.compute(nc, positions=[[-20, 0, 0], [20, 0, 0]])
        solver.free_energy, solver.terms["interface"]
    """

    def __init__(
        self,
        electrolyte: Electrolyte,
        box_length: float,
        n_grid: int,
        *,
        sigma: float = 2.0,
        rtol: float = 1e-6,
        maxiter: int = 5000,
        preconditioner: str = "penalty",
        formulation: str | None = None,
        penalty_scale: float = PENALTY_SCALE,
        ftol: float | None = None,
        warm_start: bool = True,
        backend: str | None = None,
    ) -> None:
        if not isinstance(electrolyte, Electrolyte):
            raise TypeError(f"electrolyte must be an Electrolyte, got {type(electrolyte).__name__}")
        self._electrolyte = electrolyte
        self._grid_args = validate_grid(box_length, n_grid)
        need, limit = grid_memory_bytes(self._grid_args[1]) / 2**30, max_grid_memory_gib()
        if need > limit:
            raise ValueError(
                f"n_grid = {self._grid_args[1]} needs about {need:.4g} GiB for the grid alone "
                f"(plus {grid_memory_bytes(self._grid_args[1], 1) / 2**30 - need:.3g} GiB per "
                f"nanocrystal), above the limit of {limit:g} GiB: use a smaller n_grid or raise "
                f"the limit with the environment variable {MAX_GRID_MEMORY_ENV}"
            )
        self._sigma = check_positive("sigma", sigma, "A")
        self._rtol = check_real("rtol", rtol, 0.0, 1.0, high_open=True)
        self._maxiter = check_int("maxiter", maxiter, 1)
        self._preconditioner = check_choice("preconditioner", preconditioner, PRECONDITIONERS)
        if formulation is None:
            formulation = "fourier" if preconditioner in DIAGONAL_PRECONDITIONERS else "real"
        if formulation not in FORMULATIONS:
            raise ValueError(f"formulation must be one of {FORMULATIONS}, got {formulation!r}")
        if formulation == "fourier" and preconditioner not in DIAGONAL_PRECONDITIONERS:
            raise ValueError(
                f"formulation='fourier' needs a preconditioner diagonal in Fourier space "
                f"{DIAGONAL_PRECONDITIONERS}, got {preconditioner!r}: use formulation='real'"
            )
        self._formulation = formulation
        penalty_scale = float(penalty_scale)
        if not (math.isfinite(penalty_scale) and penalty_scale > 0):
            raise ValueError(f"penalty_scale must be a positive number, got {penalty_scale!r}")
        self._penalty_scale = penalty_scale
        if ftol is not None:
            ftol = float(ftol)
            if not (math.isfinite(ftol) and ftol > 0):
                raise ValueError(f"ftol must be a positive number of kT or None, got {ftol!r}")
        self._ftol = ftol
        self._warm_start = bool(warm_start)
        if backend is not None:
            resolve_backend(backend)  # fails here, not at compute(), if CuPy is unavailable
        self._backend = backend
        self._check_resolution()
        self._grid: PeriodicGrid | None = None
        self._smear: Any = None
        self._cache: list[tuple[ConvexPolyhedron, np.ndarray, np.ndarray, Any, Any]] = []
        self._previous: tuple[int, Any] | None = None
        self._phi: Any = None
        self._n_form_factor_evaluations = 0
        self._results: dict[str, Any] | None = None

    # ------------------------------------------------------------------ set-up checks
    @property
    def box_length(self) -> float:
        r"""float: Side of the periodic cubic box :math:`L` :math:`[\mathrm{\AA}]`."""
        return self._grid_args[0]

    @property
    def n_grid(self) -> int:
        """int: Grid points per side."""
        return self._grid_args[1]

    @property
    def sigma(self) -> float:
        r"""float: Gaussian smearing width :math:`[\mathrm{\AA}]`."""
        return self._sigma

    @property
    def spacing(self) -> float:
        r"""float: Grid spacing :math:`h = L/N_g` :math:`[\mathrm{\AA}]`."""
        return self._grid_args[0] / self._grid_args[1]

    def _check_resolution(self) -> None:
        h = self.spacing
        el = self._electrolyte
        if self._sigma < MIN_SIGMA_PER_SPACING * h:
            raise GridResolutionError(
                f"grid spacing h = {h:.4g} A is too coarse for the smearing sigma = {self._sigma:.4g} A: "
                f"need h <= sigma/{MIN_SIGMA_PER_SPACING} = {self._sigma / MIN_SIGMA_PER_SPACING:.4g} A "
                f"(n_grid >= {math.ceil(self._grid_args[0] * MIN_SIGMA_PER_SPACING / self._sigma)})"
            )
        points = el.wavelength / h
        if points <= 2.0:
            raise GridResolutionError(
                f"grid spacing h = {h:.4g} A is above the Nyquist limit of the charge oscillation "
                f"(wavelength 2 pi alpha/gamma = {el.wavelength:.4g} A): need h < {el.wavelength / 2:.4g} A"
            )
        if points < WARN_POINTS_PER_WAVELENGTH:
            warnings.warn(
                f"only {points:.2f} grid points per charge-oscillation wavelength "
                f"({el.wavelength:.4g} A); results are under-resolved",
                stacklevel=3,
            )

    def _check_geometry(self, placed: list[ConvexPolyhedron]) -> None:
        L = self._grid_args[0]
        margin = 2.0 * self._sigma
        for i, p in enumerate(placed):
            for axis in np.eye(3):
                width = p.extent(axis) + p.extent(-axis)
                if width + 2.0 * margin > L:
                    raise OverlapError(
                        f"nanocrystal {i} does not fit the box: its width {width:.4g} A along "
                        f"{axis.astype(int).tolist()} plus 4 sigma = {2 * margin:.4g} A exceeds L = {L:.4g} A"
                    )
        shifts = L * np.array(np.meshgrid([-1, 0, 1], [-1, 0, 1], [-1, 0, 1])).reshape(3, -1).T
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                a, b = placed[i], placed[j]
                d = b.center - a.center
                d = d - L * np.round(d / L)  # minimum image, then its neighbours
                reach = a.circumradius + b.circumradius
                for s in shifts:
                    if np.linalg.norm(d + s) >= reach:
                        continue
                    if overlap(a, b.translated(a.center + d + s - b.center)):
                        raise OverlapError(
                            f"nanocrystals {i} and {j} overlap (centre distance "
                            f"{np.linalg.norm(d + s):.4g} A, periodic box L = {L:.4g} A)"
                        )

    # ------------------------------------------------------------------ compute
    def compute(
        self,
        shapes: ConvexPolyhedron | Sequence[ConvexPolyhedron],
        positions: Any,
        orientations: Any = None,
        *,
        initial_field: Any = None,
        reject_above: float | None = None,
    ) -> FieldSolver:
        """Solve for the equilibrium field and free energy of a configuration.

        Args:
            shapes: One :class:`ConvexPolyhedron` for all nanocrystals, or one per nanocrystal.
            positions ((N, 3) array): Centres :math:`[\\mathrm{\\AA}]` (any real values; the box
                is periodic with its origin at a corner).
            orientations: ``None`` (identity), one orientation for all, or ``(N, 4)`` unit
                quaternions (scalar first) / ``(N, 3, 3)`` rotation matrices.
            initial_field ((N_g, N_g, N_g) array): CG starting field; default: the previous
                field when ``warm_start`` is on and the number of nanocrystals is unchanged.
                Monte Carlo passes the field of the last accepted state, so that a chain does
                not depend on which trial moves were rejected.
            reject_above (float): Stop as soon as F is provably above this value
                :math:`[k_BT]` (the iterate's F minus :attr:`free_energy_error_bound`): then
                :attr:`rejected` is True and only :attr:`free_energy_lower_bound` is known.
                Metropolis passes its acceptance threshold, so a sure rejection costs a
                fraction of a solve and the chain is exactly the one of full solves.

        Returns:
            FieldSolver: ``self``.

        Raises:
            OverlapError: If nanocrystals overlap (also through the periodic boundary) or one does
                not fit the box.
            ConvergenceError: If CG does not reach ``rtol`` within ``maxiter`` iterations.
        """
        self._results = None
        xp = resolve_backend(self._backend, positions)
        pos = check_finite_array("positions", backend.to_numpy(positions), (None, 3))
        if len(pos) == 0:
            raise ValueError("positions must hold at least one nanocrystal, got shape (0, 3)")
        L = self._grid_args[0]
        if np.any(pos < -WRAP_BEYOND_BOX_LENGTHS * L) or np.any(
            pos >= (1 + WRAP_BEYOND_BOX_LENGTHS) * L
        ):
            pos = np.mod(pos, L)
        n = len(pos)
        rots = as_rotation_matrices(
            backend.to_numpy(orientations) if orientations is not None else None, n
        )
        if isinstance(shapes, ConvexPolyhedron):
            shapes = [shapes] * n
        shapes = list(shapes)
        if len(shapes) != n or not all(isinstance(s, ConvexPolyhedron) for s in shapes):
            raise ValueError(f"shapes must be one ConvexPolyhedron or a sequence of {n} of them")
        placed = [s.placed(r, p) for s, r, p in zip(shapes, rots, pos)]
        self._check_geometry(placed)

        grid = self._get_grid(xp)
        if initial_field is not None:
            initial_field = xp.asarray(check_finite_array("initial_field", initial_field))
            if initial_field.shape != grid.shape:
                raise ValueError(
                    f"initial_field must have the grid shape {grid.shape}, got {initial_field.shape}"
                )
        if len(self._cache) != n:
            self._cache = [None] * n  # type: ignore[list-item]
            self._previous = None
            self._phi = None

        def matches(entry: Any, s: ConvexPolyhedron, r: np.ndarray, p: np.ndarray) -> bool:
            return (
                entry is not None
                and entry[0] is s
                and np.array_equal(entry[1], r)
                and np.array_equal(entry[2], p)
            )

        # The entry replaced last is kept, so a rejected Monte Carlo move that restores it costs
        # no form-factor evaluation (memory: one nanocrystal's transforms).
        if self._previous is not None:
            i, entry = self._previous
            if not matches(self._cache[i], shapes[i], rots[i], pos[i]) and matches(
                entry, shapes[i], rots[i], pos[i]
            ):
                self._previous = (i, self._cache[i])
                self._cache[i] = entry
        for i, (s, r, p, pl) in enumerate(zip(shapes, rots, pos, placed)):
            if matches(self._cache[i], s, r, p):
                continue
            self._previous = (i, self._cache[i])
            surf, vol = form_factors(pl, grid.k)
            self._n_form_factor_evaluations += 1
            self._cache[i] = (s, r.copy(), p.copy(), self._smear * surf, self._smear * vol)
        surface_hat = sum(e[3] for e in self._cache)
        volume_hat = sum(e[4] for e in self._cache)
        sigma_field = grid.to_real(surface_hat)
        eta = grid.to_real(volume_hat)
        if reject_above is not None and math.isnan(float(reject_above)):
            raise ValueError(f"reject_above must be a number of kT (or None), got {reject_above!r}")
        self._solve(grid, sigma_field, eta, initial_field, reject_above)
        return self

    def _get_grid(self, xp: Any) -> PeriodicGrid:
        if self._grid is None or self._grid.xp is not xp:
            self._grid = PeriodicGrid(*self._grid_args, xp=xp)
            # Gaussian smearing G(k) = exp(-sigma^2 k^2 / 2), Nyquist planes zeroed
            self._smear = xp.exp(-0.5 * self._sigma**2 * self._grid.k2) * self._grid.not_nyquist
            self._cache = []
            self._previous = None
            self._phi = None
        return self._grid

    def _solve(
        self,
        grid: PeriodicGrid,
        sigma_field: Any,
        eta: Any,
        initial_field: Any,
        reject_above: float | None = None,
    ) -> None:
        xp = grid.xp
        el = self._electrolyte
        shape = grid.shape
        k2 = grid.k2
        k2_safe = xp.where(k2 == 0, 1.0, k2)
        d_op = el.inverse_susceptibility(k2_safe) * (k2 != 0)
        two_lam_eta = (2.0 * el.lam) * eta
        scale = inside = None
        if self._preconditioner == "penalty":
            # S chi S + eta/(2 lambda eta + c): chi(0) := 1/D_min makes it definite on zero-mean
            # fields; the diagonal term inverts the penalty inside the nanocrystals, where chi
            # (made for the bulk) damps the high-k modes.
            precond = el.susceptibility(k2) + (k2 == 0) / el.d_min
            c = self._penalty_scale * el.d_min
            penalty = xp.maximum(two_lam_eta, 0.0)
            scale = (1.0 + penalty / c) ** -0.5
            inside = penalty / ((2.0 * el.lam) * (penalty + c))
        elif self._preconditioner == "chi":
            precond = el.susceptibility(k2)
        elif self._preconditioner == "shifted":
            precond = (k2 != 0) / (el.inverse_susceptibility(k2_safe) + float(xp.mean(two_lam_eta)))
        else:
            precond = (k2 != 0) * 1.0

        def matvec(x: Any) -> Any:
            x = x.reshape(shape)
            y = two_lam_eta * x
            y -= xp.mean(y)
            y += backend.irfftn(d_op * backend.rfftn(x), shape)
            return y.ravel()

        def psolve(r: Any) -> Any:
            if scale is None:
                return backend.irfftn(precond * backend.rfftn(r.reshape(shape)), shape).ravel()
            r = r.reshape(shape)
            z = scale * backend.irfftn(precond * backend.rfftn(scale * r), shape)
            z += inside * r
            z -= xp.mean(z)
            return z.ravel()

        rhs = (-el.b) * (sigma_field - xp.mean(sigma_field)).ravel()
        x0 = None
        start = initial_field if initial_field is not None else self._phi
        if start is not None and (self._warm_start or initial_field is not None):
            x0 = start.ravel() - xp.mean(start)
        # F(phi) - F* = (h^3/2) r.A^-1 r <= (h^3/2) |r|^2 / lambda_min(A), with A >= D_min + 2 lambda
        # min(eta, 0) on zero-mean fields: a bound on the free-energy error of every iterate.
        lower = el.d_min + min(0.0, float(xp.min(two_lam_eta)))
        h3 = grid.spacing**3

        def bound(rr: float) -> float:
            return 0.5 * h3 * rr / lower if lower > 0 else math.inf

        def stop(rr: float, xb: float, xr: float) -> str | None:
            # F of the iterate: H = h^3 (x.Ax/2 - b.x) = -(h^3/2)(x.b + x.r), b the rhs, r = b - Ax
            if self._ftol is not None and bound(rr) <= self._ftol:
                return "converged"
            if reject_above is not None and -0.5 * h3 * (xb + xr) - bound(rr) > reject_above:
                return "rejected"
            return None

        if self._ftol is None and reject_above is None:
            stop = None
        if self._formulation == "real":
            phi, info, n_iter, fft_pairs, rr, reason = _real_pcg(
                matvec, psolve, rhs, x0, self._rtol, self._maxiter, stop
            )
        else:
            phi, info, n_iter, fft_pairs, rr, reason = _fourier_pcg(
                grid,
                d_op,
                two_lam_eta,
                precond,
                rhs.reshape(shape),
                x0,
                self._rtol,
                self._maxiter,
                stop,
            )
            phi = phi.ravel()
        if reason == "rejected":
            x_phi = phi.ravel()
            r = rhs - matvec(x_phi)
            upper = -0.5 * h3 * float(xp.vdot(x_phi, rhs) + xp.vdot(x_phi, r))
            self._results = {
                "rejected": True,
                "lower_bound": upper - bound(float(xp.vdot(r, r))),
                "iterations": n_iter,
                "fft_pairs": fft_pairs + 1,
            }
            return  # the warm start (self._phi) stays the last converged field
        residual = float(xp.linalg.norm(matvec(phi) - rhs) / xp.linalg.norm(rhs))
        if info != 0:
            raise ConvergenceError(
                f"conjugate gradient did not converge: info={info}, {n_iter} iterations, "
                f"relative residual {residual:.3g} > rtol {self._rtol:.3g} (maxiter={self._maxiter}); "
                "raise maxiter or check the parameters"
            )
        phi = phi.reshape(shape)
        self._phi = phi
        self._results = {
            "operator": matvec,
            "preconditioner": psolve,
            "phi": phi,
            "sigma": sigma_field,
            "eta": eta,
            "iterations": n_iter,
            "fft_pairs": fft_pairs,
            "error_bound": bound(rr),
            "rejected": False,
            "residual": residual,
            "terms": self._terms(grid, phi, sigma_field, eta),
        }

    def _terms(self, grid: PeriodicGrid, phi: Any, sigma_field: Any, eta: Any) -> dict[str, float]:
        xp = grid.xp
        el = self._electrolyte
        h3 = grid.spacing**3
        phi_hat = backend.rfftn(phi)
        p = grid.weights * (h3 / grid.n_grid**3) * (phi_hat.real**2 + phi_hat.imag**2)
        k2 = grid.k2
        inv_k2 = xp.where(k2 == 0, 0.0, 1.0 / xp.where(k2 == 0, 1.0, k2))
        return {
            "harmonic": float(-el.a * h3 * xp.sum(phi * phi)),
            "gradient": float(el.a * el.l_c**2 * xp.sum(k2 * p)),
            "coulomb": float(el.a / el.l_s**2 * xp.sum(inv_k2 * p)),
            "interface": float(el.b * h3 * xp.sum(sigma_field * phi)),
            "constraint": float(el.lam * h3 * xp.sum(eta * phi * phi)),
        }

    # ------------------------------------------------------------------ results
    @property
    def _computed(self) -> bool:
        return self._results is not None

    def _result(self, key: str) -> Any:
        self._require_computed(key)
        if key not in self._results:
            raise AttributeError(
                f"FieldSolver.{key} is not available: the last solve stopped once F was known to "
                f"exceed reject_above (F >= {self._results['lower_bound']:.8g} kT)"
            )
        return self._results[key]

    @property
    def rejected(self) -> bool:
        """bool: The last solve stopped early because F exceeded ``reject_above``."""
        return bool(self._result("rejected"))

    @property
    def free_energy_lower_bound(self) -> float:
        """float: A lower bound of F :math:`[k_BT]` (F itself minus its error bound when converged)."""
        if self._result("rejected"):
            return float(self._results["lower_bound"])
        return self.free_energy - self.free_energy_error_bound

    def apply_operator(self, phi: Any) -> Any:
        r"""Apply the operator :math:`PAP` of the last configuration to a grid field.

        :math:`A\phi = \mathcal F^{-1}[D\,\mathcal F\phi] + 2\lambda\eta\phi`, projected on zero
        mean (:math:`D(0) := 0`). Costs one FFT pair.

        Args:
            phi ((N_g, N_g, N_g) array): Field on the solver's backend.

        Returns:
            (N_g, N_g, N_g) array: :math:`PAP\phi`.
        """
        return self._result("operator")(phi.ravel()).reshape(phi.shape)

    def apply_preconditioner(self, residual: Any) -> Any:
        r"""Apply the preconditioner :math:`M^{-1}` (e.g. :math:`\mathcal F^{-1}\hat\chi\mathcal F`).

        Args:
            residual ((N_g, N_g, N_g) array): Field on the solver's backend.

        Returns:
            (N_g, N_g, N_g) array: :math:`M^{-1}r` (zero mean).
        """
        return self._result("preconditioner")(residual.ravel()).reshape(residual.shape)

    @property
    def electrolyte(self) -> Electrolyte:
        """Electrolyte: The field-theory parameters.

        Setting it keeps the cached form factors (they do not depend on the electrolyte), so a
        scan over :math:`(\\alpha, \\gamma)` at fixed geometry costs only the solves. The
        resolution is re-checked and the previous result and warm start are dropped.
        """
        return self._electrolyte

    @electrolyte.setter
    def electrolyte(self, electrolyte: Electrolyte) -> None:
        if not isinstance(electrolyte, Electrolyte):
            raise TypeError(f"electrolyte must be an Electrolyte, got {type(electrolyte).__name__}")
        previous = self._electrolyte
        self._electrolyte = electrolyte
        try:
            self._check_resolution()
        except GridResolutionError:
            self._electrolyte = previous
            raise
        self._phi = None
        self._results = None

    @property
    def grid(self) -> PeriodicGrid:
        """PeriodicGrid: The grid of the last compute (created on first use)."""
        if self._grid is None:
            return self._get_grid(resolve_backend(self._backend))
        return self._grid

    @property
    def free_energy(self) -> float:
        r"""float: :math:`F = H[\phi^*]`, the sum of :attr:`terms` :math:`[k_BT]`."""
        return float(sum(self._result("terms").values()))

    @property
    def terms(self) -> dict[str, float]:
        r"""dict[str, float]: The terms of :attr:`free_energy` by name (:data:`TERMS`) :math:`[k_BT]`."""
        return dict(self._result("terms"))

    @property
    def field(self) -> Any:
        r"""(N_g, N_g, N_g) array: Equilibrium charge density :math:`\phi^*` on the grid."""
        return self._result("phi")

    @property
    def surface_density(self) -> Any:
        r"""(N_g, N_g, N_g) array: Smeared surface density :math:`\Sigma` :math:`[\mathrm{\AA}^{-1}]`."""
        return self._result("sigma")

    @property
    def indicator(self) -> Any:
        r"""(N_g, N_g, N_g) array: Smeared nanocrystal indicator :math:`\eta` (1 inside, 0 outside)."""
        return self._result("eta")

    @property
    def free_energy_error_bound(self) -> float:
        r"""float: Upper bound of :math:`F(\phi) - F^*` of the last solve :math:`[k_BT]` (>= 0).

        F is variational: every CG iterate is above the exact minimum, by
        :math:`\tfrac{h^3}{2} r\cdot A^{-1}r \le \tfrac{h^3}{2}\|r\|^2/\lambda_\mathrm{min}`
        with :math:`\lambda_\mathrm{min} \ge D_\mathrm{min} + 2\lambda\min(\eta, 0)`
        (``inf`` if that is not positive).
        """
        return float(self._result("error_bound"))

    @property
    def n_fft_pairs(self) -> int:
        """int: FFT pairs (forward + inverse) that the CG of the last solve spent.

        Operator applications plus applications of a preconditioner that is not diagonal in
        Fourier space; the unit of the solver's cost in ``benchmarks/field_solver.py``.
        """
        return int(self._result("fft_pairs"))

    @property
    def n_iterations(self) -> int:
        """int: CG iterations of the last solve."""
        return int(self._result("iterations"))

    @property
    def relative_residual(self) -> float:
        r"""float: :math:`\|A\phi^* + bP\Sigma\|_2/\|bP\Sigma\|_2` recomputed after the solve."""
        return float(self._result("residual"))

    @property
    def n_form_factor_evaluations(self) -> int:
        """int: Number of per-nanocrystal form-factor evaluations so far (cache misses)."""
        return self._n_form_factor_evaluations

    def fingerprint(self) -> dict[str, Any]:
        r"""The parameters that determine every result: electrolyte, box, grid, solver options.

        Checkpoints of chains built on this solver store it
        (:meth:`~hoomd_rigidfield.fieldtheory.montecarlo.RotationalMonteCarlo.save`) and a resume
        with other parameters is refused. The backend is left out (it is not a model parameter).

        Returns:
            dict[str, Any]: JSON-able values by name (floats round-trip exactly): the
            electrolyte's ``electrolyte.l_c`` / ``l_s`` / ``a`` / ``b`` / ``lam``,
            ``box_length`` :math:`[\mathrm{\AA}]`, ``n_grid``, ``sigma`` :math:`[\mathrm{\AA}]`,
            ``rtol``, ``maxiter``, ``preconditioner``, ``formulation``, ``penalty_scale``,
            ``ftol`` and ``warm_start``.
        """
        el = self._electrolyte
        L, n = self._grid_args
        return {
            **{f"electrolyte.{k}": getattr(el, k) for k in ("l_c", "l_s", "a", "b", "lam")},
            "box_length": L,
            "n_grid": n,
            "sigma": self._sigma,
            "rtol": self._rtol,
            "maxiter": self._maxiter,
            "preconditioner": self._preconditioner,
            "formulation": self._formulation,
            "penalty_scale": self._penalty_scale,
            "ftol": self._ftol,
            "warm_start": self._warm_start,
        }

    def __repr__(self) -> str:
        L, n = self._grid_args
        return (
            f"hoomd_rigidfield.FieldSolver({self._electrolyte!r}, box_length={L!r}, n_grid={n!r}, "
            f"sigma={self._sigma!r}, rtol={self._rtol!r}, maxiter={self._maxiter!r}, "
            f"preconditioner={self._preconditioner!r}, formulation={self._formulation!r}, "
            f"penalty_scale={self._penalty_scale!r}, ftol={self._ftol!r}, "
            f"warm_start={self._warm_start!r}, "
            f"backend={self._backend!r})"
        )


def _check_residual(rr: float, iterations: int) -> None:
    """Raise :class:`ConvergenceError` on a NaN or infinite squared residual norm ``rr``."""
    if not math.isfinite(rr):
        raise ConvergenceError(
            f"conjugate gradient produced a non-finite residual ({rr!r}) after {iterations} "
            "iterations: the configuration or the starting field holds NaN or inf"
        )


def _fourier_pcg(
    grid: PeriodicGrid,
    d_op: Any,
    two_lam_eta: Any,
    precond: Any,
    rhs: Any,
    x0: Any,
    rtol: float,
    maxiter: int,
    stop: Any = None,
) -> tuple[Any, int, int, int, float]:
    """Preconditioned CG on the rfft coefficients of the zero-mean field.

    Written by hand (not ``scipy.sparse.linalg.cg``) because the half-spectrum inner product
    carries Hermitian weights (interior kz planes count twice), which SciPy's and cupyx's CG cannot
    take. With that inner product (Parseval) the iterates equal those of the real-space CG, while
    the diagonal preconditioner costs no FFT: one FFT pair per iteration instead of two.

    ``stop(rr, x.b, x.r)``, given the squared real-space residual norm and the real-space inner
    products of the iterate with the right-hand side and the residual, may end the iteration
    early (``"converged"`` or ``"rejected"``; the free-energy rules of :class:`FieldSolver`).

    Returns:
        tuple: ``(phi, info, iterations, fft_pairs, rr, reason)``, ``phi`` real-space, ``info``
        0 on convergence else the number of iterations done (as SciPy's ``cg``), ``fft_pairs``
        the operator applications, ``rr`` the squared residual norm of ``phi``, ``reason`` what
        stopped it (``"residual"``, ``"converged"``, ``"rejected"`` or ``"maxiter"``).
    """
    xp = grid.xp
    shape = grid.shape
    even = grid.n_grid % 2 == 0

    def dot(a: Any, b: Any) -> float:
        total = 2.0 * xp.vdot(a, b).real - xp.vdot(a[..., 0], b[..., 0]).real
        if even:
            total -= xp.vdot(a[..., -1], b[..., -1]).real
        return float(total)

    applications = [0]

    def apply(p: Any) -> Any:
        applications[0] += 1
        y = backend.rfftn(two_lam_eta * backend.irfftn(p, shape))
        y[0, 0, 0] = 0.0
        y += d_op * p
        return y

    b = backend.rfftn(rhs)
    b[0, 0, 0] = 0.0
    if x0 is None:
        x = xp.zeros_like(b)
        r = b.copy()
    else:
        x = backend.rfftn(x0.reshape(shape))
        x[0, 0, 0] = 0.0
        r = b - apply(x)
    threshold = rtol * dot(b, b) ** 0.5
    size = grid.n_grid**3  # Parseval: |r|^2 in real space is dot(r_hat, r_hat) / N^3
    z = precond * r
    p = z.copy()
    rz = dot(r, z)
    iterations = 0
    reason = "residual"
    while True:
        rr = dot(r, r)
        _check_residual(rr, iterations)
        if rr**0.5 <= threshold:
            break
        if stop is not None:
            reason = stop(rr / size, dot(x, b) / size, dot(x, r) / size) or "residual"
            if reason != "residual":
                break
        if iterations == maxiter:
            return (
                backend.irfftn(x, shape),
                iterations,
                iterations,
                applications[0],
                rr / size,
                "maxiter",
            )
        q = apply(p)
        alpha = rz / dot(p, q)
        x += alpha * p
        r -= alpha * q
        z = precond * r
        rz_new = dot(r, z)
        p *= rz_new / rz
        p += z
        rz = rz_new
        iterations += 1
    return backend.irfftn(x, shape), 0, iterations, applications[0], rr / size, reason


def _real_pcg(
    matvec: Any, psolve: Any, b: Any, x0: Any, rtol: float, maxiter: int, stop: Any = None
) -> tuple[Any, int, int, int, float]:
    """Preconditioned CG on real-space fields (NumPy or CuPy).

    Written by hand rather than ``scipy.sparse.linalg.cg`` / ``cupyx`` because the solver stops
    on free-energy rules as well as on the residual (``stop`` as for :func:`_fourier_pcg`),
    which their callbacks cannot do, and counts the FFT pairs it spends.

    Returns:
        tuple: ``(x, info, iterations, fft_pairs, rr, reason)`` as :func:`_fourier_pcg`; one FFT
        pair per operator and per preconditioner application.
    """
    xp = backend.get_array_module(b)
    pairs = 0
    if x0 is None:
        x = xp.zeros_like(b)
        r = b.copy()
    else:
        x = x0.copy()
        r = b - matvec(x)
        pairs += 1
    threshold = rtol * float(xp.linalg.norm(b))
    z = psolve(r)
    pairs += 1
    p = z.copy()
    rz = float(xp.vdot(r, z))
    iterations = 0
    while True:
        rr = float(xp.vdot(r, r))
        _check_residual(rr, iterations)
        if rr**0.5 <= threshold:
            return x, 0, iterations, pairs, rr, "residual"
        if stop is not None:
            reason = stop(rr, float(xp.vdot(x, b)), float(xp.vdot(x, r)))
            if reason is not None:
                return x, 0, iterations, pairs, rr, reason
        if iterations == maxiter:
            return x, iterations, iterations, pairs, rr, "maxiter"
        q = matvec(p)
        alpha = rz / float(xp.vdot(p, q))
        x += alpha * p
        r -= alpha * q
        z = psolve(r)
        pairs += 2
        rz_new = float(xp.vdot(r, z))
        p *= rz_new / rz
        p += z
        rz = rz_new
        iterations += 1
