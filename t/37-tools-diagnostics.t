#!/usr/bin/perl
# 37-tools-diagnostics.t: ping, traceroute and bandwidth_test over the real
# path against the simulator: results from the device's replies, one device
# request per step (sim request log), progress over SSE, the per-device rate
# limit, argument validation, the bandwidth-test target rules, cancellation.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Temp qw(tempfile);
use POSIX ();
use HTTP::Tiny;
use Time::HiRes qw(sleep);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my ($R1, $R2, $R3) = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
# Fresh device ids per run: the diagnostics rate limit (10 per device per
# minute) is kept per device id, so reruns and other tests never collide.
my $tag   = sprintf '%x%x', $$, time % 65536;
my $DIAG  = "t37-diag-$tag";    # sim-r1, pings and traceroutes
my $SRC   = "t37-src-$tag";     # sim-r1, professional: bandwidth tests
my $TGT   = "t37-tgt-$tag";     # sim-r2, target of bandwidth tests
my $RATE  = "t37-rate-$tag";    # sim-r2, spends its 10 diagnostics
my $SLOW  = "t37-slow-$tag";    # sim-r3, slow device for cancellation
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';

sub register {
    my ($id, $ip, @flags) = @_;
    return system($admin, 'device', 'add', '--id', $id, '--name', $id,
        '--ip', $ip, '--port', $ENV{SIM_PORT}, '--scheme', 'http',
        '--environment', 'lab', '--username', 'admin', '--password-env',
        'SIM_PASSWORD', @flags) == 0;
}

ok(register($DIAG, $R1), "registered $DIAG (sim-r1)");
ok(register($SRC, $R1, '--allow-professional-workflows'),
   "registered $SRC (sim-r1, professional)");
ok(register($TGT, $R2), "registered $TGT (sim-r2)");
ok(register($RATE, $R2), "registered $RATE (sim-r2)");
ok(register($SLOW, $R3), "registered $SLOW (sim-r3)");
sim_reset($_) for ($R1, $R2, $R3);
END {
    local $?;    # the cleanup's exit codes are not the test's
    eval { sim_reset($_) } for ($R1, $R2, $R3);
    eval { system($admin, 'device', 'remove', $_) }
      for ($DIAG, $SRC, $TGT, $RATE, $SLOW);
}

my $s = mcp_session();
$s->initialize('2025-11-25');
sub call { return $s->call_tool(@_) }
sub clear_requests {
    HTTP::Tiny->new->request('DELETE', sim_url($_[0], '/__sim/requests'));
}
# The device requests of one command (e.g. "/rest/ping") on ip.
sub commands {
    my ($ip, $path) = @_;
    return grep { $_->{method} eq 'POST' && $_->{path} eq $path }
           @{ sim_requests($ip) };
}
sub body_of {
    my $b = $_[0]{body};
    return ref $b ? $b : json_decode($b);
}

# --- ping -----------------------------------------------------------------------

clear_requests($R1);
my $r = call('ping', { device_id => $DIAG, target => '10.12.0.2',
                       count => 4 });
my $p = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'ping of a reachable peer: no error')
  or diag explain $r;
is($p->{packets_sent}, 4, 'ping: 4 sent');
is($p->{packets_received}, 4, 'ping: received == count');
is($p->{packet_loss_percent}, 0, 'ping: loss 0');
is($p->{host}, '10.12.0.2', 'ping: host from the device reply');
# the simulator answers a peer in 310 us for the first packet of a run
is($p->{min_rtt_ms}, 0.31, 'ping: min rtt 0.31 ms (sim: 310us)');
ok($p->{min_rtt_ms} <= $p->{avg_rtt_ms} && $p->{avg_rtt_ms} <= $p->{max_rtt_ms},
   'ping: min <= avg <= max');
is(scalar @{ $p->{packets} }, 4, 'ping: one packet record per packet');
is_deeply([ map { $_->{ttl} } @{ $p->{packets} } ], [64, 64, 64, 64],
          'ping: ttl of every reply');
like($r->{result}{content}[0]{text},
     qr/4 sent, 4 received, 0\.00% loss, rtt min\/avg\/max 0\.31\//,
     'ping: text summary');
my @pings = commands($R1, '/rest/ping');
is(scalar @pings, 4, 'ping: one device request per packet');
is_deeply(body_of($pings[0]),
          { address => '10.12.0.2', count => '1', size => '64' },
          'ping: REST body address, count=1, size');

$r = call('ping', { device_id => $DIAG, target => '192.0.2.1', count => 2 });
$p = $r->{result}{structuredContent};
is($p->{packets_sent}, 2, 'ping TEST-NET: 2 sent');
is($p->{packets_received}, 0, 'ping TEST-NET: none received');
is($p->{packet_loss_percent}, 100, 'ping TEST-NET: loss 100');
ok(!defined $p->{avg_rtt_ms}, 'ping TEST-NET: no rtt');
is($p->{packets}[0]{status}, 'timeout', 'ping TEST-NET: status timeout');

# a hostname the device resolves itself (its DNS cache: example.com)
$r = call('ping', { device_id => $DIAG, target => 'example.com', count => 1 });
$p = $r->{result}{structuredContent};
is($p->{host}, '93.184.215.14', 'ping by hostname: the address it resolved');
is($p->{packets_received}, 1, 'ping by hostname: answered');

# --- traceroute -------------------------------------------------------------------

clear_requests($R1);
$r = call('traceroute', { device_id => $DIAG, target => '1.1.1.1' });
my $t = $r->{result}{structuredContent};
ok($t->{reached_target}, 'traceroute to a public address: reached')
  or diag explain $r;
is($t->{total_hops}, 4, 'traceroute: 4 hops');
is_deeply([ map { $_->{address} } @{ $t->{hops} } ],
          ['10.12.0.2', '100.64.12.1', '149.6.0.25', '1.1.1.1'],
          'traceroute: gateway, two transit hops, the target');
ok((grep { $_->{rtt_ms} > 0 } @{ $t->{hops} }) == 4,
   'traceroute: every hop has an rtt');
my @traces = commands($R1, '/rest/tool/traceroute');
is_deeply([ map { body_of($_)->{'max-hops'} } @traces ], [1, 2, 3, 4],
          'traceroute: asked hop by hop (max-hops 1..4, one request each)');
is(body_of($traces[0])->{count}, '1', 'traceroute: count=1 per request');

$r = call('traceroute', { device_id => $DIAG, target => '192.0.2.1',
                          max_hops => 5 });
$t = $r->{result}{structuredContent};
ok(!$t->{reached_target}, 'traceroute to TEST-NET: not reached');
is($t->{total_hops}, 5, 'traceroute TEST-NET: stops at max_hops 5');
is_deeply([ map { $_->{address} } @{ $t->{hops} } ],
          ['10.12.0.2', '*', '*', '*', '*'],
          'traceroute TEST-NET: gateway then silent hops');

# a hostname never equals a hop address: the path ending before max-hops
# tells that the target answered
clear_requests($R1);
$r = call('traceroute', { device_id => $DIAG, target => 'example.com' });
$t = $r->{result}{structuredContent};
ok($t->{reached_target}, 'traceroute to a hostname: reached');
is($t->{total_hops}, 4, 'traceroute to a hostname: 4 hops');
is($t->{hops}[-1]{address}, '93.184.215.14',
   'traceroute to a hostname: the last hop is its address');
is(scalar(() = commands($R1, '/rest/tool/traceroute')), 5,
   'traceroute to a hostname: one more request sees the path end');

# timeout_seconds bounds the whole trace: a slow device yields the hops
# found by then, marked partial
sim_fault($R3, { mode => 'slow', latency_ms => 1500,
                 paths => ['/tool/traceroute'] });
$r = call('traceroute', { device_id => $SLOW, target => '192.0.2.1',
                          timeout_seconds => 5 });
$t = $r->{result}{structuredContent};
ok($t->{partial}, 'traceroute past timeout_seconds: partial result');
ok(!$t->{reached_target}, 'traceroute past timeout_seconds: not reached');
cmp_ok($t->{total_hops}, '<', 30, 'traceroute past timeout_seconds: '
       . "$t->{total_hops} of 30 hops");
is($t->{hops}[0]{address}, '10.23.0.1',
   'traceroute past timeout_seconds: the hops found are kept');
like($r->{result}{content}[0]{text}, qr/stopped at the time limit/,
     'traceroute past timeout_seconds: the text says so');
sim_reset($R3);

# --- bandwidth_test --------------------------------------------------------------

$r = call('bandwidth_test', { device_id => $SRC, target_device_id => $TGT,
                              duration => 5 });
is($r->{error}{code}, -32006, 'bandwidth_test: refused without the target flag');
like($r->{error}{message}, qr/\Q$TGT\E.*allow_bandwidth_test/,
     'bandwidth_test: the refusal names the target and the flag');

$r = call('bandwidth_test', { device_id => $TGT, target_device_id => $SRC,
                              duration => 5 });
like($r->{error}{message}, qr/professional/,
     'bandwidth_test: the source needs professional workflows');

psql("UPDATE devices SET allow_bandwidth_test = true WHERE id = '$TGT'");
clear_requests($R1);
$r = call('bandwidth_test', { device_id => $SRC, target_device_id => $TGT,
                              duration => 7, direction => 'both' });
my $b = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'bandwidth_test between two sim devices')
  or diag explain $r;
cmp_ok($b->{avg_tx_bps}, '>', 0, 'bandwidth_test: tx rate > 0');
cmp_ok($b->{avg_rx_bps}, '>', 0, 'bandwidth_test: rx rate > 0');
is($b->{avg_rx_mbps}, sprintf('%.2f', $b->{avg_rx_bps} / 1e6) + 0,
   'bandwidth_test: Mbps is bps / 1e6 with 2 decimals');
is($b->{measured_seconds}, 7, 'bandwidth_test: 7 s measured');
is($b->{target}, $R2, 'bandwidth_test: the target management address');
my @runs = map { body_of($_) } commands($R1, '/rest/tool/bandwidth-test');
is_deeply([ map { $_->{duration} } @runs ], ['5s', '2s'],
          'bandwidth_test: runs of 5 s then the rest');
is_deeply([ sort keys %{ $runs[0] } ], [qw(address direction duration)],
          'bandwidth_test: no credentials in the request');
is($runs[0]{address}, $R2, 'bandwidth_test: aimed at the target address');
is($runs[0]{direction}, 'both', 'bandwidth_test: direction both');
# the simulator loses 17 UDP packets per second of a run, cumulative
is($b->{lost_packets}, 17 * 5 + 17 * 2, 'bandwidth_test: lost packets summed');
ok($b->{packet_loss_percent} > 0 && $b->{packet_loss_percent} < 1,
   'bandwidth_test: loss percent from lost and received packets');

$r = call('bandwidth_test', { device_id => $SRC, target_device_id => $TGT,
                              duration => 5, direction => 'tx' });
$b = $r->{result}{structuredContent};
cmp_ok($b->{avg_tx_mbps}, '>', 0, 'bandwidth_test tx: tx measured');
ok(!defined $b->{avg_rx_bps}, 'bandwidth_test tx: rx not measured (null)');
is((map { body_of($_)->{direction} }
    commands($R1, '/rest/tool/bandwidth-test'))[-1], 'transmit',
   'bandwidth_test tx: RouterOS direction transmit');

# --- progress over SSE --------------------------------------------------------------

sub call_with_progress {
    my ($name, $args, $token) = @_;
    return $s->post({ jsonrpc => '2.0', id => "p-$token", method => 'tools/call',
                      params => { name => $name, arguments => $args,
                                  _meta => { progressToken => $token } } });
}

$r = call_with_progress('ping', { device_id => $DIAG, target => '10.12.0.2',
                                  count => 3 }, "ping-$tag");
like($r->{headers}{'content-type'}, qr{^text/event-stream},
     'ping with a progress token: answered as SSE');
my @ev = @{ $r->{events} };
my @prog = grep { ($_->{method} // '') eq 'notifications/progress' } @ev;
is(scalar @prog, 3, 'ping progress: one notification per packet');
is_deeply([ map { $_->{params}{progress} } @prog ], [1, 2, 3],
          'ping progress: 1, 2, 3');
is($prog[0]{params}{total}, 3, 'ping progress: total 3');
is($prog[0]{params}{progressToken}, "ping-$tag", 'ping progress: token');
like($prog[0]{params}{message}, qr/^seq 0: reply in 0\.31 ms$/,
     'ping progress: per-packet message');
ok(exists $ev[-1]{result} && !exists $ev[-1]{method},
   'ping progress: the result comes after the notifications');
is($ev[-1]{result}{structuredContent}{packets_received}, 3,
   'ping progress: result received 3');

$r = call_with_progress('traceroute', { device_id => $DIAG,
                                        target => '10.23.0.2' }, "tr-$tag");
@prog = grep { ($_->{method} // '') eq 'notifications/progress' }
        @{ $r->{events} };
is_deeply([ map { $_->{params}{message} =~ s/ [\d.]+ ms$//r } @prog ],
          ['hop 1: 10.12.0.2', 'hop 2: 10.23.0.2'],
          'traceroute progress: one notification per hop, as found');
is($prog[0]{params}{total}, 30, 'traceroute progress: total is max_hops');
ok($r->{events}[-1]{result}{structuredContent}{reached_target},
   'traceroute progress: then the result');

$r = call_with_progress('bandwidth_test',
    { device_id => $SRC, target_device_id => $TGT, duration => 5 },
    "bt-$tag");
@prog = grep { ($_->{method} // '') eq 'notifications/progress' }
        @{ $r->{events} };
is_deeply([ map { $_->{params}{progress} } @prog ], [1 .. 5],
          'bandwidth_test progress: one notification per second');
like($prog[0]{params}{message}, qr/^1\/5 s: tx \d+\.\d\d Mbps, rx/,
     'bandwidth_test progress: rates in the message');
is($r->{events}[-1]{result}{structuredContent}{measured_seconds}, 5,
   'bandwidth_test progress: then the result');
psql("UPDATE devices SET allow_bandwidth_test = false WHERE id = '$TGT'");

# --- invalid arguments --------------------------------------------------------------

my $INV = "t37-inv-$tag";    # never registered: the schema answers first
my @invalid = (
    ['ping', { device_id => $INV, target => '10.0.0.1', count => 0 }, 'count'],
    ['ping', { device_id => $INV, target => '10.0.0.1', count => 101 },
     'count'],
    ['ping', { device_id => $INV, target => '10.0.0.1', packet_size => 27 },
     'packet_size'],
    ['ping', { device_id => $INV, target => 'bad host!' }, 'target'],
    ['ping', { device_id => $INV, target => '-lead.example' }, 'target'],
    ['traceroute', { device_id => $INV, target => '1.1.1.1', max_hops => 65 },
     'max_hops'],
    ['traceroute', { device_id => $INV }, 'target'],
    ['bandwidth_test', { device_id => $INV, target_device_id => $TGT,
                         duration => 4 }, 'duration'],
    ['bandwidth_test', { device_id => $INV, target_device_id => $TGT,
                         duration => 61 }, 'duration'],
    ['bandwidth_test', { device_id => $INV, target_device_id => $TGT,
                         direction => 'up' }, 'direction'],
);
for my $case (@invalid) {
    my ($tool, $args, $field) = @$case;
    $r = call($tool, $args);
    is($r->{error}{code}, -32602, "$tool: invalid $field is -32602");
    like($r->{error}{message} // '', qr/\b\Q$field\E\b/,
         "$tool: the message names $field");
}
$r = call('bandwidth_test', { device_id => $SRC, target_device_id => $SRC });
is($r->{error}{code}, -32602, 'bandwidth_test: a device cannot test itself');
like($r->{error}{message}, qr/target_device_id/,
     'bandwidth_test: the message names target_device_id');

# --- device-side failure ------------------------------------------------------------

sim_fault($R2, { mode => 'error500', paths => ['/ping'] });
$r = call('ping', { device_id => $TGT, target => '10.12.0.1', count => 1 });
ok($r->{result}{isError}, 'ping on a failing device: isError result');
is($r->{result}{_meta}{failure_reason}, 'server_error',
   'ping failure: reason server_error');
like($r->{result}{content}[0]{text}, qr/\/ping failed on \Q$TGT\E/,
     'ping failure: the text names the command and device');
sim_reset($R2);

# --- rate limit: the 11th diagnostic on one device within a minute -----------------

my @ok;
for my $i (1 .. 10) {
    $r = call('ping', { device_id => $RATE, target => '10.12.0.1',
                        count => 1 });
    push @ok, $r->{result}{structuredContent}{packets_received} // 0;
}
is_deeply(\@ok, [(1) x 10], 'ten pings on one device all answered');
$r = call('ping', { device_id => $RATE, target => '10.12.0.1', count => 1 });
is($r->{error}{code}, -32009, 'the 11th ping within a minute is rate limited');
cmp_ok($r->{error}{data}{retry_after_ms} // 0, '>', 0,
       'rate limit: data.retry_after_ms says when to come back');

# --- cancellation of a slow ping ----------------------------------------------------

sim_fault($R3, { mode => 'slow', latency_ms => 400, paths => ['/ping'] });
clear_requests($R3);
my ($fh, $file) = tempfile(UNLINK => 1);
my $pid = fork // die "fork: $!";
if ($pid == 0) {
    # a connection of its own: the parent keeps using the session's
    $s->{http} = HTTP::Tiny->new(timeout => 60);
    my $c = $s->post({ jsonrpc => '2.0', id => "slow-$tag",
                       method => 'tools/call',
                       params => { name => 'ping',
                                   arguments => { device_id => $SLOW,
                                                  target => '10.23.0.1',
                                                  count => 30 } } });
    open my $out, '>', $file or die;
    print $out json_encode({ json => $c->{json} });
    close $out;
    POSIX::_exit(0);    # no END blocks: the parent cleans up
}
my $job = wait_for(sub {
    for my $e (@{ redis_cmd('XREVRANGE', 'mcp:jobs', '+', '-', 'COUNT', 50) }) {
        my %f = @{ $e->[1] };
        my $j = json_decode($f{job});
        return $j if $j->{name} eq 'ping'
                     && ($j->{arguments}{device_id} // '') eq $SLOW;
    }
    return undef;
}, 10);
ok($job, 'the slow ping is queued');
ok(wait_for(sub { commands($R3, '/rest/ping') >= 2 }, 10),
   'the slow ping is under way (2 packets asked)');
is($s->notify('notifications/cancelled',
              { requestId => "slow-$tag", reason => 't37' })->{status},
   202, 'notifications/cancelled accepted');
my $key = "mcp:job:{$job->{id}}:cancel";
ok(wait_for(sub { redis_cmd('EXISTS', $key) }, 5),
   'notifications/cancelled marks the job cancelled for the agent');
waitpid($pid, 0);
my $answer = do { local $/; open my $in, '<', $file or die; json_decode(<$in>) };
is($answer->{json}{error}{code}, -32005, 'the cancelled ping answers -32005');
like($answer->{json}{error}{message},
     qr/ping on \Q$SLOW\E was cancelled by the client after \d+ of 30/,
     'the error says how far the ping got');
my $asked = () = commands($R3, '/rest/ping');
cmp_ok($asked, '<', 30, "the device was asked $asked times, not 30");
sleep 1.0;
is(scalar(() = commands($R3, '/rest/ping')), $asked,
   'no further device requests after the cancel');
sim_reset($R3);

done_testing();
