#!/usr/bin/perl
# 15-protocol-modern.t: the 2026-07-28 era on the same /mcp: stateless
# requests with per-request _meta, server/discover, the header/_meta
# validation ladder (-32020/-32022/-32602 with HTTP 400, removed and unknown
# methods 404), GET/DELETE 405, resultType and cache hints on results,
# subscriptions/listen, progress over SSE, and cancel by closing the stream.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use IO::Socket::INET;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use MCPTest;

my $V    = '2026-07-28';
my %META = ('io.modelcontextprotocol/protocolVersion'    => $V,
            'io.modelcontextprotocol/clientCapabilities' => {},
            'io.modelcontextprotocol/clientInfo' =>
                { name => 't15', version => '1' });
my %BASE = ('Content-Type' => 'application/json',
            'Accept'       => 'application/json, text/event-stream');

# modern($method, \%params, \%header_overrides, $id): one stateless POST;
# headers default to what a correct client sends, undef removes one.
sub modern {
    my ($method, $params, $over, $id) = @_;
    my %h = (%BASE, 'MCP-Protocol-Version' => $V, 'Mcp-Method' => $method);
    $h{'Mcp-Name'} = $params->{name} // $params->{uri}
      if $method =~ m{^(tools/call|prompts/get|resources/read)$}
         && defined($params->{name} // $params->{uri});
    for my $k (keys %{ $over // {} }) {
        defined $over->{$k} ? ($h{$k} = $over->{$k}) : delete $h{$k};
    }
    my $msg = { jsonrpc => '2.0', method => $method,
                (defined $params ? (params => $params) : ()) };
    $msg->{id} = $id // 1 unless defined $id && $id eq 'none';
    return raw_post(body => $msg, headers => \%h);
}

sub error_is {
    my ($r, $status, $code, $name) = @_;
    is($r->{status}, $status, "$name: HTTP $status");
    is($r->{json}{error}{code}, $code, "$name: code $code");
    return $r->{json}{error} // {};
}

# --- server/discover ----------------------------------------------------------

my $r = modern('server/discover', { _meta => {%META} });
is($r->{status}, 200, 'server/discover: 200');
my $d = $r->{json}{result};
is_deeply($d->{supportedVersions}, [$V], 'supportedVersions: 2026-07-28 only');
is_deeply([sort keys %{ $d->{capabilities} }],
          [sort grep { exists $d->{capabilities}{$_} }
                qw(tools resources completions prompts)],
          'capabilities: only tools, resources, completions (and prompts)');
ok(!exists $d->{capabilities}{logging}, 'no logging capability (no setLevel)');
is($d->{capabilities}{resources}{subscribe}, JSON::PP::true,
   'resources.subscribe true: listen honours resourceSubscriptions');
is($d->{resultType}, 'complete', 'resultType complete');
is($d->{_meta}{'io.modelcontextprotocol/serverInfo'}{name}, 'routeros-mcp',
   '_meta serverInfo');
is($d->{cacheScope}, 'private', 'cacheScope private');
ok($d->{ttlMs} >= 0, 'ttlMs present');
ok(!defined $r->{headers}{'mcp-session-id'}, 'no session id is minted');

my %nometa = %META;
delete $nometa{'io.modelcontextprotocol/clientInfo'};
$r = modern('server/discover', { _meta => \%nometa });
is($r->{status}, 200, 'clientInfo is optional');

# --- stateless tools/list and tools/call --------------------------------------

$r = modern('tools/list', { _meta => {%META} }, {}, 'list-1');
is($r->{status}, 200, 'tools/list without initialize: 200');
ok(scalar @{ $r->{json}{result}{tools} } > 0, 'tools/list lists the catalog');
is($r->{json}{result}{resultType}, 'complete', 'tools/list: resultType');
is($r->{json}{result}{cacheScope}, 'private', 'tools/list: cacheScope');
is($r->{json}{id}, 'list-1', 'tools/list: the request id');

my $state = sim_state('127.0.0.2');
$r = modern('tools/call', { name => 'get_system_overview',
                            arguments => { device_id => 'dev-sim-r1' },
                            _meta => {%META} });
is($r->{status}, 200, 'tools/call: 200');
is($r->{json}{result}{resultType}, 'complete', 'tools/call: resultType');
is($r->{json}{result}{structuredContent}{system_identity},
   $state->{identity}, 'tools/call: the device identity (simulator state)');
ok(!exists $r->{json}{result}{ttlMs}, 'tools/call carries no cache hint');

# the same name as =?base64?…?= is decoded before the comparison
$r = modern('tools/call', { name => 'get_system_overview',
                            arguments => { device_id => 'dev-sim-r1' },
                            _meta => {%META} },
            { 'Mcp-Name' => '=?base64?'
                            . encode_base64('get_system_overview', '') . '?=' });
is($r->{status}, 200, 'Mcp-Name in base64 form: accepted');

$r = modern('tools/call', { name => 'no_such_tool', arguments => {},
                            _meta => {%META} });
error_is($r, 200, -32602, 'unknown tool');

$r = modern('resources/read', { uri => 'device://no-such-device-t15/nope',
                                _meta => {%META} });
my $e = error_is($r, 200, -32602, 'unknown resource');
is($e->{data}{uri}, 'device://no-such-device-t15/nope',
   'unknown resource: data.uri (never -32002 in 2026-07-28)');

# --- the validation ladder ----------------------------------------------------

$r = modern('server/discover',
            { _meta => { %META,
                         'io.modelcontextprotocol/protocolVersion' => 'v999' } },
            { 'MCP-Protocol-Version' => 'v999' }, 301);
$e = error_is($r, 400, -32022, 'unsupported version');
is_deeply($e->{data}{supported}, [$V], 'unsupported version: data.supported');
is($e->{data}{requested}, 'v999', 'unsupported version: data.requested');
is($r->{json}{id}, 301, 'unsupported version: the request id');
like($e->{message}, qr/MCP-Protocol-Version/, 'message names the header');

$r = modern('server/discover',
            { _meta => { %META,
                         'io.modelcontextprotocol/protocolVersion' => 'v999' } });
$e = error_is($r, 400, -32020, '_meta version differs from the header');
like($e->{message}, qr{_meta\["io\.modelcontextprotocol/protocolVersion"\]},
     'message names the _meta field');

$r = modern('server/discover', { _meta => {%META} },
            { 'MCP-Protocol-Version' => undef });
$e = error_is($r, 400, -32020, 'no MCP-Protocol-Version, _meta present');
like($e->{message}, qr/MCP-Protocol-Version header is required/,
     'message names the missing header');

$r = modern('tools/list', { _meta => {%META} }, { 'Mcp-Method' => undef });
$e = error_is($r, 400, -32020, 'no Mcp-Method');
like($e->{message}, qr/Mcp-Method/, 'message names Mcp-Method');

$r = modern('tools/list', { _meta => {%META} },
            { 'Mcp-Method' => 'prompts/list' });
$e = error_is($r, 400, -32020, 'Mcp-Method differs from method');
like($e->{message}, qr/Mcp-Method header does not match/, 'message says so');

my %call = (name => 'get_system_overview',
            arguments => { device_id => 'dev-sim-r1' }, _meta => {%META});
$r = modern('tools/call', {%call}, { 'Mcp-Name' => undef });
$e = error_is($r, 400, -32020, 'no Mcp-Name on tools/call');
like($e->{message}, qr/Mcp-Name header is required \(params\.name\)/,
     'message names Mcp-Name and params.name');

$r = modern('tools/call', {%call}, { 'Mcp-Name' => 'echo' });
$e = error_is($r, 400, -32020, 'Mcp-Name differs from params.name');
like($e->{message}, qr/does not match params\.name/, 'message names params.name');

$r = modern('tools/call', {%call}, { 'Mcp-Name' => '=?base64?@@@?=' });
$e = error_is($r, 400, -32020, 'Mcp-Name with broken base64');
like($e->{message}, qr/not a valid value/, 'message says invalid value');

$r = modern('resources/read', { uri => 'fleet://health-summary',
                                _meta => {%META} },
            { 'Mcp-Name' => 'fleet://other' });
$e = error_is($r, 400, -32020, 'Mcp-Name differs from params.uri');
like($e->{message}, qr/params\.uri/, 'message names params.uri');

$r = modern('server/discover', {});
$e = error_is($r, 400, -32602, 'no _meta');
like($e->{message}, qr/params\._meta is required/, 'message names params._meta');

$r = modern('server/discover', undef);
error_is($r, 400, -32602, 'no params at all');

$r = modern('server/discover', { _meta => 'x' });
$e = error_is($r, 400, -32602, '_meta not an object');
like($e->{message}, qr/params\._meta must be an object/, 'message says object');

for my $case (
    [ 'io.modelcontextprotocol/protocolVersion', undef, 'must be a string' ],
    [ 'io.modelcontextprotocol/protocolVersion', 20260728, 'must be a string' ],
    [ 'io.modelcontextprotocol/clientCapabilities', undef, 'must be an object' ],
    [ 'io.modelcontextprotocol/clientCapabilities', [], 'must be an object' ],
    [ 'io.modelcontextprotocol/clientInfo', 'me', 'must be an object' ],
    [ 'io.modelcontextprotocol/logLevel', 'loud', 'must be one of' ],
    [ 'io.modelcontextprotocol/logLevel', 3, 'must be one of' ]) {
    my ($field, $value, $says) = @$case;
    my %m = %META;
    defined $value ? ($m{$field} = $value) : delete $m{$field};
    $r = modern('server/discover', { _meta => \%m }, {}, 'm');
    my $what = "$field " . (defined $value ? encode_json([$value]) : 'missing');
    $e = error_is($r, 400, -32602, $what);
    like($e->{message}, qr/\Q_meta["$field"] $says\E/,
         "$what: message names the field");
    is($r->{json}{id}, 'm', "$what: the request id");
}

# removed from the modern era, and unknown: 404 / -32601
for my $m (qw(initialize ping logging/setLevel resources/subscribe
              resources/unsubscribe no/such-method)) {
    $r = modern($m, { _meta => {%META} }, {}, 500);
    $e = error_is($r, 404, -32601, "$m in 2026-07-28");
    is($e->{data}{method}, $m, "$m: data.method");
}

# GET and DELETE: no stream, no session
for my $method ('GET', 'DELETE') {
    $r = raw_post(method => $method,
                  headers => { Accept => 'text/event-stream',
                               'MCP-Protocol-Version' => $V });
    is($r->{status}, 405, "$method with MCP-Protocol-Version $V: 405");
    is($r->{headers}{allow}, 'POST', "$method: Allow: POST");
}

$r = modern('notifications/cancelled', { requestId => 1, _meta => {%META} },
            {}, 'none');
is($r->{status}, 202, 'a notification: 202');
is($r->{body}, '', 'a notification: empty body');

$r = raw_post(body => { jsonrpc => '2.0', id => 5, result => {} },
              headers => { %BASE, 'MCP-Protocol-Version' => $V });
error_is($r, 400, -32600, 'a posted response');

$r = raw_post(body => '{"jsonrpc":', headers => { %BASE,
                                                  'MCP-Protocol-Version' => $V });
error_is($r, 400, -32700, 'malformed JSON');

# the legacy era is unchanged: no _meta claim, unsupported header
$r = raw_post(body => '{"jsonrpc":"2.0","id":1,"method":"ping"}',
              headers => { %BASE, 'MCP-Protocol-Version' => '1999-01-01' });
error_is($r, 400, -32000, 'legacy request with an unknown version');

# --- subscriptions/listen ------------------------------------------------------

sub listen_frames {
    my ($params, $id) = @_;
    (my $hp = mcp_url()) =~ s{^http://([^/]+)/.*}{$1};
    my $body = encode_json({ jsonrpc => '2.0', id => $id,
                             method => 'subscriptions/listen',
                             params => $params });
    my $sock = IO::Socket::INET->new(PeerAddr => $hp, Timeout => 5) or die $!;
    print $sock "POST /mcp HTTP/1.1\r\nHost: $hp\r\n"
      . "Content-Type: application/json\r\n"
      . "Accept: application/json, text/event-stream\r\n"
      . "MCP-Protocol-Version: $V\r\nMcp-Method: subscriptions/listen\r\n"
      . "Content-Length: " . length($body) . "\r\n\r\n$body";
    my $buf = '';
    my $t0 = time;
    while (time - $t0 < 5 && $buf !~ /\n\n.*data: .*\n\n/s) {
        my $n = sysread($sock, $buf, 4096, length $buf);
        last unless $n;
    }
    close $sock;
    return $buf;
}

my $raw = listen_frames({ notifications => { toolsListChanged => JSON::PP::true },
                          _meta => {%META} }, 'sub-7');
like($raw, qr{^HTTP/1.1 200}, 'subscriptions/listen: 200');
like($raw, qr{Content-Type: text/event-stream}i, 'subscriptions/listen: SSE');
my ($first) = $raw =~ /^data: (.*)$/m;
my $ack = eval { decode_json($first) } // {};
is($ack->{method}, 'notifications/subscriptions/acknowledged',
   'the first message is the acknowledgement');
is($ack->{params}{_meta}{'io.modelcontextprotocol/subscriptionId'}, 'sub-7',
   'it carries the subscription id (the listen request id)');
is_deeply($ack->{params}{notifications}, {},
          'it honours none of the list-changed kinds (static lists)');

$r = modern('subscriptions/listen', { notifications => 'all',
                                      _meta => {%META} });
$e = error_is($r, 200, -32602, 'listen with a bad filter');
like($e->{message}, qr/params\.notifications/, 'message names the filter');

# --- progress over SSE, cancel by closing the stream ---------------------------

my $tag = sprintf '%x%x', $$, time % 65536;
my $DEV = "t15-diag-$tag";
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';
is(system($admin, 'device', 'add', '--id', $DEV, '--name', $DEV,
          '--ip', '127.0.0.2', '--port', $ENV{SIM_PORT}, '--scheme', 'http',
          '--environment', 'lab', '--username', 'admin', '--password-env',
          'SIM_PASSWORD'), 0, "registered $DEV (sim-r1)");
END { local $?; eval { system($admin, 'device', 'remove', $DEV) } if $DEV }

$r = modern('tools/call', { name => 'ping',
                            arguments => { device_id => $DEV,
                                           target => '10.12.0.2', count => 3 },
                            _meta => { %META, progressToken => "pt-$tag" } });
like($r->{headers}{'content-type'}, qr{^text/event-stream},
     'tools/call with a progress token: SSE');
my @prog = grep { ($_->{method} // '') eq 'notifications/progress' }
           @{ $r->{events} };
is_deeply([ map { $_->{params}{progress} } @prog ], [1, 2, 3],
          'progress 1, 2, 3 before the result');
is($prog[0]{params}{progressToken}, "pt-$tag", 'progress: the token');
is($r->{json}{result}{resultType}, 'complete', 'the streamed result: resultType');
is($r->{json}{result}{structuredContent}{packets_sent}
   // $r->{json}{result}{structuredContent}{sent}, 3, 'three packets sent');

stack_cmd('stop-agent');
END { local $?; stack_cmd('start-agent') }
(my $hp = mcp_url()) =~ s{^http://([^/]+)/.*}{$1};
my $body = encode_json({ jsonrpc => '2.0', id => "c-$tag", method => 'tools/call',
                         params => { name => 'echo',
                                     arguments => { message => "cancel-$tag" },
                                     _meta => {%META} } });
my $sock = IO::Socket::INET->new(PeerAddr => $hp, Timeout => 5) or die $!;
print $sock "POST /mcp HTTP/1.1\r\nHost: $hp\r\n"
  . "Content-Type: application/json\r\n"
  . "Accept: application/json, text/event-stream\r\n"
  . "MCP-Protocol-Version: $V\r\nMcp-Method: tools/call\r\nMcp-Name: echo\r\n"
  . "Content-Length: " . length($body) . "\r\n\r\n$body";
my $job = wait_for(sub {
    for my $e (@{ redis_cmd('XREVRANGE', 'mcp:jobs', '+', '-', 'COUNT', 50) }) {
        my %f = @{ $e->[1] };
        my $j = decode_json($f{job});
        return $j->{id} if ($j->{arguments}{message} // '') eq "cancel-$tag";
    }
    return undef;
}, 10);
like($job // '', qr/^[0-9a-f]{32}$/, 'the modern call is queued');
is(redis_cmd('EXISTS', "mcp:job:{$job}:cancel"), 0, 'not cancelled yet');
close $sock;
my $cancel = wait_for(sub { redis_cmd('GET', "mcp:job:{$job}:cancel") }, 10);
is($cancel, 'client',
   'closing the response stream sets the job\'s cancel key (by the client)');

done_testing();
