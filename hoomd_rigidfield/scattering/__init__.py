r"""Scattering from nanocrystal superlattices: patterns, powder curves, XCCA and peak fits.

Atomistic NCs cut from rock-salt or fcc lattices (:mod:`.atoms`), atomic X-ray and NC form
factors (:mod:`.formfactors`), NC and superlattice amplitudes by direct sums or NUFFT
(:mod:`.amplitudes`), 2D detector patterns on the Ewald sphere and orientational averages
(:mod:`.detector`), Debye powder intensities (:mod:`.powder`), angular X-ray cross-correlation
and the superlattice / atomic-lattice orientation relation (:mod:`.xcca`), peak fits, cubic
indexing and Scherrer sizes (:mod:`.peaks`), and in-situ S(q, t) of trajectories
(:mod:`.insitu`).

Conventions: lengths in :math:`\mathrm{\AA}`; scattering vectors in the physics convention
:math:`q = |\mathbf k_\mathrm{out} - \mathbf k_\mathrm{in}| = 4\pi\sin\theta/\lambda`
:math:`[\mathrm{\AA}^{-1}]` (:math:`2\theta` the scattering angle), so a Bragg peak of planes
with spacing :math:`d` sits at :math:`q = 2\pi/d`; amplitudes carry
:math:`e^{-i\mathbf q\cdot\mathbf r}`; orientations are unit quaternions, scalar first (HOOMD,
rowan), with :math:`\mathbf r_\mathrm{lab} = \mathbf R_n + R(q_n)\,\mathbf r_\mathrm{body}`.

The public names are imported lazily from their modules (``from hoomd_rigidfield.scattering
import Detector`` loads :mod:`.detector` only).
"""

from __future__ import annotations

import importlib
from typing import Any

#: Public name -> module (relative to this package).
_LAZY = {
    # atoms
    "AtomisticNC": "atoms",
    "NCPlacement": "atoms",
    "Polyhedron": "atoms",
    "ROCKSALT_LATTICE_CONSTANTS": "atoms",
    "fcc_lattice_sites": "atoms",
    "fcc_nc": "atoms",
    "pbs_truncated_octahedron": "atoms",
    "place_ncs": "atoms",
    "rocksalt_nc": "atoms",
    # formfactors
    "AtomicFormFactors": "formfactors",
    "anomalous": "formfactors",
    "atomic_form_factor": "formfactors",
    "debye_waller": "formfactors",
    "f0": "formfactors",
    "sphere_form_factor": "formfactors",
    # amplitudes
    "ScatteringAmplitude": "amplitudes",
    "intensity": "amplitudes",
    "nc_amplitude": "amplitudes",
    "phase_sum": "amplitudes",
    "superlattice_amplitude": "amplitudes",
    # detector
    "Detector": "detector",
    "beamstop_mask": "detector",
    "module_gap_mask": "detector",
    "orientational_average": "detector",
    "sphere_directions": "detector",
    # powder
    "CentreStructureFactor": "powder",
    "centre_intensity": "powder",
    "debye_intensity": "powder",
    "debye_intensity_histogram": "powder",
    "pair_distance_histograms": "powder",
    # xcca
    "AngularCorrelation": "xcca",
    "OrientationMatch": "xcca",
    "PolarRings": "xcca",
    "RingPeaks": "xcca",
    "classify_orientation": "xcca",
    "conf1_rotation": "xcca",
    "conf2_rotation": "xcca",
    "detector_azimuths": "xcca",
    "fit_ring_peaks": "xcca",
    "orientational_disorder": "xcca",
    "peak_offsets": "xcca",
    "polar_resample": "xcca",
    "zone_reflections": "xcca",
    # peaks
    "CubicIndexing": "peaks",
    "PeakFit": "peaks",
    "fit_peak": "peaks",
    "fit_peaks": "peaks",
    "index_cubic": "peaks",
    "lattice_parameter": "peaks",
    "locate_peaks": "peaks",
    "reflection_positions": "peaks",
    "scherrer_size": "peaks",
    # insitu
    "StructureFactorFrames": "insitu",
    "StructureFactorHistory": "insitu",
    "write_csv": "insitu",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
