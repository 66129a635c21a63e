#!/usr/bin/perl
# 44-auth-config.t: nginx -t checks the edge-security directives: missing
# audience or keys, refused key types, and the warning when auth is off.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use Cwd qw(getcwd);
use IdP;

my $dir = getcwd() . "/var/t44-auth-config";
my $idp = IdP->new("$dir/idp");
$idp->write_jwks("$dir/idp/jwks.json");
open(my $fh, '>', "$dir/idp/hs.json") or die;
print $fh '{"keys":[{"kty":"oct","kid":"h","alg":"HS256","k":"c2VjcmV0"}]}';
close $fh;
open($fh, '>', "$dir/idp/mixed.json") or die;
my $ec = $idp->{keys}{ec256}{jwk};
print $fh JSON::PP->new->encode({ keys => [{ %$ec, alg => 'RS256' }] });
close $fh;

sub check {
    my ($body) = @_;
    return IdP::nginx_test_config($dir, "server { listen 127.0.0.1:1; $body }");
}

my ($ok, $out) = check("mcp_auth_audience http://a/mcp; mcp_auth_jwks_file $dir/idp/jwks.json;"
                       . " location /mcp { mcp_auth jwt; }");
ok($ok, 'jwt with audience and a JWKS file passes nginx -t') or diag $out;

($ok, $out) = check("location /mcp { mcp_auth jwt; mcp_auth_jwks_file $dir/idp/jwks.json; }");
ok(!$ok, 'jwt without an audience fails');
like($out, qr/mcp_auth_audience/, 'and says the audience is missing');

($ok, $out) = check("mcp_auth_audience http://a/mcp; location /mcp { mcp_auth jwt; }");
ok(!$ok, 'jwt without keys fails');
like($out, qr/mcp_auth_jwks_file/, 'and names the key directives');

($ok, $out) = check("mcp_auth_audience http://a/mcp; location /mcp { mcp_auth jwt; mcp_auth_jwks_file $dir/idp/hs.json; }");
ok(!$ok, 'a symmetric (HS256) key is refused');
like($out, qr/"(HS256|oct)" not accepted/, "with the reason");

($ok, $out) = check("mcp_auth_audience http://a/mcp; location /mcp { mcp_auth jwt; mcp_auth_jwks_file $dir/idp/mixed.json; }");
ok(!$ok, 'an EC key claiming RS256 is refused');
like($out, qr/does not fit/, 'with the reason');

($ok, $out) = IdP::nginx_test_config($dir, "server { listen 0.0.0.0:1; location /mcp { mcp_auth off; } }");
ok($ok, 'auth off is allowed');
like($out, qr/\[warn\].*"mcp_auth off" in .*nginx.conf:\d+ serves 0\.0\.0\.0:1 without bearer tokens/,
     'with a warning on a non-loopback listener');

($ok, $out) = check("location /mcp { mcp_auth off; }");
unlike($out, qr/\[warn\].*mcp_auth off/, 'no warning on loopback');

# an MCP endpoint runs without tokens only when told so
my $redis = "mcp_redis 127.0.0.1:6379; mcp_catalog " . getcwd() . "/shared/catalog/tools;";
($ok, $out) = IdP::nginx_test_config($dir, "$redis server { listen 127.0.0.1:1;"
                                     . " location /mcp { mcp_endpoint; } }");
ok(!$ok, 'an mcp_endpoint without mcp_auth fails nginx -t');
like($out, qr/\[emerg\].*mcp_auth must be set \(jwt\|introspect\|off\) for an mcp_endpoint location/,
     'and says mcp_auth must be set');

($ok, $out) = IdP::nginx_test_config($dir, "$redis server { listen 127.0.0.1:1; mcp_auth off;"
                                     . " location /mcp { mcp_endpoint; } }");
ok($ok, 'mcp_auth off inherited from the server is explicit enough') or diag $out;

($ok, $out) = IdP::nginx_test_config($dir, "$redis server { listen 0.0.0.0:1;"
                                     . " location /mcp { mcp_endpoint; mcp_auth off; } }");
ok($ok, 'an explicit mcp_auth off on a public listener passes') or diag $out;
like($out, qr/\[warn\].*"mcp_auth off" in .*nginx.conf:\d+ serves 0\.0\.0\.0:1 without bearer tokens/,
     'with the startup warning');

($ok, $out) = IdP::nginx_test_config($dir, "$redis server { listen 0.0.0.0:1;"
                                     . " location /static { return 204; } }");
ok($ok, 'a location that is not an MCP endpoint needs no mcp_auth') or diag $out;
unlike($out, qr/\[warn\].*mcp_auth/, 'and gets no warning');

($ok, $out) = check("mcp_auth_audience http://a/mcp; location /mcp { mcp_auth jwt;"
                    . " mcp_auth_jwks_file $dir/idp/jwks.json; mcp_auth_jwks_prefetch http://127.0.0.1:1/jwks; }");
ok(!$ok, 'a JWKS prefetch URL without mcp_auth_jwks_uri fails');
like($out, qr/"mcp_auth_jwks_prefetch" needs "mcp_auth_jwks_uri"/, 'and says why');

($ok, $out) = check("location /mcp { mcp_auth_jwks_prefetch https://idp/jwks; }");
ok(!$ok, 'a https:// prefetch URL is refused');
like($out, qr/must be a http:\/\/ URL/, 'pointing at a loopback TLS proxy');

($ok, $out) = check("location /mcp { mcp_limit_rule diagnostics per=device rate=10r/m burst=10; }");
ok($ok, 'a rate rule without a declared zone uses the default zone') or diag $out;

($ok, $out) = check("location /mcp { mcp_limit_rule diagnostics per=device rate=10r/h; }");
ok(!$ok, 'an invalid rate fails');

done_testing();
