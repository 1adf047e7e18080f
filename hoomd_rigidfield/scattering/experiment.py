r"""What a scattering experiment measures on one superlattice frame: I(q), a 2D pattern, XCCA.

:func:`scatter_frame` turns a GSD frame of NCs (positions, orientations, box; the NC shape from
``type_shapes`` or the study's ``size``) into the observables of seeds 000 and 003
:cite:`pbs_alignment2026` :cite:`zaluzhnyy2017`:

1. **WAXS powder** :math:`I(q)`: the Debye equation :cite:`debye1915` (binned pair distances)
   for the atoms of the four NCs of one fcc unit cell (NC 0 and its nearest neighbours), as
   seed 000 computes it for one fcc cell of faceted PbS NCs; indexed with the atomic-lattice
   (AL) reflections.
2. **SAXS** :math:`S(q)` of the NC centres of the replicated superlattice (freud, periodic), times
   :math:`|F(q)|^2` of a sphere of the NC's volume; indexed with the fcc superlattice (SL)
   reflections.
3. **A 2D pattern** :math:`|A(\mathbf q)|^2` of a spherical domain of the replicated superlattice
   on one detector that
   holds both the SL and the AL rings (Ewald sphere, beam along the study's ``beam``).
4. **XCCA** :cite:`altarelli2010`: the pattern on rings at the first SL reflections of the beam's
   zone and at the AL {111} and {200} rings; the normalised angular auto-correlations
   :math:`C(q, q, \Delta)` and the SL-AL cross-correlations; Gaussian fits of the ring peaks,
   the orientational spread :math:`\Delta\Phi` of the strongest AL spot from its azimuthal and
   radial widths, and the SL/AL orientation relation (Conf1, Conf2 or other) read off the peak
   azimuths.

Each step reports its wall time. Steps that find nothing to fit (a ring without peaks) report
why instead of a number.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.scattering.atoms import AtomisticNC, NCPlacement, place_ncs
from hoomd_rigidfield.scattering.detector import Detector
from hoomd_rigidfield.scattering.formfactors import sphere_form_factor
from hoomd_rigidfield.scattering.peaks import fit_peak
from hoomd_rigidfield.scattering.powder import CentreStructureFactor, debye_intensity_histogram
from hoomd_rigidfield.scattering.study import ScatteringStudy, fcc_reflections, replicate_cell
from hoomd_rigidfield.scattering.xcca import (
    AngularCorrelation,
    classify_orientation,
    fit_ring_peaks,
    orientational_disorder,
    polar_resample,
    zone_reflections,
)

#: Atomic-lattice ring peaks weaker than this fraction of the strongest AL spot are dropped: the
#: first side maximum of a flat facet's shape transform is about 5 % of its Bragg spot.
MIN_SPOT_FRACTION = 0.15
#: Smallest arc of an azimuthal XCCA bin on the smallest ring [pixels].
MIN_BIN_PIXELS = 1.5
#: Edge of the finer SAXS view in units of the first superlattice reflection.
SAXS_ZOOM = 3.0
#: GSD shape types whose ``vertices`` describe a polyhedral NC.
POLYHEDRAL_SHAPES = ("ConvexPolyhedron", "Mesh")


@dataclass
class FrameScattering:
    """The observables of one frame (see the module docstring); arrays are NumPy.

    Attributes:
        nc (AtomisticNC): The NC in its body frame.
        sl_lattice_constant (float): fcc superlattice constant :math:`[\\mathrm{\\AA}]`.
        n_ncs (int): NCs in the spherical domain of the pattern.
        q (numpy.ndarray): Powder grid :math:`[\\mathrm{\\AA}^{-1}]`.
        powder (numpy.ndarray): Atomistic Debye :math:`I(q)` of one cell [electrons²].
        saxs_q (numpy.ndarray): Grid of the centre structure factor.
        saxs (numpy.ndarray): :math:`S(q)|F(q)/F(0)|^2` of the NC centres.
        image (numpy.ndarray): 2D pattern (NaN on masked pixels).
        q_map, phi_map, mask (numpy.ndarray): Pixel :math:`|q|`, azimuth [rad], valid pixels.
        rings (dict[str, float]): Ring name (``"SL 200"``, ``"AL 111"``, ...) -> q.
        delta (numpy.ndarray): XCCA angles [rad].
        correlation (dict[str, numpy.ndarray]): ``"SL 220"`` (auto) or ``"SL 220 x AL 200"``
            (cross) -> :math:`(C - \\langle I_1\\rangle\\langle I_2\\rangle)/
            \\langle I_1\\rangle\\langle I_2\\rangle`.
        ring_peaks (dict[str, Any]): Ring -> :class:`~.xcca.RingPeaks`, or the reason for none.
        disorder (dict[str, float]): ``q``, ``sigma_phi`` [rad], ``sigma_radial``
            :math:`[\\mathrm{\\AA}^{-1}]` and ``delta_phi`` [rad] of the strongest AL spot (empty
            when it could not be fitted).
        relation (Any): :class:`~.xcca.OrientationMatch`, or the reason for none.
        timings (dict[str, float]): Wall seconds per step.
    """

    nc: AtomisticNC
    sl_lattice_constant: float
    n_ncs: int
    q: np.ndarray
    powder: np.ndarray
    saxs_q: np.ndarray
    saxs: np.ndarray
    image: np.ndarray
    q_map: np.ndarray
    phi_map: np.ndarray
    mask: np.ndarray
    saxs_image: np.ndarray | None
    saxs_q_map: np.ndarray | None
    rings: dict[str, float]
    delta: np.ndarray
    correlation: dict[str, np.ndarray]
    ring_peaks: dict[str, Any]
    disorder: dict[str, float]
    relation: Any
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-able figures: lattice, rings, peak azimuths, disorder, relation, timings.

        Returns:
            dict[str, Any]: The summary.
        """
        peaks = {
            name: (
                {
                    "azimuths_deg": np.degrees(p.positions).round(2).tolist(),
                    "sigma_deg": np.degrees(p.sigma).round(3).tolist(),
                }
                if not isinstance(p, str)
                else p
            )
            for name, p in self.ring_peaks.items()
        }
        relation = self.relation
        if not isinstance(relation, str):
            relation = {
                "label": relation.label,
                "residual_deg": round(math.degrees(relation.residual), 3),
                "residuals_deg": {
                    k: round(math.degrees(v), 3) for k, v in relation.residuals.items()
                },
            }
        return {
            "atoms_per_nc": len(self.nc),
            "sl_lattice_constant_A": self.sl_lattice_constant,
            "ncs_in_pattern": self.n_ncs,
            "rings_A^-1": {k: round(v, 5) for k, v in self.rings.items()},
            "ring_peaks": peaks,
            "orientational_disorder": {k: round(float(v), 6) for k, v in self.disorder.items()},
            "orientation_relation": relation,
            "timings_s": {k: round(v, 2) for k, v in self.timings.items()},
        }


def _nc_types(frame: gsd.hoomd.Frame) -> tuple[list[str], Any]:
    """Types drawn as polyhedra (the NCs) and the vertices of the first of them (or None)."""
    types = list(frame.particles.types)
    shapes = list(frame.particles.type_shapes or [])
    poly = [
        i
        for i, s in enumerate(shapes)
        if isinstance(s, Mapping) and s.get("type") in POLYHEDRAL_SHAPES
    ]
    if not poly:
        return types, None
    return [types[i] for i in poly], np.asarray(shapes[poly[0]]["vertices"], dtype=float)


def sl_lattice_constant(box: Any, n_ncs: int) -> float:
    """The fcc superlattice constant of a cubic periodic cell of ``n_ncs`` NCs.

    Args:
        box: GSD box ``[Lx, Ly, Lz, xy, xz, yz]`` :math:`[\\mathrm{\\AA}]`.
        n_ncs (int): NCs in the cell (:math:`4 n^3` for :math:`n^3` fcc cells).

    Returns:
        float: :math:`a = L/n`.

    Raises:
        ValueError: If the box is not cubic or ``n_ncs`` is not :math:`4n^3`.

    Example:
        >>> sl_lattice_constant([180, 180, 180, 0, 0, 0], 32)
        90.0
    """
    lx, ly, lz, *tilts = (float(v) for v in box)
    if not (np.isclose(lx, ly) and np.isclose(ly, lz)) or any(abs(t) > 1e-9 for t in tilts):
        raise ValueError(f"the superlattice cell must be a cubic box, got {list(box)}")
    n = round((n_ncs / 4) ** (1 / 3))
    if 4 * n**3 != n_ncs:
        raise ValueError(f"an fcc cell holds 4 n^3 NCs, this frame has {n_ncs}")
    return lx / n


def _ring_peaks(phi: np.ndarray, intensity: np.ndarray, weight: np.ndarray) -> Any:
    if weight.sum() < 8:
        return "too few valid pixels on the ring"
    try:
        return fit_ring_peaks(phi, intensity, weight=weight, prominence=0.2)
    except (ValueError, RuntimeError) as err:
        return f"no peaks fitted ({err})"


def _radial_maxima(
    peaks: Any, image: np.ndarray, q_map: np.ndarray, phi_map: np.ndarray, mask: np.ndarray,
    q0: float, shift: float, width: float, n_phi: int,
) -> Any:  # fmt: skip
    """The peaks of ``peaks`` brighter on their ring than at ``q0 -+ shift`` (or a reason)."""
    rings = polar_resample(
        image, q_map, phi_map, [q0 - shift, q0, q0 + shift], width, n_phi=n_phi, mask=mask
    )
    column = (np.floor(np.asarray(peaks.positions) * n_phi / (2 * np.pi)).astype(int)) % n_phi
    inner, on, outer = (np.asarray(rings.intensity)[k, column] for k in range(3))
    keep = (on > inner) & (on > outer)
    if not keep.any():
        return "no spot centred on the ring (only tails of other reflections)"
    fields = ("positions", "positions_err", "sigma", "sigma_err", "amplitudes", "amplitudes_err")
    return dataclasses.replace(peaks, **{f: np.asarray(getattr(peaks, f))[keep] for f in fields})


def _strong_peaks(peaks: Any, threshold: float) -> Any:
    """The peaks of ``peaks`` with amplitudes above ``threshold`` (or a reason)."""
    keep = np.asarray(peaks.amplitudes) > threshold
    if not keep.any():
        return f"no spot above {MIN_SPOT_FRACTION:.0%} of the strongest atomic-lattice spot"
    fields = ("positions", "positions_err", "sigma", "sigma_err", "amplitudes", "amplitudes_err")
    return dataclasses.replace(peaks, **{f: np.asarray(getattr(peaks, f))[keep] for f in fields})


def _radial_width(
    image: np.ndarray, q_map: np.ndarray, phi_map: np.ndarray, mask: np.ndarray, q0: float,
    phi0: float, step: float, n_phi: int,
) -> float:  # fmt: skip
    """Standard deviation of the radial profile through the spot at (q0, phi0) [A^-1]."""
    qs = q0 + step * np.arange(-12, 13)
    rings = polar_resample(image, q_map, phi_map, qs[qs > 0], step, n_phi=n_phi, mask=mask)
    column = int(np.floor((phi0 % (2 * np.pi)) * n_phi / (2 * np.pi))) % n_phi
    window = slice(max(column - 1, 0), column + 2)
    valid = rings.weight[:, window] > 0
    total = np.where(valid, rings.intensity[:, window], 0.0).sum(axis=1)
    count = valid.sum(axis=1)
    profile = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    good = np.isfinite(profile)
    fit = fit_peak(rings.q[good], profile[good], q0, half_width=10 * step)
    return float(fit.fwhm) / (2 * math.sqrt(2 * math.log(2)))


def scatter_frame(
    study: ScatteringStudy, frame: gsd.hoomd.Frame, *, progress: bool = False
) -> FrameScattering:
    """All observables of one frame (module docstring).

    Args:
        study (ScatteringStudy): Material, detector and grids (:func:`~.study.from_statepoint`).
        frame (gsd.hoomd.Frame): A periodic fcc cell of NCs (positions in Å, orientations).
        progress (bool): Print each step as it starts.

    Returns:
        FrameScattering: The observables.

    Raises:
        ValueError: If the frame has no NCs, is not a cubic fcc cell, or the NC shape is unknown.
    """
    sp, timings = study.statepoint, {}
    current: list[Any] = [None, time.perf_counter()]  # the step running and when it started

    def step(name: str | None) -> None:
        now = time.perf_counter()
        if current[0] is not None:
            timings[current[0]] = now - current[1]
        current[:] = [name, now]
        if progress and name is not None:
            print(f"scattering: {name} ...", flush=True)

    step("nc")
    types, vertices = _nc_types(frame)
    placement = NCPlacement.from_gsd(frame, types=types, unwrap=False)
    if len(placement) == 0:
        raise ValueError(f"the frame has no NCs of the types {types}")
    nc = study.nanocrystal(None if sp["size"] is not None else vertices)
    a_sl = sl_lattice_constant(frame.configuration.box, len(placement))

    step("powder (Debye, one fcc cell)")
    cell_atoms = place_ncs(nc, _fcc_cell_cluster(placement, frame.configuration.box))
    powder = np.asarray(
        debye_intensity_histogram(
            cell_atoms, study.q, form_factors=study.form_factors, bin_width=sp["bin_width"]
        )
    )

    step("SAXS (NC centres)")
    positions, orientations = replicate_cell(
        placement.positions, placement.orientations, frame.configuration.box, sp["replicate"]
    )
    box = np.asarray(frame.configuration.box[:3], float) * sp["replicate"]
    # A spherical domain (the ball inscribed in the replicated cell): a cube's flat faces would
    # streak the pattern with their shape transform.
    inside = np.linalg.norm(positions, axis=1) <= 0.5 * float(box.min())
    domain = NCPlacement(positions[inside], orientations[inside])
    q_saxs_max = min(float(sp["q_max"]), 12 * 2 * math.pi / a_sl)
    centres = CentreStructureFactor(400, q_saxs_max).compute(positions, box=box)
    radius = (3 * len(nc) / (4 * math.pi * _atom_density(study))) ** (1 / 3)
    q_centres = np.maximum(np.asarray(centres.q, dtype=float), 0.0)  # freud's float32 grid
    s_q = np.where(q_centres >= centres.min_valid_q, np.asarray(centres.S_q), np.nan)
    saxs = s_q * sphere_form_factor(q_centres, radius, normalized=True) ** 2

    step("2D pattern")
    det = study.detector
    sigma = float(sp["position_disorder"])
    image = _pattern(det, nc, domain, study, sigma)
    q_map, phi_map, mask = det.q_magnitude, det.azimuth, det.mask & np.isfinite(image)
    q_first = 2 * math.pi * math.sqrt(3) / a_sl
    zoom = Detector.from_q_max(
        det.shape[0], SAXS_ZOOM * q_first, wavelength=det.wavelength, ewald=sp["ewald"],
        beam_direction=sp["beam"],
    )  # fmt: skip
    saxs_image = _pattern(zoom, nc, domain, study, sigma)

    step("XCCA")
    beam = np.asarray(sp["beam"])
    sl_families = _zone_families(beam, 2)
    rings = {f"SL {h}": q for h, q in fcc_reflections(a_sl, q_saxs_max) if h in sl_families}
    rings.update({f"AL {h}": q for h, q in study.atomic_reflections() if h in ("111", "200")})
    names = list(rings)
    sl_names = [n for n in names if n.startswith("SL")]
    al_names = [n for n in names if n.startswith("AL")]
    # SL rings on the finer SAXS pixels, AL rings on the wide detector: both images share the
    # beam and the azimuth convention, so their rings correlate like rings of one exposure.
    zoom_step = float(np.median(np.abs(np.diff(zoom.q_magnitude[zoom.shape[0] // 2]))))
    # Every azimuthal bin of the smallest ring spans at least MIN_BIN_PIXELS of arc: sparser
    # bins sample a spot pixel by pixel and split it into false peaks.
    smallest = min(rings[n] for n in sl_names) / zoom_step if sl_names else math.inf
    n_phi = int(min(sp["n_phi"], 4 * (2 * math.pi * smallest / MIN_BIN_PIXELS // 4)))
    polar_sl = polar_resample(
        saxs_image, zoom.q_magnitude, zoom.azimuth, [rings[n] for n in sl_names],
        3 * zoom_step, n_phi=n_phi, mask=zoom.mask & np.isfinite(saxs_image),
    )  # fmt: skip
    polar_al = polar_resample(
        image, q_map, phi_map, [rings[n] for n in al_names], sp["ring_width"],
        n_phi=n_phi, mask=mask,
    )  # fmt: skip
    ring_intensity = np.concatenate([polar_sl.intensity, polar_al.intensity])
    ring_weight = np.concatenate([polar_sl.weight, polar_al.weight])
    names = sl_names + al_names
    xc = AngularCorrelation(normalization="mean").compute(ring_intensity, ring_weight)
    corr = np.asarray(xc.correlation)
    correlation = {n: corr[i, i] for i, n in enumerate(names)}
    for i, n1 in enumerate(names):
        for j, n2 in enumerate(names):
            if n1 in sl_names[:1] and n2.startswith("AL"):
                correlation[f"{n1} x {n2}"] = corr[i, j]
    phi = np.asarray(polar_al.phi)
    peaks = {n: _ring_peaks(phi, ring_intensity[i], ring_weight[i]) for i, n in enumerate(names)}
    # A spot of the atomic lattice is a maximum in q too; the facet streak of a neighbouring
    # reflection crossing the ring is not (it brightens towards its own reflection).
    extent = 2 * float(np.max(np.linalg.norm(nc.positions, axis=1)))
    shift = math.pi / extent  # half the width of an NC's Bragg spot
    for n in al_names:
        if not isinstance(peaks[n], str):
            peaks[n] = _radial_maxima(
                peaks[n], image, q_map, phi_map, mask, rings[n], shift, sp["ring_width"], n_phi
            )
    # Side maxima of a faceted NC's shape transform (a few % of its spot) are not reflections.
    strongest = max(
        (float(np.max(peaks[n].amplitudes)) for n in al_names if not isinstance(peaks[n], str)),
        default=0.0,
    )
    for n in al_names:
        if not isinstance(peaks[n], str):
            peaks[n] = _strong_peaks(peaks[n], MIN_SPOT_FRACTION * strongest)

    step("disorder and relation")
    disorder: dict[str, float] = {}
    al_fitted = {n: p for n, p in peaks.items() if n.startswith("AL") and not isinstance(p, str)}
    if al_fitted:
        name, best = max(al_fitted.items(), key=lambda kv: float(np.max(kv[1].amplitudes)))
        k = int(np.argmax(best.amplitudes))
        try:
            sigma_rad = _radial_width(
                image, q_map, phi_map, mask, rings[name], float(best.positions[k]),
                sp["ring_width"] / 2, sp["n_phi"],
            )  # fmt: skip
            sigma_phi = float(best.sigma[k])
            disorder = {
                "q": rings[name],
                "sigma_phi": sigma_phi,
                "sigma_radial": sigma_rad,
                "delta_phi": float(orientational_disorder(sigma_phi, rings[name], sigma_rad)),
            }
        except (ValueError, RuntimeError):
            disorder = {}
    relation: Any = "no fitted peaks on the SL ring and the AL rings"
    sl_fitted = [n for n in sl_names if not isinstance(peaks[n], str)]
    al_111, al_200 = peaks.get("AL 111"), peaks.get("AL 200")
    if sl_fitted and not isinstance(al_200, str):
        sl_name = sl_fitted[0]
        al_phi = [
            np.asarray(p.positions) if not isinstance(p, str) else np.zeros(0)
            for p in (al_111, al_200)
        ]
        relation = classify_orientation(
            np.asarray(peaks[sl_name].positions),
            al_phi,
            beam=beam,
            sl_family=tuple(int(c) for c in sl_name.split()[1]),
        )
    step(None)
    return FrameScattering(
        nc=nc,
        sl_lattice_constant=a_sl,
        n_ncs=len(domain),
        q=np.asarray(study.q),
        powder=powder,
        saxs_q=q_centres,
        saxs=np.asarray(saxs),
        image=image,
        q_map=np.asarray(q_map),
        phi_map=np.asarray(phi_map),
        mask=np.asarray(mask),
        saxs_image=saxs_image,
        saxs_q_map=np.asarray(zoom.q_magnitude),
        rings=rings,
        delta=np.asarray(xc.delta),
        correlation=correlation,
        ring_peaks=peaks,
        disorder=disorder,
        relation=relation,
        timings=timings,
    )


def _pattern(
    detector: Detector, nc: AtomisticNC, domain: NCPlacement, study: ScatteringStudy, sigma: float
) -> np.ndarray:
    """Mean intensity of ``domain`` with independent Gaussian NC displacements of rms ``sigma``.

    Averaged over displacements u_n (each component of variance sigma^2 / 3... per axis
    sigma^2), the intensity of :math:`\\sum_n A_n e^{-i q (R_n + u_n)}` is exactly
    :math:`e^{-q^2\\sigma^2}|\\sum_n A_n e^{-iqR_n}|^2 + (1 - e^{-q^2\\sigma^2})\\sum_n |A_n|^2`:
    coherent at small q (SAXS), the incoherent sum of the NCs at large q (WAXS). NCs of one
    orientation share :math:`|A_n|^2`, so the incoherent part costs one NC pattern per
    orientation.
    """
    coherent = detector.pattern(nc, domain, form_factors=study.form_factors)
    if sigma == 0:
        return coherent
    quats = np.round(np.asarray(domain.orientations, float), 9)
    quats *= np.where(quats[:, :1] < 0, -1.0, 1.0)  # q and -q are one rotation
    groups, counts = np.unique(quats, axis=0, return_counts=True)
    incoherent = sum(
        n
        * detector.pattern(
            nc, NCPlacement(np.zeros((1, 3)), g[None]), form_factors=study.form_factors
        )
        for g, n in zip(groups, counts)
    )
    damping = np.exp(-((detector.q_magnitude * sigma) ** 2))
    return damping * coherent + (1 - damping) * incoherent


def _fcc_cell_cluster(placement: NCPlacement, box: Any) -> NCPlacement:
    """NC 0 and its three nearest neighbours (minimum image): the NCs of one fcc unit cell."""
    lengths = np.asarray(box[:3], float)
    d = placement.positions - placement.positions[0]
    d -= lengths * np.round(d / lengths)
    nearest = np.argsort(np.linalg.norm(d, axis=1), kind="stable")[:4]
    return NCPlacement(placement.positions[0] + d[nearest], placement.orientations[nearest])


def _atom_density(study: ScatteringStudy) -> float:
    """Atoms per cubic Angstrom of the NC's lattice (8 per rock-salt cell, 4 per fcc cell)."""
    per_cell = 8 if study.structure == "rocksalt" else 4
    return per_cell / study.lattice_constant**3


def _zone_families(beam: np.ndarray, count: int) -> list[str]:
    """The first ``count`` fcc reflection families with members in the beam's zone."""
    out = []
    for hkl, _ in fcc_reflections(1.0, 2 * math.pi * 4):
        family = tuple(int(c) for c in hkl)
        if len(zone_reflections(family, beam)):
            out.append(hkl)
        if len(out) == count:
            break
    return out
