#!/usr/bin/env bash
# Brings the browser test's axe-core from npm at build time, pinned and integrity-checked by package-lock.json,
# so no third-party file is kept in the repository. Maven runs it before the tests (pom.xml):
#   install.sh <npm dir> <test classes dir>
# npm ci runs once per lock file; the files the tests load are then copied onto the test classpath.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
npm_dir=$1 classes=$2

if ! { [[ -f $npm_dir/node_modules/axe-core/axe.min.js ]] && cmp -s "$here/package-lock.json" "$npm_dir/package-lock.json"; }; then
  mkdir -p "$npm_dir"
  cp "$here/package.json" "$here/package-lock.json" "$npm_dir/"
  (cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
mkdir -p "$classes/axe"
cp "$npm_dir/node_modules/axe-core/axe.min.js" "$npm_dir/node_modules/axe-core/LICENSE" "$classes/axe/"
