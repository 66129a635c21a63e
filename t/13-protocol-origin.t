#!/usr/bin/perl
# 13-protocol-origin.t: DNS-rebinding defence: a foreign Origin is 403, a
# loopback listener refuses non-loopback Host names; mcp_allowed_origins.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use IO::Socket::INET;
use Cwd qw(getcwd);
use IdP;
use MCPTest;

my $init = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":'
         . '{"protocolVersion":"2025-11-25","capabilities":{},'
         . '"clientInfo":{"name":"t","version":"1"}}}';
my %json = ('Content-Type' => 'application/json',
            'Accept' => 'application/json, text/event-stream');
(my $port = $ENV{MCP_URL}) =~ s{.*:(\d+)/.*}{$1};

# HTTP::Tiny will not send a Host of our choosing: a raw request does
sub status_with_host {
    my ($host, %h) = @_;
    my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                     Timeout => 10) or die "connect: $!";
    my $head = join '', map { "$_: $h{$_}\r\n" } sort keys %h;
    print $sock "POST /mcp HTTP/1.1\r\nHost: $host\r\n$head"
              . "Content-Type: application/json\r\n"
              . "Accept: application/json, text/event-stream\r\n"
              . "Content-Length: " . length($init) . "\r\n"
              . "Connection: close\r\n\r\n$init";
    local $/;
    my $res = <$sock> // '';
    my ($status) = $res =~ m{^HTTP/1\.1 (\d+)};
    my ($body) = $res =~ m{\r\n\r\n(.*)}s;
    return ($status // 0, $body // '');
}

sub post_with {
    my ($url, %h) = @_;
    return raw_post(url => $url, body => $init, headers => { %json, %h });
}

my $url = $ENV{MCP_URL};
my $r = post_with($url);
is($r->{status}, 200, 'no Origin: allowed');
$r = post_with($url, Origin => "http://localhost:$port");
is($r->{status}, 200, 'loopback Origin: allowed without a list');
$r = post_with($url, Origin => 'http://127.0.0.1');
is($r->{status}, 200, 'http://127.0.0.1: allowed');
$r = post_with($url, Origin => 'http://evil.example.com');
is($r->{status}, 403, 'foreign Origin: 403');
is($r->{json}{error}{code}, -32000, 'foreign Origin: -32000');
like($r->{json}{error}{message}, qr/Origin/, 'message names Origin');
ok(!defined $r->{json}{id}, 'no id');
$r = post_with($url, Origin => 'http://localhost.evil.com');
is($r->{status}, 403, 'localhost.evil.com is not loopback: 403');
my ($st, $body) = status_with_host('evil.example.com',
                                   Origin => 'http://evil.example.com');
is($st, 403, 'foreign Host and Origin on a loopback listener: 403');
($st, $body) = status_with_host('evil.example.com');
is($st, 403, 'foreign Host without Origin: 403');
like($body, qr/invalid Host/, 'message names Host');
($st) = status_with_host("localhost:$port");
is($st, 200, 'Host localhost:<port>: allowed');
($st) = status_with_host('[::1]');
is($st, 200, 'Host [::1]: allowed');
($st) = status_with_host('127.0.0.1.evil.com');
is($st, 403, 'Host 127.0.0.1.evil.com: 403');
$r = raw_post(url => $url, method => 'DELETE',
              headers => { Origin => 'http://evil.example.com' });
is($r->{status}, 403, 'DELETE with a foreign Origin: 403');

# an explicit list replaces the loopback default
my $p2  = ($ENV{MCP_NGINX_PORT} // 18080) + 12;
my $dir = ($ENV{MCP_VAR} // getcwd() . '/var/test') . '/t13-origin';
my $root = $ENV{MCP_ROOT} // getcwd();
IdP::nginx_start($dir, $p2, <<"CONF");
    mcp_redis 127.0.0.1:$ENV{MCP_REDIS_PORT};
    mcp_catalog $root/shared/catalog/tools;
    server {
        listen 127.0.0.1:$p2;
        location = /mcp {
            mcp_endpoint;
            mcp_auth off;
            mcp_allowed_origins https://app.example.com http://localhost:3000;
        }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }
my $u2 = "http://127.0.0.1:$p2/mcp";
is(post_with($u2, Origin => 'https://app.example.com')->{status}, 200,
   'listed Origin: allowed');
is(post_with($u2, Origin => 'http://localhost:3000')->{status}, 200,
   'second listed Origin: allowed');
is(post_with($u2, Origin => 'http://localhost')->{status}, 403,
   'unlisted loopback Origin: 403 once a list is set');
is(post_with($u2, Origin => 'https://app.example.com:8443')->{status}, 403,
   'another port is another origin: 403');
is(post_with($u2)->{status}, 200, 'no Origin: still allowed');

done_testing();
