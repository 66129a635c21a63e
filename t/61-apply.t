#!/usr/bin/perl
# Plans end to end: plan_* creates a pending plan with live current values,
# the admin CLI approves it (token printed once), apply_* changes the
# simulator; replay, wrong token, tampered content refused; a failed health
# check rolls back; a DNS/NTP rollout halts on a degraded device.
use strict;
use warnings;
use lib 't/lib';
use MCPTest;
use Test::More;

plan skip_all => 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack'
  unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};

my $admin = "$ENV{BUILD}/routeros-mcp-admin";
my @ips = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = true, "
     . "allow_routing_writes = true, status = 'healthy'");

my $s = mcp_session();
$s->initialize();

sub sc { return $_[0]{result}{structuredContent} }
sub approve {
    my ($id) = @_;
    my $tok = `$admin plan approve $id --approver alice 2>/dev/null`;
    chomp $tok;
    return $tok;
}
sub routes { return [ map { $_->{'dst-address'} }
                      @{ sim_state($_[0])->{menus}{'/ip/route'} } ] }

# --- add route: plan, approve, apply, replay -------------------------------
my $r = $s->call_tool('plan_add_static_route', { device_ids => ['dev-sim-r1'],
    dst_address => '10.77.0.0/16', gateway => '192.168.88.254',
    comment => 'plan-test' });
my $plan = sc($r)->{plan_id};
like($plan, qr/^plan-\d{14}-[0-9a-f]{8}$/, 'plan id returned');
is(sc($r)->{status}, 'pending', 'new plan is pending');
is(sc($r)->{risk_level}, 'medium', 'add route off the management net: medium');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'pending',
   'plan row pending');
ok(!grep({ $_ eq '10.77.0.0/16' } @{ routes('127.0.0.2') }),
   'planning did not touch the device');

$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
    approval_token => 'rmcp1-' . ('0' x 32) . '-9999999999-' . ('a' x 64) });
ok($r->{result}{isError}, 'apply before approval refused');
like($r->{result}{content}[0]{text}, qr/not been approved/, 'says not approved');

my $tok = approve($plan);
like($tok, qr/^rmcp1-[0-9a-f]{32}-\d+-[0-9a-f]{64}$/, 'CLI prints a token');
is(psql_value("SELECT status || ' ' || approved_by FROM plans WHERE id = "
              . "'$plan'"), 'approved alice', 'plan approved by alice');

(my $wrong = $tok) =~ s/-([0-9a-f])([0-9a-f]{63})$/-@{[$1 eq 'a' ? 'b' : 'a']}$2/;
$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
                                           approval_token => $wrong });
ok($r->{result}{isError}, 'wrong token refused');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'approved',
   'wrong token left the plan approved');

$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
                                           approval_token => $tok });
ok(!$r->{result}{isError}, 'apply succeeds')
  or diag explain $r;
is(sc($r)->{status}, 'completed', 'plan completed');
is(sc($r)->{devices}[0]{status}, 'applied', 'device applied');
my ($route) = grep { $_->{'dst-address'} eq '10.77.0.0/16' }
  @{ sim_state('127.0.0.2')->{menus}{'/ip/route'} };
is($route->{gateway}, '192.168.88.254', 'simulator holds the new route');
is($route->{comment}, 'plan-test', 'with its comment');
ok(psql_value("SELECT count(*) FROM snapshots WHERE device_id = 'dev-sim-r1' "
              . "AND kind = '/ip/route'") >= 1, 'snapshot row stored');
is(psql_value("SELECT string_agg(action, ',' ORDER BY id) FROM audit_events "
              . "WHERE plan_id = '$plan'"),
   'PLAN_CREATED,PLAN_APPROVED,PLAN_EXECUTION_STARTED,'
   . 'PLAN_EXECUTION_COMPLETED', 'every transition audited');

$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
                                           approval_token => $tok });
ok($r->{result}{isError}, 'replayed token refused');
like($r->{result}{content}[0]{text}, qr/already used/, 'says already used');

# --- rollback of a completed plan -------------------------------------------
$r = $s->call_tool('config_rollback_plan', { plan_id => $plan,
                                             reason => 'test undo' });
is(sc($r)->{status}, 'rolled_back', 'config_rollback_plan rolled it back');
ok(!grep({ $_ eq '10.77.0.0/16' } @{ routes('127.0.0.2') }),
   'route gone from the simulator');

# --- content changed after approval ----------------------------------------
$r = $s->call_tool('plan_add_static_route', { device_ids => ['dev-sim-r1'],
    dst_address => '10.78.0.0/16', gateway => '192.168.88.254' });
$plan = sc($r)->{plan_id};
$tok = approve($plan);
psql("UPDATE plans SET changes = jsonb_set(changes, "
     . "'{devices,dev-sim-r1,writes,0,body,dst-address}', '\"10.79.0.0/16\"')"
     . " WHERE id = '$plan'");
$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
                                           approval_token => $tok });
ok($r->{result}{isError}, 'tampered plan refused');
like($r->{result}{content}[0]{text}, qr/no longer matches the hash/,
     'says content changed');
ok(!grep({ /^10\.7[89]\./ } @{ routes('127.0.0.2') }), 'nothing applied');

# --- health failure after the change: rollback to the snapshot ------------
my $before = routes('127.0.0.2');
$r = $s->call_tool('plan_add_static_route', { device_ids => ['dev-sim-r1'],
    dst_address => '10.80.0.0/16', gateway => '192.168.88.254' });
$plan = sc($r)->{plan_id};
$tok = approve($plan);
sim_fault('127.0.0.2', { mode => 'error500', paths => ['/system/resource'] });
$r = $s->call_tool('apply_routing_plan', { plan_id => $plan,
                                           approval_token => $tok });
sim_fault('127.0.0.2', { mode => 'ok' });
ok($r->{result}{isError}, 'apply with failing health check is an error');
is(sc($r)->{devices}[0]{status}, 'rolled_back', 'device rolled back');
is(sc($r)->{status}, 'rolled_back', 'plan rolled_back');
is_deeply(routes('127.0.0.2'), $before, 'simulator back to the snapshot');

# --- invalid arguments ------------------------------------------------------
$r = $s->call_tool('plan_add_static_route', { device_ids => ['dev-sim-r1'],
    dst_address => '0.0.0.0/0', gateway => '192.168.88.1' });
is($r->{error}{code}, -32602, 'default route refused');
like($r->{error}{message}, qr/dst_address/, 'names dst_address');
$r = $s->call_tool('plan_modify_static_route', { device_ids => ['dev-sim-r1'],
    route_id => '*1' });
is($r->{error}{code}, -32602, 'modify without a change refused');
psql("UPDATE devices SET allow_routing_writes = false WHERE id = 'dev-sim-r2'");
$r = $s->call_tool('plan_remove_static_route', {
    device_ids => ['dev-sim-r2'], route_id => '*1' });
ok($r->{result}{isError}, 'device without allow_routing_writes refused');
like($r->{result}{content}[0]{text}, qr/allow_routing_writes/, 'names the flag');

# --- reject -----------------------------------------------------------------
$r = $s->call_tool('plan_add_static_route', { device_ids => ['dev-sim-r1'],
    dst_address => '10.81.0.0/16', gateway => '192.168.88.254' });
$plan = sc($r)->{plan_id};
is(system("$admin plan reject $plan >/dev/null 2>&1"), 0, 'CLI reject');
is(psql_value("SELECT status FROM plans WHERE id = '$plan'"), 'cancelled',
   'rejected plan is cancelled');
isnt(system("$admin plan approve $plan --approver bob >/dev/null 2>&1"), 0,
     'a cancelled plan cannot be approved');

# --- DNS/NTP rollout in batches, degraded device halts ----------------------
$r = $s->call_tool('config_plan_dns_ntp_rollout', {
    device_ids => ['dev-sim-r1', 'dev-sim-r2', 'dev-sim-r3'],
    dns_servers => ['9.9.9.9'], ntp_servers => ['pool.ntp.org'],
    batch_size => 1, pause_seconds => 0 });
$plan = sc($r)->{plan_id};
ok($plan, 'rollout planned') or diag explain $r;
my $dns1 = sim_state('127.0.0.2')->{menus}{'/ip/dns'}{servers};
$tok = approve($plan);
MCPTest::_sim('POST', '127.0.0.3', '/__sim/state',
              { menus => { '/system/resource' => { 'cpu-load' => '97' } } });
$r = $s->call_tool('config_apply_dns_ntp_rollout', { plan_id => $plan,
                                                     approval_token => $tok });
my %st = map { $_->{device_id} => $_->{status} } @{ sc($r)->{devices} };
is($st{'dev-sim-r2'}, 'rolled_back', 'degraded device rolled back');
is($st{'dev-sim-r1'}, 'rolled_back', 'earlier batch rolled back too');
ok(!exists $st{'dev-sim-r3'}, 'third batch never started');
is(sc($r)->{status}, 'rolled_back', 'rollout ends rolled_back');
is(sim_state('127.0.0.2')->{menus}{'/ip/dns'}{servers}, $dns1,
   'r1 DNS back to what it was');
isnt(sim_state('127.0.0.4')->{menus}{'/ip/dns'}{servers}, '9.9.9.9',
     'r3 untouched');

$r = $s->call_tool('config_plan_dns_ntp_rollout', {
    device_ids => ['dev-sim-r1', 'dev-sim-r3'], dns_servers => ['9.9.9.9'],
    batch_size => 1, pause_seconds => 0 });
$plan = sc($r)->{plan_id};
$tok = approve($plan);
$r = $s->call_tool('config_apply_dns_ntp_rollout', { plan_id => $plan,
                                                     approval_token => $tok });
is(sc($r)->{status}, 'completed', 'healthy rollout completes');
is(sim_state($_)->{menus}{'/ip/dns'}{servers}, '9.9.9.9', "$_ has new DNS")
  for ('127.0.0.2', '127.0.0.4');

sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = false, "
     . "allow_routing_writes = false");
done_testing();
