# Part of hoomd_rigidfield (BSD 3-Clause).
"""Square patches on the {100} facets of truncated cubes in a monolayer (HPMC pair potential)."""

import hoomd
import hoomd.hpmc  # registers the PairPotential base class before the component loads
from hoomd.data.parameterdicts import TypeParameterDict
from hoomd.data.typeconverter import OnlyIf, to_type_converter
from hoomd.data.typeparam import TypeParameter
from hoomd.hpmc.pair.pair import Pair
from hoomd.rigidfield_patchy import _rigidfield_patchy


# Our namespace, not HOOMD's own ("hpmc", "pair", ...): log keys rigidfield_patchy/pair/SquarePatch/*.
@hoomd.logging.modify_namespace(("rigidfield_patchy", "pair", "SquarePatch"))
class SquarePatch(Pair):
    r"""Square-patch square-well pair potential of truncated cubes (HPMC, CPU).

    Each particle carries four square patches, one at the centre of each vertical {100} facet
    (body normals :math:`\pm x, \pm y`). Patch :math:`k` of :math:`i` and :math:`l` of
    :math:`j` bond when they face each other within ``arccos(cos_theta_max)``, both facet gaps
    lie in ``[gap_min, gap_max]`` and the patch segments overlap laterally in both frames; each
    bond adds :math:`-\varepsilon` (``mode="step"``) or :math:`-\varepsilon O/P_x`
    (``mode="overlap"``). The rule is exactly ``hoomd_rigidfield.patchy.patches.patch_energy``.

    .. py:attribute:: params

        Per type pair, ``None`` (no interaction) or a dict with (all **required**):

        * ``half_width`` (float): centre to {100} facet, :math:`L/2` :math:`[\mathrm{length}]`.
        * ``half_patch`` (float): half the patch length :math:`P_x/2` :math:`[\mathrm{length}]`.
        * ``gap_min``, ``gap_max`` (float): facet-gap window :math:`[\mathrm{length}]`.
        * ``cos_theta_max`` (float): cosine of the facing tolerance.
        * ``epsilon`` (float): bond energy depth in units of kT (positive: attractive).
        * ``r_cut`` (float): centre-centre cut-off :math:`[\mathrm{length}]`.
        * ``mode`` (str): ``"step"`` or ``"overlap"``.

        Type: `TypeParameter` [`tuple` [``particle_type``, ``particle_type``], `dict`]
    """

    _ext_module = _rigidfield_patchy
    _cpp_class_name = "PairPotentialSquarePatch"

    def __init__(self):
        params = TypeParameter(
            "params",
            "particle_types",
            TypeParameterDict(
                OnlyIf(
                    to_type_converter(
                        {
                            "half_width": float,
                            "half_patch": float,
                            "gap_min": float,
                            "gap_max": float,
                            "cos_theta_max": float,
                            "epsilon": float,
                            "r_cut": float,
                            "mode": str,
                        }
                    ),
                    allow_none=True,
                ),
                len_keys=2,
            ),
        )
        self._add_typeparam(params)
