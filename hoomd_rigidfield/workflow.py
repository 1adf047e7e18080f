"""Helpers shared by the signac-flow studies under ``projects/``.

signac-flow 0.29 warns that its directive names will change; every study builds its directives
here so that a rename touches one place.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.metadata
import json
import shutil
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import signac
from flow import FlowProject

from hoomd_rigidfield.backend import cupy_available
from hoomd_rigidfield.validation import check_int


def array_backend() -> str:
    """Array backend for field solves: ``"cupy"`` where CuPy and a GPU work, else ``"numpy"``.

    Returns:
        str: Backend name for :class:`~hoomd_rigidfield.FieldSolver`.
    """
    return "cupy" if cupy_available() else "numpy"


def directives(
    *, gpu: bool = False, walltime: float | None = None, cores: int = 1
) -> dict[str, Any]:
    """signac-flow directives for an operation.

    Args:
        gpu (bool): Ask the scheduler for one GPU (operations still run on the CPU without one).
        walltime (float): Wall-clock limit [hours].
        cores (int): CPU cores (threads) the operation uses.

    Returns:
        dict: Directives for ``@Project.operation(directives=...)``.
    """
    if int(cores) != cores or cores < 1:
        raise ValueError(f"cores must be a positive integer, got {cores!r}")
    # No ``omp_num_threads``: it makes flow run the operation in a subprocess of project.py.
    out: dict[str, Any] = {"np": int(cores)}
    if gpu:
        out["ngpu"] = 1
    if walltime is not None:
        if not walltime > 0:
            raise ValueError(f"walltime must be positive (hours), got {walltime!r}")
        out["walltime"] = float(walltime)
    return out


def versions() -> dict[str, str]:
    """Versions of the software that produced a result, for job documents.

    Returns:
        dict[str, str]: Distribution name to version (missing optional ones are left out).
    """
    out = {}
    for name in (
        "hoomd-rigidfield",
        "numpy",
        "scipy",
        "gsd",
        "signac",
        "signac-flow",
        "freud-analysis",
        "cupy-cuda12x",
    ):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    if "hoomd" in sys.modules:  # conda and source builds of HOOMD-blue carry no pip metadata
        out["hoomd"] = str(sys.modules["hoomd"].version.version)
    return out


def init_jobs(path: str, statepoints: Any) -> Any:
    """Create (idempotently) a signac project and its jobs, and say how many it holds.

    Args:
        path (str): Project directory.
        statepoints: Iterable of state-point dicts.

    Returns:
        signac.Project: The project.
    """
    project = signac.init_project(path=path)
    for sp in statepoints:
        project.open_job(sp).init()
    print(f"{len(project)} jobs in {project.path}")
    return project


def count_or_default(name: str, value: int | None, default: int) -> int:
    """A study's count option: ``default`` when absent, else a positive integer (0 is refused).

    Args:
        name (str): Option name (e.g. ``"n_alpha"``).
        value (int): The value given (``None``: not given).
        default (int): The variant's own value.

    Returns:
        int: ``value`` or ``default``.

    Raises:
        ValueError: If ``value`` is given and is not a positive integer.
    """
    return default if value is None else check_int(name, value, 1)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def init_main(
    description: str,
    variants: Iterable[str],
    job_statepoints: Callable[..., Iterable[Mapping[str, Any]]],
    *,
    default: str,
    counts: Sequence[str] = (),
    argv: list[str] | None = None,
) -> Any:
    """The ``main()`` of a study's ``init.py``: parse ``--variant``, counts and ``--path``, init jobs.

    Args:
        description (str): The script's docstring (its first line is the help text).
        variants: Names of the study's variants.
        job_statepoints: Called as ``job_statepoints(variant, *counts)``; yields state points.
        default (str): Default variant.
        counts (Sequence[str]): Optional positive-integer flags passed on in order, e.g.
            ``("--n-alpha", "--n-gamma")`` (absent: ``None``, the variant's own value).
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).

    Returns:
        signac.Project: The project.
    """
    variants = sorted(variants)
    if default not in variants:
        raise ValueError(f"default variant {default!r} is not one of {variants}")
    parser = argparse.ArgumentParser(description=description.strip().splitlines()[0])
    parser.add_argument("--variant", choices=variants, default=default)
    for flag in counts:
        parser.add_argument(flag, type=_positive_int, default=None)
    parser.add_argument("--path", default=".")
    args = parser.parse_args(argv)
    values = [getattr(args, flag.lstrip("-").replace("-", "_")) for flag in counts]
    return init_jobs(args.path, job_statepoints(args.variant, *values))


def group_output_path(jobs: Sequence[Any], name: str) -> Path:
    """Where an aggregate operation writes a file of its group of jobs: the project directory.

    Args:
        jobs (Sequence[signac.job.Job]): The jobs of the group (all of one project).
        name (str): File name, without a directory (e.g. ``"phase_map_n64_c1_s57.png"``).

    Returns:
        pathlib.Path: ``<project directory>/<name>``.
    """
    if len(jobs) == 0:
        raise ValueError(f"jobs must hold at least one job, got {jobs!r}")
    if not isinstance(name, str) or not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"name must be a file name without a directory, got {name!r}")
    return Path(jobs[0].project.path) / name


def write_table(path: str | Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write the table of an aggregate operation: a header line, then one line per row (CSV).

    Values go to :func:`csv.writer` as they are (default dialect, minimal quoting, ``"\\r\\n"``
    line ends; ``None`` becomes an empty field), so format numbers before, e.g. ``f"{x:.3f}"``.
    Every row is checked before the file is opened: a bad row leaves no partial table.

    Args:
        path (str | pathlib.Path): CSV file to (over)write.
        header (Sequence[str]): Column names.
        rows (Iterable[Sequence]): Rows of ``len(header)`` values each.

    Returns:
        pathlib.Path: ``path``.
    """
    if isinstance(header, str):
        raise TypeError(f"header must be a sequence of column names, got the string {header!r}")
    header = list(header)
    if not header:
        raise ValueError(f"header must name at least one column, got {header!r}")
    checked = []
    for i, row in enumerate(rows):
        if isinstance(row, str):
            raise TypeError(f"rows[{i}] must be a sequence of values, got the string {row!r}")
        row = list(row)
        if len(row) != len(header):
            raise ValueError(
                f"rows[{i}] has {len(row)} values but header has {len(header)} columns: "
                f"rows[{i}] = {row!r}, header = {header!r}"
            )
        checked.append(row)
    path = Path(path)
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        out.writerows(checked)
    return path


def _group_record(jobs: Sequence[Any]) -> dict[str, str]:
    """Job id -> SHA-256 of the job document (sorted JSON) for every job of a group."""
    out = {}
    for job in jobs:
        text = json.dumps(_plain(job.document), sort_keys=True, default=str)
        out[job.id] = hashlib.sha256(text.encode()).hexdigest()
    return dict(sorted(out.items()))


def _manifest_path(path: str | Path) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".jobs.json")


def record_group_output(jobs: Sequence[Any], path: str | Path) -> Path:
    """Write the manifest of an aggregate output: which jobs, with which documents, it shows.

    Call it after writing ``path`` (a figure or table of the group); :func:`group_output_current`
    then tells a post-condition whether ``path`` still describes exactly these jobs. The
    manifest is ``<path>.jobs.json`` next to it.

    Args:
        jobs (Sequence[signac.job.Job]): The jobs the output describes.
        path (str | pathlib.Path): The output file.

    Returns:
        pathlib.Path: The manifest.
    """
    if len(jobs) == 0:
        raise ValueError(f"jobs must hold at least one job, got {jobs!r}")
    manifest = _manifest_path(path)
    manifest.write_text(json.dumps({"output": Path(path).name, "jobs": _group_record(jobs)}))
    return manifest


def group_output_current(jobs: Sequence[Any], path: str | Path) -> bool:
    """Whether ``path`` exists and shows exactly ``jobs`` as their documents are now.

    A figure made before jobs were added to its group, or before a job's results changed, is
    stale: the plot operation runs again (this is the post-condition of every study's
    aggregate plot).

    Args:
        jobs (Sequence[signac.job.Job]): The group's jobs now.
        path (str | pathlib.Path): The output file.

    Returns:
        bool: ``True`` when ``path`` and its manifest exist and the manifest names the same
        jobs with the same documents.
    """
    manifest = _manifest_path(path)
    if not Path(path).is_file() or not manifest.is_file():
        return False
    try:
        recorded = json.loads(manifest.read_text())["jobs"]
    except (ValueError, KeyError, TypeError):
        return False
    return recorded == _group_record(jobs)


#: Job-document key of the state point that a job's results were computed for.
RESULTS_STATEPOINT = "results_statepoint"


def _plain(value: Any) -> Any:
    """A signac state point or document value as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    return value


def reset_edited_jobs(project: Any) -> list[str]:
    """Clear the results of jobs whose state point was edited after they were computed.

    ``job.update_statepoint`` moves a job's directory, files and document to the new state
    point; its checkpoints, trajectories and results then belong to another model. Every job
    records the state point of its results (:data:`RESULTS_STATEPOINT`); a job whose record
    differs from its state point loses its document and files (everything but
    ``signac_statepoint.json``) and runs afresh. A job without a record (new, or made before
    records existed) is recorded as it is.

    Args:
        project (signac.Project): The study's project.

    Returns:
        list[str]: One line per reset job (also printed to stderr).
    """
    lines = []
    for job in project:
        sp = _plain(job.cached_statepoint)
        recorded = job.doc.get(RESULTS_STATEPOINT)
        if recorded is None:
            job.doc[RESULTS_STATEPOINT] = sp
            continue
        recorded = _plain(recorded)
        if recorded == sp:
            continue
        changed = sorted(k for k in set(sp) | set(recorded) if sp.get(k) != recorded.get(k))
        job.doc.clear()
        for path in Path(job.path).iterdir():
            if path.name == "signac_statepoint.json":
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        job.doc[RESULTS_STATEPOINT] = sp
        line = (
            f"job {job.id}: state point edited after its results were computed "
            f"({', '.join(f'{k}: {recorded.get(k)!r} -> {sp.get(k)!r}' for k in changed)}); "
            "its results and files were cleared and it runs afresh"
        )
        print(line, file=sys.stderr)
        lines.append(line)
    return lines


class StudyProject(FlowProject):
    """The FlowProject of every study: jobs whose state point was edited run afresh.

    Before ``run``, ``submit`` and ``status`` it calls :func:`reset_edited_jobs`, so that a
    job moved by ``job.update_statepoint`` never resumes the checkpoint or keeps the results
    of its old state point.

    Its command line (:meth:`main`) ends an interrupt (Ctrl-C) with one line that says how to
    resume, and an operation's error with that error's message, as the last line of stderr.
    """

    #: Environment variable naming the command that resumes an interrupted run (the default is
    #: the interrupted command itself, e.g. ``python project.py run``); ``scripts/run-main``
    #: sets it to itself.
    RESUME_VARIABLE = "HOOMD_RIGIDFIELD_RESUME"

    def main(self, parser: Any = None) -> None:
        """:meth:`flow.FlowProject.main`, with short reports of interrupts and failed operations.

        - Ctrl-C (``KeyboardInterrupt``): prints ``interrupted: rerun `<command>` to resume
          (finished work is kept)`` instead of a traceback and exits with status 130.
        - An operation raised: prints which operation and job failed, then the traceback of the
          operation's own exception (not signac-flow's frames around it), so that the last line
          is that exception's message; exits with status 1. ``--debug`` re-raises as flow does.

        Args:
            parser (argparse.ArgumentParser): As for :meth:`flow.FlowProject.main`.
        """
        import os
        import shlex
        import traceback

        from flow.errors import UserOperationError

        try:
            super().main(parser)
        except KeyboardInterrupt:
            command = os.environ.get(self.RESUME_VARIABLE) or shlex.join(["python", *sys.argv])
            sys.stderr.flush()
            print(
                f"interrupted: rerun `{command}` to resume (finished work is kept)",
                file=sys.stderr,
            )
            raise SystemExit(130) from None
        except UserOperationError as error:
            if "--debug" in sys.argv:
                raise
            cause = error.__cause__ or error.__context__
            print(f"{error} Its error:", file=sys.stderr)
            if cause is None:
                raise SystemExit(1) from None
            traceback.print_exception(cause, file=sys.stderr)
            raise SystemExit(1) from None

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Reset edited jobs, then :meth:`flow.FlowProject.run`."""
        reset_edited_jobs(self)
        return super().run(*args, **kwargs)

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        """Reset edited jobs, then :meth:`flow.FlowProject.submit`."""
        reset_edited_jobs(self)
        return super().submit(*args, **kwargs)

    def print_status(self, *args: Any, **kwargs: Any) -> Any:
        """Reset edited jobs, then :meth:`flow.FlowProject.print_status`."""
        reset_edited_jobs(self)
        return super().print_status(*args, **kwargs)
