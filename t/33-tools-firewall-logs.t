#!/usr/bin/perl
# 33-tools-firewall-logs.t: the firewall and log read tools over the real
# path (MCP → nginx → Redis → agent → simulated RouterOS), every answer
# compared with the simulator's state; get_recent_logs filters checked on a
# log planted in the simulator.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $R1 = '127.0.0.2';
my $R2 = '127.0.0.3';
END { eval { sim_reset($_) } for ($R1, $R2) }

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

my $st = sim_state($R1)->{menus};

# --- list_firewall_filter_rules ---------------------------------------------
my $r = call('list_firewall_filter_rules', { device_id => 'dev-sim-r1' });
my $o = sc($r);
ok(!$r->{result}{isError}, 'filter rules: not an error');
is($o->{total_count}, scalar @{ $st->{'/ip/firewall/filter'} },
   'filter rules: total_count is the simulator rule count');
is_deeply([ map { [$_->{id}, $_->{chain}, $_->{action}, $_->{position}] }
            @{ $o->{rules} } ],
          [ map { [$st->{'/ip/firewall/filter'}[$_]{'.id'},
                   $st->{'/ip/firewall/filter'}[$_]{chain},
                   $st->{'/ip/firewall/filter'}[$_]{action}, $_] }
            0 .. $#{ $st->{'/ip/firewall/filter'} } ],
          'filter rules: ids, chains, actions in device order');
is($o->{rules}[0]{bytes}, $st->{'/ip/firewall/filter'}[0]{bytes} + 0,
   'filter rules: byte counters are JSON integers');
ok(JSON::PP::is_bool($o->{rules}[0]{disabled}) && !$o->{rules}[0]{disabled},
   'filter rules: disabled is a JSON boolean');
is_deeply($o->{rules}[0]{connection_state},
          [ split /,/, $st->{'/ip/firewall/filter'}[0]{'connection-state'} ],
          'filter rules: connection_state is a list');
like($r->{result}{content}[0]{text}, qr/^dev-sim-r1: 8 firewall filter rules$/,
     'filter rules: summary text');

$o = sc(call('list_firewall_filter_rules',
             { device_id => 'dev-sim-r1', limit => 3 }));
is_deeply([ $o->{returned_count}, $o->{total_count}, $o->{truncated} ? 1 : 0,
            scalar @{ $o->{rules} } ], [ 3, 8, 1, 3 ],
          'filter rules: limit 3 returns the first 3 of 8, truncated');
invalid('list_firewall_filter_rules', { device_id => 'dev-sim-r1',
        limit => 2001 }, 'limit', 'limit above 2000');

# --- list_firewall_nat_rules --------------------------------------------------
$o = sc(call('list_firewall_nat_rules', { device_id => 'dev-sim-r1' }));
my $nat = $st->{'/ip/firewall/nat'};
is($o->{total_count}, scalar @$nat, 'nat: total_count matches');
is_deeply([ map { [$_->{chain}, $_->{action}] } @{ $o->{rules} } ],
          [ map { [$_->{chain}, $_->{action}] } @$nat ],
          'nat: chains and actions in device order');
my ($dst) = grep { $_->{action} eq 'dst-nat' } @{ $o->{rules} };
is_deeply([ $dst->{to_addresses}, $dst->{to_ports}, $dst->{dst_port},
            $dst->{disabled} ? 1 : 0 ],
          [ '192.168.88.23', '80', '8080', 1 ],
          'nat: the disabled dst-nat rule with its target');
invalid('list_firewall_nat_rules', { device_id => 'bad id!' }, 'device_id',
        'a malformed device id');

# a device-side failure is an isError result naming the menu
sim_fault($R1, { mode => 'error500', paths => ['/ip/firewall/nat'] });
$r = call('list_firewall_nat_rules', { device_id => 'dev-sim-r1' });
sim_fault($R1, { mode => 'ok' });
ok($r->{result}{isError}, 'nat: a RouterOS 500 is an isError result');
is($r->{result}{_meta}{status_code}, 500, 'nat: _meta carries status 500');
is($r->{result}{_meta}{failure_reason}, 'server_error',
   'nat: failure_reason server_error');
like($r->{result}{content}[0]{text}, qr{/ip/firewall/nat on dev-sim-r1},
     'nat: the text names menu and device');

# --- list_firewall_address_lists ------------------------------------------------
my $al = $st->{'/ip/firewall/address-list'};
$o = sc(call('list_firewall_address_lists', { device_id => 'dev-sim-r1' }));
is($o->{total_count}, scalar @$al, 'address lists: every entry');
$o = sc(call('list_firewall_address_lists',
             { device_id => 'dev-sim-r1', list_name => 'blocklist' }));
is_deeply([ sort map { $_->{address} } @{ $o->{entries} } ],
          [ sort map { $_->{address} } grep { $_->{list} eq 'blocklist' } @$al ],
          'address lists: list_name keeps only that list');
is_deeply([ map { $_->{list_name} } @{ $o->{entries} } ],
          [ ('blocklist') x $o->{total_count} ],
          'address lists: list field is list_name');
$o = sc(call('list_firewall_address_lists',
             { device_id => 'dev-sim-r1', list_name => 'no-such-list' }));
is($o->{total_count}, 0, 'address lists: an unknown list has no entries');
invalid('list_firewall_address_lists', { device_id => 'dev-sim-r1',
        list_name => '' }, 'list_name', 'an empty list_name');

# --- get_logging_config ---------------------------------------------------------
my $lg = $st->{'/system/logging'};
$o = sc(call('get_logging_config', { device_id => 'dev-sim-r1' }));
is($o->{total_count}, scalar @$lg, 'logging: every rule');
is_deeply([ map { [ $_->{topics}, $_->{action} ] } @{ $o->{rules} } ],
          [ map { [ [ split /,/, $_->{topics} ], $_->{action} ] } @$lg ],
          'logging: topics (as lists) and actions');
invalid('get_logging_config', { device_id => 'dev-sim-r1', limit => 5 },
        'limit', 'an unknown argument');

# --- get_recent_logs on the factory log ------------------------------------------
# (every REST login adds a log entry on the device, so the simulator's log
# is read after the call and compared up to the tool's count)
my $before = scalar @{ sim_state($R2)->{menus}{'/log'} };
$o = sc(call('get_recent_logs', { device_id => 'dev-sim-r2', limit => 1000 }));
my $log = sim_state($R2)->{menus}{'/log'};
cmp_ok($o->{total_count}, '>=', $before, 'logs: every entry without filters');
is($o->{returned_count}, $o->{total_count}, 'logs: none held back');
is_deeply([ map { $_->{message} } @{ $o->{entries} } ],
          [ map { $_->{message} } @$log[0 .. $o->{total_count} - 1] ],
          'logs: messages, oldest first');
$o = sc(call('get_recent_logs', { device_id => 'dev-sim-r2',
                                  message => 'LOGIN FAILURE' }));
is_deeply([ map { $_->{message} } @{ $o->{entries} } ],
          [ map { $_->{message} } grep { $_->{message} =~ /login failure/i }
            @$log ], 'logs: message matches case-insensitively');
$o = sc(call('get_recent_logs', { device_id => 'dev-sim-r2',
                                  topics => ['dhcp', 'firewall'] }));
is_deeply([ map { $_->{message} } @{ $o->{entries} } ],
          [ map { $_->{message} }
            grep { $_->{topics} =~ /(^|,)(dhcp|firewall)(,|$)/ } @$log ],
          'logs: topics match any of the given ones');
is_deeply($o->{entries}[0]{topics},
          [ split /,/, (grep { $_->{topics} =~ /(^|,)(dhcp|firewall)(,|$)/ }
                        @$log)[0]{topics} ], 'logs: topics is a list');

# --- get_recent_logs time windows on a planted log -------------------------------
_sim_post_state($R2, { menus => { '/log' => [
    { time => '2024-01-02 10:00:00', topics => 'system,info',
      message => 'old boot' },
    { time => 'jan/03/2024 11:00:00', topics => 'firewall,info',
      message => 'drop ssh' },
    { time => '10:30:00', topics => 'dhcp,warning', message => 'Lease Offer' },
    { time => 'some day', topics => 'script,info', message => 'unparseable' },
] } });

sub msgs {
    my ($args) = @_;
    my $r = call('get_recent_logs', { device_id => 'dev-sim-r2', %$args });
    return [ map { $_->{message} } @{ sc($r)->{entries} } ];
}
is_deeply(msgs({ start_time => '2024-01-02 12:00:00',
                 end_time => '2024-01-03 12:00:00' }),
          [ 'drop ssh', 'unparseable' ],
          'logs: window across formats; unparseable entries pass');
is_deeply(msgs({ start_time => 'Jan/02/2024 09:00:00',
                 end_time => 'jan/02/2024 11:00:00' }),
          [ 'old boot', 'unparseable' ], 'logs: Mon/DD/YYYY bounds');
is_deeply(msgs({ start_time => '10:00:00', topics => ['dhcp', 'script'] }),
          [ 'Lease Offer', 'unparseable' ],
          'logs: HH:MM:SS means today on the device clock');
is_deeply(msgs({ end_time => '2024-01-02 10:00:00' }),
          [ 'old boot', 'unparseable' ], 'logs: end_time is inclusive');
$o = sc(call('get_recent_logs', { device_id => 'dev-sim-r2', limit => 2,
                                  topics => ['firewall', 'dhcp', 'script'] }));
is_deeply([ [ map { $_->{message} } @{ $o->{entries} } ], $o->{total_count},
            $o->{returned_count}, $o->{truncated} ? 1 : 0 ],
          [ [ 'Lease Offer', 'unparseable' ], 3, 2, 1 ],
          'logs: limit keeps the newest entries and reports truncation');

invalid('get_recent_logs', { device_id => 'dev-sim-r2',
        start_time => 'yesterday' }, 'start_time', 'an unparseable start_time');
invalid('get_recent_logs', { device_id => 'dev-sim-r2',
        start_time => '2024-02-01 00:00:00',
        end_time => '2024-01-01 00:00:00' }, 'start_time',
        'start_time after end_time');
invalid('get_recent_logs', { device_id => 'dev-sim-r2',
        topics => ['Not A Topic'] }, 'topics', 'a malformed topic');
invalid('get_recent_logs', { device_id => 'dev-sim-r2', limit => 1001 },
        'limit', 'limit above 1000');

# POST /__sim/state (MCPTest has GET only)
sub _sim_post_state {
    my ($ip, $body) = @_;
    my $res = HTTP::Tiny->new->request('POST', sim_url($ip, '/__sim/state'),
        { headers => { 'Content-Type' => 'application/json' },
          content => json_encode($body) });
    die "sim state: $res->{status}" unless $res->{success};
}

done_testing();
