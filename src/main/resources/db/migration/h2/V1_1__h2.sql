-- H2 has no partial indexes; a plain one serves the undecided-alert scan.
create index alert_undecided on alert (decided_at, id);
