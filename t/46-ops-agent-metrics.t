#!/usr/bin/perl
# 46-ops-agent-metrics.t: the agent's own metrics (jobs by tool and outcome,
# device call latency, errors by device, queue gauges) reach /metrics through
# Redis; counts compared with the calls the simulator saw.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

(my $metrics_url = mcp_url()) =~ s{/mcp$}{/metrics};
my $http = HTTP::Tiny->new(timeout => 5);
my $ip = '127.0.0.4';          # dev-sim-r3
my $dev = 'dev-sim-r3';
END { eval { sim_reset($ip) } }

# every mcp_agent_ sample: "name{labels without agent}" => sum over agents
sub agent_metrics {
    my $r = $http->get($metrics_url);
    die "GET /metrics: $r->{status}" unless $r->{success};
    my %m;
    for (split /\n/, $r->{content}) {
        next unless /^(mcp_agent_\w+)\{agent="[^"]+",?(.*)\} (\S+)$/;
        $m{"$1\{$2}"} += $3;
    }
    return (\%m, $r->{content});
}

sub clear_requests {
    my $r = $http->request('DELETE', sim_url($ip, '/__sim/requests'));
    die "clear requests: $r->{status}" unless $r->{success};
}

my $jobs_ok = qq(mcp_agent_jobs_total{tool="get_system_clock",outcome="ok"});
my $jobs_err = qq(mcp_agent_jobs_total{tool="get_system_clock",outcome="tool_error"});
my $count = qq(mcp_agent_device_call_duration_seconds_count{device="$dev",transport="rest"});
my $inf = qq(mcp_agent_device_call_duration_seconds_bucket{device="$dev",transport="rest",le="+Inf"});
my $err500 = qq(mcp_agent_device_errors_total{device="$dev",transport="rest",reason="server_error"});

my $first = wait_for(sub { my @r = agent_metrics(); $r[1] =~ /^mcp_agent_jobs_running\{/m ? \@r : undef }, 15);
my ($m, $text) = @{ $first // [] };
ok($m, 'a live agent exports its gauges') or diag $text;
like($text, qr/^# TYPE mcp_agent_jobs_queued gauge$/m, 'queue depth is a gauge');
my %before = %{ $m // {} };

my $s = mcp_session();
$s->initialize('2025-11-25');
clear_requests();
for (1 .. 3) {
    my $r = $s->call_tool('get_system_clock', { device_id => $dev });
    ok(!$r->{result}{isError}, "get_system_clock $_: answered") or diag explain $r;
}
my $seen = grep { $_->{path} =~ m{^/rest/} } @{ sim_requests($ip) };
cmp_ok($seen, '>=', 3, 'the simulator saw the REST reads');

my $after = wait_for(sub {
    my ($x) = agent_metrics();
    ($x->{$jobs_ok} // 0) - ($before{$jobs_ok} // 0) >= 3 ? $x : undef
}, 15);
ok($after, 'the export reaches /metrics within a few heartbeats');
$after //= {};
is(($after->{$jobs_ok} // 0) - ($before{$jobs_ok} // 0), 3,
   'mcp_agent_jobs_total counts the three calls as ok');
is(($after->{$count} // 0) - ($before{$count} // 0), $seen,
   'one latency sample per REST request the device answered');
is(($after->{$inf} // 0) - ($before{$inf} // 0), $seen, 'the +Inf bucket equals the count');
is(($after->{$err500} // 0) - ($before{$err500} // 0), 0, 'no device errors');

# --- a failing device ------------------------------------------------------------
%before = %$after;
sim_fault($ip, { mode => 'error500', paths => ['/rest/system/clock'] });
clear_requests();
my $r = $s->call_tool('get_system_clock', { device_id => $dev });
ok($r->{result}{isError}, 'a 500 from the device is a tool error') or diag explain $r;
my $failed = grep { $_->{status} == 500 } @{ sim_requests($ip) };
cmp_ok($failed, '>=', 1, 'the simulator answered 500');
$after = wait_for(sub {
    my ($x) = agent_metrics();
    ($x->{$jobs_err} // 0) > ($before{$jobs_err} // 0) ? $x : undef
}, 15) // {};
is(($after->{$jobs_err} // 0) - ($before{$jobs_err} // 0), 1,
   'the job counts as a tool_error');
is(($after->{$err500} // 0) - ($before{$err500} // 0), $failed,
   'mcp_agent_device_errors_total names the device and server_error');
sim_reset($ip);

# --- only well-formed fields and numbers are printed ------------------------------
my $fake = "t46-fake-$$";
END { eval { redis_cmd('ZREM', 'mcp:agents', $fake); redis_cmd('DEL', "mcp:agent:$fake:metrics") } }
redis_cmd('ZADD', 'mcp:agents', int(time() * 1000), $fake);
redis_cmd('HSET', "mcp:agent:$fake:metrics", 'mcp_agent_probe_total{device="x"}', '7',
          'mcp_agent_probe_total{device="x\"} 1\nevil{a="b"}', '1', 'other_metric', '2',
          'mcp_agent_probe_seconds', '1; rm');
redis_cmd('EXPIRE', "mcp:agent:$fake:metrics", 30);
(undef, $text) = agent_metrics();
like($text, qr/^mcp_agent_probe_total\{agent="\Q$fake\E",device="x"\} 7$/m,
     'a well-formed field gets the agent label');
like($text, qr/^# TYPE mcp_agent_probe_total counter$/m, '_total is a counter');
unlike($text, qr/evil|other_metric|mcp_agent_probe_seconds/, 'malformed fields and values are dropped');

done_testing();
