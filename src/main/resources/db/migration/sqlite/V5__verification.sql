-- How a remediation's verification ended: null while none was asked for or it is still running,
-- 'verified' or 'not_verified'. A breaker counts a not_verified remediation as a failure.
alter table remediation add column verification text;
