#!/usr/bin/perl
# 01-stack-up.t: the stack started by t/stack/stack.sh is whole: every
# process runs, nginx serves, Redis and PostgreSQL answer, devices exist.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

my $var = $ENV{MCP_VAR} or plan skip_all => 'no stack environment';

sub pid_running {
    my ($file, $name) = @_;
    open(my $fh, '<', $file) or return 0;
    my ($pid) = <$fh> =~ /(\d+)/;
    open(my $cmd, '<', "/proc/$pid/cmdline") or return 0;
    local $/;
    return index(<$cmd>, $name) >= 0;
}

ok(pid_running("$var/redis.pid", 'redis-server'), 'redis-server runs');
ok(pid_running("$var/sim.pid", 'routeros_sim.py'), 'the simulator runs');
ok(pid_running("$var/agent.pid", 'routeros-mcp-agent'), 'the agent runs');
ok(pid_running("$var/nginx.pid", 'nginx'), 'nginx runs');

my $bare = raw_post(url => "$ENV{MCP_BASE_URL}/bare", body => '{}',
                    headers => { 'Content-Type' => 'application/json' });
is($bare->{status}, 200, 'nginx answers on the bare location');
is($bare->{body}, '{}', 'the bare location returns its fixed body');

is(redis_cmd('PING'), 'PONG', 'Redis answers PING');

is(psql_value("SELECT current_database()"), 'routeros_mcp',
   'PostgreSQL serves the routeros_mcp database');
my @devices = psql("SELECT id, management_ip, management_port::text, "
                   . "rest_scheme, environment FROM devices "
                   . "ORDER BY id");
# dev-sim-v6 (RouterOS 6, SSH only) when the stack runs the SSH consoles.
my $v6 = -s "$ENV{MCP_VAR}/sshd/client_ed25519";
is_deeply(\@devices,
          [ (map { [ "dev-sim-r$_", '127.0.0.' . ($_ + 1), $ENV{SIM_PORT},
                     'http', 'lab' ] } 1 .. 3),
            ($v6 ? ([ 'dev-sim-v6', '127.0.0.5', $ENV{SIM_PORT}, 'http',
                      'lab' ]) : ()) ],
          'the simulated devices are registered')
  or diag explain \@devices;

for my $n (1 .. 3) {
    my $ip = '127.0.0.' . ($n + 1);
    is(sim_state($ip)->{identity}, "sim-r$n", "the simulator plays sim-r$n on $ip");
}

done_testing();
