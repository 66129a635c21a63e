#!/usr/bin/perl
# 10-protocol-session.t: initialize negotiates the version and issues a
# session kept in Redis (any worker serves it); ping, tools/list, DELETE.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use MCPTest;

# --- version negotiation ---------------------------------------------------------

for my $v ('2025-03-26', '2025-06-18', '2025-11-25') {
    my $s = mcp_session();
    my $r = $s->initialize($v);
    is($r->{status}, 200, "initialize $v: 200");
    is($r->{json}{result}{protocolVersion}, $v, "initialize $v: echoed");
}

my $s = mcp_session();
my $r = $s->initialize('1999-01-01');
is($r->{json}{result}{protocolVersion}, '2025-11-25',
   'unsupported version: the latest supported is offered');
is_deeply($r->{json}{result}{capabilities},
          { tools => { listChanged => JSON::PP::false },
            resources => { subscribe => JSON::PP::true,
                           listChanged => JSON::PP::false },
            completions => {},
            prompts => { listChanged => JSON::PP::false }, logging => {} },
          'capabilities: exactly tools, resources, completions, prompts, logging');
is($r->{json}{result}{serverInfo}{name}, 'routeros-mcp', 'serverInfo.name');
like($r->{json}{result}{serverInfo}{version}, qr/^\d+\.\d+\.\d+$/,
     'serverInfo.version');
is($r->{initialized_status}, 202, 'notifications/initialized: 202');

my $sid = $s->session_id;
like($sid, qr/^[0-9a-f]{32}$/, 'Mcp-Session-Id: 32 hex characters');

my $stored = decode_json(redis_cmd('GET', "mcp:session:$sid"));
is($stored->{version}, '2025-11-25', 'Redis holds the session version');
is($stored->{subject}, 'anonymous', 'Redis holds the session subject');
my $ttl = redis_cmd('TTL', "mcp:session:$sid");
ok($ttl > 0 && $ttl <= 3600, "session TTL within mcp_session_ttl ($ttl)");

redis_cmd('EXPIRE', "mcp:session:$sid", 100);
$r = $s->request('ping');
is_deeply($r->{json}{result}, {}, 'ping → {}');
$ttl = redis_cmd('TTL', "mcp:session:$sid");
ok($ttl > 100, "using the session refreshes its TTL ($ttl)");

# --- any worker serves any session -------------------------------------------------

# Fresh connections land on whichever worker accepts them; all must know the
# session, because it lives in Redis, not in a worker.
my $served = 0;
for my $i (1 .. 20) {
    my $http = HTTP::Tiny->new(keep_alive => 0);
    my $res = raw_post(http => $http,
                       body => { jsonrpc => '2.0', id => $i,
                                 method => 'ping' },
                       headers => { 'Content-Type' => 'application/json',
                                    'Accept' => 'application/json, '
                                                . 'text/event-stream',
                                    'Mcp-Session-Id' => $sid });
    $served++ if $res->{status} == 200 && $res->{json}{id} == $i;
}
is($served, 20, 'the session is served on 20 fresh connections');

redis_cmd('DEL', "mcp:session:$sid");
$r = $s->request('ping');
is($r->{status}, 404, 'a session removed from Redis is gone on every worker');

# --- tools/list ---------------------------------------------------------------------

$s = mcp_session();
$s->initialize('2025-06-18');
my $tools = $s->list_tools;
my %by_name = map { $_->{name} => $_ } @$tools;
for my $name (qw(echo service_health list_devices check_connectivity
                 get_system_overview device_health)) {
    ok($by_name{$name}, "tools/list has $name");
    is($by_name{$name}{inputSchema}{type}, 'object',
       "$name: inputSchema is an object schema");
    ok(length($by_name{$name}{description} // ''), "$name: description");
}
is_deeply($by_name{echo}{inputSchema}{required}, ['message'],
          'echo requires message, as the catalog says');
ok(!exists $by_name{echo}{timeout_ms}, 'internal catalog fields not shown');

# --- tools/call through the agent ------------------------------------------------------

my $res = $s->call_tool('echo', { message => 'hello from 10-protocol-session' });
is($res->{result}{content}[0]{type}, 'text', 'echo: text content');
is($res->{result}{content}[0]{text}, 'Echo: hello from 10-protocol-session',
   'echo: the agent echoed the message');

$r = $s->post({ jsonrpc => '2.0', id => 'sse-1', method => 'tools/call',
                params => { name => 'echo', arguments => { message => 'sse' },
                            _meta => { progressToken => 'p1' } } });
is($r->{status}, 200, 'with progressToken: 200');
like($r->{headers}{'content-type'}, qr{^text/event-stream}, 'answered as SSE');
is($r->{headers}{'x-accel-buffering'}, 'no', 'SSE: X-Accel-Buffering no');
is($r->{headers}{'cache-control'}, 'no-cache', 'SSE: Cache-Control no-cache');
is($r->{json}{id}, 'sse-1', 'SSE: the response carries the request id');
is($r->{json}{result}{content}[0]{text}, 'Echo: sse', 'SSE: echoed result');
like($r->{body}, qr{^id: [0-9a-f]{32}/\d+-\d+$}m,
     'SSE: event ids are <job id>/<stream entry id>');

# --- DELETE ends a session ----------------------------------------------------------

$r = $s->terminate;
is($r->{status}, 204, 'DELETE with the session: 204');
ok(!defined redis_cmd('GET', 'mcp:session:' . $s->session_id),
   'DELETE removed the session from Redis');
$r = $s->request('ping');
is($r->{status}, 404, 'after DELETE the session is unknown');
is($r->{json}{error}{code}, -32001, 'after DELETE: -32001');
$r = $s->terminate;
is($r->{status}, 404, 'DELETE of an unknown session: 404');

$r = raw_post(method => 'DELETE', headers => {});
is($r->{status}, 400, 'DELETE without Mcp-Session-Id: 400');

$r = raw_post(method => 'DELETE', headers => { 'Mcp-Session-Id' => 'x' });
is($r->{status}, 404, 'DELETE with a malformed session id: 404');

done_testing();
