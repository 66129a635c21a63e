#!/usr/bin/perl
# 42-ratelimit-http.t: per-subject leaky buckets in a shared zone: the same
# budget holds across two workers, survives a reload, and answers 429.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use HTTP::Tiny;
use Cwd qw(getcwd);
use Time::HiRes qw(sleep);
use IdP;

my $port = $ENV{MCP_AUTH_PORT} // 18085;
my $dir  = getcwd() . "/var/t42-ratelimit-http";
my $idp  = IdP->new("$dir/idp");
my $aud  = "http://127.0.0.1:$port/mcp";
$idp->write_jwks("$dir/idp/jwks.json", 'ec256');
open(my $ok, '>', "$dir/ok.txt") or die;
print $ok "ok\n";
close $ok;

IdP::nginx_start($dir, $port, <<"CONF", 2);
    mcp_limit_zone zone=mcp_limits:1m;
    log_format pid '\$pid \$status';
    server {
        listen 127.0.0.1:$port reuseport;
        access_log $dir/logs/pid.log pid;
        mcp_auth_audience $aud;
        mcp_auth_jwks_file $dir/idp/jwks.json;
        location = /mcp {
            mcp_auth jwt;
            mcp_limit_rule http per=subject rate=1r/m burst=6;
            default_type text/plain;
            alias $dir/ok.txt;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $url = "http://127.0.0.1:$port/mcp";
sub token { $idp->token(kid => 'ec256', claims => { aud => $aud, sub => shift,
                                                     scope => 'mcp:read', exp => time + 300 }) }
my $carol = token('carol');

# a new connection per request, so the two workers share the load
sub hit {
    my ($t) = @_;
    return HTTP::Tiny->new(timeout => 5, keep_alive => 0)
        ->get($url, { headers => { Authorization => "Bearer $t" } });
}

my @status = map { hit($carol)->{status} } 1 .. 12;
is(scalar(grep { $_ == 200 } @status), 6, 'six calls fit the burst of six');
is(scalar(grep { $_ == 429 } @status), 6, 'the other six are refused with 429');

my $r = hit($carol);
is($r->{status}, 429, 'still limited');
like($r->{headers}{'retry-after'} // '', qr/^\d+$/, 'Retry-After is given in seconds');
cmp_ok($r->{headers}{'retry-after'}, '>=', 1, 'Retry-After says when to come back');
cmp_ok($r->{headers}{'retry-after'}, '<=', 60, 'within one leak interval');

is(hit(token('dave'))->{status}, 200, 'another subject has its own bucket');

# reuseport spreads connections over the workers; go on until both refused
sub refusing_workers {
    open(my $log, '<', "$dir/logs/pid.log") or return 0;
    my %pids = map { my ($pid, $st) = split; $st == 429 ? ($pid => 1) : () } <$log>;
    return scalar keys %pids;
}
my ($more, $refused) = (0, 0);
while (refusing_workers() < 2 && $more < 40) {
    $more++;
    $refused++ if hit($carol)->{status} == 429;
}
is(refusing_workers(), 2, 'both workers enforce the same bucket');
is($refused, $more, 'no worker let carol through');

# reload: same zone name and size, so the buckets survive
open(my $pf, '<', "$dir/nginx.pid") or die;
my $master = <$pf>;
chomp $master;
kill 'HUP', $master;
sleep 1;
is(hit($carol)->{status}, 429, 'the bucket survives a reload');

done_testing();
