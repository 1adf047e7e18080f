"""Where does my nanocrystal land? DLVO well, equivalent square well, B2*, regime.

    python -m hoomd_rigidfield.shortrange                         # the reference 4.5-nm Au in NMF
    python -m hoomd_rigidfield.shortrange --salt 10 1 3 --electrostatics lsa --plot out.png

Inputs in practical units (nm, mV, mM, J, K), converted to SI for
:mod:`hoomd_rigidfield.shortrange.potentials`; energies are printed in kT.
"""

from __future__ import annotations

import argparse
import sys
import warnings

import numpy as np

from hoomd_rigidfield.shortrange.potentials import (
    CONTACT_GAP,
    ELECTROSTATICS,
    DerjaguinWarning,
    DLVOPair,
    exponential_repulsion,
    salt_ions,
)
from hoomd_rigidfield.shortrange.regimes import dlvo_square_well, predicted_regime

#: Salt concentrations of the plotted family [mM] (the seed's Fig. 2A shows a series like it).
FAMILY = (1.0, 10.0, 50.0, 100.0)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m hoomd_rigidfield.shortrange",
        description="DLVO pair potential of two nanocrystals, its Noro-Frenkel square well and "
        "the regime it falls in at volume fraction 0.1.",
    )
    p.add_argument("--radius", type=float, default=2.25, help="core radius R (nm)")
    p.add_argument("--radius2", type=float, default=None, help="radius of the second NC (nm)")
    p.add_argument("--hamaker", type=float, default=2e-19, help="Hamaker constant A (J)")
    p.add_argument("--surface-potential", type=float, default=-50.0, help="psi0 (mV)")
    p.add_argument("--charge", type=float, default=None,
                   help="charge number Z (e), for --electrostatics yukawa")  # fmt: skip
    p.add_argument("--salt", nargs=3, action="append", metavar=("C_mM", "Z_PLUS", "Z_MINUS"),
                   help="a dissolved salt: concentration (mM), cation and anion valencies; "
                   "repeat for mixtures (default: 50 mM of a 1:3 salt)")  # fmt: skip
    p.add_argument("--temperature", type=float, default=298.15, help="T (K)")
    p.add_argument("--epsilon-r", type=float, default=182.0,
                   help="relative permittivity (182: N-methylformamide)")  # fmt: skip
    p.add_argument("--gap", type=float, default=CONTACT_GAP * 1e9,
                   help="hard-contact gap of the ligand shells (nm)")  # fmt: skip
    p.add_argument("--electrostatics", choices=ELECTROSTATICS, default="hhf",
                   help="hhf: constant-potential Derjaguin; lsa: linear superposition; "
                   "yukawa: constant charge")  # fmt: skip
    p.add_argument("--extra-repulsion", nargs=2, type=float, metavar=("AMPLITUDE_kT", "DECAY_nm"),
                   help="add A exp(-(r - contact)/decay): the multivalent-ion repulsion")  # fmt: skip
    p.add_argument("--plot", default=None, help="write U(r) for a salt family + the regime map")
    return p


def _ions(salts: list[list[str]] | None, scale: float = 1.0) -> tuple[list[float], list[int]]:
    concentrations, valencies = [], []
    for c, zp, zm in salts or [["50", "1", "3"]]:
        (cp, cm), (vp, vm) = salt_ions(float(c) * 1e-3 * scale, int(zp), int(zm))
        concentrations += [cp, cm]
        valencies += [vp, vm]
    return concentrations, valencies


def build_pair(args: argparse.Namespace, scale: float = 1.0) -> DLVOPair:
    """The pair the command line describes (salts scaled by ``scale``).

    Args:
        args (argparse.Namespace): Parsed arguments.
        scale (float): Factor on every salt concentration (for a family).

    Returns:
        DLVOPair: The pair.
    """
    concentrations, valencies = _ions(args.salt, scale)
    extra = None
    contact = args.radius * 1e-9 + (args.radius2 or args.radius) * 1e-9 + args.gap * 1e-9
    if args.extra_repulsion is not None:
        amplitude, decay = args.extra_repulsion
        extra = exponential_repulsion(amplitude, decay * 1e-9, contact)
    return DLVOPair.from_salt(
        radius=args.radius * 1e-9,
        radius2=None if args.radius2 is None else args.radius2 * 1e-9,
        hamaker=args.hamaker,
        surface_potential=args.surface_potential * 1e-3,
        charge=args.charge,
        concentrations=concentrations,
        valencies=valencies,
        epsilon_r=args.epsilon_r,
        temperature=args.temperature,
        electrostatics=args.electrostatics,
        contact_gap=args.gap * 1e-9,
        extra_repulsion=extra,
    )


def main(argv: list[str] | None = None) -> int:
    """Print the DLVO well, the equivalent square well, B2* and the regime; optionally plot.

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).

    Returns:
        int: Exit status (0; 2 for invalid inputs, with the reason on stderr).
    """
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DerjaguinWarning)
            pair = build_pair(args)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    well = pair.well()
    print(
        f"Debye length          {pair.debye_length * 1e9:.3f} nm (kappa R = {pair.kappa_radius:.2f})"
    )
    print(f"contact distance      {pair.contact * 1e9:.3f} nm ({args.electrostatics})")
    print(f"well depth            {well.depth:.3f} kT at r = {well.position * 1e9:.3f} nm")
    print(f"well width (half)     {well.width * 1e9:.4f} nm")
    barrier = "none" if well.barrier == 0 else (
        f"{well.barrier:.3f} kT at gap {(well.barrier_position - sum(pair.radii)) * 1e9:.3f} nm"
    )  # fmt: skip
    print(f"barrier               {barrier}")
    if well.depth == 0:
        print("no attractive well: a stable (repulsive) colloid; regime: fluid")
        return 0
    eq = dlvo_square_well(pair)
    regime = predicted_regime(eq.depth, eq.lam)
    print(f"B2*                   {eq.reduced_b2:.4g} (critical ~ -1.5)")
    lam = f"{eq.lam:.4g}" if eq.lam > 0 else f"{eq.lam:.4g} (no square well: net repulsive)"
    print(f"equivalent square well depth {eq.depth:.3f} kT, width lambda = {lam} sigma_eff, "
          f"sigma_eff = {eq.sigma_eff * pair.contact * 1e9:.3f} nm")  # fmt: skip
    print(f"regime (phi = 0.1)    {regime}")
    if args.plot:
        from hoomd_rigidfield.shortrange.plotting import dlvo_figure

        base = sum(float(s[0]) for s in args.salt) if args.salt else 50.0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DerjaguinWarning)
            family = {f"{c:g} mM": build_pair(args, c / base) for c in FAMILY}
        fig = dlvo_figure(
            family,
            point=(eq.depth, max(eq.lam, 0.0)) if np.isfinite(eq.lam) else None,
            title=f"R = {args.radius:g} nm, A = {args.hamaker:g} J, psi0 = "
            f"{args.surface_potential:g} mV, eps_r = {args.epsilon_r:g}, {args.electrostatics}; "
            f"marked: {base:g} mM -> {regime}",
        )
        fig.savefig(args.plot, dpi=150)
        print(f"figure                {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
