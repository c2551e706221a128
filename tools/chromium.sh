#!/usr/bin/env bash
# Prints the path of Debian's Chromium for the explorer's browser test, installing the package
# first if the machine lacks it (as tools/postgres.sh does for PostgreSQL). Playwright drives it
# through `executable_path`: no browser is downloaded from anywhere but Debian's archive.
set -euo pipefail
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
  if [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
echo "tools/chromium.sh: chromium is not installed and could not be installed" >&2
exit 1
