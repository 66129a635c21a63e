#!/usr/bin/perl
# 47-auth-introspect-tls.t: introspection over TLS with certificate
# verification (a test CA made with the openssl CLI): a server the CA signed
# is used, one signed by another CA is refused before the token is sent.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Cwd qw(getcwd);
use IdP;

# + 8: clear of the stack's own ports (Redis is nginx + 10 = 18090)
my $port = ($ENV{MCP_AUTH_PORT} // 18085) + 8;
my $as_port = $port + 1;       # the introspection server (plain HTTP)
my $tls_port = $port + 2;      # TLS in front of it, certificate from our CA
my $dir  = getcwd() . "/var/t47-auth-introspect-tls";
my $aud  = "http://127.0.0.1:$port/mcp";
my $basic = encode_base64('mcp-server:s3cret', '');
IdP->new("$dir/idp");
my $ca = IdP::tls_ca("$dir/tls", 't47-ca');
my $rogue = IdP::tls_ca("$dir/tls", 't47-rogue-ca');
my $cert = IdP::tls_cert("$dir/tls", $ca, 'idp.test');
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

my %answers = (
    'tls-alice' => { active => JSON::PP::true, sub => 'alice', scope => 'mcp:read',
                     aud => $aud, exp => time + 3600 },
    'tls-rogue' => { active => JSON::PP::true, sub => 'mallory', scope => 'mcp:read',
                     aud => $aud, exp => time + 3600 },
);
my $as = IdP::introspection_server($as_port, \%answers, $basic, "$dir/idp/as.log");

my $proxy = <<"P";
            internal;
            proxy_set_header Authorization "Basic $basic";
            proxy_pass https://127.0.0.1:$tls_port/introspect;
            proxy_ssl_verify on;
            proxy_ssl_name idp.test;
            proxy_ssl_server_name on;
P
IdP::nginx_start($dir, $port, <<"CONF");
    server {
        listen 127.0.0.1:$tls_port ssl;
        ssl_certificate $cert->{pem};
        ssl_certificate_key $cert->{key};
        location / { proxy_pass http://127.0.0.1:$as_port; }
    }
    server {
        listen 127.0.0.1:$port;
        mcp_auth_audience $aud;
        location = /mcp {
            mcp_auth introspect;
            mcp_auth_introspect_uri /_introspect;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /mcp-rogue {
            mcp_auth introspect;
            mcp_auth_introspect_uri /_introspect_rogue;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /_introspect {
$proxy            proxy_ssl_trusted_certificate $ca->{pem};
        }
        # no TLS session of /_introspect may be resumed here: a resumed
        # session skips the certificate check
        location = /_introspect_rogue {
$proxy            proxy_ssl_trusted_certificate $rogue->{pem};
            proxy_ssl_session_reuse off;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir; kill 'TERM', $as if $as }

sub hit {
    my ($path, $t) = @_;
    return HTTP::Tiny->new(timeout => 5, keep_alive => 0)
        ->get("http://127.0.0.1:$port$path", { headers => { Authorization => "Bearer $t" } });
}

sub as_hits {
    my ($token) = @_;
    open(my $fh, '<', "$dir/idp/as.log") or return 0;
    return scalar grep { /^\Q$token\E auth=Basic / } <$fh>;
}

my $r = hit('/mcp', 'tls-alice');
is($r->{status}, 200, 'a token introspected over verified TLS is accepted') or diag $r->{content};
is($r->{content}, "ok\n", 'and the location answers');
is(as_hits('tls-alice'), 1, 'the introspection server got the token with the client credentials');

$r = hit('/mcp', 'tls-unknown');
is($r->{status}, 401, 'an inactive token over TLS: 401');

$r = hit('/mcp-rogue', 'tls-rogue');
is($r->{status}, 503, 'a server certificate our CA did not sign: 503, the token is not judged');
is(as_hits('tls-rogue'), 0, 'and the token never left nginx');
open(my $fh, '<', "$dir/logs/error.log") or die;
ok((grep { /upstream SSL certificate verify error/ } <$fh>),
   'the error log names the certificate verification');

done_testing();
