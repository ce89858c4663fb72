-- A replay by hand may decide an occurrence again that already has a remediation, when the
-- operator forces it with a reason. The old remediation stays as it was; the new one is a replay
-- generation of the same occurrence: replay_generation counts them (0 for the decision made when
-- the occurrence arrived) and replay_of names the remediation it decided again. Its key in
-- remediation_once is the occurrence's starts_at plus replay_generation microseconds, so the
-- unique key that stops Alertmanager's duplicates still admits each generation exactly once.
alter table remediation add column replay_generation integer not null default 0;
alter table remediation add column replay_of bigint;

-- The alerts a replay stores are decided by that replay, at once, so it can answer with what was
-- decided: the decider leaves an undecided alert alone until held_until, and takes it over after
-- (the replay failed before deciding it). Null for every alert Alertmanager sends.
alter table alert add column held_until timestamp with time zone;
