"""In-situ structure factor S(q, t) of nanocrystal centres along a GSD trajectory.

The simulated analogue of in-situ SAXS during superlattice growth :cite:`marino2024`: for each
frame, the NC-centre structure factor (:class:`freud.diffraction.StaticStructureFactorDebye`
or :class:`~freud.diffraction.StaticStructureFactorDirect`; freud's ``k`` is our q,
:math:`S(q) = N^{-1}\\sum_{ij}\\operatorname{sinc}(q r_{ij})` for Debye), then the first
superlattice peak fitted with :func:`~hoomd_rigidfield.scattering.peaks.fit_peak`: position,
FWHM, lattice parameter (for an assumed cubic lattice, or the spacing 2π/q) and Scherrer grain
size (:func:`~hoomd_rigidfield.scattering.peaks.scherrer_size`).

Lengths are in the trajectory's unit (Å for atomistic NCs, σ for the Mie runs) and q in its
inverse.

Pitfalls: freud's Debye sum uses minimum-image distances in a periodic box, so values below
``min_valid_k`` (:math:`4\\pi/L`) are artefacts and are set to NaN here, and ripples reach
somewhat above it — the peak search therefore starts at :math:`2\\,` ``min_valid_k`` unless a
``q_range`` is given. A crystal filling the box gives peaks of width ~ 2π/L: its "grain size" is
the box. The Debye sum costs :math:`O(N^2 n_q)` per frame; for large N use ``method="direct"``
(:math:`O(N n_k)`), whose resolution is the k-grid 2π/L (only grains much smaller than the box
give resolved peak widths).

Example:
    >>> import freud
    >>> box, points = freud.data.UnitCell.fcc().generate_system(4, scale=2.0)
    >>> frame = gsd.hoomd.Frame()
    >>> frame.configuration.box = [box.Lx, box.Ly, box.Lz, 0, 0, 0]
    >>> frame.particles.N = len(points)
    >>> frame.particles.position = points
    >>> h = StructureFactorHistory(q_max=7.0, q_min=4.0, num_q=120).compute([frame])
    >>> bool(abs(h.lattice_parameter[0] - 2.0) < 0.04)  # a from the (111) peak
    True
"""

from __future__ import annotations

import csv
import math
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import freud
import gsd.hoomd
import numpy as np

from hoomd_rigidfield.scattering import peaks
from hoomd_rigidfield.validation import (
    check_choice,
    check_int,
    check_points,
    check_positive,
    check_real,
)

#: Structure-factor methods of :class:`StructureFactorHistory`.
METHODS = ("debye", "direct")
#: Lattice choices: a cubic lattice (a from indexed peaks) or ``None`` (a = d = 2π/q_peak).
LATTICE_CHOICES = (None, *peaks.LATTICES)
#: Columns of the per-frame table written by :func:`write_csv`.
CSV_COLUMNS = (
    "timestep",
    "n_particles",
    "q_peak",
    "q_peak_err",
    "fwhm",
    "fwhm_err",
    "spacing",
    "lattice_parameter",
    "lattice_parameter_err",
    "grain_size",
    "converged",
)


@dataclass(frozen=True)
class StructureFactorFrames:
    """Per-frame S(q) and first-peak results (one entry per analysed frame).

    Attributes:
        timestep ((F,) numpy.ndarray): ``configuration.step`` of each frame.
        n_particles ((F,) numpy.ndarray): Number of particles analysed (after the type filter).
        q ((K,) numpy.ndarray): q grid [length^-1].
        structure_factor ((F, K) numpy.ndarray): S(q) (NaN below freud's ``min_valid_k``).
        min_valid_q ((F,) numpy.ndarray): freud's ``min_valid_k`` of each frame [length^-1].
        q_peak ((F,) numpy.ndarray): Fitted position of the first peak [length^-1].
        q_peak_err ((F,) numpy.ndarray): Its standard error.
        fwhm ((F,) numpy.ndarray): Its FWHM [length^-1].
        fwhm_err ((F,) numpy.ndarray): Its standard error.
        spacing ((F,) numpy.ndarray): :math:`d = 2\\pi/q_{peak}` [length].
        lattice_parameter ((F,) numpy.ndarray): Cubic lattice parameter [length] (equal to
            ``spacing`` when ``lattice`` is ``None``).
        lattice_parameter_err ((F,) numpy.ndarray): Its standard error.
        grain_size ((F,) numpy.ndarray): Scherrer size :math:`2\\pi K/\\Delta q` [length].
        converged ((F,) numpy.ndarray): Whether a peak was found and fitted (results are NaN
            where not).
        lattice (str): The assumed lattice (``None``: spacing only).
    """

    timestep: np.ndarray
    n_particles: np.ndarray
    q: np.ndarray
    structure_factor: np.ndarray
    min_valid_q: np.ndarray
    q_peak: np.ndarray
    q_peak_err: np.ndarray
    fwhm: np.ndarray
    fwhm_err: np.ndarray
    spacing: np.ndarray
    lattice_parameter: np.ndarray
    lattice_parameter_err: np.ndarray
    grain_size: np.ndarray
    converged: np.ndarray
    lattice: str | None


class StructureFactorHistory:
    """S(q, t) of particle centres along a trajectory and the first-peak fit of each frame.

    Per frame: particles of ``types`` (default all) → S(q) on ``num_q`` points in
    [``q_min``, ``q_max``] → the most prominent maximum in ``q_range`` (default from
    2·``min_valid_k`` to ``q_max``) fitted with ``profile`` plus a linear background →
    :math:`a = 2\\pi\\sqrt{h^2+k^2+l^2}/q` with (hkl) the lattice's first allowed reflection
    ((111) fcc, (110) bcc, (100) sc), refined by least squares over the first ``n_peaks``
    allowed reflections (each fitted at the maximum nearest its predicted position, and skipped
    if that maximum is more than 5 % off, e.g. a shoulder); grain size from the first
    peak's FWHM (:func:`~hoomd_rigidfield.scattering.peaks.scherrer_size`). Frames without a
    fittable peak (fluid, fit failure) get NaN and ``converged = False``.

    Args:
        q_max (float): Largest q [length^-1], > 0.
        num_q (int): Number of q values (Debye) or bins (Direct), >= 10.
        q_min (float): Smallest q [length^-1], in [0, q_max).
        method (str): ``"debye"`` or ``"direct"``.
        types (Sequence[str]): Particle type names to keep (e.g. ``["L"]``, the large NCs of
            the binary Mie runs); default all particles.
        lattice (str): ``"fcc"``, ``"bcc"``, ``"sc"`` or ``None`` (a = d = 2π/q_peak).
        n_peaks (int): Allowed reflections used for the lattice parameter, >= 1.
        q_range (tuple[float, float]): Where to look for the first peak [length^-1].
        half_width (float): Fit window half-width [length^-1]; default 1.5 estimated FWHM.
        profile (str): ``"gaussian"`` or ``"pseudo_voigt"``.
        shape_factor (float): Scherrer K (default 0.9).
        instrument_fwhm (float): Instrumental FWHM removed in quadrature [length^-1].
        num_sampled_k_points (int): Direct method: k-points sampled (0: all).

    Example:
        >>> StructureFactorHistory(q_max=10.0).q
        Traceback (most recent call last):
        ...
        AttributeError: no frames yet: call compute() first
    """

    def __init__(
        self,
        q_max: float,
        num_q: int = 400,
        q_min: float = 0.0,
        *,
        method: str = "debye",
        types: Sequence[str] | None = None,
        lattice: str | None = "fcc",
        n_peaks: int = 1,
        q_range: tuple[float, float] | None = None,
        half_width: float | None = None,
        profile: str = "gaussian",
        shape_factor: float = peaks.SCHERRER_K,
        instrument_fwhm: float = 0.0,
        num_sampled_k_points: int = 0,
    ):
        self.q_max = check_positive("q_max", q_max, unit="length^-1")
        self.num_q = check_int("num_q", num_q, 10)
        self.q_min = check_real(
            "q_min", q_min, 0.0, self.q_max, low_open=False, high_open=True, unit="length^-1"
        )
        self.method = check_choice("method", method, METHODS)
        if types is not None:
            if isinstance(types, str):
                types = [types]
            types = list(types)
            if not types or not all(isinstance(t, str) for t in types):
                raise ValueError(f"types must be a non-empty sequence of type names, got {types!r}")
        self.types = types
        self.lattice = check_choice("lattice", lattice, LATTICE_CHOICES)
        self.n_peaks = check_int("n_peaks", n_peaks, 1)
        if q_range is not None:
            q_range = peaks._q_range(q_range, np.array([0.0, math.inf]))
        self.q_range = q_range
        self.half_width = (
            None if half_width is None else check_positive("half_width", half_width, "length^-1")
        )
        self.profile = check_choice("profile", profile, peaks.PROFILES)
        self.shape_factor = check_positive("shape_factor", shape_factor)
        self.instrument_fwhm = check_real(
            "instrument_fwhm", instrument_fwhm, 0.0, low_open=False, unit="length^-1"
        )
        self.num_sampled_k_points = check_int("num_sampled_k_points", num_sampled_k_points, 0)
        self._result: StructureFactorFrames | None = None

    # -- per-frame pieces ---------------------------------------------------------------------

    def _positions(self, frame: Any, index: int) -> tuple[freud.box.Box, np.ndarray]:
        box = freud.box.Box.from_box(np.asarray(frame.configuration.box, dtype=float))
        pos = np.asarray(frame.particles.position, dtype=float)
        if self.types is not None:
            names = list(frame.particles.types)
            unknown = [t for t in self.types if t not in names]
            if unknown:
                raise ValueError(
                    f"types {unknown!r} are not particle types of frame {index} (it has {names!r})"
                )
            ids = [names.index(t) for t in self.types]
            typeid = np.asarray(frame.particles.typeid)
            pos = pos[np.isin(typeid, ids)]
        if len(pos) < 2:
            raise ValueError(
                f"frame {index} has {len(pos)} particles of types {self.types!r}; S(q) needs >= 2"
            )
        return box, check_points(box, pos, name=f"positions of frame {index}")

    def _structure_factor(self, box: freud.box.Box, pts: np.ndarray) -> tuple:
        if self.method == "debye":
            sf = freud.diffraction.StaticStructureFactorDebye(self.num_q, self.q_max, self.q_min)
            sf.compute((box, pts))
            q = np.array(sf.k_values, dtype=float)
        else:
            sf = freud.diffraction.StaticStructureFactorDirect(
                self.num_q, self.q_max, self.q_min, self.num_sampled_k_points
            )
            sf.compute((box, pts))
            q = np.array(sf.bin_centers, dtype=float)
        s = np.array(sf.S_k, dtype=float)
        qmin_valid = float(sf.min_valid_k)
        s[q < qmin_valid] = np.nan
        return q, s, qmin_valid

    def _fit(self, q: np.ndarray, s: np.ndarray, qmin_valid: float) -> dict[str, float]:
        ok = np.isfinite(s)
        qq, ss = q[ok], s[ok]
        lo, hi = self.q_range if self.q_range is not None else (2.0 * qmin_valid, self.q_max)
        first = peaks.locate_peaks(qq, ss, q_range=(lo, min(hi, float(qq[-1]))), max_peaks=1)
        if len(first) == 0:
            raise ValueError("no peak in q_range")
        fit = peaks.fit_peak(
            qq, ss, float(first[0]), half_width=self.half_width, profile=self.profile
        )
        out = {
            "q_peak": fit.position,
            "q_peak_err": fit.position_err,
            "fwhm": fit.fwhm,
            "fwhm_err": fit.fwhm_err,
            "spacing": 2 * math.pi / fit.position,
        }
        if self.lattice is None:
            out["lattice_parameter"] = out["spacing"]
            out["lattice_parameter_err"] = 2 * math.pi * fit.position_err / fit.position**2
        else:
            refl = peaks.allowed_reflections(self.lattice, 400)[: self.n_peaks]
            m1 = refl[0][0]
            a0 = 2 * math.pi * math.sqrt(m1) / fit.position
            positions, errors, ms = [fit.position], [fit.position_err], [m1]
            for m, _ in refl[1:]:
                q_pred = 2 * math.pi * math.sqrt(m) / a0
                if q_pred >= qq[-1]:
                    break
                extra = peaks.fit_peak(
                    qq, ss, q_pred, half_width=self.half_width, profile=self.profile
                )
                if abs(extra.position - q_pred) > 0.05 * q_pred:
                    continue  # no maximum of its own there (a shoulder): not used
                positions.append(extra.position)
                errors.append(extra.position_err)
                ms.append(m)
            errors_arr = np.asarray(errors)
            use_err = bool(np.all(errors_arr > 0) and np.all(np.isfinite(errors_arr)))
            a, a_err = peaks.lattice_parameter(positions, ms, errors_arr if use_err else None)
            if len(positions) == 1:
                a_err = a * fit.position_err / fit.position
            out["lattice_parameter"], out["lattice_parameter_err"] = a, a_err
        try:
            out["grain_size"] = peaks.scherrer_size(
                fit.fwhm, shape_factor=self.shape_factor, instrument_fwhm=self.instrument_fwhm
            )
        except ValueError:
            out["grain_size"] = math.nan  # peak no wider than the instrument
        return out

    # -- driver ------------------------------------------------------------------------------

    def compute(
        self, trajectory: Any, frames: Any | None = None, *, progress: bool = False
    ) -> StructureFactorHistory:
        """Analyse frames of a trajectory.

        Args:
            trajectory: Path of a GSD file, an open :class:`gsd.hoomd.HOOMDTrajectory`, or a
                sequence of :class:`gsd.hoomd.Frame`.
            frames: ``None`` (all), a slice, or a sequence of frame indices.
            progress (bool): Show a tqdm progress bar over frames.

        Returns:
            StructureFactorHistory: ``self``.

        Raises:
            ValueError: On an empty frame selection, unknown type names, fewer than two
                selected particles, or broken frames (NaN, coincident particles).
        """
        from tqdm.auto import tqdm

        if isinstance(trajectory, str | os.PathLike):
            with gsd.hoomd.open(os.fspath(trajectory), "r") as traj:
                return self.compute(traj, frames, progress=progress)
        n_frames = len(trajectory)
        if frames is None:
            indices = list(range(n_frames))
        elif isinstance(frames, slice):
            indices = list(range(n_frames))[frames]
        else:
            indices = [check_int("frames[i]", f, -n_frames, n_frames - 1) for f in frames]
        if not indices:
            raise ValueError(f"frames selects no frame of the {n_frames}-frame trajectory")
        keys = ("q_peak", "q_peak_err", "fwhm", "fwhm_err", "spacing", "lattice_parameter")
        keys = (*keys, "lattice_parameter_err", "grain_size")
        rows = {k: np.full(len(indices), np.nan) for k in keys}
        steps = np.zeros(len(indices), dtype=np.int64)
        counts = np.zeros(len(indices), dtype=np.int64)
        valid_q = np.zeros(len(indices))
        converged = np.zeros(len(indices), dtype=bool)
        s_all, q = [], None
        for row, i in enumerate(tqdm(indices, disable=not progress, desc="S(q, t)")):
            frame = trajectory[i]
            box, pts = self._positions(frame, i)
            q, s, qmin_valid = self._structure_factor(box, pts)
            step = frame.configuration.step
            steps[row] = 0 if step is None else int(step)
            counts[row] = len(pts)
            valid_q[row] = qmin_valid
            s_all.append(s)
            try:
                fit = self._fit(q, s, qmin_valid)
            except (ValueError, RuntimeError):
                continue
            for k in keys:
                rows[k][row] = fit[k]
            converged[row] = True
        if not converged.any():
            warnings.warn(
                f"no peak was fitted in any of the {len(indices)} frames: check q_min, q_max, "
                f"num_q and q_range={self.q_range!r} (default search from 2 min_valid_k)",
                RuntimeWarning,
                stacklevel=2,
            )
        self._result = StructureFactorFrames(
            timestep=steps,
            n_particles=counts,
            q=q,
            structure_factor=np.stack(s_all),
            min_valid_q=valid_q,
            converged=converged,
            lattice=self.lattice,
            **rows,
        )
        return self

    @property
    def result(self) -> StructureFactorFrames:
        """StructureFactorFrames: All per-frame results."""
        if self._result is None:
            raise AttributeError("no frames yet: call compute() first")
        return self._result

    def to_csv(self, path: str | os.PathLike, structure_factor_path: Any | None = None) -> None:
        """Write the results with :func:`write_csv`.

        Args:
            path: CSV file of the per-frame peak table.
            structure_factor_path: Optional CSV file of S(q, t).
        """
        write_csv(self.result, path, structure_factor_path=structure_factor_path)


def _result_property(name: str) -> property:
    def get(self: StructureFactorHistory) -> Any:
        return getattr(self.result, name)

    return property(get, doc=f"See :attr:`StructureFactorFrames.{name}`.")


# The per-frame arrays of :attr:`StructureFactorHistory.result` as properties (freud-like:
# AttributeError before compute); ``lattice`` stays the constructor parameter.
for _name in StructureFactorFrames.__dataclass_fields__:
    if _name != "lattice":
        setattr(StructureFactorHistory, _name, _result_property(_name))
del _name


def write_csv(
    result: StructureFactorFrames,
    path: str | os.PathLike,
    *,
    structure_factor_path: str | os.PathLike | None = None,
) -> None:
    """Write the per-frame peak table (and optionally S(q, t)) as CSV.

    The table has the columns :data:`CSV_COLUMNS`, one row per frame (``nan`` where the fit did
    not converge). The S(q, t) file has a header ``timestep, q_1, q_2, ...`` (q values) and one
    row per frame.

    Args:
        result (StructureFactorFrames): From :attr:`StructureFactorHistory.result`.
        path: Output file of the peak table.
        structure_factor_path: Output file of S(q, t); default not written.

    Raises:
        ValueError: If ``result`` is not a :class:`StructureFactorFrames`.
    """
    if not isinstance(result, StructureFactorFrames):
        raise ValueError(f"result must be a StructureFactorFrames, got {type(result).__name__}")
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CSV_COLUMNS)
        for i in range(len(result.timestep)):
            row = []
            for col in CSV_COLUMNS:
                v = getattr(result, col)[i]
                row.append(
                    int(v) if col in ("timestep", "n_particles", "converged") else repr(float(v))
                )
            writer.writerow(row)
    if structure_factor_path is not None:
        with open(structure_factor_path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["timestep", *(repr(float(v)) for v in result.q)])
            for step, s in zip(result.timestep, result.structure_factor):
                writer.writerow([int(step), *(repr(float(v)) for v in s)])
