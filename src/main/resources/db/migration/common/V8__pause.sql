-- The kill switch: at most one row, present while automation is paused. Every replica reads it,
-- so one pause stops them all, and it survives restarts. ends_at is null for a pause that lasts
-- until an operator resumes; a pause whose ends_at has passed is deleted (and audited) by the
-- first replica to notice.
create table pause (
  name      varchar(32) primary key,
  reason    varchar not null,
  actor     varchar(200) not null,
  paused_at timestamp with time zone not null,
  ends_at   timestamp with time zone
);

-- max_fraction counts the distinct instances of one service seen on recent alerts.
create index alert_service on alert ((labels::jsonb ->> 'service'), received_at);
