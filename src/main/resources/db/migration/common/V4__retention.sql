-- Retention deletes old notifications and alerts. A finished remediation outlives its alert (its
-- own columns keep the fingerprint, start and alert name, and cooldowns keep counting it), so
-- its reference to the alert may be cleared.
alter table remediation alter column alert_id drop not null;

-- Replicas take this row's lock (skipping it when another holds it), so one deletes at a time.
create table maintenance_lock (
  name varchar(32) primary key
);
insert into maintenance_lock (name) values ('retention');
