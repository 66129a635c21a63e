#!/usr/bin/perl
# 38-tools-ssh.t: device reads over SSH through the real path: RouterOS v6
# (dev-sim-v6, SSH only), REST down → SSH fallback, TOFU host keys, pins
# enforced, hostile arguments never reaching the console unquoted.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $log = "$ENV{MCP_VAR}/sshd/commands.log";
plan skip_all => 'no SSH consoles in this stack (needs root)' unless -e $log;

my $root = $ENV{MCP_ROOT} // '.';
my $build = $ENV{BUILD} // 'build';
$build = "$root/$build" unless $build =~ m{^/};
my $admin = "$build/routeros-mcp-admin";
my $V6 = '127.0.0.5';
my $R1 = '127.0.0.2';

my $s = mcp_session();
$s->initialize('2025-11-25');
sub call { return $s->call_tool(@_) }
sub sc { return $_[0]{result}{structuredContent} }
sub log_lines {
    open my $f, '<', $log or die "$log: $!";
    return map { json_decode($_) } <$f>;
}
sub admin {
    my $out = `$admin @_ 2>&1`;
    return ($? >> 8, $out);
}
END {
    local $?;
    eval { sim_reset($R1) };
    system("$admin device remove dev-sim-r1s >/dev/null 2>&1") if $admin;
}

my @fps = map { (`ssh-keygen -lf $ENV{MCP_VAR}/sshd/host_$_.pub` =~ /(SHA256:\S+)/)[0] }
          qw(ed25519 rsa);
my $v6 = sim_state($V6)->{menus};

# --- RouterOS v6 over SSH, host key recorded on first use -------------------
psql("UPDATE devices SET ssh_host_key_sha256 = NULL, "
     . "ssh_host_key_recorded_at = NULL WHERE id = 'dev-sim-v6'");
like(psql_value("SELECT routeros_version FROM devices WHERE id = 'dev-sim-v6'"),
     qr/^6\.49\./, 'device add detected RouterOS 6 over SSH');
my $r = call('get_system_overview', { device_id => 'dev-sim-v6' });
ok(!$r->{result}{isError}, 'get_system_overview on the v6 device')
    or diag explain $r;
my $o = sc($r);
is($o->{routeros_version}, $v6->{'/system/resource'}{version},
   "version $v6->{'/system/resource'}{version} from the simulator");
is($o->{system_identity}, $v6->{'/system/identity'}{name}, 'identity sim-v6');
is($o->{memory_total_bytes}, $v6->{'/system/resource'}{'total-memory'},
   'total memory in bytes (256.0MiB on the console)');
is($o->{transport}, 'ssh', 'structuredContent.transport ssh');
is($r->{result}{_meta}{transport}, 'ssh', '_meta.transport ssh');
ok(!$r->{result}{_meta}{fallback_used}, 'v6 goes straight to SSH: no fallback');
my $pin = psql_value("SELECT ssh_host_key_sha256 || ' ' || "
    . "(ssh_host_key_recorded_at IS NOT NULL) FROM devices WHERE id = 'dev-sim-v6'");
my ($fp) = split / /, $pin // '';
ok((grep { $_ eq $fp } @fps), "host key recorded on first use ($fp)");
like($pin, qr/ (t|true)$/, 'with its recording time');

my @runs = log_lines();
is_deeply([ map { $_->{command} } @runs[-2, -1] ],
          ['/system resource print', '/system identity print'],
          'the console saw the two allow-listed print commands');

$r = call('list_ip_addresses', { device_id => 'dev-sim-v6' });
ok(!$r->{result}{isError}, 'list_ip_addresses on the v6 device');
is_deeply([ sort map { $_->{address} } @{ sc($r)->{addresses} } ],
          [ sort map { $_->{address} } @{ $v6->{'/ip/address'} } ],
          'addresses equal the simulator state');
is_deeply([ sort map { $_->{interface} } @{ sc($r)->{addresses} } ],
          [ sort map { $_->{interface} } @{ $v6->{'/ip/address'} } ],
          'with their interfaces');
is(sc($r)->{transport}, 'ssh', 'over ssh');
is($runs[-1]{command}, '/system identity print', 'previous run');
is((log_lines())[-1]{command}, '/ip address print as-value',
   'collections are read with print as-value');

$r = call('device_health', { device_id => 'dev-sim-v6' });
is(sc($r)->{status}, 'healthy', 'device_health of the v6 device: healthy');
is(sc($r)->{cpu_usage_percent}, $v6->{'/system/resource'}{'cpu-load'},
   'cpu load from the console');

# --- a changed host key is refused before login ------------------------------
my $n = () = log_lines();
psql("UPDATE devices SET ssh_host_key_sha256 = 'SHA256:" . ('A' x 43)
     . "' WHERE id = 'dev-sim-v6'");
$r = call('get_system_overview', { device_id => 'dev-sim-v6' });
ok($r->{result}{isError}, 'pinned key differs: isError');
like($r->{result}{content}[0]{text}, qr/host key changed/, 'host key changed');
is($r->{result}{_meta}{failure_reason}, 'host_key_mismatch',
   'failure_reason host_key_mismatch');
is(scalar(() = log_lines()), $n, 'no command ran on the device');
is(psql_value("SELECT ssh_host_key_sha256 FROM devices WHERE id = 'dev-sim-v6'"),
   'SHA256:' . ('A' x 43), 'the pin is not overwritten');
psql("UPDATE devices SET ssh_host_key_sha256 = '$fp' WHERE id = 'dev-sim-v6'");
$r = call('get_system_overview', { device_id => 'dev-sim-v6' });
ok(!$r->{result}{isError}, 'restored pin: answers again');

# --- REST down → SSH fallback -----------------------------------------------
my ($rc, $out) = admin(qw(device add --id dev-sim-r1s --name sim-r1s --ip),
    $R1, '--port', $ENV{SIM_PORT}, qw(--scheme http --environment lab
    --username admin --password-env SIM_PASSWORD --ssh-username rosadmin
    --ssh-password-env SIM_SSH_PASSWORD --ssh-port), $ENV{SIM_SSH_PORT});
is($rc, 0, 'device add with REST and an SSH password') or diag $out;
is(psql_value("SELECT string_agg(credential_type, ',' ORDER BY credential_type) "
              . "FROM credentials WHERE device_id = 'dev-sim-r1s' AND active"),
   'rest,ssh', 'two credentials stored');
is(psql_value("SELECT routeros_version FROM devices WHERE id = 'dev-sim-r1s'"),
   '', 'REST answers: no v6 detected');
unlike(psql_value("SELECT encode(secret_ciphertext, 'escape') FROM credentials "
                  . "WHERE device_id = 'dev-sim-r1s' AND credential_type = 'ssh'"),
       qr/rosadmin-sim/, 'SSH password encrypted');

$r = call('list_interfaces', { device_id => 'dev-sim-r1s' });
is(sc($r)->{transport}, 'rest', 'REST up: transport rest');
ok(!$r->{result}{_meta}{fallback_used}, 'no fallback');
my $via_rest = sc($r)->{interfaces};

sim_fault($R1, { mode => 'down' });
my $r1 = sim_state($R1)->{menus}{'/interface'};
$r = call('list_interfaces', { device_id => 'dev-sim-r1s' });
ok(!$r->{result}{isError}, 'REST down: list_interfaces still answers')
    or diag explain $r;
is(sc($r)->{transport}, 'ssh', 'transport ssh');
ok(sc($r)->{fallback_used}, 'fallback_used true');
like(sc($r)->{rest_error}, qr/network_error/, 'rest_error names the REST failure');
is($r->{result}{_meta}{transport}, 'ssh', '_meta.transport ssh');
is_deeply([ map { [ $_->{id}, $_->{name}, $_->{type}, $_->{'mac_address'} ] }
            @{ sc($r)->{interfaces} } ],
          [ map { [ $_->{'.id'}, $_->{name}, $_->{type}, $_->{'mac-address'} ] }
            @$r1 ],
          'ids, names, types and MACs equal the simulator state');
is_deeply(sc($r)->{interfaces}, $via_rest,
          'every typed field equals the REST answer');
is_deeply([ map { $_->{disabled} ? 1 : 0 } @{ sc($r)->{interfaces} } ],
          [ map { $_->{disabled} eq 'true' ? 1 : 0 } @$r1 ],
          'disabled flags too');

$r = call('get_interface', { device_id => 'dev-sim-r1s',
                             interface_id => $r1->[1]{'.id'} });
is(sc($r)->{interface}{name}, $r1->[1]{name},
   "get_interface $r1->[1]{'.id'} over SSH: $r1->[1]{name}");
$r = call('get_interface', { device_id => 'dev-sim-r1s', interface_id => 'ether3' });
is(sc($r)->{interface}{id}, (grep { $_->{name} eq 'ether3' } @$r1)[0]{'.id'},
   'get_interface by name over SSH');

$r = call('check_connectivity', { device_id => 'dev-sim-r1s' });
$o = sc($r);
ok($o->{reachable}, 'check_connectivity: reachable over SSH');
is_deeply($o->{attempted_transports}, ['rest', 'ssh'], 'attempted rest, ssh');
is($o->{transport}, 'ssh', 'transport ssh');
ok(defined $o->{ssh_time_ms} && $o->{ssh_time_ms} >= 0, 'ssh_time_ms given');
is($o->{routeros_version}, sim_state($R1)->{menus}{'/system/resource'}{version},
   'version read over SSH');
sim_fault($R1, { mode => 'ok' });

# --- hostile arguments ------------------------------------------------------
$r = call('get_interface', { device_id => 'dev-sim-r1s',
                             interface_id => 'foo"] ; /system reboot;' });
is($r->{error}{code}, -32602, 'injection-looking interface_id: -32602');
like($r->{error}{message}, qr/interface_id/, 'naming interface_id');

$n = () = log_lines();
$r = call('list_firewall_address_lists',
          { device_id => 'dev-sim-v6', list_name => 'x" ; /system reboot ; "' });
ok(!$r->{result}{isError}, 'a hostile list_name passing the schema is answered');
is(sc($r)->{total_count}, 0, 'and matches nothing');
@runs = (log_lines())[$n .. scalar(() = log_lines()) - 1];
is_deeply([ map { @{ $_->{executed} } } @runs ],
          ['/ip firewall address-list print as-value'],
          'the console ran only the allow-listed print, no reboot');
is(scalar(grep { /reboot/ } map { $_->{command} } log_lines()), 0,
   'no command sent by the agent ever held the payload');

($rc) = admin(qw(device remove dev-sim-r1s));
is($rc, 0, 'temporary device removed');

done_testing();
