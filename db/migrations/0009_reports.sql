-- The reports count the pool at a date and the deployments of a period over up to a million experts:
-- these indexes let them read narrow index entries instead of whole rows (index-only scans once the
-- tables are vacuumed).
CREATE INDEX experts_pool ON experts (created_at)
    INCLUDE (consent_recorded_at, status, erased_at, member_state, gender, kind, nationality);
CREATE INDEX deployments_start ON deployments (lower(period)) INCLUDE (expert_id) WHERE cancelled_at IS NULL;
CREATE INDEX activities_start ON activities (lower(period)) INCLUDE (type, action_id);
