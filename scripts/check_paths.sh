#!/bin/sh
# The project owns its documents: no tracked file may point at the planning
# folder that sits beside the repository, or at an absolute path of one
# machine (under the work, home or root folders). Facts from papers are cited
# by paper. Prints every offending line and exits 1 if there is one.
# usage: check_paths.sh [REPO]
cd "${1:-$(dirname "$0")/..}" || exit 2
sibling='\.\./'shared # spelled in two parts, so this file does not match itself
pattern="$sibling|(^|[^A-Za-z0-9_.~/-])/(work|home|root)/"
if git grep -nE "$pattern" -- . ':!fuzz/corpus'; then
  echo "check_paths: the lines above point outside the project" >&2
  exit 1
fi
echo "check_paths: no tracked file points outside the project"
