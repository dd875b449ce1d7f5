#!/usr/bin/env bash
# Build the browser assets (GOV.UK Frontend components, htmx, axe-core for the
# accessibility tests) from the npm registry into the hub's static folder.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/openwarp/hub/web/static/vendor
if [ -f "$out/.built" ] && [ "$out/.built" -nt frontend/package-lock.json ] \
   && [ "$out/.built" -nt frontend/openwarp.scss ]; then
  exit 0
fi
npm ci --prefix frontend --no-audit --no-fund --loglevel=error >/dev/null
rm -rf "$out"
mkdir -p "$out/govuk/assets"
modules=frontend/node_modules
"$modules/.bin/sass" --no-source-map --style=compressed --quiet-deps \
  --load-path="$modules" frontend/openwarp.scss "$out/openwarp.css"
cp "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" "$out/govuk-frontend.min.js"
cp -r "$modules/govuk-frontend/dist/govuk/assets/images" "$out/govuk/assets/images"
cp "$modules/htmx.org/dist/htmx.min.js" "$out/htmx.min.js"
cp "$modules/axe-core/axe.min.js" "$out/axe.min.js"
touch "$out/.built"
