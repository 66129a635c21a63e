#!/usr/bin/perl
# 13-protocol-stream.t: GET opens the session's one standalone SSE stream
# (priming event for 2025-11-25, 409 for a second); Last-Event-ID
# "<job id>/<entry id>" resumes a tool call's stream for its own session.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP;
use MCPTest;

my $s = mcp_session();
$s->initialize('2025-11-25');
my $sid = $s->session_id;
my %base = ('Mcp-Session-Id' => $sid, 'MCP-Protocol-Version' => '2025-11-25');

my ($sock, $st, $hdr) = sse_get(%base, Accept => 'application/json');
is($st, 406, 'GET without text/event-stream in Accept: 406');
($sock, $st) = sse_get(Accept => 'text/event-stream');
is($st, 400, 'GET without Mcp-Session-Id: 400');
($sock, $st) = sse_get(Accept => 'text/event-stream',
                        'Mcp-Session-Id' => 'f' x 32);
is($st, 404, 'GET with an unknown session: 404');

my ($g1, $body);
($g1, $st, $hdr, $body) = sse_get(%base, Accept => 'text/event-stream');
is($st, 200, 'GET stream: 200');
like($hdr, qr{content-type: text/event-stream}i, 'GET stream: text/event-stream');
like($hdr, qr{x-accel-buffering: no}i, 'GET stream: X-Accel-Buffering no');
$body = sse_read($g1, $body, qr/\n\n/);
like($body, qr/^(?:[0-9a-f]+\r\n)?id: \S+\nretry: 3000\ndata: \n\n/,
     '2025-11-25: priming event with an id, retry: and empty data');
ok(redis_cmd('EXISTS', "mcp:stream:{$sid}"), 'the stream is claimed in Redis');
my $ttl = redis_cmd('TTL', "mcp:stream:{$sid}");
ok($ttl > 0 && $ttl <= 45, "the claim expires unless refreshed ($ttl s)");

# a session notification published on the holding worker's channel
my $channel = redis_cmd('GET', "mcp:stream:{$sid}");
like($channel, qr/^mcp:notify:/, 'the claim names the worker channel');
my $note = '{"jsonrpc":"2.0","method":"notifications/resources/updated",'
         . '"params":{"uri":"fleet://health-summary"}}';
redis_cmd('PUBLISH', $channel, "session:$sid:$note");
$body = sse_read($g1, $body, qr/resources\/updated.*\n\n/s);
like($body, qr/event: message\ndata: \Q$note\E\n\n/,
     'it goes out on the GET stream as one SSE event');
my $other_sid = 'a' x 32;
redis_cmd('PUBLISH', $channel, "session:$other_sid:{\"x\":1}");
redis_cmd('PUBLISH', $channel, "session:$sid:{\"y\":2}");
$body = sse_read($g1, $body, qr/"y":2/);
unlike($body, qr/"x":1/, 'another session\'s notification is not sent here');

my ($g2, $st2, undef, $b2) = sse_get(%base, Accept => 'text/event-stream');
is($st2, 409, 'a second GET stream of the session: 409');
like($b2, qr/already has a GET stream/, '409 says why');
close $g2;

close $g1;
ok(wait_for(sub { redis_cmd('EXISTS', "mcp:stream:{$sid}") == 0 }, 10),
   'closing the stream releases the claim');
my ($g3, $st3) = sse_get(%base, Accept => 'text/event-stream');
is($st3, 200, 'after the close a new GET stream opens');
close $g3;

# --- resumption ----------------------------------------------------------------

my $r = $s->post({ jsonrpc => '2.0', id => 'res-1', method => 'tools/call',
                   params => { name => 'echo', arguments => { message => 'again' },
                               _meta => { progressToken => 'pt-1' } } });
like($r->{headers}{'content-type'}, qr{^text/event-stream}, 'tools/call as SSE');
like($r->{body}, qr{^id: [0-9a-f]{32}/0-0\nretry: 3000\ndata: \n\n},
     '2025-11-25 POST stream: priming event <job>/0-0 with retry: first');
my @ids = grep { !m{/0-0$} } $r->{body} =~ /^id: (\S+)$/mg;
ok(@ids >= 1, 'the POST stream has event ids');
my ($job) = ($ids[0] // '') =~ m{^([0-9a-f]{32})/};
my $s6 = mcp_session();
$s6->initialize('2025-06-18');
my $r6 = $s6->post({ jsonrpc => '2.0', id => 'p6', method => 'tools/call',
                     params => { name => 'echo', arguments => { message => 'x' },
                                 _meta => { progressToken => 1 } } });
unlike($r6->{body}, qr{/0-0\n}, '2025-06-18 POST stream: no priming event');
ok($job, 'ids are <job id>/<entry id>');
my $rec = decode_json(redis_cmd('GET', "mcp:job:{$job}:request"));
is($rec->{session}, $sid, 'mcp:job:{<id>}:request names the session');
is($rec->{id}, 'res-1', '... and the request id');

my $g = $s->{http}->request('GET', $s->url, { headers => {
    %base, Accept => 'text/event-stream', 'Last-Event-ID' => "$job/0-0" } });
is($g->{status}, 200, 'GET with Last-Event-ID <job>/0-0: 200');
my @replayed = $g->{content} =~ /^id: (\S+)$/mg;
is_deeply(\@replayed, \@ids,
          'replays every event after the priming one, same ids');
like($g->{content}, qr/"id":"res-1"/, 'the replayed response has the request id');
like($g->{content}, qr/Echo: again/, 'the replayed response is the result');

$g = $s->{http}->request('GET', $s->url, { headers => {
    %base, Accept => 'text/event-stream', 'Last-Event-ID' => $ids[-1] } });
unlike($g->{content} // '', qr/^id: \Q$ids[-1]\E$/m,
       'resuming after the last id does not resend it');

my $other = mcp_session();
$other->initialize('2025-11-25');
$g = $other->{http}->request('GET', $other->url, { headers => {
    'Mcp-Session-Id' => $other->session_id, Accept => 'text/event-stream',
    'MCP-Protocol-Version' => '2025-11-25', 'Last-Event-ID' => "$job/0-0" } });
is($g->{status}, 404, 'another session cannot resume the stream: 404');
unlike($g->{content}, qr/Echo: again/, 'and sees none of it');

done_testing();
