#!/usr/bin/env bash
# Two gunicorn processes on two ports, sharing the local Redis (message queue) and one PostgreSQL
# database, for trying scale-out on one machine (`make two-workers`). Ctrl-C stops both.
#   PG_URL     the database (created if missing); default postgresql://postgres@127.0.0.1:5432/facilitator_two
#   REDIS_URL  default redis://127.0.0.1:6379/0
#   PORT_A, PORT_B  default 5001 and 5002; FACILITATOR_ASYNC eventlet (default) or gevent
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/facilitator_two}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
PORT_A=${PORT_A:-5001}
PORT_B=${PORT_B:-5002}
DB_NAME=${PG_URL##*/}
SERVER_URL=${PG_URL%/*}

if ! psql "$SERVER_URL/postgres" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    echo "==> Creating the database $DB_NAME"
    psql "$SERVER_URL/postgres" -qc "CREATE DATABASE \"$DB_NAME\""
fi
redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "Redis does not answer at $REDIS_URL" >&2; exit 1; }

mkdir -p instance
export DATABASE_URL=$PG_URL SOCKETIO_MESSAGE_QUEUE=$REDIS_URL FACILITATOR_WORKERS=2
export SECRET_KEY=${SECRET_KEY:-$(cat instance/secret_key 2>/dev/null || python3 -c 'import secrets; print(secrets.token_hex(32))')}
PYTHONWARNINGS=ignore::Warning:engineio.async_drivers.eventlet .venv/bin/flask --app facilitator db upgrade

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait || true; }
trap stop EXIT INT TERM
for port in "$PORT_A" "$PORT_B"; do
    PORT=$port .venv/bin/gunicorn -c python:facilitator.gunicorn_conf facilitator.wsgi:app &
    pids+=($!)
done
echo "==> Two workers: http://127.0.0.1:$PORT_A/ and http://127.0.0.1:$PORT_B/ (database $DB_NAME, Redis $REDIS_URL)"
echo "    First account: DATABASE_URL=$PG_URL .venv/bin/flask --app facilitator create-facilitator EMAIL NAME"
wait -n "${pids[@]}"
