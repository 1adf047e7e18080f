# Sourced by the run-* scripts: creates .venv (Python >= 3.11) and installs the package with its
# test extra when pyproject.toml changed since the last install. Idempotent and quiet.
#
# HOOMD-blue (optional, docs/hoomd.md) is whatever .venv/bin/python imports:
# - installed into the Python that makes .venv (a conda environment): .venv is then made with
#   --system-site-packages so that it sees HOOMD-blue and the numpy it was built against;
# - a source build: name the directory that holds its `hoomd` package (one directory) in
#   HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH; it goes first on PYTHONPATH;
# - or anything already on PYTHONPATH, or installed into .venv itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "hoomd_rigidfield needs Python >= 3.11 (found $("$python" --version)); set PYTHON=..." >&2
  exit 1
}
if [ ! -x .venv/bin/python ]; then
  if env -u PYTHONPATH "$python" -c 'import hoomd' > /dev/null 2>&1; then
    echo "HOOMD-blue is installed in $python: .venv sees its site-packages" >&2
    "$python" -m venv --system-site-packages .venv
  else
    "$python" -m venv .venv
  fi
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp" ]; then
  echo "setting up .venv (one time) ..." >&2
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[test]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
if [ -n "${HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH:-}" ]; then
  [ -d "$HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH/hoomd" ] \
    || echo "HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH=$HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH has no hoomd/" >&2
  case ":${PYTHONPATH:-}:" in
    *":$HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH:"*) ;;
    *) export PYTHONPATH="$HOOMD_RIGIDFIELD_HOOMD_PYTHONPATH${PYTHONPATH:+:$PYTHONPATH}" ;;
  esac
fi
export MPLBACKEND=Agg
