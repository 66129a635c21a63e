#!/usr/bin/perl
# 40-auth-jwt.t: bearer JWT validation at the edge: every algorithm accepted
# with its key, every listed attack refused with the right status.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use JSON::PP;
use Cwd qw(getcwd);
use IdP qw(b64url);

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $dir  = getcwd() . "/var/t40-auth-jwt";
my $idp  = IdP->new("$dir/idp");
my $aud  = "http://127.0.0.1:$port/mcp";
my $iss  = "https://idp.test";
$idp->write_jwks("$dir/idp/jwks.json");
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

IdP::nginx_start($dir, $port, <<"CONF");
    server {
        listen 127.0.0.1:$port;
        mcp_auth_audience $aud;
        mcp_auth_issuer $iss;
        mcp_auth_jwks_file $dir/idp/jwks.json;
        mcp_auth_leeway 30s;
        mcp_auth_authorization_servers $iss;
        location = /mcp {
            mcp_auth jwt;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /.well-known/oauth-protected-resource/mcp {
            mcp_protected_resource_metadata;
        }
        location = /metrics { mcp_metrics; }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $http = HTTP::Tiny->new(timeout => 5);
my $url  = "http://127.0.0.1:$port/mcp";
my $now  = time;

sub claims { return { iss => $iss, aud => [$aud], sub => 'alice',
                      scope => 'mcp:read', exp => $now + 300, @_ } }

sub get_with {
    my ($token, $u) = @_;
    return $http->get($u // $url, { headers => { Authorization => "Bearer $token" } });
}

for my $kid (qw(rsa1 ps1 rsa512 ec256 ec384 ed1)) {
    my $r = get_with($idp->token(kid => $kid, claims => claims()));
    is($r->{status}, 200, "a valid $idp->{keys}{$kid}{alg} token is accepted");
}

my $r = $http->get($url);
is($r->{status}, 401, 'no token: 401');
is($r->{headers}{'www-authenticate'},
   qq{Bearer realm="mcp", resource_metadata="http://127.0.0.1:$port/.well-known/oauth-protected-resource/mcp"},
   'no token: challenge names the resource metadata, no error');

my %attacks = (
    'alg none'                   => $idp->unsigned_token('rsa1', claims()),
    'HS256 keyed with the RSA public key' => $idp->hs256_with_public_key('rsa1', claims()),
    'RS256 token under an ES256 key' => $idp->token(kid => 'ec256', alg => 'RS256', claims => claims()),
    'expired'                    => $idp->token(kid => 'rsa1', claims => claims(exp => $now - 120)),
    'not yet valid'              => $idp->token(kid => 'ec256', claims => claims(nbf => $now + 600)),
    'wrong issuer'               => $idp->token(kid => 'ed1', claims => claims(iss => 'https://evil.test')),
    'wrong audience'             => $idp->token(kid => 'rsa1', claims => claims(aud => 'http://other/mcp')),
    'unknown kid'                => $idp->token(kid => 'rsa1', header => { kid => 'nope' }, claims => claims()),
    'no exp'                     => $idp->token(kid => 'rsa1', claims => { iss => $iss, aud => $aud, sub => 'x', scope => 'mcp:read' }),
);

my $good = $idp->token(kid => 'rsa1', claims => claims());
my ($h, $p, $s) = split /\./, $good;
my $evil = b64url(JSON::PP->new->encode({ %{ claims() }, sub => 'mallory', scope => 'mcp:admin' }));
$attacks{'tampered payload'} = "$h.$evil.$s";
$attacks{'truncated token'}  = "$h.$p";
$attacks{'truncated signature'} = "$h.$p." . substr($s, 0, 20);

for my $name (sort keys %attacks) {
    my $r = get_with($attacks{$name});
    is($r->{status}, 401, "$name: 401");
    like($r->{headers}{'www-authenticate'} // '', qr/error="invalid_token"/,
         "$name: challenge says invalid_token");
}

my $other = $idp->token(kid => 'ec256', claims => claims());
$r = $http->get("$url?access_token=$other");
is($r->{status}, 401, 'a token in the query string is not accepted');

$r = get_with($idp->token(kid => 'rsa1', claims => claims(scope => 'openid profile')));
is($r->{status}, 403, 'a token without an mcp scope: 403');
like($r->{headers}{'www-authenticate'}, qr/error="insufficient_scope".*scope="mcp:read"/,
     '403 names the scope to ask for');

$r = $http->get("http://127.0.0.1:$port/.well-known/oauth-protected-resource/mcp");
is($r->{status}, 200, 'protected resource metadata is public');
my $prm = decode_json($r->{content});
is($prm->{resource}, $aud, 'metadata: resource is the audience');
is_deeply($prm->{authorization_servers}, [$iss], 'metadata: authorization servers');
is_deeply($prm->{scopes_supported}, [qw(mcp:read mcp:write mcp:admin)], 'metadata: scopes');
is_deeply($prm->{bearer_methods_supported}, ['header'], 'metadata: header only');

$r = $http->get("http://127.0.0.1:$port/metrics");
like($r->{content}, qr/^mcp_auth_failures_total\{reason="expired"\} 1$/m,
     'metrics count the expired token');
like($r->{content}, qr/^mcp_auth_failures_total\{reason="algorithm"\} \d+$/m,
     'metrics count algorithm refusals');

open(my $log, '<', "$dir/logs/error.log") or die;
my $errlog = do { local $/; <$log> };
unlike($errlog, qr/\Q$s\E/, 'the token signature never reaches the error log');
open($log, '<', "$dir/logs/access.log") or die;
my $acclog = do { local $/; <$log> };
unlike($acclog, qr/\Q$s\E/, 'nor the access log');

done_testing();
