#!/usr/bin/perl
# 15-protocol-ask.t: server-to-client requests (the conformance fixtures
# test_sampling, test_elicitation): sent on the tools/call SSE stream only
# to a client that declared the capability; the client's response, POSTed
# separately to any worker, completes the call; no one else can answer it.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use Cwd qw(getcwd);
use IO::Socket::INET;
use IdP;
use MCPTest;

my $root = $ENV{MCP_ROOT} // getcwd();
my $port = ($ENV{MCP_NGINX_PORT} // 18080) + 21;
my $dir  = ($ENV{MCP_VAR} // "$root/var/test") . '/t15-ask';
IdP::nginx_start($dir, $port, <<"CONF", 2);
    mcp_redis 127.0.0.1:$ENV{MCP_REDIS_PORT};
    mcp_catalog $root/shared/catalog/tools;
    mcp_conformance_fixtures on;
    server {
        listen 127.0.0.1:$port;
        location = /mcp { mcp_endpoint; mcp_auth off; }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $url = "http://127.0.0.1:$port/mcp";

# a session whose initialize declared these client capabilities
sub session {
    my ($caps) = @_;
    my $s = mcp_session(url => $url);
    my $r = $s->post({ jsonrpc => '2.0', id => 0, method => 'initialize',
        params => { protocolVersion => '2025-11-25', capabilities => $caps,
                    clientInfo => { name => 't15', version => '1' } } });
    $s->{session_id} = $r->{headers}{'mcp-session-id'};
    $s->{protocol_version} = '2025-11-25';
    $s->notify('notifications/initialized');
    return $s;
}

# POSTs tools/call on a socket kept open; returns it and what arrived until
# the server's request (an SSE event with a method) came.
sub call_streaming {
    my ($s, $name, $args) = @_;
    my $body = json_encode({ jsonrpc => '2.0', id => 42, method => 'tools/call',
                             params => { name => $name, arguments => $args } });
    my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                     Timeout => 10) or die "connect: $!";
    print $sock "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n"
        . "Content-Type: application/json\r\n"
        . "Accept: application/json, text/event-stream\r\n"
        . "Mcp-Session-Id: $s->{session_id}\r\n"
        . "MCP-Protocol-Version: 2025-11-25\r\n"
        . 'Content-Length: ' . length($body) . "\r\n\r\n$body";
    my $got = sse_read($sock, '', qr/^data: \{[^\n]*"method"[^\n]*\n/m);
    return ($sock, $got);
}

sub server_request {
    my ($got) = @_;
    my ($line) = $got =~ /^data: (\{[^\n]*"method"[^\n]*)$/m;
    return $line ? json_decode($line) : {};
}

# --- the capability gate -----------------------------------------------------------
my $plain = session({});
my $r = $plain->call_tool('test_sampling', { prompt => 'hi' });
is($r->{error}{code}, -32600, 'sampling tool, client without sampling: error');
is($r->{error}{data}{capability}, 'sampling', 'names the capability');
$r = $plain->call_tool('test_elicitation', { message => 'hi' });
is($r->{error}{data}{capability}, 'elicitation',
   'elicitation tool, client without elicitation: error');

# --- sampling: request on the stream, answer by a separate POST ----------------------
my $s = session({ sampling => {}, elicitation => {} });
my ($sock, $got) = call_streaming($s, 'test_sampling', { prompt => 'Say hi' });
like($got, qr{content-type: text/event-stream}i, 'the call answers with SSE');
my $req = server_request($got);
is($req->{method}, 'sampling/createMessage', 'the server asks the client');
is($req->{params}{messages}[0]{content}{text}, 'Say hi', 'with the prompt');
is($req->{params}{maxTokens}, 100, 'maxTokens 100');
like($req->{id} // '', qr/^[0-9a-f]{32}$/, 'a server request id');
ok(redis_cmd('EXISTS', "mcp:ask:{$req->{id}}"),
   'the request is recorded in Redis for whichever worker gets the answer');

# another session cannot answer it
my $other = session({ sampling => {} });
my $p = $other->post({ jsonrpc => '2.0', id => $req->{id},
    result => { role => 'assistant', model => 'x',
                content => { type => 'text', text => 'forged' } } });
is($p->{status}, 202, 'an answer from another session: 202 ...');

# the client's answer, on new connections (either worker)
$p = $s->post({ jsonrpc => '2.0', id => $req->{id},
    result => { role => 'assistant', model => 'test-model',
                content => { type => 'text', text => 'Hello there' } } });
is($p->{status}, 202, 'the client\'s response: 202');
$got = sse_read($sock, $got, qr/"id":42/);
my ($final) = $got =~ /^data: (\{[^\n]*"id":42[^\n]*)$/m;
my $res = $final ? json_decode($final) : {};
is($res->{result}{content}[0]{text}, 'LLM response: Hello there',
   '... and the result is built from the real answer only');
close $sock;
my $id = $req->{id};
ok(wait_for(sub { !redis_cmd('EXISTS', "mcp:ask:{$id}") }, 5),
   'the record is gone');

# --- elicitation, declined by the client with an error ------------------------------
($sock, $got) = call_streaming($s, 'test_elicitation',
                               { message => 'Who are you?' });
$req = server_request($got);
is($req->{method}, 'elicitation/create', 'elicitation/create asked');
is($req->{params}{message}, 'Who are you?', 'with the message');
is_deeply([sort keys %{ $req->{params}{requestedSchema}{properties} }],
          ['email', 'username'], 'and the form\'s fields');
$s->post({ jsonrpc => '2.0', id => $req->{id},
           error => { code => -1, message => 'User rejected' } });
$got = sse_read($sock, $got, qr/"id":42/);
($final) = $got =~ /^data: (\{[^\n]*"id":42[^\n]*)$/m;
$res = $final ? json_decode($final) : {};
ok($res->{result}{isError}, 'a client error: the tool result is an error');
like($res->{result}{content}[0]{text} // '', qr/User rejected/,
     'saying what the client said');
close $sock;

# --- answers that match nothing -----------------------------------------------------
is($s->post({ jsonrpc => '2.0', id => 'f' x 32, result => {} })->{status},
   202, 'a response to no request: 202');
is($s->post({ jsonrpc => '2.0', id => 7, result => {} })->{status}, 202,
   'a response with a foreign id: 202');

done_testing();
