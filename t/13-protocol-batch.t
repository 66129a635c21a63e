#!/usr/bin/perl
# 13-protocol-batch.t: a 2025-03-26 session may POST a JSON-RPC batch: one
# array of answers in order, none for notifications; other versions: -32600.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use MCPTest;

my $s = mcp_session();
is($s->initialize('2025-03-26')->{status}, 200, 'initialize 2025-03-26');

my $r = $s->post([
    { jsonrpc => '2.0', id => 1, method => 'ping' },
    { jsonrpc => '2.0', method => 'notifications/initialized' },
    { jsonrpc => '2.0', id => 'two', method => 'tools/list', params => {} },
    { jsonrpc => '2.0', id => 3, method => 'no/such' },
    { jsonrpc => '2.0', id => 4, method => 'tools/call',
      params => { name => 'echo', arguments => { message => 'batched' } } },
    { jsonrpc => '2.0', id => 5, method => 'prompts/get',
      params => { name => 'troubleshoot-device',
                  arguments => { issue_type => 'weather' } } },
    { id => 6, method => 'ping' },
    { jsonrpc => '2.0', id => 7, method => 'initialize', params => {} },
]);
is($r->{status}, 200, 'batch: 200');
like($r->{headers}{'content-type'}, qr{^application/json}, 'batch: JSON');
my $a = $r->{json};
is(ref $a, 'ARRAY', 'the answer is an array');
is_deeply([ map { $_->{id} } @$a ], [ 1, 'two', 3, 4, 5, 6, 7 ],
          'one answer per request, in order; none for the notification');
is_deeply($a->[0]{result}, {}, 'ping answered');
ok(scalar @{ $a->[1]{result}{tools} } > 0, 'tools/list answered');
is($a->[2]{error}{code}, -32601, 'unknown method: -32601 in its slot');
my $echo = tool_payload($a->[3]);
like(ref $echo ? encode_json($echo) : $echo, qr/batched/,
     'tools/call through the agent answered in its slot');
is($a->[4]{error}{code}, -32602, 'bad prompt argument: -32602 in its slot');
is($a->[5]{error}{code}, -32600, 'member without jsonrpc: -32600');
is($a->[6]{error}{code}, -32600, 'initialize inside a batch: -32600');

$r = $s->post([ { jsonrpc => '2.0', method => 'notifications/initialized' },
                { jsonrpc => '2.0', method => 'notifications/cancelled',
                  params => { requestId => 77 } } ]);
is($r->{status}, 202, 'only notifications: 202');
is($r->{body}, '', 'only notifications: empty body');

$r = $s->post('[]');
is($r->{status}, 400, 'empty batch: 400');
is($r->{json}{error}{code}, -32600, 'empty batch: -32600');

$r = $s->post([ 1, [] ]);
is_deeply([ map { $_->{error}{code} } @{ $r->{json} } ], [ -32600, -32600 ],
          'members that are no objects: -32600 each');

for my $v ('2025-06-18', '2025-11-25') {
    my $n = mcp_session();
    $n->initialize($v);
    $r = $n->post([ { jsonrpc => '2.0', id => 1, method => 'ping' } ]);
    is($r->{status}, 400, "$v session: batch refused with 400");
    is($r->{json}{error}{code}, -32600, "$v session: -32600");
}

$r = mcp_session()->post([ { jsonrpc => '2.0', id => 1, method => 'ping' } ]);
is($r->{status}, 400, 'batch without a session: 400');
is($r->{json}{error}{code}, -32600, 'batch without a session: -32600');

done_testing();
