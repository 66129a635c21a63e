#!/usr/bin/perl
# 12-resources.t: resources/list, resources/templates/list and resources/read
# over the real path (nginx → Redis → agent → simulator / PostgreSQL), each
# document compared with what the simulator or PostgreSQL holds.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $s = mcp_session();
$s->initialize('2025-11-25');

my $tag = "t12-$$";
my @touched;
END {
    eval { sim_reset($_) } for @touched;
    # the audit event written below stays: the agent links every recorded
    # event into the hash chain, and deleting one would break it
    eval {
        psql("DELETE FROM plans WHERE id = 'plan-$tag'");
        psql("DELETE FROM snapshots WHERE id LIKE 'snap-$tag%'");
    };
}

# POST /__sim/state: objects merge into singletons.
sub sim_set {
    my ($ip, $menus) = @_;
    push @touched, $ip;
    my $res = HTTP::Tiny->new->post(sim_url($ip, '/__sim/state'),
        { headers => { 'Content-Type' => 'application/json' },
          content => json_encode({ menus => $menus }) });
    die "sim_set $ip: $res->{status}" unless $res->{success};
}

sub read_uri {
    my ($uri) = @_;
    my $r = $s->request('resources/read', { uri => $uri });
    die "resources/read $uri: HTTP $r->{status}" unless $r->{json};
    return $r->{json};
}

# The JSON document of a resource (dies when the read failed).
sub doc {
    my ($uri) = @_;
    my $r = read_uri($uri);
    my $c = $r->{result}{contents}
      or die "resources/read $uri: " . json_encode($r);
    return json_decode($c->[0]{text});
}

sub not_found_ok {
    my ($uri, $what) = @_;
    my $r = read_uri($uri);
    is($r->{error}{code}, -32002, "$what: -32002");
    is($r->{error}{data}{uri}, $uri, "$what: data.uri names the URI");
    ok(!exists $r->{result}, "$what: no contents at all");
}

# --- listings -----------------------------------------------------------------

my $list = $s->request('resources/list', {})->{json}{result};
is_deeply([ sort map { $_->{uri} } @{ $list->{resources} } ],
          [ 'audit://events/recent', 'fleet://devices-by-environment',
            'fleet://health-summary' ],
          'resources/list: the three concrete resources');
is_deeply([ grep { $_->{mimeType} ne 'application/json' || !$_->{name} }
            @{ $list->{resources} } ], [],
          'resources/list: each has a name and mimeType application/json');
ok(!exists $list->{nextCursor}, 'resources/list: one page');

my $tpl = $s->request('resources/templates/list', {})->{json}{result};
is_deeply([ sort map { $_->{uriTemplate} } @{ $tpl->{resourceTemplates} } ],
          [ 'audit://events/by-device/{device_id}',
            'device://{device_id}/config', 'device://{device_id}/health',
            'device://{device_id}/overview', 'job://{job_id}',
            'plan://{plan_id}/details', 'plan://{plan_id}/history' ],
          'resources/templates/list: the seven RFC 6570 templates');

is($s->request('resources/list', { cursor => 'x' })->{json}{error}{code},
   -32602, 'resources/list: a cursor is invalid (-32602)');

# --- device://{id}/overview and /health ----------------------------------------

my $identity = "ident-$tag";
sim_set('127.0.0.2', { '/system/identity' => { name => $identity } });
my $state = sim_state('127.0.0.2');

my $ov = doc('device://dev-sim-r1/overview');
is($ov->{device}{id}, 'dev-sim-r1', 'overview: registry row of the device');
is($ov->{device}{management_ip}, '127.0.0.2', 'overview: its management IP');
is($ov->{system}{system_identity}, $identity,
   'overview: the identity the simulator holds');
is($ov->{system}{routeros_version},
   $state->{menus}{'/system/resource'}{version},
   'overview: the RouterOS version the simulator reports');
is($ov->{system}{hardware_model},
   $state->{menus}{'/system/resource'}{'board-name'},
   'overview: the board the simulator reports');

my $before = psql_value(
    "SELECT count(*) FROM health_checks WHERE device_id = 'dev-sim-r1'");
my $h = doc('device://dev-sim-r1/health');
is($h->{status}, 'healthy', 'health: a live check of a healthy device');
is($h->{checks}{cpu_ok}, JSON::PP::true, 'health: checks.cpu_ok');
is(psql_value("SELECT count(*) FROM health_checks "
              . "WHERE device_id = 'dev-sim-r1'"), $before + 1,
   'health: the check is stored in health_checks');
my ($cpu) = psql("SELECT status, cpu_usage_percent FROM health_checks "
                 . "WHERE device_id = 'dev-sim-r1' ORDER BY id DESC LIMIT 1");
$ov = doc('device://dev-sim-r1/overview');
is($ov->{health}{status}, $cpu->[0],
   'overview: health block is the latest stored check');
is($ov->{health}{cpu_usage_percent}, $cpu->[1],
   'overview: with its CPU figure');

not_found_ok('device://dev-nope/overview', 'unknown device overview');
not_found_ok('device://dev-nope/health', 'unknown device health');

# --- device://{id}/config -------------------------------------------------------

not_found_ok('device://dev-sim-r2/config', 'config without a snapshot');
psql("INSERT INTO snapshots (id, device_id, kind, data, checksum) VALUES "
     . "('snap-$tag', 'dev-sim-r2', 'config', "
     . "convert_to('/ip dns set servers=192.0.2.53', 'UTF8'), "
     . "repeat('a', 64))");
my $cfg = doc('device://dev-sim-r2/config');
is($cfg->{config}, '/ip dns set servers=192.0.2.53',
   'config: the text of the latest config snapshot');
is($cfg->{_meta}{snapshot_id}, "snap-$tag", 'config: names the snapshot');

# --- plan://{id}/details and /history -------------------------------------------

not_found_ok('plan://plan-nope/details', 'unknown plan details');
not_found_ok('plan://plan-nope/history', 'unknown plan history');
psql("INSERT INTO plans (id, created_by, tool_name, device_ids, summary, "
     . "content_hash) VALUES ('plan-$tag', 'tester', 'plan_dns_ntp', "
     . "'[\"dev-sim-r1\"]', 'summary $tag', repeat('0', 64))");
psql("INSERT INTO audit_events (user_sub, action, plan_id, result) VALUES "
     . "('tester', 'PLAN_CREATED', 'plan-$tag', 'SUCCESS')");
my $pd = doc("plan://plan-$tag/details");
is($pd->{plan_id}, "plan-$tag", 'plan details: the plan');
is($pd->{status}, 'pending', 'plan details: its status');
is($pd->{summary}, "summary $tag", 'plan details: its summary');
is_deeply($pd->{device_ids}, ['dev-sim-r1'], 'plan details: its devices');
my $ph = doc("plan://plan-$tag/history");
is_deeply([ map { $_->{action} } @{ $ph->{events} } ], ['PLAN_CREATED'],
          'plan history: its audit rows');

# --- audit:// --------------------------------------------------------------------

my $call = $s->call_tool('device_health', { device_id => 'dev-sim-r3' });
ok($call->{result}, 'a tool call to audit');
my $last = psql_value("SELECT id FROM audit_events WHERE tool_name = "
                      . "'device_health' AND device_id = 'dev-sim-r3' "
                      . "ORDER BY id DESC LIMIT 1");
my $recent = doc('audit://events/recent');
ok((grep { $_->{id} == $last } @{ $recent->{events} }),
   'audit recent: holds the row of the tool call just made');
my $newest = psql_value("SELECT id FROM audit_events "
                        . "ORDER BY timestamp DESC, id DESC LIMIT 1");
is($recent->{events}[0]{id}, $newest, 'audit recent: newest first');
ok(@{ $recent->{events} } <= 100, 'audit recent: at most 100');

my $bydev = doc('audit://events/by-device/dev-sim-r3');
is($bydev->{events}[0]{id}, $last,
   'audit by device: newest row is that tool call');
is_deeply([ grep { $_->{device_id} ne 'dev-sim-r3' } @{ $bydev->{events} } ],
          [], 'audit by device: only rows of that device');
not_found_ok('audit://events/by-device/dev-nope', 'audit of unknown device');

# --- fleet:// --------------------------------------------------------------------

my @lab = map { $_->[0] }
          psql("SELECT id FROM devices WHERE environment = 'lab' ORDER BY id");
my $grouped = doc('fleet://devices-by-environment');
is_deeply([ map { $_->{id} } @{ $grouped->{environments}{lab} } ], \@lab,
          'devices by environment: lab holds the lab devices of PostgreSQL');
is_deeply([ sort keys %{ $grouped->{environments} } ],
          [qw(lab prod staging)], 'devices by environment: all three groups');

push @touched, '127.0.0.4';
sim_fault('127.0.0.4', { mode => 'down' });
my $fleet = doc('fleet://health-summary');
sim_fault('127.0.0.4', { mode => 'ok' });
is($fleet->{total_devices}, scalar @lab, 'fleet health: every lab device');
is($fleet->{counts}{unreachable}, 1, 'fleet health: the down device counts');
is($fleet->{counts}{healthy}, scalar(@lab) - 1,
   'fleet health: the others are healthy');
is($fleet->{overall_status}, 'degraded', 'fleet health: overall degraded');
is_deeply([ map { $_->{device_id} } @{ $fleet->{devices_needing_attention} } ],
          ['dev-sim-r3'], 'fleet health: the down device needs attention');

# --- invalid URIs -------------------------------------------------------------------

my %bad = ('not a uri' => 'no scheme', '' => 'empty',
           'device://dev sim/overview' => 'a space',
           "x:\x01" => 'a control character');
for my $uri (sort keys %bad) {
    is(read_uri($uri)->{error}{code}, -32602, "invalid URI ($bad{$uri}): -32602");
}
is($s->request('resources/read', {})->{json}{error}{code}, -32602,
   'missing uri: -32602');
not_found_ok('zzz://unknown', 'URI of no served resource');
not_found_ok('device://dev-sim-r1/nope', 'unknown device sub-resource');

done_testing;
