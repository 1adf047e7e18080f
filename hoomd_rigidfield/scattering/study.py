r"""From a scattering state point to the NC, the form factors, the detector and the q grids.

A state point (a plain dict, as signac holds it, or the command line of
``python -m hoomd_rigidfield.scattering``) describes the experiment on a superlattice frame:

* the NC material: ``material`` (``"PbS"``, ``"PbSe"`` or any rock-salt
  ``"<cation><anion>"`` / fcc metal given with ``lattice_constant`` :math:`[\mathrm{\AA}]` and
  ``species``), ``b_factor`` (Debye-Waller :math:`B` :math:`[\mathrm{\AA}^2]`, all species);
* the NC shape: ``size`` (:math:`\{100\}` facet-to-facet size of the truncated octahedron
  :math:`[\mathrm{\AA}]`) and ``wulff_ratio``; ``size = None`` takes the shape from the frame's
  GSD ``type_shapes`` (the NCs as the simulation drew them);
* the superlattice: ``replicate`` (copies of the periodic cell along each box vector) and
  ``position_disorder`` (rms displacement of each NC from its site per axis
  :math:`[\mathrm{\AA}]`, independent Gaussian: the superlattice's own Debye-Waller factor,
  which makes the wide-angle pattern the incoherent sum of the NCs);
* the beam and detector: ``energy`` :math:`[\mathrm{keV}]`, ``beam`` (direction in the box
  frame), ``n_pixels``, ``q_max`` :math:`[\mathrm{\AA}^{-1}]` (edge of the detector), ``ewald``
  (``"exact"`` sphere or ``"flat"``);
* the analyses: ``n_q`` (powder grid up to ``q_max``), ``bin_width`` of the Debye histogram
  :math:`[\mathrm{\AA}]`, ``ring_width`` :math:`[\mathrm{\AA}^{-1}]` and ``n_phi`` of the XCCA
  rings.

Missing keys take :data:`DEFAULTS` (seed 003's PbS superlattice: 13 keV, beam along
:math:`[001]`, both the superlattice and the atomic rings on one detector
:cite:`zaluzhnyy2017`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.scattering.atoms import (
    ARCHIMEDEAN_WULFF_RATIO,
    ROCKSALT_LATTICE_CONSTANTS,
    AtomisticNC,
    Polyhedron,
    fcc_nc,
    rocksalt_nc,
)
from hoomd_rigidfield.scattering.detector import Detector, beamstop_mask
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors
from hoomd_rigidfield.validation import check_choice, check_int, check_positive, check_real

#: hc [keV A]: wavelength = HC_KEV_A / energy.
HC_KEV_A = 12.398419843320026

#: Defaults of every state-point key.
DEFAULTS: dict[str, Any] = {
    "material": "PbS",
    "lattice_constant": None,
    "species": None,
    "b_factor": 1.0,
    "size": None,
    "wulff_ratio": ARCHIMEDEAN_WULFF_RATIO,
    "replicate": 4,
    "position_disorder": 4.0,
    "energy": 13.0,
    "beam": (0.0, 0.0, 1.0),
    "n_pixels": 384,
    "q_max": 2.4,
    "ewald": "exact",
    "n_q": 800,
    "bin_width": 0.02,
    "ring_width": 0.02,
    "n_phi": 360,
    "beamstop_q": 0.03,
}

#: Lattice constants of fcc metals [A] (Kittel, room temperature).
FCC_METALS: dict[str, float] = {"Au": 4.078, "Ag": 4.086, "Cu": 3.615, "Pt": 3.924, "Pd": 3.891}


@dataclass(frozen=True)
class ScatteringStudy:
    """The inputs of one scattering experiment (built by :func:`from_statepoint`).

    Args:
        statepoint (Mapping): The state point with every default filled in.
        structure (str): ``"rocksalt"`` or ``"fcc"``.
        lattice_constant (float): Atomic lattice constant :math:`[\\mathrm{\\AA}]`.
        species (tuple[str, ...]): Element symbols (cation first for rock salt).
        form_factors (AtomicFormFactors): :math:`f_s(q)` with the Debye-Waller factor.
        detector (Detector): Pixel geometry, beam stop masked.
        q (numpy.ndarray): Powder grid :math:`[\\mathrm{\\AA}^{-1}]`.
    """

    statepoint: Mapping[str, Any]
    structure: str
    lattice_constant: float
    species: tuple[str, ...]
    form_factors: AtomicFormFactors
    detector: Detector
    q: np.ndarray

    @property
    def wavelength(self) -> float:
        """float: X-ray wavelength :math:`[\\mathrm{\\AA}]`."""
        return HC_KEV_A / float(self.statepoint["energy"])

    def nanocrystal(self, vertices: Any = None) -> AtomisticNC:
        """The atomistic NC in its body frame (crystal axes = body axes).

        Args:
            vertices ((V, 3) array): Shape of the NC :math:`[\\mathrm{\\AA}]` (e.g. from a GSD
                ``type_shapes`` entry); ``None``: the truncated octahedron of ``size``.

        Returns:
            AtomisticNC: The atoms.

        Raises:
            ValueError: If neither ``vertices`` nor a ``size`` is given.
        """
        sp = self.statepoint
        if vertices is not None:
            poly = Polyhedron.from_vertices(vertices)
        elif sp["size"] is not None:
            poly = Polyhedron.truncated_octahedron(sp["size"], sp["wulff_ratio"])
        else:
            raise ValueError(
                "size is None (take the NC shape from the frame) but no shape vertices were "
                "given: pass the frame's type_shapes or set size [A]"
            )
        if self.structure == "rocksalt":
            return rocksalt_nc(poly, self.lattice_constant, self.species)
        return fcc_nc(poly, self.lattice_constant, self.species[0])

    def atomic_reflections(self, q_max: float | None = None) -> list[tuple[str, float]]:
        """Allowed reflections of the atomic lattice up to ``q_max``: ``("111", q)``, ...

        Args:
            q_max (float): Largest :math:`q` :math:`[\\mathrm{\\AA}^{-1}]` (default the detector's).

        Returns:
            list[tuple[str, float]]: Miller indices (one per family) and positions.
        """
        q_max = float(self.statepoint["q_max"]) if q_max is None else q_max
        return fcc_reflections(self.lattice_constant, q_max)


def fcc_reflections(lattice_constant: float, q_max: float) -> list[tuple[str, float]]:
    """Reflection families of an fcc (or rock-salt) lattice below ``q_max``.

    Args:
        lattice_constant (float): Cubic lattice constant :math:`a` :math:`[\\mathrm{\\AA}]`.
        q_max (float): Largest :math:`q` :math:`[\\mathrm{\\AA}^{-1}]`.

    Returns:
        list[tuple[str, float]]: ``(hkl, q)`` with h, k, l all odd or all even,
        :math:`q = 2\\pi\\sqrt{h^2+k^2+l^2}/a`, sorted by q.

    Example:
        >>> [(h, round(q, 4)) for h, q in fcc_reflections(5.936, 2.2)]
        [('111', 1.8334), ('200', 2.117)]
    """
    a = check_positive("lattice_constant", lattice_constant, "A")
    q_max = check_positive("q_max", q_max, "A^-1")
    out = []
    n = int(q_max * a / (2 * math.pi)) + 1
    for h in range(n + 1):
        for k in range(h + 1):
            for m in range(k + 1):
                if (h, k, m) == (0, 0, 0) or len({h % 2, k % 2, m % 2}) != 1:
                    continue
                q = 2 * math.pi * math.sqrt(h * h + k * k + m * m) / a
                if q <= q_max:
                    out.append((f"{h}{k}{m}", q))
    return sorted(out, key=lambda t: t[1])


def _material(sp: Mapping[str, Any]) -> tuple[str, float, tuple[str, ...]]:
    material, a, species = sp["material"], sp["lattice_constant"], sp["species"]
    if material in ROCKSALT_LATTICE_CONSTANTS:
        a0, sp0 = ROCKSALT_LATTICE_CONSTANTS[material]
        return "rocksalt", float(a0 if a is None else a), tuple(sp0 if species is None else species)
    if material in FCC_METALS:
        return "fcc", float(FCC_METALS[material] if a is None else a), (material,)
    if material in ("rocksalt", "fcc"):
        if a is None or species is None:
            raise ValueError(
                f"material {material!r} needs lattice_constant [A] and species (element symbols)"
            )
        n_species = 2 if material == "rocksalt" else 1
        if isinstance(species, str) or len(species) != n_species:
            raise ValueError(
                f"species of a {material} NC must be {n_species} element symbols, got {species!r}"
            )
        return material, float(a), tuple(species)
    known = sorted(ROCKSALT_LATTICE_CONSTANTS) + sorted(FCC_METALS) + ["rocksalt", "fcc"]
    raise ValueError(f"material must be one of {known}, got {material!r}")


def from_statepoint(sp: Mapping[str, Any]) -> ScatteringStudy:
    """Parse and validate a scattering state point.

    Args:
        sp (Mapping): Keys of :data:`DEFAULTS` (module docstring); missing keys take the
            defaults, unknown keys are an error.

    Returns:
        ScatteringStudy: The parsed inputs.

    Raises:
        ValueError: On an unknown key or a value out of range (the message names it).

    Example:
        >>> study = from_statepoint({"size": 40.0, "n_pixels": 64})
        >>> study.structure, study.species, round(study.wavelength, 4)
        ('rocksalt', ('Pb', 'S'), 0.9537)
    """
    unknown = sorted(set(sp) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"unknown scattering state-point keys {unknown}; known: {sorted(DEFAULTS)}"
        )
    full = {**DEFAULTS, **dict(sp)}
    structure, a, species = _material(full)
    check_positive("lattice_constant", a, "A")
    check_real("b_factor", full["b_factor"], 0.0, unit="A^2")
    if full["size"] is not None:  # validates size and wulff_ratio
        Polyhedron.truncated_octahedron(full["size"], full["wulff_ratio"])
    check_int("replicate", full["replicate"], 1, 16)
    check_real("position_disorder", full["position_disorder"], 0.0, unit="A")
    energy = check_real("energy", full["energy"], 1.0, 200.0, unit="keV")
    beam = np.asarray(full["beam"], dtype=float)
    if beam.shape != (3,) or not np.all(np.isfinite(beam)) or np.linalg.norm(beam) == 0:
        raise ValueError(f"beam must be a finite non-zero 3-vector, got {full['beam']!r}")
    n_pixels = check_int("n_pixels", full["n_pixels"], 16, 4096)
    wavelength = HC_KEV_A / energy
    q_limit = 4 * math.pi / wavelength * math.sin(math.pi / 4)
    q_max = check_real(
        "q_max", full["q_max"], 0.0, q_limit, low_open=True, high_open=True, unit="A^-1"
    )
    ewald = check_choice("ewald", full["ewald"], ("exact", "flat"))
    n_q = check_int("n_q", full["n_q"], 8)
    check_positive("bin_width", full["bin_width"], "A")
    check_positive("ring_width", full["ring_width"], "A^-1")
    check_int("n_phi", full["n_phi"], 8)
    beamstop = check_real("beamstop_q", full["beamstop_q"], 0.0, q_max, unit="A^-1")
    full.update(beam=tuple(float(b) for b in beam / np.linalg.norm(beam)))
    detector = Detector.from_q_max(
        n_pixels, q_max, wavelength=wavelength, ewald=ewald, beam_direction=full["beam"]
    )
    if beamstop > 0:
        detector = detector.with_mask(beamstop_mask(detector, beamstop))
    return ScatteringStudy(
        statepoint=full,
        structure=structure,
        lattice_constant=a,
        species=species,
        form_factors=AtomicFormFactors(species, b_factors=float(full["b_factor"])),
        detector=detector,
        q=np.linspace(q_max / n_q, q_max, n_q),
    )


def replicate_cell(
    positions: Any, orientations: Any, box: Sequence[float], replicate: int
) -> tuple[np.ndarray, np.ndarray]:
    """Copies of a periodic cell's NCs along its box vectors, centred on the origin.

    Args:
        positions ((N, 3) array): NC centres in the cell :math:`[\\mathrm{\\AA}]`.
        orientations ((N, 4) array): Their quaternions (scalar first).
        box (Sequence[float]): GSD box ``[Lx, Ly, Lz, xy, xz, yz]``.
        replicate (int): Copies along each box vector.

    Returns:
        tuple: ``(replicate**3 N, 3)`` positions and ``(replicate**3 N, 4)`` orientations.

    Example:
        >>> p, o = replicate_cell([[0, 0, 0]], [[1, 0, 0, 0]], [10, 10, 10, 0, 0, 0], 2)
        >>> p.shape, o.shape, p.mean(axis=0).tolist()
        ((8, 3), (8, 4), [0.0, 0.0, 0.0])
    """
    n = check_int("replicate", replicate, 1)
    lx, ly, lz, xy, xz, yz = (float(v) for v in box)
    vectors = np.array([[lx, 0, 0], [xy * ly, ly, 0], [xz * lz, yz * lz, lz]])
    shifts = np.array([[i, j, k] for i in range(n) for j in range(n) for k in range(n)]) @ vectors
    pos = (np.asarray(positions, float)[None] + shifts[:, None]).reshape(-1, 3)
    ori = np.tile(np.asarray(orientations, float), (len(shifts), 1))
    return pos - pos.mean(axis=0), ori
