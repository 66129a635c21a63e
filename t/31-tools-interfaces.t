#!/usr/bin/perl
# 31-tools-interfaces.t: list_interfaces, get_interface, get_interface_stats
# over the real path (MCP client → nginx → Redis → agent → simulated
# RouterOS), compared with the simulator's state and its own answers.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use MIME::Base64 qw(encode_base64);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $s = mcp_session();
$s->initialize('2025-11-25');

my @touched;
END { eval { sim_reset($_) } for @touched }

sub call { return $s->call_tool(@_) }
sub T { return $_[0] ? JSON::PP::true : JSON::PP::false }

sub sim_set {
    my ($ip, $menus) = @_;
    push @touched, $ip;
    my $res = HTTP::Tiny->new->post(sim_url($ip, '/__sim/state'),
        { headers => { 'Content-Type' => 'application/json' },
          content => json_encode({ menus => $menus }) });
    die "sim_set $ip: $res->{status}" unless $res->{success};
}

sub sim_clear_requests {
    HTTP::Tiny->new->request('DELETE', sim_url($_[0], '/__sim/requests'));
}

# The simulator's own answer to a RouterOS REST call (Basic auth as admin).
sub ros_post {
    my ($ip, $path, $body) = @_;
    my $auth = encode_base64("admin:$ENV{SIM_PASSWORD}", '');
    my $res = HTTP::Tiny->new->post(sim_url($ip, "/rest$path"),
        { headers => { 'Content-Type' => 'application/json',
                       Authorization => "Basic $auth" },
          content => json_encode($body) });
    die "ros_post $ip $path: $res->{status}" unless $res->{success};
    return json_decode($res->{content});
}

sub invalid_ok {
    my ($name, $args, $field, $what) = @_;
    my $r = call($name, $args);
    is($r->{error}{code}, -32602, "$name: $what is -32602");
    like($r->{error}{message} // '', qr/\Q$field\E/,
         "$name: and the message names $field");
}

# --- list_interfaces ------------------------------------------------------------
my $ifs = sim_state('127.0.0.2')->{menus}{'/interface'};
my $r = call('list_interfaces', { device_id => 'dev-sim-r1' });
my $l = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'list_interfaces: not an error');
is($l->{total_count}, scalar @$ifs, 'counts every interface of sim-r1');
is($l->{truncated}, JSON::PP::false, 'the default limit keeps them all');
is_deeply([ map { [ $_->{id}, $_->{name}, $_->{type}, $_->{mac_address} ] }
            @{ $l->{interfaces} } ],
          [ map { [ $_->{'.id'}, $_->{name}, $_->{type}, $_->{'mac-address'} ] }
            @$ifs ],
          'ids, names, types and MACs in device order');
is_deeply([ map { [ $_->{running}, $_->{disabled}, $_->{rx_bytes},
                    $_->{tx_bytes}, $_->{actual_mtu} ] }
            @{ $l->{interfaces} } ],
          [ map { [ T($_->{running} eq 'true'), T($_->{disabled} eq 'true'),
                    $_->{'rx-byte'} + 0, $_->{'tx-byte'} + 0,
                    $_->{'actual-mtu'} + 0 ] } @$ifs ],
          'running/disabled as booleans, counters and MTU as integers');
my ($e5) = grep { $_->{name} eq 'ether5' } @{ $l->{interfaces} };
is($e5->{disabled}, JSON::PP::true, 'ether5 of sim-r1 is disabled');
my $running = grep { $_->{running} eq 'true' } @$ifs;
like($r->{result}{content}[0]{text},
     qr/^dev-sim-r1: ${\ scalar @$ifs} interfaces, $running running, 1 disabled$/,
     'the text counts interfaces, running and disabled');

$r = call('list_interfaces', { device_id => 'dev-sim-r1', limit => 2 });
$l = $r->{result}{structuredContent};
is($l->{returned_count}, 2, 'limit 2 returns two interfaces');
is($l->{total_count}, scalar @$ifs, 'still counting all of them');
is($l->{truncated}, JSON::PP::true, 'and says the list was truncated');
is_deeply([ map { $_->{name} } @{ $l->{interfaces} } ],
          [ map { $_->{name} } @$ifs[0, 1] ], 'the first two in device order');
like($r->{result}{content}[0]{text}, qr/truncated/, 'the text says so too');

invalid_ok('list_interfaces', { device_id => 'dev-sim-r1', limit => 5000 },
           'limit', 'limit above 1000');
invalid_ok('list_interfaces', { device_id => 'dev-sim-r1', limit => 'ten' },
           'limit', 'a non-integer limit');

# --- get_interface --------------------------------------------------------------
my ($want) = grep { $_->{name} eq 'ether2' } @$ifs;
for my $key ($want->{'.id'}, 'ether2') {
    $r = call('get_interface', { device_id => 'dev-sim-r1',
                                 interface_id => $key });
    my $i = $r->{result}{structuredContent}{interface};
    ok(!$r->{result}{isError}, "get_interface by $key: not an error");
    is($i->{id}, $want->{'.id'}, 'the right .id');
    is($i->{name}, 'ether2', 'the right name');
    is($i->{mac_address}, $want->{'mac-address'}, 'its MAC');
    is($i->{rx_packets}, $want->{'rx-packet'} + 0, 'its rx packet counter');
    is($i->{running}, JSON::PP::true, 'running');
}
like($r->{result}{content}[0]{text},
     qr/^dev-sim-r1: interface ether2 \(\Q$want->{'.id'}\E, ether\) is running$/,
     'the text states name, id, type and state');
$r = call('get_interface', { device_id => 'dev-sim-r1',
                             interface_id => '*FFF0' });
is($r->{result}{isError}, JSON::PP::true, 'an unknown interface is isError');
is($r->{result}{_meta}{failure_reason}, 'not_found', 'reason not_found');
invalid_ok('get_interface', { device_id => 'dev-sim-r1',
                              interface_id => 'ether 1' },
           'interface_id', 'an interface_id with a space');
invalid_ok('get_interface', { device_id => 'dev-sim-r1' },
           'interface_id', 'a missing interface_id');

# --- get_interface_stats ------------------------------------------------------------
sim_clear_requests('127.0.0.2');
$r = call('get_interface_stats', { device_id => 'dev-sim-r1',
                                   interface_names => ['ether1', 'ether5'] });
my $st = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'get_interface_stats: not an error');
is_deeply([ map { $_->{name} } @{ $st->{stats} } ], ['ether1', 'ether5'],
          'one sample per named interface, in the order asked');
my @posts = grep { $_->{path} eq '/rest/interface/monitor-traffic' }
            @{ sim_requests('127.0.0.2') };
is_deeply([ map { [ $_->{method}, $_->{body} ] } @posts ],
          [ [ 'POST', { interface => 'ether1', once => '' } ],
            [ 'POST', { interface => 'ether5', once => '' } ] ],
          'each is a POST monitor-traffic {interface, once}');
my $ros = ros_post('127.0.0.2', '/interface/monitor-traffic',
                   { interface => 'ether1', once => '' })->[0];
my ($e1) = @{ $st->{stats} };
is_deeply([ @$e1{qw(rx_bits_per_second tx_bits_per_second
                    rx_packets_per_second tx_packets_per_second)} ],
          [ map { $ros->{$_} + 0 } qw(rx-bits-per-second tx-bits-per-second
                                      rx-packets-per-second
                                      tx-packets-per-second) ],
          'ether1 rates equal what the device reports, as integers');
cmp_ok($e1->{rx_bits_per_second}, '>', 0, 'and ether1 carries traffic');
is($st->{stats}[1]{rx_bits_per_second}, 0, 'disabled ether5 carries none');
is($st->{failed_count}, 0, 'nothing failed');

$r = call('get_interface_stats', { device_id => 'dev-sim-r1' });
$st = $r->{result}{structuredContent};
is_deeply([ map { $_->{name} } @{ $st->{stats} } ],
          [ map { $_->{name} } @$ifs ],
          'without names every interface is sampled');
is($st->{total_count}, scalar @$ifs, 'total_count is the interface count');
is($st->{truncated}, JSON::PP::false, 'not truncated');

$r = call('get_interface_stats', { device_id => 'dev-sim-r1',
                                   interface_names => ['ether1', 'nosuch'] });
$st = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'one unknown name among known ones: not isError');
is($st->{failed_count}, 1, 'one failed');
like($st->{stats}[1]{error}, qr/input does not match any value of interface/,
     'the unknown one carries the RouterOS error');
is($st->{stats}[1]{failure_reason}, 'client_error', 'as a client_error');
$r = call('get_interface_stats', { device_id => 'dev-sim-r1',
                                   interface_names => ['nosuch'] });
is($r->{result}{isError}, JSON::PP::true, 'nothing sampled at all is isError');

# Bounded: a device with 70 interfaces gets 64 samples, reported truncated.
my $base = sim_state('127.0.0.4')->{menus}{'/interface'}[0];
sim_set('127.0.0.4', { '/interface' => [
    map { +{ %$base, '.id' => sprintf('*%X', $_ + 1), name => "vlan$_",
             'default-name' => "vlan$_", type => 'vlan' } } 1 .. 70 ] });
$r = call('get_interface_stats', { device_id => 'dev-sim-r3' });
$st = $r->{result}{structuredContent};
is($st->{total_count}, 70, '70 interfaces on the device');
is($st->{returned_count}, 64, 'at most 64 sampled');
is(scalar @{ $st->{stats} }, 64, 'and listed');
is($st->{truncated}, JSON::PP::true, 'reported truncated');
sim_reset('127.0.0.4');

invalid_ok('get_interface_stats', { device_id => 'dev-sim-r1',
                                    interface_names => [] },
           'interface_names', 'an empty interface_names');
invalid_ok('get_interface_stats', { device_id => 'dev-sim-r1',
                                    interface_names => ['a,b'] },
           'interface_names', 'a name with a comma');

# Device down: isError with the transport failure, for list and stats.
push @touched, '127.0.0.3';
sim_fault('127.0.0.3', { mode => 'down' });
$r = call('get_interface_stats', { device_id => 'dev-sim-r2',
                                   interface_names => ['ether1'] });
is($r->{result}{isError}, JSON::PP::true, 'stats of a down device: isError');
is($r->{result}{_meta}{failure_reason}, 'network_error',
   'failure_reason network_error');
like($r->{result}{content}[0]{text}, qr/ether1 on dev-sim-r2/,
     'the text names interface and device');
$r = call('list_interfaces', { device_id => 'dev-sim-r2' });
is($r->{result}{isError}, JSON::PP::true, 'list of a down device: isError');
sim_fault('127.0.0.3', { mode => 'ok' });
$r = call('list_interfaces', { device_id => 'dev-sim-r2' });
ok(!$r->{result}{isError}, 'and answers again once it is back');

done_testing();
