#!/usr/bin/perl
# 52-inspector-cli.t: the MCP Inspector CLI (@modelcontextprotocol/inspector,
# Node 22) lists the tools and calls one over Streamable HTTP (/mcp) and over
# the 2024-11-05 HTTP+SSE transport (/sse).
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use File::Temp qw(tempfile);
use MCPTest;

my $root = $ENV{MCP_ROOT} // '.';
my $node = "$root/t/sdk/node_modules/.bin/node";
my $cli = "$root/t/sdk/node_modules/\@modelcontextprotocol/inspector/clients/"
        . 'launcher/build/index.js';
plan skip_all => 'Inspector not installed (make sdk runs npm ci in t/sdk)'
  unless -x $node && -f $cli;

(my $base = mcp_url()) =~ s{/mcp$}{};

# (exit code, decoded stdout, stdout and stderr for diagnostics); stderr
# carries notes such as the CLI's schema portability summary.
sub inspector {
    my @args = @_;
    my ($fh, $err) = tempfile(UNLINK => 1);
    my $out = `$node $cli --cli @args 2>$err`;
    my $rc = $? >> 8;
    my $note = do { local $/; <$fh> } // '';
    return ($rc, scalar eval { json_decode($out) }, "$out$note");
}

my $s = mcp_session();
$s->initialize('2025-11-25');
my @expected = sort map { $_->{name} } @{ $s->list_tools };
my $sim = sim_state('127.0.0.2');

for my $t (['http', "$base/mcp"], ['sse', "$base/sse"]) {
    my ($transport, $url) = @$t;

    my ($rc, $list, $raw) = inspector($url, '--transport', $transport,
                                      '--method', 'tools/list');
    is($rc, 0, "$transport: tools/list exits 0") or diag $raw;
    my @names = sort map { $_->{name} } @{ $list->{tools} // [] };
    ok(@names >= 1, "$transport: tools/list returned " . scalar(@names)
       . ' tools');
    is_deeply([grep { my $n = $_; !grep { $_ eq $n } @expected } @names], [],
              "$transport: every listed tool is one the server offers");
    ok((grep { $_ eq 'get_system_overview' } @names),
       "$transport: get_system_overview is listed");

    my $call;
    ($rc, $call, $raw) = inspector($url, '--transport', $transport,
        '--method', 'tools/call', '--tool-name', 'get_system_overview',
        '--tool-arg', 'device_id=dev-sim-r1');
    is($rc, 0, "$transport: tools/call exits 0") or diag $raw;
    ok($call && !$call->{isError}, "$transport: get_system_overview succeeded");
    my $ov = $call->{structuredContent} // {};
    is($ov->{device_id}, 'dev-sim-r1', "$transport: the device asked for");
    is($ov->{system_identity}, $sim->{menus}{'/system/identity'}{name},
       "$transport: identity equals the simulator's");
    is($ov->{routeros_version}, $sim->{menus}{'/system/resource'}{version},
       "$transport: RouterOS version equals the simulator's");
}

done_testing();
