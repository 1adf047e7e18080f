"""The table and output-path helpers of the aggregate ``plot`` operations."""

import csv
import io

import pytest
import signac

from hoomd_rigidfield.workflow import group_output_path, write_table


def test_write_table_round_trips_through_csv_reader(tmp_path):
    header = ["alpha", "gamma", "F_face-to-face_per_nc", "phase", "resolved"]
    rows = [
        [1.8, 1.1, f"{-123.45678:.3f}", "edge-to-edge", True],
        [4.0, 2.5, "", None, False],  # None is an empty field, as csv.writer writes it
        [3.0, 1.1, "a, b", 'say "hi"', 7],  # quoted where csv's default dialect quotes
    ]
    path = tmp_path / "table.csv"
    assert write_table(path, header, iter(rows)) == path
    with path.open(newline="") as f:
        got = list(csv.reader(f))
    assert got[0] == header
    assert got[1:] == [["1.8", "1.1", "-123.457", "edge-to-edge", "True"],
                       ["4.0", "2.5", "", "", "False"],
                       ["3.0", "1.1", "a, b", 'say "hi"', "7"]]  # fmt: skip


def test_write_table_writes_the_bytes_of_a_plain_csv_writer(tmp_path):
    header, rows = ["lam", "step", "F"], [[500.0, 3, f"{-1.5:.6f}"], [1000.0, 4, "x,y"]]
    expected = io.StringIO(newline="")
    out = csv.writer(expected)
    out.writerow(header)
    for row in rows:
        out.writerow(row)
    path = write_table(str(tmp_path / "t.csv"), header, rows)
    assert path.read_bytes() == expected.getvalue().encode()
    assert path.read_bytes() == b'lam,step,F\r\n500.0,3,-1.500000\r\n1000.0,4,"x,y"\r\n'


def test_write_table_checks_every_row_before_writing(tmp_path):
    path = tmp_path / "bad.csv"
    with pytest.raises(ValueError, match=r"rows\[1\] has 2 values but header has 3 columns"):
        write_table(path, ["a", "b", "c"], [[1, 2, 3], [1, 2]])
    assert not path.exists()  # no partial table
    with pytest.raises(TypeError, match="header must be a sequence"):
        write_table(path, "abc", [])
    with pytest.raises(TypeError, match=r"rows\[0\] must be a sequence"):
        write_table(path, ["a", "b", "c"], ["abc"])
    with pytest.raises(ValueError, match="header must name at least one column"):
        write_table(path, [], [])
    assert not path.exists()
    # a header alone is a valid (empty) table
    assert write_table(path, ["a"], []).read_text() == "a\n"


def test_group_output_path_is_in_the_project_directory(tmp_path):
    project = signac.init_project(path=str(tmp_path))
    jobs = [project.open_job({"alpha": a}).init() for a in (1.8, 4.0)]
    path = group_output_path(jobs, "phase_map_n64_c1_s57.png")
    assert path == tmp_path / "phase_map_n64_c1_s57.png"
    assert path.with_suffix(".csv").parent == tmp_path
    assert group_output_path(tuple(jobs[::-1]), "x.csv") == tmp_path / "x.csv"
    with pytest.raises(ValueError, match="jobs must hold at least one job"):
        group_output_path([], "x.png")
    for bad in ("sub/x.png", "", "..", "/tmp/x.png"):
        with pytest.raises(ValueError, match="name must be a file name"):
            group_output_path(jobs, bad)


def test_group_output_is_stale_when_jobs_are_added_or_their_results_change(tmp_path):
    from hoomd_rigidfield.workflow import group_output_current, record_group_output

    project = signac.init_project(path=str(tmp_path))
    jobs = [project.open_job({"alpha": a}).init() for a in (1.8, 4.0)]
    figure = tmp_path / "map.png"
    assert not group_output_current(jobs, figure)  # nothing drawn yet
    figure.write_bytes(b"png")
    assert not group_output_current(jobs, figure)  # drawn, but no record of what it shows
    manifest = record_group_output(jobs, figure)
    assert manifest == tmp_path / "map.png.jobs.json"
    assert group_output_current(jobs, figure)
    assert group_output_current(jobs[::-1], figure)  # the order of the group does not matter
    added = [*jobs, project.open_job({"alpha": 3.0}).init()]
    assert not group_output_current(added, figure)  # a job was added to the group
    assert not group_output_current(jobs[:1], figure)  # or removed from it
    jobs[0].doc["phase"] = "diagonal"
    assert not group_output_current(jobs, figure)  # a result changed after the figure
    record_group_output(jobs, figure)
    assert group_output_current(jobs, figure)
    manifest.write_text("{not json")
    assert not group_output_current(jobs, figure)  # an unreadable record is never current
    figure.unlink()
    assert not group_output_current(jobs, figure)
    with pytest.raises(ValueError, match="at least one job"):
        record_group_output([], figure)


def test_jobs_whose_state_point_was_edited_are_cleared_and_run_afresh(tmp_path, capsys):
    from hoomd_rigidfield.workflow import RESULTS_STATEPOINT, reset_edited_jobs

    project = signac.init_project(path=str(tmp_path))
    kept, edited = (project.open_job({"lam": lam, "kT": 1.0}).init() for lam in (500.0, 700.0))
    assert reset_edited_jobs(project) == []  # first sight: each job records its state point
    assert kept.doc[RESULTS_STATEPOINT] == {"lam": 500.0, "kT": 1.0}
    for job in (kept, edited):
        job.doc["sampled"] = True
        with open(job.fn("checkpoint.gsd"), "w") as f:
            f.write("chain")
        (tmp_path / job.path / "frames").mkdir()
    edited.update_statepoint({"lam": 1000.0}, overwrite=True)  # moves files and document along
    assert edited.isfile("checkpoint.gsd") and edited.doc["sampled"]
    lines = reset_edited_jobs(project)
    assert len(lines) == 1 and f"job {edited.id}" in lines[0] and "lam: 700.0 -> 1000.0" in lines[0]
    assert lines[0] in capsys.readouterr().err
    assert dict(edited.doc) == {RESULTS_STATEPOINT: {"lam": 1000.0, "kT": 1.0}}
    assert sorted(p.name for p in (tmp_path / edited.path).iterdir()) == [
        "signac_job_document.json",
        "signac_statepoint.json",
    ]
    assert kept.doc["sampled"] and kept.isfile("checkpoint.gsd")  # untouched
    assert reset_edited_jobs(project) == []  # and nothing more to do
