#!/usr/bin/perl
# 35-tools-wireless.t: the wireless read tools over the real path (MCP →
# nginx → Redis → agent → simulated RouterOS), answers compared with the
# simulator; a device without the wireless package (a loopback stand-in
# answering 400 "no such command or directory") is not a failure.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use IO::Socket::INET;
use POSIX ();
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $admin = ($ENV{BUILD} // 'build') . '/routeros-mcp-admin';
plan skip_all => "$admin not built" unless -x $admin;

my $R1 = '127.0.0.2';
my $R2 = '127.0.0.3';
my ($fake_pid, $fake_dev);
END {
    local $?;
    eval { sim_reset($_) } for ($R1, $R2);
    if ($fake_dev) {
        system("'$admin' device remove '$fake_dev' >/dev/null");
    }
    if ($fake_pid) {
        kill 'TERM', $fake_pid;
        waitpid($fake_pid, 0);
    }
}

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

my $st = sim_state($R2)->{menus};

# --- get_wireless_interfaces -----------------------------------------------
my $r = call('get_wireless_interfaces', { device_id => 'dev-sim-r2' });
my $o = sc($r);
my $wl = $st->{'/interface/wireless'};
ok(!$r->{result}{isError}, 'interfaces: not an error');
is($o->{wireless_package}, JSON::PP::true, 'interfaces: r2 has the package');
is($o->{total_count}, scalar @$wl, 'interfaces: every wireless interface');
is_deeply([ @{ $o->{interfaces}[0] }{qw(name ssid band frequency mode
                                         mac_address)} ],
          [ @{ $wl->[0] }{qw(name ssid band frequency mode mac-address)} ],
          'interfaces: name, SSID, band, frequency, mode, MAC');
is($o->{interfaces}[0]{running}, JSON::PP::true,
   'interfaces: running is a boolean');
is_deeply([ map { $_->{code} } @{ $o->{hints} } ], ['capsman_detected'],
          'interfaces: r2 runs CAPsMAN with a remote CAP: hint');
like($o->{hints}[0]{message}, qr/CAPsMAN/, 'interfaces: the hint explains');
like($r->{result}{content}[0]{text}, qr/CAPsMAN detected/,
     'interfaces: the text mentions CAPsMAN');

$o = sc(call('get_wireless_interfaces', { device_id => 'dev-sim-r1' }));
is_deeply([ $o->{total_count}, $o->{hints}, $o->{wireless_package} ? 1 : 0 ],
          [ 0, [], 1 ], 'interfaces: r1 has none and no CAPsMAN hint');
invalid('get_wireless_interfaces', { device_id => 'dev-sim-r2', limit => 5 },
        'limit', 'an unknown argument');

# a RouterOS 500 on the menu is a failure (unlike a missing package)
sim_fault($R2, { mode => 'error500', paths => ['/interface/wireless'] });
$r = call('get_wireless_interfaces', { device_id => 'dev-sim-r2' });
sim_fault($R2, { mode => 'ok' });
ok($r->{result}{isError}, 'interfaces: a RouterOS 500 is an isError result');
is_deeply([ @{ $r->{result}{_meta} }{qw(status_code failure_reason menu)} ],
          [ 500, 'server_error', '/interface/wireless' ],
          'interfaces: _meta names status, reason, menu');

# --- get_wireless_clients ----------------------------------------------------------
my $reg = $st->{'/interface/wireless/registration-table'};
$o = sc(call('get_wireless_clients', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$reg, 'clients: every registered client');
is_deeply([ map { [ @$_{qw(mac_address interface last_ip signal_strength_dbm
                           tx_ccq uptime)} ] } @{ $o->{clients} } ],
          [ map { [ @$_{qw(mac-address interface last-ip)},
                    $_->{'signal-strength-ch0'} + 0, $_->{'tx-ccq'} + 0,
                    $_->{uptime} ] } @$reg ],
          'clients: MAC, interface, IP, signal (integer dBm), CCQ, uptime');
is($o->{clients}[0]{uptime_seconds}, 5 * 3600 + 49 * 60 + 36,
   'clients: uptime 5h49m36s in seconds');
is_deeply([ map { $_->{code} } @{ $o->{hints} } ], ['capsman_detected'],
          'clients: the CAPsMAN hint as well');
$o = sc(call('get_wireless_clients', { device_id => 'dev-sim-r2', limit => 1 }));
is_deeply([ $o->{returned_count}, $o->{total_count}, $o->{truncated} ? 1 : 0 ],
          [ 1, scalar @$reg, 1 ], 'clients: limit 1 reports truncation');
invalid('get_wireless_clients', { device_id => 'dev-sim-r2', limit => 2001 },
        'limit', 'limit above 2000');

# --- get_capsman_remote_caps ----------------------------------------------------------
my $caps = $st->{'/caps-man/remote-cap'};
$o = sc(call('get_capsman_remote_caps', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$caps, 'remote caps: every CAP');
is_deeply([ @{ $o->{remote_caps}[0] }{qw(identity board state version radios)} ],
          [ @{ $caps->[0] }{qw(identity board state version)},
            $caps->[0]{radios} + 0 ],
          'remote caps: identity, board, state, version, radios');
is(sc(call('get_capsman_remote_caps', { device_id => 'dev-sim-r1' }))
       ->{total_count}, 0, 'remote caps: r1 manages none');
invalid('get_capsman_remote_caps', {}, 'device_id', 'a missing device_id');

# --- get_capsman_registrations -----------------------------------------------------------
my $creg = $st->{'/caps-man/registration-table'};
$o = sc(call('get_capsman_registrations', { device_id => 'dev-sim-r2' }));
is($o->{total_count}, scalar @$creg, 'capsman registrations: every client');
is_deeply([ @{ $o->{registrations}[0] }{qw(mac_address ssid interface
                                            rx_signal uptime_seconds)} ],
          [ @{ $creg->[0] }{qw(mac-address ssid interface)},
            $creg->[0]{'rx-signal'} + 0, 3723 ],
          'capsman registrations: MAC, SSID, interface, signal, uptime');
invalid('get_capsman_registrations', { device_id => 'dev-sim-r2',
        limit => -1 }, 'limit', 'a negative limit');

# --- a device without the wireless package -------------------------------------------------
# A loopback stand-in for a RouterOS without the package: every /rest read
# answers 400 "no such command or directory (wireless)" like RouterOS does.
my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
                                Listen => 8, ReuseAddr => 1)
  or die "listen: $!";
my $port = $srv->sockport;
$fake_pid = fork() // die "fork: $!";
if ($fake_pid == 0) {
    while (my $c = $srv->accept) {
        my $head = '';
        while (defined(my $line = <$c>)) {
            $head .= $line;
            last if $line eq "\r\n";
        }
        my $body = '{"error":400,"message":"Bad Request","detail":'
                   . '"no such command or directory (wireless)"}';
        print $c "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json"
                 . "\r\nContent-Length: " . length($body)
                 . "\r\nConnection: close\r\n\r\n$body";
        close $c;
    }
    POSIX::_exit(0);
}
close $srv;
$fake_dev = "dev-t35-nowl-$$";
{
    local $ENV{T35_PASSWORD} = 'not-a-secret';
    is(system($admin, qw(device add --id), $fake_dev, qw(--name t35-nowl
              --ip 127.0.0.1 --port), $port, qw(--scheme http --environment
              lab --username admin --password-env T35_PASSWORD)), 0,
       'a device without the wireless package is registered');
}
for my $t ([ 'get_wireless_interfaces', 'interfaces' ],
           [ 'get_wireless_clients', 'clients' ],
           [ 'get_capsman_remote_caps', 'remote_caps' ],
           [ 'get_capsman_registrations', 'registrations' ]) {
    my ($tool, $key) = @$t;
    $r = call($tool, { device_id => $fake_dev });
    $o = sc($r);
    ok(!$r->{result}{isError}, "$tool: no wireless package is not an error");
    is_deeply([ $o->{wireless_package}, $o->{$key}, $o->{total_count} ],
              [ JSON::PP::false, [], 0 ],
              "$tool: wireless_package false and an empty list");
    like($r->{result}{content}[0]{text}, qr/wireless package is not installed/,
         "$tool: the text says the package is not installed");
}

done_testing();
