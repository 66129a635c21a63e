#!/usr/bin/perl
# 45-ops-health-metrics.t: /health follows Redis, agent heartbeats and the
# agent's PostgreSQL; tools/call rate limits answer a JSON-RPC error with the
# delay; /metrics counts them; the log variables name session, method, tool
# and subject.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use Cwd qw(getcwd);
use Time::HiRes qw(sleep time);
use IdP;
use MCPTest;

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $rport = $port + 7;
my $dir = getcwd() . "/var/t45-ops-health-metrics";
my $root = getcwd();
my $aud = "http://127.0.0.1:$port/mcp";
my $idp = IdP->new("$dir/idp");
$idp->write_jwks("$dir/idp/jwks.json", 'ec256');

system('redis-server', '--port', $rport, '--bind', '127.0.0.1', '--save', '',
       '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', "$dir/redis.pid",
       '--logfile', "$dir/redis.log", '--dir', $dir) == 0 or die "redis-server";
$ENV{MCP_REDIS_PORT} = $rport;
for (1 .. 50) { last if eval { MCPTest::redis_cmd('PING') }; sleep 0.1 }

IdP::nginx_start($dir, $port, <<"CONF");
    mcp_redis 127.0.0.1:$rport;
    mcp_catalog $root/shared/catalog/tools;
    log_format mcp 'subject=\$mcp_subject method=\$mcp_method tool=\$mcp_tool session=\$mcp_session_id status=\$status';
    server {
        listen 127.0.0.1:$port;
        mcp_auth_audience $aud;
        mcp_auth_jwks_file $dir/idp/jwks.json;
        location = /mcp {
            access_log $dir/logs/mcp.log mcp;
            mcp_auth jwt;
            mcp_endpoint;
            mcp_limit_rule read per=device rate=1r/m burst=1;
        }
        location = /health { mcp_health; }
        location = /metrics { mcp_metrics; }
    }
CONF
END {
    IdP::nginx_stop($dir) if $dir;
    if ($dir && open(my $fh, '<', "$dir/redis.pid")) { my $p = <$fh>; kill 'TERM', $p if $p }
}

my $http = HTTP::Tiny->new(timeout => 5);
sub health {
    my $r = $http->get("http://127.0.0.1:$port/health");
    return ($r->{status}, eval { decode_json($r->{content}) } // {});
}
my $now_ms = int(time * 1000);

# a fresh zone and no agent: an empty but valid answer
my $m = $http->get("http://127.0.0.1:$port/metrics");
is($m->{status}, 200, '/metrics with no series yet: 200');
MCPTest::redis_cmd('ZADD', 'mcp:agents', $now_ms, 'a0');
MCPTest::redis_cmd('HSET', 'mcp:agent:a0:metrics', 'mcp_agent_jobs_running', '2');
$m = $http->get("http://127.0.0.1:$port/metrics");
like($m->{content}, qr/^mcp_agent_jobs_running\{agent="a0"\} 2$/m, 'an agent hash is served beside them');
MCPTest::redis_cmd('ZREM', 'mcp:agents', 'a0');
open(my $el, '<', "$dir/logs/error.log") or die;
is(scalar(grep { /\[alert\]/ } <$el>), 0, 'no alert in the error log (no empty buffer sent)');

my ($st, $h) = health();
is($st, 503, 'no agent: 503');
is_deeply($h->{down}, ['agent'], 'no agent: names the agent');

MCPTest::redis_cmd('ZADD', 'mcp:agents', $now_ms, 'a1');
MCPTest::redis_cmd('SET', 'mcp:agent:a1', encode_json({ pg => 'down', ts => $now_ms, jobs => 0 }), 'EX', 15);
($st, $h) = health();
is($st, 503, 'agent without PostgreSQL: 503');
is_deeply($h->{down}, ['postgresql'], 'names PostgreSQL');

MCPTest::redis_cmd('SET', 'mcp:agent:a1', encode_json({ pg => 'ok', ts => $now_ms, jobs => 0 }), 'EX', 15);
($st, $h) = health();
is($st, 200, 'fresh agent reaching PostgreSQL: 200');
is($h->{status}, 'ok', 'status ok');
is($h->{agents}, 1, 'one agent');

MCPTest::redis_cmd('SET', 'mcp:agent:a1', encode_json({ pg => 'ok', ts => $now_ms - 60000, jobs => 0 }), 'EX', 15);
($st, $h) = health();
is($st, 503, 'a stale heartbeat does not count');
is_deeply($h->{down}, ['agent'], 'and the agent is named');

# --- tools/call rate limit, log variables, metrics
my $token = $idp->token(kid => 'ec256', claims => { aud => $aud, sub => 'alice',
                                                    scope => 'mcp:read', exp => time + 300 });
my $s = MCPTest::mcp_session(url => $aud);
my %auth = (Authorization => "Bearer $token");
my $init = $s->post({ jsonrpc => '2.0', id => 1, method => 'initialize',
                      params => { protocolVersion => '2025-11-25', capabilities => {},
                                  clientInfo => { name => 't45', version => '1' } } }, %auth);
is($init->{status}, 200, 'initialize with a bearer token') or diag $init->{body};
$s->{session_id} = $init->{headers}{'mcp-session-id'};
$s->{protocol_version} = '2025-11-25';
$s->post({ jsonrpc => '2.0', method => 'notifications/initialized' }, %auth);
$s->{http} = HTTP::Tiny->new(timeout => 1);
$s->post({ jsonrpc => '2.0', id => 10, method => 'tools/call',
           params => { name => 'check_connectivity', arguments => { device_id => 'dev-x' } } }, %auth);
my $r = $s->post({ jsonrpc => '2.0', id => 11, method => 'tools/call',
                   params => { name => 'check_connectivity', arguments => { device_id => 'dev-x' } } }, %auth);
my $err = $r->{json} && $r->{json}{error};
ok($err, 'the second call on the same device within the minute is refused') or diag $r->{body};
cmp_ok($err->{data}{retry_after_ms} // 0, '>', 50000, 'with the delay in data.retry_after_ms');

$r = $http->get("http://127.0.0.1:$port/metrics");
like($r->{content}, qr/^mcp_rate_limited_total\{rate_class="read"\} 1$/m, 'metrics count the refusal');

my $sid = $s->session_id // '';
open(my $fh, '<', "$dir/logs/mcp.log") or die;
my @lines = <$fh>;
ok((grep { /^subject=alice method=tools\/call tool=check_connectivity session=\Q$sid\E / } @lines),
   'log variables name subject, method, tool and session') or diag @lines;

kill 'TERM', do { open(my $p, '<', "$dir/redis.pid"); my $x = <$p>; $x };
my $down;
for (1 .. 50) { ($st, $h) = health(); $down = $h->{down}; last if $down && $down->[0] eq 'redis'; sleep 0.1 }
is($st, 503, 'Redis gone: 503');
is_deeply($down, ['redis'], 'names Redis');

done_testing();
