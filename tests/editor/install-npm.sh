#!/usr/bin/env bash
# Install the npm packages of the editor test (package-lock.json: yaml-language-server, the
# language server of VS Code's YAML extension) into tests/editor/node_modules. Called by
# scripts/install-deps --browser.
#
# Idempotent: skipped when node_modules was installed from the current package-lock.json.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
server=$here/node_modules/.bin/yaml-language-server
stamp=$here/node_modules/.ismsc-lock.sha256
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)

if [[ -x "$server" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  echo "npm packages of tests/editor present"
  exit 0
fi
command -v npm >/dev/null || { echo "install-npm.sh: npm not found (Debian package npm)" >&2; exit 1; }
echo "install-npm.sh: npm ci in $here"
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
[[ -x "$server" ]] || { echo "install-npm.sh: $server missing after npm ci" >&2; exit 1; }
echo "$want" > "$stamp"
echo "npm packages of tests/editor installed"
