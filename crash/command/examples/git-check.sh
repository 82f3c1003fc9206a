#!/bin/sh
# writegate crash example checker: the repository passes `git fsck --full` and HEAD is either the
# commit before `git commit` ran ("initial") or the one it made ("change"). Exit 0 consistent, 1 not.
cd "$1" || exit 2
if ! said=$(git fsck --full --no-progress 2>&1); then
  printf 'git fsck --full failed: %s\n' "$(printf '%s\n' "$said" | head -n 1)"
  exit 1
fi
if ! subject=$(git log -1 --format=%s HEAD 2>&1); then
  printf 'HEAD does not resolve to a commit: %s\n' "$(printf '%s\n' "$subject" | head -n 1)"
  exit 1
fi
case "$subject" in
  initial | change) exit 0 ;;
  *) printf 'HEAD is neither the old commit nor the new one: %s\n' "$subject"; exit 1 ;;
esac
