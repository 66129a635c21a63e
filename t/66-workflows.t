#!/usr/bin/perl
# 66-workflows.t: trusted workflows (ROUTEROS_MCP_TRUSTED_WORKFLOWS): off
# unless configured; a plan created with a configured workflow's name is
# approved at once when the workflow admits the caller, every device (scope
# patterns) and their environment, audited auto_approved=true with the
# workflow's name; any mismatch leaves the plan pending with the reason.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Temp qw(tempfile);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
plan skip_all => 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack'
  unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};

my @ips = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = true, "
     . "status = 'healthy' WHERE id LIKE 'dev-sim-r_'");
END {
    my $rc = $?;
    delete $ENV{ROUTEROS_MCP_TRUSTED_WORKFLOWS};
    eval { stack_cmd('restart-agent') };
    eval { sim_reset($_) for @ips };
    eval { psql("UPDATE devices SET allow_professional_workflows = false "
                . "WHERE id LIKE 'dev-sim-r_'") };
    $? = $rc;
}

my $s = mcp_session();
$s->initialize();
sub sc { return $_[0]{result}{structuredContent} }
sub plan_with {
    my ($wf, @devs) = @_;
    return sc($s->call_tool('config_plan_dns_ntp_rollout', {
        device_ids => \@devs, dns_servers => ['10.66.0.1'], batch_size => 1,
        pause_seconds => 0, workflow => $wf }));
}

# --- off unless configured ---------------------------------------------------
delete $ENV{ROUTEROS_MCP_TRUSTED_WORKFLOWS};
stack_cmd('restart-agent');
my $p = plan_with('t66-dns', 'dev-sim-r1', 'dev-sim-r3');
is($p->{status}, 'pending', 'not configured: the plan stays pending');
is($p->{auto_approved}, JSON::PP::false(), '... not auto-approved');
like($p->{workflow_refused}, qr/no trusted workflows are configured/,
     '... and says why');
ok(!exists $p->{approval_token}, '... no token');

# --- configured -----------------------------------------------------------------
my ($fh, $file) = tempfile(UNLINK => 1);
print {$fh} MCPTest::json_encode([
    { name => 't66-dns', environment => 'lab',
      devices => ['dev-sim-r1', 'dev-sim-r3'], subjects => ['anonymous'] },
    { name => 't66-glob', environment => 'lab', devices => ['dev-sim-r*'] },
    { name => 't66-prod', environment => 'prod', devices => ['dev-sim-*'] },
    { name => 't66-others', environment => 'lab', devices => ['dev-sim-*'],
      subjects => ['ci-bot'] },
]);
close $fh;
$ENV{ROUTEROS_MCP_TRUSTED_WORKFLOWS} = $file;
stack_cmd('restart-agent');

$p = plan_with('t66-dns', 'dev-sim-r1', 'dev-sim-r3');
is($p->{status}, 'approved', 'matching workflow: approved at once');
is($p->{auto_approved}, JSON::PP::true(), '... auto_approved');
is($p->{workflow}, 't66-dns', '... names the workflow');
like($p->{approval_token}, qr/^rmcp1-[0-9a-f]{32}-\d+-[0-9a-f]{64}$/,
     '... and returns the single-use token');
my $plan = $p->{plan_id};
is(psql_value("SELECT status || ' ' || approved_by FROM plans WHERE id = "
              . "'$plan'"), 'approved workflow:t66-dns',
   'plan row approved by workflow:t66-dns');
my $meta = MCPTest::json_decode(psql_value(
    "SELECT meta::text FROM audit_events WHERE plan_id = '$plan' AND "
    . "action = 'PLAN_APPROVED'"));
is($meta->{auto_approved}, JSON::PP::true(), 'audit: auto_approved=true');
is($meta->{workflow}, 't66-dns', 'audit: the workflow name');
my $r = $s->call_tool('config_apply_dns_ntp_rollout',
    { plan_id => $plan, approval_token => $p->{approval_token} });
is(sc($r)->{status}, 'completed', 'the token applies the plan');
is(sim_state($_)->{menus}{'/ip/dns'}{servers}, '10.66.0.1', "$_ changed")
  for @ips[0, 2];

$p = plan_with('t66-glob', 'dev-sim-r1', 'dev-sim-r2');
is($p->{status}, 'approved', 'scope patterns (dev-sim-r*) match');

$p = plan_with('t66-dns', 'dev-sim-r1', 'dev-sim-r2');
is($p->{status}, 'pending', 'a device outside the scope: pending');
like($p->{workflow_refused}, qr/dev-sim-r2 is outside/, '... names it');
is(psql_value("SELECT status FROM plans WHERE id = '$p->{plan_id}'"),
   'pending', '... in PostgreSQL too');

$p = plan_with('t66-prod', 'dev-sim-r1', 'dev-sim-r2');
is($p->{status}, 'pending', 'another environment: pending');
like($p->{workflow_refused}, qr/environment prod/, '... says so');

$p = plan_with('t66-others', 'dev-sim-r1', 'dev-sim-r2');
is($p->{status}, 'pending', 'a caller the workflow does not admit: pending');
like($p->{workflow_refused}, qr/anonymous may not use/, '... says so');

$p = plan_with('t66-nope', 'dev-sim-r1', 'dev-sim-r2');
is($p->{status}, 'pending', 'unknown workflow: pending');
like($p->{workflow_refused}, qr/no trusted workflow named t66-nope/,
     '... says so');

# a manual approval is audited auto_approved=false
my $tok = `$ENV{BUILD}/routeros-mcp-admin plan approve $p->{plan_id} --approver t66 2>/dev/null`;
ok($tok, 'manual approval of the pending plan');
is(psql_value("SELECT meta->>'auto_approved' FROM audit_events WHERE "
              . "plan_id = '$p->{plan_id}' AND action = 'PLAN_APPROVED'"),
   'false', 'audited auto_approved=false');

done_testing();
