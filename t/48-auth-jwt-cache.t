#!/usr/bin/perl
# 48-auth-jwt-cache.t: verified JWTs kept in the mcp_auth_cache_zone: a
# repeated token is served from it in every worker, never past its exp, and
# never at a location checking another audience.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use Cwd qw(getcwd);
use IdP;

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $dir  = getcwd() . "/var/t48-auth-jwt-cache";
my $idp  = IdP->new("$dir/idp");
my $base = "http://127.0.0.1:$port";
my $iss  = "https://idp.test";
$idp->write_jwks("$dir/idp/jwks.json");
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

# two workers on one reuseport socket: fresh connections reach both
IdP::nginx_start($dir, $port, <<"CONF", 2);
    mcp_auth_cache_zone t48_tokens:1m;
    server {
        listen 127.0.0.1:$port reuseport;
        mcp_auth_issuer $iss;
        mcp_auth_jwks_file $dir/idp/jwks.json;
        mcp_auth_leeway 0;
        default_type text/plain;
        add_header X-Subject \$mcp_subject;
        location = /a {
            mcp_auth jwt;
            mcp_auth_audience $base/a;
            alias $dir/ok.txt;
        }
        location = /b {
            mcp_auth jwt;
            mcp_auth_audience $base/b;
            alias $dir/ok.txt;
        }
        location = /c {
            mcp_auth jwt;
            mcp_auth_audience $base/c;
            mcp_auth_jwt_cache_max 0;
            alias $dir/ok.txt;
        }
        location = /metrics { mcp_metrics; }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

sub get_with {
    my ($token, $path) = @_;
    return HTTP::Tiny->new(timeout => 5)->get("$base$path",
        { headers => { Authorization => "Bearer $token" } });
}

sub metric {
    my ($name) = @_;
    my $m = HTTP::Tiny->new(timeout => 5)->get("$base/metrics")->{content};
    return $m =~ /^\Q$name\E (\d+)$/m ? $1 : 0;
}

sub hits   { metric('mcp_auth_jwt_cache_total{outcome="hit"}') }
sub misses { metric('mcp_auth_jwt_cache_total{outcome="miss"}') }

my $now = time;
my $tok = $idp->token(kid => 'rsa1', claims => { iss => $iss, aud => "$base/a",
    sub => 'carol', scp => ['mcp:read'], exp => $now + 300 });

my $r = get_with($tok, '/a');
is($r->{status}, 200, 'first request: verified');
is($r->{headers}{'x-subject'}, 'carol', 'first request: subject from the token');
is(misses(), 1, 'first request: one cache miss');
is(hits(), 0, 'first request: no cache hit');

for my $i (1 .. 6) {
    $r = get_with($tok, '/a');
    is($r->{status}, 200, "repeat $i on a new connection: accepted");
    is($r->{headers}{'x-subject'}, 'carol', "repeat $i: subject from the cache");
}
is(hits(), 6, 'six repeats: six cache hits, whichever worker answered');
is(misses(), 1, 'and no further miss');

$r = get_with($tok, '/b');
is($r->{status}, 401, 'a token cached for /a is refused at /b (other audience)');
like($r->{headers}{'www-authenticate'} // '', qr/error_description="audience"/,
     '/b: refused for its audience');
is(hits(), 6, '/b: the cached /a entry was not used');
is(misses(), 2, '/b: looked up under its own key');

$r = get_with($tok, '/c');
is($r->{status}, 401, '/c (cache off) checks its own audience');
is(misses(), 2, '/c: mcp_auth_jwt_cache_max 0 does not look in the cache');

my $bad = $idp->token(kid => 'rsa1', claims => { iss => $iss, aud => "$base/a",
    sub => 'dave', scope => 'openid', exp => $now + 300 });
is(get_with($bad, '/a')->{status}, 403, 'a token without a mapped scope: 403');
is(get_with($bad, '/a')->{status}, 403, 'again 403: refusals are not cached');
is(hits(), 6, 'no hit for the refused token');

# exp a few seconds ahead; leeway 0
my $exp = time + 3;
my $short = $idp->token(kid => 'ec256', claims => { iss => $iss,
    aud => "$base/a", sub => 'erin', scope => 'mcp:read', exp => $exp });
is(get_with($short, '/a')->{status}, 200, 'short-lived token: accepted');
is(get_with($short, '/a')->{status}, 200, 'short-lived token: accepted again');
is(hits(), 7, 'short-lived token: the second request was a cache hit');

for (1 .. 50) {
    last if time > $exp;
    select(undef, undef, undef, 0.2);
}
ok(time > $exp, 'the token has expired');
$r = get_with($short, '/a');
is($r->{status}, 401, 'expired: 401 although it was cached');
like($r->{headers}{'www-authenticate'} // '', qr/error_description="expired"/,
     'expired: refused as expired');
is(hits(), 7, 'expired: not served from the cache');
like(HTTP::Tiny->new->get("$base/metrics")->{content},
     qr/^mcp_auth_failures_total\{reason="expired"\} 1$/m,
     'expired: counted as an expired token');

open(my $log, '<', "$dir/logs/error.log") or die;
my $errlog = do { local $/; <$log> };
unlike($errlog, qr/\[(alert|emerg)\]/, 'no alert in the error log');

my ($ok2, $out) = IdP::nginx_test_config("$dir/conf", "mcp_auth_jwt_cache_max 1m;"
    . " server { listen 127.0.0.1:1; mcp_auth_audience $base/a;"
    . " location /a { mcp_auth jwt; mcp_auth_jwks_file $dir/idp/jwks.json; } }");
ok(!$ok2, 'mcp_auth_jwt_cache_max without a zone fails nginx -t');
like($out, qr/\[emerg\].*"mcp_auth_jwt_cache_max" needs "mcp_auth_cache_zone"/,
     'and says it needs mcp_auth_cache_zone');
($ok2, $out) = IdP::nginx_test_config("$dir/conf", "mcp_auth_jwt_cache_max soon;");
ok(!$ok2, 'an invalid mcp_auth_jwt_cache_max fails nginx -t');

done_testing();
