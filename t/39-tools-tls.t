#!/usr/bin/perl
# 39-tools-tls.t: HTTPS trust per device through the real path, against the
# simulator's HTTPS port (certificates made with the openssl CLI): a pinned
# SHA-256 certificate fingerprint or a CA file lets reads through; a wrong
# pin or another CA fails in the handshake, so no request (and no password)
# reaches the device, and is not retried; device add refuses bad input.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Path qw(make_path);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};
my $admin = ($ENV{BUILD} // 'build') . '/routeros-mcp-admin';
plan skip_all => "$admin not built" unless -x $admin;

my $R1 = '127.0.0.2';
my $tls_port = $ENV{SIM_PORT} + 362;
my $dir = "$ENV{MCP_VAR}/t39-tools-tls";
my @ids = map { "dev-t39-tls-$_" } qw(pin wrong-pin ca other-ca);
my ($PIN, $WRONG_PIN, $CA, $OTHER_CA) = @ids;
local $ENV{T39_TLS_PASSWORD} = $ENV{SIM_PASSWORD} // '';


sub openssl {
    my ($rc, $out) = run_cmd('openssl', @_);
    die "openssl @_: $out" if $rc != 0;
    return $out;
}

# A P-256 key and a certificate: self-signed CA, or signed by $ca for
# the address $ip (subjectAltName IP, as a device's www-ssl certificate).
sub make_cert {
    my ($name, $ca, $ip) = @_;
    my %c = (pem => "$dir/$name.pem", key => "$dir/$name.key");
    openssl(qw(genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256
               -out), $c{key});
    if (!$ca) {
        openssl(qw(req -x509 -days 2 -batch -key), $c{key}, '-out', $c{pem},
                '-subj', "/CN=$name");
        return \%c;
    }
    open(my $fh, '>', "$dir/$name.ext") or die $!;
    print {$fh} "subjectAltName=IP:$ip\nextendedKeyUsage=serverAuth\n";
    close $fh;
    openssl(qw(req -new -batch -key), $c{key}, '-out', "$dir/$name.csr",
            '-subj', "/CN=$name");
    openssl(qw(x509 -req -days 2 -in), "$dir/$name.csr", '-CA', $ca->{pem},
            '-CAkey', $ca->{key}, '-CAcreateserial', '-out', $c{pem},
            '-extfile', "$dir/$name.ext");
    return \%c;
}

# "AB:CD:…" as openssl prints the SHA-256 of the certificate's DER
sub fingerprint {
    my ($pem) = @_;
    my ($fp) = openssl(qw(x509 -noout -fingerprint -sha256 -in), $pem)
      =~ /=([0-9A-F:]+)$/m;
    return $fp;
}

sub add_device {
    my ($id, @trust) = @_;
    return run_cmd($admin, qw(device add --id), $id, '--name', $id, '--ip', $R1,
               '--port', $tls_port, qw(--scheme https --environment lab
               --username admin --password-env T39_TLS_PASSWORD), @trust);
}

sub remove_devices { run_cmd($admin, qw(device remove), $_) for @ids }

make_path($dir);
my $ca = make_cert('t39-ca');
my $other_ca = make_cert('t39-other-ca');
my $leaf = make_cert('t39-device', $ca, $R1);
my $fp = fingerprint($leaf->{pem});
(my $fp_hex = lc $fp) =~ s/://g;
(my $wrong_hex = lc fingerprint($other_ca->{pem})) =~ s/://g;

END {
    local $?;
    eval { remove_devices() };
    eval { sim_reset($R1) };
}
remove_devices();
sim_reset($R1);
my $identity = "t39-tls-$$";
MCPTest::_sim('POST', $R1, '/__sim/state',
              { menus => { '/system/identity' => { name => $identity } } });
my $version = sim_state($R1)->{menus}{'/system/resource'}{version};
my $tls = MCPTest::_sim('POST', $R1, '/__sim/tls',
    { port => $tls_port, cert => $leaf->{pem}, key => $leaf->{key} });
is_deeply($tls->{ports}, [$tls_port], "the simulator serves HTTPS on $tls_port");

# --- device add: trust options ------------------------------------------------
my ($rc, $out) = add_device($PIN, '--tls-fingerprint', $fp);
is($rc, 0, 'device add takes a colon-separated fingerprint') or diag $out;
($rc, $out) = add_device($WRONG_PIN, '--tls-fingerprint', $wrong_hex);
is($rc, 0, 'and a plain hex one') or diag $out;
($rc, $out) = add_device($CA, '--tls-ca-file', $ca->{pem});
is($rc, 0, 'device add takes a CA file') or diag $out;
($rc, $out) = add_device($OTHER_CA, '--tls-ca-file', $other_ca->{pem});
is($rc, 0, 'another CA file') or diag $out;

my %row = map { $_->[0] => [ @$_[1, 2] ] }
  psql("SELECT id, coalesce(tls_fingerprint_sha256, ''), "
       . "coalesce(tls_ca_file, '') FROM devices WHERE id LIKE 'dev-t39-tls-%'");
is_deeply(\%row, { $PIN => [ $fp_hex, '' ], $WRONG_PIN => [ $wrong_hex, '' ],
                   $CA => [ '', $ca->{pem} ],
                   $OTHER_CA => [ '', $other_ca->{pem} ] },
          'fingerprints stored as 64 lowercase hex digits, CA files as paths');

($rc, $out) = run_cmd($admin, qw(device list));
like($out, qr/^\Q$PIN\E\s.*https:\/\/\Q$R1:$tls_port\E\s.*\ssha256:$fp_hex$/m,
     'device list shows the pinned fingerprint');
like($out, qr/^\Q$CA\E\s.*\sca:\Q$ca->{pem}\E$/m, 'and the CA file');
like($out, qr/^dev-sim-r1\s.*\s-$/m, 'and "-" for a plain-HTTP device');
($rc, $out) = run_cmd($admin, qw(device list --json));
my ($j) = grep { $_->{id} eq $PIN } @{ json_decode($out) };
is($j->{tls_fingerprint_sha256}, $fp_hex, 'device list --json too');

my @bad = ('abc', substr($fp_hex, 0, 63), substr($fp_hex, 0, 63) . 'g',
           $fp_hex . '0', substr($fp, 1) . ':0', "SHA256:$fp_hex",
           join(':', unpack('(A4)*', $fp_hex)));
for my $in (@bad) {
    ($rc, $out) = add_device('dev-t39-tls-bad', '--tls-fingerprint', $in);
    is($rc, 2, "--tls-fingerprint '$in' is refused as a usage error");
    like($out, qr/--tls-fingerprint wants the SHA-256 of the device's certificate: 64 hex digits/,
         'naming the expected form');
}
is(psql_value("SELECT count(*) FROM devices WHERE id = 'dev-t39-tls-bad'"),
   0, 'no device was stored from bad input');
($rc, $out) = run_cmd($admin, qw(device add --id dev-t39-tls-bad --name
                  dev-t39-tls-bad --ip), $R1, qw(--scheme http --username admin
                  --password-env T39_TLS_PASSWORD --tls-fingerprint), $fp);
is($rc, 2, 'a fingerprint for a plain-HTTP device is refused');
like($out, qr/need --scheme https/, 'saying it needs https');
($rc, $out) = add_device('dev-t39-tls-bad', '--tls-fingerprint', $fp,
                         '--tls-ca-file', $ca->{pem});
is($rc, 2, 'a fingerprint and a CA file together are refused');
($rc, $out) = add_device('dev-t39-tls-bad', '--tls-ca-file', "$dir/none.pem");
is($rc, 1, 'a missing CA file is refused');
like($out, qr/none\.pem: No such file/, 'naming the file');
($rc, $out) = add_device('dev-t39-tls-bad', '--tls-ca-file', $leaf->{key});
is($rc, 1, 'a file without a PEM certificate is refused');

ok(psql_fails("UPDATE devices SET tls_fingerprint_sha256 = upper("
              . "tls_fingerprint_sha256) WHERE id = '$PIN'"),
   'the schema refuses a fingerprint that is not lowercase hex');
ok(psql_fails("UPDATE devices SET tls_ca_file = 'ca.pem' WHERE id = '$PIN'"),
   'and a pin together with a CA file');
ok(psql_fails("UPDATE devices SET rest_scheme = 'http' WHERE id = '$PIN'"),
   'and a pin on a plain-HTTP device');

# --- reads through the real path -----------------------------------------------
my $s = mcp_session();
$s->initialize('2025-11-25');
sub overview { return $s->call_tool('get_system_overview', { device_id => $_[0] }) }
sub clear { MCPTest::_sim('DELETE', $R1, '/__sim/requests') }
sub tls_stats { return MCPTest::_sim('GET', $R1, '/__sim/tls') }

clear();
my $r = overview($PIN);
my $p = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'the right pin: get_system_overview answers')
  or diag explain $r;
is($p->{system_identity}, $identity, 'with the identity the simulator holds');
is($p->{routeros_version}, $version, 'and its version');
my @seen = map { "$_->{scheme} $_->{method} $_->{path}" } @{ sim_requests($R1) };
ok(@seen && !grep({ !/^https GET \/rest\// } @seen),
   'every request went over HTTPS') or diag explain \@seen;
is(tls_stats()->{failed}, 0, 'no handshake failed');

clear();
$r = overview($WRONG_PIN);
ok($r->{result}{isError}, 'a wrong pin: a tool error') or diag explain $r;
like($r->{result}{content}[0]{text},
     qr/certificate fingerprint mismatch for \Q$WRONG_PIN\E: expected $wrong_hex, got $fp_hex/,
     'naming the device, the pin and what the device presented');
is($r->{result}{_meta}{failure_reason}, 'tls_failed',
   '_meta.failure_reason tls_failed');
is_deeply(sim_requests($R1), [], 'no request reached the device (no credentials sent)');
is_deeply([ @{ tls_stats() }{qw(handshakes failed)} ], [ 0, 1 ],
          'one refused handshake: a mismatch is not retried');

# Same address and port, different pins: connections are never shared.
my @order;
for my $round (1 .. 3) {
    for my $id ($PIN, $WRONG_PIN) {
        my $x = overview($id);
        push @order, ($x->{result}{isError} ? 'error' : 'ok');
    }
}
is("@order", 'ok error ok error ok error',
   'alternating the two devices: the right pin reads, the wrong pin fails');

# --- CA file -------------------------------------------------------------------
clear();
$r = overview($CA);
$p = $r->{result}{structuredContent};
ok(!$r->{result}{isError}, 'the CA that signed the certificate: answers')
  or diag explain $r;
is($p->{system_identity}, $identity, 'with the identity the simulator holds');
ok(scalar @{ sim_requests($R1) }, 'over HTTPS')
  and is(sim_requests($R1)->[0]{scheme}, 'https', 'the request was HTTPS');

clear();
$r = overview($OTHER_CA);
ok($r->{result}{isError}, 'another CA: a tool error') or diag explain $r;
like($r->{result}{content}[0]{text},
     qr/TLS verification of \Q$OTHER_CA\E \(\Q$R1:$tls_port\E\) failed against CA file \Q$other_ca->{pem}\E: SSL certificate problem/,
     'naming the device, the CA file and the certificate problem');
is($r->{result}{_meta}{failure_reason}, 'tls_failed',
   '_meta.failure_reason tls_failed');
is_deeply(sim_requests($R1), [], 'no request reached the device');
is(tls_stats()->{failed}, 1, 'one refused handshake, not retried');

done_testing();
