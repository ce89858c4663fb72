-- Follow-ups of an outcome (verify it at due_at, escalate a failure), written in the same
-- transaction as the outcome so that a crash can never keep the one and lose the other. Drainers
-- claim due rows with a lease like the work queue's and set done_at when finished. The same
-- table as common/V2__outbox.sql on PostgreSQL, in SQLite's types.
create table outbox (
  id             integer primary key autoincrement,
  remediation_id integer not null references remediation (id),
  kind           text not null,
  due_at         text not null,
  payload        text not null,
  created_at     text not null,
  attempts       integer not null default 0,
  claimed_by     text,
  lease_until    text,
  done_at        text,
  constraint outbox_kind check (kind in ('verify', 'escalate'))
);
create index outbox_due on outbox (done_at, due_at);

-- Sweeps look for running work whose lease has run out.
create index remediation_lease on remediation (state, lease_until);
