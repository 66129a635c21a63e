#!/usr/bin/perl
# 11-redis-down.t: with Redis stopped, tools/call and initialize fail at once
# with "queue unavailable"; once Redis is back, the same nginx serves again.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use MCPTest;

my $s = mcp_session();
is($s->initialize('2025-11-25')->{status}, 200, 'initialize with Redis up');
is($s->call_tool('echo', { message => 'before' })->{result}{content}[0]{text},
   'Echo: before', 'echo works with Redis up');

stack_cmd('stop-redis');

my $res = $s->call_tool('echo', { message => 'while down' });
is($res->{error}{code}, -32003, 'Redis down: tools/call → -32003');
like($res->{error}{message}, qr/^Queue unavailable/,
     'Redis down: the message says the queue is unavailable');
is($res->{error}{data}{reason}, 'queue_unavailable', 'data.reason');
ok(!exists $res->{result}, 'no result');

my $fresh = mcp_session();
my $r = $fresh->initialize('2025-11-25');
is($r->{status}, 200, 'Redis down: initialize answers (no hang, no 5xx)');
is($r->{json}{error}{code}, -32003, 'Redis down: initialize → -32003');
ok(!defined $r->{headers}{'mcp-session-id'}, 'no session id issued');

stack_cmd('start-redis');

# the workers reconnect with backoff; the agent re-creates its group
my $back = wait_for(sub {
    my $t = mcp_session();
    return $t->initialize('2025-11-25')->{status} == 200
           && $t->{session_id} ? $t : undef;
}, 30);
ok($back, 'after Redis is back, initialize succeeds again');

my $echo = wait_for(sub {
    my $x = $back->call_tool('echo', { message => 'after' });
    return $x->{result} ? $x : undef;
}, 30);
is($echo && $echo->{result}{content}[0]{text}, 'Echo: after',
   'after Redis is back, echo round-trips through the agent');

done_testing();
