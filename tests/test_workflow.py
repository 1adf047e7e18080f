import numpy as np
import pytest

from hoomd_rigidfield.backend import cupy_available
from hoomd_rigidfield.workflow import array_backend, directives, versions


def test_directives():
    assert directives() == {"np": 1}
    assert directives(gpu=True, walltime=2, cores=4) == {"np": 4, "ngpu": 1, "walltime": 2.0}
    with pytest.raises(ValueError, match="cores"):
        directives(cores=0)
    with pytest.raises(ValueError, match="walltime"):
        directives(walltime=-1.0)


def test_backend_and_versions():
    assert array_backend() == ("cupy" if cupy_available() else "numpy")
    v = versions()
    assert {"hoomd-rigidfield", "numpy", "scipy", "gsd", "signac-flow"} <= set(v)
    assert v["numpy"] == np.__version__


def test_init_jobs_is_idempotent(tmp_path, capsys):
    from hoomd_rigidfield.workflow import init_jobs

    sps = [{"alpha": 3.0}, {"alpha": 4.0}]
    init_jobs(str(tmp_path), sps)
    project = init_jobs(str(tmp_path), sps)
    assert len(project) == 2 and "2 jobs" in capsys.readouterr().out
