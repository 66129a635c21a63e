#!/usr/bin/perl
# The RouterOS simulator reproduces RouterOS 7 REST semantics (auth, typing,
# ids, filters, writes, commands, errors) and its /__sim/ control API.
use strict;
use warnings;
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use IO::Socket::INET;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(sleep);
use FindBin;

my $PORT = 29081;
my ($R1, $R2, $R3) = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
my $PASSWORD = 'sim-test-' . $$;
$ENV{SIM_TEST_PASSWORD} = $PASSWORD;
my $json = JSON::PP->new->canonical;

my $pid = fork() // die "fork: $!";
if ($pid == 0) {
    open STDOUT, '>', '/dev/null';
    exec 'python3', "$FindBin::Bin/sim/routeros_sim.py", '--port', $PORT,
        '--password-env', 'SIM_TEST_PASSWORD', '--session-limit-ms', '200',
        '--device', "sim-r1=$R1", '--device', "sim-r2=$R2",
        '--device', "sim-r3=$R3";
    die "exec: $!";
}
END { if ($pid) { kill 'TERM', $pid; waitpid $pid, 0 } }

my $up = 0;
for (1 .. 100) {
    my $s = IO::Socket::INET->new(PeerAddr => $R3, PeerPort => $PORT);
    if ($s) { $up = 1; close $s; last }
    sleep 0.05;
}
ok $up, 'simulator listens on every device address' or BAIL_OUT('no sim');

my $http = HTTP::Tiny->new(keep_alive => 1, timeout => 10);
my $auth = 'Basic ' . encode_base64("admin:$PASSWORD", '');

sub req {
    my ($method, $ip, $path, $body, %h) = @_;
    my %opt = (headers => { Authorization => $auth, %h });
    delete $opt{headers}{Authorization} if exists $h{Authorization}
        && !defined $h{Authorization};
    if (defined $body) {
        $opt{content} = ref $body ? encode_json($body) : $body;
        $opt{headers}{'Content-Type'} = 'application/json';
    }
    my $r = $http->request($method, "http://$ip:$PORT$path", \%opt);
    my $data = length($r->{content} // '') && $r->{status} != 599
        ? eval { decode_json($r->{content}) } : undef;
    return ($r->{status}, $data, $r);
}
sub GET    { req('GET', @_) }
sub ctl    { my ($m, $ip, $p, $b) = @_; req($m, $ip, "/__sim/$p", $b) }
sub all_strings {
    my $text = $json->encode($_[0]);
    return $text !~ /":\s*(?:-?\d|true|false|null)/;
}

# --- authentication ---------------------------------------------------------
{
    my ($st, $b) = req('GET', $R1, '/rest/system/resource', undef,
                       Authorization => undef);
    is $st, 401, 'missing credentials -> 401';
    is_deeply $b, { error => 401, message => 'Unauthorized' }, '401 JSON body';
    ($st, $b) = req('GET', $R1, '/rest/system/resource', undef,
        Authorization => 'Basic ' . encode_base64('admin:wrong', ''));
    is $st, 401, 'wrong password -> 401';
    ($st, $b) = req('GET', $R1, '/rest/system/resource', undef,
        Authorization => 'Basic ' . encode_base64("root:$PASSWORD", ''));
    is $st, 401, 'wrong user -> 401';
}

# --- singletons and typing ------------------------------------------------
{
    my ($st, $r) = GET($R1, '/rest/system/resource');
    is $st, 200, 'GET system/resource';
    is ref $r, 'HASH', 'singleton is a bare object';
    is $r->{version}, '7.16.2 (stable)', 'r1 version';
    is $r->{'board-name'}, 'RB5009UG+S+', 'r1 board-name';
    is $r->{'architecture-name'}, 'arm64', 'r1 architecture';
    is $r->{'cpu-count'}, '4', 'cpu-count is the string "4"';
    like $r->{uptime}, qr/^1w2d3h\d+m\d+s$/, 'uptime in RouterOS duration form';
    ok all_strings($r), 'every value of system/resource is a JSON string';
    my ($st2, $r2) = GET($R2, '/rest/system/resource');
    is $r2->{version}, '7.15.3 (stable)', 'r2 has its own version';
    is $r2->{'board-name'}, 'hAP ac^2', 'r2 board';
    like $r2->{uptime}, qr/^3d4h(?:\d+m)?(?:\d+s)?$/, 'r2 uptime starts at 3d4h';
    is_deeply [ (GET($R1, '/rest/system/identity'))[1] ], [{ name => 'sim-r1' }],
        'identity = device name (r1)';
    is +(GET($R3, '/rest/system/identity'))[1]{name}, 'sim-r3', 'identity r3';
    my $clock = (GET($R1, '/rest/system/clock'))[1];
    like $clock->{date}, qr/^\d{4}-\d\d-\d\d$/, 'clock date ISO';
    like $clock->{time}, qr/^\d\d:\d\d:\d\d$/, 'clock time';
    is $clock->{'time-zone-name'}, 'Europe/Riga', 'clock zone';
    is $clock->{'gmt-offset'}, '+02:00', 'clock offset';
    is +(GET($R1, '/rest/system/routerboard'))[1]{routerboard}, 'true',
        'r1 is a routerboard';
    is_deeply +(GET($R3, '/rest/system/routerboard'))[1],
        { routerboard => 'false' }, 'r3 (CHR) is not';
    is +(GET($R3, '/rest/system/license'))[1]{level}, 'free', 'CHR license';
    my $ntp = (GET($R1, '/rest/system/ntp/client'))[1];
    is $ntp->{enabled}, 'true', 'ntp enabled on r1';
    is $ntp->{servers}, 'pool.ntp.org,time.cloudflare.com', 'ntp servers';
    is +(GET($R1, '/rest/system/ntp/client/monitor'))[1]{status},
        'synchronized', 'ntp monitor status';
    is +(GET($R3, '/rest/system/ntp/client'))[1]{enabled}, 'false',
        'ntp disabled on r3';
    my $dns = (GET($R1, '/rest/ip/dns'))[1];
    is $dns->{servers}, '1.1.1.1,9.9.9.9', 'dns servers r1';
    is $dns->{'allow-remote-requests'}, 'true', 'dns allow-remote-requests';
}

# --- collections, ids, names, filters ------------------------------------
{
    my ($st, $ifs) = GET($R1, '/rest/interface');
    is ref $ifs, 'ARRAY', 'collection is an array';
    is_deeply [ map { $_->{name} } @$ifs ],
        [qw(ether1 ether2 ether3 ether4 ether5 bridge1)], 'r1 interfaces';
    is $ifs->[0]{'.id'}, '*1', 'first id *1';
    ok all_strings($ifs), 'interface values are strings';
    my $by_name = (GET($R1, '/rest/interface/ether1'))[1];
    my $by_id = (GET($R1, '/rest/interface/*1'))[1];
    is_deeply $by_name, $by_id, 'name and id address the same object';
    is $by_name->{type}, 'ether', 'ether1 type';
    my @r2if = map { $_->{name} } @{ (GET($R2, '/rest/interface'))[1] };
    ok scalar(grep { $_ eq 'wlan1' } @r2if), 'r2 has wlan1';
    ok !grep({ $_ eq 'wlan1' } map { $_->{name} } @$ifs), 'r1 has no wlan1';
    my ($s4, $b4) = GET($R1, '/rest/interface/nope');
    is $s4, 404, 'unknown name -> 404';
    is_deeply $b4, { error => 404, message => 'Not Found' }, '404 body';
    ($s4, $b4) = GET($R1, '/rest/ip/address/*FF');
    is $s4, 404, 'unknown id -> 404';
    ($s4, $b4) = GET($R1, '/rest/ip/address/foo');
    is $s4, 400, 'non-id key in menu without names -> 400';
    is $b4->{detail}, 'no such command prefix', '... no such command prefix';

    my $addrs = (GET($R1, '/rest/ip/address'))[1];
    is_deeply [ map { "$_->{interface} $_->{address}" } @$addrs ],
        ['ether1 127.0.0.2/8', 'bridge1 192.168.88.1/24',
         'ether2 10.12.0.1/30'], 'r1 addresses incl. management 127.0.0.2/8';
    my $f = (GET($R1, '/rest/ip/address?interface=ether2'))[1];
    is_deeply [ map { $_->{address} } @$f ], ['10.12.0.1/30'], '?k=v filter';
    $f = (GET($R1, '/rest/ip/route?dynamic=true&connect=true'))[1];
    is scalar(@$f), 3, 'ANDed filters: 3 connected routes';
    ok !grep({ $_->{'.id'} !~ /^\*2018[0-9A-F]{4}$/ } @$f),
        'connected routes have *2018xxxx ids';
    $f = (GET($R1, '/rest/ip/route?static=true'))[1];
    is_deeply [ map { $_->{'.id'} } @$f ], ['*80000001', '*80000002'],
        'static routes have *8000xxxx ids';
    is $f->[0]{'dst-address'}, '0.0.0.0/0', 'default route';
    is $f->[0]{'immediate-gw'}, '10.12.0.2%ether2', 'default route gw';
    my $p = (GET($R1, '/rest/ip/address?.proplist=address'))[1];
    is_deeply $p->[0], { '.id' => '*1', address => '127.0.0.2/8' },
        '?.proplist keeps .id';
}

# --- every catalogued endpoint answers with realistic data ---------------
{
    my %expect = (
        '/rest/system/package'            => sub { $_[0][0]{name} eq 'routeros' },
        '/rest/system/logging'            => sub { $_[0][0]{topics} eq 'info' },
        '/rest/ip/arp'                    => sub { @{ $_[0] } == 4 },
        '/rest/ip/dns/cache'              => sub { @{ $_[0] } == 6 },
        '/rest/ip/firewall/filter'        => sub { $_[0][0]{chain} eq 'input' && defined $_[0][0]{bytes} },
        '/rest/ip/firewall/nat'           => sub { $_[0][0]{action} eq 'masquerade' },
        '/rest/ip/firewall/address-list'  => sub { $_[0][0]{list} eq 'blocklist' },
        '/rest/log'                       => sub { $_[0][0]{time} =~ /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/ && $_[0][0]{topics} eq 'system,info' },
        '/rest/ip/dhcp-server'            => sub { $_[0][0]{name} eq 'dhcp-lan' },
        '/rest/ip/dhcp-server/lease'      => sub { $_[0][0]{status} eq 'bound' && $_[0][2]{status} eq 'waiting' && !exists $_[0][2]{'host-name'} },
        '/rest/ip/dhcp-server/network'    => sub { $_[0][0]{address} eq '192.168.88.0/24' },
        '/rest/ip/pool'                   => sub { $_[0][0]{ranges} eq '192.168.88.10-192.168.88.199' },
        '/rest/interface/bridge'          => sub { $_[0][0]{priority} eq '0x8000' },
        '/rest/interface/bridge/port'     => sub { $_[0][0]{'.id'} eq '*0' && $_[0][0]{'.nextid'} eq '*1' && $_[0][1]{'.nextid'} eq '*FFFFFFFF' },
        '/rest/interface/bridge/vlan'     => sub { $_[0][0]{'vlan-ids'} eq '1' },
        '/rest/interface/wireless'        => sub { @{ $_[0] } == 0 },
        '/rest/interface/wireless/registration-table' => sub { @{ $_[0] } == 0 },
        '/rest/caps-man/remote-cap'       => sub { @{ $_[0] } == 0 },
        '/rest/caps-man/registration-table' => sub { @{ $_[0] } == 0 },
    );
    for my $path (sort keys %expect) {
        my ($st, $b) = GET($R1, $path);
        is $st, 200, "GET $path -> 200";
        ok $b && $expect{$path}->($b), "GET $path content";
    }
    my $wl = (GET($R2, '/rest/interface/wireless'))[1];
    is $wl->[0]{ssid}, 'sim-lab', 'r2 wlan1 ssid';
    is $wl->[0]{running}, 'true', 'r2 wlan1 running';
    my $reg = (GET($R2, '/rest/interface/wireless/registration-table'))[1];
    is_deeply [ map { $_->{'mac-address'} } @$reg ],
        ['A4:83:E7:1C:22:01', '3C:22:FB:9A:10:77'], 'r2 registration table';
    is +(GET($R2, '/rest/caps-man/remote-cap'))[1][0]{identity}, 'cap-hall',
        'r2 CAPsMAN remote cap';
    is +(GET($R2, '/rest/caps-man/registration-table'))[1][0]{ssid}, 'sim-lab',
        'r2 CAPsMAN registration';
}

# --- writes ----------------------------------------------------------------
{
    my ($st, $o) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.5.1/24', interface => 'ether5', comment => 'mcp' });
    is $st, 200, 'PUT ip/address';
    is_deeply $o, { '.id' => '*4', 'actual-interface' => 'ether5',
        address => '10.5.5.1/24', comment => 'mcp', disabled => 'false',
        dynamic => 'false', interface => 'ether5', invalid => 'false',
        network => '10.5.5.0' }, 'PUT returns the created object';
    my $conn = (GET($R1, '/rest/ip/route?dst-address=10.5.5.0/24'))[1];
    like $conn->[0]{'.id'}, qr/^\*2018/, 'new address adds a connected route';
    ($st, $o) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.5.1/24', interface => 'ether5' });
    is $st, 400, 'duplicate address -> 400';
    is_deeply $o, { detail => 'failure: already have such address',
        error => 400, message => 'Bad Request' }, 'duplicate body';
    ($st, $o) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.6.1/24', interface => 'ether5', bogus => 'x' });
    is $o->{detail}, 'unknown parameter bogus', 'unknown field -> 400 detail';
    ($st, $o) = req('PUT', $R1, '/rest/ip/address', { address => '10.5.6.1/24' });
    is $st, 400, 'missing required field -> 400';
    is $o->{detail}, 'missing =interface=', '... names the field';
    ($st, $o) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.6.1', interface => 'ether9' });
    is $o->{detail}, 'input does not match any value of interface',
        'unknown interface rejected';
    ($st, $o) = req('PATCH', $R1, '/rest/ip/address/*4',
        { disabled => 'yes', comment => 'changed' });
    is $st, 200, 'PATCH';
    is $o->{disabled}, 'true', 'yes reads back as true';
    is $o->{comment}, 'changed', 'PATCH returns the full object';
    is $o->{network}, '10.5.5.0', '... with unchanged fields';
    ($st, $o) = req('PATCH', $R1, '/rest/ip/address/*4', { disabled => 'no' });
    is $o->{disabled}, 'false', 'no reads back as false';
    ($st, $o) = req('PATCH', $R1, '/rest/ip/address/*77', { comment => 'x' });
    is $st, 404, 'PATCH unknown id -> 404';
    my ($dst, $dbody, $raw) = req('DELETE', $R1, '/rest/ip/address/*4');
    is $dst, 200, 'DELETE';
    is $raw->{content}, '', 'DELETE has an empty body';
    is $raw->{headers}{'content-length'}, '0', '... with Content-Length: 0';
    ($dst) = req('DELETE', $R1, '/rest/ip/address/*4');
    is $dst, 404, 'second DELETE -> 404';
    ($st, $o) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.5.1/24', interface => 'ether5' });
    is $o->{'.id'}, '*5', 'recreate gets a new id';
    ($st, $o) = req('DELETE', $R1, '/rest/interface/ether1');
    is $st, 406, 'interfaces cannot be removed';
    is $o->{detail}, 'no such command or directory (remove)', '406 detail';
    ($st) = req('DELETE', $R2, '/rest/interface/wireless/wlan1');
    is $st, 406, 'physical wireless interfaces cannot be removed';
    ($st, $o) = req('PUT', $R2, '/rest/interface/wireless',
        { name => 'wlan-guest', ssid => 'guest', 'master-interface' => 'wlan1',
          'security-profile' => 'default' });
    is_deeply [ @$o{qw(name ssid interface-type running)} ],
        [qw(wlan-guest guest virtual true)], 'virtual AP created';
    ok scalar(grep { $_->{name} eq 'wlan-guest' }
        @{ (GET($R2, '/rest/interface'))[1] }), '... and listed in /interface';
    ($st, $o) = req('PATCH', $R2, "/rest/interface/wireless/wlan-guest",
        { disabled => 'yes' });
    is $o->{disabled}, 'true', 'virtual AP disabled by name';
    ($st) = req('DELETE', $R2, "/rest/interface/wireless/$o->{'.id'}");
    is $st, 200, 'virtual AP removed';
    ok !grep({ $_->{name} eq 'wlan-guest' }
        @{ (GET($R2, '/rest/interface'))[1] }), '... and gone from /interface';

    ($st, $o) = req('PATCH', $R1, '/rest/system/identity', { name => 'r1-x' });
    is_deeply $o, { name => 'r1-x' }, 'PATCH singleton returns object';
    is +(GET($R2, '/rest/system/identity'))[1]{name}, 'sim-r2',
        'devices have separate state';
    ($st, $o) = req('PATCH', $R1, '/rest/ip/dns',
        { servers => '9.9.9.9,1.0.0.1', 'allow-remote-requests' => 'no' });
    is $o->{servers}, '9.9.9.9,1.0.0.1', 'dns servers updated';
    is $o->{'allow-remote-requests'}, 'false', 'dns flag no -> false';
    ($st, $o) = req('PATCH', $R1, '/rest/system/ntp/client',
        { servers => 'ntp.example.org', enabled => JSON::PP::false });
    is $o->{enabled}, 'false', 'JSON false reads back "false"';

    my $before = @{ (GET($R1, '/rest/ip/firewall/address-list'))[1] };
    ($st, $o) = req('POST', $R1, '/rest/ip/firewall/address-list',
        { list => 'mcp-x', address => '192.0.2.1' });
    is_deeply [$st, $o], [200, []], 'POST to a plain menu path -> []';
    is scalar @{ (GET($R1, '/rest/ip/firewall/address-list'))[1] }, $before,
        '... and creates nothing';
    ($st, $o) = req('PUT', $R1, '/rest/ip/firewall/address-list',
        { list => 'mcp-x', address => '192.0.2.1', timeout => '1d' });
    is $o->{dynamic}, 'true', 'address-list entry with timeout is dynamic';
    like $o->{'creation-time'}, qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
        'creation-time ISO';
    ($st, $o) = req('PUT', $R1, '/rest/ip/firewall/address-list',
        { list => 'mcp-x', address => '192.0.2.1' });
    is $o->{detail}, 'failure: already have such entry', 'duplicate entry';

    ($st, $o) = req('POST', $R1, '/rest/ip/route/add',
        { 'dst-address' => '10.77.0.0/16', gateway => '10.12.0.2',
          comment => 'mcp' });
    is_deeply $o, { ret => '*80000003' }, 'POST route/add -> {"ret":id}';
    my $rt = (GET($R1, '/rest/ip/route/*80000003'))[1];
    is $rt->{'immediate-gw'}, '10.12.0.2%ether2', 'new route resolved gw';
    is $rt->{active}, 'true', 'new route active';
    is $rt->{static}, 'true', 'new route static';
    is $rt->{distance}, '1', 'default distance';
    ($st, $o) = req('PATCH', $R1, '/rest/ip/route/*80000003',
        { gateway => '10.200.0.1' });
    is $o->{inactive}, 'true', 'unreachable gateway -> inactive';
    ok !exists $o->{active}, '... without active';
    ($st) = req('DELETE', $R1, '/rest/ip/route/*80000003');
    is $st, 200, 'DELETE route';
    ($st, $o) = req('DELETE', $R1, '/rest/ip/route/*20183040');
    is $st, 400, 'connected routes cannot be removed';

    ($st, $o) = req('POST', $R1, '/rest/ip/firewall/filter/add',
        { chain => 'forward', action => 'drop', 'src-address' => '10.1.1.0/24',
          protocol => 'tcp', 'dst-port' => '22', comment => 'mcp rule' });
    is_deeply $o, { ret => '*9' }, 'POST filter/add';
    my $rule = (GET($R1, '/rest/ip/firewall/filter/*9'))[1];
    is_deeply [ @$rule{qw(chain action bytes packets dst-port)} ],
        [qw(forward drop 0 0 22)], 'filter rule stored';
    ($st, $o) = req('POST', $R1, '/rest/ip/firewall/filter/add',
        { chain => 'forward', action => 'explode' });
    is $o->{detail}, 'input does not match any value of action', 'bad enum';

    ($st, $o) = req('POST', $R1, '/rest/ip/dns/cache/flush', {});
    is_deeply [$st, $o], [200, []], 'dns cache flush -> []';
    is_deeply +(GET($R1, '/rest/ip/dns/cache'))[1], [], 'cache is empty';
}

# --- print with .proplist / .query ------------------------------------------
{
    my ($st, $o) = req('POST', $R2, '/rest/ip/address/print',
        { '.proplist' => ['.id', 'address', 'interface'],
          '.query' => ['interface=bridge1', 'interface=vlan10', '#|'] });
    is_deeply $o, [
        { '.id' => '*2', address => '192.168.20.1/24', interface => 'bridge1' },
        { '.id' => '*5', address => '172.16.10.1/24', interface => 'vlan10' } ],
        'print .query OR stack';
    ($st, $o) = req('POST', $R2, '/rest/ip/address/print',
        { '.proplist' => 'address', '.query' => ['interface=ether1', '#!'] });
    is scalar(@$o), 4, 'print .query NOT';
    ok !exists $o->[0]{'.id'}, 'print .proplist omits .id unless listed';
    ($st, $o) = req('POST', $R2, '/rest/ip/route/print',
        { '.query' => ['static=true', 'dst-address=0.0.0.0/0', '#&'] });
    is_deeply [ map { $_->{gateway} } @$o ], ['10.12.0.1'], 'print .query AND';
    ($st, $o) = req('POST', $R2, '/rest/interface/print', { 'count-only' => '' });
    is_deeply $o, { ret => '8' }, 'print count-only';
    ($st, $o) = GET($R1, '/rest/ip/address/print');
    is_deeply [$st, $o->{detail}], [400, 'no such command'],
        'GET on a command path -> 400 no such command';
}

# --- errors ---------------------------------------------------------------
{
    my ($st, $o) = GET($R1, '/rest/nonexistent');
    is $st, 400, 'unknown path -> 400';
    is_deeply $o, { detail => 'no such command or directory (nonexistent)',
        error => 400, message => 'Bad Request' }, 'unknown path body';
    ($st, $o) = GET($R1, '/rest/ip/bogus');
    is $o->{detail}, 'no such command or directory (bogus)', 'names the segment';
    my (undef, undef, $raw) = req('HEAD', $R1, '/rest/system/resource');
    is $raw->{status}, 501, 'HEAD -> 501';
}

# --- tools --------------------------------------------------------------------
{
    my ($st, $o) = req('POST', $R1, '/rest/tool/ping',
        { address => '127.0.0.3', count => '3' });
    is $st, 200, 'ping with count';
    is scalar(@$o), 3, 'one row per packet';
    is_deeply [ map { $_->{seq} } @$o ], [0, 1, 2], 'seq numbers';
    is $o->[2]{received}, '3', 'running aggregate received';
    is $o->[2]{'packet-loss'}, '0', 'no loss to another sim device';
    like $o->[0]{time}, qr/^\d+(?:ms)?(?:\d+us)?$/, 'rtt as RouterOS duration';
    ($st, $o) = req('POST', $R1, '/rest/ping',
        { address => '10.12.0.2', count => 2 });
    is $o->[1]{received}, '2', 'r1 reaches r2 over the link (numeric count)';
    ($st, $o) = req('POST', $R1, '/rest/tool/ping',
        { address => '192.0.2.1', count => '2' });
    is_deeply $o->[1], { host => '192.0.2.1', 'packet-loss' => '100',
        received => '0', sent => '2', seq => '1', status => 'timeout' },
        'TEST-NET target times out';
    ($st, $o) = req('POST', $R1, '/rest/tool/ping', { address => '127.0.0.3' });
    is $st, 400, 'ping without count is cut off';
    is_deeply $o, { detail => 'Session closed', error => 400,
        message => 'Bad Request' }, '... with Session closed';

    ($st, $o) = req('POST', $R1, '/rest/tool/traceroute',
        { address => '1.1.1.1', count => '2', 'max-hops' => '15' });
    is $st, 200, 'traceroute';
    my @s0 = grep { $_->{'.section'} eq '0' } @$o;
    my @s1 = grep { $_->{'.section'} eq '1' } @$o;
    is scalar(@s0), scalar(@s1), 'each section redraws the whole table';
    is $s1[-1]{address}, '1.1.1.1', 'last hop is the target';
    is $s0[0]{address}, '10.12.0.2', 'first hop is the gateway';
    is $s1[0]{sent}, '2', 'sent grows per section';
    ($st, $o) = req('POST', $R1, '/rest/tool/traceroute',
        { address => '192.0.2.9', count => '1', 'max-hops' => '5' });
    is scalar(@$o), 5, 'unreachable target fills max-hops';
    is_deeply $o->[4], { '.section' => '0', address => '', last => 'timeout',
        loss => '100', sent => '1', status => '' }, 'timeout hop row';

    ($st, $o) = req('POST', $R1, '/rest/tool/bandwidth-test',
        { address => '127.0.0.3', duration => '3s', direction => 'both' });
    is $st, 200, 'bandwidth-test';
    is_deeply [ map { $_->{'.section'} } @$o ], [0, 1, 2, 3], '.section rows';
    is $o->[0]{status}, 'connecting', 'first row connecting';
    is $o->[-1]{status}, 'done testing', 'last row done testing';
    ok $o->[-1]{'rx-total-average'} > 0 && $o->[-1]{'tx-total-average'} > 0,
        'both directions report throughput';
    ($st, $o) = req('POST', $R1, '/rest/tool/bandwidth-test',
        { address => '127.0.0.3', duration => '3s', direction => 'tx' });
    is $o->{detail}, 'input does not match any value of direction', 'enum';
    ($st, $o) = req('POST', $R1, '/rest/tool/bandwidth-test',
        { address => '127.0.0.3' });
    is $o->{detail}, 'Session closed', 'btest without duration cut off';

    ($st, $o) = req('POST', $R1, '/rest/interface/monitor-traffic',
        { interface => 'ether1', once => '' });
    is scalar(@$o), 1, 'monitor-traffic once -> one row';
    is $o->[0]{name}, 'ether1', 'row names the interface';
    ok $o->[0]{'rx-bits-per-second'} > 0, 'running interface has traffic';
    ok !exists $o->[0]{'.section'}, 'once rows have no .section';
    ($st, $o) = req('POST', $R1, '/rest/interface/monitor-traffic',
        { interface => 'ether5', once => '' });
    is $o->[0]{'tx-bits-per-second'}, '0', 'disabled interface is idle';
    ($st, $o) = req('POST', $R1, '/rest/interface/monitor-traffic',
        { interface => 'ether1' });
    is $o->{detail}, 'Session closed', 'monitor-traffic without once cut off';
    ($st, $o) = req('POST', $R1, '/rest/interface/monitor-traffic',
        { interface => 'ether1', once => 'false' });
    is $o->{detail}, 'Session closed', 'once=false does not enable once';
}

# --- keep-alive and concurrency ----------------------------------------------
{
    my $s = IO::Socket::INET->new(PeerAddr => $R2, PeerPort => $PORT) or die;
    my $one = "GET /rest/system/identity HTTP/1.1\r\nHost: x\r\n"
        . "Authorization: $auth\r\n\r\n";
    print $s $one x 3;
    my $buf = '';
    while ($buf !~ /(?:\{"name":"sim-r2"\}.*){3}/s) {
        my $n = sysread $s, $buf, 4096, length $buf;
        last unless $n;
    }
    my @lens = $buf =~ /Content-Length: (\d+)/g;
    is_deeply \@lens, [17, 17, 17], 'three pipelined replies on one connection';
    close $s;
    my @socks = map { IO::Socket::INET->new(PeerAddr => $R1, PeerPort => $PORT) }
        1 .. 40;
    is scalar(grep { $_ } @socks), 40, '40 concurrent connections accepted';
    print $_ $one for @socks;
    my $okc = 0;
    for my $c (@socks) {
        my $b = '';
        sysread $c, $b, 4096;
        $okc++ if $b =~ m{^HTTP/1\.1 200 } && $b =~ /"name":"r1-x"/;
    }
    is $okc, 40, 'each concurrent keep-alive connection is answered';
}

# --- control API -------------------------------------------------------------
{
    my ($st, $state) = ctl('GET', $R1, 'state');
    is $state->{name}, 'sim-r1', 'state name';
    is $state->{identity}, 'r1-x', 'state identity follows writes';
    is $state->{menus}{'/system/identity'}{name}, 'r1-x', 'state menus';
    is ref $state->{menus}{'/ip/address'}, 'ARRAY', 'collections in state';

    my ($s2, $reqs, $raw) = ctl('GET', $R1, 'requests');
    ok scalar(@$reqs) > 0 && scalar(@$reqs) <= 200, 'requests log bounded';
    my ($put) = grep { $_->{method} eq 'PUT' && $_->{path} eq '/rest/ip/address' } @$reqs;
    is $put->{body}{interface}, 'ether5', 'request body recorded';
    unlike $raw->{content}, qr/Basic|\Q$PASSWORD\E|authorization/i,
        'no credentials recorded';

    ($st) = ctl('POST', $R1, 'fault', { mode => 'bogus' });
    is $st, 400, 'bad fault mode rejected';
    ctl('POST', $R1, 'fault', { mode => 'error500' });
    my ($e, $eb) = GET($R1, '/rest/system/resource');
    is $e, 500, 'error500 fault -> 500';
    is $eb->{error}, 500, 'RouterOS-shaped 500 body';
    ($e) = GET($R2, '/rest/system/resource');
    is $e, 200, 'faults are per device';
    ctl('POST', $R1, 'fault', { mode => 'error500', paths => ['/ip/route'] });
    ($e) = GET($R1, '/rest/ip/route');
    is $e, 500, 'path-scoped fault hits its prefix';
    ($e) = GET($R1, '/rest/system/resource');
    is $e, 200, '... and nothing else';
    ctl('POST', $R1, 'fault', { mode => 'down' });
    my ($d, undef, $draw) = GET($R1, '/rest/system/resource');
    is $d, 599, 'down: connection closed without reply';
    ($d) = ctl('GET', $R1, 'state');
    is $d, 200, 'control API still answers while down';
    ctl('POST', $R1, 'fault', { mode => 'slow', latency_ms => 50 });
    my ($sl, $slb) = GET($R1, '/rest/system/identity');
    is_deeply [$sl, $slb->{name}], [200, 'r1-x'], 'slow still answers';
    is +(ctl('GET', $R1, 'fault'))[1]{latency_ms}, 50, 'fault reads back';

    ($st) = ctl('POST', $R1, 'state',
        { menus => { '/system/resource' => { 'cpu-load' => 95 } } });
    is $st, 200, 'state override accepted';
    is +(GET($R1, '/rest/system/resource'))[1]{'cpu-load'}, '95',
        'override visible over REST';

    ctl('POST', $R1, 'reset');
    is +(GET($R1, '/rest/system/identity'))[1]{name}, 'sim-r1',
        'reset restores identity';
    is scalar @{ (GET($R1, '/rest/ip/address'))[1] }, 3,
        'reset restores addresses';
    is +(GET($R1, '/rest/system/resource'))[1]{'cpu-load'}, '3',
        'reset restores resource';
    is +(ctl('GET', $R1, 'fault'))[1]{mode}, 'ok', 'reset clears the fault';
    my ($ns, $nb) = req('PUT', $R1, '/rest/ip/address',
        { address => '10.5.5.1/24', interface => 'ether5' });
    is $nb->{'.id'}, '*4', 'ids restart from factory counters after reset';
}

done_testing;
