"""Cluster submission: ``python project.py submit --pretend`` writes valid SLURM job scripts.

Each study is initialised as a tiny signac project in ``tmp_path`` and submitted, pretending, to
two SLURM environments that signac-flow 0.29 ships, selected with ``SIGNAC_FLOW_ENVIRONMENT``
(``flow/environment.py``); a stub ``squeue`` on ``PATH`` stands in for an empty queue:

* ``DefaultSlurmEnvironment`` (template ``slurm.sh``): every operation of every job gets a
  script with ``#SBATCH`` job name, task count and walltime, whose command runs that operation
  on that job (``project.py run -o <operation> -j <job>``, under ``mpiexec`` only for MPI
  operations). The generic template has no GPU line and no GPU partition, so flow refuses GPU
  operations there (``--force`` renders them anyway, as checked here): users of a GPU cluster
  select an environment that knows its GPU partitions;
* ``GreatLakesEnvironment`` (flow's SLURM template with GPU partitions): GPU operations
  submitted to ``--partition gpu`` ask for their GPUs (``#SBATCH --gpus-per-task``), CPU
  operations on ``--partition standard`` for none.

The expected resources are each operation's directives (``hoomd_rigidfield.workflow
.directives`` or the study's own), evaluated on each job.
"""

import datetime
import os
import re
import subprocess
import sys

import pytest
from flow import aggregator

from tests.conftest import PROJECTS, load_project_module

#: Tiny projects: the init.py arguments of each study (one project per list entry).
STUDIES = {
    "binary_mie": [["--variant", "cpu"], ["--variant", "paper"]],  # small (CPU) and large (GPU)
    "fcc32": [[]],
    "mie_phase_diagram": [["--variant", "cpu"], ["--variant", "paper"]],
    "orientation_free_energy_map": [["--n-alpha", "1", "--n-gamma", "2"]],
    "orientation_phase_diagram": [["--n-alpha", "1", "--n-gamma", "1", "--replicas", "1"]],
    "pair_free_energy": [[]],
    "patchy_cubes": [[]],
    "short_range": [["--variant", "cpu"], ["--variant", "paper"]],
}


def test_every_study_is_submitted():
    assert sorted(STUDIES) == sorted(p.parent.name for p in PROJECTS.glob("*/project.py"))


def run(args, cwd, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def submit(project, environment, *args):
    """``project.py submit --pretend --ignore-conditions all`` in a SLURM environment."""
    env = dict(os.environ, SIGNAC_FLOW_ENVIRONMENT=environment)
    env["PATH"] = os.pathsep.join([str(project.stub_bin), env.get("PATH", "")])
    return run(
        [str(PROJECTS / project.study / "project.py"), "submit", "--pretend",
         "--ignore-conditions", "all", *args],
        project.path,
        env,
    )  # fmt: skip


def scripts(stdout):
    """Parsed job scripts of a pretend submission (flow prints them to stdout, one per job)."""
    out = []
    for body in stdout.split("#!/bin/bash\n")[1:]:
        sbatch = {}
        for line in re.findall(r"^#SBATCH (.+)$", body, re.MULTILINE):
            key, _, value = line.partition("=") if line.startswith("--") else line.partition(" ")
            sbatch[key] = value.strip('"')
        commands = re.findall(r"^(?!#)(.*project\.py run -o (\S+) -j (\S+))$", body, re.MULTILINE)
        assert "# Submit command: sbatch" in body
        out.append({"body": body, "sbatch": sbatch, "commands": commands})
    return out


def hours(walltime):
    h, m, s = (int(x) for x in walltime.split(":"))
    return datetime.timedelta(hours=h, minutes=m, seconds=s).total_seconds() / 3600


class TinyProject:
    """An initialised study, its jobs and each operation's directives evaluated per job."""

    def __init__(self, study, path, init_args):
        self.study, self.path, self.stub_bin = study, path, path / "bin"
        self.init_args = list(init_args)
        out = run([str(PROJECTS / study / "init.py"), *init_args], path)
        assert out.returncode == 0, out.stderr
        self.stub_bin.mkdir()
        squeue = self.stub_bin / "squeue"
        squeue.write_text("#!/bin/sh\nexit 0\n")  # no queued jobs
        squeue.chmod(0o755)
        module = load_project_module(study)
        flow_project = module.Project.get_project(str(path))
        self.jobs = sorted(job.id for job in flow_project)
        self.per_job, self.aggregate = {}, {}
        for name, group in flow_project.groups.items():
            directives = group.operation_directives[name]
            if getattr(module, name)._flow_aggregate != aggregator.groupsof(1):
                assert not any(callable(v) for v in directives.values()), name
                self.aggregate[name] = resources(directives)
            else:
                self.per_job[name] = {
                    job.id: resources(
                        {k: v(job) if callable(v) else v for k, v in directives.items()}
                    )
                    for job in flow_project
                }

    def expected(self, operation, job_id):
        if operation in self.aggregate:
            return self.aggregate[operation]
        return self.per_job[operation][job_id]

    def gpu_operations(self):
        """{operation: job ids that ask for a GPU}."""
        out = {
            name: [j for j, r in per_job.items() if r["ngpu"] > 0]
            for name, per_job in self.per_job.items()
        }
        out.update({name: ["all"] for name, r in self.aggregate.items() if r["ngpu"] > 0})
        return {name: ids for name, ids in out.items() if ids}


def resources(directives):
    """ngpu, nranks, tasks (flow's np after MPI ranks) and walltime [h] of some directives."""
    nranks = int(directives.get("nranks", 0))
    np_ = int(directives.get("np", 1))
    walltime = directives.get("walltime")
    return {
        "ngpu": int(directives.get("ngpu", 0)),
        "nranks": nranks,
        "tasks": max(np_, nranks),
        "walltime": None if walltime is None else float(walltime),
    }


@pytest.fixture(scope="module", params=[(s, i) for s, v in STUDIES.items() for i in range(len(v))],
                ids=lambda p: f"{p[0]}-{p[1]}")  # fmt: skip
def project(request, tmp_path_factory):
    study, index = request.param
    path = tmp_path_factory.mktemp(f"{study}_{index}")
    return TinyProject(study, path, STUDIES[study][index])


def test_default_slurm_scripts(project):
    out = submit(project, "DefaultSlurmEnvironment", "--force")
    assert out.returncode == 0, out.stderr
    found = scripts(out.stdout)
    submitted = set()
    for script in found:
        (line, operation, job_id), *more = script["commands"]
        assert not more, script["body"]
        submitted.add((operation, job_id))
        expected = project.expected(operation, job_id)
        sbatch = script["sbatch"]
        project_name, job, op, _ = sbatch["--job-name"].split("/")  # flow shortens long names
        assert (project_name, job) == ("Project", job_id) and operation.startswith(op)
        assert int(sbatch["--ntasks"]) == expected["tasks"]
        assert expected["walltime"] is not None, f"{project.study}: {operation} sets no walltime"
        assert hours(sbatch["-t"]) == pytest.approx(expected["walltime"], abs=1 / 3600)
        executable = f"{sys.executable} {PROJECTS / project.study / 'project.py'} run"
        launcher = f"mpiexec -n {expected['nranks']} " if expected["nranks"] else ""
        assert line == f"{launcher}{executable} -o {operation} -j {job_id}"
    every_job = {(op, j) for op in project.per_job for j in project.jobs}
    assert every_job <= submitted
    assert set(project.aggregate) <= {op for op, _ in submitted}


def test_gpu_operations_refused_without_a_gpu_partition(project):
    gpu = project.gpu_operations()
    if not gpu:
        pytest.skip(f"{project.study} {project.init_args} has no GPU operation")
    operation, job_ids = next(iter(gpu.items()))
    out = submit(project, "DefaultSlurmEnvironment", "-o", f"^{operation}$", "-j", job_ids[0])
    assert out.returncode != 0
    assert "Cannot request GPU's on nonGPU partition" in out.stderr


def test_gpu_partition_scripts_ask_for_gpus(project):
    gpu = project.gpu_operations()
    for operation, job_ids in gpu.items():
        out = submit(project, "GreatLakesEnvironment", "--partition", "gpu",
                     "-o", f"^{operation}$", "-j", *job_ids)  # fmt: skip
        assert out.returncode == 0, out.stderr
        found = scripts(out.stdout)
        assert len(found) == len(job_ids)
        for script in found:
            ((_, op, job_id),) = script["commands"]
            expected = project.expected(op, job_id)
            sbatch = script["sbatch"]
            assert sbatch["--partition"] == "gpu"
            assert int(sbatch["--gpus-per-task"]) == expected["ngpu"] > 0
            assert hours(sbatch["-t"]) == pytest.approx(expected["walltime"], abs=1 / 3600)
    cpu_only = [
        op
        for op, per_job in project.per_job.items()
        if all(r["ngpu"] == 0 for r in per_job.values())
    ] + [op for op, r in project.aggregate.items() if r["ngpu"] == 0]
    out = submit(project, "GreatLakesEnvironment", "--partition", "standard",
                 "-o", *(f"^{op}$" for op in cpu_only), "-n", "20")  # fmt: skip
    assert out.returncode == 0, out.stderr
    found = scripts(out.stdout)
    assert {op for script in found for _, op, _ in script["commands"]} <= set(cpu_only)
    assert found and all("--gpus-per-task" not in s["sbatch"] for s in found)
    assert all(s["sbatch"]["--partition"] == "standard" for s in found)
