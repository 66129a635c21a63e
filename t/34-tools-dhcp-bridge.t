#!/usr/bin/perl
# 34-tools-dhcp-bridge.t: the DHCP and bridge read tools over the real path
# (MCP → nginx → Redis → agent → simulated RouterOS), every answer compared
# with the simulator's state.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $R1 = '127.0.0.2';
my $R2 = '127.0.0.3';
END { eval { sim_reset($_) } for ($R1, $R2) }

my $s = mcp_session();
$s->initialize('2025-06-18');

sub call { return $s->call_tool(@_) }
sub sc   { return $_[0]{result}{structuredContent} }

sub invalid {
    my ($tool, $args, $field, $what) = @_;
    my $r = call($tool, $args);
    is($r->{error}{code}, -32602, "$tool: $what is -32602");
    like($r->{error}{message}, qr/\Q$field\E/, "$tool: the message names $field");
}

my $st1 = sim_state($R1)->{menus};
my $st2 = sim_state($R2)->{menus};

# --- get_dhcp_server_status -------------------------------------------------
my $r = call('get_dhcp_server_status', { device_id => 'dev-sim-r1' });
my $o = sc($r);
my $srv = $st1->{'/ip/dhcp-server'};
ok(!$r->{result}{isError}, 'dhcp servers: not an error');
is($o->{total_count}, scalar @$srv, 'dhcp servers: every server');
is_deeply([ map { [ @$_{qw(id name interface address_pool lease_time)} ] }
            @{ $o->{servers} } ],
          [ map { [ @$_{qw(.id name interface address-pool lease-time)} ] }
            @$srv ], 'dhcp servers: name, interface, pool, lease time');
is($o->{servers}[0]{lease_time_seconds}, 1800,
   'dhcp servers: lease time 30m is 1800 seconds');
ok(JSON::PP::is_bool($o->{servers}[0]{disabled})
   && !$o->{servers}[0]{disabled}, 'dhcp servers: disabled is a boolean');
is($r->{result}{content}[0]{text}, 'dev-sim-r1: 1 DHCP servers',
   'dhcp servers: summary text');
invalid('get_dhcp_server_status', {}, 'device_id', 'a missing device_id');

# unknown device: the agent's device lookup answers
$r = call('get_dhcp_server_status', { device_id => 'dev-nope' });
ok($r->{error} || $r->{result}{isError},
   'dhcp servers: an unknown device is refused');
like($r->{error} ? $r->{error}{message} : $r->{result}{content}[0]{text},
     qr/dev-nope/, 'dhcp servers: the answer names the device');

# --- get_dhcp_leases ------------------------------------------------------------
my $leases = $st2->{'/ip/dhcp-server/lease'};
$o = sc(call('get_dhcp_leases', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$leases, 'leases: every lease of r2');
is_deeply([ map { [ @$_{qw(address mac_address status server)} ] }
            @{ $o->{leases} } ],
          [ map { [ @$_{qw(address mac-address status server)} ] } @$leases ],
          'leases: address, MAC, status, server as the simulator holds them');
my ($bound) = grep { $_->{status} eq 'bound' } @{ $o->{leases} };
my ($sbound) = grep { $_->{status} eq 'bound' } @$leases;
is($bound->{host_name}, $sbound->{'host-name'}, 'leases: host name');
my ($m, $sec) = $sbound->{'expires-after'} =~ /^(\d+)m(\d+)s$/;
is($bound->{expires_after_seconds}, $m * 60 + $sec,
   'leases: expires-after in seconds');
ok($bound->{dynamic}, 'leases: the bound lease is dynamic');
my ($waiting) = grep { $_->{status} eq 'waiting' } @{ $o->{leases} };
is_deeply([ $waiting->{comment}, $waiting->{last_seen},
            exists $waiting->{host_name} ? 1 : 0 ], [ 'reserved', 'never', 0 ],
          'leases: the waiting reservation has no host name');
$o = sc(call('get_dhcp_leases', { device_id => 'dev-sim-r2', limit => 1 }));
is_deeply([ $o->{returned_count}, $o->{total_count}, $o->{truncated} ? 1 : 0,
            $o->{leases}[0]{address} ],
          [ 1, scalar @$leases, 1, $leases->[0]{address} ],
          'leases: limit 1 keeps the first lease and reports truncation');
invalid('get_dhcp_leases', { device_id => 'dev-sim-r2', limit => 'ten' },
        'limit', 'a string limit');

# device down: a clear isError result
sim_fault($R2, { mode => 'down' });
$r = call('get_dhcp_leases', { device_id => 'dev-sim-r2' });
sim_fault($R2, { mode => 'ok' });
ok($r->{result}{isError}, 'leases: an unreachable device is an isError result');
is($r->{result}{_meta}{failure_reason}, 'network_error',
   'leases: failure_reason network_error');
is($r->{result}{_meta}{menu}, '/ip/dhcp-server/lease',
   'leases: _meta names the menu');

# --- list_bridges -----------------------------------------------------------------
my $br = $st2->{'/interface/bridge'};
$o = sc(call('list_bridges', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$br, 'bridges: every bridge');
my $b = $o->{bridges}[0];
is_deeply([ @$b{qw(name protocol_mode mac_address priority)} ],
          [ $br->[0]{name}, $br->[0]{'protocol-mode'}, $br->[0]{'mac-address'},
            hex($br->[0]{priority}) ],
          'bridges: name, protocol mode, MAC, priority (0x8000 → 32768)');
is($b->{vlan_filtering}, JSON::PP::true, 'bridges: r2 filters VLANs');
is(sc(call('list_bridges', { device_id => 'dev-sim-r1' }))
       ->{bridges}[0]{vlan_filtering}, JSON::PP::false,
   'bridges: r1 does not filter VLANs');
is($b->{running}, JSON::PP::true, 'bridges: running is a boolean');
invalid('list_bridges', { device_id => 'dev-sim-r2', extra => 1 }, 'extra',
        'an unknown argument');

# --- list_bridge_ports --------------------------------------------------------------
my $ports = $st2->{'/interface/bridge/port'};
$o = sc(call('list_bridge_ports', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$ports, 'bridge ports: every port');
is_deeply([ map { [ @$_{qw(interface bridge pvid status)} ] } @{ $o->{ports} } ],
          [ map { [ $_->{interface}, $_->{bridge}, $_->{pvid} + 0,
                    $_->{status} ] } @$ports ],
          'bridge ports: interface, bridge, PVID (integer), status');
is_deeply([ map { $_->{hw_offload} ? 1 : 0 } @{ $o->{ports} } ],
          [ map { $_->{hw} eq 'true' ? 1 : 0 } @$ports ],
          'bridge ports: hardware offload per port');
$o = sc(call('list_bridge_ports', { device_id => 'dev-sim-r2', limit => 1 }));
is_deeply([ $o->{returned_count}, $o->{total_count}, $o->{truncated} ? 1 : 0,
            $o->{ports}[0]{interface} ],
          [ 1, scalar @$ports, 1, $ports->[0]{interface} ],
          'bridge ports: limit 1 keeps the first port and reports truncation');
invalid('list_bridge_ports', { device_id => 'dev-sim-r2', limit => 0 },
        'limit', 'limit 0');

done_testing();
