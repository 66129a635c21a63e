#!/usr/bin/perl
# 50-sdk-client.t: the official MCP TypeScript SDK client connects over
# Streamable HTTP, lists the tools and reads a simulated router's overview.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

my $root = $ENV{MCP_ROOT} // '.';
plan skip_all => 'SDK not installed (make sdk / make test runs npm ci in t/sdk)'
  unless -d "$root/t/sdk/node_modules/\@modelcontextprotocol/sdk";

my $out = `node $root/t/sdk/client.mjs ${\ mcp_url()} dev-sim-r1`;
is($? >> 8, 0, 'the SDK client ran to the end') or diag $out;
my $got = eval { json_decode($out) };
ok($got, 'the SDK client printed its JSON report') or BAIL_OUT("no report");

ok(defined $got->{sessionId} && length $got->{sessionId},
   'the server issued a session id on initialize');
like($got->{protocolVersion} // '', qr/^\d{4}-\d{2}-\d{2}$/,
     'a protocol version was negotiated');
ok((grep { $_ eq 'get_system_overview' } @{ $got->{tools} }),
   'tools/list offers get_system_overview');
ok((grep { $_ eq 'echo' } @{ $got->{tools} }), 'tools/list offers echo');

my $res = $got->{overview};
ok(!$res->{isError}, 'get_system_overview succeeded')
  or diag json_encode($res);
my $ov = tool_payload({ result => $res });

my $sim = sim_state('127.0.0.2');
is($ov->{device_id}, 'dev-sim-r1', 'the overview names the device asked for');
is($ov->{system_identity}, $sim->{menus}{'/system/identity'}{name},
   'identity equals the simulator\'s /system/identity');
is($ov->{routeros_version}, $sim->{menus}{'/system/resource'}{version},
   'RouterOS version equals the simulator\'s /system/resource version');

done_testing();
