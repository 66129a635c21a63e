#!/usr/bin/perl
# 36-tools-writes.t: the seven advanced-tier write tools over the real path,
# each change checked in the simulator, plus the write guard: gates, dry
# run, management-path protection, rollback on a failed health check, audit.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $IP    = '127.0.0.2';
my $DEV   = 't36-r1';      # sim-r1, advanced writes allowed
my $PROD  = 't36-prod';    # sim-r1 again, but registered in prod
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';

sub admin {
    my @args = @_;
    my $rc = system($admin, @args);
    return $rc == 0;
}

sub register {
    my ($id, $env) = @_;
    admin('device', 'remove', $id) if psql_value(
        "SELECT count(*) FROM devices WHERE id = '$id'");
    return admin('device', 'add', '--id', $id, '--name', $id, '--ip', $IP,
        '--port', $ENV{SIM_PORT}, '--scheme', 'http', '--environment', $env,
        '--username', 'admin', '--password-env', 'SIM_PASSWORD',
        '--allow-advanced-writes');
}

ok(register($DEV, 'lab'), "registered $DEV (lab, advanced writes)");
ok(register($PROD, 'prod'), "registered $PROD (prod, advanced writes)");
sim_reset($IP);
END {
    eval { sim_reset($IP) };
    eval { system($admin, 'device', 'remove', $_) } for ($DEV, $PROD);
}

my $s = mcp_session();
$s->initialize('2025-11-25');
sub call { return $s->call_tool(@_) }
sub menu { return sim_state($IP)->{menus}{ $_[0] } }
sub clear_requests {
    HTTP::Tiny->new->request('DELETE', sim_url($IP, '/__sim/requests'));
}
sub writes_seen {
    return grep { $_->{method} ne 'GET' && $_->{path} =~ m{^/rest/} }
           @{ sim_requests($IP) };
}
my $max_audit = psql_value('SELECT coalesce(max(id), 0) FROM audit_events');
# The newest DEVICE_WRITE row of tool: [result, meta(json), error_message]
sub audit_row {
    my ($tool) = @_;
    my @r = psql("SELECT result, meta::text, coalesce(error_message, '') "
        . "FROM audit_events WHERE action = 'DEVICE_WRITE' AND tool_name = "
        . "'$tool' AND device_id = '$DEV' AND id > $max_audit "
        . "ORDER BY id DESC LIMIT 1");
    return @r ? [ $r[0][0], json_decode($r[0][1]), $r[0][2] ] : undef;
}
sub ok_result {
    my ($r, $what) = @_;
    ok($r->{result} && !$r->{result}{isError}, "$what: not an error")
      or diag explain $r;
    return $r->{result}{structuredContent} // {};
}
sub invalid_ok {
    my ($name, $args, $field, $what) = @_;
    my $r = call($name, $args);
    is($r->{error}{code}, -32602, "$name: $what is -32602") or diag explain $r;
    like($r->{error}{message} // '', qr/\Q$field\E/,
         "$name: and the message names $field");
}

# --- set_system_identity --------------------------------------------------------
clear_requests();
my $r = call('set_system_identity',
             { device_id => $DEV, identity => 'edge-1', dry_run => JSON::PP::true });
my $p = ok_result($r, 'identity dry run');
is($p->{changed}, JSON::PP::false, 'dry run: changed false');
is($p->{planned_changes}[0]{fields}{name}, 'edge-1', 'dry run plans name=edge-1');
is(menu('/system/identity')->{name}, 'sim-r1', 'dry run: identity untouched');
is(scalar(writes_seen()), 0, 'dry run: no write request reached the device');

$r = call('set_system_identity', { device_id => $DEV, identity => 'edge-1' });
$p = ok_result($r, 'set identity');
is($p->{changed}, JSON::PP::true, 'changed true');
is($p->{old_identity}, 'sim-r1', 'old identity reported');
is(menu('/system/identity')->{name}, 'edge-1', 'simulator holds the new identity');
like($p->{snapshot_id} // '', qr/^snap-\d{14}-[0-9a-f]{8}$/, 'snapshot id reported');
my ($kind, $data, $sum) = @{ (psql("SELECT kind, convert_from(data, 'UTF8'), "
    . "checksum = encode(sha256(data), 'hex') FROM snapshots WHERE id = "
    . "'$p->{snapshot_id}'"))[0] // [] };
is($kind, '/system/identity', 'snapshot row holds the identity menu');
is(json_decode($data // '{}')->{data}{name}, 'sim-r1',
   'snapshot data is the value before the change');
is($sum, 't', 'snapshot checksum is the sha256 of its data');
my $a = audit_row('set_system_identity');
is($a->[0], 'SUCCESS', 'audit row: SUCCESS');
is($a->[1]{parameters}{identity}, 'edge-1', 'audit row carries the parameters');
is($a->[1]{snapshot_id}, $p->{snapshot_id}, 'audit row names the snapshot');

$r = call('set_system_identity', { device_id => $DEV, identity => 'edge-1' });
is(ok_result($r, 'same identity')->{changed}, JSON::PP::false,
   'same identity again: changed false');

# Health check fails after the write → automatic rollback.
sim_fault($IP, { mode => 'error500', paths => ['/rest/system/resource'] });
$r = call('set_system_identity', { device_id => $DEV, identity => 'broken' });
sim_fault($IP, { mode => 'ok' });
ok($r->{result}{isError}, 'failed health check: isError');
$p = $r->{result}{structuredContent};
is($p->{rolled_back}, JSON::PP::true, 'rolled_back true');
is($p->{changed}, JSON::PP::false, 'changed false after rollback');
like($r->{result}{content}[0]{text}, qr/health check.*rolled back to snapshot/,
     'text says the health check failed and the change was rolled back');
is(menu('/system/identity')->{name}, 'edge-1', 'simulator holds the original identity');
ok(grep({ $_->{method} eq 'PATCH' && ($_->{body}{name} // '') eq 'broken' }
        @{ sim_requests($IP) }), 'the new value had been written before the rollback');
$a = audit_row('set_system_identity');
is($a->[0], 'FAILURE', 'audit row of the rolled back write: FAILURE');
is($a->[1]{rolled_back}, JSON::PP::true, 'audit meta: rolled_back');

# Gates.
$r = call('set_system_identity', { device_id => $PROD, identity => 'x' });
ok($r->{error}, 'device in another environment: refused') or diag explain $r;
like($r->{error}{message} // '', qr/environment prod/, 'message names the environment');
$r = call('set_system_identity', { device_id => 'dev-sim-r1', identity => 'x' });
like($r->{error}{message} // '', qr/allow_advanced_writes/,
     'device without allow_advanced_writes: refused');
is(menu('/system/identity')->{name}, 'edge-1', 'refused calls changed nothing');
invalid_ok('set_system_identity', { device_id => $DEV, identity => '   ' },
           'identity', 'a blank identity');
invalid_ok('set_system_identity', { device_id => $DEV }, 'identity',
           'a missing identity');

# --- add_secondary_ip_address / remove_secondary_ip_address ---------------------------
my $before = menu('/ip/address');
clear_requests();
$r = call('add_secondary_ip_address', { device_id => $DEV, address => '10.77.0.1/24',
          interface => 'ether3', dry_run => JSON::PP::true });
is(ok_result($r, 'add dry run')->{changed}, JSON::PP::false, 'add dry run: changed false');
is_deeply(menu('/ip/address'), $before, 'add dry run: addresses untouched');
is(scalar(writes_seen()), 0, 'add dry run: no write request');

$r = call('add_secondary_ip_address', { device_id => $DEV, address => '10.77.0.1/24',
          interface => 'ether3', comment => 'by t36' });
$p = ok_result($r, 'add address');
my ($new) = grep { $_->{address} eq '10.77.0.1/24' } @{ menu('/ip/address') };
ok($new, 'simulator holds 10.77.0.1/24');
is($new->{interface}, 'ether3', 'on ether3');
is($new->{comment}, 'by t36', 'with the comment');
is($p->{address_id}, $new->{'.id'}, 'address_id is the new .id');
is(audit_row('add_secondary_ip_address')->[0], 'SUCCESS', 'add audited');

$r = call('add_secondary_ip_address', { device_id => $DEV, address => '192.168.88.7/24',
          interface => 'bridge1' });
ok($r->{result}{isError}, 'overlap with a static address on the same interface: refused');
like($r->{result}{content}[0]{text}, qr/overlaps.*192\.168\.88\.1\/24/, 'names the clash');
ok(!grep({ $_->{address} eq '192.168.88.7/24' } @{ menu('/ip/address') }),
   'overlapping address not added');
$r = call('add_secondary_ip_address', { device_id => $DEV, address => '127.0.0.9/16',
          interface => 'ether4' });
ok($r->{result}{isError}, 'a new network holding the management address: refused');
invalid_ok('add_secondary_ip_address', { device_id => $DEV, address => '10.1.1.1/40',
           interface => 'ether3' }, 'address', 'a bad prefix');
invalid_ok('add_secondary_ip_address', { device_id => $DEV, address => '10.1.1.1/24' },
           'interface', 'a missing interface');

clear_requests();
$r = call('remove_secondary_ip_address', { device_id => $DEV, address_id => $new->{'.id'},
          dry_run => JSON::PP::true });
is(ok_result($r, 'remove dry run')->{address}, '10.77.0.1/24', 'dry run names the address');
ok(grep({ $_->{'.id'} eq $new->{'.id'} } @{ menu('/ip/address') }), 'dry run: still there');
is(scalar(writes_seen()), 0, 'remove dry run: no write request');
$r = call('remove_secondary_ip_address', { device_id => $DEV, address_id => $new->{'.id'} });
is(ok_result($r, 'remove address')->{changed}, JSON::PP::true, 'removed: changed true');
ok(!grep({ $_->{'.id'} eq $new->{'.id'} } @{ menu('/ip/address') }),
   'simulator no longer holds it');
is(audit_row('remove_secondary_ip_address')->[0], 'SUCCESS', 'remove audited');

$r = call('remove_secondary_ip_address', { device_id => $DEV, address_id => '*1' });
ok($r->{result}{isError}, 'removing the management address: refused');
like($r->{result}{content}[0]{text}, qr/management address 127\.0\.0\.2/, 'says why');
ok(grep({ $_->{'.id'} eq '*1' } @{ menu('/ip/address') }), 'management address kept');
is(audit_row('remove_secondary_ip_address')->[0], 'FAILURE', 'refusal audited');
invalid_ok('remove_secondary_ip_address', { device_id => $DEV, address_id => 'bad id' },
           'address_id', 'a malformed id');

# Rollback of a removal re-creates the address.
call('add_secondary_ip_address', { device_id => $DEV, address => '10.78.0.1/24',
     interface => 'ether4' });
($new) = grep { $_->{address} eq '10.78.0.1/24' } @{ menu('/ip/address') };
sim_fault($IP, { mode => 'error500', paths => ['/rest/system/resource'] });
$r = call('remove_secondary_ip_address', { device_id => $DEV, address_id => $new->{'.id'} });
sim_fault($IP, { mode => 'ok' });
is($r->{result}{structuredContent}{rolled_back}, JSON::PP::true,
   'failed health check after a removal: rolled back');
ok(grep({ $_->{address} eq '10.78.0.1/24' && $_->{interface} eq 'ether4' }
        @{ menu('/ip/address') }), 'the address exists again');

# --- update_dns_servers / flush_dns_cache / update_ntp_servers ----------------------
clear_requests();
$r = call('update_dns_servers', { device_id => $DEV, dns_servers => ['8.8.8.8'],
          dry_run => JSON::PP::true });
is_deeply(ok_result($r, 'dns dry run')->{old_servers}, ['1.1.1.1', '9.9.9.9'],
          'dry run reports the current servers');
is(menu('/ip/dns')->{servers}, '1.1.1.1,9.9.9.9', 'dns dry run: untouched');
is(scalar(writes_seen()), 0, 'dns dry run: no write request');
$r = call('update_dns_servers', { device_id => $DEV, dns_servers => ['8.8.8.8', '8.8.4.4'] });
is(ok_result($r, 'update dns')->{changed}, JSON::PP::true, 'dns changed');
is(menu('/ip/dns')->{servers}, '8.8.8.8,8.8.4.4', 'simulator holds the new DNS servers');
is(audit_row('update_dns_servers')->[0], 'SUCCESS', 'dns update audited');
$r = call('update_dns_servers', { device_id => $DEV, dns_servers => ['8.8.4.4', '8.8.8.8'] });
is(ok_result($r, 'same dns set')->{changed}, JSON::PP::false, 'same set: no change');
invalid_ok('update_dns_servers', { device_id => $DEV, dns_servers => [] },
           'dns_servers', 'an empty list');

my $cached = scalar @{ menu('/ip/dns/cache') };
ok($cached > 0, "the cache holds $cached entries");
$r = call('flush_dns_cache', { device_id => $DEV });
is(ok_result($r, 'flush')->{entries_flushed}, $cached, 'reports the flushed entries');
is(scalar @{ menu('/ip/dns/cache') }, 0, 'simulator cache is empty');
is(audit_row('flush_dns_cache')->[0], 'SUCCESS', 'flush audited');
invalid_ok('flush_dns_cache', { device_id => $DEV, dry_run => JSON::PP::true },
           'dry_run', 'an unknown argument');

clear_requests();
$r = call('update_ntp_servers', { device_id => $DEV, ntp_servers => ['time.example.org'],
          enabled => JSON::PP::false, dry_run => JSON::PP::true });
ok_result($r, 'ntp dry run');
is(menu('/system/ntp/client')->{servers}, 'pool.ntp.org,time.cloudflare.com',
   'ntp dry run: untouched');
is(scalar(writes_seen()), 0, 'ntp dry run: no write request');
$r = call('update_ntp_servers', { device_id => $DEV, ntp_servers => ['time.example.org'],
          enabled => JSON::PP::false });
is(ok_result($r, 'update ntp')->{changed}, JSON::PP::true, 'ntp changed');
is(menu('/system/ntp/client')->{servers}, 'time.example.org', 'simulator holds the NTP server');
is(menu('/system/ntp/client')->{enabled}, 'false', 'and the client is disabled');
is(audit_row('update_ntp_servers')->[0], 'SUCCESS', 'ntp update audited');
invalid_ok('update_ntp_servers', { device_id => $DEV, ntp_servers => ['a b'] },
           'ntp_servers', 'a malformed host');

# --- update_firewall_address_list ---------------------------------------------
clear_requests();
$r = call('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-block',
          address => '198.51.100.9', dry_run => JSON::PP::true });
ok_result($r, 'address list dry run');
ok(!grep({ $_->{list} eq 'mcp-block' } @{ menu('/ip/firewall/address-list') }),
   'dry run: no entry');
is(scalar(writes_seen()), 0, 'address list dry run: no write request');
$r = call('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-block',
          address => '198.51.100.9', comment => 't36', timeout => '1d' });
$p = ok_result($r, 'add to address list');
my ($e) = grep { $_->{list} eq 'mcp-block' } @{ menu('/ip/firewall/address-list') };
is($e->{address}, '198.51.100.9', 'simulator holds the entry');
is($e->{comment}, 't36', 'with its comment');
is($p->{entry_id}, $e->{'.id'}, 'entry_id is its .id');
is(audit_row('update_firewall_address_list')->[0], 'SUCCESS', 'list add audited');
$r = call('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-block',
          address => '127.0.0.2' });
ok($r->{result}{isError}, 'the management address is never listed');
$r = call('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-block',
          address => '198.51.100.9', action => 'remove' });
is(ok_result($r, 'remove from list')->{changed}, JSON::PP::true, 'removed');
ok(!grep({ $_->{list} eq 'mcp-block' } @{ menu('/ip/firewall/address-list') }),
   'simulator no longer holds the entry');
$r = call('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-block',
          address => '198.51.100.9', action => 'remove' });
is(ok_result($r, 'remove absent')->{changed}, JSON::PP::false, 'absent entry: no change');
invalid_ok('update_firewall_address_list', { device_id => $DEV, list_name => 'blocklist',
           address => '198.51.100.9' }, 'list_name', 'a list without mcp-');
invalid_ok('update_firewall_address_list', { device_id => $DEV, list_name => 'mcp-x',
           address => '198.51.100.9', action => 'toggle' }, 'action', 'an unknown action');

done_testing();
