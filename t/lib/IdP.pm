# IdP.pm: a local test identity provider (keys made with the openssl CLI,
# a JWKS, tokens minted per test) and a private nginx to put behind it.
package IdP;

use strict;
use warnings;
use File::Path qw(make_path remove_tree);
use MIME::Base64 qw(encode_base64);
use Digest::SHA qw(hmac_sha256);
use JSON::PP;
use IO::Socket::INET;
use Time::HiRes qw(sleep);
use Exporter 'import';

our @EXPORT_OK = qw(b64url);

my $json = JSON::PP->new->canonical;

sub b64url {
    my $s = encode_base64(shift, '');
    $s =~ tr{+/}{-_};
    $s =~ s/=+$//;
    return $s;
}

sub _run {
    my @cmd = @_;
    open(my $fh, '-|', @cmd) or die "@cmd: $!";
    binmode $fh;
    local $/;
    my $out = <$fh>;
    close $fh or die "@cmd failed";
    return $out;
}

sub _file {
    my ($path, $data) = @_;
    open(my $fh, '>', $path) or die "$path: $!";
    binmode $fh;
    print $fh $data;
    close $fh;
}

# new(dir): generates one key per algorithm family under dir.
sub new {
    my ($class, $dir) = @_;
    remove_tree($dir);
    make_path($dir);
    my $self = bless { dir => $dir, keys => {} }, $class;
    $self->add_key('rsa1', 'RS256', [qw(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)]);
    $self->add_key('ps1', 'PS256', [qw(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)]);
    $self->add_key('rsa512', 'RS512', [qw(-algorithm RSA -pkeyopt rsa_keygen_bits:2048)]);
    $self->add_key('ec256', 'ES256', [qw(-algorithm EC -pkeyopt ec_paramgen_curve:P-256)]);
    $self->add_key('ec384', 'ES384', [qw(-algorithm EC -pkeyopt ec_paramgen_curve:P-384)]);
    $self->add_key('ed1', 'EdDSA', [qw(-algorithm ED25519)]);
    return $self;
}

sub add_key {
    my ($self, $kid, $alg, $genopts) = @_;
    my $pem = "$self->{dir}/$kid.pem";
    _run('openssl', 'genpkey', '-quiet', @$genopts, '-out', $pem);
    my $der = _run('openssl', 'pkey', '-in', $pem, '-pubout', '-outform', 'DER');
    _file("$self->{dir}/$kid.pub.der", $der);
    my $jwk = { kid => $kid, use => 'sig' };
    if ($alg =~ /^(RS|PS)/) {
        my $mod = _run('openssl', 'rsa', '-in', $pem, '-noout', '-modulus');
        $mod =~ s/^Modulus=//; chomp $mod;
        %$jwk = (%$jwk, kty => 'RSA', alg => $alg, n => b64url(pack('H*', $mod)),
                 e => b64url("\x01\x00\x01"));
    } elsif ($alg =~ /^ES(\d+)/) {
        my $c = $1 == 256 ? 32 : 48;
        my $pt = substr($der, -(1 + 2 * $c));
        %$jwk = (%$jwk, kty => 'EC', crv => ($c == 32 ? 'P-256' : 'P-384'),
                 x => b64url(substr($pt, 1, $c)), y => b64url(substr($pt, 1 + $c)));
    } else {
        %$jwk = (%$jwk, kty => 'OKP', crv => 'Ed25519', x => b64url(substr($der, -32)));
    }
    $self->{keys}{$kid} = { alg => $alg, pem => $pem, jwk => $jwk,
                            pubpem => _run('openssl', 'pkey', '-in', $pem, '-pubout') };
    return $jwk;
}

# jwks(@kids): the JWKS JSON holding those keys (all when none given).
sub jwks {
    my ($self, @kids) = @_;
    @kids = sort keys %{ $self->{keys} } unless @kids;
    return $json->encode({ keys => [ map { $self->{keys}{$_}{jwk} } @kids ] });
}

sub write_jwks {
    my ($self, $path, @kids) = @_;
    _file($path, $self->jwks(@kids));
    return $path;
}

# DER ECDSA-Sig-Value -> raw R||S of c bytes each
sub _der_to_raw {
    my ($der, $c) = @_;
    my ($r, $s);
    my $i = 2;
    $i++ if ord(substr($der, 1, 1)) & 0x80;
    for my $v (\$r, \$s) {
        my $len = ord(substr($der, $i + 1, 1));
        my $int = substr($der, $i + 2, $len);
        $int =~ s/^\x00+//;
        $$v = ("\x00" x ($c - length $int)) . $int;
        $i += 2 + $len;
    }
    return $r . $s;
}

# sign_input(kid, input, alg): the JWS signature bytes
sub sign_input {
    my ($self, $kid, $input, $alg) = @_;
    my $k = $self->{keys}{$kid} or die "no key $kid";
    $alg //= $k->{alg};
    my $in = "$self->{dir}/input.$$";
    _file($in, $input);
    my $sig;
    if ($alg =~ /^RS(\d+)/) {
        $sig = _run('openssl', 'dgst', "-sha$1", '-sign', $k->{pem}, $in);
    } elsif ($alg eq 'PS256') {
        $sig = _run('openssl', 'dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss',
                    '-sigopt', 'rsa_pss_saltlen:digest', '-sign', $k->{pem}, $in);
    } elsif ($alg =~ /^ES(\d+)/) {
        $sig = _der_to_raw(_run('openssl', 'dgst', "-sha$1", '-sign', $k->{pem}, $in),
                           $1 == 256 ? 32 : 48);
    } elsif ($alg eq 'EdDSA') {
        $sig = _run('openssl', 'pkeyutl', '-sign', '-rawin', '-inkey', $k->{pem}, '-in', $in);
    } else {
        die "cannot sign $alg";
    }
    unlink $in;
    return $sig;
}

# token(kid => .., claims => {..}, header => {..}, alg => ..): a signed JWT.
# Default claims: the issuer/audience given to new_claims plus exp in 300 s.
sub token {
    my ($self, %o) = @_;
    my $k = $self->{keys}{ $o{kid} } or die "no key $o{kid}";
    my $alg = $o{alg} // $k->{alg};
    my $header = { alg => $alg, typ => 'JWT', kid => $o{kid}, %{ $o{header} // {} } };
    my $input = b64url($json->encode($header)) . '.' . b64url($json->encode($o{claims}));
    return $input . '.' . b64url($self->sign_input($o{kid}, $input, $alg));
}

# HS256 token whose HMAC secret is the RSA public key PEM (alg confusion)
sub hs256_with_public_key {
    my ($self, $kid, $claims) = @_;
    my $input = b64url($json->encode({ alg => 'HS256', typ => 'JWT', kid => $kid }))
                . '.' . b64url($json->encode($claims));
    return $input . '.' . b64url(hmac_sha256($input, $self->{keys}{$kid}{pubpem}));
}

sub unsigned_token {
    my ($self, $kid, $claims) = @_;
    return b64url($json->encode({ alg => 'none', typ => 'JWT', kid => $kid })) . '.'
           . b64url($json->encode($claims)) . '.';
}

# introspection_server(port, \%answers, $basic, $log): an RFC 7662 endpoint
# in a child process. answers maps token -> response hash; unknown tokens
# are {"active":false}; a wrong client credential gets 401. Each request's
# token and Authorization header are appended to log. Returns the pid.
sub introspection_server {
    my ($port, $answers, $basic, $log) = @_;
    my $srv = IO::Socket::INET->new(LocalAddr => "127.0.0.1:$port", Listen => 16,
                                    ReuseAddr => 1) or die "listen $port: $!";
    my $pid = fork // die "fork: $!";
    if ($pid) {
        close $srv;
        return $pid;
    }
    while (my $c = $srv->accept) {
        my ($head, $body) = ('', '');
        while (my $line = <$c>) {
            $head .= $line;
            last if $line eq "\r\n";
        }
        my ($len) = $head =~ /^content-length:\s*(\d+)/mi;
        read($c, $body, $len) if $len;
        my ($auth) = $head =~ /^authorization:\s*(.*?)\r$/mi;
        my %form = map { my ($k, $v) = split /=/, $_, 2; $v //= '';
                         $v =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge; ($k, $v) } split /&/, $body;
        open(my $lf, '>>', $log);
        print $lf ($form{token} // '') . " auth=" . ($auth // '-') . "\n";
        close $lf;
        my ($status, $out) = (200, { active => JSON::PP::false });
        if (($auth // '') ne "Basic $basic") {
            ($status, $out) = (401, { error => 'invalid_client' });
        } elsif (my $a = $answers->{ $form{token} // '' }) {
            $out = $a;
        }
        my $json_out = $json->encode($out);
        print $c "HTTP/1.1 $status X\r\nContent-Type: application/json\r\n"
                 . "Content-Length: " . length($json_out) . "\r\nConnection: close\r\n\r\n$json_out";
        close $c;
    }
    exit 0;
}

# --- TLS: a test CA and server certificates (openssl CLI) ------------------

# tls_ca(dir, name): a self-signed CA; returns {pem, key}
sub tls_ca {
    my ($dir, $name) = @_;
    make_path($dir);
    my %ca = (pem => "$dir/$name.pem", key => "$dir/$name.key");
    _run('openssl', 'genpkey', '-quiet', '-algorithm', 'RSA', '-out', $ca{key});
    _run('openssl', 'req', '-x509', '-key', $ca{key}, '-days', '2',
         '-out', $ca{pem}, '-subj', "/CN=$name", '-batch');
    return \%ca;
}

# tls_cert(dir, ca, host): a server certificate for DNS name host signed by
# ca; returns {pem, key}
sub tls_cert {
    my ($dir, $ca, $host) = @_;
    my %c = (pem => "$dir/$host.pem", key => "$dir/$host.key");
    _file("$dir/$host.ext", "subjectAltName=DNS:$host\nextendedKeyUsage=serverAuth\n");
    _run('openssl', 'genpkey', '-quiet', '-algorithm', 'RSA', '-out', $c{key});
    _run('openssl', 'req', '-new', '-key', $c{key},
         '-out', "$dir/$host.csr", '-subj', "/CN=$host", '-batch');
    _run('openssl', 'x509', '-req', '-in', "$dir/$host.csr", '-CA', $ca->{pem},
         '-CAkey', $ca->{key}, '-CAcreateserial', '-days', '2', '-out', $c{pem},
         '-extfile', "$dir/$host.ext");
    return \%c;
}

# --- a private nginx --------------------------------------------------------

sub module_so {
    my $build = $ENV{BUILD} // 'build';
    return $ENV{MCP_MODULE_SO} // "$build/module/ngx_mcp_module.so";
}

# nginx_start(dir, port, http_body, workers): runs nginx with the module
sub nginx_start {
    my ($dir, $port, $http, $workers) = @_;
    remove_tree("$dir/logs");
    make_path("$dir/logs");
    my $so = module_so();
    $so = "$ENV{PWD}/$so" unless $so =~ m{^/};
    $workers //= 1;
    _file("$dir/nginx.conf", <<"CONF");
load_module $so;
worker_processes $workers;
daemon on;
master_process on;
pid $dir/nginx.pid;
error_log $dir/logs/error.log info;
events { worker_connections 256; }
http {
    access_log $dir/logs/access.log;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
$http
}
CONF
    system('nginx', '-q', '-p', $dir, '-c', "$dir/nginx.conf") == 0
        or die "nginx failed to start: " . `tail -5 $dir/logs/error.log`;
    for (1 .. 50) {
        my $s = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port", Timeout => 1);
        return 1 if $s;
        sleep 0.1;
    }
    die "nginx not listening on $port";
}

sub nginx_stop {
    my ($dir) = @_;
    open(my $fh, '<', "$dir/nginx.pid") or return;
    my $pid = <$fh>;
    chomp $pid;
    kill 'QUIT', $pid;
    for (1 .. 50) {
        last unless kill 0, $pid;
        sleep 0.1;
    }
}

sub nginx_test_config {
    my ($dir, $http) = @_;
    make_path("$dir/logs");
    my $so = module_so();
    $so = "$ENV{PWD}/$so" unless $so =~ m{^/};
    _file("$dir/nginx.conf", "load_module $so;\npid $dir/nginx.pid;\n"
          . "error_log $dir/logs/error.log info;\nevents {}\nhttp {\n$http\n}\n");
    my $out = `nginx -t -p $dir -c $dir/nginx.conf 2>&1`;
    return ($? == 0, $out);
}

1;
