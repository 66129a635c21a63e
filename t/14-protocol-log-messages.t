#!/usr/bin/perl
# 14-protocol-log-messages.t: after logging/setLevel the agent's log records
# of a tools/call arrive as notifications/message on that request's SSE
# stream (or the 2024-11-05 session stream), only at or above the level.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use MCPTest;
use LegacySSE;

my $tag = sprintf '%x%x', $$, time % 65536;
my $DEV = "t14-log-$tag";    # sim-r1; its own diagnostics rate budget
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';
ok(system($admin, 'device', 'add', '--id', $DEV, '--name', $DEV,
          '--ip', '127.0.0.2', '--port', $ENV{SIM_PORT}, '--scheme', 'http',
          '--environment', 'lab', '--username', 'admin', '--password-env',
          'SIM_PASSWORD') == 0, "registered $DEV (sim-r1)");
END {
    local $?;
    eval { system($admin, 'device', 'remove', $DEV) } if $DEV;
}

sub messages {
    my ($r) = @_;
    return grep { ($_->{method} // '') eq 'notifications/message' }
           @{ $r->{events} };
}

my $sim = sim_state('127.0.0.2');
my $s = mcp_session();
$s->initialize('2025-11-25');

my $r = $s->request('tools/call', { name => 'get_system_overview',
                                    arguments => { device_id => 'dev-sim-r1' } });
like($r->{headers}{'content-type'}, qr{^application/json},
     'no logging level: a plain JSON answer');

is_deeply($s->request('logging/setLevel', { level => 'info' })->{json}{result},
          {}, 'logging/setLevel info');
$r = $s->request('tools/call', { name => 'get_system_overview',
                                 arguments => { device_id => 'dev-sim-r1' } });
like($r->{headers}{'content-type'}, qr{^text/event-stream},
     'with a level the answer is an SSE stream');
my @m = messages($r);
is(scalar @m, 2, 'two notifications/message before the result');
is_deeply([map { $_->{params}{level} } @m], ['info', 'info'], 'level info');
is_deeply([map { $_->{params}{logger} } @m],
          ['get_system_overview', 'get_system_overview'],
          'logger names the tool');
is_deeply([map { $_->{params}{data} } @m],
          ['dev-sim-r1: read /system/resource',
           'dev-sim-r1: read /system/identity'],
          'the data says what the agent read');
unlike(json_encode(\@m), qr/\Q$ENV{SIM_PASSWORD}\E/,
       'no device secret in the messages') if $ENV{SIM_PASSWORD};
is(tool_payload($r->{json})->{system_identity},
   $sim->{menus}{'/system/identity'}{name}, 'then the result');
my $last = $r->{events}[-1];
ok(exists $last->{result}, 'the result is the last event');

# the job carried the level to the agent
my $job;
for my $e (@{ redis_cmd('XREVRANGE', 'mcp:jobs', '+', '-', 'COUNT', 50) }) {
    my %f = @{ $e->[1] };
    my $j = json_decode($f{job});
    if (($j->{session} // '') eq $s->session_id
        && $j->{name} eq 'get_system_overview') {
        $job = $j;
        last;
    }
}
is($job->{log_level}, 'info', 'the job carries log_level');

# below the level: nothing
$s->request('logging/setLevel', { level => 'warning' });
$r = $s->request('tools/call', { name => 'get_system_overview',
                                 arguments => { device_id => 'dev-sim-r1' } });
is(scalar(messages($r)), 0, 'level warning: the info records are not sent');
ok($r->{json}{result} && !$r->{json}{result}{isError}, 'the result still comes');

# debug: ping's per-packet records, next to its progress
$s->request('logging/setLevel', { level => 'debug' });
$r = $s->request('tools/call', { name => 'ping',
                                 arguments => { device_id => $DEV,
                                                target => '10.12.0.2',
                                                count => 3 },
                                 _meta => { progressToken => "log-$tag" } });
@m = messages($r);
is(scalar @m, 3, 'ping count 3 at level debug: three records');
is_deeply([map { $_->{params}{level} } @m], [('debug') x 3], 'level debug');
like($m[0]{params}{data}, qr/^seq 0: reply in [\d.]+ ms$/,
     'a record per packet');
my @p = grep { ($_->{method} // '') eq 'notifications/progress' }
        @{ $r->{events} };
is(scalar @p, 3, 'and three progress notifications');
is(tool_payload($r->{json})->{packets_received}, 3, 'ping result: 3 received');

# 2026-07-28: the level travels in the request's _meta, no session
my %modern = ('Content-Type' => 'application/json',
              'Accept' => 'application/json, text/event-stream',
              'MCP-Protocol-Version' => '2026-07-28',
              'Mcp-Method' => 'tools/call', 'Mcp-Name' => 'get_system_overview');
my %meta = ('io.modelcontextprotocol/protocolVersion' => '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities' => {},
            'io.modelcontextprotocol/clientInfo' => { name => 't14', version => 1 });
for my $lv (['info', 2], ['error', 0]) {
    my ($level, $n) = @$lv;
    $r = raw_post(headers => \%modern,
                  body => { jsonrpc => '2.0', id => "m-$level",
                            method => 'tools/call',
                            params => { name => 'get_system_overview',
                                        arguments => { device_id => 'dev-sim-r1' },
                                        _meta => { %meta,
                                          'io.modelcontextprotocol/logLevel'
                                              => $level } } });
    @m = messages($r);
    is(scalar @m, $n, "2026-07-28 with _meta logLevel $level: $n records");
    is($r->{json}{result}{structuredContent}{system_identity},
       $sim->{menus}{'/system/identity'}{name}, "2026-07-28 ($level): result");
}

# the 2024-11-05 transport: the records go on the session's stream
my $g = LegacySSE->open('/sse');
my ($url) = ($g->next_event(10) // {})->{data} // '';
sub legacy_rpc {
    my ($id, $method, $params) = @_;
    my $res = $g->post($url, { jsonrpc => '2.0', id => $id, method => $method,
                               params => $params });
    return $g->wait_message(sub { ($_[0]{id} // '') eq $id }, 60);
}
legacy_rpc('l1', 'initialize', { protocolVersion => '2024-11-05',
                                 capabilities => {},
                                 clientInfo => { name => 't14', version => 1 } });
legacy_rpc('l2', 'logging/setLevel', { level => 'notice' });
my ($resp, $seen) = legacy_rpc('l3', 'tools/call',
    { name => 'get_system_overview', arguments => { device_id => 'dev-sim-r1' } });
is(scalar(grep { ($_->{method} // '') eq 'notifications/message' } @$seen), 0,
   '2024-11-05 at notice: no info records');
legacy_rpc('l4', 'logging/setLevel', { level => 'info' });
($resp, $seen) = legacy_rpc('l5', 'tools/call',
    { name => 'get_system_overview', arguments => { device_id => 'dev-sim-r1' } });
my @lm = grep { ($_->{method} // '') eq 'notifications/message' } @$seen;
is(scalar @lm, 2, '2024-11-05 at info: two records on the session stream');
is($lm[0]{params}{data}, 'dev-sim-r1: read /system/resource', 'same data');
ok($resp->{result} && !$resp->{result}{isError}, 'then the result');
$g->close;

done_testing();
