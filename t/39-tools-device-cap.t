#!/usr/bin/perl
# 39-tools-device-cap.t: at most ROUTEROS_MCP_DEVICE_CONCURRENCY (default 3)
# RouterOS calls are in flight per device, however many jobs want it: six
# parallel calls against a slow device, the simulator counts its peak.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;
use POSIX ();

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $R1 = '127.0.0.2';
my $N = 6;
END { local $?; eval { sim_reset($R1) } }
sim_reset($R1);
my $tz = sim_state($R1)->{menus}{'/system/clock'}{'time-zone-name'};

sim_fault($R1, { mode => 'slow', latency_ms => 600,
                 paths => ['/system/clock'] });
MCPTest::_sim('DELETE', $R1, '/__sim/requests');
my @kids;
for my $k (1 .. $N) {
    my $pid = fork() // die "fork: $!";
    if ($pid == 0) {
        my $s = mcp_session();
        $s->initialize('2025-11-25');
        my $r = $s->call_tool('get_system_clock', { device_id => 'dev-sim-r1' });
        my $got = $r->{result}{structuredContent}{time_zone_name} // '';
        POSIX::_exit(!$r->{result}{isError} && $got eq $tz ? 0 : 1);
    }
    push @kids, $pid;
}
my $ok = 0;
for my $pid (@kids) {
    waitpid $pid, 0;
    $ok++ if $? == 0;
}
is($ok, $N, "all $N parallel get_system_clock calls answered $tz");
my $seen = grep { $_->{path} eq '/rest/system/clock' } @{ sim_requests($R1) };
is($seen, $N, "the device saw $N reads");
my $peak = MCPTest::_sim('GET', $R1, '/__sim/inflight');
is($peak->{peak}, 3, 'never more than 3 in flight at the device');
is($peak->{inflight}, 0, 'none left in flight');
sim_fault($R1, { mode => 'ok' });

done_testing();
