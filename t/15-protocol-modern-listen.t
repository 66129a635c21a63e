#!/usr/bin/perl
# 15-protocol-modern-listen.t: 2026-07-28 subscriptions/listen with
# resourceSubscriptions: the stream registers in Redis like a session's
# GET stream, gets the watched URIs' updates tagged with its subscription
# id (none for others), and its registration goes when it closes.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use IO::Socket::INET;
use JSON::PP;
use Digest::SHA qw(sha256_hex);
use MCPTest;

plan skip_all => 'no stack environment' unless $ENV{MCP_VAR};

my $V    = '2026-07-28';
my %META = ('io.modelcontextprotocol/protocolVersion'    => $V,
            'io.modelcontextprotocol/clientCapabilities' => {});
my $tag = sprintf '%x%x', $$, time % 65536;
my %ip = ("t15l-a-$tag" => '127.0.0.2', "t15l-b-$tag" => '127.0.0.3');
my ($A, $B) = sort keys %ip;
my $admin = ($ENV{MCP_ROOT} // '.') . '/' . ($ENV{BUILD} // 'build')
            . '/routeros-mcp-admin';
for my $d ($A, $B) {
    is(system($admin, 'device', 'add', '--id', $d, '--name', $d, '--ip',
              $ip{$d}, '--port', $ENV{SIM_PORT}, '--scheme', 'http',
              '--environment', 'lab', '--username', 'admin',
              '--password-env', 'SIM_PASSWORD', '--allow-advanced-writes'),
       0, "registered $d");
    sim_reset($ip{$d});
}
END {
    local $?;
    for my $d (keys %ip) {
        eval { sim_reset($ip{$d}) };
        eval { system($admin, 'device', 'remove', $d) };
    }
}

# listen(\%notifications, $id) → (socket, everything read up to the ack)
sub listen_open {
    my ($filter, $id) = @_;
    (my $hp = mcp_url()) =~ s{^http://([^/]+)/.*}{$1};
    my $body = encode_json({ jsonrpc => '2.0', id => $id,
                             method => 'subscriptions/listen',
                             params => { notifications => $filter,
                                         _meta => {%META} } });
    my $sock = IO::Socket::INET->new(PeerAddr => $hp, Timeout => 5) or die $!;
    print $sock "POST /mcp HTTP/1.1\r\nHost: $hp\r\n"
      . "Content-Type: application/json\r\n"
      . "Accept: application/json, text/event-stream\r\n"
      . "MCP-Protocol-Version: $V\r\nMcp-Method: subscriptions/listen\r\n"
      . "Content-Length: " . length($body) . "\r\n\r\n$body";
    return ($sock, sse_read($sock, '', qr/\r\n\r\n.*\ndata: [^\n]*\n\n/s));
}

sub frames {
    my ($buf) = @_;
    return map { eval { decode_json($_) } // {} } $buf =~ /^data: (.*)$/mg;
}

sub listen_error {
    my ($filter) = @_;
    my ($sock, $buf) = listen_open($filter, 'bad');
    close $sock;
    my ($json) = $buf =~ /\r\n\r\n.*?(\{.*\})/s;
    return (eval { decode_json($json) } // {})->{error} // {};
}

# --- discover and bad params -------------------------------------------------
(my $hp = mcp_url()) =~ s{^http://([^/]+)/.*}{$1};
my $r = raw_post(body => { jsonrpc => '2.0', id => 1,
                           method => 'server/discover',
                           params => { _meta => {%META} } },
                 headers => { 'Content-Type' => 'application/json',
                              Accept => 'application/json, text/event-stream',
                              'MCP-Protocol-Version' => $V,
                              'Mcp-Method' => 'server/discover' });
is($r->{json}{result}{capabilities}{resources}{subscribe}, JSON::PP::true,
   'server/discover: resources.subscribe true');

my $e = listen_error({ resourceSubscriptions => ["nope://x-$tag"] });
is($e->{code}, -32602, 'an unknown URI: -32602');
like($e->{message}, qr/params\.notifications\.resourceSubscriptions\[0\]/,
     'the message names the member');
is($e->{data}{uri}, "nope://x-$tag", 'data.uri names the URI');
$e = listen_error({ resourceSubscriptions => ["device://$A/config", 7] });
is($e->{code}, -32602, 'a URI that is not a string: -32602');
like($e->{message}, qr/resourceSubscriptions\[1\]/, 'names the member');
$e = listen_error({ resourceSubscriptions => "device://$A/config" });
is($e->{code}, -32602, 'resourceSubscriptions not an array: -32602');
like($e->{message}, qr/resourceSubscriptions/, 'names the field');

# --- a listen stream watching A's config ---------------------------------------
my $uri = "device://$A/config";
my $set = 'mcp:subscribers:' . sha256_hex($uri);
my @before = @{ redis_cmd('SMEMBERS', $set) // [] };
my ($sock, $buf) = listen_open({ resourceSubscriptions => [$uri] },
                               "listen-$tag");
like($buf, qr{^HTTP/1.1 200}, 'listen: 200');
my ($ack) = frames($buf);
is($ack->{method}, 'notifications/subscriptions/acknowledged',
   'the first message is the acknowledgement');
is_deeply($ack->{params}{notifications}, { resourceSubscriptions => [$uri] },
          'it echoes the honoured resourceSubscriptions');
is($ack->{params}{_meta}{'io.modelcontextprotocol/subscriptionId'},
   "listen-$tag", 'tagged with the subscription id');

my @lid = grep { my $m = $_; !grep { $_ eq $m } @before }
          @{ redis_cmd('SMEMBERS', $set) // [] };
is(scalar @lid, 1, 'the stream joined the URI\'s subscriber set');
my $lid = $lid[0] // 'none';
is(redis_cmd('SISMEMBER', "mcp:subs:{$lid}", $uri), 1,
   'its own set holds the URI');
ok(redis_cmd('TTL', "mcp:subs:{$lid}") > 0, 'its set expires');
ok(redis_cmd('TTL', "mcp:stream:{$lid}") > 0,
   'its channel key expires (refreshed by the keep-alive)');

# a write to B (not watched) first, then one to A (watched)
my $s = mcp_session();
$s->initialize('2025-11-25');
for my $d ($B, $A) {
    $r = $s->call_tool('set_system_identity',
                       { device_id => $d, identity => "t15l-$tag" });
    is($r->{result}{structuredContent}{changed}, JSON::PP::true,
       "set_system_identity on $d") or diag explain $r;
}
is(sim_state($ip{$A})->{menus}{'/system/identity'}{name}, "t15l-$tag",
   'the simulator holds the new identity');
$buf = sse_read($sock, $buf, qr/resources\/updated[^\n]*\n\n/);
my @notes = grep { ($_->{method} // '') eq 'notifications/resources/updated' }
            frames($buf);
is(scalar @notes, 1, 'one update on the stream');
is($notes[0]{params}{uri}, $uri,
   'it names the watched URI (none for B or A\'s overview)');
is($notes[0]{params}{_meta}{'io.modelcontextprotocol/subscriptionId'},
   "listen-$tag", 'it carries the subscription id');
sim_reset($_) for values %ip;

# --- closing the stream unregisters it -------------------------------------------
close $sock;
ok(wait_for(sub { !redis_cmd('SISMEMBER', $set, $lid) }, 10),
   'closed: out of the URI\'s subscriber set');
ok(wait_for(sub { !redis_cmd('EXISTS', "mcp:subs:{$lid}") }, 10),
   'closed: its set is gone');
ok(wait_for(sub { !redis_cmd('EXISTS', "mcp:stream:{$lid}") }, 10),
   'closed: its channel key is gone');

done_testing();
