-- Core schema for the embedded SQLite store: the same tables, columns and keys as
-- common/V1__core.sql on PostgreSQL, in SQLite's types. Ids are AUTOINCREMENT so that, as with
-- PostgreSQL identities, an id is never handed out twice. Instants are UTC text of fixed width
-- (2026-11-22T10:00:00.000000Z), which compares and sorts in time order; booleans are 0 and 1.

-- Every webhook notification as received, kept whole for forensics and replay.
create table notification (
  id                  integer primary key autoincrement,
  received_at         text not null,
  actor               text not null,
  receiver            text not null,
  group_key           text not null,
  status              text not null,
  truncated_alerts    integer not null,
  external_url        text not null,
  notification_reason text,
  alert_count         integer not null,
  payload             text not null
);

-- One row per alert occurrence: an alert (fingerprint, startsAt) in one status. Alertmanager
-- repeats, retries and HA peers send the same occurrence again; the unique key makes those
-- duplicates. decided_at is null until the decider has matched it against the rules.
create table alert (
  id              integer primary key autoincrement,
  notification_id integer not null references notification (id),
  fingerprint     text not null,
  status          text not null,
  starts_at       text not null,
  ends_at         text,
  alertname       text not null,
  labels          text not null,
  annotations     text not null,
  generator_url   text not null,
  received_at     text not null,
  decided_at      text,
  constraint alert_occurrence unique (fingerprint, starts_at, status)
);

-- One remediation per (rule, fingerprint, startsAt), whatever the guards decided, so that no
-- retry or repeat can act twice on the same alert.
create table remediation (
  id             integer primary key autoincrement,
  rule_name      text not null,
  fingerprint    text not null,
  starts_at      text not null,
  alert_id       integer not null references alert (id),
  alertname      text not null,
  action         text not null,
  target         text not null,
  group_key      text not null,
  state          text not null,
  reason         text not null,
  params         text not null,
  counts         integer not null,
  decided_at     text not null,
  not_before     text not null,
  attempts       integer not null default 0,
  claimed_by     text,
  lease_until    text,
  started_at     text,
  finished_at    text,
  duration_ms    integer,
  output         text,
  error          text,
  constraint remediation_once unique (rule_name, fingerprint, starts_at)
);
create index remediation_due on remediation (state, not_before);
create index remediation_alert on remediation (fingerprint, starts_at);

-- Append-only record of every step, with its actor. No code path updates or deletes it.
create table audit_event (
  id              integer primary key autoincrement,
  occurred_at     text not null,
  kind            text not null,
  actor           text not null,
  notification_id integer,
  alert_id        integer,
  remediation_id  integer,
  fingerprint     text,
  alertname       text,
  rule_name       text,
  action          text,
  target          text,
  outcome         text,
  detail          text not null
);
create index audit_event_fingerprint on audit_event (fingerprint, id);
create index audit_event_remediation on audit_event (remediation_id);

-- Kept for the same schema on both stores; on SQLite the decider needs no row lock (one
-- connection runs the process's transactions one at a time).
create table decider_lock (
  name text primary key
);
insert into decider_lock (name) values ('decider');
