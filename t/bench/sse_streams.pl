#!/usr/bin/perl
# sse_streams.pl: memory an open SSE stream costs nginx: opens N sessions,
# holds one standalone GET stream open on each, and prints the nginx
# workers' resident memory before and after (make bench, t/bench/run.sh).
# usage: sse_streams.pl <port> <nginx master pid> <streams>
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;

my ($port, $master, $n) = @ARGV;
die "usage: $0 port master-pid streams\n" unless $n && $n =~ /^\d+$/;

sub workers_rss_kib {
    my $sum = 0;
    for my $pid (split /\s+/, `pgrep -P $master`) {
        open(my $fh, '<', "/proc/$pid/status") or next;
        while (<$fh>) { $sum += $1 if /^VmRSS:\s+(\d+)/ }
    }
    return $sum;
}

sub request {
    my ($method, $headers, $body) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
                                  Proto => 'tcp', Timeout => 10)
        or die "connect: $!\n";
    my $req = "$method /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n$headers";
    $req .= 'Content-Length: ' . length($body) . "\r\n" if defined $body;
    $req .= "\r\n" . ($body // '');
    print {$s} $req;
    return $s;
}

# headers of one response (read until the blank line, bounded)
sub head_of {
    my ($s) = @_;
    my ($buf, $sel) = ('', IO::Select->new($s));
    while ($buf !~ /\r\n\r\n/) {
        die "no answer in 10 s\n" unless $sel->can_read(10);
        my $got = sysread($s, $buf, 4096, length $buf);
        die "connection closed\n" unless $got;
    }
    return $buf;
}

my $init = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{'
    . '"protocolVersion":"2025-11-25","capabilities":{},'
    . '"clientInfo":{"name":"bench-sse","version":"1"}}}';
my $common = "Content-Type: application/json\r\n"
    . "Accept: application/json, text/event-stream\r\n";
my @sids;
for (1 .. $n) {
    my $s = request('POST', $common . "Connection: close\r\n", $init);
    my ($sid) = head_of($s) =~ /^mcp-session-id:\s*(\S+)/mi;
    die "initialize gave no session id\n" unless $sid;
    close $s;
    push @sids, $sid;
}
my $before = workers_rss_kib();
my @streams;
for my $sid (@sids) {
    my $s = request('GET', "Accept: text/event-stream\r\n"
        . "Mcp-Session-Id: $sid\r\nMCP-Protocol-Version: 2025-11-25\r\n");
    my $h = head_of($s);
    die "GET stream refused: " . (split /\r\n/, $h)[0] . "\n"
        unless $h =~ m{^HTTP/1\.1 200};
    push @streams, $s;
}
my $after = workers_rss_kib();
printf "STREAMS %d\nRSS_BEFORE_KIB %d\nRSS_AFTER_KIB %d\nPER_STREAM_KIB %.1f\n",
    scalar @streams, $before, $after, ($after - $before) / @streams;
close $_ for @streams;
for my $sid (@sids) {
    close request('DELETE', "Mcp-Session-Id: $sid\r\n"
        . "MCP-Protocol-Version: 2025-11-25\r\nConnection: close\r\n");
}
