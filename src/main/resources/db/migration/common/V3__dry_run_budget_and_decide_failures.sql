-- Dry run decides exactly as live would, cooldowns and rate limits included, against a budget of
-- its own: counts_dry_run marks the dry-run decisions that live would have acted on, so that
-- turning dry run off starts live with an untouched budget.
alter table remediation add column counts_dry_run boolean not null default false;

-- An alert whose deciding threw is still marked decided, with the error, so it is never retried
-- forever and never holds up the alerts behind it.
alter table alert add column decide_error varchar;
