#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the operator's storage tests, installing
# Debian's postgresql first if the machine lacks it. Prints the SQLAlchemy URL to use.
# Usage: tools/postgres.sh start <dir> <port> | tools/postgres.sh stop <dir>
set -euo pipefail
# runuser, useradd and apt-get live in sbin, which a plain user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
action=$1 dir=$2 port=${3:-54329}
find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ "$action" = stop ]; then
  bin=$(find_bin)
  [ -d "$dir/data" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
if [ -z "$(find_bin)" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
bin=$(find_bin)
# postgres refuses to run as root: the cluster belongs to the postgres system user.
mkdir -p "$dir"
chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
fi
runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -F" start >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
