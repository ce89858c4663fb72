-- Retention deletes old notifications and alerts. A finished remediation outlives its alert (its
-- own columns keep the fingerprint, start and alert name, and cooldowns keep counting it), so
-- its reference to the alert may be cleared. The same change as common/V4__retention.sql on
-- PostgreSQL.
--
-- SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt with the same columns,
-- rows, ids, id sequence and indexes. Foreign keys stay enforced throughout (this runs in one
-- transaction, where they cannot be switched off), so the outbox rows, which reference
-- remediations, are set aside while the old table is dropped and put back after.
create table remediation_rebuilt (
  id             integer primary key autoincrement,
  rule_name      text not null,
  fingerprint    text not null,
  starts_at      text not null,
  alert_id       integer references alert (id),
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
  counts_dry_run integer not null default 0,
  constraint remediation_once unique (rule_name, fingerprint, starts_at)
);
insert into remediation_rebuilt (id, rule_name, fingerprint, starts_at, alert_id, alertname, action, target,
                                 group_key, state, reason, params, counts, decided_at, not_before, attempts,
                                 claimed_by, lease_until, started_at, finished_at, duration_ms, output, error,
                                 counts_dry_run)
select id, rule_name, fingerprint, starts_at, alert_id, alertname, action, target,
       group_key, state, reason, params, counts, decided_at, not_before, attempts,
       claimed_by, lease_until, started_at, finished_at, duration_ms, output, error,
       counts_dry_run
from remediation;
-- Ids are never handed out twice: carry the sequence over, not just the highest id still stored.
delete from sqlite_sequence where name = 'remediation_rebuilt';
insert into sqlite_sequence (name, seq) select 'remediation_rebuilt', seq from sqlite_sequence where name = 'remediation';

create temporary table outbox_aside as select * from outbox;
delete from outbox;
drop table remediation;
alter table remediation_rebuilt rename to remediation;
insert into outbox select * from outbox_aside;
drop table outbox_aside;

create index remediation_due on remediation (state, not_before);
create index remediation_alert on remediation (fingerprint, starts_at);
create index remediation_cooldown on remediation (rule_name, group_key, decided_at) where counts;
create index remediation_counted_rule on remediation (rule_name, decided_at) where counts;
create index remediation_counted_all on remediation (decided_at) where counts;
create index remediation_lease on remediation (state, lease_until);
create index remediation_cooldown_dry_run on remediation (rule_name, group_key, decided_at) where counts_dry_run;
create index remediation_counted_rule_dry_run on remediation (rule_name, decided_at) where counts_dry_run;
create index remediation_counted_all_dry_run on remediation (decided_at) where counts_dry_run;

-- Kept for the same schema on both stores: on PostgreSQL replicas take this row's lock (skipping
-- it when another holds it), so one deletes at a time; the embedded store runs one transaction
-- at a time and needs no row lock.
create table maintenance_lock (
  name text primary key
);
insert into maintenance_lock (name) values ('retention');
