#!/usr/bin/perl
# 13-protocol-cancel-logging.t: notifications/cancelled reaches the queued
# job through mcp:req:{<session>}:<id> (any worker), and the agent answers
# -32005; logging/setLevel validates the level and keeps it in the session.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempfile);
use JSON::PP;
use MCPTest;

my $s = mcp_session();
my $init = $s->initialize('2025-11-25');
is_deeply($init->{json}{result}{capabilities}{logging}, {},
          'initialize advertises logging');
my $sid = $s->session_id;

# --- logging/setLevel ----------------------------------------------------------

my $r = $s->request('logging/setLevel', { level => 'warning' });
is($r->{status}, 200, 'logging/setLevel warning: 200');
is_deeply($r->{json}{result}, {}, 'logging/setLevel: empty result');
my $stored = decode_json(redis_cmd('GET', "mcp:session:$sid"));
is($stored->{log_level}, 'warning', 'the session in Redis holds the level');
is($stored->{subject}, 'anonymous', 'the rest of the session is kept');
ok(redis_cmd('TTL', "mcp:session:$sid") > 0, 'the session keeps its TTL');

$r = $s->request('logging/setLevel', { level => 'debug' });
is(decode_json(redis_cmd('GET', "mcp:session:$sid"))->{log_level}, 'debug',
   'a second setLevel replaces the level');

for my $bad ('verbose', 'WARNING', '', 3) {
    $r = $s->request('logging/setLevel', { level => $bad });
    is($r->{json}{error}{code}, -32602,
       'level ' . encode_json([$bad]) . ': -32602');
}
like($r->{json}{error}{message}, qr/params\.level/, 'message names params.level');
$r = $s->request('logging/setLevel', {});
is($r->{json}{error}{code}, -32602, 'missing level: -32602');
is(decode_json(redis_cmd('GET', "mcp:session:$sid"))->{log_level}, 'debug',
   'a refused level leaves the stored one');

# --- notifications/cancelled --------------------------------------------------

stack_cmd('stop-agent');
my $tag = sprintf '%d-%d', $$, time;

my ($fh, $file) = tempfile(UNLINK => 1);
my $pid = fork // die "fork: $!";
if ($pid == 0) {
    my $res = $s->post({ jsonrpc => '2.0', id => "call-$tag",
                         method => 'tools/call',
                         params => { name => 'echo',
                                     arguments => { message => $tag } } });
    open my $out, '>', $file or die;
    # the session has a logging level: the answer is an SSE stream
    print $out encode_json($res->{json});
    close $out;
    exit 0;
}

my $job = wait_for(sub {
    my $v = redis_cmd('GET', qq(mcp:req:{$sid}:"call-$tag"));
    return $v;
}, 10);
like($job // '', qr/^[0-9a-f]{32}$/,
     'mcp:req:{<session>}:"<id>" holds the job id');
my $queued = wait_for(sub {
    for my $e (@{ redis_cmd('XREVRANGE', 'mcp:jobs', '+', '-', 'COUNT', 20) }) {
        my %f = @{ $e->[1] };
        my $j = decode_json($f{job});
        return $j if $j->{id} eq ($job // '');
    }
    return undef;
}, 10);
is($queued->{arguments}{message}, $tag, 'it is the queued job of that call');
ok(redis_cmd('TTL', qq(mcp:req:{$sid}:"call-$tag")) > 0, 'the map expires');

# another session cannot cancel it: its key names its own session
my $other = mcp_session();
$other->initialize('2025-11-25');
$r = $other->notify('notifications/cancelled', { requestId => "call-$tag" });
is($r->{status}, 202, 'cancel from another session: 202');
is(redis_cmd('EXISTS', "mcp:job:{$job}:cancel"), 0,
   'another session does not reach the job');

# unknown ids are ignored
$r = $s->notify('notifications/cancelled', { requestId => 'nope' });
is($r->{status}, 202, 'cancel of an unknown request: 202');
$r = $s->notify('notifications/cancelled', { requestId => 99999 });
is($r->{status}, 202, 'cancel of an unknown integer id: 202');

$r = $s->notify('notifications/cancelled',
                { requestId => "call-$tag", reason => 'user' });
is($r->{status}, 202, 'notifications/cancelled: 202');
is($r->{body}, '', 'no body');
is(redis_cmd('GET', "mcp:job:{$job}:cancel"), 'client',
   'the job\'s cancel key is set (by the client) before the 202');

stack_cmd('start-agent');
waitpid($pid, 0);
my $answer = do { open my $in, '<', $file or die; local $/; decode_json(<$in>) };
is($answer->{error}{code}, -32005, 'the agent answers the cancelled call with -32005');
like($answer->{error}{message}, qr/cancelled/, 'message says cancelled');

# an integer request id maps too
$pid = fork // die;
if ($pid == 0) {
    $s->post({ jsonrpc => '2.0', id => 424242, method => 'tools/call',
               params => { name => 'echo', arguments => { message => "i-$tag" } } });
    exit 0;
}
ok(wait_for(sub { redis_cmd('GET', "mcp:req:{$sid}:424242") }, 10),
   'integer id: mcp:req:{<session>}:424242');
waitpid($pid, 0);

done_testing();
