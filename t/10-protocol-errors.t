#!/usr/bin/perl
# 10-protocol-errors.t: every HTTP and JSON-RPC error of the MCP endpoint has
# its exact status and code, carries the request id when readable, never 500.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use MCPTest;

my %json_accept = ('Content-Type' => 'application/json',
                   'Accept' => 'application/json, text/event-stream');

sub error_is {
    my ($r, $status, $code, $id, $name) = @_;
    is($r->{status}, $status, "$name: HTTP $status");
    is($r->{headers}{'content-type'}, 'application/json',
       "$name: JSON body");
    is($r->{json}{jsonrpc}, '2.0', "$name: JSON-RPC envelope");
    is($r->{json}{error}{code}, $code, "$name: code $code");
    is_deeply($r->{json}{id}, $id, "$name: id " . ($id // 'null'));
    return $r->{json}{error};
}

# --- HTTP level, before JSON-RPC -------------------------------------------

my $r = raw_post(method => 'GET',
                 headers => { Accept => 'text/event-stream' });
error_is($r, 400, -32000, undef, 'GET without a session');

$r = raw_post(method => 'PUT', headers => {%json_accept}, body => '{}');
error_is($r, 405, -32000, undef, 'PUT');
is($r->{headers}{allow}, 'GET, POST, DELETE', 'PUT: Allow lists GET, POST, DELETE');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { %json_accept, 'Content-Type' => 'text/plain' });
my $e = error_is($r, 415, -32000, undef, 'text/plain body');
like($e->{message}, qr/Content-Type must be application\/json/,
     '415 message names the content type');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { Accept => $json_accept{Accept} });
error_is($r, 415, -32000, undef, 'no Content-Type');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { %json_accept, Accept => 'application/json' });
$e = error_is($r, 406, -32000, undef, 'Accept without text/event-stream');
like($e->{message}, qr/text\/event-stream/, '406 message names the types');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { 'Content-Type' => 'application/json' });
error_is($r, 406, -32000, undef, 'no Accept');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { %json_accept,
                           'MCP-Protocol-Version' => '1999-01-01' });
$e = error_is($r, 400, -32000, undef, 'unsupported MCP-Protocol-Version');
like($e->{message}, qr/MCP-Protocol-Version/, '400 names the header');

$r = raw_post(body => '{"x":"' . ('a' x (1024 * 1024 + 10)) . '"}',
              headers => {%json_accept});
error_is($r, 413, -32000, undef, 'body over client_max_body_size');

# --- JSON-RPC envelope --------------------------------------------------------

$r = raw_post(body => '{"jsonrpc":', headers => {%json_accept});
$e = error_is($r, 400, -32700, undef, 'truncated JSON');
like($e->{message}, qr/^Parse error/, '-32700 message');

$r = raw_post(body => '', headers => {%json_accept});
error_is($r, 400, -32700, undef, 'empty body');

$r = raw_post(body => "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}",
              headers => {%json_accept});
error_is($r, 400, -32700, undef, 'invalid UTF-8');

$r = raw_post(body => '{"id":7,"method":"ping"}', headers => {%json_accept});
$e = error_is($r, 400, -32600, 7, 'missing jsonrpc');
like($e->{message}, qr/jsonrpc must be "2.0"/, '-32600 names jsonrpc');

$r = raw_post(body => '{"jsonrpc":"1.0","id":"a","method":"ping"}',
              headers => {%json_accept});
error_is($r, 400, -32600, 'a', 'jsonrpc 1.0');

$r = raw_post(body => '{"jsonrpc":"2.0","id":null,"method":"ping"}',
              headers => {%json_accept});
$e = error_is($r, 400, -32600, undef, 'id null');
like($e->{message}, qr/id must be a string or an integer/, 'id null named');

$r = raw_post(body => '{"jsonrpc":"2.0","id":1.5,"method":"ping"}',
              headers => {%json_accept});
error_is($r, 400, -32600, undef, 'id 1.5');

$r = raw_post(body => '{"jsonrpc":"2.0","id":true,"method":"ping"}',
              headers => {%json_accept});
error_is($r, 400, -32600, undef, 'id true');

$r = raw_post(body => '{"jsonrpc":"2.0","id":123456789012345678901234567890,'
                      . '"method":"ping"}',
              headers => {%json_accept});
error_is($r, 400, -32600, undef, 'id beyond 64 bits');

$r = raw_post(body => '{"jsonrpc":"2.0","id":3,"method":5}',
              headers => {%json_accept});
$e = error_is($r, 400, -32600, 3, 'method not a string');
like($e->{message}, qr/method must be a string/, 'method named');

$r = raw_post(body => '{"jsonrpc":"2.0","id":4}', headers => {%json_accept});
error_is($r, 400, -32600, 4, 'no method, no result');

$r = raw_post(body => '{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}',
              headers => {%json_accept});
error_is($r, 400, -32600, 5, 'params a string');

$r = raw_post(body => '[{"jsonrpc":"2.0","id":1,"method":"ping"}]',
              headers => {%json_accept});
$e = error_is($r, 400, -32600, undef, 'batch array');
like($e->{message}, qr/batch/, 'batch named');

$r = raw_post(body => '"just a string"', headers => {%json_accept});
error_is($r, 400, -32600, undef, 'JSON scalar');

$r = raw_post(body => ('[' x 5000) . (']' x 5000),
              headers => {%json_accept});
error_is($r, 400, -32600, undef, 'deeply nested arrays');

# --- sessions gate, then methods ---------------------------------------------

$r = raw_post(body => '{"jsonrpc":"2.0","id":9,"method":"ping"}',
              headers => {%json_accept});
$e = error_is($r, 400, -32000, 9, 'no Mcp-Session-Id');
like($e->{message}, qr/Mcp-Session-Id header is required/,
     '400 names the header');

$r = raw_post(body => '{"jsonrpc":"2.0","id":10,"method":"ping"}',
              headers => { %json_accept,
                           'Mcp-Session-Id' => '0' x 32 });
error_is($r, 404, -32001, 10, 'unknown session');

my $s = mcp_session();
$r = $s->initialize('2025-11-25');
is($r->{status}, 200, 'initialize');
is($r->{initialized_status}, 202, 'notifications/initialized → 202');

$r = $s->post({ jsonrpc => '2.0', id => 'abc', method => 'no/such' });
$e = error_is($r, 200, -32601, 'abc', 'unknown method');
is($e->{data}{method}, 'no/such', '-32601 names the method');

$r = $s->post({ jsonrpc => '2.0', id => 11, method => 'tools/call',
                params => { name => 'no_such_tool', arguments => {} } });
$e = error_is($r, 200, -32602, 11, 'unknown tool');
is($e->{message}, 'Unknown tool: no_such_tool', 'unknown tool named');

$r = $s->post({ jsonrpc => '2.0', id => 12, method => 'tools/call',
                params => { name => 'get_system_overview',
                            arguments => {} } });
$e = error_is($r, 200, -32602, 12, 'required argument missing');
is($e->{message}, 'arguments.device_id: required property missing',
   'message names the missing field');

$r = $s->post({ jsonrpc => '2.0', id => 13, method => 'tools/call',
                params => { name => 'echo', arguments => { message => 5 } } });
$e = error_is($r, 200, -32602, 13, 'argument of the wrong type');
like($e->{message}, qr/^arguments\.message: /, 'message names the field');

$r = $s->post({ jsonrpc => '2.0', id => 14, method => 'tools/call',
                params => { name => 'echo',
                            arguments => { message => 'x', extra => 1 } } });
$e = error_is($r, 200, -32602, 14, 'unknown argument');
like($e->{message}, qr/^arguments\.extra: /,
     'message names the extra field');

$r = $s->post({ jsonrpc => '2.0', id => 15, method => 'tools/call',
                params => { name => 'echo', arguments => [1] } });
$e = error_is($r, 200, -32602, 15, 'arguments not an object');
is($e->{message}, 'arguments: must be an object', 'message says so');

$r = $s->post({ jsonrpc => '2.0', id => 16, method => 'tools/call',
                params => { arguments => {} } });
$e = error_is($r, 200, -32602, 16, 'tool name missing');
is($e->{message}, 'params.name: required string', 'message names params.name');

$r = $s->post({ jsonrpc => '2.0', id => 17, method => 'tools/list',
                params => { cursor => 'bogus' } });
error_is($r, 200, -32602, 17, 'invalid cursor');

$r = $s->post({ jsonrpc => '2.0', id => 18, method => 'initialize',
                params => {} });
$e = error_is($r, 200, -32602, 18, 'initialize without protocolVersion');
is($e->{message}, 'params.protocolVersion: required string',
   'message names protocolVersion');

# --- notifications and responses get 202 and no body ---------------------------

$r = $s->post({ jsonrpc => '2.0', method => 'notifications/cancelled',
                params => { requestId => 99 } });
is($r->{status}, 202, 'notification → 202');
is($r->{body}, '', 'notification: empty body');

$r = $s->post({ jsonrpc => '2.0', id => 5, result => {} });
is($r->{status}, 202, 'client response → 202');

# --- junk never produces a 500 -------------------------------------------------

for my $junk ('{}', '[]', 'null', '0', '{"jsonrpc":"2.0","id":{}}',
              '{"jsonrpc":"2.0","method":"tools/call","id":1,'
              . '"params":{"name":{"x":[1,2]}}}',
              "\x00\x01\x02", '{"a":"\\u0000"}', ('{"a":' x 3000)) {
    my $j = $s->post($junk);
    ok($j->{status} == 200 || $j->{status} == 400,
       'junk ' . substr(unpack('H*', $junk), 0, 24) . " → $j->{status}");
    ok(defined $j->{json}{error}, '  and a JSON-RPC error body');
}

done_testing();
