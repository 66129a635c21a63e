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

sim_reset($_) for @ips;
psql("UPDATE devices SET allow_professional_workflows = false, "
     . sprintf($flags, ('false') x 4));
done_testing();
