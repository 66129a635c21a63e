#!/usr/bin/perl
# 32-tools-ip-dns-routing.t: the IP, DNS/NTP and routing read tools over the
# real path (MCP client → nginx → Redis → agent → simulated RouterOS), each
# answer compared with what the simulator holds.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $s = mcp_session();
$s->initialize('2025-11-25');

my @touched;
END { eval { sim_reset($_) } for @touched }

sub call { return $s->call_tool(@_) }
sub T { return $_[0] ? JSON::PP::true : JSON::PP::false }
sub flag { return T(($_[0] // 'false') eq 'true') }

sub sim_set {
    my ($ip, $menus) = @_;
    push @touched, $ip;
    my $res = HTTP::Tiny->new->post(sim_url($ip, '/__sim/state'),
        { headers => { 'Content-Type' => 'application/json' },
          content => json_encode({ menus => $menus }) });
    die "sim_set $ip: $res->{status}" unless $res->{success};
}

sub invalid_ok {
    my ($name, $args, $field, $what) = @_;
    my $r = call($name, $args);
    is($r->{error}{code}, -32602, "$name: $what is -32602");
    like($r->{error}{message} // '', qr/\Q$field\E/,
         "$name: and the message names $field");
}

my %menus = map { $_ => sim_state('127.0.0.' . ($_ + 1))->{menus} } 1 .. 3;

# --- list_ip_addresses / get_ip_address --------------------------------------------
for my $n (1, 2) {
    my $want = $menus{$n}{'/ip/address'};
    my $r = call('list_ip_addresses', { device_id => "dev-sim-r$n" });
    my $l = $r->{result}{structuredContent};
    ok(!$r->{result}{isError}, "addresses of sim-r$n: not an error");
    is($l->{total_count}, scalar @$want, 'every address counted');
    is_deeply([ map { [ @$_{qw(id address network interface)},
                        $_->{disabled}, $_->{dynamic} ] } @{ $l->{addresses} } ],
              [ map { [ @$_{'.id', qw(address network interface)},
                        flag($_->{disabled}), flag($_->{dynamic}) ] } @$want ],
              'id, address, network, interface and flags as the device has them');
    like($r->{result}{content}[0]{text},
         qr/^dev-sim-r$n: ${\ scalar @$want} IP addresses: \Q$want->[0]{address} on $want->[0]{interface}\E/,
         'the text lists address on interface');
}
my $r = call('list_ip_addresses', { device_id => 'dev-sim-r2', limit => 2 });
is($r->{result}{structuredContent}{returned_count}, 2, 'limit 2 returns two');
is($r->{result}{structuredContent}{truncated}, JSON::PP::true, 'truncated');
invalid_ok('list_ip_addresses', { device_id => 'dev-sim-r1', limit => 0 },
           'limit', 'limit 0');

my ($a2) = grep { $_->{interface} eq 'bridge1' } @{ $menus{1}{'/ip/address'} };
$r = call('get_ip_address', { device_id => 'dev-sim-r1',
                              address_id => $a2->{'.id'} });
my $a = $r->{result}{structuredContent}{address};
is($a->{id}, $a2->{'.id'}, 'get_ip_address: the asked .id');
is($a->{address}, '192.168.88.1/24', 'bridge1 of sim-r1 holds 192.168.88.1/24');
is($a->{address}, $a2->{address}, 'as the simulator says');
is($a->{network}, $a2->{network}, 'with its network');
$r = call('get_ip_address', { device_id => 'dev-sim-r1',
                              address_id => '*FFF0' });
is($r->{result}{isError}, JSON::PP::true, 'an unknown address .id is isError');
is($r->{result}{_meta}{failure_reason}, 'not_found', 'reason not_found');
invalid_ok('get_ip_address', { device_id => 'dev-sim-r1',
                               address_id => 'bridge1' },
           'address_id', 'a name where an .id is needed');

# --- get_arp_table -----------------------------------------------------------------
my $arp = $menus{1}{'/ip/arp'};
$r = call('get_arp_table', { device_id => 'dev-sim-r1' });
my $t = $r->{result}{structuredContent};
is($t->{total_count}, scalar @$arp, 'get_arp_table counts every entry');
is_deeply([ map { [ @$_{qw(id address mac_address interface status)},
                    $_->{dhcp}, $_->{dynamic} ] } @{ $t->{entries} } ],
          [ map { [ @$_{'.id', qw(address mac-address interface status)},
                    flag($_->{DHCP}), flag($_->{dynamic}) ] } @$arp ],
          'address, MAC, interface, status and flags per entry');
my $reach = grep { $_->{status} eq 'reachable' } @$arp;
like($r->{result}{content}[0]{text},
     qr/^dev-sim-r1: ${\ scalar @$arp} ARP entries, $reach reachable$/,
     'the text counts entries and reachable ones');
$r = call('get_arp_table', { device_id => 'dev-sim-r1', limit => 1 });
is(scalar @{ $r->{result}{structuredContent}{entries} }, 1, 'limit 1: one entry');
is($r->{result}{structuredContent}{truncated}, JSON::PP::true, 'truncated');
invalid_ok('get_arp_table', { device_id => 'dev-sim-r1', limit => 2001 },
           'limit', 'limit above 2000');

# --- get_dns_status ------------------------------------------------------------------
for my $n (1 .. 3) {
    my $d = $menus{$n}{'/ip/dns'};
    $r = call('get_dns_status', { device_id => "dev-sim-r$n" });
    my $x = $r->{result}{structuredContent};
    ok(!$r->{result}{isError}, "DNS of sim-r$n: not an error");
    is_deeply($x->{dns_servers}, [ grep { length } split /,/, $d->{servers} ],
              'static servers as a list');
    is_deeply($x->{dynamic_servers},
              [ grep { length } split /,/, $d->{'dynamic-servers'} ],
              'dynamic servers as a list');
    is($x->{allow_remote_requests}, flag($d->{'allow-remote-requests'}),
       'remote requests as a boolean');
    is($x->{cache_size_kb}, $d->{'cache-size'} + 0, 'cache size in KiB');
    is($x->{cache_used_kb}, $d->{'cache-used'} + 0, 'cache use in KiB');
}
is_deeply(call('get_dns_status', { device_id => 'dev-sim-r1' })
            ->{result}{structuredContent}{dns_servers}, ['1.1.1.1', '9.9.9.9'],
          'sim-r1 resolves through 1.1.1.1 and 9.9.9.9');
invalid_ok('get_dns_status', { device_id => 'dev-sim-r1', servers => [] },
           'servers', 'an unknown argument');

# --- get_dns_cache ------------------------------------------------------------------
my $cache = $menus{1}{'/ip/dns/cache'};
$r = call('get_dns_cache', { device_id => 'dev-sim-r1', limit => 3 });
my $c = $r->{result}{structuredContent};
is($c->{total_count}, scalar @$cache, 'get_dns_cache counts the whole cache');
is($c->{returned_count}, 3, 'returns limit entries');
is($c->{truncated}, JSON::PP::true, 'and says it truncated');
is_deeply([ map { [ @$_{qw(id name type data)} ] } @{ $c->{cache_entries} } ],
          [ map { [ @$_{'.id', qw(name type data)} ] } @$cache[0 .. 2] ],
          'the first entries in device order');
my ($www) = grep { $_->{name} eq 'www.example.com' }
            @{ call('get_dns_cache', { device_id => 'dev-sim-r1' })
                 ->{result}{structuredContent}{cache_entries} };
is($www->{type}, 'CNAME', 'www.example.com is a CNAME');
ok($www->{ttl_seconds} =~ /^\d+$/ && $www->{ttl_seconds} <= 5460,
   'its TTL (1h31m at most) in whole seconds');
invalid_ok('get_dns_cache', { device_id => 'dev-sim-r1', limit => 1001 },
           'limit', 'limit above 1000');

# --- get_ntp_status -------------------------------------------------------------------
my $ntp = $menus{1}{'/system/ntp/client'};
my $mon = $menus{1}{'/system/ntp/client/monitor'};
$r = call('get_ntp_status', { device_id => 'dev-sim-r1' });
my $n = $r->{result}{structuredContent};
is($n->{enabled}, JSON::PP::true, 'sim-r1 NTP client enabled');
is_deeply($n->{ntp_servers}, [ split /,/, $ntp->{servers} ],
          'servers as a list');
is($n->{status}, $mon->{status}, 'status from the monitor');
is($n->{stratum}, $mon->{'synced-stratum'} + 0, 'stratum as an integer');
is($n->{offset_ms}, $mon->{'system-offset'} + 0, 'offset in ms as a number');
is($n->{synced_server}, $mon->{'synced-server'}, 'the synced server');
my ($monreq) = grep { $_->{path} eq '/rest/system/ntp/client/monitor' }
               @{ sim_requests('127.0.0.2') };
is_deeply([ $monreq->{method}, $monreq->{body} ], [ 'POST', { once => '' } ],
          'the monitor is asked with POST {once}');
like($r->{result}{content}[0]{text},
     qr/^dev-sim-r1: NTP client enabled, synchronized to \Q$mon->{'synced-server'}\E$/,
     'the text states state and server');

$r = call('get_ntp_status', { device_id => 'dev-sim-r3' });
$n = $r->{result}{structuredContent};
is($n->{enabled}, JSON::PP::false, 'sim-r3 NTP client disabled');
is_deeply($n->{ntp_servers}, [], 'with no servers');
is($n->{status}, 'stopped', 'status stopped');
is($n->{stratum}, undef, 'no stratum');
invalid_ok('get_ntp_status', { device_id => '' }, 'device_id',
           'an empty device_id');

# --- get_routing_summary ------------------------------------------------------------------
my $routes = $menus{1}{'/ip/route'};
my $conn = grep { ($_->{connect} // '') eq 'true' } @$routes;
my $stat = grep { ($_->{static} // '') eq 'true' } @$routes;
$r = call('get_routing_summary', { device_id => 'dev-sim-r1' });
my $rs = $r->{result}{structuredContent};
is($rs->{total_routes}, scalar @$routes, 'total_routes counts every route');
is($rs->{connected_routes}, $conn, 'connected routes');
is($rs->{static_routes}, $stat, 'static routes');
is($rs->{dynamic_routes}, @$routes - $conn - $stat, 'dynamic (learned) routes');
is($stat, 2, 'sim-r1 has its two static routes');
is_deeply([ map { [ @$_{qw(id dst_address gateway distance)} ] }
            @{ $rs->{routes} } ],
          [ map { [ @$_{'.id', qw(dst-address gateway)}, $_->{distance} + 0 ] }
            @$routes ],
          'every route with destination, gateway and integer distance');
my ($def) = grep { $_->{dst_address} eq '0.0.0.0/0' } @{ $rs->{routes} };
is($def->{comment}, 'uplink', 'the default route carries its comment');
is($def->{static}, JSON::PP::true, 'and is static');
$r = call('get_routing_summary', { device_id => 'dev-sim-r1', limit => 2 });
is(scalar @{ $r->{result}{structuredContent}{routes} }, 2, 'limit 2: two routes');
is($r->{result}{structuredContent}{total_routes}, scalar @$routes,
   'counts still over the whole table');
is($r->{result}{structuredContent}{truncated}, JSON::PP::true, 'truncated');
invalid_ok('get_routing_summary', { device_id => 'dev-sim-r1', limit => -1 },
           'limit', 'a negative limit');

# A learned (dynamic, not connected) route is counted as dynamic.
sim_set('127.0.0.3', { '/ip/route' => [
    @{ $menus{2}{'/ip/route'} },
    { 'dst-address' => '10.200.0.0/16', gateway => '10.12.0.1',
      distance => '110', dynamic => 'true', active => 'true', ospf => 'true',
      'routing-table' => 'main' } ] });
$r = call('get_routing_summary', { device_id => 'dev-sim-r2' });
is($r->{result}{structuredContent}{dynamic_routes}, 1,
   'an OSPF route counts as dynamic');
sim_reset('127.0.0.3');

# --- get_route ------------------------------------------------------------------------
my ($lab) = grep { ($_->{comment} // '') eq 'lab network' } @$routes;
$r = call('get_route', { device_id => 'dev-sim-r1', route_id => $lab->{'.id'} });
my $g = $r->{result}{structuredContent};
is($g->{found}, JSON::PP::true, 'get_route finds the lab route');
is($g->{route}{dst_address}, '10.99.0.0/24', 'its destination');
is($g->{route}{gateway}, $lab->{gateway}, 'its gateway');
is($g->{route}{distance}, 1, 'its distance');

$r = call('get_route', { device_id => 'dev-sim-r1', route_id => '*DEAD' });
$g = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'an unknown route is not an error');
is($g->{found}, JSON::PP::false, 'found is false');
is($g->{route}, undef, 'route is null');
is_deeply([ map { $_->{id} } @{ $g->{available_routes} } ],
          [ map { $_->{'.id'} } @$routes ], 'the available route ids are listed');
like($r->{result}{content}[0]{text}, qr/no route \*DEAD/, 'the text says so');
invalid_ok('get_route', { device_id => 'dev-sim-r1', route_id => 'default' },
           'route_id', 'a route_id that is not an .id');

# Device-side failure of a routing read.
push @touched, '127.0.0.2';
sim_fault('127.0.0.2', { mode => 'error500', paths => ['/ip/route'] });
$r = call('get_route', { device_id => 'dev-sim-r1', route_id => $lab->{'.id'} });
is($r->{result}{isError}, JSON::PP::true, 'get_route on a failing menu: isError');
is($r->{result}{_meta}{failure_reason}, 'server_error', 'reason server_error');
$r = call('get_routing_summary', { device_id => 'dev-sim-r1' });
is($r->{result}{isError}, JSON::PP::true, 'get_routing_summary too');
like($r->{result}{content}[0]{text}, qr{/ip/route on dev-sim-r1},
     'naming menu and device');
sim_fault('127.0.0.2', { mode => 'ok' });

done_testing();
