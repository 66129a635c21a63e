#!/usr/bin/perl
# The plan_* tools of the firewall, DHCP, bridge and wireless domains and
# approve_plan: each creates a pending plan row holding the values the
# simulator has now, with the risk its rules give; invalid arguments are
# -32602 naming the field; semantic and device-gate refusals touch nothing.
use strict;
use warnings;
use lib 't/lib';
use MCPTest;
use Test::More;
use HTTP::Tiny;

my @ips = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
sim_reset($_) for @ips;
my $flags = 'allow_firewall_writes = %s, allow_dhcp_writes = %s, '
  . 'allow_bridge_writes = %s, allow_wireless_writes = %s';
psql("UPDATE devices SET allow_professional_workflows = true, "
     . sprintf($flags, ('true') x 4) . ", status = 'healthy'");

my $s = mcp_session();
$s->initialize();

sub sc { return $_[0]{result}{structuredContent} }
sub text { return $_[0]{result}{content}[0]{text} // '' }
sub plan_json {
    my ($id, $path) = @_;
    return psql_value("SELECT changes #>> '{$path}' FROM plans "
                      . "WHERE id = '$id'");
}
sub menu { return sim_state($_[0])->{menus}{$_[1]} }
sub jpath { return MCPTest::json_decode(plan_json(@_)) }

# A RouterOS REST call straight to the simulator (test set-up only).
sub ros {
    my ($method, $ip, $path, $body) = @_;
    my $res = HTTP::Tiny->new->request($method,
        "http://admin:$ENV{SIM_PASSWORD}\@$ip:$ENV{SIM_PORT}/rest$path",
        { headers => { 'Content-Type' => 'application/json' },
          content => MCPTest::json_encode($body // {}) });
    return $res->{content} ? MCPTest::json_decode($res->{content}) : undef;
}

# A created plan: pending row with the tool's name and the expected risk.
sub planned {
    my ($tool, $args, $risk, $what) = @_;
    my $r = $s->call_tool($tool, $args);
    my $id = sc($r) ? sc($r)->{plan_id} : undef;
    ok($id && !$r->{result}{isError}, "$tool: $what: plan created")
      or diag explain $r;
    return undef unless $id;
    is(sc($r)->{risk_level}, $risk, "$tool: $what: risk $risk");
    is(psql_value("SELECT status || ' ' || risk_level || ' ' || tool_name "
                  . "FROM plans WHERE id = '$id'"), "pending $risk $tool",
       "$tool: $what: pending row");
    return $id;
}

sub invalid {
    my ($tool, $args, $field, $what) = @_;
    my $r = $s->call_tool($tool, $args);
    is($r->{error}{code}, -32602, "$tool: $what: -32602");
    like($r->{error}{message} // '', qr/\Q$field\E/, "$tool: $what: names "
         . $field);
}

sub refused {
    my ($tool, $args, $re, $what) = @_;
    my $before = psql_value('SELECT count(*) FROM plans');
    my $r = $s->call_tool($tool, $args);
    ok($r->{result}{isError}, "$tool: $what: refused") or diag explain $r;
    like(text($r), $re, "$tool: $what: says why");
    is(psql_value('SELECT count(*) FROM plans'), $before,
       "$tool: $what: no plan stored");
}

my $r1 = ['dev-sim-r1'];

# --- firewall ------------------------------------------------------------
my @forward = grep { $_->{chain} eq 'forward' }
  @{ menu('127.0.0.2', '/ip/firewall/filter') };
my $id = planned('plan_add_firewall_rule', { device_ids => $r1,
    chain => 'forward', action => 'accept', src_address => '10.9.0.0/16',
    protocol => 'tcp', dst_port => '443', comment => 'web' }, 'medium',
    'forward accept');
is(plan_json($id, 'devices,dev-sim-r1,current,chain'), 'forward',
   'current names the chain');
is_deeply([ map { $_->{'.id'} } @{ MCPTest::json_decode(plan_json($id,
    'devices,dev-sim-r1,current,chain_rules')) } ],
    [ map { $_->{'.id'} } @forward ], 'current holds the forward rules of r1');
is_deeply(MCPTest::json_decode(plan_json($id,
    'devices,dev-sim-r1,writes,0,body')), { chain => 'forward',
    action => 'accept', 'src-address' => '10.9.0.0/16', protocol => 'tcp',
    'dst-port' => '443', comment => 'web' }, 'the rule to add');
planned('plan_add_firewall_rule', { device_ids => $r1, chain => 'input',
        action => 'accept', src_address => '10.9.0.1' }, 'high',
        'input chain');
planned('plan_add_firewall_rule', { device_ids => $r1, chain => 'forward',
        action => 'reject' }, 'high', 'reject action');
invalid('plan_add_firewall_rule', { device_ids => $r1, chain => 'forward',
        action => 'accept', dst_port => '80' }, 'dst_port',
        'port without protocol');
invalid('plan_add_firewall_rule', { device_ids => $r1, chain => 'forward',
        action => 'accept', protocol => 'icmp', dst_port => '80' },
        'dst_port', 'port with icmp');
invalid('plan_add_firewall_rule', { device_ids => $r1, chain => 'forward',
        action => 'accept', protocol => 'tcp', dst_port => '90-80' },
        'dst_port', 'reversed range');
invalid('plan_add_firewall_rule', { device_ids => $r1, chain => 'forward',
        action => 'accept', protocol => 'tcp', dst_port => '70000' },
        'dst_port', 'port above 65535');
invalid('plan_add_firewall_rule', { device_ids => $r1, chain => 'prerouting',
        action => 'accept' }, 'chain', 'unknown chain');

my $rule8 = (grep { $_->{'.id'} eq '*8' }
             @{ menu('127.0.0.2', '/ip/firewall/filter') })[0];
$id = planned('plan_modify_firewall_rule', { device_ids => $r1,
    rule_id => '*8', comment => 'renamed' }, 'high', 'comment only');
is(plan_json($id, 'devices,dev-sim-r1,current,comment'), $rule8->{comment},
   'current holds the comment r1 has now');
is(plan_json($id, 'devices,dev-sim-r1,writes,0,id'), '*8', 'write names *8');
invalid('plan_modify_firewall_rule', { device_ids => $r1, rule_id => '*8' },
        'at least one', 'no change');
invalid('plan_modify_firewall_rule', { device_ids => $r1, rule_id => '*8',
        src_address => '10.1.1.1' }, 'chain and action',
        'match change without chain/action');
refused('plan_modify_firewall_rule', { device_ids => $r1, rule_id => '*3',
        chain => 'input', action => 'accept', dst_port => '22' },
        qr/protocol icmp: dst_port needs tcp or udp/,
        'port on an icmp rule');
refused('plan_modify_firewall_rule', { device_ids => $r1, rule_id => '*99',
        comment => 'x' }, qr/\*99/, 'unknown rule');

$id = planned('plan_remove_firewall_rule', { device_ids => $r1,
    rule_id => '*5' }, 'high', 'remove');
is(plan_json($id, 'devices,dev-sim-r1,current,in-interface-list'), '!LAN',
   'current holds the rule as r1 has it');
is(plan_json($id, 'devices,dev-sim-r1,writes,0,restore_order'), 'true',
   'removal keeps the order on rollback');
invalid('plan_remove_firewall_rule', { device_ids => $r1, rule_id => '8' x 70 },
        'rule_id', 'bad id');

# --- DHCP ----------------------------------------------------------------
my $pools = menu('127.0.0.2', '/ip/pool');
$id = planned('plan_create_dhcp_pool', { device_ids => $r1,
    pool_name => 'pool-guest', address_range => '192.168.88.200-192.168.88.250',
    gateway => '192.168.88.201', dns_servers => ['1.1.1.1', '9.9.9.9'] },
    'medium', 'pool with gateway and DNS');
is_deeply(jpath($id, 'devices,dev-sim-r1,current,pools'), $pools,
          'current holds the pools r1 has now');
is_deeply(jpath($id, 'devices,dev-sim-r1,writes'), [
    { menu => '/ip/pool', op => 'add', body => { name => 'pool-guest',
      ranges => '192.168.88.200-192.168.88.250' } },
    { menu => '/ip/dhcp-server/network', op => 'set', id => '*1',
      body => { gateway => '192.168.88.201',
                'dns-server' => '1.1.1.1,9.9.9.9' } } ],
    'pool added, the existing 192.168.88.0/24 DHCP network updated');
$id = planned('plan_create_dhcp_pool', { device_ids => $r1,
    pool_name => 'pool-p2p', address_range => '10.12.0.1-10.12.0.2',
    gateway => '10.12.0.2' }, 'medium', 'pool in a subnet without network');
is_deeply(jpath($id, 'devices,dev-sim-r1,writes,1'), {
    menu => '/ip/dhcp-server/network', op => 'add', body => {
    address => '10.12.0.0/30', gateway => '10.12.0.2' } },
    'a DHCP network for 10.12.0.0/30 is added');
invalid('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'p',
        address_range => '192.168.88.250-192.168.88.200' }, 'address_range',
        'start above end');
invalid('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'p',
        address_range => '192.168.88.200-192.168.88.250',
        gateway => '192.168.88.1' }, 'gateway', 'gateway outside the range');
invalid('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'p',
        address_range => '192.168.88.200-192.168.88.250',
        gateway => 'fe80::1' }, 'gateway', 'IPv6 gateway');
invalid('plan_create_dhcp_pool', { device_ids => $r1, pool_name => '-p',
        address_range => '192.168.88.200-192.168.88.250' }, 'pool_name',
        'bad name');
refused('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'pool-lan',
        address_range => '192.168.88.200-192.168.88.250' },
        qr/already has a pool named pool-lan/, 'name taken');
refused('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'p2',
        address_range => '192.168.88.100-192.168.88.220' },
        qr/overlaps pool pool-lan/, 'overlapping range');
refused('plan_create_dhcp_pool', { device_ids => $r1, pool_name => 'p3',
        address_range => '172.31.0.10-172.31.0.20', gateway => '172.31.0.11' },
        qr/no interface network/, 'gateway with no subnet on the device');

$id = planned('plan_modify_dhcp_pool', { device_ids => $r1, pool_id => '*1',
    modifications => { ranges => '192.168.88.20-192.168.88.100' } }, 'medium',
    'new ranges');
is(plan_json($id, 'devices,dev-sim-r1,current,ranges'), $pools->[0]{ranges},
   'current holds the ranges r1 has now');
is(plan_json($id, 'devices,dev-sim-r1,current,dhcp_servers,0,name'),
   'dhcp-lan', 'and the DHCP server handing it out');
invalid('plan_modify_dhcp_pool', { device_ids => $r1, pool_id => '*1',
        modifications => {} }, 'modifications', 'no change');
invalid('plan_modify_dhcp_pool', { device_ids => $r1, pool_id => '*1',
        modifications => { ranges => '192.168.88.100-192.168.88.20' } },
        'modifications.ranges', 'reversed range');
refused('plan_remove_dhcp_pool', { device_ids => $r1, pool_id => '*1' },
        qr/handed out by DHCP server dhcp-lan/, 'pool in use');
my $spare = ros('PUT', '127.0.0.2', '/ip/pool', { name => 'spare',
                ranges => '10.50.0.1-10.50.0.9' });
$id = planned('plan_remove_dhcp_pool', { device_ids => $r1,
    pool_id => $spare->{'.id'} }, 'high', 'unused pool');
is(plan_json($id, 'devices,dev-sim-r1,current,ranges'), '10.50.0.1-10.50.0.9',
   'current holds the pool');
invalid('plan_remove_dhcp_pool', { device_ids => $r1 }, 'pool_id',
        'missing pool_id');

# --- bridge --------------------------------------------------------------
my $ports = menu('127.0.0.2', '/interface/bridge/port');
$id = planned('plan_add_bridge_port', { device_ids => $r1,
    bridge_name => 'bridge1', interface => 'ether5' }, 'medium', 'ether5');
is_deeply([ map { $_->{interface} } @{ jpath($id,
    'devices,dev-sim-r1,current,ports') } ],
    [ map { $_->{interface} } @$ports ], 'current holds the ports of bridge1');
is_deeply(jpath($id, 'devices,dev-sim-r1,writes,0,body'),
          { bridge => 'bridge1', interface => 'ether5' }, 'the port to add');
invalid('plan_add_bridge_port', { device_ids => $r1, bridge_name => 'bridge1',
        interface => 'bridge1' }, 'interface', 'bridge into itself');
invalid('plan_add_bridge_port', { device_ids => $r1, bridge_name => '-b',
        interface => 'ether5' }, 'bridge_name', 'bad bridge name');
refused('plan_add_bridge_port', { device_ids => $r1, bridge_name => 'bridge1',
        interface => 'ether3' }, qr/already a port of bridge bridge1/,
        'interface already bridged');
refused('plan_add_bridge_port', { device_ids => $r1, bridge_name => 'bridge1',
        interface => 'ether1' }, qr/carries the management address/,
        'management interface');
refused('plan_add_bridge_port', { device_ids => $r1, bridge_name => 'bridge9',
        interface => 'ether5' }, qr/no bridge bridge9/, 'unknown bridge');
refused('plan_add_bridge_port', { device_ids => $r1, bridge_name => 'bridge1',
        interface => 'ether9' }, qr/no interface ether9/, 'unknown interface');

$id = planned('plan_remove_bridge_port', { device_ids => $r1,
    bridge_name => 'bridge1', interface => 'ether4' }, 'high', 'ether4');
is(plan_json($id, 'devices,dev-sim-r1,current,.id'), $ports->[1]{'.id'},
   'current is the ether4 port as r1 has it');
refused('plan_remove_bridge_port', { device_ids => $r1,
        bridge_name => 'bridge1', interface => 'ether5' },
        qr/ether5 is not a port of bridge bridge1/, 'not a port');
ros('PATCH', '127.0.0.2', '/ip/address/*1', { interface => 'bridge1' });
refused('plan_remove_bridge_port', { device_ids => $r1,
        bridge_name => 'bridge1', interface => 'ether4' },
        qr/management address of dev-sim-r1 .* is on bridge1/,
        'bridge carrying the management address');
ros('PATCH', '127.0.0.2', '/ip/address/*1', { interface => 'ether1' });

my $bridge = menu('127.0.0.2', '/interface/bridge')->[0];
$id = planned('plan_modify_bridge_settings', { device_ids => $r1,
    bridge_name => 'bridge1', bridge_settings => { ageing_time => '10m' } },
    'medium', 'ageing time');
is(plan_json($id, 'devices,dev-sim-r1,current,ageing-time'),
   $bridge->{'ageing-time'}, 'current holds the bridge as r1 has it');
$id = planned('plan_modify_bridge_settings', { device_ids => $r1,
    bridge_name => 'bridge1', bridge_settings => { priority => 4096 } },
    'high', 'STP priority');
is_deeply([ plan_json($id, 'devices,dev-sim-r1,writes,0,body,priority'),
            plan_json($id, 'devices,dev-sim-r1,writes,0,expect,priority') ],
          [ '4096', '0x1000' ], 'priority sent decimal, read back in hex');
planned('plan_modify_bridge_settings', { device_ids => $r1,
        bridge_name => 'bridge1', bridge_settings => { vlan_filtering => \1 } },
        'high', 'VLAN filtering');
invalid('plan_modify_bridge_settings', { device_ids => $r1,
        bridge_name => 'bridge1', bridge_settings => {} }, 'bridge_settings',
        'no setting');
invalid('plan_modify_bridge_settings', { device_ids => $r1,
        bridge_name => 'bridge1', bridge_settings => { priority => 70000 } },
        'priority', 'priority out of range');

# --- wireless (sim-r2 has the radio wlan1) --------------------------------
my $r2 = ['dev-sim-r2'];
my $wl = menu('127.0.0.3', '/interface/wireless');
$id = planned('plan_create_wireless_ssid', { device_ids => $r2,
    ssid => 'Guest Net', band => '2ghz-n', channel => 6 }, 'medium',
    'SSID on channel 6');
is_deeply(jpath($id, 'devices,dev-sim-r2,current,wireless'), $wl,
          'current holds the wireless interfaces r2 has now');
is_deeply(jpath($id, 'devices,dev-sim-r2,writes,0,body'), {
    name => 'wlan-Guest-Net', ssid => 'Guest Net', 'master-interface' => 'wlan1',
    'security-profile' => 'default', band => '2ghz-n', frequency => '2437' },
    'a virtual AP on wlan1, channel 6 as 2437 MHz');
invalid('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x',
        channel => 100 }, 'DFS', 'DFS channel');
invalid('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x',
        channel => 100 }, 'channel', 'DFS channel names the field');
invalid('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x',
        band => '2ghz-n', channel => 36 }, 'channel', '5 GHz channel, 2.4 band');
invalid('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x',
        channel => 20 }, 'channel', 'channel 20');
invalid('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x' x 33 },
        'ssid', 'SSID too long');
refused('plan_create_wireless_ssid', { device_ids => $r1, ssid => 'x' },
        qr/dev-sim-r1 has no wireless interface/, 'device without radio');
refused('plan_create_wireless_ssid', { device_ids => $r2, ssid => 'x',
        security_profile => 'nope' }, qr/no security profile nope/,
        'unknown security profile');

$id = planned('plan_modify_wireless_ssid', { device_ids => $r2,
    ssid_id => '*1', ssid => 'lab2' }, 'high', 'new SSID');
is(plan_json($id, 'devices,dev-sim-r2,current,ssid'), $wl->[0]{ssid},
   'current holds the SSID r2 has now');
invalid('plan_modify_wireless_ssid', { device_ids => $r2, ssid_id => '*1' },
        'at least one', 'no change');
refused('plan_modify_wireless_ssid', { device_ids => $r2, ssid_id => '*1',
        channel => 36 }, qr/band is 2ghz-b\/g\/n/,
        '5 GHz channel on the 2.4 GHz radio');
refused('plan_remove_wireless_ssid', { device_ids => $r2, ssid_id => '*1' },
        qr/physical radio/, 'physical radio');
my $vap = ros('PUT', '127.0.0.3', '/interface/wireless', { name => 'wlan-x',
              ssid => 'x', 'master-interface' => 'wlan1' });
$id = planned('plan_remove_wireless_ssid', { device_ids => $r2,
    ssid_id => $vap->{'.id'} }, 'high', 'virtual AP');
is(plan_json($id, 'devices,dev-sim-r2,current,name'), 'wlan-x',
   'current is the virtual AP');
invalid('plan_remove_wireless_ssid', { device_ids => $r2, ssid_id => '' },
        'ssid_id', 'empty id');

$id = planned('plan_wireless_rf_settings', { device_ids => $r2,
    interface => 'wlan1', channel => 11, tx_power => 17 }, 'medium', 'rf');
is_deeply(jpath($id, 'devices,dev-sim-r2,writes,0'), { menu =>
    '/interface/wireless', op => 'set', id => '*1', body => {
    frequency => '2462', 'tx-power' => '17', 'tx-power-mode' => 'manual' } },
    'frequency and manual transmit power for wlan1');
is(plan_json($id, 'devices,dev-sim-r2,current,frequency'), $wl->[0]{frequency},
   'current holds the frequency r2 has now');
invalid('plan_wireless_rf_settings', { device_ids => $r2,
        interface => 'wlan1' }, 'channel or tx_power', 'no change');
invalid('plan_wireless_rf_settings', { device_ids => $r2,
        interface => 'wlan1', channel => 52 }, 'DFS', 'DFS channel');
invalid('plan_wireless_rf_settings', { device_ids => $r2,
        interface => 'wlan1', tx_power => 31 }, 'tx_power', 'too much power');
refused('plan_wireless_rf_settings', { device_ids => $r2,
        interface => 'wlan9', tx_power => 10 }, qr/wlan9/, 'unknown radio');

# --- device gates, for every domain --------------------------------------
my %probe = (
    firewall => [ 'plan_remove_firewall_rule', { rule_id => '*8' } ],
    dhcp     => [ 'plan_remove_dhcp_pool', { pool_id => '*1' } ],
    bridge   => [ 'plan_add_bridge_port', { bridge_name => 'bridge1',
                                            interface => 'ether5' } ],
    wireless => [ 'plan_wireless_rf_settings', { interface => 'wlan1',
                                                 tx_power => 10 } ],
);
for my $d (sort keys %probe) {
    my ($tool, $args) = @{ $probe{$d} };
    psql("UPDATE devices SET allow_${d}_writes = false WHERE id = 'dev-sim-r2'");
    refused($tool, { %$args, device_ids => $r2 }, qr/allow_${d}_writes/,
            "$d flag off");
    psql("UPDATE devices SET allow_${d}_writes = true WHERE id = 'dev-sim-r2'");
}
psql("UPDATE devices SET allow_professional_workflows = false "
     . "WHERE id = 'dev-sim-r2'");
refused('plan_wireless_rf_settings', { device_ids => $r2, interface => 'wlan1',
        tx_power => 10 }, qr/allow_professional_workflows/,
        'professional workflows off');
psql("UPDATE devices SET allow_professional_workflows = true, "
     . "environment = 'prod' WHERE id = 'dev-sim-r2'");
refused('plan_wireless_rf_settings', { device_ids => $r2, interface => 'wlan1',
        tx_power => 10 }, qr/in prod: plans are only made for lab and staging/,
        'prod device');
psql("UPDATE devices SET environment = 'lab' WHERE id = 'dev-sim-r2'");
my $r = $s->call_tool('plan_add_firewall_rule', { device_ids => ['dev-nope'],
    chain => 'forward', action => 'accept' });
ok($r->{error} || $r->{result}{isError}, 'unknown device refused');
like($r->{error}{message} // text($r), qr/dev-nope/, 'names the device');

# --- approve_plan ---------------------------------------------------------
SKIP: {
    skip 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack', 18
      unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};
    $id = planned('plan_modify_firewall_rule', { device_ids => $r1,
        rule_id => '*8', comment => 'approved-by-tool' }, 'high', 'to approve');
    my $creator = psql_value("SELECT created_by FROM plans WHERE id = '$id'");
    $r = $s->call_tool('approve_plan', { plan_id => $id,
                                         approver => 'mallory' });
    is($r->{error}{code}, -32602, 'approve_plan: another approver name: -32602');
    like($r->{error}{message} // '', qr/approver/, 'names approver');
    $r = $s->call_tool('approve_plan', { plan_id => $id });
    my $tok = sc($r)->{approval_token} // '';
    like($tok, qr/^rmcp1-[0-9a-f]{32}-\d+-[0-9a-f]{64}$/,
         'approve_plan returns the token');
    is(psql_value("SELECT status || ' ' || approved_by FROM plans "
                  . "WHERE id = '$id'"), "approved $creator",
       'plan approved by the caller');
    is(psql_value("SELECT count(*) FROM approval_tokens WHERE plan_id = '$id'"
                  . " AND token_id = '" . (split /-/, $tok)[1] . "'"), 1,
       'only the token id is recorded');
    $r = $s->call_tool('approve_plan', { plan_id => $id });
    ok($r->{result}{isError}, 'second approval refused');
    like(text($r), qr/is approved, only pending/, 'says not pending');
    $r = $s->call_tool('apply_firewall_plan', { plan_id => $id,
                                                approval_token => $tok });
    is(sc($r)->{status}, 'completed', 'the token applies the plan');
    is((grep { $_->{'.id'} eq '*8' } @{ menu('127.0.0.2',
       '/ip/firewall/filter') })[0]{comment}, 'approved-by-tool',
       'simulator changed');

    # A separate approver required: the creator may not approve.
    $id = planned('plan_remove_firewall_rule', { device_ids => $r1,
        rule_id => '*8' }, 'high', 'same person');
    {
        local $ENV{ROUTEROS_MCP_REQUIRE_SEPARATE_APPROVER} = '1';
        stack_cmd('restart-agent');
    }
    $r = $s->call_tool('approve_plan', { plan_id => $id });
    stack_cmd('restart-agent');
    ok($r->{result}{isError}, 'creator approving own plan refused');
    like(text($r), qr/separate approver is required/, 'says why');
    is(psql_value("SELECT status FROM plans WHERE id = '$id'"), 'pending',
       'plan stays pending');
}

sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = false, "
     . sprintf($flags, ('false') x 4));
done_testing();
