#!/bin/sh
# The project owns its documents: no tracked file may point at a folder
# outside the repository (../shared) or at an absolute path of one machine
# (/work/..., /home/..., /root/...). Facts from papers are cited by paper.
# Prints every offending line and exits 1 if there is one.
# usage: check_paths.sh [REPO]
cd "${1:-$(dirname "$0")/..}" || exit 2
pattern='\.\./shared|(^|[^A-Za-z0-9_.~/-])/(work|home|root)/'
if git grep -nE "$pattern" -- . ':!scripts/check_paths.sh' ':!fuzz/corpus'; then
  echo "check_paths: the lines above point outside the project" >&2
  exit 1
fi
echo "check_paths: no tracked file points outside the project"
