"""Create the state points of the binary Mie superlattice study (seed paper 002).

    python init.py                   # CPU-scaled: seeded AlB2 growth/melting and short ramps
    python init.py --variant paper   # paper scale: N = 27,000 bulk ramps over m x eps/kT (GPU)

Model (ASSEMBLY_MODELS §2): Mie n = 50 with m = 25 (narrow well) or m = 6 (wide well) at
eps/kT = 0.5-2.5, or the inverse power law (eps/kT = 0: U = eps (sigma/r)^50 at kT = eps);
sigma_SS/sigma_LL = 0.55, additive sigma_LS, equal eps, energies shifted at the cut-offs.

Protocols (timesteps are multiples of dt = 1e-3 tau):

* ``ramp``: random fluid at phi_eff = 0.20, equilibrate, compress quickly to ``phi_start``, then
  slowly (linear in density) to ``phi_end``, hold. Bulk (periodic box, MTTK) or droplet (WCA
  sphere, Langevin, polydisperse: 13 size bins per species).
* ``seeded``: a spherical AlB2 crystal (~64 L, c/a = 1.03, L-L 1.03 sigma) held fixed at the box
  centre while the surrounding fluid is compressed from 0.20 to ``phi_end``, then released and
  held: it grows or persists where AlB2 is stable and melts where it is not.
"""

from __future__ import annotations

import itertools

from hoomd_rigidfield.workflow import init_main

#: (m, eps/kT) of the potentials: narrow and wide wells and the inverse power law (m = 0).
NARROW, WIDE, IPL = 25.0, 6.0, 0.0
DEPTHS = (0.5, 1.0, 1.5, 2.0, 2.5)


def _sp(m, beta_epsilon, protocol, n_large, ratio, replica, **schedule):
    sp = {
        "m": float(m),
        "beta_epsilon": float(beta_epsilon),
        "protocol": protocol,
        "ratio": list(ratio),
        "n_large": int(n_large),
        "geometry": "bulk",
        "polydisperse": False,
        "dt": 1e-3,
        "replica": int(replica),
    }
    sp.update(schedule)
    return sp


def _seeded(m, beta_epsilon, replica):
    """CPU seeded test: ~940 fluid L + 1870 fluid S around a 66 L + 128 S AlB2 seed."""
    return _sp(
        m, beta_epsilon, "seeded", 936, (1, 2), replica,
        phi_initial=0.2, phi_start=0.5, phi_end=0.5,
        equilibrate_tau=5.0, precompress_tau=45.0, ramp_tau=0.0, hold_tau=100.0,
        frame_tau=5.0, seed_n_large=64, seed_d_ll=1.03, seed_c_over_a=1.03,
    )  # fmt: skip


def _ramp(m, beta_epsilon, replica, n_large=256, ratio=(1, 2), **over):
    schedule = dict(
        phi_initial=0.2, phi_start=0.4, phi_end=0.58,
        equilibrate_tau=10.0, precompress_tau=40.0, ramp_tau=500.0, hold_tau=20.0,
        frame_tau=10.0,
    )  # fmt: skip
    schedule.update(over)
    return _sp(m, beta_epsilon, "ramp", n_large, ratio, replica, **schedule)


def job_statepoints(variant: str = "cpu"):
    """Yield the state points of a variant.

    Args:
        variant (str): ``"cpu"`` (default) or ``"paper"``.

    Yields:
        dict: One state point per run.
    """
    if variant == "cpu":
        wells = ((NARROW, 2.5), (NARROW, 1.0), (WIDE, 2.5), (IPL, 0.0))
        for (m, be), replica in itertools.product(wells, (1, 2, 3)):
            yield _seeded(m, be, replica)
        for (m, be), replica in itertools.product(
            ((NARROW, 2.5), (WIDE, 2.5), (IPL, 0.0)), (1, 2, 3)
        ):
            yield _ramp(m, be, replica)
        # polydisperse droplet, 1:2, ~1000 particles: onset (if any) above phi_eff = 0.50
        for m, be in ((NARROW, 2.5), (IPL, 0.0)):
            sp = _ramp(m, be, 1, n_large=333, phi_start=0.45, phi_end=0.6, ramp_tau=500.0)
            sp.update(geometry="droplet", polydisperse=True)
            yield sp
    elif variant == "paper":
        paper = dict(ramp_tau=20000.0, hold_tau=2000.0, equilibrate_tau=100.0, frame_tau=100.0)
        wells = [(IPL, 0.0)] + [(m, be) for m in (NARROW, WIDE) for be in DEPTHS]
        for m, be in wells:
            end = 0.58 if m == WIDE else 0.6
            yield _ramp(m, be, 0, n_large=9000, phi_end=end, **paper)
        yield _ramp(NARROW, 2.5, 0, n_large=1928, ratio=(1, 13), **paper)
        # weaker S-S wells: AlB2 + NaZn13 coexistence at 1:13 (seed paper 002)
        yield _ramp(NARROW, 2.5, 0, n_large=1928, ratio=(1, 13), epsilon_ss=0.5, **paper)
        yield _ramp(NARROW, 2.5, 0, n_large=27000, ratio=(1, 0), **paper)  # fcc reference
        for n_large, ratio in ((9000, (1, 2)), (1928, (1, 13))):
            sp = _ramp(NARROW, 2.5, 0, n_large=n_large, ratio=ratio, phi_start=0.45, **paper)
            sp.update(geometry="droplet", polydisperse=True)
            yield sp
    else:
        raise ValueError(f"variant must be 'cpu' or 'paper', got {variant!r}")


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, ("cpu", "paper"), job_statepoints, default="cpu", argv=argv)


if __name__ == "__main__":
    main()
