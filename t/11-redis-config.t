#!/usr/bin/perl
# 11-redis-config.t: nginx -t accepts mcp_redis as IP:port, [IPv6]:port or
# unix:/path, and refuses host names (blocking DNS) and incomplete setups.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp qw(tempdir);
use MCPTest;

my $root = $ENV{MCP_ROOT} // "$FindBin::Bin/..";
my $build = $ENV{BUILD} // 'build';
my $so = ($build =~ m{^/} ? $build : "$root/$build")
         . '/module/ngx_mcp_module.so';
plan skip_all => "$so not built" unless -f $so;

# a sanitizer build of the module needs its runtime loaded first
my $preload = '';
if (`readelf -d $so 2>/dev/null` =~ /NEEDED.*libasan/) {
    my $lib = `gcc -print-file-name=libasan.so`;
    chomp $lib;
    $preload = "LD_PRELOAD=$lib ASAN_OPTIONS=detect_leaks=0 ";
}

my $dir = tempdir(CLEANUP => 1, DIR => $ENV{MCP_VAR} // '/tmp');

# nginx_t($http_directives, $location_directives) → (ok, output)
sub nginx_t {
    my ($http, $location) = @_;
    open my $fh, '>', "$dir/nginx.conf" or die;
    print $fh <<"CONF";
load_module $so;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { }
http {
    access_log off;
    client_body_temp_path $dir;
    $http
    server {
        listen 127.0.0.1:1;
        mcp_auth off;
        location = /mcp { $location }
    }
}
CONF
    close $fh;
    my $out = `${preload}nginx -t -q -p $dir -e $dir/error.log -c $dir/nginx.conf 2>&1`;
    return ($? == 0, $out);
}

my $catalog = "mcp_catalog $root/shared/catalog/tools;";

my ($ok, $out) = nginx_t("mcp_redis 127.0.0.1:6379; $catalog", 'mcp_endpoint;');
ok($ok, 'mcp_redis IPv4:port accepted') or diag $out;

($ok, $out) = nginx_t("mcp_redis [::1]:6379; $catalog", 'mcp_endpoint;');
ok($ok, 'mcp_redis [IPv6]:port accepted') or diag $out;

($ok, $out) = nginx_t("mcp_redis unix:/run/redis.sock; $catalog",
                      'mcp_endpoint;');
ok($ok, 'mcp_redis unix:/path accepted') or diag $out;

($ok, $out) = nginx_t("mcp_redis redis.example.com:6379; $catalog",
                      'mcp_endpoint;');
ok(!$ok, 'mcp_redis with a host name refused');
like($out, qr/expected IP:port or unix:\/path .*blocking DNS/,
     'the message explains why');

($ok, $out) = nginx_t("mcp_redis 127.0.0.1; $catalog", 'mcp_endpoint;');
ok(!$ok, 'mcp_redis without a port refused');

($ok, $out) = nginx_t("mcp_redis 127.0.0.1:70000; $catalog", 'mcp_endpoint;');
ok(!$ok, 'mcp_redis with port 70000 refused');

($ok, $out) = nginx_t($catalog, 'mcp_endpoint;');
ok(!$ok, 'mcp_endpoint without mcp_redis refused');
like($out, qr/"mcp_endpoint" needs "mcp_redis"/, 'the message names it');

($ok, $out) = nginx_t('mcp_redis 127.0.0.1:6379;', 'mcp_endpoint;');
ok(!$ok, 'mcp_endpoint without mcp_catalog refused');
like($out, qr/"mcp_endpoint" needs "mcp_catalog"/, 'the message names it');

($ok, $out) = nginx_t("mcp_redis 127.0.0.1:6379; mcp_catalog $dir/none;",
                      'mcp_endpoint;');
ok(!$ok, 'a missing catalog directory refused');
like($out, qr/mcp_catalog "\Q$dir\E\/none"/, 'the message names the path');

($ok, $out) = nginx_t("mcp_redis 127.0.0.1:6379; $catalog",
                      'mcp_endpoint; mcp_session_ttl 0;');
ok(!$ok, 'mcp_session_ttl 0 refused');

done_testing();
