-- The Alertmanager silence a remediation holds while it runs (silence_while_remediating), and
-- when it was expired again; a silence left unexpired lapses by itself at its end.
alter table remediation add column silence_id varchar(64);
alter table remediation add column silence_released_at timestamp with time zone;

-- A notification that says Alertmanager left alerts out (truncatedAlerts > 0) has its group's
-- alerts fetched from Alertmanager once; group_fetched_at records when that was claimed.
alter table notification add column group_fetched_at timestamp with time zone;
create index notification_group_unfetched on notification (id)
  where truncated_alerts > 0 and group_fetched_at is null;
