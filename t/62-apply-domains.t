#!/usr/bin/perl
# apply_firewall/dhcp/bridge/wireless_plan against the simulator: each
# approved plan changes the device as planned (read back from sim_state),
# and a failed health gate puts the device back as it was.
use strict;
use warnings;
use lib 't/lib';
use MCPTest;
use Test::More;

plan skip_all => 'ROUTEROS_MCP_APPROVAL_KEY not set for this stack'
  unless $ENV{ROUTEROS_MCP_APPROVAL_KEY};

my $admin = "$ENV{BUILD}/routeros-mcp-admin";
my @ips = ('127.0.0.2', '127.0.0.3', '127.0.0.4');
sim_reset($_) for @ips;
my $flags = 'allow_firewall_writes = %s, allow_dhcp_writes = %s, '
  . 'allow_bridge_writes = %s, allow_wireless_writes = %s';
psql("UPDATE devices SET allow_professional_workflows = true, "
     . sprintf($flags, ('true') x 4) . ", status = 'healthy'");

my $s = mcp_session();
$s->initialize();

sub sc { return $_[0]{result}{structuredContent} }
sub menu { return sim_state($_[0])->{menus}{$_[1]} }
sub degrade {
    MCPTest::_sim('POST', $_[0], '/__sim/state',
                  { menus => { '/system/resource' => { 'cpu-load' => $_[1] } } });
}

# plan_* then CLI approval then apply_*; returns the apply answer.
sub run_plan {
    my ($tool, $args, $apply, $what) = @_;
    my $r = $s->call_tool($tool, $args);
    my $id = sc($r) ? sc($r)->{plan_id} : undef;
    ok($id, "$what: planned") or diag explain $r;
    my $tok = `$admin plan approve $id --approver alice 2>/dev/null`;
    chomp $tok;
    $r = $s->call_tool($apply, { plan_id => $id, approval_token => $tok });
    return ($r, $id);
}

sub applied {
    my ($r, $what) = @_;
    ok(!$r->{result}{isError}, "$what: applied") or diag explain $r;
    is(sc($r)->{status}, 'completed', "$what: plan completed");
    is(sc($r)->{devices}[0]{status}, 'applied', "$what: device applied");
}

sub rolled_back {
    my ($r, $what) = @_;
    ok($r->{result}{isError}, "$what: failed health is an error");
    is(sc($r)->{devices}[0]{status}, 'rolled_back', "$what: device rolled back")
      or diag explain $r;
    is(sc($r)->{status}, 'rolled_back', "$what: plan rolled_back");
}

my $r1 = ['dev-sim-r1'];
my ($r, $id);

# --- firewall ------------------------------------------------------------
sub rules { return [ map { $_->{comment} // '' }
                     @{ menu('127.0.0.2', '/ip/firewall/filter') } ] }
my $order = rules();

($r) = run_plan('plan_add_firewall_rule', { device_ids => $r1,
    chain => 'forward', action => 'accept', src_address => '10.9.0.0/16',
    protocol => 'tcp', dst_port => '443', comment => 'plan-web' },
    'apply_firewall_plan', 'firewall add');
applied($r, 'firewall add');
my $new = menu('127.0.0.2', '/ip/firewall/filter')->[-1];
is_deeply([ @$new{qw(chain action src-address protocol dst-port comment)} ],
          [ 'forward', 'accept', '10.9.0.0/16', 'tcp', '443', 'plan-web' ],
          'simulator holds the new rule at the end of the list');
ok(psql_value("SELECT count(*) FROM snapshots WHERE device_id = 'dev-sim-r1'"
              . " AND kind = '/ip/firewall/filter'") >= 1, 'snapshot stored');

($r) = run_plan('plan_modify_firewall_rule', { device_ids => $r1,
    rule_id => '*8', comment => 'plan-renamed' }, 'apply_firewall_plan',
    'firewall modify');
applied($r, 'firewall modify');
is((grep { $_->{'.id'} eq '*8' } @{ menu('127.0.0.2',
   '/ip/firewall/filter') })[0]{comment}, 'plan-renamed', 'rule *8 renamed');

# Removal of a rule in the middle, then config_rollback_plan: back in place.
$order = rules();
($r, $id) = run_plan('plan_remove_firewall_rule', { device_ids => $r1,
    rule_id => '*5' }, 'apply_firewall_plan', 'firewall remove');
applied($r, 'firewall remove');
ok(!grep({ $_->{'.id'} eq '*5' } @{ menu('127.0.0.2',
   '/ip/firewall/filter') }), 'rule *5 gone');
$r = $s->call_tool('config_rollback_plan', { plan_id => $id,
                                             reason => 'order test' });
is(sc($r)->{status}, 'rolled_back', 'removal rolled back');
is_deeply(rules(), $order, 'the rule is back in its old position');
my ($back) = grep { ($_->{comment} // '') =~ /drop all not coming/ }
  @{ menu('127.0.0.2', '/ip/firewall/filter') };
is($back->{'in-interface-list'}, '!LAN', 'with its matchers');

# Health gate fails (CPU 97 %) after removing *2: re-added before *3.
$order = rules();
degrade('127.0.0.2', '97');
($r) = run_plan('plan_remove_firewall_rule', { device_ids => $r1,
    rule_id => '*2' }, 'apply_firewall_plan', 'firewall remove, degraded');
degrade('127.0.0.2', '5');
rolled_back($r, 'firewall remove, degraded');
is_deeply(rules(), $order, 'chain order as before the plan');

# --- DHCP ----------------------------------------------------------------
sub pool_named {
    return (grep { $_->{name} eq $_[1] } @{ menu($_[0], '/ip/pool') })[0];
}
my $net_before = menu('127.0.0.2', '/ip/dhcp-server/network');
($r) = run_plan('plan_create_dhcp_pool', { device_ids => $r1,
    pool_name => 'pool-guest', address_range => '192.168.88.200-192.168.88.250',
    gateway => '192.168.88.201', dns_servers => ['1.1.1.1', '9.9.9.9'] },
    'apply_dhcp_plan', 'dhcp create');
applied($r, 'dhcp create');
my $pool = pool_named('127.0.0.2', 'pool-guest');
is($pool->{ranges}, '192.168.88.200-192.168.88.250', 'pool-guest created');
my $net = menu('127.0.0.2', '/ip/dhcp-server/network')->[0];
is_deeply([ @$net{qw(address gateway dns-server)} ],
          [ '192.168.88.0/24', '192.168.88.201', '1.1.1.1,9.9.9.9' ],
          'DHCP network got the gateway and DNS servers');

($r) = run_plan('plan_modify_dhcp_pool', { device_ids => $r1,
    pool_id => $pool->{'.id'}, modifications => {
    ranges => '192.168.88.210-192.168.88.240', comment => 'guests' } },
    'apply_dhcp_plan', 'dhcp modify');
applied($r, 'dhcp modify');
$pool = pool_named('127.0.0.2', 'pool-guest');
is_deeply([ @$pool{qw(ranges comment)} ],
          [ '192.168.88.210-192.168.88.240', 'guests' ], 'pool changed');

($r) = run_plan('plan_remove_dhcp_pool', { device_ids => $r1,
    pool_id => $pool->{'.id'} }, 'apply_dhcp_plan', 'dhcp remove');
applied($r, 'dhcp remove');
ok(!pool_named('127.0.0.2', 'pool-guest'), 'pool-guest removed');

sim_reset('127.0.0.2');
$net_before = menu('127.0.0.2', '/ip/dhcp-server/network');
my $pools_before = menu('127.0.0.2', '/ip/pool');
degrade('127.0.0.2', '97');
($r) = run_plan('plan_create_dhcp_pool', { device_ids => $r1,
    pool_name => 'pool-guest', address_range => '192.168.88.200-192.168.88.250',
    gateway => '192.168.88.201' }, 'apply_dhcp_plan', 'dhcp create, degraded');
degrade('127.0.0.2', '5');
rolled_back($r, 'dhcp create, degraded');
is_deeply(menu('127.0.0.2', '/ip/pool'), $pools_before, 'pools as before');
is_deeply(menu('127.0.0.2', '/ip/dhcp-server/network'), $net_before,
          'DHCP network as before');

# --- bridge --------------------------------------------------------------
sub port_of {
    return (grep { $_->{interface} eq $_[1] }
            @{ menu($_[0], '/interface/bridge/port') })[0];
}
($r) = run_plan('plan_add_bridge_port', { device_ids => $r1,
    bridge_name => 'bridge1', interface => 'ether5' }, 'apply_bridge_plan',
    'bridge add port');
applied($r, 'bridge add port');
is(port_of('127.0.0.2', 'ether5')->{bridge}, 'bridge1', 'ether5 in bridge1');

($r) = run_plan('plan_modify_bridge_settings', { device_ids => $r1,
    bridge_name => 'bridge1', bridge_settings => { priority => 4096,
    ageing_time => '10m' } }, 'apply_bridge_plan', 'bridge settings');
applied($r, 'bridge settings');
my $br = menu('127.0.0.2', '/interface/bridge')->[0];
is_deeply([ @$br{qw(priority ageing-time)} ], [ '0x1000', '10m' ],
          'bridge1 priority and ageing time changed');

($r) = run_plan('plan_remove_bridge_port', { device_ids => $r1,
    bridge_name => 'bridge1', interface => 'ether4' }, 'apply_bridge_plan',
    'bridge remove port');
applied($r, 'bridge remove port');
ok(!port_of('127.0.0.2', 'ether4'), 'ether4 left the bridge');

degrade('127.0.0.2', '97');
($r) = run_plan('plan_remove_bridge_port', { device_ids => $r1,
    bridge_name => 'bridge1', interface => 'ether3' }, 'apply_bridge_plan',
    'bridge remove port, degraded');
degrade('127.0.0.2', '5');
rolled_back($r, 'bridge remove port, degraded');
my $p3 = port_of('127.0.0.2', 'ether3');
is_deeply([ @$p3{qw(bridge pvid priority)} ], [ 'bridge1', '1', '0x80' ],
          'ether3 back in bridge1 with its settings');

# --- wireless (sim-r2) ---------------------------------------------------
my $r2 = ['dev-sim-r2'];
sub wlan {
    return (grep { $_->{name} eq $_[0] }
            @{ menu('127.0.0.3', '/interface/wireless') })[0];
}
($r) = run_plan('plan_create_wireless_ssid', { device_ids => $r2,
    ssid => 'Guest Net', band => '2ghz-n', channel => 6 },
    'apply_wireless_plan', 'wireless create');
applied($r, 'wireless create');
my $vap = wlan('wlan-Guest-Net');
is_deeply([ @$vap{qw(ssid master-interface security-profile frequency)} ],
          [ 'Guest Net', 'wlan1', 'default', '2437' ],
          'virtual AP created on wlan1');

($r) = run_plan('plan_modify_wireless_ssid', { device_ids => $r2,
    ssid_id => $vap->{'.id'}, ssid => 'Guests' }, 'apply_wireless_plan',
    'wireless modify');
applied($r, 'wireless modify');
is(wlan('wlan-Guest-Net')->{ssid}, 'Guests', 'SSID changed');

($r) = run_plan('plan_remove_wireless_ssid', { device_ids => $r2,
    ssid_id => $vap->{'.id'} }, 'apply_wireless_plan', 'wireless remove');
applied($r, 'wireless remove');
ok(!wlan('wlan-Guest-Net'), 'virtual AP removed');

($r) = run_plan('plan_wireless_rf_settings', { device_ids => $r2,
    interface => 'wlan1', channel => 11, tx_power => 17 },
    'apply_wireless_plan', 'wireless rf');
applied($r, 'wireless rf');
is_deeply([ @{ wlan('wlan1') }{qw(frequency tx-power tx-power-mode)} ],
          [ '2462', '17', 'manual' ], 'wlan1 on 2462 MHz at 17 dBm');

sim_reset('127.0.0.3');
my $wl1 = wlan('wlan1');
degrade('127.0.0.3', '97');
($r) = run_plan('plan_wireless_rf_settings', { device_ids => $r2,
    interface => 'wlan1', channel => 1 }, 'apply_wireless_plan',
    'wireless rf, degraded');
degrade('127.0.0.3', '5');
rolled_back($r, 'wireless rf, degraded');
is(wlan('wlan1')->{frequency}, $wl1->{frequency}, 'wlan1 back on its channel');

sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = false, "
     . sprintf($flags, ('false') x 4));
done_testing();
