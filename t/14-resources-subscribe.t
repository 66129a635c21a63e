#!/usr/bin/perl
# 14-resources-subscribe.t: resources/subscribe and unsubscribe keep the
# session's URIs in Redis; the agent's plan transitions and device writes
# reach the subscribed session's GET stream as notifications/resources/
# updated; the conformance fixtures stay off on the stack.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

# two devices of this test on sim-r1 and sim-r2, advanced writes allowed
my %ip = ('t14-a' => '127.0.0.2', 't14-b' => '127.0.0.3');
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';
for my $d (sort keys %ip) {
    system($admin, 'device', 'remove', $d) if psql_value(
        "SELECT count(*) FROM devices WHERE id = '$d'");
    is(system($admin, 'device', 'add', '--id', $d, '--name', $d, '--ip',
              $ip{$d}, '--port', $ENV{SIM_PORT}, '--scheme', 'http',
              '--environment', 'lab', '--username', 'admin',
              '--password-env', 'SIM_PASSWORD', '--allow-advanced-writes'),
       0, "registered $d");
    sim_reset($ip{$d});
}
END {
    for my $d (keys %ip) {
        eval { sim_reset($ip{$d}) };
        eval { system($admin, 'device', 'remove', $d) };
    }
}

my $s = mcp_session();
my $init = $s->initialize('2025-11-25');
my $sid = $s->session_id;
ok($init->{json}{result}{capabilities}{resources}{subscribe},
   'initialize advertises resources.subscribe');

sub subscribe {
    my ($method, $uri) = @_;
    return $s->request("resources/$method", { uri => $uri })->{json};
}

# --- bad input and the fixtures (off on the stack) ---------------------------
my $r = subscribe('subscribe', 'nope://x');
is($r->{error}{code}, -32002, 'subscribe to an unknown URI: -32002');
is($r->{error}{data}{uri}, 'nope://x', 'names the URI');
is(subscribe('subscribe', 'test://watched-resource')->{error}{code}, -32002,
   'fixture URI without mcp_conformance_fixtures: not found');
is($s->request('resources/subscribe', {})->{json}{error}{code}, -32602,
   'subscribe without uri: -32602');
is($s->request('resources/read', { uri => 'test://static-text' })
     ->{json}{error}{code}, -32002, 'fixture resource not served');
is($s->request('prompts/get', { name => 'test_prompt_with_image' })
     ->{json}{error}{code}, -32602, 'fixture prompt not served');

# --- subscriptions in Redis ------------------------------------------------------
my $dev = 'device://t14-a/config';
is_deeply(subscribe('subscribe', $dev)->{result}, {}, 'subscribe: {}');
is(redis_cmd('SISMEMBER', "mcp:subs:{$sid}", $dev), 1,
   'the URI is in the session\'s set');
my $ttl = redis_cmd('TTL', "mcp:subs:{$sid}");
ok($ttl > 0, "the set expires with the session ($ttl s)");
is_deeply(subscribe('subscribe', 'device://t14-b/config')->{result}, {},
          'a second subscription');
is_deeply(subscribe('unsubscribe', 'device://t14-b/config')->{result},
          {}, 'unsubscribe: {}');
is(redis_cmd('SISMEMBER', "mcp:subs:{$sid}", 'device://t14-b/config'),
   0, 'unsubscribed URI left the set');
is_deeply(subscribe('unsubscribe', 'device://t14-c/config')->{result},
          {}, 'unsubscribing what was never subscribed: {}');

# --- updates on the GET stream ---------------------------------------------------
my ($g, $st, $hdr, $body) = sse_get('Mcp-Session-Id' => $sid,
    'MCP-Protocol-Version' => '2025-11-25', Accept => 'text/event-stream');
is($st, 200, 'GET stream open');

# a second session subscribed without a GET stream gets nothing and is kept
my $quiet = mcp_session();
$quiet->initialize('2025-11-25');
$quiet->request('resources/subscribe', { uri => $dev });

# a write to t14-b (unsubscribed) first, then one to t14-a (subscribed)
for my $d ('t14-b', 't14-a') {
    $r = $s->call_tool('update_dns_servers',
                       { device_id => $d, dns_servers => ['9.9.9.9'] });
    ok($r->{result} && !$r->{result}{isError}, "update_dns_servers on $d")
      or diag explain $r;
}
$body = sse_read($g, $body, qr/resources\/updated.*\n\n/s);
my ($first) = $body =~ /^data: (\{.*resources\/updated.*\})$/m;
my $note = $first ? json_decode($first) : {};
is($note->{params}{uri}, $dev,
   'a device write: the subscribed device\'s config update comes first '
   . '(none for the unsubscribed one)');
is($note->{jsonrpc}, '2.0', 'a JSON-RPC notification');
is(redis_cmd('SISMEMBER', "mcp:subs:{" . $quiet->session_id . "}", $dev), 1,
   'the session without a stream keeps its subscription');
sim_reset($_) for values %ip;

# --- a plan state change -----------------------------------------------------------
SKIP: {
    skip 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack', 2
      unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};
    psql("UPDATE devices SET allow_professional_workflows = true, "
         . "allow_firewall_writes = true, status = 'healthy' "
         . "WHERE id = 't14-a'");
    $r = $s->call_tool('plan_modify_firewall_rule', { device_ids =>
        ['t14-a'], rule_id => '*8', comment => 't14-subscribe' });
    my $id = $r->{result}{structuredContent}{plan_id} // 'none';
    my $uri = "plan://$id/details";
    is_deeply(subscribe('subscribe', $uri)->{result}, {},
              'subscribe to the plan\'s details');
    $r = $s->call_tool('approve_plan', { plan_id => $id });
    $body = sse_read($g, $body, qr/\Q"uri":"$uri"\E/);
    like($body, qr/^data: \{[^\n]*resources\/updated[^\n]*\Q"uri":"$uri"\E/m,
         'approving the plan notifies its subscribers');
}

close $g;
done_testing();
