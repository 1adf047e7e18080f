"""The literature the package builds on, by key; docstrings cite an entry with the cite role.

Every entry was checked against a retrieved copy of its bibliographic record (publisher page,
Crossref-based index or the authors' own lists) when this file was written. Where a field could
not be checked it is ``None`` and :attr:`Reference.note` says so: an unverified DOI is left out
rather than guessed.

Example:
    >>> from hoomd_rigidfield.references import REFERENCES
    >>> REFERENCES["vega2007"].doi
    '10.1063/1.2790426'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One publication.

    Args:
        authors (str): Authors as printed (``"et al."`` after the first ones for long lists).
        title (str): Title.
        journal (str): Journal (or ``"arXiv"`` for a preprint).
        year (int): Year of the issue.
        volume (str): Volume (``None`` if unknown or a preprint).
        pages (str): Pages or article number.
        doi (str): DOI (``None`` where it was not verified), or the arXiv identifier.
        note (str): What a seed paper is used for, or what was not verified.
    """

    authors: str
    title: str
    journal: str
    year: int
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    note: str = ""

    def __str__(self) -> str:
        where = ", ".join(p for p in (self.journal, self.volume, self.pages) if p)
        doi = f", doi:{self.doi}" if self.doi else ""
        return f"{self.authors}, {self.title}. {where} ({self.year}){doi}"


#: Key -> reference. Seed papers of the suites first, then methods and software.
REFERENCES: dict[str, Reference] = {
    "pbs_alignment2026": Reference(
        "15 authors (Talapin and Vaikuntanathan groups)",
        "Atomic alignment in PbS nanocrystal superlattices with compact inorganic ligands via "
        "reversible oriented attachment of nanocrystals",
        "arXiv",
        2026,
        pages="2601.12214",
        doi="arXiv:2601.12214",
        note="seed 000 of the field-theory suite (field theory of the strong electrolyte around "
        "faceted NCs, orientational phase diagram, Debye patterns); identified from its "
        "abstract, author list not retrieved",
    ),
    "zhang2017": Reference(
        "H. Zhang, K. Dasbiswas, N. B. Ludwig, G. Han, B. Lee, S. Vaikuntanathan, D. V. Talapin",
        "Stable colloids in molten inorganic salts",
        "Nature",
        2017,
        "542",
        "328-331",
        "10.1038/nature21041",
        note="charge layering of a dense ionic fluid at nanocrystal surfaces",
    ),
    "coropceanu2022": Reference(
        "I. Coropceanu et al.",
        "Self-assembly of nanocrystals into strongly electronically coupled all-inorganic "
        "supercrystals",
        "Science",
        2022,
        "375",
        "1422",
        note="seed 001 (DLVO, square wells, crystal / gel / fluid); DOI not verified here",
    ),
    "marino2024": Reference(
        "E. Marino, R. A. LaCour, T. C. Moore, S. W. van Dongen, A. W. Keller, D. An, S. Yang, "
        "D. J. Rosen, G. Gouget, E. H. R. Tsai, C. R. Kagan, T. E. Kodger, S. C. Glotzer, "
        "C. B. Murray",
        "Crystallization of binary nanocrystal superlattices and the relevance of short-range "
        "attraction",
        "Nature Synthesis",
        2024,
        "3",
        "111-122",
        "10.1038/s44160-023-00407-2",
        note="seed 002 of the binary Mie suite (online 2023)",
    ),
    "lacour2022": Reference(
        "R. A. LaCour, T. C. Moore, S. C. Glotzer",
        "Tuning stoichiometry to promote formation of binary colloidal superlattices",
        "Phys. Rev. Lett.",
        2022,
        "128",
        "188001",
        "10.1103/PhysRevLett.128.188001",
    ),
    "zaluzhnyy2017": Reference(
        "I. A. Zaluzhnyy, R. P. Kurta, A. André, O. Y. Gorobtsov, M. Rose, P. Skopintsev, "
        "I. Besedin, A. V. Zozulya, M. Sprung, F. Schreiber, I. A. Vartanyants, M. Scheele",
        "Quantifying angular correlations between the atomic lattice and the superlattice of "
        "nanocrystals assembled with directional linking",
        "Nano Lett.",
        2017,
        "17",
        "3511-3517",
        "10.1021/acs.nanolett.7b00584",
        note="seed 003 (XCCA of nanodiffraction patterns)",
    ),
    "patchy_cubes_seed004": Reference(
        "(not verified)",
        "2D self-assembly of patchy truncated PbSe nanocubes (seed 004)",
        "(not verified)",
        2024,
        note="seed 004 of the patchy-cube suite; its bibliographic record was not verified: not found by the "
        "literature search of 2026-12-01; docs/patchy_cubes.md describes the model",
    ),
    "altarelli2010": Reference(
        "M. Altarelli, R. P. Kurta, I. A. Vartanyants",
        "X-ray cross-correlation analysis and local symmetries of disordered systems: general "
        "theory",
        "Phys. Rev. B",
        2010,
        "82",
        "104207",
        "10.1103/PhysRevB.82.104207",
    ),
    "lechner2008": Reference(
        "W. Lechner, C. Dellago",
        "Accurate determination of crystal structures based on averaged local bond order "
        "parameters",
        "J. Chem. Phys.",
        2008,
        "129",
        "114707",
        "10.1063/1.2977970",
    ),
    "tenwolde1996": Reference(
        "P. R. ten Wolde, M. J. Ruiz-Montero, D. Frenkel",
        "Numerical calculation of the rate of crystal nucleation in a Lennard-Jones system at "
        "moderate undercooling",
        "J. Chem. Phys.",
        1996,
        "104",
        "9932-9947",
        "10.1063/1.471721",
    ),
    "noro2000": Reference(
        "M. G. Noro, D. Frenkel",
        "Extended corresponding-states behavior for particles with variable range attractions",
        "J. Chem. Phys.",
        2000,
        "113",
        "2941",
        "10.1063/1.1288684",
    ),
    "vega2007": Reference(
        "C. Vega, E. G. Noya",
        "Revisiting the Frenkel-Ladd method to compute the free energy of solids: the Einstein "
        "molecule approach",
        "J. Chem. Phys.",
        2007,
        "127",
        "154113",
        "10.1063/1.2790426",
    ),
    "jover2012": Reference(
        "J. Jover, A. J. Haslam, A. Galindo, G. Jackson, E. A. Müller",
        "Pseudo hard-sphere potential for use in continuous molecular-dynamics simulation of "
        "spherical and chain molecules",
        "J. Chem. Phys.",
        2012,
        "137",
        "144505",
        note="DOI not verified here",
    ),
    "wuttke2021": Reference(
        "J. Wuttke",
        "Numerically stable form factor of any polygon and polyhedron",
        "J. Appl. Cryst.",
        2021,
        "54",
        "580-587",
        "10.1107/S1600576721001710",
    ),
    "anderson2020": Reference(
        "J. A. Anderson, J. Glaser, S. C. Glotzer",
        "HOOMD-blue: a Python package for high-performance molecular dynamics and hard particle "
        "Monte Carlo simulations",
        "Comput. Mater. Sci.",
        2020,
        "173",
        "109363",
        "10.1016/j.commatsci.2019.109363",
    ),
    "ramasubramani2020": Reference(
        "V. Ramasubramani, B. D. Dice, E. S. Harper, M. P. Spellings, J. A. Anderson, "
        "S. C. Glotzer",
        "freud: a software suite for high throughput analysis of particle simulation data",
        "Comput. Phys. Commun.",
        2020,
        "254",
        "107275",
        "10.1016/j.cpc.2020.107275",
    ),
    "hamaker1937": Reference(
        "H. C. Hamaker",
        "The London-van der Waals attraction between spherical particles",
        "Physica",
        1937,
        "4",
        "1058-1072",
        note="exact sphere-sphere van der Waals energy (shortrange suite); DOI not verified here",
    ),
    "hogg1966": Reference(
        "R. Hogg, T. W. Healy, D. W. Fuerstenau",
        "Mutual coagulation of colloidal dispersions",
        "Trans. Faraday Soc.",
        1966,
        "62",
        "1638-1651",
        note="constant-potential Derjaguin double-layer energy (HHF); title and year found by the "
        "literature search of 2026-12-01, DOI not verified",
    ),
    "bell1970": Reference(
        "G. M. Bell, S. Levine, L. N. McCartney",
        "Approximate methods of determining the double-layer free energy of interaction between "
        "two charged colloidal spheres",
        "J. Colloid Interface Sci.",
        1970,
        "33",
        "335-359",
        note="linear superposition approximation; recalled, DOI not verified",
    ),
    "barker1967": Reference(
        "J. A. Barker, D. Henderson",
        "Perturbation theory and equation of state for fluids. II. A successful theory of liquids",
        "J. Chem. Phys.",
        1967,
        "47",
        "4714-4721",
        note="Barker-Henderson effective diameter; DOI not verified here",
    ),
    "vliegenthart2000": Reference(
        "G. A. Vliegenthart, H. N. W. Lekkerkerker",
        "Predicting the gas-liquid critical point from the second virial coefficient",
        "J. Chem. Phys.",
        2000,
        "112",
        "5364",
        "10.1063/1.481106",
        note="B2* ~ -1.5 at the critical point",
    ),
    "haxton2015": Reference(
        "T. K. Haxton, L. O. Hedges, S. Whitelam",
        "Crystallization and arrest mechanisms of model colloids",
        "arXiv",
        2015,
        pages="1507.06750",
        doi="arXiv:1507.06750",
        note="dynamic simulations of short-range attractive spheres behind the seed's regime map "
        "(Fig. 2C); the journal version was not verified",
    ),
    "waasmaier1995": Reference(
        "D. Waasmaier, A. Kirfel",
        "New analytical scattering-factor functions for free atoms and ions",
        "Acta Cryst. A",
        1995,
        "51",
        "416-431",
        "10.1107/S0108767394013292",
        note="atomic X-ray form factors f0(q), tabulated by xraydb",
    ),
    "barnett2019": Reference(
        "A. H. Barnett, J. Magland, L. af Klinteberg",
        'A parallel nonuniform fast Fourier transform library based on an "exponential of '
        'semicircle" kernel',
        "SIAM J. Sci. Comput.",
        2019,
        "41",
        "C479-C504",
        "10.1137/18M120885X",
        note="FINUFFT, the type-3 NUFFT behind the NC scattering amplitudes",
    ),
    "debye1915": Reference(
        "P. Debye",
        "Zerstreuung von Röntgenstrahlen",
        "Ann. Phys.",
        1915,
        "351",
        "809-823",
        "10.1002/andp.19153510606",
        note="the Debye scattering equation for powder patterns",
    ),
    "patterson1939": Reference(
        "A. L. Patterson",
        "The Scherrer formula for X-ray particle size determination",
        "Phys. Rev.",
        1939,
        "56",
        "978-982",
        "10.1103/PhysRev.56.978",
        note="grain size from peak widths",
    ),
    "frenkel1984": Reference(
        "D. Frenkel, A. J. C. Ladd",
        "New Monte Carlo method to compute the free energy of arbitrary solids. Application to "
        "the fcc and hcp phases of hard spheres",
        "J. Chem. Phys.",
        1984,
        "81",
        "3188",
        "10.1063/1.448024",
        note="the Einstein-crystal method",
    ),
    "polson2000": Reference(
        "J. M. Polson, E. Trizac, S. Pronk, D. Frenkel",
        "Finite-size corrections to the free energies of crystalline solids",
        "J. Chem. Phys.",
        2000,
        "112",
        "5339-5342",
        "10.1063/1.481102",
        note="hard-sphere fcc excess free energy 5.91889(4) kT at rho sigma^3 = 1.0409",
    ),
    "vanderhoef2000": Reference(
        "M. A. van der Hoef",
        "Free energy of the Lennard-Jones solid",
        "J. Chem. Phys.",
        2000,
        "113",
        "8142-8148",
        note="DOI not verified here; fcc free energy fit (its Eq. 21), full potential, N -> inf",
    ),
    "noya2008": Reference(
        "E. G. Noya, M. M. Conde, C. Vega",
        "Computing the free energy of molecular solids by the Einstein molecule approach: ices "
        "XIII and XIV, hard-dumbbells and a patchy model of proteins",
        "J. Chem. Phys.",
        2008,
        "129",
        "104704",
        note="DOI not verified here; orientational springs for the Einstein molecule",
    ),
}
