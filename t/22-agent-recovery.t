#!/usr/bin/perl
# 22-agent-recovery.t: at-least-once delivery: a job pending on an agent
# killed with SIGKILL is claimed and answered by the next agent; SIGTERM
# drains in-flight jobs; a job delivered too often goes to mcp:jobs:dead
# and its client gets an error record.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Temp qw(tempfile);
use POSIX ();
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $slow_ip = '127.0.0.2';
# Agents started by this test reclaim after 5 s instead of 15 s.
$ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS} = 5000;

END {
    eval { sim_fault($slow_ip, { mode => 'ok' }) };
    # leave a default agent behind for the tests that follow
    delete $ENV{ROUTEROS_MCP_RECLAIM_IDLE_MS};
    eval { stack_cmd('restart-agent') };
}

# Calls a tool in a child process; returns (pid, file with the JSON reply).
sub call_in_background {
    my ($tool, $args) = @_;
    my ($fh, $file) = tempfile(UNLINK => 1);
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        my $s = mcp_session();
        $s->initialize('2025-06-18');
        my $r = eval { $s->call_tool($tool, $args) } // { died => "$@" };
        # _exit: the child must not run the END block (it restarts the agent)
        open(my $out, '>', $file) or POSIX::_exit(1);
        print {$out} json_encode($r);
        close $out;
        POSIX::_exit(0);
    }
    return ($pid, $file);
}

sub reply_of {
    my ($pid, $file) = @_;
    waitpid($pid, 0);
    open(my $fh, '<', $file) or return undef;
    local $/;
    my $text = <$fh>;
    return length($text // '') ? json_decode($text) : undef;
}

sub pending_count {
    my $p = redis_cmd('XPENDING', 'mcp:jobs', 'agents');
    return $p->[0];
}

my $version = sim_state($slow_ip)->{menus}{'/system/resource'}{version};

# --- kill -9 with a job in flight ----------------------------------------------
stack_cmd('restart-agent');
sim_fault($slow_ip, { mode => 'slow', latency_ms => 3000 });
my ($pid, $file) = call_in_background('check_connectivity',
                                      { device_id => 'dev-sim-r1' });
ok(wait_for(sub { pending_count() > 0 }, 10),
   'the job is pending on the agent');
stack_cmd('kill9-agent');
sim_fault($slow_ip, { mode => 'slow', latency_ms => 500 });
stack_cmd('start-agent');
my $r = reply_of($pid, $file);
is($r->{result}{structuredContent}{reachable}, JSON::PP::true,
   'the client still gets its result from the next agent')
  or diag explain $r;
is($r->{result}{structuredContent}{routeros_version}, $version,
   'with the version the simulator holds');
ok(wait_for(sub { pending_count() == 0 }, 10),
   'nothing is left pending after the recovery');

# --- SIGTERM drains ---------------------------------------------------------------
sim_fault($slow_ip, { mode => 'slow', latency_ms => 2000 });
($pid, $file) = call_in_background('get_system_overview',
                                   { device_id => 'dev-sim-r1' });
ok(wait_for(sub { pending_count() > 0 }, 10), 'a job is in flight');
stack_cmd('stop-agent');
$r = reply_of($pid, $file);
is($r->{result}{structuredContent}{routeros_version}, $version,
   'SIGTERM lets the in-flight job finish with its real result')
  or diag explain $r;
is(pending_count(), 0, 'and acks it before exiting');
open(my $log, '<', "$ENV{MCP_VAR}/agent.log") or die $!;
my @lines = <$log>;
ok((grep { /SIGTERM: no new jobs; finishing in-flight/ } @lines),
   'the agent logged the drain');
ok((grep { /agent \S+ stopped/ } @lines[-5 .. -1]),
   'and stopped cleanly');
sim_fault($slow_ip, { mode => 'ok' });

# --- too many deliveries -----------------------------------------------------------
# With no agent running, a fake consumer takes the job three times.
my $job_id = join '', map { sprintf '%02x', int rand 256 } 1 .. 16;
my $job = json_encode({ v => 1, id => $job_id, kind => 'tool',
                        name => 'echo', arguments => { message => 'x' },
                        subject => 't22', session => '',
                        deadline => int(time * 1000) + 60000,
                        progress => JSON::PP::false,
                        notify => 'mcp:notify:t22:1' });
my $dead0 = redis_cmd('XLEN', 'mcp:jobs:dead');
my $entry = redis_cmd('XADD', 'mcp:jobs', '*', 'job', $job);
redis_cmd('XREADGROUP', 'GROUP', 'agents', 't22-fake', 'COUNT', '100',
          'STREAMS', 'mcp:jobs', '>');
redis_cmd('XCLAIM', 'mcp:jobs', 'agents', 't22-fake', '0', $entry) for 1 .. 2;
my $p = redis_cmd('XPENDING', 'mcp:jobs', 'agents', $entry, $entry, '1');
is($p->[0][3], 3, 'the job has been delivered three times');
stack_cmd('start-agent');
ok(wait_for(sub { redis_cmd('XLEN', 'mcp:jobs:dead') > $dead0 }, 20),
   'the agent moves it to mcp:jobs:dead on the fourth delivery');
my $events = redis_cmd('XRANGE', "mcp:job:{$job_id}:events", '-', '+');
is(scalar @$events, 1, 'its event stream has one record');
my %rec = @{ $events->[0][1] };
is($rec{type}, 'error', 'an error record');
like(json_decode($rec{data})->{message}, qr/delivered 4 times/,
     'saying why the job was given up');
is(redis_cmd('XPENDING', 'mcp:jobs', 'agents', $entry, $entry, '1')->[0],
   undef, 'and the entry is acked');
redis_cmd('XGROUP', 'DELCONSUMER', 'mcp:jobs', 'agents', 't22-fake');

done_testing();
