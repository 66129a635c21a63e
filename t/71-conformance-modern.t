#!/usr/bin/perl
# 71-conformance-modern.t: the official MCP conformance suite 0.2.0-alpha.12
# (installed as conformance-next) runs the 2026-07-28 server requirement set
# against a dedicated nginx with mcp_conformance_fixtures on; scenarios it
# cannot pass yet are in t/conformance/expected-failures-2026-07-28.yml.
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use Cwd qw(getcwd);
use IdP;
use MCPTest;

my $root = $ENV{MCP_ROOT} // getcwd();
my $mods = "$root/t/conformance/node_modules";
my $cli  = "$mods/conformance-next/dist/index.js";
plan skip_all => 'conformance suite not installed (make conformance)'
  unless -f $cli && -x "$mods/.bin/node";

my $port = ($ENV{MCP_NGINX_PORT} // 18080) + 17;
my $dir  = ($ENV{MCP_VAR} // "$root/var/test") . '/t71-conformance-modern';
IdP::nginx_start($dir, $port, <<"CONF", 2);
    mcp_redis 127.0.0.1:$ENV{MCP_REDIS_PORT};
    mcp_catalog $root/shared/catalog/tools;
    mcp_prompts $root/t/conformance/prompts;
    mcp_conformance_fixtures on;
    server {
        listen 127.0.0.1:$port;
        location = /mcp { mcp_endpoint; mcp_auth off; }
    }
CONF
END { IdP::nginx_stop($dir) if $dir }

my $url = "http://127.0.0.1:$port/mcp";
my $expected = "$root/t/conformance/expected-failures-2026-07-28.yml";
my $out = `$mods/.bin/node $cli server --url $url --requirements 2026-07-28 --expected-failures $expected 2>&1`;
my $rc = $? >> 8;
my ($passed, $failed) = $out =~ /Total: (\d+) passed, (\d+) failed/;
diag("conformance 2026-07-28: $passed passed, $failed failed (expected "
     . "failures: t/conformance/expected-failures-2026-07-28.yml)")
  if defined $passed;
is($rc, 0, 'conformance 2026-07-28: every scenario passes except the listed ones')
  or diag($out =~ /(=== SUMMARY ===.*)/s ? $1 : $out);
# every scenario the frozen 2026-07-28 requirement set scores, by name
open my $req, '<', "$mods/conformance-next/requirements/2026-07-28.yaml"
  or die "requirements: $!";
my ($in, @required) = (0);
while (<$req>) {
    if (/^(\w+):/) { $in = $1 eq 'server'; next }
    push @required, $1 if $in && /^  - ([\w\/-]+)\s*$/;
}
close $req;
is(scalar @required, 37, 'the 2026-07-28 set scores 37 server scenarios');
for my $sc (@required) {
    like($out, qr/\Q$sc\E: \d+ passed, 0 failed/, "scenario $sc passes");
}

done_testing();
