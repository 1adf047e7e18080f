"""HOOMD-blue MD of short-range attractive spheres: the continuous square well, DLVO, quenches.

The forces are built from the same pure-Python models as the rest of the suite:
:class:`~hoomd_rigidfield.shortrange.squarewell.ContinuousSquareWell` (the pseudo-hard core as
``md.pair.Mie`` 50-49 with ``mode="shift"``, the smooth step as ``md.pair.Table``) and
:class:`~hoomd_rigidfield.shortrange.potentials.DLVOPair` (``md.pair.DLVO``, the
:math:`\\kappa h \\gg 1` limit of the constant-potential Derjaguin form). :class:`QuenchRun`
integrates a quench with Langevin dynamics in a directory (``init.gsd`` -> ``trajectory.gsd``
+ ``restart.gsd``) and resumes after a kill. Units: :math:`\\sigma`, kT = 1, mass 1,
:math:`\\tau = \\sigma\\sqrt{m/kT}`.
"""

from __future__ import annotations

import math
import os
from typing import Any

from scipy import constants

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.md
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.runs import RESTART, TRAJECTORY, ResumableRun, resume_trajectory
from hoomd_rigidfield.shortrange.potentials import DLVOPair, thermal_energy
from hoomd_rigidfield.shortrange.squarewell import CORE_M, CORE_N, ContinuousSquareWell, core_cutoff
from hoomd_rigidfield.shortrange.validation import check_real

#: First point of the step table [sigma]: below any distance the core lets particles reach.
TABLE_R_MIN = 0.8
#: Table spacing as a fraction of the step width (linear interpolation error ~ 1e-5 u0).
TABLE_SPACING = 0.02


def square_well_forces(
    well: ContinuousSquareWell, *, buffer: float = 0.3, particle_type: str = "A"
) -> list[hoomd.md.pair.Pair]:
    """HOOMD forces of the continuous square well: Mie 50-49 core plus the tabulated step.

    Args:
        well (ContinuousSquareWell): The model (lengths in sigma, energies in kT).
        buffer (float): Neighbour-list buffer [sigma].
        particle_type (str): The one particle type.

    Returns:
        list[hoomd.md.pair.Pair]: ``[Mie core, Table step]`` sharing one cell list.
    """
    check_real("buffer", buffer, 0, unit="sigma")
    nlist = hoomd.md.nlist.Cell(buffer=float(buffer))
    core = hoomd.md.pair.Mie(nlist=nlist, mode="shift")
    pair = (particle_type, particle_type)
    core.params[pair] = dict(epsilon=well.core_epsilon, sigma=well.sigma, n=CORE_N, m=CORE_M)
    core.r_cut[pair] = core_cutoff(well.sigma)
    points = math.ceil((well.r_cut - TABLE_R_MIN * well.sigma) / (TABLE_SPACING * well.width))
    u, f = well.step_table(TABLE_R_MIN * well.sigma, points)
    step = hoomd.md.pair.Table(nlist=nlist)
    step.params[pair] = dict(r_min=TABLE_R_MIN * well.sigma, U=u, F=f)
    step.r_cut[pair] = well.r_cut
    return [core, step]


def dlvo_parameters(pair: DLVOPair, length_unit: float) -> dict[str, float]:
    """``md.pair.DLVO`` parameters of a DLVO pair, in units of ``length_unit`` and kT.

    HOOMD's electrostatic term :math:`\\frac{a_1a_2}{a_1+a_2}Z e^{-\\kappa h}` is the
    constant-potential Derjaguin energy for :math:`\\kappa h \\gg 1`
    (:math:`\\ln(1+x)\\to x`), so :math:`Z = 4\\pi\\varepsilon_0\\varepsilon_r\\psi_0^2`; its van
    der Waals term is the exact Hamaker energy.

    Args:
        pair (DLVOPair): A pair with ``electrostatics="hhf"``.
        length_unit (float): The simulation's length unit [m].

    Returns:
        dict: ``A`` [kT], ``a1``, ``a2`` [length unit], ``kappa`` [1/length unit], ``Z``
        [kT/length unit].
    """
    unit = check_real("length_unit", length_unit, 0, unit="m")
    if pair.electrostatics != "hhf":
        raise ValueError(
            f"md.pair.DLVO has the Derjaguin constant-potential form: electrostatics must be "
            f"'hhf', got {pair.electrostatics!r}"
        )
    kt = thermal_energy(pair.temperature)
    z = 4 * math.pi * constants.epsilon_0 * pair.epsilon_r * pair.surface_potential**2
    a1, a2 = pair.radii
    return dict(
        A=pair.hamaker / kt, a1=a1 / unit, a2=a2 / unit,
        kappa=unit / pair.debye_length, Z=z * unit / kt,
    )  # fmt: skip


def dlvo_pair_force(
    pair: DLVOPair, length_unit: float, r_cut: float, *, particle_type: str = "A"
) -> hoomd.md.pair.DLVO:
    """HOOMD ``md.pair.DLVO`` of a DLVO pair (:func:`dlvo_parameters`), unshifted.

    HOOMD has no hard contact: keep particles beyond :attr:`DLVOPair.contact` with another
    force (or use this force for energy checks).

    Args:
        pair (DLVOPair): The pair (``"hhf"``).
        length_unit (float): Simulation length unit [m].
        r_cut (float): Cut-off [length unit].
        particle_type (str): The particle type.

    Returns:
        hoomd.md.pair.DLVO: The force.
    """
    rc = check_real("r_cut", r_cut, 0)
    force = hoomd.md.pair.DLVO(nlist=hoomd.md.nlist.Cell(buffer=0.1 * rc), mode="none")
    force.params[(particle_type, particle_type)] = dlvo_parameters(pair, length_unit)
    force.r_cut[(particle_type, particle_type)] = rc
    return force


class QuenchRun(ResumableRun):
    """A Langevin quench of the continuous square well in a directory, resumable.

    ``init.gsd`` (a fluid, written by :func:`hoomd_rigidfield.shortrange.study.write_initial`)
    is integrated at kT = 1 with the well switched on at step 0 (an instant quench). Frames go
    to ``trajectory.gsd`` with positions, images (for displacements) and a log of the energies;
    ``restart.gsd`` is replaced every ``checkpoint_period`` steps.

    Args:
        directory: Run directory.
        well (ContinuousSquareWell): The interaction.
        steps (int): Length of the run [timesteps].
        seed (int): HOOMD seed (Langevin noise), 0-65535.
        dt (float): Timestep [tau] (<= 0.002: the n = 50 core).
        gamma (float): Langevin drag [m/tau].
        frame_period (int): Steps between frames.
        checkpoint_period (int): Steps between checkpoints.
        buffer (float): Neighbour-list buffer [sigma].
        device (hoomd.device.Device): Default ``hoomd.device.auto_select()``.
    """

    label = "quench MD"

    def __init__(
        self,
        directory: str | os.PathLike,
        well: ContinuousSquareWell,
        steps: int,
        *,
        seed: int,
        dt: float = 1e-3,
        gamma: float = 1.0,
        frame_period: int = 10_000,
        checkpoint_period: int = 100_000,
        buffer: float = 0.3,
        device: hoomd.device.Device | None = None,
    ) -> None:
        if isinstance(steps, bool) or int(steps) != steps or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        self.dt = check_real("dt", dt, 0, 0.002, unit="tau")
        self.gamma = check_real("gamma", gamma, 0, unit="m/tau")
        self.buffer = check_real("buffer", buffer, 0, unit="sigma")
        super().__init__(
            directory,
            seed=seed,
            frame_period=frame_period,
            checkpoint_period=checkpoint_period,
            device=device,
        )
        self.well, self.steps = well, int(steps)

    @property
    def end_step(self) -> int:
        """int: Last timestep."""
        return self.steps

    def _model_fingerprint(self) -> dict[str, Any]:
        """The well and the dynamics (what a checkpoint must match).

        The run length is not in it: at constant kT the trajectory up to a step does not depend
        on where the run will end (HOOMD's Langevin noise depends on seed, step and particle), so
        a finished run can be extended by a longer one from its checkpoint.
        """
        return {
            "well": self.well,
            "dt": self.dt,
            "gamma": self.gamma,
            "buffer": self.buffer,
        }

    def build(self) -> hoomd.Simulation:
        """The simulation at the checkpoint (or at ``init.gsd``), every operation attached.

        Returns:
            hoomd.Simulation: Ready to run.
        """
        sim, resume, _ = self._open_simulation(hoomd.device.auto_select)
        if sim.timestep > self.end_step:
            raise ValueError(
                f"checkpoint {self.path(RESTART)} is at step {sim.timestep}, past the end of this "
                f"run ({self.end_step} steps): it belongs to a longer run; delete it to start afresh"
            )
        forces = square_well_forces(self.well, buffer=self.buffer)
        langevin = hoomd.md.methods.Langevin(
            filter=hoomd.filter.All(), kT=1.0, default_gamma=self.gamma
        )
        sim.operations.integrator = hoomd.md.Integrator(
            dt=self.dt, forces=forces, methods=[langevin]
        )
        thermo = hoomd.md.compute.ThermodynamicQuantities(filter=hoomd.filter.All())
        sim.operations.computes.append(thermo)
        self.simulation = sim
        logger = hoomd.logging.Logger(categories=["scalar", "object"])
        logger.add(thermo, quantities=["potential_energy", "kinetic_temperature"])
        logger.add(sim, quantities=["timestep", "tps"])
        shapes = [{"type": "Sphere", "diameter": self.well.sigma}]
        logger[("hoomd_rigidfield", "type_shapes")] = (lambda: shapes, "object")
        self._trajectory_writer(logger, dynamic=["property", "momentum"])
        if resume:
            resume_trajectory(sim, self.path(TRAJECTORY))
        else:
            sim.state.thermalize_particle_momenta(filter=hoomd.filter.All(), kT=1.0)
        sim.run(0)
        return sim

    def _next_stop(self, timestep: int) -> int:
        return min(self.end_step, self._next_checkpoint(timestep))
