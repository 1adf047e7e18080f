"""The command line of every study (StudyProject.main): short reports of Ctrl-C and of errors.

A tiny study is written to a temporary directory and run as a user would, ``python project.py
run`` in a subprocess: an interrupt ends with one line that says how to resume (exit 130), a
failed operation with the operation's own message (exit 1), not signac-flow's exception chain.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

PROJECT = textwrap.dedent(
    """
    import os
    from hoomd_rigidfield.workflow import StudyProject

    class Project(StudyProject):
        pass

    @Project.post.true("done")
    @Project.operation
    def work(job):
        what = job.cached_statepoint["what"]
        if what == "interrupt":
            raise KeyboardInterrupt
        if what == "sleep":  # until Ctrl-C
            import time
            open("started", "w").close()
            time.sleep(60)
        if what == "fail":
            try:
                import hoomd_that_is_not_there  # noqa: F401
            except ImportError as err:
                raise RuntimeError(
                    "work needs HOOMD-blue: conda install -c conda-forge 'hoomd=4.8'"
                ) from err
        job.doc.done = True

    if __name__ == "__main__":
        Project().main()
    """
)


def make_study(path, what):
    import signac

    path.mkdir()
    (path / "project.py").write_text(PROJECT)
    signac.init_project(path).open_job({"what": what}).init()
    return path


def run(path, *args, **env):
    return subprocess.run(
        [sys.executable, "project.py", *args],
        cwd=path,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def last_line(text):
    return text.strip().splitlines()[-1]


def test_interrupt_says_how_to_resume(tmp_path):
    study = make_study(tmp_path / "study", "interrupt")
    done = run(study, "run")
    assert done.returncode == 130, done.stderr
    assert last_line(done.stderr) == (
        "interrupted: rerun `python project.py run` to resume (finished work is kept)"
    )
    assert "Traceback" not in done.stderr
    # a wrapper script names itself as the command that resumes
    done = run(study, "run", "--progress", HOOMD_RIGIDFIELD_RESUME="./scripts/run-main")
    assert done.returncode == 130
    assert last_line(done.stderr) == (
        "interrupted: rerun `./scripts/run-main` to resume (finished work is kept)"
    )


def test_ctrl_c_says_how_to_resume(tmp_path):
    study = make_study(tmp_path / "study", "sleep")
    proc = subprocess.Popen(
        [sys.executable, "project.py", "run", "--progress"],
        cwd=study,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (study / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert last_line(stderr) == (
        "interrupted: rerun `python project.py run --progress` to resume (finished work is kept)"
    )
    assert "Traceback" not in stderr


def test_failed_operation_ends_with_its_message(tmp_path):
    study = make_study(tmp_path / "study", "fail")
    done = run(study, "run")
    assert done.returncode == 1, done.stderr
    assert last_line(done.stderr) == (
        "RuntimeError: work needs HOOMD-blue: conda install -c conda-forge 'hoomd=4.8'"
    )
    # which operation failed comes first, once; flow's own wrapper exception is not shown
    assert done.stderr.startswith("An exception was raised during operation work")
    assert "UserOperationError" not in done.stderr
    assert "No module named 'hoomd_that_is_not_there'" in done.stderr  # the cause is kept


@pytest.mark.parametrize("what", ["ok"])
def test_successful_run_is_unchanged(tmp_path, what):
    study = make_study(tmp_path / "study", what)
    done = run(study, "run")
    assert done.returncode == 0, done.stderr
    assert "interrupted" not in done.stderr and "Its error" not in done.stderr


def test_a_study_operation_that_needs_hoomd_ends_with_the_install_hint(tmp_path):
    # the short_range study's quench, where HOOMD-blue is missing (hidden by the shim)
    from tests.conftest import load_project_module, run_study_without_hoomd
    from tests.shortrange.test_project_short_range import STUDY, _tiny_project

    _tiny_project(tmp_path, load_project_module(STUDY, "init"))
    assert run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "initialize").returncode == 0
    done = run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "quench", "-n", "1")
    assert done.returncode == 1
    last = last_line(done.stderr)
    assert last.startswith("RuntimeError: the quench operation runs HOOMD-blue MD."), done.stderr
    assert "requires HOOMD-blue" in last
    assert 'conda install -c conda-forge "hoomd=4.8"' in last
