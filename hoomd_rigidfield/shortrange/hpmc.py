"""The exact square well in HOOMD-blue HPMC: hard spheres plus ``hpmc.pair.Step``.

A check on the continuous model of :mod:`hoomd_rigidfield.shortrange.md`: the same
:math:`(\\beta u_0, \\lambda)` as an exact square well (:func:`square_well_energy
<hoomd_rigidfield.shortrange.corresponding_states.square_well_energy>`). HPMC in HOOMD 4.8
works at :math:`\\beta = 1`, so the step energies are entered in kT. Local moves of
``max_displacement`` are a Brownian-like dynamics; no cluster moves are used.
"""

from __future__ import annotations

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.hpmc
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.shortrange.validation import check_real


def square_well_step(
    depth: float, lam: float, *, sigma: float = 1.0, particle_type: str = "A"
) -> hoomd.hpmc.pair.Step:
    """``hpmc.pair.Step`` of :math:`-\\beta u_0` for :math:`r < (1+\\lambda)\\sigma`.

    Args:
        depth (float): :math:`\\beta u_0` [kT] (>= 0).
        lam (float): Well width [:math:`\\sigma`] (> 0).
        sigma (float): Hard-core diameter (the integrator's sphere).
        particle_type (str): The particle type.

    Returns:
        hoomd.hpmc.pair.Step: The pair potential.
    """
    u0 = check_real("depth", depth, 0, low_open=False, unit="kT")
    width = check_real("lam", lam, 0, unit="sigma")
    s = check_real("sigma", sigma, 0)
    step = hoomd.hpmc.pair.Step()
    step.params[(particle_type, particle_type)] = dict(epsilon=[-u0], r=[(1 + width) * s])
    return step


def square_well_integrator(
    depth: float,
    lam: float,
    *,
    sigma: float = 1.0,
    max_displacement: float = 0.05,
    particle_type: str = "A",
) -> hoomd.hpmc.integrate.Sphere:
    """Hard spheres of diameter ``sigma`` with the square-well step, translation moves only.

    Args:
        depth (float): :math:`\\beta u_0` [kT].
        lam (float): Well width [:math:`\\sigma`].
        sigma (float): Diameter.
        max_displacement (float): Largest trial move [:math:`\\sigma`].
        particle_type (str): The particle type.

    Returns:
        hoomd.hpmc.integrate.Sphere: The integrator (``nselect = 1``).
    """
    d = check_real("max_displacement", max_displacement, 0, unit="sigma")
    mc = hoomd.hpmc.integrate.Sphere(default_d=d, nselect=1)
    mc.shape[particle_type] = dict(diameter=float(sigma))
    mc.pair_potentials = [square_well_step(depth, lam, sigma=sigma, particle_type=particle_type)]
    return mc
