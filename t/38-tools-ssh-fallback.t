#!/usr/bin/perl
# 38-tools-ssh-fallback.t: the SSH read fallback of routing and wireless
# reads and of the plan builder with REST down, and the RouterOS 7.13+ wifi
# package (/interface/wifi when /interface/wireless is absent) over REST
# and SSH; every answer compared with the simulator's state.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
plan skip_all => 'no SSH consoles in this stack (needs root)'
    unless -e "$ENV{MCP_VAR}/sshd/commands.log";

my $root = $ENV{MCP_ROOT} // '.';
my $build = $ENV{BUILD} // 'build';
$build = "$root/$build" unless $build =~ m{^/};
my $admin = "$build/routeros-mcp-admin";
my ($R1, $R2) = ('127.0.0.2', '127.0.0.3');
my ($D1, $D2) = ("dev-t38f-r1-$$", "dev-t38f-r2-$$");

my $s = mcp_session();
$s->initialize('2025-11-25');
sub call { return $s->call_tool(@_) }
sub sc { return $_[0]{result}{structuredContent} }
sub set_state { return MCPTest::_sim('POST', $_[0], '/__sim/state', $_[1]) }
END {
    local $?;
    eval { sim_reset($_) } for ($R1, $R2);
    system("$admin device remove $_ >/dev/null 2>&1") for ($D1, $D2);
}
sim_reset($_) for ($R1, $R2);
for my $d ([ $D1, $R1 ], [ $D2, $R2 ]) {
    my $out = `$admin device add --id $d->[0] --name $d->[0] --ip $d->[1] --port $ENV{SIM_PORT} --scheme http --environment lab --username admin --password-env SIM_PASSWORD --ssh-username rosadmin --ssh-password-env SIM_SSH_PASSWORD --ssh-port $ENV{SIM_SSH_PORT} --allow-professional-workflows 2>&1`;
    is($? >> 8, 0, "$d->[0]: REST and SSH credentials") or diag $out;
}

# --- get_route over SSH ------------------------------------------------------
my $routes = sim_state($R1)->{menus}{'/ip/route'};
my ($static) = grep { ($_->{comment} // '') eq 'lab network' } @$routes;
sim_fault($R1, { mode => 'down' });
my $r = call('get_route', { device_id => $D1, route_id => $static->{'.id'} });
ok(!$r->{result}{isError}, "REST down: get_route $static->{'.id'} answers")
    or diag explain $r;
my $o = sc($r);
is($o->{transport}, 'ssh', 'over SSH');
ok($o->{fallback_used}, 'fallback_used');
ok($o->{found}, 'found');
is_deeply([ @{ $o->{route} }{qw(id dst_address gateway distance comment)} ],
          [ @$static{qw(.id dst-address gateway)}, $static->{distance} + 0,
            'lab network' ],
          'id, destination, gateway, distance and comment equal the simulator');
$r = call('get_route', { device_id => $D1, route_id => '*DEAD' });
$o = sc($r);
ok(!$r->{result}{isError} && !$o->{found}, 'missing route over SSH: found false')
    or diag explain $r;
is_deeply([ sort map { $_->{id} } @{ $o->{available_routes} } ],
          [ sort map { $_->{'.id'} } @$routes ],
          'available_routes are the simulator route ids');
is($o->{transport}, 'ssh', 'listed over SSH');

# --- the plan builder reads the current route over SSH -----------------------
psql("UPDATE devices SET allow_routing_writes = true, status = 'healthy' "
     . "WHERE id = '$D1'");
$r = call('plan_modify_static_route', { device_ids => [$D1],
    route_id => $static->{'.id'}, gateway => '192.168.88.253' });
ok(!$r->{result}{isError}, 'REST down: plan_modify_static_route builds a plan')
    or diag explain $r;
my $plan = sc($r)->{plan_id};
like($plan // '', qr/^plan-/, "plan $plan stored");
my $current = json_decode(psql_value(
    "SELECT changes::text FROM plans WHERE id = '$plan'") // 'null');
my $text = json_encode($current);
like($text, qr/"gateway":"\Q$static->{gateway}\E"/,
     'its current gateway was read from the console');
like($text, qr/192\.168\.88\.253/, 'and the new gateway is planned');
sim_fault($R1, { mode => 'ok' });

# --- legacy wireless over SSH (r2: wlan1, 2 clients, CAPsMAN) ---------------
my $st2 = sim_state($R2)->{menus};
sim_fault($R2, { mode => 'down' });
$r = call('get_wireless_interfaces', { device_id => $D2 });
$o = sc($r);
ok(!$r->{result}{isError}, 'REST down: get_wireless_interfaces answers')
    or diag explain $r;
is($o->{transport}, 'ssh', 'over SSH');
is($o->{menu}, '/interface/wireless', 'from /interface/wireless');
is_deeply([ map { [ @$_{qw(id name ssid band)} ] } @{ $o->{interfaces} } ],
          [ map { [ @$_{qw(.id name ssid band)} ] }
            @{ $st2->{'/interface/wireless'} } ],
          'ids, names, SSIDs and bands equal the simulator');
is_deeply([ map { $_->{code} } @{ $o->{hints} } ], ['capsman_detected'],
          'CAPsMAN remote caps seen over SSH');
$r = call('get_wireless_clients', { device_id => $D2 });
$o = sc($r);
is($o->{transport}, 'ssh', 'clients over SSH');
is_deeply([ sort map { $_->{mac_address} } @{ $o->{clients} } ],
          [ sort map { $_->{'mac-address'} }
            @{ $st2->{'/interface/wireless/registration-table'} } ],
          'client MACs equal the simulator');
$r = call('get_capsman_registrations', { device_id => $D2 });
$o = sc($r);
ok(!$r->{result}{isError}, 'get_capsman_registrations over SSH')
    or diag explain $r;
is_deeply([ map { $_->{mac_address} } @{ $o->{registrations} } ],
          [ map { $_->{'mac-address'} }
            @{ $st2->{'/caps-man/registration-table'} } ],
          'registrations equal the simulator');
sim_fault($R2, { mode => 'ok' });

# --- the wifi package: /interface/wireless absent, /interface/wifi present --
my $wifi = [ { name => 'wifi1', 'default-name' => 'wifi1',
               'configuration.ssid' => "t38-wifi-$$",
               'configuration.mode' => 'ap', 'channel.band' => '5ghz-ax',
               'channel.frequency' => '5180', 'channel.width' => '20/40/80mhz',
               'security.authentication-types' => 'wpa2-psk,wpa3-psk',
               'mac-address' => '4C:5E:0C:10:30:01', running => 'true',
               disabled => 'false' },
             { name => 'wifi2', 'default-name' => 'wifi2',
               'configuration.ssid' => "t38-wifi-$$",
               'configuration.mode' => 'ap', 'channel.band' => '2ghz-ax',
               'channel.frequency' => '2437', 'channel.width' => '20mhz',
               'mac-address' => '4C:5E:0C:10:30:02', running => 'true',
               disabled => 'false' } ];
my $regs = [ { interface => 'wifi1', 'mac-address' => 'A4:83:E7:1C:40:01',
               ssid => "t38-wifi-$$", band => '5ghz-ax', signal => '-54',
               'tx-rate' => '1200.9Mbps', 'rx-rate' => '864.8Mbps',
               uptime => '1h2m3s', 'auth-type' => 'wpa3-psk',
               bytes => '1000,2000', packets => '10,20' } ];
my $set = set_state($R1, { absent => ['/interface/wireless'],
    menus => { '/interface/wifi' => $wifi,
               '/interface/wifi/registration-table' => $regs } });
is_deeply($set->{absent}, ['/interface/wireless'], 'r1 runs the wifi package');
ok(!exists $set->{menus}{'/interface/wireless'}, 'without /interface/wireless');

for my $case ([ 'dev-sim-r1', 'rest' ], [ $D1, 'ssh' ]) {
    my ($dev, $via) = @$case;
    sim_fault($R1, { mode => 'down' }) if $via eq 'ssh';
    $r = call('get_wireless_interfaces', { device_id => $dev });
    $o = sc($r);
    ok(!$r->{result}{isError}, "$via: get_wireless_interfaces on a wifi device")
        or diag explain $r;
    is($o->{transport}, $via, "$via: transport $via");
    is($o->{menu}, '/interface/wifi', "$via: read /interface/wifi");
    ok($o->{wireless_package}, "$via: wireless_package true");
    is_deeply([ map { [ @$_{qw(name ssid band frequency channel_width mode
                               mac_address running)} ] } @{ $o->{interfaces} } ],
              [ map { [ $_->{name}, $_->{'configuration.ssid'},
                        $_->{'channel.band'}, $_->{'channel.frequency'},
                        $_->{'channel.width'}, $_->{'configuration.mode'},
                        $_->{'mac-address'}, JSON::PP::true ] } @$wifi ],
              "$via: names, SSIDs, bands, frequencies, widths, modes, MACs");
    like($r->{result}{content}[0]{text}, qr/2 wireless interfaces.*wifi/,
         "$via: the text names the wifi package");
    $r = call('get_wireless_clients', { device_id => $dev });
    $o = sc($r);
    is($o->{menu}, '/interface/wifi/registration-table',
       "$via: clients from the wifi registration table");
    is_deeply([ map { [ @$_{qw(mac_address interface ssid signal_strength_dbm
                               uptime_seconds authentication_type)} ] }
                @{ $o->{clients} } ],
              [ [ 'A4:83:E7:1C:40:01', 'wifi1', "t38-wifi-$$", -54, 3723,
                  'wpa3-psk' ] ],
              "$via: MAC, interface, SSID, signal, uptime, auth type");
    sim_fault($R1, { mode => 'ok' });
}

# Neither package: both menus absent → empty list, not a failure.
set_state($R1, { absent => ['/interface/wireless', '/interface/wifi'] });
$r = call('get_wireless_interfaces', { device_id => 'dev-sim-r1' });
$o = sc($r);
ok(!$r->{result}{isError}, 'no wireless and no wifi package: not an error');
is_deeply([ $o->{wireless_package} ? 1 : 0, $o->{interfaces} ], [ 0, [] ],
          'wireless_package false, empty list');
like($r->{result}{content}[0]{text},
     qr{/interface/wireless and /interface/wifi: "RouterOS answered HTTP 400: no such command},
     'the text says which menus are missing');

done_testing();
