#!/bin/sh
# Creates (or upgrades) the Temporal server's two PostgreSQL databases with its own schema tool, temporal-sql-tool:
# create-database and setup-schema -v 0.0 do nothing when already done, update-schema applies what is missing.
# docker-compose's temporal-schema job runs it in the admin-tools image; tools/toolchain/temporal-server.ts runs it
# here with the schema files of the go.temporal.io/server module it built. The password comes from the
# environment (SQL_PASSWORD), never from the command line.
set -eu
: "${TEMPORAL_DB_HOST:?}" "${TEMPORAL_DB_USER:?}"
port=${TEMPORAL_DB_PORT:-5432}
schema_dir=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
export SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-}"

setup() {
  database=$1
  schema=$2
  sql() { temporal-sql-tool --plugin postgres12 --ep "$TEMPORAL_DB_HOST" -p "$port" -u "$TEMPORAL_DB_USER" --db "$database" "$@"; }
  sql create-database
  sql setup-schema -v 0.0
  sql update-schema -d "$schema_dir/$schema/versioned"
}

setup "${TEMPORAL_DB:-temporal}" temporal
setup "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" visibility
echo "temporal schemas ready"
