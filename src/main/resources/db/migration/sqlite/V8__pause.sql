-- The kill switch: at most one row, present while automation is paused. It survives restarts.
-- ends_at is null for a pause that lasts until an operator resumes; a pause whose ends_at has
-- passed is deleted (and audited) when next read. The same table as common/V8__pause.sql.
create table pause (
  name      text primary key,
  reason    text not null,
  actor     text not null,
  paused_at text not null,
  ends_at   text
);

-- max_fraction counts the distinct instances of one service seen on recent alerts.
create index alert_service on alert (json_extract(labels, '$.service'), received_at);
