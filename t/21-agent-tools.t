#!/usr/bin/perl
# 21-agent-tools.t: the six skeleton tools over the real path (MCP client →
# nginx module → Redis → agent → simulated RouterOS / PostgreSQL), each
# answer compared with what the simulator or the database holds.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;
use Time::HiRes ();

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $s = mcp_session();
$s->initialize('2025-06-18');

sub call {
    my ($name, $args) = @_;
    return $s->call_tool($name, $args);
}

my @fault_ips;
END { eval { sim_fault($_, { mode => 'ok' }) } for @fault_ips }

# --- echo -------------------------------------------------------------------
my $audit0 = psql_value("SELECT count(*) FROM audit_events "
                        . "WHERE tool_name = 'echo'");
my $r = call('echo', { message => 'hello from t21' });
is($r->{result}{content}[0]{text}, 'Echo: hello from t21',
   'echo answers "Echo: <message>"');
is_deeply($r->{result}{structuredContent},
          { message => 'hello from t21', environment => 'lab' },
          'echo structured content holds the message and environment');
ok(!$r->{result}{isError}, 'echo is not an error');
is(psql_value("SELECT count(*) FROM audit_events WHERE tool_name = 'echo'"),
   $audit0 + 1, 'the echo call wrote one audit row');
is(psql_value("SELECT result FROM audit_events WHERE tool_name = 'echo' "
              . "ORDER BY id DESC LIMIT 1"), 'SUCCESS',
   'the audit row records success');

# --- service_health -----------------------------------------------------------
$r = call('service_health', {});
my $h = $r->{result}{structuredContent};
is($h->{status}, 'healthy', 'service_health: the stack is healthy');
is($h->{components}{redis}{healthy}, JSON::PP::true, 'Redis answered PING');
is($h->{components}{database}{healthy}, JSON::PP::true,
   'PostgreSQL answered SELECT 1');
my ($latest) = map { /(\d{4})_[^\/]*$/ ? $1 + 0 : () }
  (sort glob(($ENV{MCP_ROOT} // '.') . '/migrations/[0-9][0-9][0-9][0-9]_*.sql'))[-1];
is($h->{components}{database}{schema_version}, $latest,
   "and reports the newest schema version ($latest)");
cmp_ok($h->{components}{agents}{alive}, '>=', 1, 'at least one agent alive');
my $agent_id = $h->{components}{agents}{agents}[0]{id};
my $beat = redis_cmd('GET', "mcp:agent:$agent_id");
ok(defined $beat, "the reported agent $agent_id has a heartbeat key");
is(json_decode($beat)->{pg}, 'ok', 'whose PostgreSQL state is ok');

# --- list_devices -------------------------------------------------------------
my @ids = map { $_->[0] } psql("SELECT id FROM devices "
                               . "WHERE environment = 'lab' ORDER BY id");
$r = call('list_devices', { environment => 'lab' });
my $l = $r->{result}{structuredContent};
is($l->{total_count}, scalar @ids, 'list_devices counts the lab devices');
is_deeply([ map { $_->{id} } @{ $l->{devices} } ], \@ids,
          'and lists them in id order');
my ($r1) = grep { $_->{id} eq 'dev-sim-r1' } @{ $l->{devices} };
is($r1->{management_ip}, '127.0.0.2', 'with the management address');
is($r1->{management_port}, $ENV{SIM_PORT}, 'and port');

my $old_tags = psql_value("SELECT tags::text FROM devices "
                          . "WHERE id = 'dev-sim-r2'");
psql("UPDATE devices SET tags = '{\"site\":\"t21\",\"role\":\"edge\"}' "
     . "WHERE id = 'dev-sim-r2'");
$r = call('list_devices', { tags => { site => 't21' } });
is_deeply([ map { $_->{id} } @{ $r->{result}{structuredContent}{devices} } ],
          ['dev-sim-r2'], 'the tag filter selects the tagged device only');
$r = call('list_devices', { tags => { site => 't21', role => 'core' } });
is($r->{result}{structuredContent}{total_count}, 0,
   'every given tag must match');
psql("UPDATE devices SET tags = '$old_tags' WHERE id = 'dev-sim-r2'");
$r = call('list_devices', { environment => 'prod' });
is($r->{result}{structuredContent}{total_count},
   psql_value("SELECT count(*) FROM devices WHERE environment = 'prod'"),
   'the environment filter applies');

# --- check_connectivity ---------------------------------------------------------
my $res1 = sim_state('127.0.0.2')->{menus}{'/system/resource'};
$r = call('check_connectivity', { device_id => 'dev-sim-r1' });
my $c = $r->{result}{structuredContent};
is($c->{reachable}, JSON::PP::true, 'check_connectivity: dev-sim-r1 reachable');
is($c->{routeros_version}, $res1->{version},
   'with the version the simulator runs');
is($c->{failure_reason}, undef, 'and no failure reason');
is_deeply([ psql("SELECT status, routeros_version, "
                 . "(last_seen_at > now() - interval '1 minute')::text "
                 . "FROM devices WHERE id = 'dev-sim-r1'") ],
          [[ 'healthy', $res1->{version}, 'true' ]],
          'the device row records healthy, version and last_seen_at');

push @fault_ips, '127.0.0.3';
sim_fault('127.0.0.3', { mode => 'down' });
$r = call('check_connectivity', { device_id => 'dev-sim-r2' });
$c = $r->{result}{structuredContent};
is($r->{result}{isError}, JSON::PP::true,
   'an unreachable device is an error result');
is($c->{reachable}, JSON::PP::false, 'reachable is false');
is($c->{failure_reason}, 'network_error',
   'a closed connection is a network_error');
ok(scalar @{ $c->{suggestions} }, 'with suggestions');
is(psql_value("SELECT status FROM devices WHERE id = 'dev-sim-r2'"),
   'unreachable', 'the device row records unreachable');
sim_fault('127.0.0.3', { mode => 'ok' });

# --- get_system_overview ----------------------------------------------------------
for my $n (1, 2) {
    my $ip = '127.0.0.' . ($n + 1);
    my $st = sim_state($ip);
    my $res = $st->{menus}{'/system/resource'};
    $r = call('get_system_overview', { device_id => "dev-sim-r$n" });
    my $o = $r->{result}{structuredContent};
    is($o->{system_identity}, $st->{menus}{'/system/identity'}{name},
       "overview of dev-sim-r$n: identity from the simulator");
    is($o->{routeros_version}, $res->{version}, '... RouterOS version');
    is($o->{hardware_model}, $res->{'board-name'}, '... board');
    is($o->{architecture}, $res->{'architecture-name'}, '... architecture');
    is($o->{cpu_count}, $res->{'cpu-count'} + 0, '... CPU count');
    is($o->{memory_total_bytes}, $res->{'total-memory'} + 0,
       '... total memory');
    is($o->{memory_free_bytes}, $res->{'free-memory'} + 0, '... free memory');
    like($r->{result}{content}[0]{text}, qr/\Q$res->{version}\E/,
         '... and the text names the version');
}

# --- device_health ----------------------------------------------------------------
my $hc0 = psql_value("SELECT count(*) FROM health_checks "
                     . "WHERE device_id = 'dev-sim-r3'");
my $res3 = sim_state('127.0.0.4')->{menus}{'/system/resource'};
$r = call('device_health', { device_id => 'dev-sim-r3' });
my $d = $r->{result}{structuredContent};
is($d->{status}, 'healthy', 'device_health: dev-sim-r3 is healthy');
is($d->{cpu_usage_percent}, $res3->{'cpu-load'} + 0, 'CPU load as simulated');
my $mem = ($res3->{'total-memory'} - $res3->{'free-memory'}) * 100
          / $res3->{'total-memory'};
ok(abs($d->{memory_usage_percent} - $mem) < 0.01,
   'memory use computed from the simulated totals');
is(psql_value("SELECT count(*) FROM health_checks "
              . "WHERE device_id = 'dev-sim-r3'"), $hc0 + 1,
   'one health_checks row was added');
is(psql_value("SELECT status FROM health_checks WHERE device_id = "
              . "'dev-sim-r3' ORDER BY id DESC LIMIT 1"), 'healthy',
   'recording healthy');

push @fault_ips, '127.0.0.4';
sim_fault('127.0.0.4', { mode => 'down' });
$r = call('device_health', { device_id => 'dev-sim-r3' });
is($r->{result}{structuredContent}{status}, 'unreachable',
   'a down device is unreachable');
is($r->{result}{isError}, JSON::PP::true, 'which is an error result');
is(psql_value("SELECT status FROM health_checks WHERE device_id = "
              . "'dev-sim-r3' ORDER BY id DESC LIMIT 1"), 'unreachable',
   'and is recorded as such');
sim_fault('127.0.0.4', { mode => 'ok' });

# --- unknown device ------------------------------------------------------------------
for my $tool (qw(check_connectivity get_system_overview device_health)) {
    $r = call($tool, { device_id => 'dev-no-such-t21' });
    is($r->{error}{code}, -32000, "$tool on an unknown device: -32000");
    like($r->{error}{message}, qr/device not found: dev-no-such-t21/,
         '... naming the device');
}
is(psql_value("SELECT result FROM audit_events WHERE tool_name = "
              . "'device_health' ORDER BY id DESC LIMIT 1"), 'ERROR',
   'the failed call is audited as ERROR');

# --- the agent's job handling, driven straight through Redis -------------------
# job(name, args, deadline_ms, progress) → job id; XADDs a job like the module.
sub job {
    my ($name, $args, $deadline, $progress, $id) = @_;
    $id //= join '', map { sprintf '%02x', int rand 256 } 1 .. 16;
    redis_cmd('XADD', 'mcp:jobs', '*', 'job', json_encode({
        v => 1, id => $id, kind => 'tool', name => $name,
        arguments => $args, subject => 't21', session => '',
        deadline => $deadline, notify => 'mcp:notify:t21:1',
        progress => $progress ? JSON::PP::true : JSON::PP::false }));
    return $id;
}
sub records {
    my ($id) = @_;
    my $ev = redis_cmd('XRANGE', "mcp:job:{$id}:events", '-', '+') // [];
    return [ map { +{ @{ $_->[1] } } } @$ev ];
}
sub final_records {
    my ($id) = @_;
    my $recs;
    wait_for(sub { $recs = records($id);
                   grep { $_->{type} =~ /^(result|error)$/ } @$recs }, 20);
    return $recs;
}
my $now_ms = int(Time::HiRes::time() * 1000);

my $id = job('get_system_overview', { device_id => 'dev-sim-r1' },
             $now_ms + 15000, 1);
my $recs = final_records($id);
is_deeply([ map { $_->{type} } @$recs ], [qw(progress progress result)],
          'a job asking for progress gets two progress records, then result');
is_deeply([ map { json_decode($_->{data})->{progress} } @$recs[0, 1] ],
          [ 1, 2 ], 'progress counts 1 then 2');
is(json_decode($recs->[1]{data})->{total}, 2, 'out of a total of 2');
my $ttl = redis_cmd('TTL', "mcp:job:{$id}:events");
ok($ttl > 0 && $ttl <= 600, 'the event stream expires within 600 s');

# at-least-once delivery: the same job again is acked, not run twice
job('get_system_overview', { device_id => 'dev-sim-r1' }, $now_ms + 15000,
    1, $id);
ok(wait_for(sub { redis_cmd('XPENDING', 'mcp:jobs', 'agents')->[0] == 0 }),
   'a redelivered job is acked');
is(scalar @{ records($id) }, 3, 'without a second answer');

$id = job('echo', { message => 'late' }, $now_ms - 1000, 0);
$recs = final_records($id);
is($recs->[0]{type}, 'error', 'a job past its deadline is not run');
is(json_decode($recs->[0]{data})->{code}, -32004,
   'it gets the timeout error code');

$id = job('no_such_tool', {}, $now_ms + 15000, 0);
$recs = final_records($id);
is(json_decode($recs->[0]{data})->{code}, -32602,
   'an unknown tool is an invalid-params error');

done_testing();
