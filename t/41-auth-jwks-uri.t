#!/usr/bin/perl
# 41-auth-jwks-uri.t: keys fetched from a JWKS URL through a subrequest, and
# refetched when a token names a kid the worker has not seen (rotation);
# with mcp_auth_jwks_prefetch a timer fetches them without any traffic.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use Cwd qw(getcwd);
use Time::HiRes qw(sleep);
use IdP;
use MCPTest ();

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $idp_port = $port + 1;
my $timed_port = $port + 6;    # the server whose keys a timer refreshes
my $dir  = getcwd() . "/var/t41-auth-jwks-uri";
my $idp  = IdP->new("$dir/idp");
my $aud  = "http://127.0.0.1:$port/mcp";
$idp->write_jwks("$dir/idp/served.json", 'rsa1');
$idp->write_jwks("$dir/idp/timed.json", 'rsa1');
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

IdP::nginx_start($dir, $port, <<"CONF");
    log_format idp '\$request auth=[\$http_authorization] ua=[\$http_user_agent]';
    server {
        listen 127.0.0.1:$idp_port;
        access_log $dir/logs/idp.log idp;
        location = /jwks { default_type application/json; alias $dir/idp/served.json; }
        location = /timed { default_type application/json; alias $dir/idp/timed.json; }
    }
    server {
        listen 127.0.0.1:$timed_port;
        mcp_auth_audience $aud;
        mcp_auth_jwks_uri /_jwks;
        mcp_auth_jwks_prefetch http://127.0.0.1:$idp_port/timed;
        mcp_auth_jwks_refresh 1s;
        mcp_auth_jwks_min_refresh 300s;
        location = /mcp {
            mcp_auth jwt;
            default_type text/plain;
            alias $dir/ok.txt;
        }
        location = /_jwks {
            internal;
            proxy_pass http://127.0.0.1:$idp_port/timed;
        }
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

# --- mcp_auth_jwks_prefetch: refreshed by a timer, not by traffic
sub timed_fetches {
    open(my $l, '<', "$dir/logs/idp.log") or return ();
    return grep { m{^GET /timed } } <$l>;
}
my @timed = timed_fetches();
ok(@timed >= 1, 'the timer fetched the keys at start, before any request');
is(scalar(grep { /ua=\[routeros-mcp-jwks-prefetch\]/ } @timed), scalar @timed,
   'every one by the timer');
is(scalar(grep { /auth=\[-\]/ } @timed), scalar @timed, 'without any Authorization');

$idp->write_jwks("$dir/idp/timed.json", 'rsa1', 'ec256');
my $seen = @timed;
my $after = MCPTest::wait_for(sub { timed_fetches() >= $seen + 2 }, 10);
ok($after, 'with no traffic at all the timer refetched after the rotation');
my $timed_url = "http://127.0.0.1:$timed_port/mcp";
is($http->get($timed_url, { headers => { Authorization => "Bearer $tok{ec256}" } })->{status},
   200, 'the rotated kid is accepted');
is(scalar(grep { !/ua=\[routeros-mcp-jwks-prefetch\]/ } timed_fetches()), 0,
   'without a fetch on the request path (the keys were already there)');

done_testing();
