#!/usr/bin/perl
# The audit trail: tool calls, device writes, plan transitions and admin
# device changes are hash-chained events; `audit verify` passes on the live
# table and names the first broken event on a tampered copy (altered,
# deleted, reordered, smuggled-in rows); secrets never reach the table.
use strict;
use warnings;
use lib 't/lib';
use MCPTest;
use Test::More;

my $IP     = '127.0.0.2';
my $DEV    = 't63-r1';
my $DECOY  = 't63-decoy';
my $SCHEMA = 't63_tamper';
my $admin  = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
             . '/routeros-mcp-admin';
my $decoy_pw = 't63-pw-' . join('', map { int(rand(10)) } 1 .. 12);
my $token    = 'rmcp1-' . join('', map { sprintf('%x', int(rand(16))) } 1 .. 32)
               . '-9999999999-' . ('c' x 64);

sub admin_ok { return system($admin, @_) == 0 }
sub remove_if_present {
    my ($id) = @_;
    admin_ok('device', 'remove', $id) if psql_value(
        "SELECT count(*) FROM devices WHERE id = '$id'");
}
# verify against the live table, or against the copy in $SCHEMA
sub verify {
    my ($schema) = @_;
    local $ENV{ROUTEROS_MCP_DATABASE_URL} = $ENV{ROUTEROS_MCP_DATABASE_URL}
        . ($schema ? " options='-csearch_path=$schema,public'" : '');
    my $out = `$admin audit verify 2>&1`;
    return ($? >> 8, $out);
}
sub drop_copy {
    psql("SET client_min_messages = warning; "
         . "DROP SCHEMA IF EXISTS $SCHEMA CASCADE");
}
sub copy_table {
    drop_copy();
    psql("CREATE SCHEMA $SCHEMA");
    psql("CREATE TABLE $SCHEMA.audit_events AS SELECT * FROM "
         . "public.audit_events");
}
# events are linked into the chain by the agent right after they are
# recorded; wait for that before reading their links
sub linked {
    ok(wait_for(sub { psql_value('SELECT count(*) FROM audit_events '
                                 . 'WHERE seq IS NULL') == 0 }, 30),
       'every recorded event is linked into the chain');
}
sub row {
    my ($where) = @_;
    linked();
    my @r = psql("SELECT id, seq, action, coalesce(tool_name, ''), "
        . "coalesce(device_id, ''), result, parameters::text, prev_hash, "
        . "row_hash FROM audit_events WHERE $where ORDER BY seq DESC LIMIT 1");
    return unless @r;
    my %h;
    @h{qw(id seq action tool device result parameters prev row)} = @{ $r[0] };
    $h{parameters} = MCPTest::json_decode($h{parameters});
    return \%h;
}

END {
    eval { drop_copy() };
    eval { sim_reset($IP) };
    eval { remove_if_present($_) } for ($DEV, $DECOY);
}

my ($rc, $out) = verify();
is($rc, 0, 'audit verify passes before the test') or diag $out;
my $seq0 = psql_value('SELECT coalesce(max(seq), 0) FROM audit_events');

# --- admin device changes: audited, password redacted --------------------------
remove_if_present($_) for ($DEV, $DECOY);
ok(admin_ok('device', 'add', '--id', $DEV, '--name', $DEV, '--ip', $IP,
    '--port', $ENV{SIM_PORT}, '--scheme', 'http', '--environment', 'lab',
    '--username', 'admin', '--password-env', 'SIM_PASSWORD',
    '--allow-advanced-writes', '--allow-professional-workflows'),
   "registered $DEV through the CLI");
{
    local $ENV{T63_DECOY_PW} = $decoy_pw;
    ok(admin_ok('device', 'add', '--id', $DECOY, '--name', $DECOY, '--ip',
        '127.0.0.9', '--port', '1', '--scheme', 'http', '--username', 'x',
        '--password-env', 'T63_DECOY_PW'), "registered $DECOY");
}
my $added = row("action = 'DEVICE_ADDED' AND device_id = '$DECOY'");
ok($added, 'DEVICE_ADDED event recorded');
is($added->{parameters}{password}, '[redacted]',
   'its parameters show the password only as [redacted]');
is($added->{parameters}{ip}, '127.0.0.9', '... and the real address');
ok(admin_ok('device', 'remove', $DECOY), "removed $DECOY");
is(row("action = 'DEVICE_REMOVED' AND device_id = '$DECOY'")->{result},
   'SUCCESS', 'DEVICE_REMOVED event recorded');

# --- tool calls -----------------------------------------------------------------
my $s = mcp_session();
$s->initialize();
my $r = $s->call_tool('echo', { message => 't63 hello' });
is($r->{result}{content}[0]{text}, 'Echo: t63 hello', 'echo answered');
my $echo = row("action = 'TOOL_CALL' AND tool_name = 'echo'");
is($echo->{parameters}{message}, 't63 hello', 'TOOL_CALL keeps the arguments');
is($echo->{result}, 'SUCCESS', '... and the outcome');

$r = $s->call_tool('apply_routing_plan',
    { plan_id => 'plan-20990101000000-deadbeef', approval_token => $token });
ok($r->{result}{isError} || $r->{error}, 'apply of an unknown plan refused');
my $apply = row("action = 'TOOL_CALL' AND tool_name = 'apply_routing_plan'");
is($apply->{parameters}{approval_token}, '[redacted]',
   'the approval token is redacted in the TOOL_CALL event');
is($apply->{parameters}{plan_id}, 'plan-20990101000000-deadbeef',
   '... the plan id is kept');

# --- a device write ---------------------------------------------------------------
sim_reset($IP);
$r = $s->call_tool('set_system_identity',
                   { device_id => $DEV, identity => 't63-edge' });
ok(!$r->{result}{isError}, 'set_system_identity succeeded') or diag explain $r;
is(sim_state($IP)->{menus}{'/system/identity'}{name}, 't63-edge',
   'the simulator holds the new identity');
my $write = row("action = 'DEVICE_WRITE' AND device_id = '$DEV'");
is($write->{tool}, 'set_system_identity', 'DEVICE_WRITE event of the write');
is($write->{result}, 'SUCCESS', '... successful');
is($write->{parameters}{identity}, 't63-edge', '... with its arguments');

# --- a plan and its transition ------------------------------------------------------
psql("UPDATE devices SET allow_routing_writes = true, status = 'healthy' "
     . "WHERE id = '$DEV'");
$r = $s->call_tool('plan_add_static_route', { device_ids => [$DEV],
    dst_address => '10.63.0.0/16', gateway => '192.168.88.254' });
my $plan = $r->{result}{structuredContent}{plan_id};
like($plan // '', qr/^plan-/, 'plan created') or diag explain $r;
ok(admin_ok('plan', 'reject', $plan, '--approver', 't63-admin'),
   'plan rejected through the CLI');
is(join(',', map { $_->[0] } psql("SELECT action FROM audit_events WHERE "
       . "plan_id = '$plan' ORDER BY seq")),
   'PLAN_CREATED,PLAN_REJECTED', 'plan creation and rejection audited');
my $rej = row("plan_id = '$plan' AND action = 'PLAN_REJECTED'");
ok($rej->{seq} > 0, 'the transition is a chained event');

# --- the chain --------------------------------------------------------------------
is(psql_value("SELECT count(*) FROM audit_events WHERE seq > $seq0 AND "
              . "(row_hash IS NULL OR prev_hash IS NULL)"), 0,
   'every new event has prev_hash and row_hash');
is(psql_value("SELECT count(*) FROM audit_events a JOIN audit_events b "
              . "ON b.seq = a.seq + 1 WHERE a.seq >= $seq0 AND "
              . "b.prev_hash <> a.row_hash"), 0,
   "each event's prev_hash is the row_hash of the one before it");
is(psql_value("SELECT max(seq) - min(seq) + 1 - count(*) FROM audit_events "
              . "WHERE seq > $seq0"), 0, 'seq has no gaps');
is(psql_value("SELECT count(*) FROM audit_events WHERE seq > $seq0 AND "
              . "(audit_events::text LIKE '%$decoy_pw%' OR "
              . "audit_events::text LIKE '%$ENV{SIM_PASSWORD}%' OR "
              . "audit_events::text LIKE '%$token%')"), 0,
   'no password or approval token anywhere in the audit table');

# an event recorded by an agent that died before linking it (written here
# directly) is linked by the running agent's linker
psql("INSERT INTO audit_events (timestamp, user_sub, action, result, "
     . "parameters, meta) VALUES (clock_timestamp(), 't63-orphan', "
     . "'TOOL_CALL', 'SUCCESS', '{}', '{}')");
linked();
ok(psql_value("SELECT seq FROM audit_events WHERE user_sub = 't63-orphan' "
              . "ORDER BY id DESC LIMIT 1") > 0,
   'an event left unlinked by a dead agent is linked by a live one');
($rc, $out) = verify();
is($rc, 0, 'audit verify: exit 0') or diag $out;
my $chained = psql_value('SELECT count(*) FROM audit_events WHERE seq IS NOT NULL');
like($out, qr/^\Q$chained\E events, chain intact/, "... '$chained events, chain intact'");

my $list = `$admin audit list --device $DEV --limit 2`;
my @lines = split /\n/, $list;
is(scalar(@lines), 3, 'audit list --limit 2: header and two events');
like($lines[1] // '', qr/\b\Q$DEV\E\b/, '... of the device asked for');
like($list, qr/DEVICE_WRITE\s+set_system_identity/, '... including the write');

# --- tampering, on a copy of the table ------------------------------------------------
copy_table();
($rc, $out) = verify($SCHEMA);
is($rc, 0, 'the untouched copy verifies') or diag $out;

psql("UPDATE $SCHEMA.audit_events SET result = 'FAILURE' WHERE id = $echo->{id}");
($rc, $out) = verify($SCHEMA);
is($rc, 1, 'an altered outcome: exit 1');
like($out, qr/event $echo->{id}\b.*altered/, '... naming the altered event')
  or diag $out;

copy_table();
psql("DELETE FROM $SCHEMA.audit_events WHERE id = $echo->{id}");
my $next = psql_value("SELECT id FROM $SCHEMA.audit_events WHERE seq > "
                      . "$echo->{seq} ORDER BY seq LIMIT 1");
($rc, $out) = verify($SCHEMA);
is($rc, 1, 'a deleted middle event: exit 1');
like($out, qr/event $next\b.*missing/, '... naming the event after the gap')
  or diag $out;

copy_table();
psql("UPDATE $SCHEMA.audit_events SET seq = CASE id WHEN $echo->{id} THEN "
     . "$write->{seq} ELSE $echo->{seq} END WHERE id IN ($echo->{id}, "
     . "$write->{id})");
($rc, $out) = verify($SCHEMA);
is($rc, 1, 'two events swapped: exit 1');
like($out, qr/event $write->{id}\b/, '... naming the first out-of-place event')
  or diag $out;

copy_table();
psql("UPDATE $SCHEMA.audit_events SET row_hash = NULL, prev_hash = NULL, "
     . "seq = NULL WHERE id = $echo->{id}");
($rc, $out) = verify($SCHEMA);
is($rc, 1, 'an event taken out of the middle of the chain: exit 1');
like($out, qr/missing/, '... the gap it leaves is named') or diag $out;

# the newest event taken out looks like one waiting for the linker, which
# links within moments: still unlinked a minute later, it is reported
copy_table();
my $newest = psql_value("SELECT id FROM $SCHEMA.audit_events "
                        . "WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1");
psql("UPDATE $SCHEMA.audit_events SET row_hash = NULL, prev_hash = NULL, "
     . "seq = NULL WHERE id = $newest");
($rc, $out) = verify($SCHEMA);
is($rc, 0, 'the newest event unlinked a moment ago: waiting, exit 0')
  or diag $out;
like($out, qr/1 more recorded, waiting to be linked/, '... reported as waiting')
  or diag $out;
psql("UPDATE $SCHEMA.audit_events SET timestamp = now() - interval "
     . "'2 minutes' WHERE id = $newest");
($rc, $out) = verify($SCHEMA);
is($rc, 1, 'an event still unlinked after a minute: exit 1');
like($out, qr/event $newest\b.*not linked/, '... naming it') or diag $out;

drop_copy();
($rc, $out) = verify();
is($rc, 0, 'the live table still verifies') or diag $out;

done_testing();
