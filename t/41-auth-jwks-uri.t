#!/usr/bin/perl
# 41-auth-jwks-uri.t: keys fetched from a JWKS URL through a subrequest, and
# refetched when a token names a kid the worker has not seen (rotation).
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use Cwd qw(getcwd);
use Time::HiRes qw(sleep);
use IdP;

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $idp_port = $port + 1;
my $dir  = getcwd() . "/var/t41-auth-jwks-uri";
my $idp  = IdP->new("$dir/idp");
my $aud  = "http://127.0.0.1:$port/mcp";
$idp->write_jwks("$dir/idp/served.json", 'rsa1');
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

IdP::nginx_start($dir, $port, <<"CONF");
    log_format idp '\$request auth=[\$http_authorization]';
    server {
        listen 127.0.0.1:$idp_port;
        access_log $dir/logs/idp.log idp;
        location = /jwks { default_type application/json; alias $dir/idp/served.json; }
    }
    server {
        listen 127.0.0.1:$port;
        mcp_auth_audience $aud;
        mcp_auth_jwks_uri /_jwks;
        mcp_auth_jwks_min_refresh 1s;
        location = /mcp {
            mcp_auth jwt;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /_jwks {
            internal;
            proxy_pass http://127.0.0.1:$idp_port/jwks;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $http = HTTP::Tiny->new(timeout => 5);
my $url  = "http://127.0.0.1:$port/mcp";
my %c = (aud => $aud, sub => 'bob', scope => 'mcp:write', exp => time + 300);

# tokens minted first, so the requests follow each other closely
my %tok = map { $_ => $idp->token(kid => $_, claims => \%c) } qw(rsa1 ec256);

sub status_of {
    my ($kid) = @_;
    return $http->get($url, { headers => { Authorization => "Bearer $tok{$kid}" } })->{status};
}

is(status_of('rsa1'), 200, 'a token signed by the served key is accepted (first fetch)');
is(status_of('ec256'), 401, 'a kid the IdP does not publish is refused');

# rotation: the IdP now publishes ec256 as well
$idp->write_jwks("$dir/idp/served.json", 'rsa1', 'ec256');
sleep 1.2;
is(status_of('ec256'), 200, 'after rotation the new kid is fetched and accepted');
is(status_of('rsa1'), 200, 'the old key still works while published');

open(my $log, '<', "$dir/logs/idp.log") or die;
my @fetches = grep { m{^GET /jwks } } <$log>;
# first use and rotation; one more if the unknown kid came a second later
ok(@fetches >= 2 && @fetches <= 3, 'the IdP saw ' . scalar(@fetches) . ' JWKS fetches, no more');
is(scalar(grep { /auth=\[-\]/ } @fetches), scalar @fetches, 'no JWKS fetch carried the client token');

done_testing();
