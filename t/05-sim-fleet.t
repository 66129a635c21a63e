#!/usr/bin/perl
# The simulator hosts a 60-device fleet in one process (127.0.0.2..61): every
# device has its own LAN and uplink, the first devices keep their factory plan.
use strict;
use warnings;
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(sleep);
use FindBin;

my $N = 60;
my @ips = map { "127.0.0.$_" } 2 .. $N + 1;

# A port free on the first address (the fleet binds the same port on each).
my $probe = IO::Socket::INET->new(LocalAddr => $ips[0], LocalPort => 0,
    Listen => 1, ReuseAddr => 1) or die "probe socket: $!";
my $PORT = $probe->sockport;
close $probe;

my $pid = fork() // die "fork: $!";
if ($pid == 0) {
    open STDOUT, '>', '/dev/null';
    exec 'python3', "$FindBin::Bin/sim/routeros_sim.py", '--port', $PORT,
        map { ('--device', sprintf('fleet-%02d=%s', $_ + 1, $ips[$_])) }
        0 .. $#ips;
    die "exec: $!";
}
END { if ($pid) { kill 'TERM', $pid; waitpid $pid, 0 } }

my $up = 0;
for (1 .. 200) {
    my $s = IO::Socket::INET->new(PeerAddr => $ips[-1], PeerPort => $PORT);
    if ($s) { $up = 1; close $s; last }
    sleep 0.05;
}
ok $up, "simulator with $N devices listens on $ips[-1]" or BAIL_OUT('no sim');

my $http = HTTP::Tiny->new(keep_alive => 1, timeout => 10);
my $auth = 'Basic ' . encode_base64('admin:', '');
sub rest {
    my ($method, $ip, $path, $body) = @_;
    my %opt = (headers => { Authorization => $auth });
    if ($body) {
        $opt{content} = encode_json($body);
        $opt{headers}{'Content-Type'} = 'application/json';
    }
    my $r = $http->request($method, "http://$ip:$PORT$path", \%opt);
    return ($r->{status}, eval { decode_json($r->{content}) });
}

my (%lan, %uplink, @states);
for my $k (0 .. $#ips) {
    my ($st, $s) = rest('GET', $ips[$k], '/__sim/state');
    push @states, $s;
    my %by = map { $_->{interface} => $_ } @{ $s->{menus}{'/ip/address'} };
    $lan{ $by{bridge1}{network} }++;
    $uplink{ $by{ether2}{network} }++;
}
is scalar(@states), $N, "state of all $N devices";
is scalar(keys %lan), $N, 'every device has its own bridge1 LAN';
is scalar(grep { $_ > 2 } values %uplink), 0,
    'no uplink /30 is shared by more than two devices';
is $states[-1]{name}, sprintf('fleet-%02d', $N), 'last device named in order';

my %addr = map { $_->{interface} => $_->{address} }
    @{ $states[0]{menus}{'/ip/address'} };
is $addr{bridge1}, '192.168.88.1/24', 'first device keeps 192.168.88.1/24';
is $addr{ether2}, '10.12.0.1/30', 'first device keeps its r1-r2 link';
%addr = map { $_->{interface} => $_->{address} }
    @{ $states[1]{menus}{'/ip/address'} };
is $addr{bridge1}, '192.168.20.1/24', 'second device keeps 192.168.20.1/24';
is $addr{vlan10}, '172.16.10.1/24', 'second device keeps vlan10';
%addr = map { $_->{interface} => $_->{address} }
    @{ $states[24]{menus}{'/ip/address'} };
is $addr{bridge1}, '192.168.250.1/24', '25th device: 192.168.250.1/24';
%addr = map { $_->{interface} => $_->{address} }
    @{ $states[25]{menus}{'/ip/address'} };
is $addr{bridge1}, '172.20.0.1/24', '26th device: 172.20.0.1/24';
is $addr{ether2}, '10.55.0.2/30', '26th device: uplink 10.55.0.2/30';

# The last device: its REST view, its default route and DHCP follow its plan.
my ($st, $routes) = rest('GET', $ips[-1], '/rest/ip/route?dst-address=0.0.0.0/0');
is $st, 200, 'REST on the last device';
is $routes->[0]{gateway}, '10.89.0.1', 'default route via its uplink';
(undef, my $pool) = rest('GET', $ips[-1], '/rest/ip/pool');
is $pool->[0]{ranges}, '172.20.34.10-172.20.34.199', 'DHCP pool in its LAN';
my %macs = map { $_->{menus}{'/interface'}[0]{'mac-address'} => 1 } @states;
is scalar(keys %macs), $N, 'ether1 MAC addresses are unique';

# A ping from the last device to another device's LAN address is answered.
($st, my $ping) = rest('POST', $ips[-1], '/rest/tool/ping',
    { address => '172.20.33.1', count => '1' });
is $st, 200, 'ping across the fleet';
is $ping->[-1]{received}, '1', 'the other device answers';

done_testing;
