-- 0001_init.sql: the base schema: devices and their encrypted credentials,
-- health history, snapshots, plans, plan jobs and the audit trail.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY CHECK (version > 0),
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE devices (
    id                           varchar(64) PRIMARY KEY
        CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    name                         varchar(255) NOT NULL UNIQUE CHECK (name <> ''),
    management_ip                varchar(45) NOT NULL CHECK (management_ip <> ''),
    management_port              integer NOT NULL DEFAULT 443
        CHECK (management_port BETWEEN 1 AND 65535),
    rest_scheme                  varchar(5) NOT NULL DEFAULT 'https'
        CHECK (rest_scheme IN ('http', 'https')),
    environment                  varchar(32) NOT NULL
        CHECK (environment IN ('lab', 'staging', 'prod')),
    status                       varchar(32) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('healthy', 'degraded', 'unreachable', 'pending',
                          'decommissioned')),
    tags                         jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(tags) = 'object'),
    allow_advanced_writes        boolean NOT NULL DEFAULT false,
    allow_professional_workflows boolean NOT NULL DEFAULT false,
    allow_firewall_writes        boolean NOT NULL DEFAULT false,
    allow_routing_writes         boolean NOT NULL DEFAULT false,
    allow_wireless_writes        boolean NOT NULL DEFAULT false,
    allow_dhcp_writes            boolean NOT NULL DEFAULT false,
    allow_bridge_writes          boolean NOT NULL DEFAULT false,
    allow_bandwidth_test         boolean NOT NULL DEFAULT false,
    critical                     boolean NOT NULL DEFAULT false,
    health_status                varchar(32) NOT NULL DEFAULT 'unknown'
        CHECK (health_status IN ('unknown', 'healthy', 'degraded',
                                 'unreachable')),
    consecutive_healthy_checks   integer NOT NULL DEFAULT 0
        CHECK (consecutive_healthy_checks >= 0),
    polling_interval_seconds     integer NOT NULL DEFAULT 60
        CHECK (polling_interval_seconds BETWEEN 10 AND 3600),
    last_backoff_at              timestamptz,
    routeros_version             varchar(64),
    hardware_model               varchar(128),
    serial_number                varchar(128),
    software_id                  varchar(128),
    system_identity              varchar(255),
    last_seen_at                 timestamptz,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_environment_status ON devices (environment, status);
CREATE INDEX devices_tags ON devices USING gin (tags);

-- secret_ciphertext is AES-256-GCM ciphertext followed by its 16-byte tag,
-- under a 12-byte random nonce with the device id as additional data.
CREATE TABLE credentials (
    id                     bigserial PRIMARY KEY,
    device_id              varchar(64) NOT NULL
        REFERENCES devices (id) ON DELETE CASCADE,
    credential_type        varchar(32) NOT NULL
        CHECK (credential_type IN ('rest', 'ssh', 'ssh_key')),
    username               varchar(255) NOT NULL CHECK (username <> ''),
    secret_ciphertext      bytea NOT NULL CHECK (length(secret_ciphertext) >= 16),
    nonce                  bytea NOT NULL CHECK (length(nonce) = 12),
    key_version            integer NOT NULL DEFAULT 1 CHECK (key_version > 0),
    public_key_fingerprint varchar(128),
    active                 boolean NOT NULL DEFAULT true,
    rotated_at             timestamptz,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX credentials_one_active
    ON credentials (device_id, credential_type) WHERE active;

CREATE TABLE health_checks (
    id                   bigserial PRIMARY KEY,
    device_id            varchar(64) NOT NULL
        REFERENCES devices (id) ON DELETE CASCADE,
    timestamp            timestamptz NOT NULL DEFAULT now(),
    status               varchar(32) NOT NULL
        CHECK (status IN ('healthy', 'degraded', 'unreachable')),
    cpu_usage_percent    real CHECK (cpu_usage_percent BETWEEN 0 AND 100),
    memory_used_bytes    bigint CHECK (memory_used_bytes >= 0),
    memory_total_bytes   bigint CHECK (memory_total_bytes >= 0),
    uptime_seconds       bigint CHECK (uptime_seconds >= 0),
    temperature_celsius  real,
    error_message        text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_checks_device_time ON health_checks (device_id, timestamp);
CREATE INDEX health_checks_status ON health_checks (status);

CREATE TABLE snapshots (
    id          varchar(64) PRIMARY KEY,
    device_id   varchar(64) NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
    timestamp   timestamptz NOT NULL DEFAULT now(),
    kind        varchar(64) NOT NULL CHECK (kind <> ''),
    data        bytea NOT NULL,
    checksum    char(64) NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
    meta        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX snapshots_device_time ON snapshots (device_id, timestamp);
CREATE INDEX snapshots_kind ON snapshots (kind);

-- Plan status follows the state machine of upstream-catalog §3.10.
CREATE TABLE plans (
    id                            varchar(64) PRIMARY KEY,
    created_by                    varchar(255) NOT NULL,
    tool_name                     varchar(128) NOT NULL,
    status                        varchar(32) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'executing', 'completed',
                          'failed', 'cancelled', 'rolling_back',
                          'rolled_back')),
    device_ids                    jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(device_ids) = 'array'),
    summary                       text NOT NULL DEFAULT '',
    changes                       jsonb NOT NULL DEFAULT '{}',
    content_hash                  char(64) NOT NULL
        CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    risk_level                    varchar(16) NOT NULL DEFAULT 'low'
        CHECK (risk_level IN ('low', 'medium', 'high')),
    approved_by                   varchar(255),
    approved_at                   timestamptz,
    approval_expires_at           timestamptz,
    approval_token_used_at        timestamptz,
    batch_size                    integer NOT NULL DEFAULT 5
        CHECK (batch_size BETWEEN 1 AND 50),
    pause_seconds_between_batches integer NOT NULL DEFAULT 60
        CHECK (pause_seconds_between_batches >= 0),
    rollback_on_failure           boolean NOT NULL DEFAULT true,
    device_statuses               jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(device_statuses) = 'object'),
    created_at                    timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL))
);
CREATE INDEX plans_status ON plans (status);
CREATE INDEX plans_created_by ON plans (created_by);

-- Long-running work (rollouts) driven by the agents; state machine of §3.11.
CREATE TABLE jobs (
    id                     varchar(64) PRIMARY KEY,
    plan_id                varchar(64) REFERENCES plans (id) ON DELETE CASCADE,
    job_type               varchar(64) NOT NULL CHECK (job_type <> ''),
    status                 varchar(32) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'running', 'success', 'failed',
                          'cancelled')),
    device_ids             jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(device_ids) = 'array'),
    attempts               integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts           integer NOT NULL DEFAULT 3 CHECK (max_attempts >= 1),
    next_run_at            timestamptz,
    progress_percent       integer NOT NULL DEFAULT 0
        CHECK (progress_percent BETWEEN 0 AND 100),
    current_device_id      varchar(64)
        REFERENCES devices (id) ON DELETE SET NULL,
    cancellation_requested boolean NOT NULL DEFAULT false,
    locked_by              varchar(128),
    result_summary         jsonb,
    error_message          text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_status_next_run ON jobs (status, next_run_at);
CREATE INDEX jobs_type ON jobs (job_type);

-- One row per tool call and per plan event; never holds a secret.
CREATE TABLE audit_events (
    id            bigserial PRIMARY KEY,
    timestamp     timestamptz NOT NULL DEFAULT now(),
    user_sub      varchar(255) NOT NULL,
    action        varchar(64) NOT NULL CHECK (action <> ''),
    tool_name     varchar(128),
    tool_tier     varchar(32),
    device_id     varchar(64) REFERENCES devices (id) ON DELETE SET NULL,
    environment   varchar(32),
    plan_id       varchar(64) REFERENCES plans (id) ON DELETE SET NULL,
    job_id        varchar(64),
    result        varchar(16) NOT NULL
        CHECK (result IN ('SUCCESS', 'FAILURE', 'ERROR', 'PARTIAL')),
    meta          jsonb NOT NULL DEFAULT '{}',
    error_message text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_timestamp ON audit_events (timestamp);
CREATE INDEX audit_events_user_action ON audit_events (user_sub, action);
CREATE INDEX audit_events_tool ON audit_events (tool_name);
CREATE INDEX audit_events_device ON audit_events (device_id);
