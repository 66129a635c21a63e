-- 0003_plan_approvals.sql: approval tokens issued for plans (id, binding,
-- expiry) and their single use, recorded with the plan's state change.
CREATE TABLE approval_tokens (
    token_id     char(32) PRIMARY KEY CHECK (token_id ~ '^[0-9a-f]{32}$'),
    plan_id      varchar(64) NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    approved_by  varchar(255) NOT NULL CHECK (approved_by <> ''),
    content_hash char(64) NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    issued_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    used_by      varchar(255),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX approval_tokens_plan ON approval_tokens (plan_id);
