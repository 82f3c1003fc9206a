#!/usr/bin/env bash
# The action's install step: strace where the command needs it (only when absent), then writegate:
# the npm release of this exact checkout when there is one, else a build of the checkout itself.
# Prints the writegate executable as the step output `bin`. A second use in one job reuses it.
set -euo pipefail
action_path=${GITHUB_ACTION_PATH:?install.sh runs inside the writegate action (GITHUB_ACTION_PATH is unset)}
command=${WG_COMMAND:-gate}

# parity and hook run git and the hook, not strace; the writer suites trace every write.
case "$command" in
  gate | compare | bench | crash)
    if ! command -v strace >/dev/null 2>&1; then
      if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null 2>&1; then
        sudo=()
        if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
        echo "writegate: installing strace"
        if ! { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends strace; }; then
          echo "::warning title=writegate::could not install strace; writegate will say what it cannot run without it"
        fi
      else
        echo "::warning title=writegate::strace is not installed and this runner has no apt-get; $command needs it (writegate runs on Linux)"
      fi
    fi
    ;;
esac

# writegate itself: the release built from exactly this checkout's sources, with production
# dependencies only (no TypeScript, no test tools, no tsc). Its dist/ says which sources it was built
# from; a package whose digest differs (a commit between releases, `uses: ./`) is not this action's
# code, and then, and only then, this checkout is built from source.
version=$(node -p 'require(process.argv[1]).version' "$action_path/package.json")
digest=$(node "$action_path/action/source-digest.mjs" "$action_path")
package=${WG_PACKAGE:-}
outputs=${GITHUB_OUTPUT:-/dev/null}
prefix="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/writegate-action-${digest:0:16}"
installed_bin="$prefix/node_modules/writegate/dist/cli/bin.js"
built_from() { cat "$1/dist/source-digest.txt" 2>/dev/null || true; }

use() {
  echo "bin=$1" >> "$outputs"
  echo "writegate: $2"
}

source_stamp="$action_path/dist/.writegate-action-build"
source_key="node $(node --version); $digest"
if [ -f "$installed_bin" ] && [ "$(built_from "$prefix/node_modules/writegate")" = "$digest" ]; then
  use "$installed_bin" "already installed in this job ($(node "$installed_bin" --version))"
  exit 0
fi
if [ -z "$package" ] || [ "$package" = source ]; then
  if [ -f "$action_path/dist/cli/bin.js" ] && [ "$(cat "$source_stamp" 2>/dev/null)" = "$source_key" ]; then
    use "$action_path/dist/cli/bin.js" "already built in this job ($(node "$action_path/dist/cli/bin.js" --version))"
    exit 0
  fi
fi

# npm's own cache (~/.npm, kept between runs by the step before) serves a second job; no install
# script runs, and nothing is installed but writegate and what it needs at run time.
install_package() {
  rm -rf "$prefix"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --omit=dev --ignore-scripts --no-audit --no-fund --no-save --prefer-offline "$1" 2> "$prefix/npm-stderr"
}

build_from_source() {
  cd "$action_path"
  # Install scripts are skipped: writegate's dependencies are plain JavaScript, and the build is tsc.
  npm ci --include=dev --ignore-scripts --no-audit --no-fund --prefer-offline
  npm run build
  printf '%s\n' "$source_key" > "$source_stamp"
  use "$action_path/dist/cli/bin.js" "built $(node dist/cli/bin.js --version) from this checkout's sources, with node $(node --version)"
}

case "$package" in
  source)
    echo "writegate: package: source, so this checkout is built"
    build_from_source
    ;;
  '')
    if install_package "writegate@$version"; then
      if [ "$(built_from "$prefix/node_modules/writegate")" = "$digest" ]; then
        use "$installed_bin" "installed the release writegate@$version from npm"
      else
        echo "writegate: writegate@$version on npm was built from other sources than this checkout (a commit after the release?), so this checkout is built"
        rm -rf "$prefix"
        build_from_source
      fi
    elif grep -Eq 'E404|ETARGET' "$prefix/npm-stderr"; then
      echo "writegate: writegate@$version is not on npm (an unreleased version), so this checkout is built"
      rm -rf "$prefix"
      build_from_source
    else
      cat "$prefix/npm-stderr" >&2
      echo "::error title=writegate::could not install writegate@$version from npm (see the lines above)"
      exit 1
    fi
    ;;
  *)
    if [ -f "$package" ]; then package=$(realpath "$package"); fi
    # A packed writegate (a tarball path or URL): it must be this action's own build, or the action's
    # scripts would read the output of another version.
    if ! install_package "$package"; then
      cat "$prefix/npm-stderr" >&2
      echo "::error title=writegate::input package: could not install $package (see the lines above)"
      exit 2
    fi
    if [ "$(built_from "$prefix/node_modules/writegate")" != "$digest" ]; then
      echo "::error title=writegate::input package: $package was not built from this action's sources; use the release that matches the action's version ($version), or package: source"
      exit 2
    fi
    use "$installed_bin" "installed $package"
    ;;
esac
