#!/usr/bin/perl
# 06-sim-ssh.t: the simulated SSH console (t/sim/sshd + routeros_cli.py) on
# private ports with OpenSSH, then the agent's libssh2 client against it.
use strict;
use warnings;
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use File::Path qw(make_path remove_tree);
use Cwd qw(abs_path);
use File::Basename qw(dirname);

plan skip_all => 'needs root (private sshd switches users)' if $> != 0;
my $root = abs_path(dirname(__FILE__) . "/..");
my $var = "$root/var/06-sim-ssh";
my ($sim_port, $ssh_port) = (29181, 29122);
remove_tree($var);
make_path($var);

my $sim_pid = fork() // die "fork: $!";
if (!$sim_pid) {
    open STDOUT, '>', "$var/sim.log";
    open STDERR, '>&', \*STDOUT;
    exec 'python3', "$root/t/sim/routeros_sim.py", '--port', $sim_port,
        '--device', 'sim-r1=127.0.0.2', '--device', 'sim-r2=127.0.0.3',
        '--device', 'sim-r3=127.0.0.4', '--device', 'sim-v6=127.0.0.5',
        '--v6', 'sim-v6';
    exit 127;
}
my $http = HTTP::Tiny->new(timeout => 5);
my $state;
for (1 .. 50) {
    my $r = $http->get("http://127.0.0.5:$sim_port/__sim/state");
    if ($r->{success}) { $state = decode_json($r->{content}); last }
    select undef, undef, undef, 0.1;
}
END {
    system("$root/t/sim/sshd/stop.sh", $var) if $var;
    if ($sim_pid) { kill 'TERM', $sim_pid; waitpid $sim_pid, 0 }
}
ok($state, 'REST simulator up with sim-v6 on 127.0.0.5') or BAIL_OUT('no sim');
is(system("$root/t/sim/sshd/start.sh", $var, $ssh_port, $sim_port), 0,
   'private sshd started');

my $key = "$var/sshd/client_ed25519";
sub ssh {
    my ($ip, $cmd) = @_;
    open my $fh, '-|', 'ssh', '-i', $key, '-o', 'BatchMode=yes',
        '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
        '-o', 'LogLevel=ERROR', '-p', $ssh_port, "rosadmin\@$ip", $cmd
        or die "ssh: $!";
    local $/;
    my $out = <$fh> // '';
    close $fh;
    return $out;
}

# REST is closed on the v6 device, the control API answers.
my $rest = $http->get("http://127.0.0.5:$sim_port/rest/system/resource");
is($rest->{status}, 599, 'v6 device: REST connection closed without reply');
my $res = $state->{menus}{'/system/resource'};
like($res->{version}, qr/^6\.49\.\d+ /, "sim-v6 runs $res->{version}");

my $out = ssh('127.0.0.5', '/system resource print');
like($out, qr/^\s+version: \Q$res->{version}\E$/m, 'resource print: version');
like($out, qr/^\s+total-memory: 256\.0MiB$/m, 'resource print: units (MiB)');
like($out, qr/^\s+cpu-load: \d+%$/m, 'resource print: cpu-load in %');
is(ssh('127.0.0.2', '/system/identity/print'), "  name: sim-r1\n",
   'v7 slash path on 127.0.0.2 is sim-r1');
is(ssh('127.0.0.3', '/system identity print'), "  name: sim-r2\n",
   'device chosen by the address connected to');

$out = ssh('127.0.0.5', '/interface print detail without-paging');
like($out, qr/^Flags: D - dynamic, X - disabled, R - running, S - slave/m,
     'v6 detail legend');
my @names = map { $_->{name} } @{ $state->{menus}{'/interface'} };
is(scalar(() = $out =~ /^\s*\d+ /mg), scalar(@names), 'one item per interface');
like($out, qr/name="$names[0]"/, "first is $names[0]");

$out = ssh('127.0.0.2', '/ip address print terse');
for my $a (@{ sim_state('127.0.0.2')->{menus}{'/ip/address'} }) {
    like($out, qr/ address=\Q$a->{address}\E /, "terse row for $a->{address}");
}
$out = ssh('127.0.0.2', '/ip route print as-value');
is(scalar(() = $out =~ /\.id=/g),
   scalar(@{ sim_state('127.0.0.2')->{menus}{'/ip/route'} }),
   'as-value: one .id per route');

like(ssh('127.0.0.5', '/system ntp client print'),
     qr/^\s+primary-ntp: 162\.159\.200\.123$/m, 'v6 NTP fields');
like(ssh('127.0.0.5', '/log print'), qr/^[a-z]{3}\/\d\d\/\d{4} [\d:]{8} system,info router rebooted$/m,
     'v6 log dates');

$out = ssh('127.0.0.5', '/export');
like($out, qr/^# \S+ \S+ by RouterOS 6\.49\.\d+$/m, 'export header');
like($out, qr/^\/system identity\nset name=sim-v6$/m, 'export identity');
like($out, qr/name=sim-community/, 'v6 export shows secrets');
unlike(ssh('127.0.0.5', '/export hide-sensitive'), qr/sim-community/,
       'hide-sensitive hides them');
like(ssh('127.0.0.2', '/export terse'),
     qr/^\/ip address add address=192\.168\.88\.1\/24 interface=bridge1 /m,
     'terse export: full path on every line');

$out = ssh('127.0.0.5', '/tool ping address=10.12.0.1 count=3');
is(scalar(() = $out =~ /^\s+\d+ 10\.12\.0\.1 /mg), 3, 'ping: 3 packet lines');
like($out, qr/sent=3 received=3 packet-loss=0% min-rtt=\S+ avg-rtt=\S+ max-rtt=\S+/,
     'ping summary');
like(ssh('127.0.0.5', '/tool ping address=192.0.2.1 count=2'),
     qr/sent=2 received=0 packet-loss=100%/, 'TEST-NET times out');
like(ssh('127.0.0.5', '/tool traceroute address=8.8.8.8 count=1'),
     qr/^\s*4 8\.8\.8\.8 /m, 'traceroute reaches 8.8.8.8 in 4 hops');
is(ssh('127.0.0.5', '/x print'), "bad command name x (line 1 column 2)\n",
   'unknown command: RouterOS error line');

# Injection: quoted, the payload is one value; unquoted, it would run.
my $log = "$var/sshd/commands.log";
ssh('127.0.0.5', '/tool ping address="foo\"] ; /system reboot;" count=1');
my @runs = map { decode_json($_) } do { open my $f, '<', $log; <$f> };
is_deeply($runs[-1]{executed}, [], 'quoted payload: nothing executed, no reboot');
ssh('127.0.0.5', '/system identity print; /system reboot');
@runs = map { decode_json($_) } do { open my $f, '<', $log; <$f> };
is_deeply($runs[-1]{executed}, ['/system identity print', '/system reboot'],
          'control: an unquoted ; does run a second command');

my $bin = ($ENV{BUILD} // 'build') . '/unit/agent_ssh_live';
$bin = "$root/$bin" unless $bin =~ m{^/};
SKIP: {
    skip "$bin not built", 2 unless -x $bin;
    my ($fp) = `ssh-keygen -lf $var/sshd/host_ed25519.pub` =~ /(SHA256:\S+)/;
    local $ENV{SSH_LIVE_PORT} = $ssh_port;
    local $ENV{SSH_LIVE_KEY} = $key;
    local $ENV{SSH_LIVE_PASSWORD} = 'rosadmin-sim';
    local $ENV{SSH_LIVE_FINGERPRINT} = $fp;
    my $tap = `$bin`;
    my @bad = $tap =~ /^(not ok .*)$/mg;
    ok($? == 0 && $tap =~ /^1\.\.(\d+)$/m && $1 > 20 && !@bad,
       'agent SSH client: TOFU, pin enforced, key/password auth, parsing')
        or diag($tap);
    @runs = map { decode_json($_) } do { open my $f, '<', $log; <$f> };
    @runs = map { decode_json($_) } do { open my $f, '<', $log; <$f> };
    is(scalar(grep { $_ eq '/system reboot' } map { @{ $_->{executed} } } @runs),
       1, 'after the agent client ran: still only the control reboot');
}

sub sim_state {
    my ($ip) = @_;
    return decode_json($http->get("http://$ip:$sim_port/__sim/state")->{content});
}

done_testing();
