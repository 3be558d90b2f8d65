#!/usr/bin/env bash
# Install the npm packages of the HTML tests (package-lock.json: the W3C Nu HTML checker,
# vnu-jar, and the axe-core accessibility engine) into tests/html/node_modules. Called by
# scripts/install-deps --browser.
#
# Idempotent: skipped when node_modules was installed from the current package-lock.json.
# `npm ci --ignore-scripts`: vnu-jar's only install script downloads a Java runtime when
# none is on PATH; we use Debian's (default-jre-headless), and nothing else may be fetched.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=$here/node_modules/vnu-jar/build/dist/vnu.jar
axe=$here/node_modules/axe-core/axe.min.js
stamp=$here/node_modules/.ismsc-lock.sha256
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)

if [[ -f "$jar" && -f "$axe" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  echo "npm packages of tests/html present"
  exit 0
fi
command -v npm >/dev/null || { echo "install-npm.sh: npm not found (Debian package npm)" >&2; exit 1; }
echo "install-npm.sh: npm ci in $here"
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
[[ -f "$jar" ]] || { echo "install-npm.sh: $jar missing after npm ci" >&2; exit 1; }
[[ -f "$axe" ]] || { echo "install-npm.sh: $axe missing after npm ci" >&2; exit 1; }
echo "$want" > "$stamp"
echo "npm packages of tests/html installed"
