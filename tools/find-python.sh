#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter. The machine's default python3 may be
# older (3.11 here), and pyenv's shims refuse versions that are not activated, so look on
# PATH first and then straight into pyenv's versions folder.
set -euo pipefail

is_recent() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

for name in python3.14 python3.13 python3.12 python3; do
    candidate=$(command -v "$name" 2>/dev/null) || continue
    if is_recent "$candidate"; then echo "$candidate"; exit 0; fi
done

pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
if command -v pyenv >/dev/null 2>&1; then pyenv_root=$(pyenv root); fi
for candidate in $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -Vr); do
    if is_recent "$candidate"; then echo "$candidate"; exit 0; fi
done

echo "No Python 3.12 or newer found (looked on PATH and in $pyenv_root/versions)." >&2
exit 1
