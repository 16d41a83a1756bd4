#!/usr/bin/env bash
# Render the notebook views in headless Chromium and refresh docs/img/view-*.png and
# docs/img/views-{light,dark}.png (docs/views.md). The contrast check itself is a test
# (tests/test_views.py::test_views_are_readable_in_a_browser; CI installs Chromium and runs
# it). Needs root for apt-get the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    apt-get update -q && apt-get install -y -q chromium
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet -e '.[batch]'
PYTHONPATH=src .venv/bin/python scripts/screenshots.py
PYTHONPATH=src .venv/bin/python scripts/contrast.py
