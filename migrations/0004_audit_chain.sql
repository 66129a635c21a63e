-- 0004_audit_chain.sql: hash-chained audit events: order (seq), redacted
-- parameters, prev_hash and row_hash (agent/db/audit_chain.c defines them).
-- Rows must never change after they are written, so the foreign keys that
-- rewrote device_id / plan_id on delete go: the recorded ids stay as they were.
ALTER TABLE audit_events
    DROP CONSTRAINT IF EXISTS audit_events_device_id_fkey,
    DROP CONSTRAINT IF EXISTS audit_events_plan_id_fkey,
    ADD COLUMN seq        bigint CHECK (seq > 0),
    ADD COLUMN parameters jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(parameters) = 'object'),
    ADD COLUMN prev_hash  char(64) CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
    ADD COLUMN row_hash   char(64) CHECK (row_hash ~ '^[0-9a-f]{64}$');
CREATE UNIQUE INDEX audit_events_seq ON audit_events (seq);
CREATE INDEX audit_events_plan ON audit_events (plan_id);
