#!/usr/bin/env bash
# Render the notebook views in headless Chromium and refresh docs/img/view-*.png
# (docs/views.md). Not part of CI: CI installs no browser. Needs root for apt-get the
# first time; installs the notebook tools into .venv; then runs scripts/screenshots.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    apt-get update -q && apt-get install -y -q chromium
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet -e '.[docs]' nbclient nbconvert nbformat ipykernel
.venv/bin/python scripts/screenshots.py
