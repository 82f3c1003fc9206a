#!/bin/sh
# writegate crash example: a git repository with one commit and a staged change, ready for `git commit`.
# Usage: git-setup.sh DIR [default|all]  (all: core.fsync=all with core.fsyncMethod=fsync in the repository's config)
set -eu
cd "$1"
git init -q
printf 'first line\n' > notes.txt
printf 'unchanged\n' > other.txt
git add notes.txt other.txt
git commit -q -m initial
if [ "${2:-default}" = all ]; then
  git config core.fsync all
  git config core.fsyncMethod fsync
fi
printf 'second line\n' >> notes.txt
git add notes.txt
