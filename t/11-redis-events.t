#!/usr/bin/perl
# 11-redis-events.t: with the agent stopped, the test plays the agent on the
# job's event stream: a 200 KB result (larger than hiredis' 16 KB read),
# progress over SSE, an error record, and the deadline with no agent at all.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempfile);
use JSON::PP;
use MCPTest;

my $s = mcp_session();
is($s->initialize('2025-11-25')->{status}, 200, 'initialize');

stack_cmd('stop-agent');

# messages are unique per run, so an old job on the stream never matches
my $tag = sprintf '%d-%d', $$, time;

# Starts tools/call echo in a child; returns (pid, file with the response).
sub call_async {
    my ($message, $meta) = @_;
    $message .= "-$tag";
    my ($fh, $file) = tempfile(UNLINK => 1);
    my $pid = fork // die "fork: $!";
    if ($pid == 0) {
        my $r = $s->post({ jsonrpc => '2.0', id => "id-$message",
                           method => 'tools/call',
                           params => { name => 'echo',
                                       arguments => { message => $message },
                                       ($meta ? (_meta => $meta) : ()) } });
        open my $out, '>', $file or die;
        print $out json_encode({ status => $r->{status},
                                 ctype => $r->{headers}{'content-type'},
                                 body => $r->{body}, json => $r->{json},
                                 events => $r->{events} });
        close $out;
        exit 0;
    }
    return ($pid, $file);
}

# The queued job whose echo message is $message.
sub find_job {
    my ($message) = @_;
    $message .= "-$tag";
    return wait_for(sub {
        my $entries = redis_cmd('XREVRANGE', 'mcp:jobs', '+', '-',
                                'COUNT', 20);
        for my $e (@$entries) {
            my %f = @{ $e->[1] };
            my $job = decode_json($f{job});
            return $job if ($job->{arguments}{message} // "") eq $message;
        }
        return undef;
    }, 10);
}

sub finish {
    my ($pid, $file) = @_;
    waitpid($pid, 0);
    local $/;
    open my $in, '<', $file or die;
    return json_decode(<$in>);
}

sub event {
    my ($job, $type, $data) = @_;
    my $key = "mcp:job:{$job->{id}}:events";
    redis_cmd('XADD', $key, '*', 'type', $type, 'data', json_encode($data));
    redis_cmd('PUBLISH', $job->{notify}, $job->{id});
}

# --- a 200 KB result -----------------------------------------------------------

my ($pid, $file) = call_async('large');
my $job = find_job('large');
ok($job, 'the job is on mcp:jobs');
is($job->{name}, 'echo', 'job: tool name');
is_deeply($job->{arguments}, { message => "large-$tag" }, 'job: arguments');
is($job->{subject}, 'anonymous', 'job: subject');
is($job->{session}, $s->session_id, 'job: session');
like($job->{notify}, qr/^mcp:notify:[^:]+:\d+$/, 'job: notify channel');
ok(!$job->{progress}, 'job: no progress asked');

my $big = join '', map { chr(97 + $_ % 26) } 1 .. 200_000;
event($job, 'result', { content => [{ type => 'text', text => $big }],
                        isError => JSON::PP::false });
my $r = finish($pid, $file);
is($r->{status}, 200, 'large result: 200');
is($r->{json}{id}, "id-large-$tag", 'large result: request id');
is(length $r->{json}{result}{content}[0]{text}, 200_000,
   'large result: all 200000 characters');
ok(($r->{json}{result}{content}[0]{text} // '') eq $big,
   'large result: exact text');

# --- progress over SSE ------------------------------------------------------------

($pid, $file) = call_async('progress', { progressToken => 'tok-7' });
$job = find_job('progress');
ok($job->{progress}, 'job: progress asked for');
event($job, 'progress', { progress => 1, total => 2, message => 'one' });
event($job, 'progress', { progress => 2, total => 2, message => 'two' });
event($job, 'result', { content => [{ type => 'text', text => 'done' }] });
$r = finish($pid, $file);
like($r->{ctype}, qr{^text/event-stream}, 'progress: answered as SSE');
my @events = @{ $r->{events} };
is(scalar @events, 3, 'progress: two notifications and the response');
is_deeply($events[0], { jsonrpc => '2.0', method => 'notifications/progress',
                        params => { progressToken => 'tok-7', progress => 1,
                                    total => 2, message => 'one' } },
          'progress: first notification');
is($events[1]{params}{progress}, 2, 'progress: second notification');
is($events[2]{result}{content}[0]{text}, 'done', 'progress: then the result');
my @ids = $r->{body} =~ /^id: (\S+)$/mg;
is(scalar @ids, 4,
   'progress: every event has an id (2025-11-25: priming event first)');
is($ids[0], "$job->{id}/0-0", 'progress: the priming event is job/0-0');
like($ids[1], qr{^\Q$job->{id}\E/\d+-\d+$}, 'progress: id is job/entry');

# --- an error record ---------------------------------------------------------------

($pid, $file) = call_async('error');
$job = find_job('error');
event($job, 'error', { code => -32000, message => 'Device not found: x',
                       data => { device_id => 'x' } });
$r = finish($pid, $file);
is($r->{status}, 200, 'error record: 200');
is_deeply($r->{json}{error}, { code => -32000,
                               message => 'Device not found: x',
                               data => { device_id => 'x' } },
          'error record: the agent\'s code, message and data');

# --- pub/sub lost the wake-up: the re-read after re-SUBSCRIBE delivers ------------

($pid, $file) = call_async('resync');
$job = find_job('resync');
redis_cmd('XADD', "mcp:job:{$job->{id}}:events", '*', 'type', 'result',
          'data', json_encode({ content => [{ type => 'text',
                                              text => 'after resync' }] }));
ok(redis_cmd('CLIENT', 'KILL', 'TYPE', 'pubsub') >= 1,
   'the workers\' subscriber connections are cut');
$r = finish($pid, $file);
is($r->{json}{result}{content}[0]{text}, 'after resync',
   'no PUBLISH at all: the result still arrives after the resubscribe');

# --- the client goes away while its job runs --------------------------------------

($pid, $file) = call_async('gone');
$job = find_job('gone');
kill 'KILL', $pid;
waitpid($pid, 0);
event($job, 'result', { content => [{ type => 'text', text => 'too late' }] });
is($s->request('ping')->{json}{result}{id} // 'pong', 'pong',
   'the endpoint keeps serving after a client vanished mid-call');
my $log = "$ENV{MCP_VAR}/nginx/logs/error.log";
open my $lf, '<', $log or die "$log: $!";
my $crashes = grep { /exited on signal|\[alert\]/ } <$lf>;
close $lf;
is($crashes, '0', 'no worker crashed, no alerts in the error log');

# --- no agent: the deadline answers -----------------------------------------------

($pid, $file) = call_async('nobody');
$job = find_job('nobody');
$r = finish($pid, $file);
is($r->{json}{error}{code}, -32004, 'no agent: timeout error at the deadline');
like($r->{json}{error}{message}, qr/did not finish within 5000 ms/,
     'no agent: the message gives the tool timeout');
is(redis_cmd('GET', "mcp:job:{$job->{id}}:cancel"), 'deadline',
   'no agent: the job is marked cancelled (by its deadline) for the agent');

stack_cmd('start-agent');

done_testing();
