-- A replay by hand may decide an occurrence again that already has a remediation, when the
-- operator forces it with a reason: the same change as common/V14__replay.sql on PostgreSQL, in
-- SQLite's types. replay_generation counts the decisions of one occurrence (0 for the one made
-- when it arrived); replay_of names the remediation a forced replay decided again. Its key in
-- remediation_once is the occurrence's starts_at plus replay_generation microseconds.
alter table remediation add column replay_generation integer not null default 0;
alter table remediation add column replay_of integer;

-- The alerts a replay stores are decided by that replay, at once: the decider leaves an undecided
-- alert alone until held_until, and takes it over after. Null for every alert Alertmanager sends.
alter table alert add column held_until text;
