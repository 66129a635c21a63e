#!/usr/bin/perl
# 30-tools-system.t: get_system_packages and get_system_clock over the real
# path (MCP client → nginx → Redis → agent → simulated RouterOS), each
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

# POST /__sim/state: objects merge into singletons, arrays replace menus.
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

# --- get_system_packages ------------------------------------------------------
for my $n (1, 2) {
    my $ip = '127.0.0.' . ($n + 1);
    my $want = sim_state($ip)->{menus}{'/system/package'};
    my $r = call('get_system_packages', { device_id => "dev-sim-r$n" });
    my $p = $r->{result}{structuredContent};
    ok(!$r->{result}{isError}, "packages of sim-r$n: not an error");
    is($p->{device_id}, "dev-sim-r$n", 'names the device');
    is($p->{total_count}, scalar @$want, 'counts every package the device has');
    is_deeply([ map { [ $_->{id}, $_->{name}, $_->{version},
                        $_->{size_bytes}, $_->{disabled} ? 1 : 0 ] }
                @{ $p->{packages} } ],
              [ map { [ $_->{'.id'}, $_->{name}, $_->{version},
                        $_->{size} + 0, $_->{disabled} eq 'true' ? 1 : 0 ] }
                @$want ],
              'lists id, name, version, size (integer) and disabled state')
      or diag explain $p;
    is($p->{installed_count}, scalar @$want, 'all of them installed');
    is($p->{available_count}, 0, 'none merely available');
    like($r->{result}{content}[0]{text},
         qr/^dev-sim-r$n: \d+ packages? installed \(routeros \Q$want->[0]{version}\E/,
         'the text names the routeros package and its version');
}
is(scalar @{ sim_state('127.0.0.3')->{menus}{'/system/package'} }, 2,
   'sim-r2 (wireless) has two packages, so both paths above were real');

# An available-but-not-installed package is counted apart.
my $pk = sim_state('127.0.0.4')->{menus}{'/system/package'};
sim_set('127.0.0.4', { '/system/package' => [
    @$pk, { name => 'container', version => $pk->[0]{version},
            available => 'true', disabled => 'false', scheduled => '',
            'build-time' => $pk->[0]{'build-time'}, size => '200704' } ] });
my $r = call('get_system_packages', { device_id => 'dev-sim-r3' });
my $p = $r->{result}{structuredContent};
is($p->{total_count}, @$pk + 1, 'sim-r3 now lists one package more');
is($p->{installed_count}, scalar @$pk, 'installed count leaves it out');
is($p->{available_count}, 1, 'available count holds it');
my ($c) = grep { $_->{name} eq 'container' } @{ $p->{packages} };
is($c->{available}, JSON::PP::true, 'flagged available');
is($c->{size_bytes}, 200704, 'with its size');
sim_reset('127.0.0.4');

invalid_ok('get_system_packages', { device_id => 'not a valid id!' },
           'device_id', 'a malformed device_id');
invalid_ok('get_system_packages', {}, 'device_id', 'a missing device_id');
$r = call('get_system_packages', { device_id => 'dev-unknown' });
ok($r->{error} || $r->{result}{isError}, 'an unregistered device is refused');
like($r->{error}{message} // $r->{result}{content}[0]{text},
     qr/dev-unknown/, 'naming the device');

# --- get_system_clock ------------------------------------------------------------
for my $n (1 .. 3) {
    my $ip = '127.0.0.' . ($n + 1);
    my $before = sim_state($ip)->{menus}{'/system/clock'};
    $r = call('get_system_clock', { device_id => "dev-sim-r$n" });
    my $after = sim_state($ip)->{menus}{'/system/clock'};
    my $k = $r->{result}{structuredContent};
    ok(!$r->{result}{isError}, "clock of sim-r$n: not an error");
    is($k->{time_zone_name}, $before->{'time-zone-name'},
       'time zone name as the device has it');
    is($k->{gmt_offset}, $before->{'gmt-offset'}, 'GMT offset likewise');
    is($k->{dst_active}, $before->{'dst-active'} eq 'true'
                         ? JSON::PP::true : JSON::PP::false,
       'dst_active is a boolean of the device value');
    like("$k->{date} $k->{time}", qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
         'date and time in RouterOS 7 form');
    my ($lo, $hi) = map { "$_->{date} $_->{time}" } $before, $after;
    ok($lo le "$k->{date} $k->{time}" && "$k->{date} $k->{time}" le $hi,
       'the device time read lies between two reads of the simulator')
      or diag "$lo / $k->{date} $k->{time} / $hi";
    like($r->{result}{content}[0]{text},
         qr/^dev-sim-r$n: \Q$k->{date} $k->{time} $k->{time_zone_name}\E/,
         'the text states date, time and zone');
}

sim_set('127.0.0.2', { '/system/clock' => { 'dst-active' => 'true' } });
$r = call('get_system_clock', { device_id => 'dev-sim-r1' });
is($r->{result}{structuredContent}{dst_active}, JSON::PP::true,
   'a device in DST reports dst_active true');
like($r->{result}{content}[0]{text}, qr/DST active/, 'and says so');
sim_reset('127.0.0.2');

invalid_ok('get_system_clock', { device_id => 'dev-sim-r1', zone => 'x' },
           'zone', 'an unknown argument');

# Device-side failure: an isError result naming the cause, not a crash.
push @touched, '127.0.0.4';
sim_fault('127.0.0.4', { mode => 'error500', paths => ['/system/clock'] });
$r = call('get_system_clock', { device_id => 'dev-sim-r3' });
is($r->{result}{isError}, JSON::PP::true, 'an HTTP 500 from the device is isError');
is($r->{result}{_meta}{failure_reason}, 'server_error',
   'with failure_reason server_error');
like($r->{result}{content}[0]{text}, qr{/system/clock.*dev-sim-r3},
     'the text names the menu and the device');
$r = call('get_system_packages', { device_id => 'dev-sim-r3' });
ok(!$r->{result}{isError}, 'other menus of that device still answer');
sim_fault('127.0.0.4', { mode => 'ok' });

done_testing();
