#!/usr/bin/perl
# 14-protocol-legacy-sse.t: the 2024-11-05 HTTP+SSE transport at /sse: the
# GET stream's endpoint event, POSTs answered 202 with the responses on the
# stream (from either worker), progress on the stream, the session's end.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use MCPTest;
use LegacySSE;

my $g = LegacySSE->open('/sse');
is($g->{status}, 200, 'GET /sse: 200');
like($g->{head}, qr{^content-type: text/event-stream}mi, 'text/event-stream');
like($g->{head}, qr{^x-accel-buffering: no}mi, 'X-Accel-Buffering: no');

my $ev = $g->next_event(10);
is($ev->{event}, 'endpoint', 'the first event is "endpoint"');
my ($url, $sid) = ($ev->{data} // '') =~ m{^(/sse\?sessionId=([0-9a-f]{32}))$};
ok($sid, "it names the messages URL with a session id ($ev->{data})");

my $rec = json_decode(redis_cmd('GET', "mcp:session:$sid") // 'null');
is($rec->{version}, '2024-11-05', 'the session is stored in Redis');
like(redis_cmd('GET', "mcp:stream:{$sid}") // '', qr/^mcp:notify:/,
     'its stream is claimed by a worker channel');

my $id = 0;
sub rpc {
    my ($method, $params) = @_;
    my $msg = { jsonrpc => '2.0', id => ++$id, method => $method,
                ($params ? (params => $params) : ()) };
    my $res = $g->post($url, $msg);
    is($res->{status}, 202, "$method: POST answered 202");
    my $want = $id;
    my ($resp, $seen) = $g->wait_message(
        sub { defined $_[0]{id} && $_[0]{id} eq $want }, 60);
    return ($resp, $seen);
}

my ($r) = rpc('initialize', { protocolVersion => '2024-11-05',
                              capabilities => {},
                              clientInfo => { name => 't14', version => '1' } });
is($r->{result}{protocolVersion}, '2024-11-05',
   'initialize on the stream: 2024-11-05 agreed');
is($r->{result}{serverInfo}{name}, 'routeros-mcp', 'serverInfo');
ok($r->{result}{capabilities}{tools}, 'tools capability');

my $res = $g->post($url, { jsonrpc => '2.0',
                           method => 'notifications/initialized' });
is($res->{status}, 202, 'notifications/initialized: 202');

# an SDK client repeats the agreed version in a header; here it is no check
$res = $g->post($url, { jsonrpc => '2.0', id => 'v1', method => 'ping' },
                'MCP-Protocol-Version' => '2024-11-05');
is($res->{status}, 202, 'MCP-Protocol-Version: 2024-11-05 on a POST: 202');
($r) = $g->wait_message(sub { ($_[0]{id} // '') eq 'v1' }, 30);
is_deeply($r->{result}, {}, 'and the ping is answered on the stream');

($r) = rpc('tools/list');
my @names = map { $_->{name} } @{ $r->{result}{tools} // [] };
ok((grep { $_ eq 'get_system_overview' } @names),
   'tools/list on the stream offers get_system_overview');

my $sim = sim_state('127.0.0.2');
($r) = rpc('tools/call', { name => 'get_system_overview',
                           arguments => { device_id => 'dev-sim-r1' } });
ok($r->{result} && !$r->{result}{isError}, 'tools/call answered on the stream')
  or diag json_encode($r);
my $ov = tool_payload($r);
is($ov->{system_identity}, $sim->{menus}{'/system/identity'}{name},
   'identity equals the simulator\'s /system/identity');
is($ov->{routeros_version}, $sim->{menus}{'/system/resource'}{version},
   'version equals the simulator\'s /system/resource version');

# progress travels on the same stream, before the result
my $seen;
($r, $seen) = rpc('tools/call', { name => 'get_system_overview',
                                  arguments => { device_id => 'dev-sim-r2' },
                                  _meta => { progressToken => 'lp-1' } });
my @progress = grep { ($_->{method} // '') eq 'notifications/progress' } @$seen;
is_deeply([map { $_->{params}{progress} } @progress], [1, 2],
          'both progress notifications first, in order');
is($progress[0]{params}{progressToken}, 'lp-1', 'with the progress token');
is(tool_payload($r)->{system_identity},
   sim_state('127.0.0.3')->{menus}{'/system/identity'}{name},
   'then the result for dev-sim-r2');

# every POST takes a new connection, so either worker answers some of them
my %got;
for my $n (1 .. 12) {
    my $pid = "ping-$n";
    $g->post($url, { jsonrpc => '2.0', id => $pid, method => 'ping' });
}
for my $n (1 .. 12) {
    my ($m) = $g->wait_message(sub { ($_[0]{id} // '') =~ /^ping-/ }, 30);
    last unless $m;
    $got{ $m->{id} } = $m->{result};
}
is(scalar(keys %got), 12, 'twelve pings on twelve connections: twelve answers');
is_deeply([grep { ref $got{$_} ne 'HASH' } keys %got], [],
          'each an empty result');

($r) = rpc('tools/call', { name => 'no_such_tool', arguments => {} });
is($r->{error}{code}, -32602, 'an unknown tool: the JSON-RPC error on the stream');

# bad messages URLs
$res = $g->post('/sse?sessionId=' . ('f' x 32),
                { jsonrpc => '2.0', id => 1, method => 'ping' });
is($res->{status}, 404, 'an unknown session id: 404');
$res = $g->post('/sse?sessionId=xyz',
                { jsonrpc => '2.0', id => 1, method => 'ping' });
is($res->{status}, 404, 'a malformed session id: 404');
$res = $g->post($url, '{"jsonrpc":');
is($res->{status}, 400, 'unparsable JSON: 400');
$res = $g->post($url, { jsonrpc => '2.0', id => 1, method => 'ping' },
                'Content-Type' => 'text/plain');
is($res->{status}, 415, 'not application/json: 415');

my $h = LegacySSE->open('/sse', Accept => 'application/json');
is($h->{status}, 406, 'GET /sse without text/event-stream: 406');
$h->close;
my $m = LegacySSE->open('/mcp');
is($m->{status}, 400, 'GET /mcp without a session stays 400 (no legacy there)');
$m->close;

# the session ends with its stream
$g->close;
ok(wait_for(sub { !redis_cmd('EXISTS', "mcp:session:$sid") }, 10),
   'closing the stream deletes the session');
$res = $g->post($url, { jsonrpc => '2.0', id => 99, method => 'ping' });
is($res->{status}, 404, 'a POST after the stream closed: 404');

done_testing();
