#!/usr/bin/env bash
# A local demo on 127.0.0.1: Redis, Prometheus and Alertmanager (the Debian packages redis-server,
# prometheus and prometheus-alertmanager) on free loopback ports, the PostgreSQL server already
# running on 127.0.0.1:5432, and remediator from target/remediator.jar, with Prometheus firing
# one demo alert through Alertmanager into remediator's webhook. Downloads nothing.
#
#   mvn -B -q -DskipTests package
#   deploy/local/run.sh          # start, wait until remediator is ready, print the URLs
#   deploy/local/run.sh stop     # stop what start started (pid files), keep the logs
#
# Everything lives in $REMEDIATOR_DEMO_DIR (default ${TMPDIR:-/tmp}/remediator-demo-UID): configs,
# data, logs, pid files and the generated tokens. PostgreSQL is reached as $PGUSER (default
# postgres) with $PGPASSWORD if set; the demo uses (and creates) the database remediator_demo.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN_DIR=${REMEDIATOR_DEMO_DIR:-${TMPDIR:-/tmp}/remediator-demo-$(id -u)}
PG_HOST=127.0.0.1
PG_PORT=5432
PG_USER=${PGUSER:-postgres}
DEMO_DB=remediator_demo
SERVICES="redis prometheus alertmanager remediator"   # start order; stop goes backwards

say() { printf '%s\n' "$*"; }
fail() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

alive() {
  local pid_file="$RUN_DIR/$1.pid"
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# The first port from $1 on that nothing on 127.0.0.1 answers.
free_port() {
  local port=$1
  while [ "$port" -lt $(($1 + 200)) ]; do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      printf '%s\n' "$port"
      return 0
    fi
    port=$((port + 1))
  done
  fail "no free port on 127.0.0.1 between $1 and $(($1 + 199))"
}

# start_bg NAME COMMAND...: runs COMMAND detached, output in NAME.log, pid in NAME.pid.
start_bg() {
  local name=$1
  shift
  nohup "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$RUN_DIR/$name.pid"
}

# wait_for NAME URL: until URL answers 2xx, NAME dies, or 60 tries a second apart.
wait_for() {
  local name=$1 url=$2 try
  for try in $(seq 1 60); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      return 0
    fi
    if ! alive "$name"; then
      tail -n 20 "$RUN_DIR/$name.log" >&2 || true
      stop
      fail "$name exited before $url answered; its log is $RUN_DIR/$name.log"
    fi
    sleep 1
  done
  stop
  fail "$url did not answer within 60 s; see $RUN_DIR/$name.log"
}

token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

start() {
  local name
  for name in $SERVICES; do
    if alive "$name"; then
      fail "$name is already running (pid $(cat "$RUN_DIR/$name.pid")); run '$0 stop' first"
    fi
  done
  for name in java curl psql pg_isready redis-server prometheus prometheus-alertmanager; do
    command -v "$name" >/dev/null || fail "$name is not installed (apt-get install postgresql-client redis-server prometheus prometheus-alertmanager curl)"
  done
  [ -f "$ROOT/target/remediator.jar" ] || fail "$ROOT/target/remediator.jar is missing; build it with: mvn -B -q -DskipTests package"
  if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    fail "PostgreSQL is not running on $PG_HOST:$PG_PORT. Start it (e.g. 'sudo systemctl start postgresql' or 'sudo pg_ctlcluster 15 main start'), let $PG_USER connect over TCP (trust, or export PGPASSWORD), and run this again."
  fi

  mkdir -p "$RUN_DIR"
  chmod 700 "$RUN_DIR"
  rm -rf "$RUN_DIR/prometheus-data" "$RUN_DIR/alertmanager-data"
  mkdir -p "$RUN_DIR/prometheus-data" "$RUN_DIR/alertmanager-data"

  if [ "$(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DEMO_DB'")" != 1 ]; then
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE $DEMO_DB" \
      || fail "could not create database $DEMO_DB as $PG_USER on $PG_HOST:$PG_PORT"
  fi

  local redis_port prometheus_port alertmanager_port remediator_port url
  redis_port=$(free_port 16379)
  remediator_port=$(free_port 19095)
  prometheus_port=$(free_port 19090)
  alertmanager_port=$(free_port 19093)
  [ "$prometheus_port" != "$remediator_port" ] || prometheus_port=$(free_port $((remediator_port + 1)))
  [ "$alertmanager_port" != "$remediator_port" ] && [ "$alertmanager_port" != "$prometheus_port" ] \
    || alertmanager_port=$(free_port $((remediator_port + 10)))

  url="jdbc:postgresql://$PG_HOST:$PG_PORT/$DEMO_DB?user=$PG_USER"
  [ -z "${PGPASSWORD:-}" ] || url="$url&password=$PGPASSWORD"
  (umask 077
   printf '%s' "$url" >"$RUN_DIR/database-url"
   token >"$RUN_DIR/webhook-token"
   token >"$RUN_DIR/operator-token")

  cat >"$RUN_DIR/alertmanager.yml" <<YAML
route:
  receiver: remediator
  group_by: [alertname]
  group_wait: 5s
  group_interval: 30s
  repeat_interval: 1h
receivers:
  - name: remediator
    webhook_configs:
      - url: http://127.0.0.1:$remediator_port/webhook
        send_resolved: true
        http_config:
          authorization:
            credentials_file: $RUN_DIR/webhook-token
YAML
  cat >"$RUN_DIR/demo-alerts.yml" <<YAML
groups:
  - name: remediator-demo
    rules:
      - alert: RemediatorDemo
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: "always firing, to show an alert reaching remediator"}
YAML
  cat >"$RUN_DIR/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files: [$RUN_DIR/demo-alerts.yml]
alerting:
  alertmanagers:
    - static_configs: [{targets: ["127.0.0.1:$alertmanager_port"]}]
scrape_configs:
  - job_name: remediator
    static_configs: [{targets: ["127.0.0.1:$remediator_port"]}]
YAML

  start_bg redis redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$RUN_DIR"
  cd "$ROOT"
  start_bg remediator env REMEDIATOR_LISTEN="127.0.0.1:$remediator_port" \
    REMEDIATOR_RULES="$ROOT/rules/remediation.yml" \
    REMEDIATOR_DATABASE_URL_FILE="$RUN_DIR/database-url" \
    REMEDIATOR_WEBHOOK_TOKEN_FILE="$RUN_DIR/webhook-token" \
    REMEDIATOR_OPERATOR_TOKEN_FILE="$RUN_DIR/operator-token" \
    java -jar target/remediator.jar serve
  start_bg alertmanager prometheus-alertmanager --config.file="$RUN_DIR/alertmanager.yml" \
    --storage.path="$RUN_DIR/alertmanager-data" --web.listen-address="127.0.0.1:$alertmanager_port" \
    --cluster.listen-address=
  start_bg prometheus prometheus --config.file="$RUN_DIR/prometheus.yml" \
    --storage.tsdb.path="$RUN_DIR/prometheus-data" --web.listen-address="127.0.0.1:$prometheus_port"

  wait_for remediator "http://127.0.0.1:$remediator_port/-/ready"
  if ! alive redis; then
    stop
    fail "redis exited; see $RUN_DIR/redis.log"
  fi
  wait_for alertmanager "http://127.0.0.1:$alertmanager_port/-/ready"
  wait_for prometheus "http://127.0.0.1:$prometheus_port/-/ready"

  cat <<TEXT | tee "$RUN_DIR/urls.txt"
remediator    http://127.0.0.1:$remediator_port/  (operator token: $RUN_DIR/operator-token)
  webhook     http://127.0.0.1:$remediator_port/webhook  (bearer token: $RUN_DIR/webhook-token)
Prometheus    http://127.0.0.1:$prometheus_port/
Alertmanager  http://127.0.0.1:$alertmanager_port/
Redis         redis://127.0.0.1:$redis_port
PostgreSQL    $PG_HOST:$PG_PORT database $DEMO_DB
Logs, configs and pid files: $RUN_DIR   Stop: $0 stop
TEXT
}

stop() {
  local name pid try services=""
  for name in $SERVICES; do services="$name $services"; done
  for name in $services; do
    [ -f "$RUN_DIR/$name.pid" ] || continue
    pid=$(cat "$RUN_DIR/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      # remediator gives running actions its 25 s shutdown grace before it exits.
      for try in $(seq 1 40); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
      done
      if kill -0 "$pid" 2>/dev/null; then
        say "$name (pid $pid) did not stop in 40 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      say "stopped $name (pid $pid)"
    fi
    rm -f "$RUN_DIR/$name.pid"
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) fail "usage: $0 [start|stop]" ;;
esac
