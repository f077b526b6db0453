#!/bin/sh
# Re-vendor the YAML library of the online editor (README, "The online editor"): `make vendor`.
# eemeli/yaml (ISC) at the exact version below, bundled by esbuild (also pinned) into one classic script that
# sets `window.YAML`, written with its licence into vitrine/edit/app/. Change YAML_VERSION to upgrade, run it,
# then the editor's tests (tests/test_edit_online.py).
set -eu
YAML_VERSION=2.9.1
ESBUILD_VERSION=0.28.2
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --save-exact "yaml@$YAML_VERSION" "esbuild@$ESBUILD_VERSION" >/dev/null
printf "export { parseDocument, isMap, isSeq, isScalar, isPair, LineCounter, Scalar } from 'yaml';\n" > entry.js
{
  printf '/* eemeli/yaml %s (ISC licence: yaml-licence.txt), bundled by tools/vendor_yaml.sh */\n' "$YAML_VERSION"
  ./node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=YAML --minify --legal-comments=none \
    --target=es2019
} > "$here/vitrine/edit/app/yaml.js"
cp node_modules/yaml/LICENSE "$here/vitrine/edit/app/yaml-licence.txt"
echo "vitrine/edit/app/yaml.js: yaml $YAML_VERSION"
