package LegacySSE;
# LegacySSE.pm: a raw-socket client of the 2024-11-05 HTTP+SSE transport for
# the tests: opens the GET stream, reads its events (chunked encoding
# undone), POSTs messages to the endpoint the stream named.
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use HTTP::Tiny;
use MCPTest qw(json_encode json_decode);

# LegacySSE->open($path, %headers): the GET; ->{status}, ->{head} are set;
# on a 200 the events are read with ->next_event.
sub open {
    my ($class, $path, %h) = @_;
    (my $port = $ENV{MCP_URL}) =~ s{.*:(\d+)/.*}{$1};
    my $sock = IO::Socket::INET->new(PeerAddr => "127.0.0.1:$port",
                                     Timeout => 10) or die "connect: $!";
    $h{Accept} //= 'text/event-stream';
    my $head = join '', map { "$_: $h{$_}\r\n" } sort keys %h;
    print $sock "GET $path HTTP/1.1\r\nHost: 127.0.0.1:$port\r\n$head\r\n";
    my $self = bless { sock => $sock, port => $port, raw => '', text => '',
                       events => [] }, $class;
    $self->_fill(qr/\r\n\r\n/, 'raw');
    my ($hdr, $rest) = split /\r\n\r\n/, $self->{raw}, 2;
    ($self->{status}) = ($hdr // '') =~ m{^HTTP/1\.1 (\d+)};
    $self->{status} //= 0;
    $self->{head} = $hdr // '';
    $self->{chunked} = $self->{head} =~ /^transfer-encoding: chunked/mi;
    $self->{raw} = $rest // '';
    return $self;
}

sub _read {
    my ($self, $wait) = @_;
    my $sel = IO::Select->new($self->{sock});
    return 0 unless $sel->can_read($wait);
    my $n = sysread($self->{sock}, $self->{raw}, 65536, length $self->{raw});
    return $n ? 1 : 0;
}

sub _fill {
    my ($self, $re, $field) = @_;
    my $until = time + 10;
    while ($self->{$field} !~ $re && time < $until) {
        $self->_read(1) or last;
    }
}

# Moves complete chunks (or everything, unchunked) from raw to text.
sub _dechunk {
    my ($self) = @_;
    if (!$self->{chunked}) {
        $self->{text} .= $self->{raw};
        $self->{raw} = '';
        return;
    }
    while ($self->{raw} =~ /^([0-9a-fA-F]+)\r\n/) {
        my ($size, $hlen) = (hex $1, length($1) + 2);
        last if length $self->{raw} < $hlen + $size + 2;
        $self->{text} .= substr($self->{raw}, $hlen, $size);
        substr($self->{raw}, 0, $hlen + $size + 2) = '';
        $self->{closed} = 1 if $size == 0;
    }
}

# The next event as { event => name, data => text, json => decoded data };
# comment-only blocks (keep-alives) are skipped; undef after $wait seconds.
sub next_event {
    my ($self, $wait) = @_;
    my $until = time + ($wait // 30);
    while (1) {
        $self->_dechunk;
        while ($self->{text} =~ s/^(.*?)\n\n//s) {
            my $block = $1;
            my ($ev, @data) = ('message');
            for my $line (split /\n/, $block) {
                $ev = $1 if $line =~ /^event: ?(.*)$/;
                push @data, $1 if $line =~ /^data: ?(.*)$/;
            }
            next unless @data;
            my $data = join "\n", @data;
            return { event => $ev, data => $data,
                     json => scalar eval { json_decode($data) } };
        }
        return undef if $self->{closed} || time >= $until;
        $self->{closed} = 1 if !$self->_read(1) && eof $self->{sock};
    }
}

# Messages (decoded "message" events) until one satisfies $want (a code
# ref); returns (the match, [every message read on the way]).
sub wait_message {
    my ($self, $want, $wait) = @_;
    my @seen;
    while (my $e = $self->next_event($wait)) {
        next unless $e->{event} eq 'message' && $e->{json};
        push @seen, $e->{json};
        return ($e->{json}, \@seen) if $want->($e->{json});
    }
    return (undef, \@seen);
}

# POSTs a JSON-RPC message to $url (path with ?sessionId=…) on a fresh
# connection; returns the HTTP::Tiny response.
sub post {
    my ($self, $url, $msg, %h) = @_;
    my $http = HTTP::Tiny->new(timeout => 30);
    return $http->request('POST', "http://127.0.0.1:$self->{port}$url",
                          { headers => { 'Content-Type' => 'application/json',
                                         %h },
                            content => ref $msg ? json_encode($msg) : $msg });
}

sub close {
    my ($self) = @_;
    CORE::close($self->{sock});
}

1;
