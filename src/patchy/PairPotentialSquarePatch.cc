// Part of hoomd_rigidfield (BSD 3-Clause). See PairPotentialSquarePatch.h for the rule.

#include "PairPotentialSquarePatch.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace hoomd
    {
namespace hpmc
    {

PairPotentialSquarePatch::PairPotentialSquarePatch(std::shared_ptr<SystemDefinition> sysdef)
    : PairPotential(sysdef), m_params(m_type_param_index.getNumElements())
    {
    }

LongReal PairPotentialSquarePatch::computeRCutNonAdditive(unsigned int type_i,
                                                          unsigned int type_j) const
    {
    const auto& param = m_params[m_type_param_index(type_i, type_j)];
    return param.enabled ? param.r_cut : LongReal(0);
    }

LongReal PairPotentialSquarePatch::energy(const LongReal r_squared,
                                          const vec3<LongReal>& r_ij,
                                          const unsigned int type_i,
                                          const quat<LongReal>& q_i,
                                          const LongReal charge_i,
                                          const unsigned int type_j,
                                          const quat<LongReal>& q_j,
                                          const LongReal charge_j) const
    {
    const auto& param = m_params[m_type_param_index(type_i, type_j)];
    if (!param.enabled || r_squared >= param.r_cut * param.r_cut)
        {
        return 0;
        }

    const vec3<LongReal> body_normals[4] = {vec3<LongReal>(1, 0, 0),
                                            vec3<LongReal>(0, 1, 0),
                                            vec3<LongReal>(-1, 0, 0),
                                            vec3<LongReal>(0, -1, 0)};
    const vec3<LongReal> body_up(0, 0, 1);
    const vec3<LongReal> up_i = rotate(q_i, body_up);
    const vec3<LongReal> up_j = rotate(q_j, body_up);
    vec3<LongReal> n_i[4], t_i[4], n_j[4], t_j[4];
    for (unsigned int k = 0; k < 4; k++)
        {
        n_i[k] = rotate(q_i, body_normals[k]);
        t_i[k] = cross(up_i, n_i[k]);
        n_j[k] = rotate(q_j, body_normals[k]);
        t_j[k] = cross(up_j, n_j[k]);
        }

    const LongReal a = param.half_width;
    const LongReal p = param.half_patch;
    LongReal total = 0;
    for (unsigned int k = 0; k < 4; k++)
        {
        for (unsigned int l = 0; l < 4; l++)
            {
            const LongReal cos_nn = dot(n_i[k], n_j[l]);
            if (cos_nn > -param.cos_theta_max)
                {
                continue;
                }
            // d = c_jl - c_ik
            const vec3<LongReal> d = r_ij + a * (n_j[l] - n_i[k]);
            const LongReal g_ij = dot(d, n_i[k]);
            const LongReal g_ji = -dot(d, n_j[l]);
            if (g_ij < param.gap_min || g_ij > param.gap_max || g_ji < param.gap_min
                || g_ji > param.gap_max)
                {
                continue;
                }
            const LongReal q = p * std::abs(cos_nn);
            const LongReal s_ij = dot(d, t_i[k]);
            const LongReal s_ji = -dot(d, t_j[l]);
            const LongReal o_ij = std::min(p, s_ij + q) - std::max(-p, s_ij - q);
            const LongReal o_ji = std::min(p, s_ji + q) - std::max(-p, s_ji - q);
            if (o_ij > 0 && o_ji > 0)
                {
                total += param.overlap_mode ? LongReal(0.5) * (o_ij + o_ji) / (2 * p)
                                            : LongReal(1);
                }
            }
        }
    return -param.epsilon * total;
    }

void PairPotentialSquarePatch::setParamsPython(pybind11::tuple typ, pybind11::object params)
    {
    auto pdata = m_sysdef->getParticleData();
    auto type_i = pdata->getTypeByName(typ[0].cast<std::string>());
    auto type_j = pdata->getTypeByName(typ[1].cast<std::string>());
    ParamType param(params);
    m_params[m_type_param_index(type_i, type_j)] = param;
    m_params[m_type_param_index(type_j, type_i)] = param;
    notifyRCutChanged();
    }

pybind11::object PairPotentialSquarePatch::getParamsPython(pybind11::tuple typ)
    {
    auto pdata = m_sysdef->getParticleData();
    auto type_i = pdata->getTypeByName(typ[0].cast<std::string>());
    auto type_j = pdata->getTypeByName(typ[1].cast<std::string>());
    return m_params[m_type_param_index(type_i, type_j)].asDict();
    }

PairPotentialSquarePatch::ParamType::ParamType(pybind11::object params)
    {
    if (params.is_none())
        {
        return;
        }
    pybind11::dict v = params;
    half_width = v["half_width"].cast<LongReal>();
    half_patch = v["half_patch"].cast<LongReal>();
    gap_min = v["gap_min"].cast<LongReal>();
    gap_max = v["gap_max"].cast<LongReal>();
    cos_theta_max = v["cos_theta_max"].cast<LongReal>();
    epsilon = v["epsilon"].cast<LongReal>();
    r_cut = v["r_cut"].cast<LongReal>();
    const std::string mode = v["mode"].cast<std::string>();
    if (mode != "step" && mode != "overlap")
        {
        throw std::domain_error("mode must be 'step' or 'overlap', got '" + mode + "'");
        }
    overlap_mode = mode == "overlap";
    if (!(half_width > 0) || !(half_patch > 0) || !(r_cut > 0) || !(gap_min <= gap_max)
        || !(cos_theta_max > 0 && cos_theta_max <= 1))
        {
        throw std::domain_error("SquarePatch needs half_width, half_patch, r_cut > 0, "
                                "gap_min <= gap_max and cos_theta_max in (0, 1]");
        }
    enabled = true;
    }

pybind11::object PairPotentialSquarePatch::ParamType::asDict() const
    {
    if (!enabled)
        {
        return pybind11::none();
        }
    pybind11::dict result;
    result["half_width"] = half_width;
    result["half_patch"] = half_patch;
    result["gap_min"] = gap_min;
    result["gap_max"] = gap_max;
    result["cos_theta_max"] = cos_theta_max;
    result["epsilon"] = epsilon;
    result["r_cut"] = r_cut;
    result["mode"] = overlap_mode ? "overlap" : "step";
    return result;
    }

namespace detail
    {
void exportPairPotentialSquarePatch(pybind11::module& m)
    {
    pybind11::class_<PairPotentialSquarePatch,
                     PairPotential,
                     std::shared_ptr<PairPotentialSquarePatch>>(m, "PairPotentialSquarePatch")
        .def(pybind11::init<std::shared_ptr<SystemDefinition>>())
        .def("setParams", &PairPotentialSquarePatch::setParamsPython)
        .def("getParams", &PairPotentialSquarePatch::getParamsPython);
    }
    } // end namespace detail

    } // end namespace hpmc
    } // end namespace hoomd
