"""The newcomer path: every README snippet runs as written, every path the docs name exists.

Python blocks (```python) of ``README.md``, ``projects/*/README.md`` and ``analysis/README.md``
are found automatically (a new section is tested without editing this file). Each block runs
alone, in a fresh subprocess in an empty temporary directory, so it must be self-contained
(its own imports) and fast (seconds: small sizes, with the paper-scale cost in a comment).

Marker: a block that contains the comment ``# needs HOOMD-blue`` runs only where ``import hoomd``
works and is skipped with the install hint elsewhere; ``# needs HOOMD-blue +
hoomd.rigidfield_patchy`` also needs the compiled component. Every other block runs with HOOMD-blue
hidden (``tests/without_hoomd``), which checks that the HOOMD-free part really is HOOMD-free.

The python blocks of ``docs/*.md`` are excerpts of longer programs and are not run; the paths
named in all these files (inline code and links starting with a folder of the repository) must
exist, and the commands of the README's bash blocks must be there and executable as written.
"""

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import HOOMD_SKIP_REASON, env_without_hoomd

ROOT = Path(__file__).resolve().parents[1]
#: Files whose python blocks run.
RUN_FILES = [
    ROOT / "README.md",
    *sorted(ROOT.glob("projects/*/README.md")),
    ROOT / "analysis/README.md",
]
#: Files whose named paths must exist.
PATH_FILES = [*RUN_FILES, *sorted(ROOT.glob("docs/*.md"))]
MARKER = "# needs HOOMD-blue"
COMPONENT_MARKER = "# needs HOOMD-blue + hoomd.rigidfield_patchy"
#: Seconds a block may take (the machine may be shared; the blocks take seconds).
TIMEOUT = 300

BLOCK = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks(path: Path, language: str) -> list[tuple[int, str]]:
    """``(line, text)`` of the fenced blocks of a language in a Markdown file."""
    text = path.read_text()
    return [
        (text.count("\n", 0, m.start()) + 1, m.group(2))
        for m in BLOCK.finditer(text)
        if m.group(1) == language
    ]


def _id(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


PYTHON_BLOCKS = [(p, line, code) for p in RUN_FILES for line, code in blocks(p, "python")]


def _hoomd_importable() -> bool:
    return importlib.util.find_spec("hoomd") is not None and _imports("import hoomd")


def _imports(statement: str) -> bool:
    done = subprocess.run([sys.executable, "-c", statement], capture_output=True, timeout=120)
    return done.returncode == 0


def test_readme_has_runnable_blocks():
    # the field-theory, Monte Carlo, Mie (with and without HOOMD) and patchy blocks at least
    readme = [b for b in PYTHON_BLOCKS if b[0] == ROOT / "README.md"]
    assert len(readme) >= 6
    assert sum(MARKER not in code for _, _, code in readme) >= 4  # HOOMD-free parts


@pytest.mark.parametrize(
    "path, line, code", PYTHON_BLOCKS, ids=[_id(p, line) for p, line, _ in PYTHON_BLOCKS]
)
def test_python_block_runs_alone(path, line, code, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    if MARKER in code:
        if not _hoomd_importable():
            pytest.skip(HOOMD_SKIP_REASON)
        if COMPONENT_MARKER in code and not _imports("import hoomd.rigidfield_patchy"):
            pytest.skip(
                "the square-patch component hoomd.rigidfield_patchy is not built (README, "
                "Installing: cmake -B build -S . && cmake --build build && cmake --install build)"
            )
    else:
        env = env_without_hoomd() | {"MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
    (tmp_path / "snippet.py").write_text(code)
    done = subprocess.run(
        [sys.executable, "snippet.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0, f"{_id(path, line)}:\n{code}\n{done.stderr[-3000:]}"


# --- paths and commands -----------------------------------------------------------------------

#: First components of the paths worth checking: the repository's folders, and ``shared/``
#: (notes of the authors that are not in the repository; no document may point there).
TOP = {p.name for p in ROOT.iterdir() if p.is_dir() and p.name not in (".git", ".venv")} | {
    "shared"
}
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
PATHISH = re.compile(r"^(?:\.\./)*\.?[\w.-]+/[\w./*-]*$")


def named_paths(path: Path) -> list[tuple[str, Path]]:
    """``(as written, resolved)`` of the repository paths named in a Markdown file."""
    text = BLOCK.sub("", path.read_text())  # code blocks hold commands, checked below
    out = []
    for token in CODE.findall(text):
        for word in token.split():
            if "..." in word:
                continue
            word = word.rstrip(",.;:)")
            # a file (with a suffix) or a folder (ending in /); not log keys such as
            # `hoomd_rigidfield/frozen` or `.../Compression/...`
            is_file_or_folder = re.search(r"\.\w+$", word) or word.endswith("/")
            if PATHISH.match(word) and word.split("/")[0] in TOP:
                if is_file_or_folder:
                    out.append((word, ROOT / word))
    for target in LINK.findall(text):
        if "://" in target:
            continue
        resolved = (path.parent / target).resolve()
        if PATHISH.match(target) or resolved.is_relative_to(ROOT):
            out.append((target, resolved))
    return out


@pytest.mark.parametrize("path", PATH_FILES, ids=[str(p.relative_to(ROOT)) for p in PATH_FILES])
def test_named_paths_exist(path):
    missing = [
        word
        for word, resolved in named_paths(path)
        if not (resolved.exists() or ("*" in word and list(ROOT.glob(word))))
        or not resolved.is_relative_to(ROOT)
    ]
    assert not missing, f"{path.relative_to(ROOT)} names paths that are not in the repository"


def bash_commands(path: Path) -> list[list[str]]:
    """The commands of the bash blocks (comments dropped, one list of words per command)."""
    commands = []
    for _, code in blocks(path, "bash"):
        for raw in code.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            for part in re.split(r"&&|\|\||;", line):
                words = shlex.split(part.replace("<", "'<").replace(">", ">'"))
                while words and re.match(r"^\w+=", words[0]):  # VAR=value command
                    words = words[1:]
                if words:
                    commands.append(words)
    return commands


def test_readme_bash_commands_exist():
    commands = bash_commands(ROOT / "README.md")
    assert ["./scripts/run-main"] in commands and ["./scripts/run-tests"] in commands
    for words in commands:
        program = words[0]
        if program.startswith("./"):
            assert os.access(ROOT / program, os.X_OK), f"{program} is not an executable file"
        elif program == "python" and words[1] == "-m":
            assert importlib.util.find_spec(words[2]) is not None, words
        elif program == "python" and words[1] != "-c":
            assert (ROOT / words[1]).is_file(), words
        else:
            assert program in ("pip", "cmake", "python", "conda"), f"unexpected command {words}"


def test_named_scripts_run_as_written():
    # the README writes `benchmarks/x.py [options]` (not `python benchmarks/x.py`): each script
    # so named is executable and starts with a shebang
    named = set()
    for path in RUN_FILES:
        text = path.read_text()
        named |= set(re.findall(r"(?<![\w/])((?:benchmarks|scripts|analysis)/[\w.-]+\.py)\b", text))
        named -= set(
            re.findall(r"python (?:\S+/)?((?:benchmarks|scripts|analysis)/[\w.-]+\.py)", text)
        )
    assert any(n.startswith("benchmarks/") for n in named)
    for name in sorted(named):
        script = ROOT / name
        assert script.is_file(), f"{name} is named but missing"
        assert script.read_text().startswith("#!/usr/bin/env python"), f"{name}: no shebang"
        assert os.access(script, os.X_OK), f"{name} is not executable (chmod +x)"
