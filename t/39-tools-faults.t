#!/usr/bin/perl
# 39-tools-faults.t: the agent's answers to the simulator's switchable
# faults through the real path: 401 (authentication, not retried), failures
# inside HTTP 200 (!trap object, "status":"ERROR: …" rows), 500, and retries
# with backoff for idempotent reads only, counted in /__sim/requests.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $R1 = '127.0.0.2';
my $s = mcp_session();
$s->initialize('2025-11-25');
sub call { return $s->call_tool(@_) }
sub res { return $_[0]{result} }
sub text { return $_[0]{result}{content}[0]{text} }
sub clear { MCPTest::_sim('DELETE', $R1, '/__sim/requests') }
# RouterOS requests of the device since the last clear, as "METHOD path".
sub seen {
    my ($re) = @_;
    return grep { /$re/ } map { "$_->{method} $_->{path}" }
        @{ sim_requests($R1) };
}
my $adv = psql_value("SELECT allow_advanced_writes FROM devices "
                     . "WHERE id = 'dev-sim-r1'");
END {
    local $?;
    eval { sim_reset($R1) };
    eval { psql("UPDATE devices SET allow_advanced_writes = "
                . ($adv =~ /^t/ ? 'true' : 'false') . " WHERE id = 'dev-sim-r1'") }
        if defined $adv;
}
psql("UPDATE devices SET allow_advanced_writes = true WHERE id = 'dev-sim-r1'");
sim_reset($R1);
my $identity = sim_state($R1)->{identity};

# --- 401: bad credentials ----------------------------------------------------
sim_fault($R1, { mode => 'error401' });
clear();
my $r = call('get_system_clock', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, '401: get_system_clock is a tool error')
    or diag explain $r;
like(text($r), qr/authentication failed/i, 'the text names authentication');
like(text($r), qr/username and password/, 'and says what to check');
is(res($r)->{_meta}{failure_reason}, 'auth_failed',
   '_meta.failure_reason auth_failed');
is(res($r)->{_meta}{status_code}, 401, '_meta.status_code 401');
is(scalar(seen(qr{^GET /rest/system/clock})), 1,
   '401 on a read is not retried: one GET /rest/system/clock');
like(sim_state($R1)->{menus}{'/log'}[-1]{message},
     qr/login failure for user admin/, 'the device logged the login failure');

$r = call('check_connectivity', { device_id => 'dev-sim-r1' });
is($r->{result}{structuredContent}{failure_reason} // res($r)->{_meta}{failure_reason},
   'auth_failed', 'check_connectivity: failure_reason auth_failed');

clear();
$r = call('set_system_identity', { device_id => 'dev-sim-r1',
                                   identity => "t39-$$" });
ok(res($r)->{isError}, '401: set_system_identity is a tool error');
like(text($r), qr/authentication failed/i, 'naming authentication');
is(scalar(seen(qr{^PATCH })), 0, 'nothing was written');
sim_fault($R1, { mode => 'ok' });
is(sim_state($R1)->{identity}, $identity, 'identity unchanged');

# --- a command that fails inside HTTP 200 ------------------------------------
sim_fault($R1, { mode => 'trap200', paths => ['/ip/dns'],
                 detail => 'failure: dns cache busy' });
$r = call('get_dns_status', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, 'trap inside 200: get_dns_status is a tool error')
    or diag explain $r;
like(text($r), qr/command failed on the device.*failure: dns cache busy/,
     'the text carries the device-side failure');
is(res($r)->{_meta}{failure_reason}, 'command_failed',
   '_meta.failure_reason command_failed');
is(res($r)->{_meta}{status_code}, 200, '_meta.status_code 200');

clear();
sim_fault($R1, { mode => 'status200', paths => ['/ip/dns/cache'],
                 detail => 'Unauthorized' });
$r = call('flush_dns_cache', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, 'status ERROR rows: flush_dns_cache is a tool error')
    or diag explain $r;
like(text($r), qr/Unauthorized/, 'with the RouterOS text');
unlike(text($r), qr/flushed \d+/i, 'never reported as flushed');
is(scalar(seen(qr{^POST /rest/ip/dns/cache/flush})), 0,
   'the failed read stopped the flush before it was sent');
sim_fault($R1, { mode => 'ok' });

# A write whose reply is a failure inside 200: reported, not "changed".
sim_fault($R1, { mode => 'trap200', paths => ['/ip/dns/cache/flush'],
                 detail => 'failure: not allowed (9)' });
clear();
$r = call('flush_dns_cache', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, 'trap on the flush command: tool error')
    or diag explain $r;
like(text($r), qr/not allowed \(9\)/, 'naming the RouterOS failure');
is(scalar(seen(qr{^POST /rest/ip/dns/cache/flush})), 1,
   'the command was sent once (writes are not retried)');
sim_fault($R1, { mode => 'ok' });

# --- 500 -----------------------------------------------------------------------
sim_fault($R1, { mode => 'error500', paths => ['/system/clock'] });
clear();
$r = call('get_system_clock', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, '500: tool error');
like(text($r), qr/HTTP 500: std failure: timeout \(13\)/,
     'the RouterOS detail is in the text');
is(res($r)->{_meta}{failure_reason}, 'server_error', 'server_error');
sim_fault($R1, { mode => 'ok' });

# --- retries: idempotent reads only ------------------------------------------
# "down" closes each connection without an answer (a network error). The
# agent's own attempts are counted in check_connectivity's answer; libcurl
# may also resend a GET once on a fresh connection when a kept-alive one
# died, which is harmless for a read.
sim_fault($R1, { mode => 'down', paths => ['/system/resource'] });
clear();
$r = call('check_connectivity', { device_id => 'dev-sim-r1' });
is($r->{result}{structuredContent}{failure_reason}, 'network_error',
   'down: network_error');
is($r->{result}{structuredContent}{attempts}, 2,
   'the read was attempted twice (ROUTEROS_MCP_RETRY_ATTEMPTS 2)');
my @gets = grep { $_->{path} eq '/rest/system/resource' }
    @{ sim_requests($R1) };
cmp_ok(scalar(@gets), '>=', 2, 'the device saw the GET more than once');
ok($gets[-1]{time} - $gets[0]{time} >= 0.09,
   'the second attempt came after a pause (backoff of 100 ms)');

# A write that meets the same network error is sent once: the flush
# command (its read of /ip/dns/cache is outside the fault's prefix).
sim_fault($R1, { mode => 'down', paths => ['/ip/dns/cache/flush'] });
clear();
$r = call('flush_dns_cache', { device_id => 'dev-sim-r1' });
ok(res($r)->{isError}, 'down: flush_dns_cache fails') or diag explain $r;
is(scalar(seen(qr{^GET /rest/ip/dns/cache$})), 1, 'its read answered once');
is(scalar(seen(qr{^POST /rest/ip/dns/cache/flush})), 1,
   'the write was sent once: writes are never retried');

sim_fault($R1, { mode => 'ok' });
done_testing();
