#!/bin/sh
# Runs once, when the postgres image creates its cluster: a role for the Temporal server (which creates its own
# databases with temporal-sql-tool) and a role and database for bereik's read model, each with its own password
# from the environment. psql's :'var' quotes the passwords as SQL literals.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v temporal_password="${TEMPORAL_DB_PASSWORD:?}" -v bereik_password="${BEREIK_DB_PASSWORD:?}" <<'SQL'
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
CREATE ROLE bereik LOGIN PASSWORD :'bereik_password';
CREATE DATABASE bereik OWNER bereik;
SQL
