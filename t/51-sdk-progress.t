#!/usr/bin/perl
# 51-sdk-progress.t: the official TypeScript SDK clients, v1
# (@modelcontextprotocol/sdk) and v2 (@modelcontextprotocol/client), call
# ping with a progress handler: three progress notifications, then the result;
# v1 also over the 2024-11-05 HTTP+SSE transport (/sse).
use strict;
use warnings;
use lib 't/lib';
use Test::More;
use MCPTest;

my $root = $ENV{MCP_ROOT} // '.';
my $node = "$root/t/sdk/node_modules/.bin/node";
plan skip_all => 'SDK clients not installed (make sdk runs npm ci in t/sdk)'
  unless -x $node
  && -d "$root/t/sdk/node_modules/\@modelcontextprotocol/sdk"
  && -d "$root/t/sdk/node_modules/\@modelcontextprotocol/client";

my $tag = sprintf '%x%x', $$, time % 65536;
my $DEV = "t51-sdk-$tag";    # sim-r1; its own diagnostics rate budget
my $admin = "$root/" . ($ENV{BUILD} // 'build') . '/routeros-mcp-admin';
ok(system($admin, 'device', 'add', '--id', $DEV, '--name', $DEV,
          '--ip', '127.0.0.2', '--port', $ENV{SIM_PORT}, '--scheme', 'http',
          '--environment', 'lab', '--username', 'admin', '--password-env',
          'SIM_PASSWORD') == 0, "registered $DEV (sim-r1)");
END {
    local $?;
    eval { system($admin, 'device', 'remove', $DEV) } if $DEV;
}

(my $sse = mcp_url()) =~ s{/mcp$}{/sse};
for my $sdk (qw(v1 v2 v1-sse)) {
    my $url = $sdk eq 'v1-sse' ? $sse : mcp_url();
    my $out = `$node $root/t/sdk/progress.mjs $sdk $url $DEV 10.12.0.2`;
    is($? >> 8, 0, "$sdk: the client ran to the end") or diag $out;
    my $got = eval { json_decode($out) } // {};
    is($got->{server}{name}, 'routeros-mcp', "$sdk: connected");
    like($got->{protocolVersion} // '', qr/^\d{4}-\d{2}-\d{2}$/,
         "$sdk: protocol $got->{protocolVersion}");

    my @ev = @{ $got->{events} // [] };
    my @progress = grep { exists $_->{progress} } @ev;
    ok(@progress >= 2, "$sdk: " . scalar(@progress)
       . ' progress notifications reached the handler');
    # The server sends all three (t/14-protocol-legacy-sse.t reads them off
    # the wire); SDK v1's SSEClientTransport runs progress handlers in a
    # microtask but responses at once, so a last progress event that shares
    # a TCP read with the response can be dropped by the client.
    my @want = $sdk eq 'v1-sse' ? (1 .. scalar @progress) : (1, 2, 3);
    is_deeply([map { $_->{progress} } @progress], \@want,
              "$sdk: progress " . join(', ', @want) . ' of total 3');
    is_deeply([grep { $_ != 3 } map { $_->{total} } @progress], [],
              "$sdk: total 3 each time");
    like($progress[0]{message} // '', qr/^seq 0: reply in [\d.]+ ms$/,
         "$sdk: with the packet's line as message");
    ok(exists $ev[-1]{result}, "$sdk: the result came after the progress");

    my $res = $ev[-1]{result} // {};
    ok(!$res->{isError}, "$sdk: ping succeeded");
    my $p = $res->{structuredContent} // {};
    is($p->{packets_sent}, 3, "$sdk: 3 packets sent");
    is($p->{packets_received}, 3, "$sdk: 3 received from the simulated peer");
    is($p->{host}, '10.12.0.2', "$sdk: the host the device pinged");
}

done_testing();
